"""GitHub workflows: schema-valid, zizmor-clean, copied verbatim, and every command they run passes.

The baked project's workflows (.github/workflows/ci.yml, upgrade.yml) and dependabot.yml, and the
template's own (/.github), are checked offline with check-jsonschema's vendored schemas and zizmor.
The slow test reads the baked workflows and runs each `run:` command of the lock, test and upgrade
steps in a baked project, the way GitHub's runner would, so a step that breaks fails here first.
"""

import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml
from helpers import DEFAULT_PYTHON, LOCK_TOOLS, PYTHON_VERSIONS, ROOT, TEMPLATE, bake, python_for, run

BAKED_WORKFLOWS = (".github/workflows/ci.yml", ".github/workflows/upgrade.yml")
BAKED_DEPENDABOT = ".github/dependabot.yml"
BAKED_GITHUB_FILES = (*BAKED_WORKFLOWS, BAKED_DEPENDABOT)
TEMPLATE_WORKFLOWS = tuple(sorted((ROOT / ".github" / "workflows").glob("*.yml")))
TEMPLATE_DEPENDABOT = ROOT / ".github" / "dependabot.yml"

# owner/repo[/path]@<40 hex> # vX.Y.Z: the full release, whose tag names that commit
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s")
STEP_OUTPUT_CONDITION = re.compile(r"^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$")
INVOKE_TASK = re.compile(r"\binvoke\s+([a-z][\w-]*)")


# Every action the workflows use, at the newest release its repository has, pinned to the commit that release's
# tag names. Checked 2026-11-29 in a snapshot of each repository (the snapshots' newest commits are from July 2026,
# so a later release may exist): `git rev-parse vX.Y.Z^{commit}` gives the SHA, and every tag below is lightweight
# (the tag ref is the commit itself, so there is no tag object to pin by mistake). The inputs are the `inputs:` of
# the action.yml at that tag; every action here runs on Node 24, which needs runner 2.327.1 or newer (GitHub's
# hosted ubuntu-24.04 runners are newer). A bump is a deliberate edit of this table, after the same checks.
#   checkout v7: refuses a fork's pull-request code under pull_request_target or workflow_run unless
#     `allow-unsafe-pr-checkout: true` (new input); v6 keeps persisted credentials in a file under RUNNER_TEMP.
#   setup-python v7: internals moved to ESM, inputs and outputs unchanged.
#   create-pull-request v8: Node 24 (runner 2.327.1 or newer), inputs and outputs unchanged since v7.
VERIFIED_ACTIONS = {
    "actions/checkout": {
        "release": "v7.0.1",
        "sha": "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "inputs": "repository ref token ssh-key ssh-known-hosts ssh-strict ssh-user persist-credentials path clean "
        "filter sparse-checkout sparse-checkout-cone-mode fetch-depth fetch-tags show-progress lfs submodules "
        "set-safe-directory github-server-url allow-unsafe-pr-checkout",
    },
    "actions/setup-python": {
        "release": "v7.0.0",
        "sha": "5fda3b95a4ea91299a34e894583c3862153e4b97",
        "inputs": "python-version python-version-file cache architecture check-latest token cache-dependency-path "
        "update-environment allow-prereleases freethreaded pip-version",
    },
    "actions/upload-artifact": {
        "release": "v7.0.0",
        "sha": "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        "inputs": "name path if-no-files-found retention-days compression-level overwrite include-hidden-files archive",
    },
    "peter-evans/create-pull-request": {
        "release": "v8.1.1",
        "sha": "5f6978faf089d4d20b00c7766989d076bb2fc7f1",
        "inputs": "token branch-token path add-paths commit-message committer author signoff branch delete-branch "
        "branch-suffix base push-to-fork sign-commits title body body-path labels assignees reviewers team-reviewers "
        "milestone draft maintainer-can-modify",
    },
}


def tool(name):
    """A console script of the template's dev venv (the one running these tests)."""
    found = shutil.which(name, path=sysconfig.get_path("scripts"))
    assert found, f"{name} is not installed in the dev venv; it is pinned in requirements-dev.txt"
    return found


