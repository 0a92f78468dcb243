"""The upgrade cooldown: take only releases that have been public for some days.

A hijacked maintainer account publishes a malicious release that lives on the index for minutes
to hours; an upgrade that waits a week never sees it. Both engines filter by upload time, given
here as one absolute cutoff so that both locks of an upgrade see the same index:
uv reads UV_EXCLUDE_NEWER, pip (inside pip-tools' resolver) reads PIP_UPLOADED_PRIOR_TO. Passed
as environment variables, never as options, so the lock headers (the commands bots re-run) stay
exactly what `invoke lock` writes. `invoke lock` itself has no cooldown: a pin younger than the
window, moved on purpose, stays valid.
"""

from datetime import UTC, datetime, timedelta

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from . import lockfile

DEFAULT_DAYS = 7
VARIABLE = {"uv": "UV_EXCLUDE_NEWER", "pip-tools": "PIP_UPLOADED_PRIOR_TO"}


def cutoff(days, now=None):
    """The newest upload time allowed ("2026-11-19T08:50:00Z"), or None when `days` is 0 (no cooldown)."""
    if days == 0:
        return None
    moment = (now or datetime.now(UTC)) - timedelta(days=days)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def compiler_env(engine, cut):
    """The variables that make `engine` ignore files uploaded after `cut` ({} without a cooldown)."""
    return {VARIABLE[engine]: cut} if cut else {}


def _older(a, b):
    try:
        return Version(a) < Version(b)
    except InvalidVersion:
        return False


def moved_back(old_locks, new_locks):
    """{lock name: {package: old version}} for pins the compile moved to an older version."""
    back = {}
    for name, text in new_locks.items():
        old = lockfile.versions(old_locks.get(name, ""))
        for package, version in lockfile.versions(text).items():
            if package in old and _older(version, old[package]):
                back.setdefault(name, {})[package] = old[package]
    return back


def with_pins(text, wanted):
    """The lock text with the pins named in `wanted` ({package: version}) set to those versions."""
    lines = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip().removesuffix("\\").strip()
        if line[:1].isspace() or not stripped or stripped.startswith(("#", "-")):
            lines.append(line)
            continue
        requirement = Requirement(stripped)
        version = wanted.get(canonicalize_name(requirement.name))
        if version is None:
            lines.append(line)
            continue
        marker = f" ; {requirement.marker}" if requirement.marker else ""
        tail = " \\\n" if line.rstrip().endswith("\\") else "\n"
        lines.append(f"{requirement.name}=={version}{marker}{tail}")
    return "".join(lines)


def describe(days, cut, held):
    """The first lines of the upgrade's report: which cooldown applied, and the pins it held."""
    if cut is None:
        lines = ["Cooldown: none (`--cooldown-days 0`): releases of any age were taken."]
    else:
        lines = [f"Cooldown: {days} days: only releases uploaded before {cut} were taken."]
    kept = sorted({(package, version) for packages in held.values() for package, version in packages.items()})
    if kept:
        names = ", ".join(f"{package} {version}" for package, version in kept)
        lines.append(f"Held (younger than the cooldown, already locked, so never moved back): {names}.")
    return "\n".join(lines) + "\n"


def upgrade_locks(old_locks, engine, days, upgrade=True, packages=()):
    """Compile the upgrade under the cooldown; returns (new locks, the report's cooldown lines).

    A pin the owner moved on purpose (`--cooldown-days 0`) may be younger than the window; the
    cooldown compile cannot see it and would move it back. Those pins are put back and both locks
    compiled once more from that result without the filter (every other pin is kept as it is).
    """
    from . import compiling

    cut = cutoff(days)
    env = compiler_env(engine, cut)
    for variable, value in env.items():  # the header must not record it, so it is not on the command line
        print(f"cooldown: {variable}={value} ({days} days)", flush=True)
    if engine == "pip-tools" and packages and cut:
        # pip applies the filter to every package, so a partial upgrade under it would have to move back
        # each young pin it keeps (and backtracks far doing so). Instead, learn the newest release of each
        # named package the window allows from a full upgrade under the filter, then move only those.
        allowed = {}
        for text in compiling.compile_locks(upgrade=True, env=env).values():
            allowed.update(lockfile.versions(text))
        targets = [f"{name}=={allowed[canonicalize_name(name)]}" if canonicalize_name(name) in allowed else name
                   for name in packages]  # fmt: skip
        return compiling.compile_locks(packages=targets), describe(days, cut, {})
    new = compiling.compile_locks(upgrade=upgrade, packages=packages, env=env)
    held = moved_back(old_locks, new) if cut else {}
    if held:
        names = ", ".join(sorted({package for packages in held.values() for package in packages}))
        print(f"note: keeping {names} (younger than the cooldown, already locked); compiling again with those pins")
        start = {
            name: with_pins(text, {p: v for pins in held.values() for p, v in pins.items()})
            for name, text in new.items()
        }
        new = compiling.compile_locks(start=start)
    return new, describe(days, cut, held)
