"""build-from-source: a package with no wheel is built from its sdist in the image's builder, with build tools
pinned by hash in a third lock (requirements-build.txt); neither a compiler nor those tools reach the runtime.

docopt 0.6.2 ships an sdist only, with no [build-system] table, so it builds with setuptools. attrs, which
the app's lock pins anyway, builds with hatchling, which needs packaging: a package both locks pin.
"""

import json
import re
import tomllib

import pytest
from devenv import public_index_env
from helpers import DEFAULT_PYTHON, LOCK_TOOLS, bake, baked_tasks, digest, flip_hash, run
from invoke import Context, Exit
from packaging.utils import canonicalize_name
from test_docker import COMPILERS, build, remove_images, unique_tag

DOCOPT = "docopt==0.6.2 \\\n    --hash=sha256:49b3a825280bd66b3aa83585ef59c4a8c82f2c8a522dbe754a8bc8d08c85c491\n"
IDNA = (  # its sdist's hash, then its wheel's; the sdist builds with flit_core
    "idna==3.10 \\\n    --hash=sha256:12f65c9b470abda6dc35cf8e63cc574b1c52b11df2c86030af0ac09b01b13ea9 \\\n"
    "    --hash=sha256:946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3\n"
)
ARG = 'ARG BUILD_FROM_SOURCE="docopt"'
LOCK_OK = "ok: requirements.txt and requirements-dev.txt are exactly what `invoke lock` writes"
BUILD_LOCK_OK = (
    "ok: requirements.txt, requirements-dev.txt, requirements-build.in and requirements-build.txt are exactly what "
    "`invoke lock` writes"
)
UNPINNED = "-c requirements.txt\nsetuptools>=40.8.0  # docopt\n"  # held to the app's pins, as the dev lock is


def pin(text):
    (found,) = baked_tasks.locks.parse(text).values()
    return found


def index_env():
    return public_index_env() | {"UV_NO_CONFIG": "1"}


def allow_docopt(project, dockerfile=True, also=()):
    """docopt in requirements.in and build-from-source (with the packages `also`), and (with `dockerfile`) the
    Dockerfile's ARG to match."""
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "docopt\n")
    set_build_from_source(project, ["docopt", *also])
    if dockerfile:
        set_build_arg(project, f'ARG BUILD_FROM_SOURCE="{" ".join(["docopt", *also])}"')


def set_build_from_source(project, names):
    pyproject = project / "pyproject.toml"
    text = re.sub(r"(?m)^build-from-source = .*$", f"build-from-source = {json.dumps(names)}", pyproject.read_text())
    pyproject.write_text(text)
    assert tomllib.loads(pyproject.read_text())["tool"]["pinned-streamlit"]["build-from-source"] == names


def set_build_arg(project, line):
    path = project / "Dockerfile"
    path.write_text(re.sub(r"(?m)^ARG BUILD_FROM_SOURCE=.*$", line, path.read_text()))


def test_the_build_requirements_come_from_the_very_sdist_the_lock_holds_the_hash_of():
    indexes = baked_tasks.index.index_urls(Context(), index_env())  # the public index, as a compile lists it
    assert baked_tasks.index.build_requires(indexes, pin(DOCOPT)) == ["setuptools>=40.8.0"]
    assert baked_tasks.index.build_requires(indexes, pin(IDNA)) == ["flit_core >=3.2,<4"]

    wheel_only = IDNA.replace(IDNA.split("--hash=")[1].split()[0], "sha256:" + "0" * 64)
    with pytest.raises(Exit) as refused:
        baked_tasks.index.build_requires(indexes, pin(wheel_only))
    assert str(refused.value.message).startswith("error: build-from-source names idna, but no index lists an sdist")
    assert "remove it from build-from-source in pyproject.toml" in refused.value.message


