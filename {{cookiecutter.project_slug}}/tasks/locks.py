"""Reading locks (requirements*.txt as pip-compile and uv write them) and the .in files they are compiled from.

A lock is a list of pins: `name==version [; marker] \\`, then its `--hash=sha256:...` lines, then `# via`
comments naming what needs it. The tasks and the template's own tests read locks here, with `packaging`.
Before any compile, the .in files are read too: the files they include (`-r`, `-c`), and every line a
hash-pinned lock cannot hold (a VCS checkout, an editable install, a local folder have no published hash).
"""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from invoke import Exit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .project import BUILD_LOCK, LOCKS, ROOT, refuse


@dataclass(frozen=True)
class Pin:
    name: str  # normalised: "Typing_Extensions" and "typing-extensions" are one package
    version: str
    hashes: frozenset
    via: frozenset  # normalised names of the packages that need this one
    text: str  # the pin's lines exactly as the lock has them
    marker: object = None  # packaging Marker, or None


def parse(text):
    """{normalised name: Pin} for every pin in a lock."""
    blocks = []  # [requirement, lines]
    for line in text.splitlines(keepends=True):
        item = line.strip().removesuffix("\\").strip()
        if not line[:1].isspace() and item and not item.startswith(("#", "-")):
            try:
                blocks.append([Requirement(item), [line]])
            except InvalidRequirement:
                raise Exit(
                    f"error: a lock holds {item[:80]!r}, which is not a pin (edited by hand?); restore the locks "
                    "from git (`git checkout -- requirements*.txt`), then retry"
                ) from None
        elif blocks and line[:1].isspace():
            blocks[-1][1].append(line)
    pins = {}
    for requirement, lines in blocks:
        specifiers = list(requirement.specifier)  # a lock pins each package with exactly one ==
        version = specifiers[0].version if len(specifiers) == 1 else str(requirement.url or requirement.specifier)
        items = [line.strip().rstrip("\\").strip() for line in lines[1:]]
        hashes = frozenset(item.removeprefix("--hash=") for item in items if item.startswith("--hash="))
        comments = [item.lstrip("#").split() for item in items if item.startswith("#")]
        names = [words[1:] if words[:1] == ["via"] else words for words in comments]
        via = frozenset(canonicalize_name(n[0]) for n in names if len(n) == 1 and not n[0].startswith("-"))
        name = canonicalize_name(requirement.name)
        pins[name] = Pin(name, version, hashes, via, "".join(lines), requirement.marker)
    return pins


def versions(text):
    """{normalised name: version} for every pin in a lock."""
    return {name: pin.version for name, pin in parse(text).items()}


def without_hashes(text, names=None):
    """The lock with the hashes of the named pins (default: every pin) removed; every other line byte for byte."""
    if names is not None:
        for pin in parse(text).values():
            if pin.name in names:
                text = text.replace(pin.text, without_hashes(pin.text), 1)
        return text
    kept = [line for line in text.splitlines() if not line.strip().startswith("--hash=")]
    return "".join(line.rstrip().removesuffix("\\").rstrip() + "\n" for line in kept)


def with_pins(text, wanted):
    """The lock with the pins named in `wanted` ({name: version}) set to those versions, hashes dropped."""
    for pin in parse(text).values():
        if pin.name in wanted:
            marker = f" ; {pin.marker}" if pin.marker else ""
            text = text.replace(pin.text, f"{pin.name}=={wanted[pin.name]}{marker}\n", 1)
    return text


def only_locks(files):
    """The locks among {file name: text}: requirements-build.in, compiled along with them, holds no pins."""
    return {name: text for name, text in files.items() if name != BUILD_LOCK[0]}


def change_table(old_locks, new_locks):
    """A Markdown report: per lock, a table of added, removed and changed pins (or "No pins changed.")."""
    old_locks, new_locks, lines = only_locks(old_locks), only_locks(new_locks), []
    for name in dict.fromkeys(n for n in [*old_locks, *new_locks] if old_locks.get(n) or new_locks.get(n)):
        old, new = versions(old_locks.get(name, "")), versions(new_locks.get(name, ""))
        rows = [(p, old.get(p), new.get(p)) for p in sorted(old.keys() | new.keys()) if old.get(p) != new.get(p)]
        lines.append(f"### {name}\n")
        lines += ["| package | old | new | change |", "| --- | --- | --- | --- |"] if rows else ["No pins changed."]
        for package, before, after in rows:
            change = "added" if before is None else "removed" if after is None else "changed"
            lines.append(f"| {package} | {before or ''} | {after or ''} | {change} |")
        lines.append("")
    return "\n".join(lines)


# ---- the .in files ----------------------------------------------------------------------------------

INCLUDES = {"-r": "-r", "--requirement": "-r", "-c": "-c", "--constraint": "-c"}
VCS = ("git", "hg", "svn", "bzr")


