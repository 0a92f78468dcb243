"""The same locks on every platform pyproject.toml names: Windows, macOS, ARM, Community Cloud, under any config.

tasks/platforms.py asks uv to resolve the pinned set for each platform (wheels only) and, where that fails,
reads the index's file lists to name every package without a wheel there, with the settings edit that works.
The pure parts run on made-up file names; the slow ones on real locks against the real index. Machine-local
package sources (find-links folders, file:// indexes) are built here in tmp, with wheels of pinned versions
that the public index never saw, so a leak shows up as a path or a foreign hash in a lock.
"""

import base64
import hashlib
import os
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import DEFAULT_PYTHON, LOCK_FILES, LOCK_TOOLS, PYTHON_VERSIONS, bake, run, shipped_lock
from invoke import Context, Exit

# --- pure parts ---------------------------------------------------------------------------------------


def files(*names):
    return [(name, "sha256:" + "0" * 64) for name in names]


TORCH = files(
    "torch-2.9.1-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.9.1-cp312-cp312-manylinux_2_28_aarch64.whl",
    "torch-2.9.1-cp312-none-macosx_14_0_arm64.whl",
    "torch-2.9.1-cp312-cp312-win_amd64.whl",
)


@pytest.mark.parametrize(
    ("platform", "installs"),
    [
        ("linux-x86_64", True),
        ("community-cloud", True),
        ("linux-arm64", True),
        ("macos-arm64", True),  # macOS 14 wheels: every updated Apple Silicon Mac takes them
        ("macos-x86_64", False),  # no Intel Mac wheel
        ("windows-x86_64", True),
    ],
)
def test_a_wheel_counts_only_for_the_platforms_its_tags_fit(baked_tasks, platform, installs):
    platforms = baked_tasks.platforms
    assert platforms.installs_on(TORCH, platforms.PLATFORMS[platform], "3.12") is installs
    assert not platforms.installs_on(TORCH, platforms.PLATFORMS[platform], "3.13")  # cp312 wheels only


def test_community_cloud_takes_no_wheel_newer_than_its_glibc(baked_tasks):
    platforms = baked_tasks.platforms
    new = files("pkg-1.0-cp312-cp312-manylinux_2_34_x86_64.whl")
    assert platforms.installs_on(new, platforms.PLATFORMS["linux-x86_64"], "3.12") is False  # uv's 2.28 default
    assert not platforms.installs_on(new, platforms.PLATFORMS["community-cloud"], "3.12")
    pure = files("pkg-1.0-py3-none-any.whl", "pkg-1.0.tar.gz")
    assert all(platforms.installs_on(pure, p, "3.12") for p in platforms.PLATFORMS.values())
    assert not any(platforms.installs_on(files("pkg-1.0.tar.gz"), p, "3.12") for p in platforms.PLATFORMS.values())


def test_an_unknown_platform_in_the_settings_is_named_with_the_ones_there_are(baked_tasks):
    settings = {**baked_tasks.project.DEFAULTS, "deploy-platforms": ["linux-amd64"]}
    with pytest.raises(Exit) as refused:
        baked_tasks.platforms.chosen(settings)
    message = refused.value.message
    assert message.startswith("error: pyproject.toml [tool.pinned-streamlit] deploy-platforms names 'linux-amd64'")
    assert "linux-x86_64" in message and "\n" not in message


def test_the_bound_offered_is_the_newest_release_with_wheels_for_every_missing_platform(baked_tasks):
    page = {
        "files": [
            {"filename": name, "hashes": {"sha256": "1" * 64}}
            for name in (
                "torch-2.2.2-cp312-none-macosx_10_9_x86_64.whl",
                "torch-2.2.2-cp312-none-macosx_11_0_arm64.whl",
                "torch-2.3.0-cp312-none-macosx_11_0_arm64.whl",
                "torch-2.1.0-cp312-none-macosx_10_9_x86_64.whl",
            )
        ]
    }
    newest = baked_tasks.platforms.newest_with_wheels
    assert newest(page, ["macos-x86_64"], "3.12") == "2.2.2"
    assert newest(page, ["windows-x86_64"], "3.12") is None


# --- the judge on real locks, against the real index --------------------------------------------------------


def judge(baked_tasks, locks, version, **settings):
    env = baked_tasks.engines.Uv().environment(Context())
    return baked_tasks.platforms.judge(Context(), locks, version, env, {**baked_tasks.project.DEFAULTS, **settings})


