"""Judge freshly compiled locks on every platform pyproject.toml names, before they are written.

`platforms` lists where developers install both locks, `deploy-platforms` where requirements.txt alone runs
([tool.pinned-streamlit] in pyproject.toml). For each, uv resolves the pinned set for that platform
(`uv pip compile --python-platform`, wheels only, so nothing is ever built here for another machine):
a package it then needs that no lock pins is named, with the .in file to add it to. Where that fails,
the index's file lists say why, for every package at once: which platforms it has no wheel for, where
it does ship, and the edit of the settings that works (drop a platform, build it from source, a bound).
"""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from invoke import Exit
from packaging.tags import compatible_tags, cpython_tags, mac_platforms
from packaging.utils import parse_wheel_filename
from packaging.version import InvalidVersion, Version

from . import index, locks
from .project import LOCK_FILES, built_from_source, refuse, run, venv_tool


def manylinux(glibc, arch):
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    return [f"manylinux_2_{m}_{arch}" for m in range(glibc, 4, -1)] + [f"{v}_{arch}" for v in legacy.values()]


@dataclass(frozen=True)
class Platform:
    target: str  # uv's --python-platform
    wheels: tuple  # the platform tags of the wheels it installs
    system: str  # sys_platform
    machine: str  # platform_machine
    env: tuple = ()  # extra variables for uv


MACOS = (("MACOSX_DEPLOYMENT_TARGET", "14.0"),)  # macOS 14 (2023) or later, as every updated Mac runs
PLATFORMS = {
    "linux-x86_64": Platform("x86_64-manylinux_2_28", tuple(manylinux(28, "x86_64")), "linux", "x86_64"),
    "linux-arm64": Platform("aarch64-manylinux_2_28", tuple(manylinux(28, "aarch64")), "linux", "aarch64"),
    "macos-arm64": Platform("aarch64-apple-darwin", tuple(mac_platforms((14, 0), "arm64")), "darwin", "arm64", MACOS),
    "macos-x86_64": Platform("x86_64-apple-darwin", tuple(mac_platforms((14, 0), "x86_64")), "darwin", "x86_64", MACOS),
    "windows-x86_64": Platform("x86_64-pc-windows-msvc", ("win_amd64",), "win32", "AMD64"),
    # Debian 11 (glibc 2.31), as Streamlit Community Cloud runs apps.
    "community-cloud": Platform("x86_64-manylinux_2_31", tuple(manylinux(31, "x86_64")), "linux", "x86_64"),
}
BUILT = "built-from-source.txt"  # uv's --override file, in the judge's scratch folder
ALTERNATIVES = {"psycopg2": "psycopg2-binary", "mysqlclient": "pymysql", "pycairo": "cairocffi"}


def chosen(settings):
    """[(setting, platform name, lock files)] to judge, or Exit naming an unknown platform."""
    jobs = []
    for key, files in (("platforms", LOCK_FILES), ("deploy-platforms", LOCK_FILES[:1])):
        for name in settings[key]:
            if name not in PLATFORMS:
                raise Exit(
                    f"error: pyproject.toml [tool.pinned-streamlit] {key} names {name!r}, which is not a platform; "
                    f"use some of {', '.join(PLATFORMS)}"
                )
            jobs.append((key, name, files))
    return jobs


def installs_on(files, platform, version):
    """True when some file of the release is a wheel `platform` installs for Python `version` ("3.12")."""
    minor = tuple(int(part) for part in version.split("."))
    tags = {*cpython_tags(minor, platforms=platform.wheels), *compatible_tags(minor, platforms=platform.wheels)}
    return any(name.endswith(".whl") and tags & parse_wheel_filename(name)[3] for name, _ in files)


def marker_holds(pin, platform, version):
    environment = {"python_version": version, "python_full_version": f"{version}.0", "sys_platform": platform.system}
    environment |= {"platform_machine": platform.machine, "os_name": "nt" if platform.system == "win32" else "posix"}
    environment |= {"platform_system": {"win32": "Windows", "darwin": "Darwin"}.get(platform.system, "Linux")}
    return pin.marker is None or pin.marker.evaluate(environment)


