"""tasks/index.py: a release's files as the package index's JSON API lists them. Pure, no network."""

import pytest

A, B, C, D = ("sha256:" + ch * 64 for ch in "abcd")


def page(*files):
    """A JSON project page (PEP 691) holding `files`: (filename, sha256 or None, requires-python or None)."""
    return {
        "files": [
            {"filename": name, "hashes": {"sha256": digest.removeprefix("sha256:")} if digest else {},
             "requires-python": requires, "yanked": False}
            for name, digest, requires in files
        ]
    }  # fmt: skip


def test_a_release_hash_set_is_every_wheel_and_sdist_of_that_version_and_nothing_else(baked_tasks):
    found = baked_tasks.index.release_hashes(
        page(
            ("six-1.17.0-py2.py3-none-any.whl", A, None),
            ("six-1.17.0.tar.gz", B, None),
            ("six-1.16.0-py2.py3-none-any.whl", C, None),  # another release
            ("six-1.17.0.win32.exe", D, None),  # an installer pip never takes
        ),
        "1.17.0",
    )
    assert found == {A, B}


def test_files_whose_requires_python_excludes_the_interpreter_are_not_in_the_set(baked_tasks):
    files = page(("pkg-2.0-cp312-cp312-manylinux_2_17_x86_64.whl", A, ">=3.12"), ("pkg-2.0.tar.gz", B, ">=3.13"))
    assert baked_tasks.index.release_hashes(files, "2.0", python=(3, 12, 7)) == {A}
    assert baked_tasks.index.release_hashes(files, "2.0", python=(3, 13, 0)) == {A, B}


def test_versions_are_compared_as_versions_and_names_as_normalised_names(baked_tasks):
    files = page(("Typing_Extensions-4.16-py3-none-any.whl", A, None), ("typing_extensions-4.16.0.tar.gz", B, None))
    assert baked_tasks.index.release_hashes(files, "4.16.0") == {A, B}


@pytest.mark.parametrize(
    "files",
    [
        [("pkg-1.0-py3-none-any.whl", None, None)],  # the index gives no sha256 for a file of this release
        [("pkg-1.0-py3-none-any.whl", A, None), ("pkg-1.0.tar.bz2", B, None)],  # an sdist pip takes, unparsed here
    ],
)
def test_a_page_that_leaves_the_set_open_confirms_nothing(baked_tasks, files):
    assert baked_tasks.index.release_hashes(page(*files), "1.0") is None


def test_a_release_lists_its_files_by_name_for_the_platform_checks(baked_tasks):
    files = page(("pkg-2.0-cp312-cp312-win_amd64.whl", A, None), ("pkg-2.0.tar.gz", B, None))
    assert baked_tasks.index.release_files(files, "2.0") == [
        ("pkg-2.0-cp312-cp312-win_amd64.whl", A),
        ("pkg-2.0.tar.gz", B),
    ]
    assert baked_tasks.index.release_files(None, "2.0") is None  # no page: unknown, not "no files"
