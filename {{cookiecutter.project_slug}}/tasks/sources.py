"""Where a compile may look for packages: your remote indexes, never this machine's own folders.

A lock must install anywhere: on Community Cloud, in CI, on a colleague's laptop. So a wheel
folder (`find-links`), a `file://` index, a localhost index or a local constraint file from
your pip or uv configuration is left out of the compile: it would either be written into the
lock (pip-compile writes `--find-links`) or put a hash of a locally built wheel into it (both
engines hash every file they find for a pin; uv even takes the local file's hash alone).
Remote indexes from that configuration (a company index, a mirror) are kept: they are used to
resolve and to hash, and never written into the lock.
"""

import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

# pip settings that name package sources, as the suffix of PIP_<NAME> and as pip config keys.
PIP_SOURCES = ("INDEX_URL", "EXTRA_INDEX_URL", "FIND_LINKS")
PIP_LOCAL_ONLY = ("NO_INDEX", "CONSTRAINT", "REQUIREMENT", "CONFIG_FILE")  # dropped whatever they hold
UV_SOURCES = ("UV_INDEX", "UV_DEFAULT_INDEX", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS")
UV_LOCAL_ONLY = ("UV_NO_INDEX", "UV_CONSTRAINT", "UV_OVERRIDE", "UV_BUILD_CONSTRAINT", "UV_CONFIG_FILE")
LOOPBACK = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def is_remote(location):
    """True for an http(s) URL on another machine; False for a path, a file:// URL or a loopback host."""
    parts = urlsplit(location.split("=", 1)[-1].strip())  # uv's `name=url` index form
    return parts.scheme in ("http", "https") and (parts.hostname or "") not in LOOPBACK


def remote_only(value, separator=None):
    """The remote entries of a list-valued setting (split on whitespace, or on `separator`)."""
    return [entry for entry in (value.split(separator) if separator else value.split()) if entry and is_remote(entry)]


def pip_config(python=sys.executable, environ=None):
    """{setting: value} from pip's config files for the commands pip-compile runs (global, then install)."""
    environ = dict(os.environ if environ is None else environ)
    listed = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True, env=environ).stdout
    settings = {}
    for section in ("global", "install"):  # a later section overrides an earlier one, as in pip
        for line in listed.splitlines():
            key, sep, value = line.partition("=")
            where, _, name = key.partition(".")
            if sep and where == section:
                settings[name] = " ".join(shlex.split(value))
    return settings


def pip_environment(environ, config):
    """The environment for pip-compile: pip's config files off, their non-source settings and remote indexes kept."""
    env = {k: v for k, v in environ.items() if not k.startswith("PIP_") or k[4:] not in PIP_SOURCES + PIP_LOCAL_ONLY}
    for name, value in config.items():  # a variable already set wins over a config file, as in pip
        variable = "PIP_" + name.upper().replace("-", "_")
        if variable[4:] in PIP_LOCAL_ONLY or variable in environ:
            continue
        env.setdefault(variable, value)
    for suffix in PIP_SOURCES:
        variable = f"PIP_{suffix}"
        value = environ.get(variable, config.get(suffix.lower().replace("_", "-"), ""))
        kept = remote_only(value)
        env.pop(variable, None)
        if kept:
            env[variable] = " ".join(kept)
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def uv_user_config(environ):
    """The user- and system-level uv.toml settings, as uv would find them (project files are not read)."""
    if environ.get("UV_NO_CONFIG"):
        return {}
    if sys.platform == "win32":
        user = Path(environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "uv" / "uv.toml"
        system = [Path(environ.get("PROGRAMDATA", "C:/ProgramData")) / "uv" / "uv.toml"]
    else:
        user = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "uv" / "uv.toml"
        system = [Path(d) / "uv" / "uv.toml" for d in environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")]
        system.append(Path("/etc/uv/uv.toml"))
    merged = {}
    for path in [*reversed(system), user]:  # the user's file wins
        if path.is_file():
            with path.open("rb") as handle:
                merged.update(tomllib.load(handle))
    return merged


def uv_environment(environ, config):
    """The environment for uv: every uv.toml off (UV_NO_CONFIG), the remote indexes of config and UV_* kept."""
    env = {k: v for k, v in environ.items() if k not in UV_SOURCES + UV_LOCAL_ONLY}
    pip_section = config.get("pip", {})
    indexes = [i.get("url", "") for i in config.get("index", []) if not i.get("default")]
    indexes += [*config.get("extra-index-url", []), *pip_section.get("extra-index-url", [])]
    defaults = [i.get("url", "") for i in config.get("index", []) if i.get("default")]
    defaults += [u for u in (config.get("index-url"), pip_section.get("index-url")) if u]
    links = [*config.get("find-links", []), *pip_section.get("find-links", [])]
    wanted = {
        "UV_INDEX": remote_only(environ.get("UV_INDEX", "")) + remote_only(environ.get("UV_EXTRA_INDEX_URL", "")),
        "UV_DEFAULT_INDEX": remote_only(environ.get("UV_DEFAULT_INDEX", environ.get("UV_INDEX_URL", ""))),
        "UV_FIND_LINKS": remote_only(environ.get("UV_FIND_LINKS", ""), ","),
    }
    wanted["UV_INDEX"] += [u for u in indexes if is_remote(u)]
    wanted["UV_DEFAULT_INDEX"] = wanted["UV_DEFAULT_INDEX"] or [u for u in defaults if is_remote(u)][:1]
    wanted["UV_FIND_LINKS"] += [u for u in links if is_remote(u)]
    for variable, values in wanted.items():
        if values:
            env[variable] = ("," if variable == "UV_FIND_LINKS" else " ").join(values)
    env["UV_NO_CONFIG"] = "1"
    return env


def compile_environment(engine, environ=None, python=sys.executable):
    """The whole environment a compile (or a platform check) runs in, for `engine` ("pip-tools" or "uv")."""
    environ = dict(os.environ if environ is None else environ)
    if engine == "pip-tools":
        environ = pip_environment(environ, pip_config(python, environ))
        # The platform checks run uv: give it the same remote sources pip-compile resolved from.
        for pip_name, uv_name in (("PIP_INDEX_URL", "UV_DEFAULT_INDEX"), ("PIP_EXTRA_INDEX_URL", "UV_INDEX")):
            if pip_name in environ and uv_name not in environ:
                environ[uv_name] = environ[pip_name]
        if "PIP_FIND_LINKS" in environ and "UV_FIND_LINKS" not in environ:
            environ["UV_FIND_LINKS"] = ",".join(environ["PIP_FIND_LINKS"].split())
    return uv_environment(environ, uv_user_config(environ))  # uv runs in both engines (the platform checks)


# pip-compile writes this variable's value as the lock header's command instead of its own command line.
HEADER_VARIABLE = "CUSTOM_COMPILE_COMMAND"
# What the run needs and the header must not show: bots re-run the header and refuse these flags.
NOT_IN_HEADER = ("--quiet", "--upgrade", "--no-emit-find-links", "--no-emit-trusted-host")


def header_command(argv):
    """The pip-compile command as the lock header records it: today's plain command, as bots re-run it."""
    kept = [a for a in argv[1:] if a not in NOT_IN_HEADER and not a.startswith("--upgrade-package")]
    return shlex.join(["pip-compile", *kept])


def header_env(engine, argv):
    """{HEADER_VARIABLE: command} for a pip-compile run, {} for uv (whose header never shows the hidden flags)."""
    return {HEADER_VARIABLE: header_command(argv)} if engine == "pip-tools" else {}
