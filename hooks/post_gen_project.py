"""Put the chosen lock engine's files and Python version's locks in place; drop the rest.

Selection only: no network, no git init, no resolver. The locks were compiled in
the template repo (scripts/refresh_locks.py), so a bake is offline and instant.
"""

import json
import shutil
from pathlib import Path

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

project = Path.cwd()
locks = project / "_locks" / ANSWERS["lock_tool"]

shutil.copyfile(locks / "requirements-dev.in", project / "requirements-dev.in")  # names the lock engine
for name in ("requirements.txt", "requirements-dev.txt"):
    shutil.copyfile(locks / ANSWERS["python_version"] / name, project / name)
shutil.rmtree(project / "_locks")

unwanted = []
if ANSWERS["license"] == "none":
    unwanted.append("LICENSE")
for name in unwanted:
    (project / name).unlink()
