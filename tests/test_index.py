"""tasks/index.py: a release's files as the package index's JSON API (PEP 691) lists them; pages read from a
local server, no network."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


def test_a_page_is_read_again_after_a_failed_request_and_a_404_moves_to_the_next_index(baked_tasks):
    served = page(("docopt-0.6.2.tar.gz", A, None))
    asked = []

    class Index(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            status = 404 if self.path.startswith("/first/") else 503 if len(asked) == 2 else 200
            body = json.dumps(served).encode() if status == 200 else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Index) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_port}"
        found = baked_tasks.index.project_page([f"{root}/first", f"{root}/second/"], "docopt")
        server.shutdown()
    assert asked == ["/first/docopt/", "/second/docopt/", "/second/docopt/"]
    assert found == served
