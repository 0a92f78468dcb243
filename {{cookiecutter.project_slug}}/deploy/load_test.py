"""How many sessions one replica holds: real Streamlit sessions, added in steps, until reruns get slow.

Run it from the project's venv (it needs only what requirements.txt installs) against one container
limited as deploy/kubernetes/deployment.yaml limits a pod (docs/kubernetes.md, "Capacity"):

    invoke docker-build
    docker run --rm --detach --name load-target --cpus 1 --memory 512m --read-only --tmpfs /tmp \\
        --publish 127.0.0.1:8501:8501 IMAGE
    python deploy/load_test.py --url http://127.0.0.1:8501 --container load-target
    docker stop load-target

Each session does what a browser tab does: loads the page, takes the XSRF cookie, opens the
WebSocket, runs the app, then reruns it about every --think seconds with one slider or number input
moved, as a person does. Every --step-seconds, --step more sessions join; each step prints the
sessions, the p50/p95 rerun latency (from the rerun message to the script's end), the container's
memory and the app process's CPU. It stops at the first step whose p95 passes --p95-limit or whose
sessions fail (where it breaks), at --max-sessions or after --max-seconds, and closes every session.
Load goes to this machine only: any other host is refused.
"""

import argparse
import asyncio
import ipaddress
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import DoubleArray
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect

MIB = 1024 * 1024
UNITS = {"B": 1, "KiB": 1024, "MiB": MIB, "GiB": 1024 * MIB, "kB": 1000, "MB": 1000**2, "GB": 1000**3}


def loopback_url(url):
    """The URL, if its host is this machine; load is never sent anywhere else."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise argparse.ArgumentTypeError(f"{url}: only 127.0.0.1 or localhost (load stays on this machine)")
    return url.rstrip("/")


def container_memory(name):
    """The container's memory use in bytes, as `docker stats` reports it; None without one."""
    if not name:
        return None
    shown = subprocess.run(["docker", "stats", "--no-stream", "--format=json", name],
                           capture_output=True, text=True, timeout=30).stdout  # fmt: skip
    usage = json.loads(shown or "{}").get("MemUsage", "")  # "131.2MiB / 512MiB"
    match = re.match(r"\s*([\d.]+)\s*([A-Za-z]+)", usage)
    return float(match.group(1)) * UNITS[match.group(2)] if match else None


def container_cpu_seconds(name):
    """CPU seconds the app's process (the container's PID 1) has used so far; None without a container."""
    if not name:
        return None
    stat = subprocess.run(["docker", "exec", name, "cat", "/proc/1/stat"], capture_output=True, text=True,
                          timeout=30).stdout  # fmt: skip
    fields = stat.rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if len(fields) > 12 else None  # utime+stime


class Session:
    """One browser tab's session: page, XSRF cookie, WebSocket, reruns with moved widgets."""

    def __init__(self, url, timeout):
        self.url, self.timeout = url, timeout
        self.latencies, self.errors = [], []
        self.widgets = {}  # id: (id, kind, minimum, maximum, step, is_int) of its sliders and number inputs
        self.page_hash = ""

    def fetch_xsrf_cookie(self):
        with urllib.request.urlopen(self.url + "/", timeout=self.timeout) as page:
            page.read()
        with urllib.request.urlopen(self.url + "/_stcore/health", timeout=self.timeout) as health:
            header = health.headers.get("Set-Cookie", "")
        return re.search(r"_streamlit_xsrf=([^;]+)", header).group(1)

    async def rerun(self, ws, widgets=()):
        back = BackMsg(rerun_script=ClientState(query_string="", page_script_hash=self.page_hash))
        back.rerun_script.widget_states.CopyFrom(WidgetStates(widgets=list(widgets)))
        started = time.perf_counter()
        await ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), self.timeout))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.note_widget(msg.delta.new_element)
            elif kind == "script_finished":
                return time.perf_counter() - started

    def note_widget(self, element):
        kind = element.WhichOneof("type")
        if kind == "slider" and len(element.slider.default) == 1 and not element.slider.options:
            s = element.slider
            if s.data_type in (s.INT, s.FLOAT):
                self.widgets[s.id] = (s.id, "slider", s.min, s.max, s.step or 1, s.data_type == s.INT)
        elif kind == "number_input":
            n = element.number_input
            step = n.step or 1
            low = n.min if n.has_min else 0
            high = n.max if n.has_max else low + 100 * step
            self.widgets[n.id] = (n.id, "number_input", low, high, step, n.data_type == n.INT)

    def moved_widget(self):
        """One widget set to a new value in its range, as the frontend sends a moved slider or input."""
        if not self.widgets:
            return []
        widget_id, kind, low, high, step, is_int = random.choice(list(self.widgets.values()))
        value = low + step * random.randint(0, max(0, int((high - low) / step)))
        if kind == "slider":  # a slider's value travels as an array, even with one handle
            return [WidgetState(id=widget_id, double_array_value=DoubleArray(data=[value]))]
        if is_int:
            return [WidgetState(id=widget_id, int_value=int(value))]
        return [WidgetState(id=widget_id, double_value=float(value))]

    async def run(self, think, stop, delay=0.0):
        """After `delay` seconds, hold the session and rerun every `think` seconds until `stop` is set."""
        try:
            await asyncio.sleep(delay)
            xsrf = await asyncio.to_thread(self.fetch_xsrf_cookie)
            ws_url = self.url.replace("http", "ws", 1) + "/_stcore/stream"
            async with connect(ws_url, subprotocols=["streamlit", xsrf], origin=self.url, max_size=None,
                               additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"},
                               open_timeout=self.timeout) as ws:  # fmt: skip
                self.latencies.append(await self.rerun(ws))  # the first run, as a new tab triggers it
                while not stop.is_set():
                    try:
                        await asyncio.wait_for(stop.wait(), think * random.uniform(0.5, 1.5))
                    except TimeoutError:
                        self.latencies.append(await self.rerun(ws, self.moved_widget()))
        except Exception as error:  # a refused connection, a closed socket, a timeout: the replica gave up
            self.errors.append(f"{type(error).__name__}: {error}"[:200])


