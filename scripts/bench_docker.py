#!/usr/bin/env python3
"""Measure the baked Dockerfile against Streamlit's documented single-stage one, from the same lock.

    .venv/bin/python scripts/bench_docker.py [--python 3.12]

Bakes a project, then for each Dockerfile builds it without cache (timed), changes only the app and
builds again (timed), and prints: final image size, size above the base image, the installed
site-packages (the floor: what the app's dependencies take), and both build times. The goal for the
baked Dockerfile is a size above base within 5% of its site-packages. Needs a Docker engine with the
python:X.Y-slim base image; the images it builds are removed at the end (the base is kept).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[1]

# Streamlit's "Deploy Streamlit using Docker" Dockerfile, with the app copied in instead of `git clone`d.
DOCUMENTED = """\
FROM python:{python}-slim
WORKDIR /app
RUN apt-get update && apt-get install -y \\
    build-essential \\
    curl \\
    git \\
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip3 install -r requirements.txt
EXPOSE 8501
HEALTHCHECK CMD curl --fail http://localhost:8501/_stcore/health
ENTRYPOINT ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
"""


def docker(*args, capture=True):
    result = subprocess.run(["docker", *args], check=False, capture_output=capture, text=True)
    if result.returncode:
        sys.exit(
            f"error: docker {' '.join(args[:2])} failed (exit {result.returncode})\n{result.stderr if capture else ''}"
        )
    return result.stdout


def image_size(ref):
    return json.loads(docker("image", "inspect", ref))[0]["Size"]


def timed_build(project, dockerfile, tag, python, *extra):
    start = time.monotonic()
    docker("build", *extra, "--file", dockerfile, "--tag", tag, str(project))
    return time.monotonic() - start


def du(ref, *paths):
    """Apparent size in bytes of `paths` inside image `ref` (0 for a path that does not exist)."""
    script = "import os, sys\n" \
        "def size(p):\n" \
        "    return sum(os.lstat(os.path.join(d, f)).st_size for d, _, fs in os.walk(p) for f in fs)\n" \
        "print(sum(size(p) for p in sys.argv[1:]))"  # fmt: skip
    return int(docker("run", "--rm", "--user=0", "--entrypoint=python", ref, "-c", script, *paths))


def measure(name, project, dockerfile, python, site_packages, base_site_packages):
    tag = f"bench-{name}-{uuid.uuid4().hex[:8]}"
    print(f"building {name} (no cache) ...", file=sys.stderr, flush=True)
    full = timed_build(project, dockerfile, f"{tag}:full", python, "--no-cache")
    app = project / "streamlit_app.py"
    original = app.read_text()
    app.write_text(original + 'st.caption("An app-only change.")\n')
    try:
        print(f"rebuilding {name} after an app-only change ...", file=sys.stderr, flush=True)
        rebuild = timed_build(project, dockerfile, f"{tag}:app-change", python)
    finally:
        app.write_text(original)
    size = image_size(f"{tag}:app-change")
    base = image_size(f"python:{python}-slim")
    floor = du(f"{tag}:app-change", site_packages) - du(f"python:{python}-slim", base_site_packages)
    docker("rmi", f"{tag}:full", f"{tag}:app-change")
    return {"image": size, "above base": size - base, "site-packages": floor, "full build": full, "rebuild": rebuild}


def mb(n):
    return f"{n / 1e6:,.1f} MB"


def seconds(s):
    return f"{s:.1f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="3.12", help="Python minor to bake for (default: 3.12)")
    python = parser.parse_args().python
    if subprocess.run(["docker", "info"], check=False, capture_output=True).returncode:
        sys.exit("error: no Docker engine answers (`docker info` failed)")
    dangling_before = set(docker("images", "--quiet", "--filter=dangling=true").split())

    with tempfile.TemporaryDirectory(prefix="bench-docker-") as tmp:
        project = Path(cookiecutter(str(ROOT), no_input=True, output_dir=tmp, extra_context={"python_version": python}))
        documented = Path(tmp) / "Dockerfile.streamlit-docs"
        documented.write_text(DOCUMENTED.format(python=python))
        lib = f"lib/python{python}/site-packages"
        rows = {
            "baked (multi-stage)": measure(
                "baked", project, project / "Dockerfile", python, f"/opt/venv/{lib}", "/nonexistent"
            ),
            "Streamlit docs (single-stage)": measure(
                "docs", project, documented, python, f"/usr/local/{lib}", f"/usr/local/{lib}"
            ),
        }

    # Builder-stage images left dangling by these builds go too (anything dangling before is kept).
    leftovers = set(docker("images", "--quiet", "--filter=dangling=true").split()) - dangling_before
    if leftovers:
        subprocess.run(["docker", "rmi", *leftovers], check=False, capture_output=True)

    lines = [
        ("final image", "image", mb),
        ("above the base image", "above base", mb),
        ("installed site-packages (floor)", "site-packages", mb),
        ("above base / floor", None, None),
        ("full build, no cache", "full build", seconds),
        ("rebuild after an app-only change", "rebuild", seconds),
    ]
    names = list(rows)
    width = max(len(label) for label, *_ in lines)
    print(f"Python {python}, python:{python}-slim = {mb(image_size(f'python:{python}-slim'))}")
    print(f"| {'':{width}} | " + " | ".join(f"{n:>29}" for n in names) + " |")
    print(f"| {'-' * width} | " + " | ".join("-" * 28 + ":" for _ in names) + " |")
    for label, key, fmt in lines:
        if key is None:
            cells = [f"{rows[n]['above base'] / rows[n]['site-packages']:.1%}" for n in names]
        else:
            cells = [fmt(rows[n][key]) for n in names]
        print(f"| {label:{width}} | " + " | ".join(f"{c:>29}" for c in cells) + " |")
    ratio = rows[names[0]]["above base"] / rows[names[0]]["site-packages"]
    print(f"goal (baked: above base within 5% of site-packages): {'met' if ratio <= 1.05 else 'NOT met'} ({ratio:.1%})")


if __name__ == "__main__":
    main()
