"""Refuse answers that would bake a broken project, with one line saying how to fix them.

The check itself lives in local_extensions.answer_problems and normally refuses a bad
answer earlier, before cookiecutter creates any directory (see cookiecutter.json's
`__answers_checked`). This hook is the backstop where that early check does not run:
a replayed bake (`--replay`), `cruft update`, or a cookiecutter older than 2.2.

The problems arrive as JSON data (never pasted into code), so no quote, brace or
newline in an answer can change what this script does.
"""

import json
import sys

PROBLEMS = json.loads(r"""{{ cookiecutter | answer_problems | tojson }}""")

if __name__ == "__main__":
    for line in PROBLEMS:
        print(line, file=sys.stderr)
    sys.exit(1 if PROBLEMS else 0)
