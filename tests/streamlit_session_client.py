"""One browser session of a Streamlit app, driven over HTTP and its WebSocket, as the frontend does it.

tests/test_kubernetes.py runs this inside a container of the baked image (which has Streamlit's
protobuf classes and the `websockets` client) on the host network, against a load balancer on
127.0.0.1:

    python - BASE_URL CONTENT < streamlit_session_client.py

It loads the page, takes the XSRF cookie from the health endpoint, opens `/_stcore/stream`, runs the
app, asks the session for an upload URL, uploads CONTENT as a file (cookie + X-Xsrftoken, as the
frontend sends them), reruns with widget state that references the upload, and reads what the app
shows. Cookies (the load balancer's included) are kept across all requests, as a browser keeps them.
Prints one JSON object: the HTTP status of each step and what the app showed.
"""

import http.cookiejar
import json
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
from websockets.sync.client import connect

TIMEOUT = 60  # seconds for the whole session
MAX_MESSAGES = 500  # ForwardMsgs read per step at most
FILE_NAME = "upload.txt"

base, content = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + TIMEOUT
jar = http.cookiejar.CookieJar()
http_client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
report = {}


def remaining():
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"the session took more than {TIMEOUT}s; so far: {report}")
    return left


def request(method, path, data=None, headers=None):
    """(status, body) of an HTTP request through the load balancer, the cookie jar applied."""
    req = urllib.request.Request(base + path, data=data, headers=headers or {}, method=method)
    try:
        with http_client.open(req, timeout=min(10, remaining())) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def read_until(ws, done):
    """Read ForwardMsgs until done(msg) is true; return them all."""
    seen = []
    for _ in range(MAX_MESSAGES):
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=remaining()))
        seen.append(msg)
        if done(msg):
            return seen
    raise AssertionError(f"no expected message among {MAX_MESSAGES}; so far: {report}")


def elements(msgs, kind):
    return [
        getattr(m.delta.new_element, kind)
        for m in msgs
        if m.WhichOneof("type") == "delta"
        and m.delta.WhichOneof("type") == "new_element"
        and m.delta.new_element.WhichOneof("type") == kind
    ]


def finished(msg):
    return msg.WhichOneof("type") == "script_finished"


def rerun(ws, widgets=()):
    back = BackMsg(rerun_script=ClientState(query_string="", page_script_hash=report.get("page_script_hash", "")))
    back.rerun_script.widget_states.CopyFrom(WidgetStates(widgets=list(widgets)))
    ws.send(back.SerializeToString())
    return read_until(ws, finished)


report["page"] = request("GET", "/")[0]
report["health"] = request("GET", "/_stcore/health")[0]
cookies = {cookie.name: cookie.value for cookie in jar}
report["cookies"] = sorted(cookies)
xsrf = cookies["_streamlit_xsrf"]
cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())

with connect(
    base.replace("http://", "ws://", 1) + "/_stcore/stream",
    subprotocols=["streamlit", xsrf],
    additional_headers={"Cookie": cookie_header},
    origin=base,
    open_timeout=min(10, remaining()),
    max_size=None,
) as ws:
    first = rerun(ws)
    (new_session,) = [m.new_session for m in first if m.WhichOneof("type") == "new_session"]
    session_id = new_session.initialize.session_id
    report["page_script_hash"] = new_session.page_script_hash
    report["replica"] = [m.body for m in elements(first, "markdown") if m.body.startswith("replica ")]
    (uploader,) = elements(first, "file_uploader")

    # The frontend asks its session for upload URLs, then PUTs the file over plain HTTP.
    ws.send(BackMsg(file_urls_request=FileURLsRequest(request_id="1", file_names=[FILE_NAME],
                                                       session_id=session_id)).SerializeToString())  # fmt: skip
    answer = read_until(ws, lambda m: m.WhichOneof("type") == "file_urls_response")[-1].file_urls_response
    (urls,) = answer.file_urls
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{FILE_NAME}"\r\n'
        f"Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ).encode()
    status, text = request("PUT", urls.upload_url, data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf})  # fmt: skip
    report["upload"], report["upload_answer"] = status, text

    # The rerun the frontend sends after an upload: the widget's state names the uploaded file.
    state = FileUploaderState(uploaded_file_info=[UploadedFileInfo(
        file_id=urls.file_id, name=FILE_NAME, size=len(content.encode()),
        file_urls=FileURLs(file_id=urls.file_id, upload_url=urls.upload_url, delete_url=urls.delete_url))])  # fmt: skip
    second = rerun(ws, [WidgetState(id=uploader.id, file_uploader_state_value=state)])
    report["shown"] = [t.body for t in elements(second, "text")]
    report["exceptions"] = [e.message for e in elements(first + second, "exception")]

print(json.dumps(report))
