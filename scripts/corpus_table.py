#!/usr/bin/env python3
"""Print the pass table of the real-apps corpus: each app of tests/corpus through the baked project's tasks.

    python3 scripts/corpus_table.py [APP ...] [--engine uv|pip-tools|all] [--jobs 2] [--keep DIR]

For each app (default: all) and each engine its expected.toml names (`--engine all`: both; default: those
names, uv when it names none) it bakes a project for the app's Python, puts the app in, and runs `invoke lock`,
`invoke lock --check`, an install of both locks into a fresh venv (hashes required), `invoke test` and
`invoke cloud-smoke`: the pipeline of tests/realapps.py, the same one tests/test_real_apps.py asserts on.
A table row per app and engine gives pass / fail / skip per step and the one-line reason of each failure.
Everything runs against the package index; uv's cache is shared with the tests.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from devenv import ROOT, ensure_venv

sys.path.insert(0, str(ROOT / "tests"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", help="app folder names under tests/corpus (default: all)")
    parser.add_argument("--engine", choices=("uv", "pip-tools", "all"), help="default: the app's expected engines")
    parser.add_argument("--jobs", type=int, default=2, help="apps run at once (default: 2)")
    parser.add_argument(
        "--keep", type=Path, help="bake into this folder, keep it and each step's log beside each project"
    )
    args = parser.parse_args()
    dev_venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != dev_venv.resolve():  # cookiecutter lives in the dev venv
        return subprocess.run([str(ensure_venv(dev_venv)), __file__, *sys.argv[1:]]).returncode

    import realapps

    apps = [app for app in realapps.corpus() if not args.apps or app.name in args.apps]
    if unknown := set(args.apps) - {app.name for app in apps}:
        sys.exit(f"error: no such app in tests/corpus: {', '.join(sorted(unknown))}")
    jobs = []
    for app in apps:
        engines = ("uv", "pip-tools") if args.engine == "all" else (args.engine,) if args.engine else app.engines()
        jobs += [(app, engine) for engine in engines]
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        tools = {}
        for app, engine in jobs:  # made one at a time: they share a folder and pip's cache
            if (engine, app.python) not in tools:
                tools[engine, app.python] = realapps.tools_venv(engine, app.python, work)
        started = time.monotonic()

        def one(job):
            app, engine = job
            begun = time.monotonic()
            result = realapps.run_app(app, engine, work, tools[engine, app.python])
            if args.keep:  # each step's whole output beside the project
                for step in result.steps.values():
                    log = result.project.parent / f"{step.name}.log"
                    log.write_text("".join(r + "\n---- after the edit it named\n" for r in step.refusals) + step.output)
            print(f"{app.name} ({engine}): {time.monotonic() - begun:.0f}s", file=sys.stderr, flush=True)
            return result

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = list(pool.map(one, jobs))
    print(realapps.table(results))
    print(f"\n{len(results)} runs in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
