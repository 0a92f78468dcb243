#!/usr/bin/env python3
"""Print how long the README's first install takes for the default bake: plain pip next to uv.

    python3 scripts/bench_install.py [--runs 3] [--python 3.12] [--lock-tool pip-tools]

Both paths install the same two locks of a fresh default bake, hashes required, into a fresh venv:
  pip  `python -m pip install --require-hashes -r requirements.txt -r requirements-dev.txt`
  uv   `uv pip install --require-hashes -r requirements.txt -r requirements-dev.txt`
       (uv from the template's dev venv, as a user's own uv would be)
each with an empty cache (a first install) and again with the cache the first run left (a re-install).
Figures are medians of --runs runs, against the public index only; the network is part of every
figure, so compare figures from the same run. The uv venv is checked to hold the same pins as pip's.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from devenv import LOCK_FILES, ROOT, bake, ensure_venv, find_python, public_index_env, timed


def frozen(python, env):
    listed = subprocess.run([python, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, env=env).stdout
    return {line.lower() for line in listed.splitlines() if "==" in line and not line.lower().startswith("pip==")}


def install(kind, project, python, uv, work, cache, env):
    """Seconds for one install of both locks into a fresh venv, with `cache` as the only cache."""
    venv = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=work))
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    env = {**env, "PIP_CACHE_DIR": str(cache), "UV_CACHE_DIR": str(cache)}
    locks = [arg for name in LOCK_FILES for arg in ("-r", name)]
    if kind == "pip":
        argv = [venv / "bin/python", "-m", "pip", "install", "--quiet", "--require-hashes", *locks]
    else:
        argv = [
            uv,
            "pip",
            "install",
            "--quiet",
            "--no-config",
            "--python",
            venv / "bin/python",
            "--require-hashes",
            *locks,
        ]
    return timed(argv, project, env), venv


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", default="3.12")
    parser.add_argument("--lock-tool", default="pip-tools", choices=("pip-tools", "uv"))
    args = parser.parse_args()
    python = find_python(args.python)
    if python is None:
        sys.exit(f"error: no python{args.python} here")
    dev_venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != dev_venv.resolve():  # cookiecutter and uv live in the dev venv
        return subprocess.run([str(ensure_venv(dev_venv)), __file__, *sys.argv[1:]]).returncode
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    env = public_index_env()
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        work = Path(tmp)
        project = bake(work / "project", lock_tool=args.lock_tool, python_version=args.python)
        figures, venvs = {}, {}
        for kind in ("pip", "uv"):
            first, again = [], []
            for run in range(args.runs):
                cache = work / f"cache-{kind}-{run}"
                seconds, venvs[kind] = install(kind, project, python, uv, work, cache, env)
                first.append(seconds)
                again.append(install(kind, project, python, uv, work, cache, env)[0])
            figures[f"{kind} first install (empty cache)"] = statistics.median(first)
            figures[f"{kind} re-install (warm cache)"] = statistics.median(again)
        same = frozen(venvs["pip"] / "bin/python", env) == frozen(venvs["uv"] / "bin/python", env)
    print(f"first install of the default bake ({args.lock_tool}, Python {args.python}, both locks, hashes required),")
    print(f"median of {args.runs} runs, this machine ({os.cpu_count()} cores):")
    for name, seconds in figures.items():
        print(f"  {name:32} {seconds:7.1f} s")
    speedup = figures["pip first install (empty cache)"] / figures["uv first install (empty cache)"]
    print(f"  uv is {speedup:.1f}x faster on a first install; same pins installed: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
