#!/usr/bin/env bash
# Fails with one clear line when the Python that Rasa 3.6 needs is missing.
set -uo pipefail
py="${1:-python3.10}"
if ! version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); then
  echo "error: '$py' not found. Rasa 3.6 needs Python 3.10: install it (pyenv install 3.10, or apt-get install python3.10 python3.10-venv) or run make PYTHON=/path/to/python3.10" >&2
  exit 1
fi
if [ "$version" != "3.10" ]; then
  echo "error: '$py' is Python $version, but Rasa 3.6 needs Python 3.10: run make PYTHON=/path/to/python3.10" >&2
  exit 1
fi