def test_a_dockerfile_that_builds_other_packages_than_build_from_source_is_named_with_the_edit(tmp_path):
    project = bake(tmp_path)
    assert baked_tasks.container.disagreements(DEFAULT_PYTHON, root=project) == []
    allow_docopt(project, dockerfile=False)
    (line,) = baked_tasks.container.disagreements(DEFAULT_PYTHON, root=project)
    assert line.startswith("error: the Dockerfile's ARG BUILD_FROM_SOURCE is not build-from-source in pyproject.toml")
    assert f"write {ARG} in the Dockerfile" in line
    set_build_arg(project, ARG)
    assert baked_tasks.container.disagreements(DEFAULT_PYTHON, root=project) == []
    # A Dockerfile from before the setting (no such ARG) builds nothing from source: fine while none is listed.
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace(ARG + "\n", ""))
    assert len(baked_tasks.container.disagreements(DEFAULT_PYTHON, root=project)) == 1
    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text().replace('["docopt"]', "[]"))
    assert baked_tasks.container.disagreements(DEFAULT_PYTHON, root=project) == []


@pytest.mark.slow
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_lock_writes_a_hash_pinned_build_lock_that_the_check_and_an_upgrade_hold(tmp_path, baked_venv, lock_tool):
    venv = baked_venv(lock_tool, DEFAULT_PYTHON)
    project = bake(tmp_path, lock_tool=lock_tool, python_version=DEFAULT_PYTHON)
    allow_docopt(project, dockerfile=False)

    locked = venv.invoke(project, "lock")
    assert "warning: the Dockerfile's ARG BUILD_FROM_SOURCE is not build-from-source" in locked.stdout
    assert "; requirements.txt on community-cloud, linux-arm64; built from source: docopt\n" in locked.stdout
    assert "docopt==0.6.2 \\" in (project / "requirements.txt").read_text()
    build_in = (project / "requirements-build.in").read_text()
    assert build_in.startswith("# Written by `invoke lock` (do not edit)") and build_in.endswith(UNPINNED)
    build_lock = (project / "requirements-build.txt").read_text()
    header = {"uv": "autogenerated by uv", "pip-tools": "autogenerated by pip-compile"}[lock_tool]
    assert header in "".join(build_lock.splitlines()[:2]), build_lock
    setuptools = baked_tasks.locks.parse(build_lock)["setuptools"]
    assert setuptools.hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in setuptools.hashes)

    checked = venv.invoke(project, "lock", "--check", check=False)
    assert checked.returncode == 1 and f"write {ARG} in the Dockerfile" in checked.stderr
    set_build_arg(project, ARG)
    checked = venv.invoke(project, "lock", "--check")
    assert checked.stdout.strip().splitlines()[-1] == BUILD_LOCK_OK

    if lock_tool == "pip-tools":
        return  # what follows is the tasks' own logic, the same for both engines; pip-compile runs are slow
    # A build lock edited by hand is caught by the check, which leaves every file as it was.
    (project / "requirements-build.in").write_text(build_in + "wheel\n")
    before = digest(project)
    stale = venv.invoke(project, "lock", "--check", check=False)
    assert stale.returncode == 1 and "+++ requirements-build.in (fresh compile)" in stale.stdout
    assert digest(project) == before
    (project / "requirements-build.in").write_text(build_in)

    # A package the app's lock does not pin (here one only the dev lock pins) is refused, with every file kept.
    set_build_from_source(project, ["docopt", "pytest"])
    before = digest(project)
    refused = venv.invoke(project, "lock", check=False)
    assert refused.returncode == 1 and refused.stderr.startswith(
        "error: build-from-source in pyproject.toml names pytest, which requirements.txt does not pin"
    ), refused.stderr
    assert digest(project) == before
    set_build_from_source(project, ["docopt"])

    upgraded = venv.invoke(project, "upgrade", "--cooldown-days=0")
    assert "### requirements-build.txt" in upgraded.stdout
    assert "### requirements-build.in" not in upgraded.stdout

    # Nothing left to build (docopt dropped): the next lock removes the build lock, and the check wants it gone.
    requirements_in = project / "requirements.in"
    requirements_in.write_text(requirements_in.read_text().replace("docopt\n", ""))
    set_build_from_source(project, [])
    stale = venv.invoke(project, "lock", "--check", check=False)
    assert stale.returncode == 1 and "--- requirements-build.txt (committed)" in stale.stdout
    set_build_arg(project, 'ARG BUILD_FROM_SOURCE=""')
    venv.invoke(project, "lock")
    assert not (project / "requirements-build.in").exists() and not (project / "requirements-build.txt").exists()
    assert venv.invoke(project, "lock", "--check").stdout.strip().splitlines()[-1] == LOCK_OK


