#!/usr/bin/env bash
# Prints one hash of everything the model is trained from, so `make` retrains
# exactly when a training file or the config changed (added, edited or deleted).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  for f in config.yml domain.yml $(find data -type f -name '*.yml' | LC_ALL=C sort); do
    printf '%s\n' "$f"
    sha256sum < "$f"
  done
} | sha256sum | cut -d' ' -f1
