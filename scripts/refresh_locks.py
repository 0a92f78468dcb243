#!/usr/bin/env python3
"""Recompile every lock the template ships, each the way a baked project's own `invoke lock` does.

    python3 scripts/refresh_locks.py            # keep pins, pick up .in changes
    python3 scripts/refresh_locks.py --upgrade  # move every pin to the newest release

For each lock engine and Python version it bakes a project, runs that project's
`invoke lock` (or `invoke upgrade`) in a venv of that exact CPython minor, against
the public index alone, and copies the two locks back into the template. So a fresh
bake's `invoke lock --check` passes by construction. The template's own dev lock
(requirements-dev.txt, one universal lock for Python 3.11+) is refreshed first.

A version with no CPython of its own on this machine (3.14 here: none is installed) is
refreshed from a venv of the newest minor that is, through the same `invoke lock`: uv
resolves for the project's Python version whatever interpreter runs it, and the pip-tools
tasks compile in the deploy image python:X.Y-slim through Docker (automatic when the
host's minor differs; a Docker engine must answer). A version with no locks yet starts
from the nearest version's pins, so a new version keeps the pins the others have.
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


def nearest_locked_version(lock_tool, version):
    """The offered version nearest to `version` (the older one on a tie) whose shipped locks are not empty."""
    minor = int(version.split(".")[1])
    for other in sorted(PYTHON_VERSIONS, key=lambda v: (abs(int(v.split(".")[1]) - minor), v)):
        if other != version and all((TEMPLATE_LOCKS / lock_tool / other / n).read_text().strip() for n in LOCK_FILES):
            return other
    return None


def refresh(lock_tool, version, python, upgrade):
    with tempfile.TemporaryDirectory() as tmp:
        project = bake(tmp, lock_tool=lock_tool, python_version=version)
        if not all((project / name).read_text().strip() for name in LOCK_FILES):
            seed = nearest_locked_version(lock_tool, version)  # pip-tools in Docker needs its own pins to start
            if seed is None:
                return f"{lock_tool} {version}: no locks yet and none of another version to start from"
            for name in LOCK_FILES:
                (project / name).write_bytes((TEMPLATE_LOCKS / lock_tool / seed / name).read_bytes())
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

    wanted = [(t, v) for v in PYTHON_VERSIONS for t in LOCK_TOOLS if not args.only or f"{t}/{v}" in args.only]
    unknown = set(args.only) - {f"{t}/{v}" for v in PYTHON_VERSIONS for t in LOCK_TOOLS}
    if unknown:
        sys.exit(
            f"error: no such lock pair: {', '.join(sorted(unknown))}; name TOOL/X.Y, e.g. uv/{PYTHON_VERSIONS[-1]}"
        )
    sys.path.insert(0, str(ROOT / "{{cookiecutter.project_slug}}"))
    from tasks.container import docker_answers  # the baked tasks' own test for an engine (needs the dev venv)

    host = {v: p for v in PYTHON_VERSIONS if (p := find_python(v))}
    if not host:
        sys.exit(f"error: none of python{', python'.join(PYTHON_VERSIONS)} here; install one (pyenv), then retry")
    stand_in = sorted(host, key=lambda v: int(v.split(".")[1]))[-1]  # runs the tasks for a version with no CPython
    for lock_tool, version in wanted:
        if version not in host and lock_tool == "pip-tools" and not docker_answers():
            sys.exit(
                f"error: no python{version} here, and no Docker engine answers, so pip-compile cannot resolve for "
                f"{version}; start Docker (the tasks compile in python:{version}-slim) or install python{version}"
            )
    jobs = []
    for version in PYTHON_VERSIONS:
        runner = version if version in host else stand_in
        venv_python = ensure_venv(ROOT / ".venvs" / f"py{runner}", host[runner])
        for lock_tool in LOCK_TOOLS:
            if (lock_tool, version) not in wanted:
                continue
            if runner != version:
                print(f"note: no python{version} here; {lock_tool}/{version} is refreshed from a Python {runner} venv")
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
