"""Browser sessions of a Streamlit app, driven over HTTP and its WebSocket, as the frontend drives them.

tests/test_kubernetes.py runs this inside a container of the baked image (which has Streamlit's
protobuf classes and the `websockets` client) on the host network, against a load balancer on
127.0.0.1, passing the source with `python -c` so that stdout can report as the session goes:

    python -c "$(cat streamlit_session_client.py)" MODE BASE_URL [ARGS]

upload CONTENT
    Load the page, take the XSRF cookie from the health endpoint, open `/_stcore/stream`, run the
    app, ask the session for an upload URL, upload CONTENT as a file (cookie + X-Xsrftoken, as the
    frontend sends them), rerun with widget state that references the upload, read what the app shows.
failover CONTENT
    The same session, first logged in with the `_streamlit_user` cookie its replica signed (the test
    app shows it). Prints a `ready` line, then waits for the replica to go (the test stops it); then
    reconnects as the frontend does (health pings until one answers, a new WebSocket naming the old
    session), runs, uploads CONTENT and reruns, and reports where it landed and who it was there.
reruns SECONDS
    Rerun every 0.2 s for SECONDS or until a line (or the end) comes on stdin; when the socket
    breaks, reconnect as the frontend does. Reports every failure, the replicas it ran on in turn
    and the longest time without a successful rerun.

Cookies (the load balancer's included) are kept across all requests, as a browser keeps them. Each
mode prints JSON objects, one a line; the last one is the report.
"""

import http.cookiejar
import json
import select
import sys
import time
import urllib.error
import urllib.request
import uuid

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLs, FileURLsRequest, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

TIMEOUT = 60  # seconds for a whole upload or failover session
MAX_MESSAGES = 500  # ForwardMsgs read per step at most
FILE_NAME = "upload.txt"
PING_INTERVAL = 0.5  # the frontend's first retry delays are about this short


