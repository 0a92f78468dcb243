"""The two lock engines, each described once, and compiling both locks with whichever wrote them.

An engine says how it compiles (and what its header records, so a bot re-runs the same command), how
it syncs a venv, how a cooldown and your package sources reach it, and whether it resolves for other
platforms or only for the interpreter it runs on. `engine()` picks one from requirements.txt's header;
nothing else asks which engine it is.

Every compile runs in a scratch copy of the project, so a failure or Ctrl-C leaves the real locks untouched.
Your remote indexes (a company index, a mirror) are used to resolve, never written into a lock; a wheel
folder (find-links), a file:// or localhost index and a local constraint file never reach a compile.
"""

import os
import platform
import shlex
import shutil
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from invoke import Exit
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from . import index, locks
from .project import (
    BUILD_LOCK,
    LOCK_FILES,
    LOCKS,
    ROOT,
    built_from_source,
    python_version,
    read_locks,
    run,
    running_minor,
    scratch_dir,
    settings,
    venv_tool,
)

LOOPBACK = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
BUILD_HEADER = """\
# Written by `invoke lock` (do not edit): what the sdists of build-from-source in pyproject.toml need to build,
# from each one's [build-system] requires. requirements-build.txt pins it; the image's builder builds with it.
-c requirements.txt
"""


def is_remote(location):
    """True for an http(s) URL on another machine; False for a path, a file:// URL or a loopback host."""
    parts = urlsplit(location.split("=", 1)[-1].strip())  # uv's `name=url` index form
    return parts.scheme in ("http", "https") and (parts.hostname or "") not in LOOPBACK


def remote_only(values):
    return [value for value in values if value and is_remote(value)]


