#!/bin/sh
# The dev container's venv: exactly the pins of requirements.txt and requirements-dev.txt, every
# file checked against its hash. devcontainer.json runs this when the container is created (and a
# Codespaces prebuild again when the content changes); after the locks change, run it yourself:
#   sh .devcontainer/install-locks.sh
# The venv starts empty (--without-pip) and the base image's pip installs into it, so it holds
# only what the locks pin (pip itself too, where a lock pins it), and nothing else.
set -eu
cd "$(dirname "$0")/.."
python=/usr/local/bin/python # the base image's interpreter, never the venv's
venv=${VIRTUAL_ENV:?is not set: run this inside the dev container}

wanted=$(tr -d '[:space:]' <.python-version)
running=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$running" != "$wanted" ]; then
  echo "error: the dev container runs Python $running but .python-version says $wanted; it builds from" \
    "the Dockerfile's base image (ARG BASE_IMAGE): move that to python:$wanted-slim, then rebuild the container" >&2
  exit 1
fi

"$python" -m venv --clear --without-pip "$venv"
"$python" -m pip --python "$venv/bin/python" install --require-hashes -r requirements.txt -r requirements-dev.txt
"$python" -m pip --python "$venv/bin/python" check
echo "ok: $venv holds exactly the pins of both locks (Python $running); start the app with: invoke run"
