#!/usr/bin/env python3
"""Run the template's whole test suite in a venv built from requirements-dev.txt (hashes required).

    python3 scripts/test.py              # everything (slow and docker tests included)
    python3 scripts/test.py -m "not slow and not docker"   # the fast loop
Any arguments go to pytest. Exit 5 (no tests ran) counts as a failure.
"""

import subprocess
import sys

from devenv import ROOT, ensure_venv

if sys.version_info < (3, 11):  # noqa: UP036 (any python3 may run this; say what it needs)
    sys.exit("error: run this with Python 3.11 or newer, e.g. python3.12 scripts/test.py")

python = ensure_venv(ROOT / ".venv")
code = subprocess.run([str(python), "-m", "pytest", *sys.argv[1:]], cwd=ROOT).returncode
if code == 5:
    print("error: pytest collected no tests; that is a failure, not a pass", file=sys.stderr)
    code = 1
sys.exit(code)