def load(path):
    return yaml.load(Path(path).read_text(), Loader=yaml.BaseLoader)  # every scalar a string: "on" stays "on"


def steps_with_uses(workflow):
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                yield step


@pytest.fixture(scope="module", params=LOCK_TOOLS)
def baked(request, tmp_path_factory):
    """A project baked with each lock engine (default answers otherwise)."""
    return bake(tmp_path_factory.mktemp(f"wf-{request.param}"), lock_tool=request.param)


# --- what reaches the baked project -------------------------------------------------------------


def test_github_files_are_copied_byte_for_byte(baked):
    """Cookiecutter must not render the workflows: GitHub's ${{ }} expressions arrive exactly as written."""
    found = sorted(str(p.relative_to(baked)) for p in (baked / ".github").rglob("*") if p.is_file())
    assert found == sorted(BAKED_GITHUB_FILES)
    for name in BAKED_GITHUB_FILES:
        assert (baked / name).read_bytes() == (TEMPLATE / name).read_bytes(), name
    for name in BAKED_WORKFLOWS:
        assert "${{ github." in (baked / name).read_text(), f"{name} holds no expression; the check proves nothing"


# --- schemas and zizmor, offline ----------------------------------------------------------------


def check_schema(schema, files):
    result = run([tool("check-jsonschema"), "--builtin-schema", schema, *files], cwd=ROOT, check=False)
    assert result.returncode == 0, f"{schema} rejects {files}:\n{result.stdout}\n{result.stderr}"


def zizmor(files):
    """zizmor's findings (JSON) for `files`: offline, no config file, inline ignores not honoured."""
    argv = [tool("zizmor"), "--offline", "--no-config", "--no-ignores", "--no-progress", "--format=json", *files]
    result = run(argv, cwd=ROOT, check=False)
    assert result.returncode in (0, 10, 11, 12, 13, 14), f"zizmor failed to run:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout), result


def assert_zizmor_clean(files):
    findings, result = zizmor(files)
    summary = [f"{f['ident']}: {f['desc']}" for f in findings]
    assert findings == [] and result.returncode == 0, "zizmor findings:\n" + "\n".join(map(str, summary))


def test_baked_workflows_match_the_github_workflow_schema(baked):
    check_schema("vendor.github-workflows", [baked / name for name in BAKED_WORKFLOWS])


def test_baked_dependabot_matches_its_schema(baked):
    check_schema("vendor.dependabot", [baked / BAKED_DEPENDABOT])


def test_baked_github_files_pass_zizmor(baked):
    assert_zizmor_clean([baked / name for name in BAKED_GITHUB_FILES])


def test_template_workflows_match_the_github_workflow_schema():
    assert {p.name for p in TEMPLATE_WORKFLOWS} == {"test.yml", "refresh-locks.yml"}
    check_schema("vendor.github-workflows", TEMPLATE_WORKFLOWS)
    check_schema("vendor.dependabot", [TEMPLATE_DEPENDABOT])


def test_template_github_files_pass_zizmor():
    assert_zizmor_clean([*TEMPLATE_WORKFLOWS, TEMPLATE_DEPENDABOT])


def test_zizmor_does_report_an_unpinned_action(tmp_path):
    """The zizmor check can fail: the baked ci.yml with tags for SHAs and credentials kept has findings."""
    source = (TEMPLATE / BAKED_WORKFLOWS[0]).read_text()
    weakened = re.sub(r"(actions/checkout)@[0-9a-f]{40}", r"\1@v7", source)
    weakened = weakened.replace("        with:\n          persist-credentials: false\n", "")
    assert weakened.count("@v7") == source.count("actions/checkout@") > 1 and "persist-credentials" not in weakened
    (tmp_path / "ci.yml").write_text(weakened)
    findings, _ = zizmor([tmp_path / "ci.yml"])
    assert {f["ident"] for f in findings} == {"unpinned-uses", "artipacked"}


# --- pins, permissions, triggers ----------------------------------------------------------------