def app_lock(tmp_path, *requirements, version=DEFAULT_PYTHON):
    """A universal lock of `requirements`, compiled with uv as a uv project's `invoke lock` would."""
    (tmp_path / "requirements.in").write_text("\n".join(requirements) + "\n")
    argv = [
        Path(sys.executable).with_name("uv"),
        "pip",
        "compile",
        "--quiet",
        "--universal",
        f"--python-version={version}",
        "--generate-hashes",
    ]
    run([*argv, "--no-config", "--output-file=requirements.txt", "requirements.in"], cwd=tmp_path)
    return {"requirements.txt": (tmp_path / "requirements.txt").read_text(), "requirements-dev.txt": ""}


@pytest.mark.slow
@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_the_shipped_locks_install_with_hashes_on_every_platform(baked_tasks, lock_tool, python_version):
    """Windows, macOS arm64/x86_64, Linux aarch64/x86_64 (both locks); Cloud and arm64 images (requirements.txt)."""
    locks = {name: shipped_lock(lock_tool, python_version, name).read_text() for name in LOCK_FILES}
    assert judge(baked_tasks, locks, python_version) == []


@pytest.mark.slow
def test_the_judge_refuses_a_lock_that_lacks_a_windows_only_package(baked_tasks):
    """The check can fail: the shipped pip-tools dev lock without colorama does not install on Windows."""
    locks = {name: shipped_lock("pip-tools", DEFAULT_PYTHON, name).read_text() for name in LOCK_FILES}
    pins = baked_tasks.locks.parse(locks["requirements-dev.txt"])
    assert "colorama" in pins, "the shipped pip-tools dev lock must pin colorama (pytest needs it on Windows)"
    locks["requirements-dev.txt"] = locks["requirements-dev.txt"].replace(pins["colorama"].text, "")
    assert judge(baked_tasks, locks, DEFAULT_PYTHON) == [
        "error: the locks do not install on windows-x86_64: it needs colorama, which no lock pins; "
        "add colorama to requirements-dev.in, then `invoke lock`"
    ]


@pytest.mark.slow
def test_torch_is_refused_for_intel_macs_with_the_edit_that_drops_them_and_passes_once_dropped(baked_tasks, tmp_path):
    locks = app_lock(tmp_path, "streamlit", "torch>=2.5")
    [refusal] = judge(baked_tasks, locks, DEFAULT_PYTHON)
    torch = baked_tasks.locks.versions(locks["requirements.txt"])["torch"]
    assert refusal.startswith(f"error: torch {torch} has no wheel for macos-x86_64 (it has for: "), refusal
    assert "macos-arm64" in refusal and "windows-x86_64" in refusal
    assert 'drop macos-x86_64: platforms = ["linux-x86_64", "linux-arm64", "macos-arm64", "windows-x86_64"]' in refusal
    assert "bound it in requirements.in: torch<=2.2.2 has wheels there" in refusal
    assert judge(baked_tasks, locks, DEFAULT_PYTHON, platforms=["linux-x86_64", "macos-arm64", "windows-x86_64"]) == []


@pytest.mark.slow
def test_every_source_only_package_is_named_in_one_run_with_its_binary_alternative(baked_tasks, tmp_path):
    locks = app_lock(tmp_path, "streamlit", "psycopg2==2.9.10", "docopt==0.6.2")
    refusals = judge(baked_tasks, locks, DEFAULT_PYTHON, platforms=["linux-x86_64"])
    assert [line.split(" has no wheel")[0] for line in refusals[:2]] == [
        "error: docopt 0.6.2",
        "error: psycopg2 2.9.10",
    ]
    assert refusals[2] == (  # one edit for both, where one exists
        "error: all of the above at once, in pyproject.toml [tool.pinned-streamlit]: "
        'build every one named from source: build-from-source = ["docopt", "psycopg2"]'
    )
    assert "(it has for: none: it ships only an sdist)" in refusals[0], refusals
    assert "(it has for: windows-x86_64)" in refusals[1] and "drop" not in refusals[1]  # nothing would be left
    assert 'build it from source there: build-from-source = ["psycopg2"]' in refusals[1]
    assert "use psycopg2-binary instead" in refusals[1]
    allowed = judge(
        baked_tasks, locks, DEFAULT_PYTHON, platforms=["linux-x86_64"], **{"build-from-source": ["DocOpt", "psycopg2"]}
    )
    assert allowed == []  # a name as the owner spells it, not only as the lock does


