"""The Dockerfile's base image, pinned by digest: read it, resolve the current digest, write it.

The base is the default of `ARG BASE_IMAGE=...` in the Dockerfile, the one base of every stage.
Pinned, it reads `python:3.12-slim@sha256:<digest>`: the tag for people and Renovate, the digest
for the bytes. The digest comes from your own Docker engine (`docker pull`, then the digest the
registry reported), never from the template: a digest nobody verified is never written.
"""

import json
import os
import subprocess

from invoke import Exit

from .project import ROOT, python_version

DOCKERFILE = ROOT / "Dockerfile"
PREFIX = "ARG BASE_IMAGE="


def default_reference(path=DOCKERFILE):
    """What `invoke pin-base-image` resolves without --image: the slim image of .python-version, from the
    repository the Dockerfile names now (so a project pinned once from a mirror keeps its mirror)."""
    repository = split(current(path))[0] if path.exists() else "python"
    return f"{repository}:{python_version()}-slim"


def current(path=DOCKERFILE):
    """The default of `ARG BASE_IMAGE=` in the Dockerfile."""
    for line in path.read_text().splitlines():
        if line.startswith(PREFIX):
            return line.removeprefix(PREFIX).strip()
    raise Exit(
        f"error: {path.name} has no `{PREFIX}...` line; restore it from git (or from the template), then retry", 1
    )


def is_pinned(reference):
    return "@sha256:" in reference


def split(reference):
    """(repository, tag or None) of a reference such as 127.0.0.1:5000/python:3.12-slim@sha256:..."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        repository, tag = name.rsplit(":", 1)
        return repository, tag
    return name, None


def resolve(reference):
    """`repository:tag@sha256:<digest>` for `reference`, from the engine after a `docker pull`."""
    print(f"+ docker pull {reference}", flush=True)
    pulled = subprocess.run(["docker", "pull", reference], capture_output=True, text=True)
    if pulled.returncode:
        why = (pulled.stderr or pulled.stdout).strip().splitlines()[-1:] or ["no message"]
        raise Exit(
            f"error: `docker pull {reference}` failed ({why[0]}); check the name and the registry, then retry", 1
        )
    found = subprocess.run(["docker", "image", "inspect", reference], capture_output=True, text=True)
    digests = (json.loads(found.stdout)[0].get("RepoDigests") or []) if found.returncode == 0 else []
    repository, tag = split(reference)
    wanted = [
        d for d in digests if d.split("@", 1)[0] in (repository, f"docker.io/{repository}", f"library/{repository}")
    ]
    if not wanted:
        raise Exit(
            f"error: the engine reports no registry digest for {reference} (a local build has none); "
            "push it to a registry and pass that reference with --image",
            1,
        )
    return f"{repository}:{tag or 'latest'}@{wanted[0].split('@', 1)[1]}"


def write(reference, path=DOCKERFILE):
    """Set the Dockerfile's `ARG BASE_IMAGE=` default to `reference` (atomically); returns the old value."""
    old = current(path)
    lines = path.read_text().splitlines(keepends=True)
    text = "".join(f"{PREFIX}{reference}\n" if line.startswith(PREFIX) else line for line in lines)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text)
    os.replace(tmp, path)
    return old


def unpinned_warning(path=DOCKERFILE):
    """A warning line when the Dockerfile's base is not pinned by digest, else None."""
    if path.exists() and not is_pinned(current(path)):
        return (
            f"warning: the base image {current(path)} is not pinned by digest, so a rebuild may start from other "
            "bytes; run `invoke pin-base-image` and commit the Dockerfile"
        )
    return None