def percentile(values, fraction):
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


async def warm_up(url, timeout):
    """One session's first run: the app's imports and caches are then loaded, as on a replica in use."""
    stop = asyncio.Event()
    stop.set()
    session = Session(url, timeout * 4)
    await session.run(0, stop)
    if session.errors:
        sys.exit(f"error: the app at {url} did not run: {session.errors[0]}")


async def ramp(args):
    await warm_up(args.url, args.timeout)
    stop = asyncio.Event()
    sessions, tasks, steps = [], [], []
    baseline = container_memory(args.container)
    deadline = time.monotonic() + args.max_seconds
    broke = None
    print(f"{'sessions':>8} {'failed':>6} {'reruns':>6} {'p50 s':>7} {'p95 s':>7} {'memory MiB':>10} "
          f"{'CPU cores':>9} {'CPU ms/rerun':>12}")  # fmt: skip
    while not broke and len(sessions) < args.max_sessions and time.monotonic() < deadline:
        joining = min(args.step, args.max_sessions - len(sessions))
        for i in range(joining):  # people arrive one after another, not all in the same instant
            session = Session(args.url, args.timeout)
            sessions.append(session)
            delay = i * min(args.think, args.step_seconds / 2) / joining
            tasks.append(asyncio.create_task(session.run(args.think, stop, delay)))
        marks = [len(s.latencies) for s in sessions]
        cpu_before, started = container_cpu_seconds(args.container), time.monotonic()
        await asyncio.sleep(min(args.step_seconds, max(0.0, deadline - time.monotonic())))
        window = [x for s, mark in zip(sessions, marks, strict=True) for x in s.latencies[mark:]]
        cpu = (container_cpu_seconds(args.container) or 0) - (cpu_before or 0)
        cores, per_rerun = cpu / (time.monotonic() - started), 1000 * cpu / max(1, len(window))
        failed = sum(1 for s in sessions if s.errors)
        memory = container_memory(args.container)
        p50, p95 = percentile(window, 0.50), percentile(window, 0.95)
        steps.append((len(sessions), failed, len(window), p50, p95, memory))
        print(f"{len(sessions):>8} {failed:>6} {len(window):>6} {p50 or 0:>7.3f} {p95 or 0:>7.3f} "
              f"{(memory or 0) / MIB:>10.0f} {cores:>9.2f} {per_rerun:>12.0f}", flush=True)  # fmt: skip
        if failed:
            broke = f"{failed} of {len(sessions)} sessions failed: {next(e for s in sessions for e in s.errors)}"
        elif p95 is not None and p95 > args.p95_limit:
            broke = f"p95 rerun latency {p95 or float('inf'):.2f} s > {args.p95_limit} s with {len(sessions)} sessions"
    stop.set()
    await asyncio.gather(*tasks)
    return steps, baseline, broke


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", type=loopback_url, default="http://127.0.0.1:8501", help="the app, on this machine")
    parser.add_argument("--container", help="the container's name, for its memory (docker stats)")
    parser.add_argument("--step", type=int, default=5, help="sessions added per step (default 5)")
    parser.add_argument("--step-seconds", type=float, default=20, help="seconds per step (default 20)")
    parser.add_argument("--think", type=float, default=2, help="seconds between one session's reruns (default 2)")
    parser.add_argument("--p95-limit", type=float, default=1.0, help="p95 rerun latency that counts as broken")
    parser.add_argument("--max-sessions", type=int, default=200, help="never more sessions than this (default 200)")
    parser.add_argument("--max-seconds", type=float, default=900, help="never longer than this (default 900)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds one request or rerun may take")
    args = parser.parse_args(argv)

    steps, baseline, broke = asyncio.run(ramp(args))
    good = [step for step in steps if not step[1] and step[4] is not None and step[4] <= args.p95_limit]
    print()
    if good:
        held, _, _, p50, p95, memory = good[-1]
        print(f"held: {held} sessions with p95 rerun latency {p95:.3f} s (p50 {p50:.3f} s) <= {args.p95_limit} s")
        if memory and baseline:
            print(f"memory: {baseline / MIB:.0f} MiB idle, {memory / MIB:.0f} MiB with {held} sessions: "
                  f"{(memory - baseline) / held / MIB:.1f} MiB per session")  # fmt: skip
    else:
        print(f"held: no step stayed under p95 {args.p95_limit} s")
    print(f"breaks: {broke}" if broke else "breaks: not within --max-sessions / --max-seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
