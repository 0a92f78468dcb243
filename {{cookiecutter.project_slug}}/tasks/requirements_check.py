"""What the .in files ask for, read before any compile: the files they include, and what a lock cannot hold.

A hash-pinned lock holds releases (or archives at a URL) whose files have a published hash. A VCS
checkout, an editable install or a local folder has none, and `pip install --require-hashes` would
then refuse the lock the compile wrote; so these are refused here, before anything runs, with what
works instead. `-r other.in` and `-c constraints.txt` are followed (they must be inside the
project, which is what the compile copies) and their files returned, so that the compile sees them.
"""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from invoke import Exit
from packaging.requirements import InvalidRequirement, Requirement

from .project import LOCKS, ROOT

VCS = ("git", "hg", "svn", "bzr")
INCLUDES = {"-r": "-r", "--requirement": "-r", "-c": "-c", "--constraint": "-c"}
EDITABLE = ("-e", "--editable")
_COMMENT = re.compile(r"(^|\s+)#.*$")
_OPTIONS = re.compile(r"\s+--?[a-z][a-z-]*(=|\s|$).*$")  # per-requirement options: --hash=..., --config-settings


def logical_lines(text):
    """(line number, text) as pip reads them: comments dropped, backslash continuations joined."""
    pending, start = "", None
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw)
        if start is None:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined, pending = (pending + line).strip(), ""
        if joined:
            yield start, joined
        start = None
    if pending.strip():
        yield start, pending.strip()


def _option(tokens):
    """(option, value) for `-r x`, `-rx`, `--requirement=x`, `-e x`...; (None, None) for a requirement."""
    first = tokens[0]
    if not first.startswith("-"):
        return None, None
    name, _, value = first.partition("=")
    for short in ("-r", "-c", "-e"):
        if name.startswith(short) and len(name) > 2 and not name.startswith("--"):
            return short, name[2:]
    return name, value or (tokens[1] if len(tokens) > 1 else "")


def what_cannot_be_locked(line):
    """'VCS', 'local' or None for one requirement line."""
    spec = _OPTIONS.sub("", line).strip()
    scheme = urlsplit(spec)
    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        if scheme.scheme.partition("+")[0] in VCS and "+" in scheme.scheme:
            return "VCS"
        if scheme.scheme == "file":
            return "local"
        if "://" in spec:
            return None  # an archive URL: the tool hashes it, or says what is wrong
        if (
            spec.startswith((".", "/", "~"))
            or "/" in spec
            or "\\" in spec
            or spec.endswith((".whl", ".zip", ".tar.gz"))
        ):
            return "local"
        return None  # not a requirement we understand: the compiler's own message will say why
    if requirement.url:
        url = urlsplit(requirement.url)
        if "+" in url.scheme and url.scheme.partition("+")[0] in VCS:
            return "VCS"
        if url.scheme == "file":
            return "local"
    return None


def _refusal(where, line, kind):
    shown = line if len(line) <= 80 else line[:77] + "..."
    if kind == "editable":
        return (
            f'error: {where}: "{shown}" is an editable install, which a hash-pinned lock cannot hold; remove the line '
            f"and install it on top of the venv after each `invoke sync` (`python -m pip install --no-deps {shown}`), "
            "or publish it and pin a release"
        )
    if kind == "VCS":
        return (
            f'error: {where}: "{shown}" is a VCS requirement, which a hash-pinned lock cannot hold (a checkout has no '
            'published hash); pin a release instead ("name==1.2"), or the URL of a built wheel or sdist, which the '
            "lock can hash"
        )
    return (
        f'error: {where}: "{shown}" is a local folder or file, which a hash-pinned lock cannot hold (the path exists '
        "only here and its hash changes with every build); publish it (a private index works) and pin a release, "
        f"or install it on top of the venv after each `invoke sync` (`python -m pip install --no-deps {shown}`)"
    )


def inspect(root=ROOT):
    """(refusals, included files) for the project's .in files: `error:` lines, and paths relative to `root`."""
    root = Path(root).resolve()
    refusals, included, seen = [], [], set()
    queue = [root / infile for infile, _ in LOCKS]
    outputs = {root / outfile for _, outfile in LOCKS}
    while queue:
        path = queue.pop(0)
        if path in seen or path in outputs or not path.is_file():
            continue  # a lock is compiled, not read; a missing .in is the compiler's to report
        seen.add(path)
        name = path.relative_to(root).as_posix()
        for number, line in logical_lines(path.read_text(encoding="utf-8")):
            where = f"{name} line {number}"
            try:
                tokens = shlex.split(line)
            except ValueError:
                tokens = line.split()
            option, value = _option(tokens)
            if option in EDITABLE:
                refusals.append(_refusal(where, line, "editable"))
            elif option in INCLUDES and value and "://" not in value:
                target = (path.parent / value).resolve()
                flag = INCLUDES[option]
                if not target.is_relative_to(root):
                    refusals.append(
                        f"error: {where}: {flag} {value} is outside the project, and locks are compiled from the "
                        "project alone; copy the file into the project and point the line at the copy"
                    )
                elif not target.is_file() and target not in outputs:
                    refusals.append(
                        f"error: {where}: {flag} {value}: no such file ({target.relative_to(root).as_posix()}); "
                        "create it or remove the line"
                    )
                else:
                    included.append(target.relative_to(root).as_posix())
                    queue.append(target)
            elif option is None and (kind := what_cannot_be_locked(line)):
                refusals.append(_refusal(where, line, kind))
    return refusals, included


def require_lockable(root=ROOT):
    """The files the .in files include (relative paths), or Exit listing every line a lock cannot hold."""
    refusals, included = inspect(root)
    if refusals:
        raise Exit("\n".join([*refusals[:-1], refusals[-1] + "; the locks are unchanged"]), 1)
    return included
