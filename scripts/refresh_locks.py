#!/usr/bin/env python3
"""Recompile every lock the template ships, each the way a baked project's own `invoke lock` does.

    python3 scripts/refresh_locks.py            # keep pins, pick up .in changes
    python3 scripts/refresh_locks.py --upgrade  # move every pin to the newest release

For each lock engine and Python version it bakes a project, runs that project's
`invoke lock` (or `invoke upgrade`) in a venv of that exact CPython minor, against
the public index alone, and copies the two locks back into the template. So a fresh
bake's `invoke lock --check` passes by construction. The template's own dev lock
(requirements-dev.txt, one universal lock for Python 3.11+) is refreshed first.
"""

import argparse
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from devenv import LOCAL_SOURCE, LOCK_FILES, PYTHON_VERSIONS, ROOT, bake, ensure_venv, find_python, public_index_env

TEMPLATE_LOCKS = ROOT / "{{cookiecutter.project_slug}}" / "_locks"
LOCK_TOOLS = ("pip-tools", "uv")


def compile_dev_lock(python, upgrade):
    argv = [str(python), "-m", "uv", "pip", "compile", "--quiet", "--universal", "--python-version=3.11",
            "--generate-hashes", "--output-file=requirements-dev.txt", "requirements-dev.in"]  # fmt: skip
    subprocess.run(argv + (["--upgrade"] if upgrade else []), cwd=ROOT, check=True, env=public_index_env())


def refresh(lock_tool, version, python, upgrade):
    with tempfile.TemporaryDirectory() as tmp:
        project = bake(tmp, lock_tool=lock_tool, python_version=version)
        task = "upgrade" if upgrade else "lock"
        log = Path(tmp) / "log.txt"
        with log.open("w") as out:
            code = subprocess.run([str(python), "-m", "invoke", task], cwd=project, env=public_index_env(),
                                  stdout=out, stderr=subprocess.STDOUT).returncode  # fmt: skip
        if code:
            return f"{lock_tool} {version}: invoke {task} failed (exit {code}):\n{log.read_text()}"
        texts = {name: (project / name).read_text() for name in LOCK_FILES}
        for name, text in texts.items():
            if LOCAL_SOURCE.search(text):
                return f"{lock_tool} {version}: {name} names a local package source; nothing copied"
        for name, text in texts.items():
            (TEMPLATE_LOCKS / lock_tool / version / name).write_text(text)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest allowed release")
    parser.add_argument("--only", nargs="*", default=[], metavar="TOOL/X.Y", help="e.g. uv/3.12 (default: all)")
    args = parser.parse_args()

    dev_venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != dev_venv.resolve():  # cookiecutter and uv live in the dev venv
        python = ensure_venv(dev_venv)
        return subprocess.run([str(python), __file__, *sys.argv[1:]], cwd=ROOT).returncode
    compile_dev_lock(sys.executable, args.upgrade)
    ensure_venv(dev_venv)  # follow the dev lock if it moved

    jobs = []
    for version in PYTHON_VERSIONS:
        python = find_python(version)
        if python is None:
            sys.exit(f"error: no python{version} here; every shipped lock needs its own CPython minor")
        venv_python = ensure_venv(ROOT / ".venvs" / f"py{version}", python)
        for lock_tool in LOCK_TOOLS:
            if args.only and f"{lock_tool}/{version}" not in args.only:
                continue
            for name in LOCK_FILES:  # a first bake needs something to copy
                path = TEMPLATE_LOCKS / lock_tool / version / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            jobs.append((lock_tool, version, venv_python, args.upgrade))
    with ThreadPoolExecutor(max_workers=3) as pool:
        failures = [f for f in pool.map(lambda job: refresh(*job), jobs) if f]
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    print(f"refreshed {len(jobs) - len(failures)} of {len(jobs)} lock pairs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