ALL_WORKFLOWS = [*(TEMPLATE / n for n in BAKED_WORKFLOWS), *TEMPLATE_WORKFLOWS]


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_action_is_pinned_to_a_commit_sha_with_its_release(path):
    lines = [line for line in path.read_text().splitlines() if USES_LINE.match(line)]
    assert lines, "a workflow without actions? then this test checks nothing"
    for line in lines:
        assert PINNED_USES.match(line), f"not pinned to a 40-hex SHA with a '# vX.Y.Z' comment: {line.strip()}"
    assert len(lines) == sum(1 for _ in steps_with_uses(load(path))), "a `uses:` the line check did not see"


def test_the_pin_check_refuses_tags_branches_short_shas_and_missing_or_partial_release_comments():
    sha = VERIFIED_ACTIONS["actions/checkout"]["sha"]
    assert PINNED_USES.match(f"      - uses: actions/checkout@{sha} # v7.0.1")
    for line in (
        "      - uses: actions/checkout@v7",
        "      - uses: actions/checkout@main # v7.0.1",
        f"      - uses: actions/checkout@{sha[:12]} # v7.0.1",
        f"      - uses: actions/checkout@{sha}",
        f"      - uses: actions/checkout@{sha} # v7",
        f"      - uses: actions/checkout@{sha.upper()} # v7.0.1",
    ):
        assert not PINNED_USES.match(line), line


def pinned_uses(paths):
    for path in paths:
        for line in path.read_text().splitlines():
            match = PINNED_USES.match(line)
            if match:
                yield path, *match.groups()


def test_every_action_is_at_the_release_and_sha_verified_against_its_upstream_tag():
    used = set()
    for path, action, sha, release in pinned_uses(ALL_WORKFLOWS):
        name = f"{path.relative_to(ROOT)}: {action}"
        assert action in VERIFIED_ACTIONS, f"{name} is not in VERIFIED_ACTIONS: check its newest tag's commit, add it"
        expected = VERIFIED_ACTIONS[action]
        assert (release, sha) == (expected["release"], expected["sha"]), (
            f"{name}@{sha} # {release}: not the verified pin"
        )
        used.add(action)
    assert used == set(VERIFIED_ACTIONS), f"verified but unused: {set(VERIFIED_ACTIONS) - used}"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_with_key_is_an_input_of_the_pinned_release(path):
    for step in steps_with_uses(load(path)):
        action = step["uses"].split("@")[0]
        inputs = set(VERIFIED_ACTIONS[action]["inputs"].split())
        unknown = set(step.get("with", {})) - inputs
        assert not unknown, f"{action} {VERIFIED_ACTIONS[action]['release']} has no input {sorted(unknown)}"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_workflow_needs_checkouts_unsafe_fork_opt_in(path):
    """checkout v7 refuses a fork's code only under pull_request_target or workflow_run (with a custom ref or
    repository); none of ours runs on those triggers or checks out anything but the triggering commit."""
    workflow = load(path)
    assert not {"pull_request_target", "workflow_run"} & set(workflow["on"]), "a trusted context for untrusted code"
    for step in steps_with_uses(workflow):
        if step["uses"].startswith("actions/checkout@"):
            assert not {"allow-unsafe-pr-checkout", "ref", "repository"} & set(step.get("with", {})), step


def test_one_sha_per_action_release_everywhere():
    """The same action at the same release has the same SHA in every workflow and in the docs' App-token example."""
    docs = [TEMPLATE / "README.md", *sorted((TEMPLATE / "docs").glob("*.md"))]
    seen = {}
    for path in [*ALL_WORKFLOWS, *docs]:
        for line in path.read_text().splitlines():
            match = PINNED_USES.match(line)
            if match:
                action, sha, release = match.groups()
                assert seen.setdefault((action, release), sha) == sha, f"{action} {release}: two SHAs"
                assert seen.setdefault((action, sha), release) == release, f"{action}@{sha}: two releases"
    assert any(action == "actions/create-github-app-token" for action, _ in seen), "the App-token example"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_least_privilege_timeouts_and_concurrency(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}, "read-only at the top; raise per job only"
    assert "group" in workflow["concurrency"]
    for name, job in workflow["jobs"].items():
        assert int(job["timeout-minutes"]) <= 90, name
        assert job["runs-on"] == "ubuntu-24.04", f"{name}: a hosted runner, new enough for Node 24 actions (2.327.1+)"
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false", name
            assert "${{" not in step.get("run", ""), f"{name}: expressions in a run: script invite injection"
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        uses_pr_action = any(s.get("uses", "").startswith("peter-evans/create-pull-request@") for s in job["steps"])
        assert writes == ({"contents", "pull-requests"} if uses_pr_action else set()), name


