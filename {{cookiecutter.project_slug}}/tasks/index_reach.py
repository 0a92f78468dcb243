"""Can the package index be reached at all? Asked before a compile, and again after one fails.

Offline, pip-compile retries, then reports "conflicting dependencies" with chained tracebacks, and
uv says a package was not found: neither says the network is the problem. One HEAD request to the
index the compile will use answers that. Only a failure to connect counts (no DNS, refused,
timed out, a dead proxy); any HTTP answer, even an error, or a TLS complaint means the index is
there, and the compiler's own message is the one to read.
"""

import ssl
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

from invoke import Exit

TIMEOUT = 10  # seconds
ATTEMPTS = 3


def default_index():
    """The public index's simple URL, as pip itself names it (None where pip is not importable)."""
    try:
        from pip._internal.models.index import PyPI
    except ImportError:
        return None
    return PyPI.simple_url


def index_url(engine, env):
    """The first index the compile of `engine` reads, from the compile's environment, else the public one."""
    names = ("UV_DEFAULT_INDEX", "UV_INDEX_URL") if engine == "uv" else ("PIP_INDEX_URL",)
    for name in names:
        if env.get(name, "").split():
            return env[name].split()[0].split("=", 1)[-1] if engine == "uv" else env[name].split()[0]
    return default_index()


def without_credentials(url):
    parts = urlsplit(url)
    host = parts.hostname or ""
    return urlunsplit((parts.scheme, host + (f":{parts.port}" if parts.port else ""), parts.path, "", ""))


def connection_problem(url, env):
    """Why `url` cannot be connected to (a short reason), or None when something answered."""
    proxies = {
        key.lower()[: -len("_proxy")]: value
        for key, value in env.items()
        if key.lower().endswith("_proxy") and key.lower() not in ("no_proxy",) and value
    }
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
    try:
        with opener.open(urllib.request.Request(url, method="HEAD"), timeout=TIMEOUT):
            return None
    except urllib.error.HTTPError:
        return None  # the index answered
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, ssl.SSLError):
            return None  # something answered; the compiler will say what it thinks of its certificate
        return reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
    except TimeoutError:
        return f"no answer within {TIMEOUT}s"
    except OSError as error:
        return error.strerror or str(error)


def require_reachable(engine, env):
    """Exit with one line when the index the compile needs cannot be reached; otherwise return quietly."""
    url = index_url(engine, env)
    if not url or not url.startswith(("http://", "https://")):
        return
    for attempt in range(ATTEMPTS):  # a busy resolver says "temporary failure": ask it again before giving up
        problem = connection_problem(url, env)
        if not problem or "temporary" not in problem.lower():
            break
        time.sleep(attempt + 1)
    if problem:
        proxy = " or the proxy (HTTPS_PROXY)" if any(k.lower() == "https_proxy" for k in env) else ""
        raise Exit(
            f"error: the package index {without_credentials(url)} could not be reached ({problem}); "
            f"check the network connection{proxy}, then retry; the locks are unchanged",
            1,
        )