@pytest.mark.slow
@pytest.mark.docker
def test_the_image_builds_it_from_its_sdist_with_the_build_lock_and_keeps_both_out_of_the_runtime(
    tmp_path, baked_venv, docker
):
    venv = baked_venv("uv", DEFAULT_PYTHON)
    project = bake(tmp_path, lock_tool="uv", python_version=DEFAULT_PYTHON)
    allow_docopt(project, also=["attrs"])
    venv.invoke(project, "lock")
    build_lock = baked_tasks.locks.parse((project / "requirements-build.txt").read_text())
    app_lock = baked_tasks.locks.parse((project / "requirements.txt").read_text())
    setuptools = build_lock["setuptools"]
    assert build_lock["packaging"].version == app_lock["packaging"].version, "the build lock is held to the app's"
    tag, tampered_tag = unique_tag("build-from-source"), unique_tag("build-tampered")
    try:
        built = build(docker, project, tag, DEFAULT_PYTHON)
        assert "--target /opt/build -r /tmp/requirements-build.txt" in built.stdout
        probe = r"""
import importlib.metadata as md, importlib.util, json, os, shutil
import docopt
print(json.dumps({
    "dists": sorted(f"{d.metadata['Name']}=={d.version}" for d in md.distributions()),
    "wheel": md.distribution("docopt").read_text("WHEEL"),
    "tools": [t for t in os.environ["COMPILERS"].split() if shutil.which(t)],
    "setuptools": importlib.util.find_spec("setuptools") is not None,
    "build": os.path.exists("/opt/build"),
}))
"""
        argv = [docker, "run", "--rm", "--env", f"COMPILERS={' '.join(COMPILERS)}", tag, "python", "-c", probe]
        found = json.loads(run(argv, cwd=".").stdout)
        # Built here, from the sdist, by the pinned setuptools: its version is in the wheel it made.
        assert f"Generator: setuptools ({setuptools.version})" in found["wheel"], found["wheel"]
        # Every pin of requirements.txt is in the venv, packaging too, although the build tools' folder had it.
        dists = {f"{canonicalize_name(d.split('==')[0])}=={d.split('==')[1]}" for d in found["dists"]}
        here = {"python_version": DEFAULT_PYTHON, "python_full_version": f"{DEFAULT_PYTHON}.0"}  # Linux, as the image
        pins = {f"{n}=={p.version}" for n, p in app_lock.items() if p.marker is None or p.marker.evaluate(here)}
        assert dists == pins, f"in the image, not the lock: {dists - pins}; in the lock, not the image: {pins - dists}"
        assert found["tools"] == [], f"build tools in the final image: {found['tools']}"
        assert (found["setuptools"], found["build"]) == (False, False), "the build lock's tools reached the runtime"

        # Flipped hashes in the build lock fail the build: the build tools are checked like the app's pins.
        flip_hash(project / "requirements-build.txt", "setuptools")
        flip_hash(project / "requirements-build.txt", "setuptools", last=True)  # its wheel's and its sdist's
        tampered = build(docker, project, tampered_tag, DEFAULT_PYTHON, check=False)
        assert tampered.returncode != 0
        assert "THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE" in tampered.stdout
    finally:
        remove_images(docker, tag, tampered_tag)
