"""tasks/index.py: a release's files as the package index's JSON API (PEP 691) lists them. Pure, no network."""

A, B, C, D = ("sha256:" + ch * 64 for ch in "abcd")


def page(*files):
    """A JSON project page holding `files`: (filename, sha256, requires-python or None)."""
    return {
        "files": [
            {"filename": name, "hashes": {"sha256": digest.removeprefix("sha256:")}, "requires-python": requires}
            for name, digest, requires in files
        ]
    }


def test_a_release_is_every_wheel_and_sdist_of_that_version_and_nothing_else(baked_tasks):
    found = baked_tasks.index.release_files(
        page(
            ("six-1.17.0-py2.py3-none-any.whl", A, None),
            ("six-1.17.0.tar.gz", B, None),
            ("six-1.16.0-py2.py3-none-any.whl", C, None),  # another release
            ("six-1.17.0.win32.exe", D, None),  # an installer pip never takes
        ),
        "1.17.0",
    )
    assert found == [("six-1.17.0-py2.py3-none-any.whl", A), ("six-1.17.0.tar.gz", B)]


def test_files_whose_requires_python_excludes_the_interpreter_are_left_out(baked_tasks):
    files = page(("pkg-2.0-cp312-cp312-manylinux_2_17_x86_64.whl", A, ">=3.12"), ("pkg-2.0.tar.gz", B, ">=3.13"))
    assert [d for _, d in baked_tasks.index.release_files(files, "2.0", python=(3, 12, 7))] == [A]
    assert [d for _, d in baked_tasks.index.release_files(files, "2.0", python=(3, 13, 0))] == [A, B]


def test_versions_are_compared_as_versions_and_names_as_normalised_names(baked_tasks):
    files = page(("Typing_Extensions-4.16-py3-none-any.whl", A, None), ("typing_extensions-4.16.0.tar.gz", B, None))
    assert [d for _, d in baked_tasks.index.release_files(files, "4.16.0")] == [A, B]


def test_no_page_means_unknown_not_a_release_without_files(baked_tasks):
    assert baked_tasks.index.release_files(None, "2.0") is None
    assert baked_tasks.index.release_files(page(), "2.0") == []


def test_a_url_pin_has_no_release_on_a_page(baked_tasks):
    url = "https://files.example.com/tabulate-0.9.0-py3-none-any.whl"  # `tabulate @ URL` in a lock: its version
    assert baked_tasks.index.release_files(page(("tabulate-0.9.0-py3-none-any.whl", A, None)), url) is None