class Browser:
    """One tab: its cookie jar, XSRF token, WebSocket and session, against one base URL."""

    def __init__(self, base, timeout):
        self.base = base
        self.deadline = time.monotonic() + timeout
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.ws = None
        self.session_id = ""
        self.page_script_hash = ""

    def remaining(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the session ran out of time")
        return left

    def request(self, method, path, data=None, headers=None):
        """(status, body) of an HTTP request through the load balancer, the cookie jar applied."""
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.http.open(req, timeout=min(10, self.remaining())) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def cookies(self):
        return {cookie.name: cookie.value for cookie in self.jar}

    def set_cookie(self, name, value):
        host = self.base.split("//", 1)[1].split(":")[0]
        self.jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, host, False, False, "/", True,
                                                  False, None, False, None, None, {}))  # fmt: skip

    def load(self):
        """The page, then the health check that sets the XSRF cookie: (page status, health status)."""
        return self.request("GET", "/")[0], self.request("GET", "/_stcore/health")[0]

    def connect(self):
        """A WebSocket as the frontend opens it: its XSRF token, and the session it had, if any."""
        cookies = self.cookies()
        xsrf = cookies["_streamlit_xsrf"]
        protocols = ["streamlit", xsrf] + ([self.session_id] if self.session_id else [])
        opening = connect(
            self.base.replace("http://", "ws://", 1) + "/_stcore/stream",
            subprotocols=protocols,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            origin=self.base,
            open_timeout=min(10, self.remaining()),
            max_size=None,
        )
        self.ws = opening.__enter__()  # websockets' documented way is a `with` block; this one spans steps

    def close(self):
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    def read_until(self, done):
        """Read ForwardMsgs until done(msg) is true; return them all."""
        seen = []
        for _ in range(MAX_MESSAGES):
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=min(20, self.remaining())))
            seen.append(msg)
            if msg.WhichOneof("type") == "new_session":
                self.session_id = msg.new_session.initialize.session_id
                self.page_script_hash = msg.new_session.page_script_hash
            if done(msg):
                return seen
        raise AssertionError(f"no expected message among {MAX_MESSAGES}")

    def rerun(self, widgets=()):
        back = BackMsg(rerun_script=ClientState(query_string="", page_script_hash=self.page_script_hash))
        back.rerun_script.widget_states.CopyFrom(WidgetStates(widgets=list(widgets)))
        self.ws.send(back.SerializeToString())
        return self.read_until(lambda m: m.WhichOneof("type") == "script_finished")

    def upload(self, uploader, content):
        """Upload `content` the way the frontend does: (status, answer, the rerun's messages)."""
        self.ws.send(BackMsg(file_urls_request=FileURLsRequest(request_id="1", file_names=[FILE_NAME],
                                                                session_id=self.session_id)).SerializeToString())  # fmt: skip
        answer = self.read_until(lambda m: m.WhichOneof("type") == "file_urls_response")[-1].file_urls_response
        (urls,) = answer.file_urls
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{FILE_NAME}"\r\n'
            f"Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}--\r\n"
        ).encode()
        status, text = self.request("PUT", urls.upload_url, data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": self.cookies()["_streamlit_xsrf"]})  # fmt: skip
        # The rerun the frontend sends after an upload: the widget's state names the uploaded file.
        state = FileUploaderState(uploaded_file_info=[UploadedFileInfo(
            file_id=urls.file_id, name=FILE_NAME, size=len(content.encode()),
            file_urls=FileURLs(file_id=urls.file_id, upload_url=urls.upload_url, delete_url=urls.delete_url))])  # fmt: skip
        return status, text, self.rerun([WidgetState(id=uploader.id, file_uploader_state_value=state)])

    def reconnect(self):
        """What the frontend does when its socket drops: ping until the server answers, then reconnect."""
        self.close()
        pings = 0
        while True:
            pings += 1
            try:
                if self.request("GET", "/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(min(PING_INTERVAL, self.remaining()))
        self.connect()
        return pings


def elements(msgs, kind):
    return [
        getattr(m.delta.new_element, kind)
        for m in msgs
        if m.WhichOneof("type") == "delta"
        and m.delta.WhichOneof("type") == "new_element"
        and m.delta.new_element.WhichOneof("type") == kind
    ]


def markdown(msgs, prefix):
    """The rest of the app's markdown lines that start with `prefix` (the test app's `replica r1`...)."""
    return [m.body[len(prefix) :] for m in elements(msgs, "markdown") if m.body.startswith(prefix)]


def emit(**fields):
    print(json.dumps(fields), flush=True)


def upload_session(base, content):
    browser = Browser(base, TIMEOUT)
    report = dict(zip(("page", "health"), browser.load(), strict=True))
    report["cookies"] = sorted(browser.cookies())
    browser.connect()
    first = browser.rerun()
    report["replica"] = markdown(first, "replica ")
    (uploader,) = elements(first, "file_uploader")
    report["upload"], report["upload_answer"], second = browser.upload(uploader, content)
    report["shown"] = [t.body for t in elements(second, "text")]
    report["exceptions"] = [e.message for e in elements(first + second, "exception")]
    browser.close()
    emit(**report)


def failover_session(base, content):
    browser = Browser(base, TIMEOUT * 2)
    report = dict(zip(("page", "health"), browser.load(), strict=True))
    browser.connect()
    first = browser.rerun()
    # Log in: the cookie the replica signed, sent with the next WebSocket as a browser sends it.
    (signed,) = [c.code_text.split("=", 1)[1] for c in elements(first, "code") if c.code_text.startswith("_streamlit_user=")]  # fmt: skip
    browser.set_cookie("_streamlit_user", signed)
    browser.close()
    browser.connect()
    before = browser.rerun()
    report["before"] = {"replica": markdown(before, "replica "), "logged_in": markdown(before, "logged in "),
                        "session": browser.session_id}  # fmt: skip
    emit(event="ready", **report["before"])
    try:  # the replica goes: its socket closes (or stops answering) and the frontend notices
        while True:
            browser.ws.recv(timeout=min(30, browser.remaining()))
    except (ConnectionClosed, TimeoutError):
        pass
    lost = time.monotonic()
    report["pings"] = browser.reconnect()
    after = browser.rerun()
    report["reconnect_seconds"] = round(time.monotonic() - lost, 2)
    (uploader,) = elements(after, "file_uploader")
    report["upload"], report["upload_answer"], shown = browser.upload(uploader, content)
    report["after"] = {"replica": markdown(after, "replica "), "logged_in": markdown(after, "logged in "),
                       "session": browser.session_id}  # fmt: skip
    report["shown"] = [t.body for t in elements(shown, "text")]
    report["exceptions"] = [e.message for e in elements(first + before + after + shown, "exception")]
    browser.close()
    emit(**report)


def rerun_session(base, seconds):
    browser = Browser(base, seconds + TIMEOUT)
    browser.load()
    browser.connect()
    browser.rerun()
    emit(event="ready")
    start = time.monotonic()
    last_ok, longest, failures, replicas, reruns = start, 0.0, [], [], 0
    while time.monotonic() < start + seconds and not select.select([sys.stdin], [], [], 0)[0]:
        try:
            if browser.ws is None:
                browser.reconnect()
            shown = markdown(browser.rerun(), "replica ")
        except Exception as error:  # a closed socket, a refused or dropped connection, a timeout
            failures.append(f"{time.monotonic() - start:.1f}s: {type(error).__name__}: {error}"[:160])
            browser.close()
            continue
        now = time.monotonic()
        longest, last_ok, reruns = max(longest, now - last_ok), now, reruns + 1
        if not replicas or replicas[-1] != shown:
            replicas.append(shown)
        time.sleep(0.2)
    browser.close()
    emit(reruns=reruns, failures=failures, longest_gap=round(longest, 2), replicas=replicas)


MODES = {"upload": upload_session, "failover": failover_session, "reruns": lambda b, s: rerun_session(b, float(s))}

if __name__ == "__main__":
    mode, base_url, argument = sys.argv[1:4]
    MODES[mode](base_url, argument)