def uv_environment(environ):
    """The environment for uv: no uv.toml at all (UV_NO_CONFIG), the remote indexes of your uv.toml and UV_* kept."""
    config = {}
    if not environ.get("UV_NO_CONFIG"):
        home = Path.home()
        user = Path(environ.get("APPDATA", home / "AppData/Roaming")) if sys.platform == "win32" else None
        user = user or Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
        system = [Path(d) for d in environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")] + [Path("/etc")]
        for folder in [*reversed(system), user]:  # the user's file wins
            if (folder / "uv" / "uv.toml").is_file():
                config |= tomllib.loads((folder / "uv" / "uv.toml").read_text())
    pip = config.get("pip", {})
    extra = [i.get("url", "") for i in config.get("index", []) if not i.get("default")]
    default = [i.get("url", "") for i in config.get("index", []) if i.get("default")] + [config.get("index-url", "")]
    wanted = {
        "UV_INDEX": remote_only(
            [*environ.get("UV_INDEX", "").split(), *environ.get("UV_EXTRA_INDEX_URL", "").split(), *extra]
            + [*config.get("extra-index-url", []), *pip.get("extra-index-url", [])]
        ),
        "UV_DEFAULT_INDEX": remote_only(
            [environ.get("UV_DEFAULT_INDEX", environ.get("UV_INDEX_URL", "")), *default, pip.get("index-url", "")]
        )[:1],
        "UV_FIND_LINKS": remote_only(
            environ.get("UV_FIND_LINKS", "").split(",") + [*config.get("find-links", []), *pip.get("find-links", [])]
        ),
    }
    local_only = ("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_NO_INDEX", "UV_CONSTRAINT", "UV_OVERRIDE", "UV_CONFIG_FILE")
    env = {k: v for k, v in environ.items() if k not in (*wanted, *local_only, "UV_BUILD_CONSTRAINT")}
    env |= {k: ("," if k == "UV_FIND_LINKS" else " ").join(v) for k, v in wanted.items() if v}
    return env | {"UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"}  # resolving for a minor needs no interpreter


def pip_config(c, environ):
    """{setting: value} from pip's own config files, as `pip config list` reports them (global, then install)."""
    listed = run(c, [sys.executable, "-m", "pip", "config", "list"], env=environ, quiet=True, check=False).stdout
    settings = {}
    for section in ("global", "install"):  # a later section overrides an earlier one, as in pip
        for line in listed.splitlines():
            key, sep, value = line.partition("=")
            where, _, name = key.partition(".")
            if sep and where == section:
                settings[name] = " ".join(shlex.split(value))
    return settings


def pip_environment(environ, config):
    """The environment for pip-compile: pip's config files off, their other settings and remote indexes kept."""
    sources, local_only = ("INDEX_URL", "EXTRA_INDEX_URL", "FIND_LINKS"), ("NO_INDEX", "CONSTRAINT", "REQUIREMENT")
    env = {k: v for k, v in environ.items() if not k.startswith("PIP_") or k[4:] not in sources + local_only}
    for name, value in config.items():  # a variable already set wins over a config file, as in pip
        variable = "PIP_" + name.upper().replace("-", "_")
        if variable[4:] not in sources + local_only + ("CONFIG_FILE",):
            env.setdefault(variable, value)
    for suffix in sources:
        kept = remote_only(environ.get(f"PIP_{suffix}", config.get(suffix.lower().replace("_", "-"), "")).split())
        env |= {f"PIP_{suffix}": " ".join(kept)} if kept else {}
    return env | {"PIP_CONFIG_FILE": os.devnull}


class Engine:
    name = tool = header = cooldown_variable = ""
    # Under a cooldown, does a partial upgrade move back young pins it should keep? (pip filters every package)
    cooldown_filters_kept_pins = False

    def header_env(self, argv):
        """Variables that make the lock header record the command bots re-run."""
        return {}

    def where_to_compile(self, c, version, use_docker):
        return "host"  # uv resolves for every platform (--universal) and any minor, whatever the host

    def environment(self, c, environ=None):
        """The whole environment a compile (and uv's platform checks) runs in: your remote indexes, nothing local."""
        return uv_environment(dict(os.environ if environ is None else environ))

    def scratch_locks(self, c, texts, env, verify, scratch, version):
        """The locks a compile starts from: every pin kept, and no hash it would keep without checking."""
        return {name: locks.without_hashes(text) for name, text in texts.items()}


class Uv(Engine):
    name, tool, header, cooldown_variable = "uv", "uv", "autogenerated by uv", "UV_EXCLUDE_NEWER"
    # One universal lock, markers saying which pin is for whom; the header records the minor, so drift is caught.

    def compile_argv(self, infile, outfile, version, upgrade=False, packages=()):
        argv = ["uv", "pip", "compile", "--quiet", "--universal", f"--python-version={version}", "--generate-hashes"]
        argv += [f"--output-file={outfile}", infile, *(["--upgrade"] * upgrade)]
        return argv + [f"--upgrade-package={name}" for name in packages]

    def sync_argv(self, python):
        return ["uv", "pip", "sync", "--require-hashes", "--python", python, *LOCK_FILES]


class PipTools(Engine):
    name, tool, header = "pip-tools", "pip-compile", "autogenerated by pip-compile"
    cooldown_variable = "PIP_UPLOADED_PRIOR_TO"
    # What a run needs and the header must not show: bots re-run the header, and refuse these flags.
    NOT_IN_HEADER = ("--quiet", "--upgrade", "--no-emit-find-links", "--no-emit-trusted-host")
    cooldown_filters_kept_pins = True

    def compile_argv(self, infile, outfile, version, upgrade=False, packages=()):
        argv = ["pip-compile", "--quiet", "--allow-unsafe", "--generate-hashes", "--no-emit-index-url"]
        argv += ["--no-emit-find-links", "--no-emit-trusted-host", f"--output-file={outfile}", "--strip-extras", infile]
        return argv + ["--upgrade"] * upgrade + [f"--upgrade-package={name}" for name in packages]

    def header_env(self, argv):
        """The command as the lock header records it (CUSTOM_COMPILE_COMMAND): the plain one bots re-run."""
        kept = [a for a in argv[1:] if a not in self.NOT_IN_HEADER and not a.startswith("--upgrade-package")]
        return {"CUSTOM_COMPILE_COMMAND": shlex.join(["pip-compile", *kept])}

    def sync_argv(self, python):
        return ["pip-sync", "--python-executable", python, *LOCK_FILES]

    def environment(self, c, environ=None):
        environ = dict(os.environ if environ is None else environ)
        env = pip_environment(environ, pip_config(c, environ))
        # uv's platform checks resolve from the same remote sources pip-compile resolved from.
        for pip_name, uv_name in (("PIP_INDEX_URL", "UV_DEFAULT_INDEX"), ("PIP_EXTRA_INDEX_URL", "UV_INDEX")):
            env.setdefault(uv_name, env[pip_name]) if pip_name in env else None
        if "PIP_FIND_LINKS" in env:
            env.setdefault("UV_FIND_LINKS", ",".join(env["PIP_FIND_LINKS"].split()))
        return super().environment(c, env)

    def scratch_locks(self, c, texts, env, verify, scratch, version):
        """pip-compile keeps a lock's hashes (--reuse-hashes): keep only the pins whose hashes are the index's,
        as uv reads them (same sets, from its HTTP cache), so pip-compile fetches exactly the rest."""
        if not verify:
            return super().scratch_locks(c, texts, env, verify, scratch, version)
        argv = ["uv", "pip", "compile", "--quiet", "--no-header", "--no-annotate", "--no-deps", "--generate-hashes"]
        kept, good, total = {}, 0, 0
        for name, text in texts.items():  # lock by lock: two locks may pin two versions of one package
            pins = locks.parse(text)
            (scratch / ".pins.txt").write_text("".join(f"{p.name}=={p.version}\n" for p in pins.values()))
            done = run(
                c, [*argv, f"--python-version={version}", ".pins.txt"], env=env, cwd=scratch, quiet=True, check=False
            )
            found = locks.parse(done.stdout) if done.ok else {}
            stale = {n for n, pin in pins.items() if n not in found or found[n].hashes != pin.hashes}
            kept[name] = locks.without_hashes(text, stale)
            good, total = good + len(pins) - len(stale), total + len(pins)
        print(f"hashes: {good} of {total} pins hold the index's hashes; the rest are fetched anew")
        return kept

    def where_to_compile(self, c, version, use_docker):
        from .container import docker_answers, require_docker

        if use_docker:
            require_docker(c)
            return "docker"
        if sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64") and running_minor() == version:
            return "host"
        here = f"Python {running_minor()} on {sys.platform}/{platform.machine()}"
        if docker_answers(c):
            print(f"note: {here} is not the deploy target; compiling in python:{version}-slim")
            return "docker"
        raise Exit(
            f"error: pip-compile resolves for the interpreter it runs on, and this is {here}, not Linux x86_64 with "
            f"Python {version} (.python-version); run this in a python{version} venv on Linux, "
            "or start Docker so `invoke lock --docker` can compile in the deploy image"
        )

    @staticmethod
    def own_pins(dev_lock):
        """The dev lock's pins of pip-tools and what it needs, hashes included."""
        pins, wanted, queue = locks.parse(dev_lock), set(), ["pip-tools"]
        while queue:
            name = queue.pop()
            if name in pins and name not in wanted:
                wanted.add(name)
                queue += [other for other, pin in pins.items() if name in pin.via]
        return "".join(pins[name].text for name in sorted(wanted))

    def docker_argv(self, scratch, argvs, version, cooldown):
        """Compile in python:X.Y-slim: pip-tools installed there by hash from the dev lock, into a venv of that Python."""
        (scratch / ".pip-tools.txt").write_text(self.own_pins((ROOT / "requirements-dev.txt").read_text()))
        venv = "/tmp/pip-tools"
        steps = [
            f"python -m venv --without-pip {venv} && python -m pip --python {venv}/bin/python install --quiet "
            "--require-hashes --no-deps -r .pip-tools.txt"
        ]
        for argv in argvs:
            header = [f"{k}={v}" for k, v in self.header_env(argv).items()]
            steps.append(shlex.join(["env", *header, f"{venv}/bin/python", "-m", "piptools", "compile", *argv[1:]]))
        user = [f"--user={os.getuid()}:{os.getgid()}"] if hasattr(os, "getuid") else []
        env = [f"--env={k}={v}" for k, v in {"HOME": "/tmp", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **cooldown}.items()]
        run = ["docker", "run", "--rm", "--platform=linux/amd64", *user, *env, f"--volume={scratch}:/lock"]
        return [*run, "--workdir=/lock", f"python:{version}-slim", "sh", "-c", " && ".join(steps)]


ENGINES = (PipTools(), Uv())


def engine(root=ROOT):
    """The engine that wrote requirements.txt, as its header says."""
    lock = Path(root) / "requirements.txt"
    header = lock.read_text().split("\n", 2)[:2] if lock.is_file() else []
    for candidate in ENGINES:
        if any(candidate.header in line for line in header):
            return candidate
    raise Exit(
        "error: requirements.txt's header does not say whether pip-compile or uv wrote it; "
        "restore the file from git (`git checkout requirements.txt`), then retry"
    )


def compile_locks(c, upgrade=False, packages=(), use_docker=False, cooldown=None, start=None, version=None):
    """Compile both locks in a scratch copy and return {file name: new text}; the real locks are never touched.

    With build-from-source set, the build lock too: requirements-build.in (what those sdists need to build)
    and requirements-build.txt, which the image's builder builds them with.
    `cooldown`: variables for the compiler only (never on the command line, so never in a header).
    `start`: {lock name: text} to compile from instead of the project's locks.
    `version`: the Python minor to compile for (default: .python-version's).
    """
    tool, version = engine(), version or python_version()
    included = locks.require_lockable()  # refusals first, before anything runs
    where = tool.where_to_compile(c, version, use_docker)
    if where == "host":
        venv_tool(tool.tool)  # a venv without its lock engine is told so first
    scratch = scratch_dir()
    try:
        for name in [".python-version", *(f for pair in (*LOCKS, BUILD_LOCK) for f in pair), *included]:
            if (ROOT / name).exists():
                (scratch / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / name, scratch / name)  # contents only: a read-only lock stays writable
        (scratch / ".python-version").write_text(version + "\n")
        env = tool.environment(c) | (cooldown or {})
        texts = {n: t for n, t in {**read_locks(), **(start or {})}.items() if t}  # a lock not yet made has no pins
        # Under a cooldown or an upgrade every pin may move, so no hash is kept; on another minor, requires-python
        # would pick other files than the compile's interpreter does.
        verify = not upgrade and not cooldown and where == "host"
        for name, text in tool.scratch_locks(c, texts, env, verify, scratch, version).items():
            (scratch / name).write_text(text)

        def compile_each(pairs):
            argvs = [tool.compile_argv(infile, outfile, version, upgrade, packages) for infile, outfile in pairs]
            if where == "docker":
                commands = [(tool.docker_argv(scratch, argvs, version, cooldown or {}), {})]
            else:
                commands = [(argv, tool.header_env(argv)) for argv in argvs]
            for argv, header in commands:
                # Its output is shown after it ends: offline, a resolver's traceback would only hide the one line.
                done = run(c, argv, env=env | header, cwd=scratch, check=False, hide="both")
                if done.failed and where == "host":
                    index.require_reachable(c, env)  # offline, or the network went down mid-compile
                sys.stdout.write(done.stdout)
                sys.stderr.write(done.stderr)
                if done.failed:
                    raise Exit(
                        f"error: {tool.tool} failed (exit {done.exited}), see its message above; the locks are "
                        "unchanged",
                        done.exited,
                    )

        compile_each(LOCKS)
        if building := built_from_source(settings()):
            app = locks.parse((scratch / LOCK_FILES[0]).read_text())
            if unpinned := [name for name in building if name not in app]:
                raise Exit(
                    f"error: build-from-source in pyproject.toml names {', '.join(unpinned)}, which requirements.txt "
                    "does not pin (the image builds only its packages); remove it there, or add it to requirements.in; "
                    "the locks are unchanged"
                )
            wanted = [app[name] for name in building]
            indexes = index.index_urls(c, env)
            lines = [f"{r}  # {pin.name}\n" for pin in wanted for r in index.build_requires(indexes, pin)]
            (scratch / BUILD_LOCK[0]).write_text(BUILD_HEADER + "".join(lines))
            compile_each([BUILD_LOCK])
        new = {name: (scratch / name).read_text() for name in (*LOCK_FILES, *(BUILD_LOCK if building else ()))}
        # With nothing to build, a build lock left from before is removed ("" is written as no file).
        return new | {name: "" for name in BUILD_LOCK if not building and (ROOT / name).exists()}
    except KeyboardInterrupt:
        raise Exit("interrupted: the locks are unchanged", 130) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def upgrade_locks(c, old, days, packages=()):
    """Compile an upgrade that takes only releases at least `days` old; returns (new locks, the report's first lines).

    A hijacked maintainer account publishes a malicious release that lives on the index for hours; an upgrade
    that waits a week never sees it. The cutoff reaches the engine as a variable, so the headers stay the same.
    A pin the owner moved on purpose may be younger than the window; the filtered compile cannot see it and
    would move it back, so such pins are put back and both locks compiled once more without the filter.
    """
    from datetime import UTC, datetime, timedelta

    tool = engine()
    cut = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ") if days else None
    cooldown = {tool.cooldown_variable: cut} if cut else {}
    for variable, value in cooldown.items():
        print(f"cooldown: {variable}={value} ({days} days)", flush=True)
    lines = [f"Cooldown: {days} days: only releases uploaded before {cut} were taken." if cut else
             "Cooldown: none (`--cooldown-days 0`): releases of any age were taken."]  # fmt: skip
    if tool.cooldown_filters_kept_pins and packages and cut:
        # pip applies the filter to every package, so a partial upgrade under it would move back each young pin it
        # keeps. Instead, learn each named package's newest allowed release from a full upgrade, then move only those.
        # A named package already locked younger than the window is held where it is, as a full upgrade holds it.
        allowed, current = {}, {}
        for text in locks.only_locks(compile_locks(c, upgrade=True, cooldown=cooldown)).values():
            allowed |= locks.versions(text)
        for text in locks.only_locks(old).values():
            current |= locks.versions(text)
        names = {canonicalize_name(p): p for p in packages}
        held = {n: current[n] for n in names if n in allowed and n in current and _older(allowed[n], current[n])}
        new = compile_locks(
            c, packages=[f"{p}=={held.get(n) or allowed[n]}" if n in allowed else p for n, p in names.items()]
        )
    else:
        new = compile_locks(c, upgrade=not packages, packages=packages, cooldown=cooldown)
        held = {}
        for name, text in locks.only_locks(new).items():
            before = locks.versions(old.get(name, ""))
            held |= {p: before[p] for p, v in locks.versions(text).items() if p in before and _older(v, before[p])}
        if cut and held:
            print(
                f"note: keeping {', '.join(sorted(held))} (younger than the cooldown, already locked); compiling again"
            )
            new = compile_locks(c, start={name: locks.with_pins(t, held) for name, t in locks.only_locks(new).items()})
    if cut and held:
        kept = ", ".join(f"{p} {v}" for p, v in sorted(held.items()))
        lines.append(f"Held (younger than the cooldown, already locked, so never moved back): {kept}.")
    return new, "\n".join(lines) + "\n"


def _older(a, b):
    try:
        return Version(a) < Version(b)
    except InvalidVersion:
        return False
