#!/usr/bin/env bash
# Prints one hash of everything the model is trained from, so `make` retrains
# exactly when a training file, the config or the code of a trained component of
# the project's own (the featurizer, the FAQ selector) changed
# (added, edited or deleted). The other components only predict: their code is
# loaded fresh by every server and needs no retraining.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  for f in config.yml domain.yml components/featurizers.py components/faq_selector.py $(find data -type f -name '*.yml' | LC_ALL=C sort); do
    printf '%s\n' "$f"
    sha256sum < "$f"
  done
} | sha256sum | cut -d' ' -f1
