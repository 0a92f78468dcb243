"""Which committed hashes pip-compile may reuse: those the package index confirms, pin by pin.

pip-compile keeps the hashes a lock already holds (`--reuse-hashes`, its default), so a wrong or
missing hash would survive a compile; fetching every hash anew (`--no-reuse-hashes`) is safe but
takes one round trip per package, one after another. Instead, before a pip-tools compile, every
pin's hash set is compared with the index's set for that release, all pins at once, and only the
pins whose set differs lose their hashes in the scratch copy: pip-compile fetches exactly those, so
the result is what `--no-reuse-hashes` would write, and `invoke lock --check` shows any difference
as a diff.

The index is read the way pip-compile reads it: pip's configuration, session and cache come from
pip-tools' own repository. When that configuration adds sources this module does not model (find-links,
a non-HTTP index, --only-binary/--no-binary, --uploaded-prior-to), each pin is checked with
pip-tools' own `get_hashes`, which is exact but slower.
"""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from . import lockfile

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"  # the index's JSON project page (PEP 691)
WORKERS = 8  # below the HTTP session's pool of 10 connections per host


# ---- pure parts: unit-tested without a network -------------------------------------------------


def release_hashes(page, version, python=sys.version_info[:3]):
    """{"sha256:..."} of the files of `version` on one JSON project page, as pip-compile would list them.

    Files count as pip's finder counts them for a pinned release: wheels for any platform, sdists,
    yanked files too, unless their requires-python excludes `python`. None when the page leaves it
    open (a file of this version without a sha256, or with a name this function cannot read): the
    caller then treats the pin as unconfirmed.
    """
    wanted = Version(version)
    running = Version(".".join(map(str, python)))
    found = set()
    for file in page.get("files", []):
        filename = file.get("filename", "")
        try:
            if filename.endswith(".whl"):
                file_version = parse_wheel_filename(filename)[1]
            elif filename.endswith((".tar.gz", ".zip")):
                file_version = parse_sdist_filename(filename)[1]
            else:
                file_version = None  # eggs, installers and other archives pip does not take
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
            if f"-{version}" in filename:
                return None  # maybe a file of this release that pip reads differently: do not guess
            continue
        if file_version is None:
            if f"-{version}." in filename and filename.endswith((".tar.bz2", ".tar.xz", ".tgz", ".tar")):
                return None  # an sdist format pip accepts and packaging does not parse
            continue
        if file_version != wanted:
            continue
        requires = file.get("requires-python")
        try:
            if requires and running not in SpecifierSet(requires):
                continue
        except InvalidSpecifier:
            pass  # pip ignores a requires-python it cannot parse
        sha256 = (file.get("hashes") or {}).get("sha256")
        if not sha256:
            return None
        found.add(f"sha256:{sha256}")
    return found


def pins_of(locks):
    """{(name, version): set of committed hashes} over all locks, and the names whose version is not a plain ==."""
    pins, unpinned = {}, set()
    for text in locks.values():
        for name, pin in lockfile.parse(text).items():
            try:
                Version(pin.version)
            except InvalidVersion:
                unpinned.add(name)  # a URL or other non-== requirement: nothing to compare with
                continue
            pins.setdefault((name, pin.version), set()).update(pin.hashes)
    return pins, unpinned


def unconfirmed(locks, index):
    """Names of the pins whose committed hashes differ from `index` {(name, version): set or None}."""
    pins, unpinned = pins_of(locks)
    stale = {name for (name, version), hashes in pins.items() if index.get((name, version)) != hashes}
    return stale | unpinned


def without_hashes_of(text, names):
    """The lock with the hashes of the named pins removed; every other line byte for byte."""
    for name, pin in lockfile.parse(text).items():
        if name in names:
            text = text.replace(pin.text, lockfile.without_hashes(pin.text), 1)
    return text


# ---- the index -----------------------------------------------------------------------------------


def _repository(environ=None):
    """pip-tools' repository over pip's configuration (indexes, certificates, cache) as the compile sees it.

    pip reads its configuration from the environment while the repository is built, so it is built
    under `environ`, the compile's own environment (machine-local sources already left out).
    """
    from piptools.locations import CACHE_DIR
    from piptools.repositories import PyPIRepository

    saved = dict(os.environ)
    try:
        if environ is not None:
            os.environ.clear()
            os.environ.update(environ)
        return PyPIRepository([], CACHE_DIR)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _fast_path_fits(repository):
    options, scope = repository.options, repository.finder.search_scope
    plain_indexes = all(url.startswith(("https://", "http://")) for url in scope.index_urls)
    same_files = not (options.format_control.no_binary or options.format_control.only_binary)
    return plain_indexes and not scope.find_links and same_files and not getattr(options, "uploaded_prior_to", None)


def _from_pages(repository, name, version):
    """The index's hash set of one release, read from each index's JSON project page."""
    found = set()
    for index_url in repository.finder.search_scope.index_urls:
        response = repository.session.get(
            f"{index_url.rstrip('/')}/{canonicalize_name(name)}/",
            headers={"Accept": SIMPLE_JSON, "Cache-Control": "max-age=0"},  # as pip asks: revalidate, never stale
        )
        if response.status_code == 404:
            continue
        response.raise_for_status()
        if not response.headers.get("Content-Type", "").startswith(SIMPLE_JSON):
            return _from_tool(repository, name, version)  # an HTML-only index: let pip-tools read it
        hashes = release_hashes(response.json(), version)
        if hashes is None:
            return _from_tool(repository, name, version)
        found |= hashes
    return found


def _from_tool(repository, name, version):
    from pip._internal.req.constructors import install_req_from_line

    return repository.get_hashes(install_req_from_line(f"{name}=={version}"))


def index_hashes(keys, repository):
    """{(name, version): the index's hash set, or None where it could not be read} for every key, concurrently."""
    read = _from_pages if _fast_path_fits(repository) else _from_tool

    def one(key):
        try:
            return key, read(repository, *key)
        except Exception:  # unreachable index, odd page: unconfirmed, so pip-compile fetches it and reports
            return key, None

    with repository.allow_all_wheels(), ThreadPoolExecutor(WORKERS) as pool:  # every platform's files, as pip-compile
        return dict(pool.map(one, keys))


def _pip_tools_here():
    try:
        import piptools.repositories  # noqa: F401
    except ImportError:
        return False
    return True


def scratch_locks(locks, verify=True, environ=None):
    """{lock name: text} for the compile's scratch copy: every pin kept; of the hashes, only those the index confirms.

    With `verify` (pip-tools), every pin's hash set is read from the index at once and compared; the
    pins whose set differs lose their hashes, so pip-compile (reusing the rest) fetches exactly those.
    Without `verify` (uv, which reuses any hash it is given; a full upgrade; an interpreter of another
    minor than the target, whose requires-python would pick other files) or without pip-tools here,
    every hash goes: slower, same result.
    """
    if not (verify and _pip_tools_here()):
        return {name: lockfile.without_hashes(text) for name, text in locks.items()}
    keys = list(pins_of(locks)[0])
    try:
        found = index_hashes(keys, _repository(environ))
    except Exception:  # nothing confirmed: pip-compile fetches every hash anew and reports what it meets
        found = {}
    stale = unconfirmed(locks, found)
    if stale:
        print(
            f"hashes: {len(stale)} of {len(keys)} pins' hashes differ from the index; fetching those anew", flush=True
        )
    else:
        print(f"hashes: all {len(keys)} pins' hashes match the index", flush=True)
    return {name: without_hashes_of(text, stale) for name, text in locks.items()}