@pytest.mark.slow
def test_a_source_only_dependency_of_another_package_passes_once_built_from_source(baked_tasks, tmp_path):
    locks = app_lock(tmp_path, "streamlit", "num2words==0.5.14")  # num2words has a wheel; docopt, which it needs, not
    [refusal] = judge(baked_tasks, locks, DEFAULT_PYTHON, platforms=["linux-x86_64"])
    assert refusal.startswith("error: docopt 0.6.2 has no wheel for ") and 'build-from-source = ["docopt"]' in refusal
    assert (
        judge(baked_tasks, locks, DEFAULT_PYTHON, platforms=["linux-x86_64"], **{"build-from-source": ["docopt"]}) == []
    )


# --- machine-local package sources ---------------------------------------------------------------------


def make_wheel(folder, name, version):
    """A tiny valid wheel of `name` `version` that the public index never saw (so its hash is foreign)."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name.replace('-', '_')}-{version}"
    files = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{name.replace('-', '_')}_local_build.py": "LOCAL = True\n",
    }
    record = [
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},"
        f"{len(text.encode())}"
        for path, text in files.items()
    ]
    wheel = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{dist}.dist-info/RECORD", "\n".join([*record, f"{dist}.dist-info/RECORD,,"]) + "\n")
    return "sha256:" + hashlib.sha256(wheel.read_bytes()).hexdigest()


def local_sources(tmp_path, pins):
    """A find-links folder and a file:// simple index holding foreign wheels of `pins`; a pip config and
    uv user config naming them; the environment a company laptop might have. Returns (env, foreign hashes)."""
    links, simple = tmp_path / "wheels", tmp_path / "simple"
    foreign = {make_wheel(links, name, version) for name, version in pins.items()}
    for name, version in pins.items():
        make_wheel(simple / name, name, version)
        wheel = next((simple / name).glob("*.whl")).name
        (simple / name / "index.html").write_text(f'<html><body><a href="{wheel}">{wheel}</a></body></html>\n')
    (simple / "index.html").write_text("".join(f'<a href="{n}/">{n}</a>\n' for n in pins))
    (tmp_path / "pip.conf").write_text(f"[global]\nfind-links = {links}\nextra-index-url = {simple.as_uri()}\n")
    (tmp_path / "config" / "uv").mkdir(parents=True)
    (tmp_path / "config" / "uv" / "uv.toml").write_text(
        f'find-links = ["{links}"]\n[[index]]\nurl = "{simple.as_uri()}"\n'
    )
    env = dict(os.environ)
    env.update(
        PIP_CONFIG_FILE=str(tmp_path / "pip.conf"),
        PIP_FIND_LINKS=str(links),
        PIP_EXTRA_INDEX_URL=simple.as_uri(),
        UV_FIND_LINKS=str(links),
        UV_EXTRA_INDEX_URL=simple.as_uri(),
        UV_INDEX=simple.as_uri(),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env, links, foreign


@pytest.mark.slow
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_find_links_and_file_indexes_in_pip_and_uv_config_leave_no_trace_in_the_locks(
    lock_tool, baked_venv, baked_tasks, tmp_path
):
    project = bake(tmp_path / "project", lock_tool=lock_tool, python_version=DEFAULT_PYTHON)
    shipped = {name: (project / name).read_text() for name in LOCK_FILES}
    pins = {"colorama": baked_tasks.locks.versions(shipped["requirements-dev.txt"])["colorama"]}
    pins["altair"] = baked_tasks.locks.versions(shipped["requirements.txt"])["altair"]
    env, links, foreign = local_sources(tmp_path / "machine", pins)
    venv = baked_venv(lock_tool, DEFAULT_PYTHON)

    # The setup is a real trap: the bare compile command, run under it, puts the machine into the lock.
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("requirements.in", "requirements-dev.in", "requirements.txt"):
        (bare / name).write_text((project / name).read_text())
    engine = next(e for e in baked_tasks.engines.ENGINES if e.name == lock_tool)
    argv = engine.compile_argv("requirements-dev.in", "requirements-dev.txt", DEFAULT_PYTHON)
    run([venv.path / "bin" / argv[0], *argv[1:]], cwd=bare, env=env)
    leaked = (bare / "requirements-dev.txt").read_text()
    assert str(links) in leaked or foreign & baked_tasks.locks.parse(leaked)["colorama"].hashes

    venv.invoke(project, "lock", "--check", env=env)
    venv.invoke(project, "lock", env=env)
    for name in LOCK_FILES:
        text = (project / name).read_text()
        assert text == shipped[name], f"{name} changed under the machine's config"
        assert str(tmp_path) not in text and "file://" not in text and "--find-links" not in text
        assert not foreign & {h for pin in baked_tasks.locks.parse(text).values() for h in pin.hashes}
