#!/usr/bin/env python3
"""Print how long the lock workflow takes: bake, check, compile, upgrade; pip-tools next to uv.

    python3 scripts/bench_lock.py [--runs 3] [--python 3.12] [--check-only]

For each engine it bakes a project, installs its locks into a fresh venv (hashes required) and
times, as medians of --runs runs:
  cold compile      `invoke lock` with no lock files and empty pip / pip-tools / uv caches
  warm re-lock      `invoke lock` with nothing to change
  lock --check      `invoke lock --check`
  upgrade streamlit `invoke upgrade --package streamlit`
  bare compile      the engine's own compile of both .in files (no wrapper, warm cache, hashes reused)
plus the bake itself, and then the goals for `lock --check` against the bare compiles it needs: at most
1.6x for pip-tools (whose hash check now asks uv, a public command, instead of pip-tools' internals) and
1.5x for uv (whose check also judges every platform in the settings). --check-only times just the
check and the bare compile (a few minutes instead of most of an hour). Everything runs against the
public index only; the network is part of every figure, so compare figures from the same run.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devenv import LOCK_FILES as LOCKS
from devenv import ROOT, bake, ensure_venv, find_python, public_index_env, timed

ENGINES = ("pip-tools", "uv")


def median_of(runs, measure):
    return statistics.median(measure() for _ in range(runs))


def bare_compile_argvs(engine, venv_bin, version):
    if engine == "uv":
        return [[venv_bin / "uv", "pip", "compile", "--quiet", "--universal", f"--python-version={version}",
                 "--generate-hashes", f"--output-file={out}", src]
                for src, out in (("requirements.in", LOCKS[0]), ("requirements-dev.in", LOCKS[1]))]  # fmt: skip
    return [[venv_bin / "pip-compile", "--quiet", "--allow-unsafe", "--generate-hashes", "--no-emit-index-url",
             "--strip-extras", f"--output-file={out}", src]
            for src, out in (("requirements.in", LOCKS[0]), ("requirements-dev.in", LOCKS[1]))]  # fmt: skip


def bench_engine(engine, version, runs, work, check_only=False):
    project = bake(work / engine, lock_tool=engine, python_version=version)
    venv = work / f"venv-{engine}"
    subprocess.run([find_python(version), "-m", "venv", str(venv)], check=True)
    env = public_index_env()
    subprocess.run([venv / "bin/python", "-m", "pip", "install", "--quiet", "--require-hashes",
                    "-r", project / LOCKS[0], "-r", project / LOCKS[1]], check=True, env=env)  # fmt: skip
    invoke = [venv / "bin/python", "-m", "invoke"]
    shipped = {name: (project / name).read_bytes() for name in LOCKS}

    def restore():
        for name, data in shipped.items():
            (project / name).write_bytes(data)

    def cold():
        for name in LOCKS:
            (project / name).unlink()
        with tempfile.TemporaryDirectory() as cache:
            seconds = timed([*invoke, "lock"], project, {**env, "XDG_CACHE_HOME": cache, "UV_CACHE_DIR": cache})
        restore()
        return seconds

    def upgrade_streamlit():
        seconds = timed([*invoke, "upgrade", "--package", "streamlit"], project, env)
        restore()
        return seconds

    def bare():
        seconds = sum(timed(argv, project, env) for argv in bare_compile_argvs(engine, venv / "bin", version))
        restore()
        return seconds

    timed([*invoke, "lock"], project, env)  # warm the caches; the locks are now current for this tree's .in files
    timed([*invoke, "sync"], project, env)  # and the venv holds what they pin
    shipped.update({name: (project / name).read_bytes() for name in LOCKS})
    compile_step = [
        venv / "bin/python",
        "-c",
        "from invoke import Context; from tasks import engines; engines.compile_locks(Context())",
    ]
    if check_only:
        figures = {
            "lock --check": median_of(runs, lambda: timed([*invoke, "lock", "--check"], project, env)),
            "its compile step (no platform judge)": median_of(runs, lambda: timed(compile_step, project, env)),
            "bare compile (both .in, warm)": median_of(runs, bare),
        }
        return figures, pins_of(shipped)
    figures = {
        "cold compile": median_of(runs, cold),
        "warm re-lock": median_of(runs, lambda: timed([*invoke, "lock"], project, env)),
        "lock --check": median_of(runs, lambda: timed([*invoke, "lock", "--check"], project, env)),
        "its compile step (no platform judge)": median_of(runs, lambda: timed(compile_step, project, env)),
        "upgrade --package streamlit": median_of(runs, upgrade_streamlit),
        "bare compile (both .in, warm)": median_of(runs, bare),
    }
    return figures, pins_of(shipped)


def pins_of(shipped):
    return [line.split(" ")[0] for line in shipped[LOCKS[0]].decode().splitlines() if "==" in line]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", default="3.12")
    parser.add_argument("--check-only", action="store_true", help="time only lock --check and the bare compile")
    args = parser.parse_args()
    if find_python(args.python) is None:
        sys.exit(f"error: no python{args.python} here")
    dev_venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != dev_venv.resolve():  # cookiecutter lives in the dev venv
        return subprocess.run([str(ensure_venv(dev_venv)), __file__, *sys.argv[1:]]).returncode

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bake_seconds = median_of(5, lambda: timed_bake(work))
        results = {engine: bench_engine(engine, args.python, args.runs, work, args.check_only) for engine in ENGINES}

    print(f"Python {args.python}, medians of {args.runs} runs (bake: 5), seconds\n")
    print(f"{'bake (offline, defaults)':32} {bake_seconds:10.3f}")
    print(f"\n{'':32} {'pip-tools':>10} {'uv':>10} {'ratio':>8}")
    for figure in results["pip-tools"][0]:
        slow, fast = results["pip-tools"][0][figure], results["uv"][0][figure]
        print(f"{figure:32} {slow:10.2f} {fast:10.2f} {slow / fast:7.1f}x")
    same = results["pip-tools"][1] == results["uv"][1]
    print(f"\nsame prod pins from both engines: {'yes' if same else 'NO'} ({len(results['uv'][1])} packages)")
    for engine, goal in (("pip-tools", 1.6), ("uv", 1.5)):
        figures = results[engine][0]
        bare = figures["bare compile (both .in, warm)"]
        print(f"\n{engine}: vs the two bare compiles of the same files ({bare:.2f} s), goal at most {goal}x:")
        for label in ("lock --check", "its compile step (no platform judge)"):
            seconds = figures[label]
            verdict = "meets" if seconds <= goal * bare else "MISSES"
            print(f"  {label:40} {seconds:6.2f} s = {seconds / bare:4.2f}x ({verdict})")
    return 0


def timed_bake(work):
    with tempfile.TemporaryDirectory(dir=work) as out:
        start = time.perf_counter()
        bake(out)
        return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
