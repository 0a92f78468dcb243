"""A CycloneDX SBOM of the deploy lock: every pin of requirements.txt with its version and hashes.

Written by the CycloneDX project's own tool (`cyclonedx-py requirements`, hash-pinned in the dev
lock), validated against the CycloneDX schema as it is written, and reproducible: the same lock
gives the same bytes (no timestamp, no random serial number), so the image layer that carries it
stays cached until the lock changes.
"""

import shutil
import subprocess
import sysconfig

from invoke import Exit

from .project import ROOT

OUTPUT = "sbom.cdx.json"
SPEC_VERSION = "1.6"


def tool():
    return shutil.which("cyclonedx-py", path=sysconfig.get_path("scripts")) or shutil.which("cyclonedx-py")


def argv(output=OUTPUT):
    """The command, as printed: JSON, schema-validated, reproducible."""
    return [
        "cyclonedx-py", "requirements", "--output-reproducible", "--validate", f"--spec-version={SPEC_VERSION}",
        "--output-format=JSON", f"--output-file={output}", "requirements.txt",
    ]  # fmt: skip


def write(output=OUTPUT, required=True):
    """Write the SBOM; returns True, or False (with a warning) when the tool is missing and not `required`."""
    found = tool()
    if not found:
        message = "cyclonedx-py is not installed in this venv (it is in requirements-dev.txt); run `invoke sync`"
        if required:
            raise Exit(f"error: {message}, then retry", 1)
        print(f"warning: {message}; no {output} written, so the image carries none", flush=True)
        return False
    command = argv(output)
    print(f"+ {' '.join(command)}", flush=True)
    code = subprocess.run([found, *command[1:]], cwd=ROOT).returncode
    if code:
        raise Exit(
            f"error: cyclonedx-py failed (exit {code}), see its message above; fix requirements.txt, then retry", code
        )
    return True
