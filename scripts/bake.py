#!/usr/bin/env python3
"""Bake a project from this checkout with the template's pinned cookiecutter.

    python3 scripts/bake.py --no-input                       # defaults, into the current directory
    python3 scripts/bake.py --no-input python_version=3.13 lock_tool=uv
    python3 scripts/bake.py                                  # answer the questions
Arguments go to cookiecutter. The first run builds .venv from requirements-dev.txt (hashes required).
"""

import os
import subprocess
import sys

from devenv import ROOT, ensure_venv

if sys.version_info < (3, 11):  # noqa: UP036 (any python3 may run this; say what it needs)
    sys.exit("error: run this with Python 3.11 or newer, e.g. python3.12 scripts/bake.py --no-input")

python = ensure_venv(ROOT / ".venv")
sys.exit(subprocess.run([str(python), "-m", "cookiecutter", str(ROOT), *sys.argv[1:]], cwd=os.getcwd()).returncode)
