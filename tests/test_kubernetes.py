"""The baked deploy/kubernetes: valid offline against the API schemas, true to the Dockerfile, and the
session persistence its HTTPRoute asks of a gateway proved with three replicas behind HAProxy.

Core kinds are checked against the Kubernetes API schemas that `kubernetes-validate` ships, strictly
(unknown fields fail); the HTTPRoute against the schema of Gateway API's experimental HTTPRoute CRD
vendored in tests/schemas/ (see its README). The slow test builds the baked image, runs three
containers on 127.0.0.1 behind a loopback HAProxy and drives a real Streamlit session through it
(tests/streamlit_session_client.py): with cookie persistence an upload reaches the app; without it the
upload lands on another replica and Streamlit answers `400 Invalid session_id`.
"""

import contextlib
import copy
import functools
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from helpers import DEFAULT_PYTHON, bake, free_port, run

KUBERNETES_VERSION = "1.37.0"  # the newest API schemas kubernetes-validate 1.37 ships
GATEWAY_API = "v1.6.1"  # the experimental channel: HTTPRoute sessionPersistence is there only
HTTPROUTE_SCHEMA = Path(__file__).parent / "schemas" / f"gateway-api-{GATEWAY_API}-experimental-httproute-v1.json"
SESSION_CLIENT = Path(__file__).parent / "streamlit_session_client.py"
LOAD_SCRIPT = Path("deploy") / "load_test.py"
MANIFESTS = Path("deploy") / "kubernetes"
CORE_KINDS = {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"}
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
HEALTH_TIMEOUT = 90  # seconds for a replica to answer its health check


def documents(project):
    """{file name: [documents]} of every manifest in the baked deploy/kubernetes (kustomization.yaml aside)."""
    return {
        path.name: list(yaml.safe_load_all(path.read_text()))
        for path in sorted((project / MANIFESTS).glob("*.yaml"))
        if path.name != "kustomization.yaml"
    }


def objects(project):
    """{kind: the one object of that kind}; fails if a kind appears twice."""
    found = {}
    for docs in documents(project).values():
        for doc in docs:
            assert doc["kind"] not in found, f"two {doc['kind']} objects"
            found[doc["kind"]] = doc
    return found


def kustomization(project):
    return yaml.safe_load((project / MANIFESTS / "kustomization.yaml").read_text())


def strict(schema):
    """The schema with `additionalProperties: false` on every object that lists its properties.

    A CRD's structural schema does not say so itself; the API server's strict field validation
    (kubectl's default) rejects unknown fields all the same.
    """
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (
                node.get("type") == "object"
                and "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@functools.cache
def httproute_validator():
    return jsonschema.Draft7Validator(strict(json.loads(HTTPROUTE_SCHEMA.read_text())))


def schema_errors(obj):
    """Where and why `obj` breaks its schema ([] when valid): the HTTPRoute's vendored CRD schema, or
    the Kubernetes API schema of a core kind (strict: unknown fields fail; the first error only)."""
    if obj["apiVersion"].startswith("gateway.networking.k8s.io/"):
        return [f"{error.json_path}: {error.message}" for error in httproute_validator().iter_errors(obj)]
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{error.json_path}: {error.message}"]
    return []


def dockerfile_runtime(project):
    """What the final stage of the baked Dockerfile sets: uid, gid, port, workdir, health path, HOME."""
    text = (project / "Dockerfile").read_text().replace("\\\n", " ")
    stage = re.split(r"^FROM\s", text, flags=re.MULTILINE)[-1]  # the image `docker build` makes
    user = re.search(r"^USER\s+(\d+):(\d+)\s*$", stage, re.MULTILINE)
    health = re.search(r"^HEALTHCHECK\s.*http://127\.0\.0\.1:(\d+)(/\S+?)['\"]", stage, re.MULTILINE)
    assert user and health, "the Dockerfile's final stage no longer has USER uid:gid and an HTTP HEALTHCHECK"
    return {
        "uid": int(user.group(1)),
        "gid": int(user.group(2)),
        "port": int(re.search(r"^EXPOSE\s+(\d+)\s*$", stage, re.MULTILINE).group(1)),
        "workdir": re.search(r"^WORKDIR\s+(\S+)\s*$", stage, re.MULTILINE).group(1),
        "health_port": int(health.group(1)),
        "health_path": health.group(2),
        "home": re.search(r"\bHOME=(\S+)", stage).group(1),
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return bake(tmp_path_factory.mktemp("kubernetes"))


def test_kustomization_lists_every_manifest_and_the_bake_left_no_template_syntax(project):
    directory = project / MANIFESTS
    listed = kustomization(project)["resources"]
    present = sorted(p.name for p in directory.iterdir() if p.name != "kustomization.yaml")
    assert sorted(listed) == present, f"kustomization.yaml lists {sorted(listed)}; the directory holds {present}"
    assert len(set(listed)) == len(listed), f"listed twice: {listed}"
    for path in directory.iterdir():
        text = path.read_text()
        assert "{{" not in text and "{%" not in text and "cookiecutter" not in text, f"{path.name} was not rendered"


def test_core_kinds_validate_strictly_against_the_kubernetes_api_schemas(project):
    found = objects(project)
    assert set(found) == CORE_KINDS | {"HTTPRoute"}, sorted(found)
    for kind in CORE_KINDS:
        assert schema_errors(found[kind]) == [], kind


def test_httproute_validates_against_the_experimental_gateway_api_crd_schema(project):
    route = objects(project)["HTTPRoute"]
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert schema_errors(route) == []


@pytest.mark.parametrize(
    ("kind", "path", "key", "value"),
    [
        ("Deployment", ("spec", "template", "spec", "containers", 0, "securityContext"), "readOnlyRootFileSystem", True),
        ("Deployment", ("spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet"), "port", [8501]),
        ("Service", ("spec",), "sessionAffinty", "ClientIP"),
        ("HorizontalPodAutoscaler", ("spec", "behavior", "scaleDown"), "stabilisationWindowSeconds", 1800),
        ("HorizontalPodAutoscaler", ("spec",), "minReplicas", "2"),
        ("HTTPRoute", ("spec", "rules", 0), "sessionPersistance", {"type": "Cookie"}),
        ("HTTPRoute", ("spec", "rules", 0, "sessionPersistence"), "type", "Sticky"),
        ("HTTPRoute", ("spec", "rules", 0, "timeouts"), "request", "forever"),
    ],
    ids=["misspelt field", "wrong type", "misspelt Service field", "misspelt autoscaler field",
         "autoscaler count as text", "misspelt route field", "unknown enum value", "malformed duration"],
)  # fmt: skip
def test_the_validators_reject_a_broken_manifest(project, kind, path, key, value):
    """The two tests above can fail: one wrong field, type or value in a manifest makes them fail."""
    broken = copy.deepcopy(objects(project)[kind])
    node = broken
    for step in path:
        node = node[step]
    node[key] = value
    assert schema_errors(objects(project)[kind]) == []
    assert schema_errors(broken) != [], f"{kind} with {key}: {value!r} passed its schema"


def test_deployment_runs_the_image_as_the_dockerfile_does(project):
    image = dockerfile_runtime(project)
    deployment = objects(project)["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert "replicas" not in deployment["spec"], "the autoscaler owns the count; `apply` would reset it"
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": image["uid"],
        "runAsGroup": image["gid"],
        "fsGroup": image["gid"],
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert pod["automountServiceAccountToken"] is False and pod["enableServiceLinks"] is False
    for bound in ("requests", "limits"):
        assert set(container["resources"][bound]) == {"cpu", "memory"}, f"resources.{bound}"

    assert image["health_port"] == image["port"]
    assert container["ports"] == [{"name": "http", "containerPort": image["port"], "protocol": "TCP"}]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": image["health_path"], "port": "http"}, probe

    # Read-only root as `docker run --read-only --tmpfs /tmp`: HOME is there, in memory.
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert image["home"] == "/tmp" and volumes[mounts["/tmp"]["name"]]["emptyDir"]["medium"] == "Memory"

    # Secrets: the one file st.secrets reads, read-only, from a Secret the owner creates (optional).
    secrets_file = f"{image['workdir']}/.streamlit/secrets.toml"
    mount = mounts[secrets_file]
    assert mount["readOnly"] is True and mount["subPath"] == "secrets.toml"
    secret = volumes[mount["name"]]["secret"]
    assert secret["optional"] is True and secret["items"] == [{"key": "secrets.toml", "path": "secrets.toml"}]
    assert (
        f"kubectl create secret generic {secret['secretName']} --from-file=secrets.toml="
        in (project / MANIFESTS / "deployment.yaml").read_text()
    )


def test_every_replica_reads_one_cookie_secret_from_a_secret_the_guide_says_how_to_make(project):
    """Streamlit signs st.login's cookie with server.cookieSecret: a random one per replica unless it is set."""
    (container,) = objects(project)["Deployment"]["spec"]["template"]["spec"]["containers"]
    (variable,) = [v for v in container["env"] if v["name"] == "STREAMLIT_SERVER_COOKIE_SECRET"]
    reference = variable["valueFrom"]["secretKeyRef"]
    assert not reference.get("optional"), "without the Secret each replica would sign with its own random secret"
    command = (
        f"kubectl create secret generic {reference['name']} --from-literal={reference['key']}="
        "\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\""
    )
    guide = (project / "docs" / "kubernetes.md").read_text()
    assert command in re.sub(r"\s*\\\n\s*", " ", guide), "the guide's command, its lines joined"
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in guide and "invoke docker-run" in guide


def test_the_autoscaler_keeps_two_replicas_follows_cpu_and_scales_down_slowly(project):
    found = objects(project)
    deployment, autoscaler = found["Deployment"], found["HorizontalPodAutoscaler"]
    spec = autoscaler["spec"]
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert spec["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert spec["minReplicas"] == 2 < spec["maxReplicas"]
    (metric,) = spec["metrics"]
    assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
    assert 0 < metric["resource"]["target"]["averageUtilization"] < 100
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert "cpu" in container["resources"]["requests"], "utilization is a share of the CPU request"
    # A pod that goes ends its sessions: not every minute, at most one pod per five minutes.
    down = spec["behavior"]["scaleDown"]
    assert down["stabilizationWindowSeconds"] >= 600
    assert all(p["type"] == "Pods" and p["value"] == 1 and p["periodSeconds"] >= 300 for p in down["policies"])


def test_service_disruption_budget_and_route_all_reach_the_deployment(project):
    found = objects(project)
    deployment, service, budget, route = (
        found[k] for k in ("Deployment", "Service", "PodDisruptionBudget", "HTTPRoute")
    )
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert budget["spec"]["maxUnavailable"] == 1

    (port,) = service["spec"]["ports"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert port["targetPort"] in [p["name"] for p in container["ports"]]

    (rule,) = route["spec"]["rules"]
    assert rule["backendRefs"] == [{"name": service["metadata"]["name"], "port": port["port"]}]
    assert [ref["name"] for ref in route["spec"]["parentRefs"]] == ["gateway"], "the README names this Gateway"
    assert rule["sessionPersistence"]["type"] == "Cookie"
    assert rule["timeouts"] == {"request": "0s"}, "a WebSocket lives as long as its tab: no request timeout"
    for obj in found.values():
        assert DNS_LABEL.match(obj["metadata"]["name"]), obj["metadata"]["name"]


def test_the_kubernetes_guide_names_what_the_manifests_use_and_the_readme_links_it(project):
    readme = (project / "README.md").read_text()
    pointer = readme[readme.index("\n## Run on Kubernetes\n") :]
    assert "(docs/kubernetes.md)" in pointer[: pointer.index("\n## ", 1)], "the README no longer links the guide"
    section = (project / "docs" / "kubernetes.md").read_text()
    found = objects(project)
    secret = found["Deployment"]["spec"]["template"]["spec"]["volumes"][1]["secret"]["secretName"]
    (entry,) = kustomization(project)["images"]
    for said in (
        "kubectl apply -k deploy/kubernetes",
        f"kubectl create secret generic {secret} --from-file=secrets.toml=.streamlit/secrets.toml",
        f"kustomize edit set image {entry['name']}=REGISTRY/{entry['name']}@sha256:",
        f"a Gateway called `{found['HTTPRoute']['spec']['parentRefs'][0]['name']}`",
        f"deployment/{found['Deployment']['metadata']['name']}",
        "experimental",
        "sessionAffinity: ClientIP",
        "400 Invalid session_id",
    ):
        assert said in section, f"docs/kubernetes.md no longer says {said!r}"


@pytest.mark.parametrize("slug", ["sales__dash_2", "a" + "b" * 61 + "-c"])
def test_image_is_the_one_invoke_docker_build_makes_and_names_stay_valid(tmp_path, slug):
    project = bake(tmp_path, project_slug=slug)
    shown = run([sys.executable, "-m", "invoke", "--help", "docker-build"], cwd=project).stdout
    unwrapped = re.sub(r"\s*\n\s*", "", shown)  # the help wraps long lines, at hyphens too
    built = re.search(r"name:tag\s*of\s*the\s*image\s*\(default:\s*([^)\s]+)\)", unwrapped).group(1)
    name, tag = built.rsplit(":", 1)
    (entry,) = kustomization(project)["images"]
    assert entry == {"name": name, "newName": name, "newTag": tag}
    (container,) = objects(project)["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["image"] == built
    for obj in objects(project).values():
        assert DNS_LABEL.match(obj["metadata"]["name"]), obj["metadata"]["name"]
        assert schema_errors(obj) == [], obj["kind"]


def test_kubectl_kustomize_renders_the_registry_image_pinned_by_digest(project, tmp_path):
    """What `kustomize edit set image NAME=REGISTRY/NAME@sha256:...` writes, rendered by kubectl's kustomize."""
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("no kubectl on PATH to render the kustomization with (the other tests check it without)")
    deploy = tmp_path / "kubernetes"
    shutil.copytree(project / MANIFESTS, deploy)
    config = kustomization(project)
    (entry,) = config["images"]
    digest = "sha256:" + "0123456789abcdef" * 4
    config["images"] = [
        {"name": entry["name"], "newName": f"registry.example.com/team/{entry['name']}", "digest": digest}
    ]
    (deploy / "kustomization.yaml").write_text(yaml.safe_dump(config))
    rendered = list(yaml.safe_load_all(run([kubectl, "kustomize", deploy], cwd=tmp_path).stdout))
    assert sorted(doc["kind"] for doc in rendered) == sorted(CORE_KINDS | {"HTTPRoute"})
    (deployment,) = [doc for doc in rendered if doc["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == f"registry.example.com/team/{entry['name']}@{digest}"
    for doc in rendered:
        assert schema_errors(doc) == [], doc["kind"]


# --- Three replicas behind a real load balancer ------------------------------------------------------------

REPLICA_APP = '''"""The test's app: its replica, who is logged in there, an upload, and a login cookie this replica signed."""

import asyncio
import os

import streamlit as st
from starlette.responses import Response
from streamlit.web.server.starlette.starlette_auth_routes import _set_auth_cookie

st.markdown(f"replica {os.environ.get('REPLICA', '?')}")
st.markdown(f"logged in {st.user.get('is_logged_in', False)}")
uploaded = st.file_uploader("A text file", key="upload")
if uploaded is not None:
    st.text(uploaded.getvalue().decode())
st.slider("Years", 1, 40, 10, key="years")  # a widget for deploy/load_test.py to move

# The cookie this replica's /oauth2callback sets after a real st.login: Streamlit's own code, signed
# with this replica's cookie secret (no OIDC provider runs in the test, and Authlib is not locked).
user = {"email": "user@example.com", "origin": st.context.headers.get("Origin", ""), "is_logged_in": True}
response = Response()
asyncio.run(_set_auth_cookie(response, user, {}))
st.code(next(c.split(";")[0] for c in response.headers.getlist("set-cookie") if c.startswith("_streamlit_user=")))
'''
LOCKED_DOWN = ["--read-only", "--tmpfs=/tmp", "--cap-drop=ALL", "--security-opt=no-new-privileges"]


class SessionLost(AssertionError):
    """The upload or the rerun did not reach the replica that holds the session."""


class LoggedOut(AssertionError):
    """The replica a session failed over to rejected the login cookie its first replica signed."""


def haproxy_binary():
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} after {timeout}s"
        time.sleep(0.5)


def answers(url, expected=None):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return expected is None or response.read() == expected
    except OSError:
        return False


def accepts(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def readiness(project):
    """The Deployment's readiness probe: (periodSeconds, failureThreshold)."""
    (container,) = objects(project)["Deployment"]["spec"]["template"]["spec"]["containers"]
    probe = container["readinessProbe"]
    return probe["periodSeconds"], probe["failureThreshold"]


@dataclass
class Replicas:
    names: list  # containers r1, r2, r3
    ports: list  # where each listens on 127.0.0.1 (fixed: a restarted replica comes back on its port)

    def wait_healthy(self, name):
        port = self.ports[self.names.index(name)]
        health = functools.partial(answers, f"http://127.0.0.1:{port}/_stcore/health", b"ok")
        wait_until(health, HEALTH_TIMEOUT, f"replica {name} does not answer its health check")


def start_replicas(docker, image, prefix, env=()):
    """Three containers of `image` on 127.0.0.1, locked down as the Deployment runs its pods (`env`: extra
    variables). The replicas run as the Deployment runs its pods: read-only with a tmpfs, no capabilities."""
    replicas = Replicas([f"{prefix}-r{i}" for i in (1, 2, 3)], [])
    for i, name in enumerate(replicas.names, 1):
        port = free_port()
        run([docker, "run", "--detach", f"--name={name}", f"--env=REPLICA=r{i}", *(f"--env={e}" for e in env),
             *LOCKED_DOWN, f"--publish=127.0.0.1:{port}:8501", image], cwd=".")  # fmt: skip
        replicas.ports.append(port)
    for name in replicas.names:
        replicas.wait_healthy(name)
    return replicas


def remove(docker, *names):
    subprocess.run([docker, "rm", "--force", *names], check=False, capture_output=True)


@pytest.fixture(scope="module")
def replica_image(docker, tmp_path_factory):
    """The baked image with the test's app, built once for the module."""
    if not haproxy_binary():
        pytest.skip("no haproxy (Debian's package) to balance the replicas with; .ci/run installs it")
    project = bake(tmp_path_factory.mktemp("replicas"), python_version=DEFAULT_PYTHON)
    (project / "streamlit_app.py").write_text(REPLICA_APP)
    tag = f"pinned-streamlit-test-replicas-{uuid.uuid4().hex[:10]}:latest"
    try:
        run([docker, "build", "--force-rm", f"--tag={tag}", "."],
            cwd=project)  # fmt: skip
        yield tag
    finally:
        subprocess.run([docker, "rmi", "--force", tag], check=False, capture_output=True)


@pytest.fixture(scope="module")
def session_client(docker, replica_image):
    """A container of the image on the host network to drive sessions from (Streamlit's protobufs, websockets)."""
    name = f"pinned-streamlit-test-client-{uuid.uuid4().hex[:10]}"
    try:
        run([docker, "run", "--detach", f"--name={name}", "--network=host", "--no-healthcheck", *LOCKED_DOWN,
             replica_image, "sleep", "1800"], cwd=".")  # fmt: skip
        yield name
    finally:
        remove(docker, name)


@pytest.fixture(scope="module")
def replicas(docker, replica_image):
    """Three replicas sharing one cookie secret, as the Deployment's Secret gives them."""
    prefix = f"pinned-streamlit-test-shared-{uuid.uuid4().hex[:10]}"
    secret = f"STREAMLIT_SERVER_COOKIE_SECRET={uuid.uuid4().hex}{uuid.uuid4().hex}"
    try:
        yield start_replicas(docker, replica_image, prefix, [secret])
    finally:
        remove(docker, *(f"{prefix}-r{i}" for i in (1, 2, 3)))


@pytest.fixture(scope="module")
def replicas_with_their_own_secrets(docker, replica_image):
    """Three replicas without server.cookieSecret: each signs with a random one of its own (Streamlit's default)."""
    prefix = f"pinned-streamlit-test-own-{uuid.uuid4().hex[:10]}"
    try:
        yield start_replicas(docker, replica_image, prefix)
    finally:
        remove(docker, *(f"{prefix}-r{i}" for i in (1, 2, 3)))


def haproxy_config(port, backends, persistence, probe, admin):
    """HAProxy on 127.0.0.1: round robin over the replicas, with or without an inserted cookie.

    Its health check is the readiness probe (path, period, failure threshold); a request meant for a
    replica that is gone goes to another one (`redispatch`); the admin socket takes a replica out and
    back as a terminating pod leaves a Service's endpoints.
    """
    period, failures = probe
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p}" + (f" cookie r{i}" if persistence else "") for i, p in enumerate(backends, 1)
    )
    return f"""\
global
    maxconn 200
    stats socket {admin} level admin
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 10m
    retries 3
    option redispatch
frontend web
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /_stcore/health
    http-check expect string ok
    default-server check inter {period}s fall {failures} rise 1
{"    cookie SRV insert indirect nocache" if persistence else ""}
{servers}
"""


@dataclass
class Balancer:
    url: str
    admin: Path  # HAProxy's admin socket

    def set_state(self, replica, state):
        """`maint` takes replica `rN` out (requests its cookie names go elsewhere), `ready` puts it back."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.admin))
            sock.sendall(f"set server replicas/{replica} state {state}\n".encode())
            assert sock.recv(4096).strip() == b"", f"HAProxy refused to set {replica} {state}"


@contextlib.contextmanager
def balancer(where, ports, persistence=True, probe=(5, 2)):
    """A loopback HAProxy in front of `ports`: yields a Balancer, stops it on the way out."""
    haproxy, port = haproxy_binary(), free_port()
    config, admin = where / "haproxy.cfg", where / "haproxy.sock"
    config.write_text(haproxy_config(port, ports, persistence, probe, admin))
    run([haproxy, "-c", "-f", config], cwd=where)
    process = subprocess.Popen([haproxy, "-db", "-f", config], cwd=where, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        wait_until(lambda: process.poll() is None and accepts(port), 10, "HAProxy does not listen")
        yield Balancer(f"http://127.0.0.1:{port}", admin)
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def session_command(docker, client, mode, url, argument):
    """tests/streamlit_session_client.py run in the client container; its source goes in with -c, so stdin is free."""
    return [docker, "exec", "--interactive", client, "python", "-c", SESSION_CLIENT.read_text(), mode, url, argument]


def drive_session(docker, client, url, content):
    """One upload session against `url`: its report."""
    result = run(session_command(docker, client, "upload", url, content), cwd=".", timeout=120)
    return json.loads(result.stdout.splitlines()[-1])


def assert_session_kept(report, content):
    assert report["page"] == 200 and report["health"] == 200, report
    assert report["exceptions"] == [], report
    if report["upload"] != 204 or report["shown"] != [content]:
        raise SessionLost(
            f"the upload answered {report['upload']} {report['upload_answer'][:120]!r} and the rerun showed "
            f"{report['shown']}, not [{content!r}]: the upload did not reach the replica that holds the session"
        )


def stop_client(client, stdin_text=None, timeout=150):
    """(stdout, stderr) of a session client once it ends; killed if the test leaves early."""
    try:
        return client.communicate(input=stdin_text, timeout=timeout)
    finally:
        if client.poll() is None:
            client.kill()
            client.communicate()


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize(
    "persistence",
    [
        pytest.param(True, id="with cookie persistence"),
        pytest.param(
            False,
            id="without persistence",
            marks=pytest.mark.xfail(
                raises=SessionLost,
                strict=True,
                reason="the control: round robin alone sends the upload to another "
                "replica, which answers 400 Invalid session_id",
            ),
        ),
    ],
)
def test_an_upload_reaches_the_app_across_three_replicas_only_with_session_persistence(
    docker, replicas, session_client, tmp_path, persistence
):
    with balancer(tmp_path, replicas.ports, persistence) as lb:
        url = lb.url
        # Two browsers one after the other: round robin puts them on different replicas, and each
        # one's page, WebSocket, upload and rerun must all meet the replica that holds its session.
        reports = []
        for browser in (1, 2):
            content = f"browser {browser} uploaded this through HAProxy ({uuid.uuid4().hex[:8]})"
            reports.append(drive_session(docker, session_client, url, content))
            assert ("SRV" in reports[-1]["cookies"]) is persistence, reports[-1]["cookies"]
            assert_session_kept(reports[-1], content)
    replicas_used = [r["replica"] for r in reports]
    assert replicas_used[0] != replicas_used[1], f"both browsers were on {replicas_used[0]}: nothing was balanced"


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize(
    "shared_secret",
    [
        pytest.param(True, id="one cookie secret on every replica"),
        pytest.param(
            False,
            id="each replica its own secret",
            marks=pytest.mark.xfail(
                raises=LoggedOut,
                strict=True,
                reason="the control: without one server.cookieSecret, the replica a session fails over to "
                "rejects the st.login cookie the first one signed, and the user is logged out",
            ),
        ),
    ],
)
def test_a_session_survives_the_loss_of_its_replica_failover(docker, request, session_client, tmp_path, shared_secret):
    """The replica holding a logged-in session stops; the client reconnects through the balancer as the
    frontend does, lands on another replica, and its XSRF-checked upload and its rerun succeed there."""
    replicas = request.getfixturevalue("replicas" if shared_secret else "replicas_with_their_own_secrets")
    content = f"uploaded after the failover ({uuid.uuid4().hex[:8]})"
    with balancer(tmp_path, replicas.ports) as lb:
        client = subprocess.Popen(session_command(docker, session_client, "failover", lb.url, content),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        lost = None
        try:
            ready = json.loads(client.stdout.readline() or "{}")
            assert ready.get("logged_in") == ["True"], f"the replica did not take the cookie it signed: {ready}"
            (holder,) = ready["replica"]
            lost = replicas.names[int(holder.removeprefix("r")) - 1]
            run([docker, "stop", "--time=10", lost], cwd=".")  # SIGTERM, as the kubelet stops a pod
            out, err = stop_client(client)
        finally:
            if client.poll() is None:
                client.kill()
                client.communicate()
            if lost:
                run([docker, "start", lost], cwd=".")
                replicas.wait_healthy(lost)
    assert client.returncode == 0, err
    report = json.loads(out.splitlines()[-1])
    print(json.dumps(report))  # the reconnect's time and where it landed, for `pytest -rP`
    assert report["after"]["replica"] != report["before"]["replica"], report
    assert report["after"]["session"] != report["before"]["session"], "another replica, so a new session"
    assert_session_kept(report, content)
    if report["after"]["logged_in"] != ["True"]:
        raise LoggedOut(f"logged in on {holder}, logged out on {report['after']['replica']}: {report}")


@pytest.mark.slow
@pytest.mark.docker
def test_a_rolling_restart_of_every_replica_keeps_a_rerunning_client_served_within_the_probe_period(
    docker, project, replicas, session_client, tmp_path
):
    """Each replica in turn leaves the balancer (as a terminating pod leaves the Service's endpoints), gets
    SIGTERM, comes back, and rejoins once the balancer's readiness check (the Deployment's probe) passes;
    the next one goes only then, as a rolling update waits for a ready pod. A client reruns all along."""
    period, failures = readiness(project)
    with balancer(tmp_path, replicas.ports, probe=(period, failures)) as lb:
        client = subprocess.Popen(session_command(docker, session_client, "reruns", lb.url, "300"),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            assert json.loads(client.stdout.readline() or "{}").get("event") == "ready", "the client did not start"
            for i, name in enumerate(replicas.names, 1):
                lb.set_state(f"r{i}", "maint")
                run([docker, "stop", "--time=10", name], cwd=".")
                run([docker, "start", name], cwd=".")
                replicas.wait_healthy(name)
                lb.set_state(f"r{i}", "ready")
                time.sleep(period)  # one readiness period: the balancer's check has seen it answer
        finally:
            out, err = stop_client(client, stdin_text="stop\n", timeout=60)
    assert client.returncode == 0, err
    report = json.loads(out.splitlines()[-1])
    print(json.dumps(report))  # every failure, the replicas in turn and the longest gap, for `pytest -rP`
    assert report["reruns"] > 20, report
    assert len(report["replicas"]) >= 2, f"the client stayed on {report['replicas']}: its replica never went"
    assert report["longest_gap"] <= period * failures, (
        f"no successful rerun for {report['longest_gap']}s, longer than the probe allows ({period}s x {failures}): "
        f"{report}"
    )


@pytest.mark.slow
@pytest.mark.docker
def test_the_load_script_holds_real_sessions_reports_latency_and_sends_nothing_off_this_machine(
    docker, project, replicas, session_client
):
    """deploy/load_test.py, run short with what the app's lock installs (the image's venv): two steps of two
    sessions, each rerunning with its slider moved; and it refuses any URL that is not this machine."""
    command = [docker, "exec", session_client, "python", "-c", (project / LOAD_SCRIPT).read_text()]
    url = f"http://127.0.0.1:{replicas.ports[0]}"
    short = "--step 2 --step-seconds 3 --max-sessions 4 --think 1 --p95-limit 30".split()
    shown = run([*command, "--url", url, *short], cwd=".", timeout=120).stdout
    steps = [line.split() for line in shown.splitlines() if re.match(r"\s+[24]\s+0\s+\d+\s", line)]
    assert [int(step[0]) for step in steps] == [2, 4], shown
    assert all(int(step[2]) >= 2 and 0 < float(step[3]) <= float(step[4]) for step in steps), shown
    assert re.search(r"^held: \d sessions with p95 rerun latency [\d.]+ s", shown, re.MULTILINE), shown
    refused = run([*command, "--url", "http://192.0.2.1:8501"], cwd=".", check=False)
    assert refused.returncode == 2 and "only 127.0.0.1 or localhost" in refused.stderr, refused