def resolve_for(c, scratch, name, files, version, env):
    """The pins uv needs on platform `name` to install `files` (the lock copies in `scratch`), or uv's last line."""
    platform = PLATFORMS[name]
    argv = [venv_tool("uv"), "pip", "compile", "--quiet", "--no-header", "--only-binary=:all:", "--no-config"]
    argv += [f"--python-platform={platform.target}", f"--python-version={version}", f"--override={BUILT}"]
    for offline in (["--offline"], []):  # uv's cache first, usually enough
        done = run(c, [*argv, *offline, *files], env=env | dict(platform.env), cwd=scratch, quiet=True, check=False)
        if done.ok:
            return locks.parse(done.stdout)
    lines = [line.strip() for line in (done.stderr or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"uv failed (exit {done.exited})"


def judge(c, new_locks, version, env, settings):
    """Every refusal line for `new_locks` ({lock name: text}) on the platforms of `settings` ([] when all install)."""
    jobs = chosen(settings)
    with tempfile.TemporaryDirectory(prefix="platforms-") as scratch:
        for lock in LOCK_FILES:  # no hashes: uv would ask for one of every package
            Path(scratch, lock).write_text(locks.without_hashes(new_locks[lock]))
        # What the image builds from source needs no wheel: a marker that never holds takes it out of every resolve,
        # whether a lock names it or only another package needs it.
        Path(scratch, BUILT).write_text(
            "".join(f'{name} ; python_version < "0"\n' for name in built_from_source(settings))
        )
        with ThreadPoolExecutor(len(jobs) or 1) as pool:
            results = list(pool.map(lambda job: resolve_for(c, scratch, *job[1:], version, env), jobs))
    pinned = {lock: locks.parse(new_locks[lock]) for lock in LOCK_FILES}
    problems, failed = [], []
    for (key, name, files), found in zip(jobs, results, strict=True):
        if isinstance(found, str):
            failed.append((key, name, files, found))
            continue
        have = {n for lock in files for n in pinned[lock]}
        for missing in sorted(set(found) - have):
            needers = found[missing].via
            source = "requirements.in" if needers and needers <= set(pinned[LOCK_FILES[0]]) else "requirements-dev.in"
            problems.append(
                f"error: the locks do not install on {name}: it needs {missing}, which no lock pins; "
                f"add {missing} to {source}, then `invoke lock`"
            )
    if failed:
        problems += explain(c, failed, pinned, version, env, settings)
    return problems


def explain(c, failed, pinned, version, env, settings):
    """One line per package that has no wheel for some judged platform, with the edits that would work."""
    allowed = set(built_from_source(settings))
    names = sorted({n for _, _, files, _ in failed for lock in files for n in pinned[lock]} - allowed)
    pages = index.pages(c, env, names)
    lacking = {}  # package -> {setting: [platforms]}
    for key, name, files, _ in failed:
        for lock in files:
            for package, pin in pinned[lock].items():
                release = index.release_files(pages.get(package), pin.version) if package in pages else None
                if release is not None and marker_holds(pin, PLATFORMS[name], version):
                    if not installs_on(release, PLATFORMS[name], version):
                        lacking.setdefault(package, {}).setdefault(key, []).append(name)
    lines, dropping, building = [], {}, set(allowed)
    for package, where in sorted(lacking.items()):
        pin = pinned[LOCK_FILES[0]].get(package) or pinned[LOCK_FILES[1]][package]
        release = index.release_files(pages[package], pin.version)
        ships = [p for p, platform in PLATFORMS.items() if installs_on(release, platform, version)]
        missing = sorted({p for names_ in where.values() for p in names_})
        kept = {key: [p for p in settings[key] if p not in dropped] for key, dropped in where.items()}
        ways = [f"drop {' and '.join(missing)}: {edits(kept)}"] if all(kept.values()) else []
        for key, dropped in where.items():
            dropping.setdefault(key, set()).update(dropped)
        if any(not n.endswith(".whl") for n, _ in release):
            building.add(package)
            ways.append(f"build it from source there: {edits({'build-from-source': [*sorted(allowed), package]})}")
        if other := newest_with_wheels(pages[package], missing, version):
            if Version(other) > Version(pin.version):
                ways.append(f"move it in requirements.in to a release with wheels there, such as {package}=={other}")
            else:
                ways.append(f"bound it in requirements.in: {package}<={other} has wheels there")
        if package in ALTERNATIVES:
            ways.append(f"use {ALTERNATIVES[package]} instead (the same module, built as wheels)")
        wheels = any(n.endswith(".whl") for n, _ in release)
        shipped = ", ".join(ships) or (f"none for Python {version}" if wheels else "none: it ships only an sdist")
        lines.append(
            f"error: {package} {pin.version} has no wheel for {', '.join(missing)} (it has for: {shipped}); "
            f"in pyproject.toml [tool.pinned-streamlit], " + ", or ".join(ways)
        )
    if len(lines) > 1:  # one edit for all of them, where one exists
        kept = {key: [p for p in settings[key] if p not in dropped] for key, dropped in dropping.items()}
        both = [f"drop every platform named: {edits(kept)}"] if all(kept.values()) else []
        if building == set(lacking) | allowed:
            both.append(f"build every one named from source: {edits({'build-from-source': sorted(building)})}")
        lines += [
            f"error: all of the above at once, in pyproject.toml [tool.pinned-streamlit]: {', or '.join(both)}"
        ] * bool(both)
    if not lines:  # not a missing wheel: say what uv said, per platform
        lines = [f"error: the locks do not resolve for {name}: {why}" for _, name, _, why in failed]
    return lines


def edits(table):
    """TOML lines of the settings table, as the owner would write them."""
    return "; ".join(f"{key} = {value}".replace("'", '"') for key, value in table.items())


def newest_with_wheels(page, platforms, version):
    """The newest release on `page` that has a wheel for every one of `platforms`, or None."""
    releases = set()
    for file in (page or {}).get("files", []):
        try:
            releases.add(Version(parse_wheel_filename(file["filename"])[1].public))
        except (ValueError, InvalidVersion):
            continue
    for release in sorted(releases, reverse=True):
        files = index.release_files(page, str(release), tuple(int(p) for p in version.split(".")))
        if files and all(installs_on(files, PLATFORMS[p], version) for p in platforms):
            return str(release)
    return None


def report(problems, settings):
    """Exit with the refusal lines of `judge`, or say where the locks install."""
    if problems:
        refuse(problems)
    built = f"; built from source: {', '.join(settings['build-from-source'])}" * bool(settings["build-from-source"])
    print(
        f"ok: both locks install (hashes required, wheels only) on {', '.join(settings['platforms'])}; "
        f"requirements.txt on {', '.join(settings['deploy-platforms'])}{built}"
    )
