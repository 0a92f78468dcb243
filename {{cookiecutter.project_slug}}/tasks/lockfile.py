"""The one reader of lock files (requirements*.txt as pip-compile and uv write them).

A lock is a list of pins: `name==version [; marker] \\`, then its `--hash=sha256:...` lines, then
`# via` comments naming what needs it. The tasks and the template's own tests read locks here.
"""

from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Pin:
    name: str  # normalised: "Typing_Extensions" and "typing-extensions" are one package
    version: str
    hashes: frozenset
    via: frozenset  # normalised names of the packages that need this one
    text: str  # the pin's lines exactly as the lock has them


def _requirement(line):
    """The Requirement on a pin's first line, or None for comments, options and blank lines."""
    line = line.strip().removesuffix("\\").strip()
    if not line or line.startswith(("#", "-")):
        return None
    return Requirement(line)


def parse(text):
    """{normalised name: Pin} for every pin in a lock."""
    blocks = []  # [requirement, lines]
    for line in text.splitlines(keepends=True):
        requirement = None if line[:1].isspace() else _requirement(line)
        if requirement is not None:
            blocks.append([requirement, [line]])
        elif blocks and line[:1].isspace():
            blocks[-1][1].append(line)
    pins = {}
    for requirement, lines in blocks:
        specifiers = list(requirement.specifier)  # a lock pins each package with exactly one ==
        version = specifiers[0].version if len(specifiers) == 1 else str(requirement.url or requirement.specifier)
        hashes, via = set(), set()
        for line in lines[1:]:
            item = line.strip().rstrip("\\").strip()
            if item.startswith("--hash="):
                hashes.add(item.removeprefix("--hash="))
            elif item.startswith("#"):
                words = item.lstrip("#").split()
                names = words[1:] if words[:1] == ["via"] else words
                if len(names) == 1 and not names[0].startswith("-"):
                    via.add(canonicalize_name(names[0]))
        name = canonicalize_name(requirement.name)
        pins[name] = Pin(name, version, frozenset(hashes), frozenset(via), "".join(lines))
    return pins


def versions(text):
    """{normalised name: version} for every pin in a lock."""
    return {name: pin.version for name, pin in parse(text).items()}


def without_hashes(text):
    """The lock with every hash removed (pins and comments kept), so the compiler must fetch them anew."""
    kept = [line for line in text.splitlines() if not line.strip().startswith("--hash=")]
    return "".join(line.rstrip().removesuffix("\\").rstrip() + "\n" for line in kept)


def changes(old_text, new_text):
    """[(name, old version or None, new version or None)] for every pin that differs, by name."""
    old, new = versions(old_text), versions(new_text)
    return [
        (name, old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def change_table(old_locks, new_locks):
    """A Markdown report: per lock, a table of added, removed and changed pins (or "No pins changed.")."""
    lines = []
    for name in old_locks:
        rows = changes(old_locks[name], new_locks[name])
        lines.append(f"### {name}\n")
        if rows:
            lines += ["| package | old | new | change |", "| --- | --- | --- | --- |"]
            for package, before, after in rows:
                change = "added" if before is None else "removed" if after is None else "changed"
                lines.append(f"| {package} | {before or ''} | {after or ''} | {change} |")
        else:
            lines.append("No pins changed.")
        lines.append("")
    return "\n".join(lines)