def test_ci_runs_the_tasks_the_issue_names():
    ci = load(TEMPLATE / BAKED_WORKFLOWS[0])
    assert set(ci["on"]) >= {"push", "pull_request"}
    assert ci["concurrency"]["cancel-in-progress"] == "true"
    runs = {name: [s["run"].strip() for s in job["steps"] if "run" in s] for name, job in ci["jobs"].items()}
    install = "python -m pip install --require-hashes -r requirements.txt -r requirements-dev.txt"
    assert runs == {
        "lock": [install, "invoke lock --check"],
        "test": [install, "python -m pip check", "invoke lint", "invoke test"],
        "audit": [install, "invoke audit"],
        "cloud": [install, "invoke cloud-smoke"],
        "docker": [install, "invoke sbom", "invoke docker-build", "invoke docker-smoke"],
    }
    for name, job in ci["jobs"].items():
        setup = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
        assert setup and setup[0]["with"]["python-version-file"] == ".python-version", name
        if "cache" in setup[0]["with"]:
            assert setup[0]["with"]["cache-dependency-path"].split() == ["requirements.txt", "requirements-dev.txt"]


def test_upgrade_runs_weekly_and_on_demand_and_proposes_one_branch():
    upgrade = load(TEMPLATE / BAKED_WORKFLOWS[1])
    assert set(upgrade["on"]) == {"schedule", "workflow_dispatch"}
    assert len(upgrade["on"]["schedule"][0]["cron"].split()) == 5
    assert upgrade["concurrency"]["cancel-in-progress"] == "false", "never cancel a run that is pushing"
    (job,) = upgrade["jobs"].values()
    (propose,) = [s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert propose["with"]["branch"] == "automation/upgrade-pins"
    # git's own glob: both locks, and the build lock when build-from-source names a package.
    assert propose["with"]["add-paths"].split() == ["requirements*", "Dockerfile"]
    assert propose["if"] == "steps.upgrade.outputs.changed == 'true'"


def test_the_bots_pull_requests_can_run_ci_with_the_token_the_readmes_name():
    """A pull request opened with GITHUB_TOKEN starts no workflow; with the secret the README names, ci.yml
    (and the template's test.yml) runs on the bot's pull request as on anyone's."""
    cases = [
        (TEMPLATE / BAKED_WORKFLOWS[1], "UPGRADE_PR_TOKEN", TEMPLATE / BAKED_WORKFLOWS[0], TEMPLATE),
        (ROOT / ".github/workflows/refresh-locks.yml", "REFRESH_PR_TOKEN", ROOT / ".github/workflows/test.yml", ROOT),
    ]
    for proposer, secret, ci, docs_root in cases:
        (job,) = load(proposer)["jobs"].values()
        (propose,) = [s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
        assert propose["with"]["token"] == f"${{{{ secrets.{secret} || github.token }}}}", proposer.name
        assert {"push", "pull_request"} <= set(load(ci)["on"]), ci.name
        docs = [docs_root / "README.md", *sorted((docs_root / "docs").glob("*.md"))]
        assert any(secret in doc.read_text() for doc in docs if doc.exists()), f"no README or docs page names {secret}"


def test_every_invoke_task_the_workflows_run_exists(baked):
    """`invoke X` in a workflow names a task the baked tasks package defines (the docker job's too)."""
    listed = run([tool("invoke"), "--list"], cwd=baked).stdout
    tasks = set(re.findall(r"^\s+([a-z][\w-]*)", listed, re.M))
    for name in BAKED_WORKFLOWS:
        for job in load(baked / name)["jobs"].values():
            for step in job["steps"]:
                for task in INVOKE_TASK.findall(step.get("run", "")):
                    assert task in tasks, f"{name}: `invoke {task}` is not a baked task ({sorted(tasks)})"


def test_template_ci_covers_every_offered_python():
    workflow = load(ROOT / ".github" / "workflows" / "test.yml")
    offered = json.loads((ROOT / "cookiecutter.json").read_text())["python_version"]
    assert sorted(workflow["jobs"]["fast"]["strategy"]["matrix"]["python"]) == sorted(offered) == list(PYTHON_VERSIONS)
    full = workflow["jobs"]["full"]["steps"]
    (setup,) = [s for s in full if s.get("uses", "").startswith("actions/setup-python@")]
    assert sorted(setup["with"]["python-version"].split()) == list(PYTHON_VERSIONS), "slow tests need every minor"
    for job in workflow["jobs"].values():
        assert any(s.get("run", "").startswith("python scripts/test.py") for s in job["steps"]), "the README's command"
    refresh = load(ROOT / ".github" / "workflows" / "refresh-locks.yml")
    (job,) = refresh["jobs"].values()
    assert "python scripts/refresh_locks.py --upgrade" in [s.get("run", "").strip() for s in job["steps"]]
    (setup,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert sorted(setup["with"]["python-version"].split()) == list(PYTHON_VERSIONS), "each lock needs its own minor"


# --- the commands themselves --------------------------------------------------------------------


class Runner:
    """Runs a job's `run:` steps as GitHub's Ubuntu runner does (`bash -e`, GITHUB_OUTPUT, RUNNER_TEMP).

    `uses:` steps are stood in for by the test: the project directory is the checkout and `bin_dir`,
    first on PATH, is the Python that setup-python would provide.
    """

    def __init__(self, project, bin_dir, scratch):
        self.project, self.bin_dir = project, Path(bin_dir)
        self.runner_temp = scratch / "runner-temp"
        self.runner_temp.mkdir(parents=True, exist_ok=True)
        self.summary = scratch / "step-summary.md"
        self.scratch = scratch
        self.count = 0

    def condition_holds(self, condition, outputs):
        match = STEP_OUTPUT_CONDITION.match(condition)
        assert match, f"this test evaluates only `steps.ID.outputs.NAME == 'VALUE'`, not {condition!r}"
        step_id, name, value = match.groups()
        assert step_id in outputs, f"`if: {condition}` names a step that has not run"
        return outputs[step_id].get(name) == value

    def run_job(self, job, only_ids=None):
        """Run the job's run: steps in order; return ({step id: outputs}, [names of steps run])."""
        outputs, ran = {}, []
        for step in job["steps"]:
            if "run" not in step or (only_ids is not None and step.get("id") not in only_ids):
                continue
            if "if" in step and not self.condition_holds(step["if"], outputs):
                continue
            assert "working-directory" not in step and "shell" not in step and "env" not in step, step
            self.count += 1
            script = self.scratch / f"step-{self.count}.sh"
            script.write_text(step["run"])
            output = self.scratch / f"output-{self.count}"
            output.write_text("")
            env = {
                **os.environ,
                "PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(self.summary),
                "RUNNER_TEMP": str(self.runner_temp),
            }
            env.pop("VIRTUAL_ENV", None)
            result = subprocess.run(["bash", "--noprofile", "--norc", "-e", str(script)], cwd=self.project, env=env,
                                    capture_output=True, text=True)  # fmt: skip
            assert result.returncode == 0, (
                f"step {step.get('name', step['run'])!r} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
            ran.append(step.get("name", step["run"].strip()))
            if "id" in step:
                outputs[step["id"]] = dict(
                    line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
                )
        return outputs, ran

    def expression(self, text):
        """The one expression the upgrade step's `with:` uses besides secrets: runner.temp."""
        return text.replace("${{ runner.temp }}", str(self.runner_temp))


def git(project, *args):
    return run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args], cwd=project)


def commit_everything(project, message):
    """What actions/checkout leaves: a clean work tree of the committed project."""
    if not (project / ".git").exists():
        git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--allow-empty", "-m", message)


def pinned_version(lock_text, name):
    match = re.search(rf"(?m)^{re.escape(name)}==([^\s;]+)", lock_text)
    assert match, f"{name} is not pinned in the lock"
    return match.group(1)


STALE_PACKAGE, OLDER = "altair", "altair<6"  # only in the app's lock; releases of 6.x are months old, past any cooldown


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("python_version", [DEFAULT_PYTHON])
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_workflow_commands_pass_in_a_baked_project(lock_tool, python_version, baked_venv, tmp_path, registry):
    """Every run: of ci.yml's lock and test jobs and of upgrade.yml passes; the upgrade PR body is the table."""
    project = bake(tmp_path / "fresh", lock_tool=lock_tool, python_version=python_version)
    ci = load(project / BAKED_WORKFLOWS[0])
    upgrade_workflow = load(project / BAKED_WORKFLOWS[1])

    # ci.yml, lock and test jobs, in the venv of the baked locks (the install step is then a no-op).
    venv = baked_venv(lock_tool, python_version)
    commit_everything(project, "baked")
    runner = Runner(project, venv.path / "bin", tmp_path / "ci")
    for name in ("lock", "test", "cloud"):
        _, ran = runner.run_job(ci["jobs"][name])
        assert len(ran) == sum("run" in s for s in ci["jobs"][name]["steps"]), f"{name}: a step was skipped"

    # A project whose lock is stale on purpose: an older release of one package, with its real hashes,
    # compiled by the project's own `invoke lock`; then the bound is taken away again.
    stale = bake(tmp_path / "stale", lock_tool=lock_tool, python_version=python_version)
    current = pinned_version((stale / "requirements.txt").read_text(), STALE_PACKAGE)
    requirements_in = (stale / "requirements.in").read_text()
    (stale / "requirements.in").write_text(f"{requirements_in}{OLDER}\n")
    venv.invoke(stale, "lock")
    (stale / "requirements.in").write_text(requirements_in)
    older = pinned_version((stale / "requirements.txt").read_text(), STALE_PACKAGE)
    assert older != current
    # The base image as a mirror serves it (no registry outside this machine answers here): the upgrade job's
    # pin-base-image then asks that same registry for the current digest.
    venv.invoke(stale, "pin-base-image", f"--image={registry}/python:{python_version}-slim")
    commit_everything(stale, "stale lock")

    # upgrade.yml, in a fresh venv as on a fresh runner: its first step installs what it needs.
    fresh = tmp_path / "runner-venv"
    run([python_for(python_version), "-m", "venv", fresh], cwd=tmp_path)
    runner = Runner(stale, fresh / "bin", tmp_path / "upgrade")
    (job,) = upgrade_workflow["jobs"].values()
    outputs, ran = runner.run_job(job)
    assert outputs["upgrade"] == {"changed": "true"}
    assert len(ran) == sum("run" in s for s in job["steps"]), "with a change, every step runs"

    # The pull request's body is the change table, and it names the stale package: old -> new.
    (propose,) = [s for s in job["steps"] if "uses" in s and "create-pull-request" in s["uses"]]
    body = Path(runner.expression(propose["with"]["body-path"])).read_text()
    new = pinned_version((stale / "requirements.txt").read_text(), STALE_PACKAGE)
    assert new != older
    tables = body.split("### ")
    assert [t.splitlines()[0] for t in tables[1:]] == ["requirements.txt", "requirements-dev.txt", "Dockerfile"]
    assert tables[0].startswith("Cooldown: 7 days: only releases uploaded before "), tables[0]
    assert "| package | old | new | change |" in tables[1]
    assert f"| {STALE_PACKAGE} | {older} | {new} | changed |" in tables[1].splitlines()
    assert body in runner.summary.read_text(), "the job summary shows the same table"
    assert "requirements.txt" in git(stale, "status", "--porcelain").stdout

    # The upgraded project, committed as the pull request would be: nothing left to move, no pull request.
    commit_everything(stale, "upgrade")
    outputs, ran = runner.run_job(job, only_ids={"upgrade"})
    assert outputs["upgrade"] == {"changed": "false"}
    assert not runner.condition_holds(propose["if"], outputs)
    body = Path(runner.expression(propose["with"]["body-path"])).read_text()
    assert body.count("No pins changed.") == 2, body
