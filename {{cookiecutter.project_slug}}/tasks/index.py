"""The package index, read through its standard JSON API (PEP 691): the files of each pinned release.

When a lock does not install somewhere, these file lists say why for every package at once: which
platforms a release has wheels for. The indexes are the compile's own, as uv lists them for the
compile's environment (`--emit-index-url`): no address is written here, and a company index is read
the same way. After a failed compile, one request tells whether the index could be reached at all.
"""

import base64
import hashlib
import io
import json
import os
import socket
import ssl
import tarfile
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit, urlunsplit

from invoke import Exit
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from .project import run, venv_tool

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"


def index_urls(c, env):
    """The indexes a compile in `env` reads, the default first, as uv itself lists them."""
    argv = [venv_tool("uv"), "pip", "compile", "--quiet", "--no-header", "--emit-index-url", os.devnull]
    listed = run(c, argv, env=env, quiet=True, check=False).stdout.split()
    return [url for option, url in zip(listed, listed[1:], strict=False) if option.endswith("index-url")]


def _request(url, method="GET", **headers):
    """A request for `url`, its credentials (https://user:token@host/...) sent as a Basic auth header."""
    parts = urlsplit(url)
    if parts.username:
        token = base64.b64encode(f"{parts.username}:{parts.password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        url = urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))
    return urllib.request.Request(url, method=method, headers=headers)


def project_page(indexes, name, attempts=3):
    """The JSON project page of `name` from the first index that has it; None where none does (or serves no JSON).

    A failed request is tried again, as pip and uv do: one dropped connection must not leave a package unexplained.
    """
    for url in indexes:
        request = _request(f"{url.rstrip('/')}/{name}/", Accept=SIMPLE_JSON)
        for attempt in range(1, attempts + 1):
            try:
                with urllib.request.urlopen(request, timeout=30) as got:
                    return json.load(got) if got.headers.get_content_type() == SIMPLE_JSON else None
            except (OSError, ValueError) as error:
                if isinstance(error, urllib.error.HTTPError) and error.code == 404:
                    break  # only this index does not have it
                if attempt == attempts or isinstance(error, ValueError):
                    return None
                time.sleep(attempt)
    return None


def pages(c, env, names):
    """{name: JSON page or None} for every name, read concurrently from the compile's indexes."""
    indexes = index_urls(c, env)
    with ThreadPoolExecutor(8) as pool:
        return dict(zip(names, pool.map(lambda name: project_page(indexes, name), names), strict=True))


def release_files(page, version, python=None):
    """[(filename, "sha256:...")] of `version` on a JSON page (wheels and sdists); None without a page.

    With `python` (a version tuple), files whose requires-python excludes it are left out, as pip does.
    """
    try:
        wanted = Version(version)
    except InvalidVersion:
        return None  # a URL pin (name @ https://...): no release on a page to read
    if page is None:
        return None
    found = []
    for file in page.get("files", []):
        name = file.get("filename", "")
        try:
            parsed = parse_wheel_filename(name) if name.endswith(".whl") else parse_sdist_filename(name)
            requires = SpecifierSet(file.get("requires-python") or "")
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion, InvalidSpecifier):
            continue  # eggs, installers, names pip reads differently: not what a lock pins
        if parsed[1] == wanted and not (python and Version(".".join(map(str, python))) not in requires):
            found.append((name, f"sha256:{(file.get('hashes') or {}).get('sha256', '')}"))
    return found


def build_requires(indexes, pin):
    """The `[build-system] requires` of the sdist that `pin` (a locks.Pin) holds the hash of, from the first of
    `indexes` that lists it. An sdist without the table builds with setuptools, as pip and uv build it.
    """
    for url in indexes:
        page = project_page([url], pin.name) or {}
        for file in page.get("files", []):
            name, sha256 = file.get("filename", ""), (file.get("hashes") or {}).get("sha256", "")
            if name.endswith((".tar.gz", ".zip")) and f"sha256:{sha256}" in pin.hashes:
                address = urljoin(f"{url.rstrip('/')}/{pin.name}/", file["url"])
                try:
                    with urllib.request.urlopen(_request(address), timeout=60) as got:
                        data = got.read()
                except OSError as error:
                    raise Exit(f"error: could not download {name} ({error}); check the network, then retry") from None
                if hashlib.sha256(data).hexdigest() != sha256:
                    raise Exit(f"error: {name} from the index does not match its hash in the lock; retry later")
                if name.endswith(".zip"):
                    names, read = (archive := zipfile.ZipFile(io.BytesIO(data))).namelist(), archive.open
                else:
                    names, read = (archive := tarfile.open(fileobj=io.BytesIO(data))).getnames(), archive.extractfile
                top = [n for n in names if n.count("/") == 1 and n.endswith("/pyproject.toml")]
                table = tomllib.loads(read(top[0]).read().decode()) if top else {}
                return table.get("build-system", {}).get("requires", ["setuptools>=40.8.0"])
    raise Exit(
        f"error: build-from-source names {pin.name}, but no index lists an sdist of {pin.name} {pin.version} "
        "(in its JSON pages); remove it from build-from-source in pyproject.toml [tool.pinned-streamlit]"
    )


def connection_problem(url):
    """Why `url` cannot be connected to, or None when something answered (any HTTP answer, even an error)."""
    for attempt in range(3):
        try:
            with urllib.request.urlopen(_request(url, "HEAD"), timeout=10):
                return None
        except urllib.error.HTTPError:
            return None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, socket.gaierror) and reason.errno == socket.EAI_AGAIN and attempt < 2:
                time.sleep(attempt + 1)  # a busy resolver: ask again before giving up
                continue
            if isinstance(reason, ssl.SSLError) or not isinstance(reason, OSError):
                return None  # something answered; the compiler will say what it thinks of it
            return reason.strerror or str(reason)
        except OSError as error:
            return error.strerror or str(error) or type(error).__name__


def require_reachable(c, env):
    """Exit with one line when the compile's first index cannot be reached (asked after a compile failed)."""
    urls = index_urls(c, env)
    if urls and urls[0].startswith(("http://", "https://")) and (problem := connection_problem(urls[0])):
        parts = urlsplit(urls[0])
        shown = urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", ""))
        proxy = " or the proxy (HTTPS_PROXY)" if any(k.lower() == "https_proxy" for k in env) else ""
        raise Exit(
            f"error: the package index {shown} could not be reached ({problem}); check the network "
            f"connection{proxy}, then retry; the locks are unchanged"
        )
