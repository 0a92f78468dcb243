"""The baked deploy/kubernetes: valid offline against the API schemas, true to the Dockerfile, and the
session persistence its HTTPRoute asks of a gateway proved with three replicas behind HAProxy.

Core kinds are checked against the Kubernetes API schemas that `kubernetes-validate` ships, strictly
(unknown fields fail); the HTTPRoute against the schema of Gateway API's experimental HTTPRoute CRD
vendored in tests/schemas/ (see its README). The slow test builds the baked image, runs three
containers on 127.0.0.1 behind a loopback HAProxy and drives a real Streamlit session through it
(tests/streamlit_session_client.py): with cookie persistence an upload reaches the app; without it the
upload lands on another replica and Streamlit answers `400 Invalid session_id`.
"""

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
from helpers import DEFAULT_PYTHON, bake, run

KUBERNETES_VERSION = "1.37.0"  # the newest API schemas kubernetes-validate 1.37 ships
GATEWAY_API = "v1.6.1"  # the experimental channel: HTTPRoute sessionPersistence is there only
HTTPROUTE_SCHEMA = Path(__file__).parent / "schemas" / f"gateway-api-{GATEWAY_API}-experimental-httproute-v1.json"
SESSION_CLIENT = Path(__file__).parent / "streamlit_session_client.py"
MANIFESTS = Path("deploy") / "kubernetes"
CORE_KINDS = {"Deployment", "Service", "PodDisruptionBudget"}
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
        ("HTTPRoute", ("spec", "rules", 0), "sessionPersistance", {"type": "Cookie"}),
        ("HTTPRoute", ("spec", "rules", 0, "sessionPersistence"), "type", "Sticky"),
        ("HTTPRoute", ("spec", "rules", 0, "timeouts"), "request", "forever"),
    ],
    ids=["misspelt field", "wrong type", "misspelt Service field", "misspelt route field", "unknown enum value",
         "malformed duration"],
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
    assert deployment["spec"]["replicas"] == 2
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

UPLOAD_APP = '''"""The test's upload app: which replica runs the session, and the uploaded file's text on rerun."""

import os

import streamlit as st

st.markdown(f"replica {os.environ.get('REPLICA', '?')}")
uploaded = st.file_uploader("A text file", key="upload")
if uploaded is not None:
    st.text(uploaded.getvalue().decode())
'''


class SessionLost(AssertionError):
    """The upload or the rerun did not reach the replica that holds the session."""


def haproxy_binary():
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@dataclass
class Replicas:
    tag: str  # the image
    ports: list  # where each replica listens on 127.0.0.1
    client: str  # a container of the image on the host network, to run the session client in


@pytest.fixture(scope="module")
def replicas(docker, tmp_path_factory):
    """Three containers of a baked project whose app takes an upload, and one more to drive sessions from.

    The replicas run as the Deployment runs its pods: read-only with a tmpfs, no capabilities, no privilege gain.
    """
    if not haproxy_binary():
        pytest.skip("no haproxy (Debian's package) to balance the replicas with; .ci/run installs it")
    project = bake(tmp_path_factory.mktemp("replicas"), python_version=DEFAULT_PYTHON)
    (project / "streamlit_app.py").write_text(UPLOAD_APP)
    label = uuid.uuid4().hex[:10]
    tag = f"pinned-streamlit-test-replicas-{label}:latest"
    names = [f"pinned-streamlit-test-replica-{i}-{label}" for i in (1, 2, 3)]
    client = f"pinned-streamlit-test-client-{label}"
    locked_down = ["--read-only", "--tmpfs=/tmp", "--cap-drop=ALL", "--security-opt=no-new-privileges"]
    try:
        run([docker, "build", "--force-rm", f"--build-arg=PYTHON_VERSION={DEFAULT_PYTHON}", f"--tag={tag}", "."],
            cwd=project)  # fmt: skip
        ports = []
        for i, name in enumerate(names, 1):
            run([docker, "run", "--detach", f"--name={name}", f"--env=REPLICA=r{i}", *locked_down,
                 "--publish=127.0.0.1::8501", tag], cwd=".")  # fmt: skip
            address = run([docker, "port", name, "8501/tcp"], cwd=".").stdout.split()[0]
            assert address.startswith("127.0.0.1:"), f"published on {address}, not on loopback only"
            ports.append(int(address.rsplit(":", 1)[1]))
        run([docker, "run", "--detach", f"--name={client}", "--network=host", "--no-healthcheck", *locked_down, tag,
             "sleep", "900"], cwd=".")  # fmt: skip
        for name, port in zip(names, ports, strict=True):
            health = functools.partial(answers, f"http://127.0.0.1:{port}/_stcore/health", b"ok")
            wait_until(health, HEALTH_TIMEOUT, f"replica {name} does not answer its health check")
        yield Replicas(tag, ports, client)
    finally:
        subprocess.run([docker, "rm", "--force", *names, client], check=False, capture_output=True)
        subprocess.run([docker, "rmi", "--force", tag], check=False, capture_output=True)


def haproxy_config(port, backends, persistence):
    """HAProxy on 127.0.0.1: round robin over the replicas, with or without an inserted cookie."""
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p}" + (f" cookie r{i}" if persistence else "") for i, p in enumerate(backends, 1)
    )
    return f"""\
global
    maxconn 200
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 10m
frontend web
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
{"    cookie SRV insert indirect nocache" if persistence else ""}
{servers}
"""


def drive_session(docker, replicas, url, content):
    """Run tests/streamlit_session_client.py against `url` in the client container: its report."""
    result = run([docker, "exec", "--interactive", replicas.client, "python", "-", url, content], cwd=".",
                 input=SESSION_CLIENT.read_text(), timeout=120)  # fmt: skip
    return json.loads(result.stdout)


def assert_session_kept(report, content):
    assert report["page"] == 200 and report["health"] == 200, report
    assert report["exceptions"] == [], report
    if report["upload"] != 204 or report["shown"] != [content]:
        raise SessionLost(
            f"the upload answered {report['upload']} {report['upload_answer'][:120]!r} and the rerun showed "
            f"{report['shown']}, not [{content!r}]: the upload did not reach the replica that holds the session"
        )


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
    docker, replicas, tmp_path, persistence
):
    haproxy, port = haproxy_binary(), free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(port, replicas.ports, persistence))
    run([haproxy, "-c", "-f", config], cwd=tmp_path)
    balancer = subprocess.Popen([haproxy, "-db", "-f", config], cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        wait_until(lambda: balancer.poll() is None and accepts(port), 10, "HAProxy does not listen")
        url = f"http://127.0.0.1:{port}"
        # Two browsers one after the other: round robin puts them on different replicas, and each
        # one's page, WebSocket, upload and rerun must all meet the replica that holds its session.
        reports = []
        for browser in (1, 2):
            content = f"browser {browser} uploaded this through HAProxy ({uuid.uuid4().hex[:8]})"
            reports.append(drive_session(docker, replicas, url, content))
            assert ("SRV" in reports[-1]["cookies"]) is persistence, reports[-1]["cookies"]
            assert_session_kept(reports[-1], content)
        replicas_used = [r["replica"] for r in reports]
        assert replicas_used[0] != replicas_used[1], f"both browsers were on {replicas_used[0]}: nothing was balanced"
    finally:
        balancer.terminate()
        try:
            balancer.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            balancer.kill()
            balancer.communicate()