def logical_lines(text):
    """(line number, text) as pip reads them: comments dropped, backslash continuations joined."""
    pending, start = "", None
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s+)#.*$", "", raw)  # pip's rule: a # at the start or after whitespace
        start = number if start is None else start
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined, pending = (pending + line).strip(), ""
        if joined:
            yield start, joined
        start = None


def _option(tokens):
    """(option, value) for `-r x`, `-rx`, `--requirement=x`, `-e x`...; (None, None) for a requirement."""
    name, _, value = tokens[0].partition("=")
    if not name.startswith("-"):
        return None, None
    if name[:2] in ("-r", "-c", "-e") and len(name) > 2 and not name.startswith("--"):
        return name[:2], name[2:]
    return name, value or (tokens[1] if len(tokens) > 1 else "")


def unlockable(line):
    """'VCS', 'local' or None: why one requirement line has no published hash a lock could hold."""
    spec = line.split(" --", 1)[0].strip()  # per-requirement options such as --hash=... are not the requirement
    try:
        url = Requirement(spec).url or ""
    except InvalidRequirement:
        url = spec
    scheme = urlsplit(url).scheme
    if "+" in scheme and scheme.partition("+")[0] in VCS:
        return "VCS"
    if scheme == "file" or (not scheme and url and (url.startswith((".", "/", "~")) or "/" in url or "\\" in url)):
        return "local"
    return None


REFUSALS = {
    "-e": "is an editable install, which a hash-pinned lock cannot hold; remove the line and install it on top of the "
    "venv after each `invoke sync` (`python -m pip install --no-deps {line}`), or publish it and pin a release",
    "VCS": "is a VCS requirement, which a hash-pinned lock cannot hold (a checkout has no published hash); pin a "
    'release instead ("name==1.2"), or the URL of a built wheel or sdist, which the lock can hash',
    "local": "is a local folder or file, which a hash-pinned lock cannot hold (the path exists only here and its hash "
    "changes with every build); publish it (a private index works) and pin a release, or install it on top of the "
    "venv after each `invoke sync` (`python -m pip install --no-deps {line}`)",
}


def inspect(root=ROOT):
    """(refusal lines, included files relative to `root`, names the app's .in requires) for the project's .in files."""
    root = Path(root).resolve()
    refusals, included, names, seen = [], [], set(), set()
    queue = [(root / infile, infile == LOCKS[0][0]) for infile, _ in LOCKS]
    outputs = {root / outfile for _, outfile in LOCKS}
    while queue:
        path, app = queue.pop(0)
        if path in seen or path in outputs or not path.is_file():
            continue  # a lock is compiled, not read; a missing .in is the compiler's to report
        seen.add(path)
        data = path.read_bytes()  # as pip reads it: UTF-16 with a byte-order mark (a Windows `pip freeze >`), or UTF-8
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
        for number, line in logical_lines(text):
            where, shown = f"{path.relative_to(root).as_posix()} line {number}", line[:77] + "..." * (len(line) > 80)
            try:
                option, value = _option(shlex.split(line))
            except ValueError:
                option, value = _option(line.split())
            if option in ("-e", "--editable") or (option is None and unlockable(line)):
                reason = REFUSALS["-e" if option else unlockable(line)].format(line=shown)
                refusals.append(f'error: {where}: "{shown}" {reason}')
            elif option in INCLUDES and value and "://" not in value:
                target, flag = (path.parent / value).resolve(), INCLUDES[option]
                if not target.is_relative_to(root):
                    refusals.append(
                        f"error: {where}: {flag} {value} is outside the project, and locks are compiled from the "
                        "project alone; copy the file into the project and point the line at the copy"
                    )
                elif not target.is_file() and target not in outputs:
                    refusals.append(f"error: {where}: {flag} {value}: no such file; create it or remove the line")
                else:
                    included.append(target.relative_to(root).as_posix())
                    queue.append((target, app and flag == "-r"))
            elif option is None and app:
                try:
                    names.add(canonicalize_name(Requirement(line.split(" --", 1)[0]).name))
                except InvalidRequirement:
                    pass  # the compiler's own message will say what is wrong with it
    return refusals, included, names


def missing_streamlit(root=ROOT):
    """[the refusal] when requirements.in does not name streamlit (Cloud would install an unpinned one), else []."""
    if "streamlit" in inspect(root)[2] or not (Path(root) / LOCKS[0][0]).is_file():
        return []
    return [
        "error: requirements.in does not name streamlit, so the lock would pin none and Community Cloud would "
        'install an unpinned one; add a line "streamlit" (or a range such as "streamlit>=1.40,<2")'
    ]


def require_lockable(root=ROOT):
    """The files the .in files include, or Exit listing every line a lock cannot hold."""
    refusals, included, _ = inspect(root)
    if refusals:
        refuse(refusals)
    return included
