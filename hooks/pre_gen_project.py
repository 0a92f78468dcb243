"""Refuse answers that would bake a broken project, with one line saying how to fix them.

The answers arrive as JSON data (never pasted into code), so no quote, brace or
newline in them can change what this script does.
"""

import json
import re
import sys

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

SLUG = re.compile(r"[a-z][a-z0-9_-]{0,62}[a-z0-9]\Z|[a-z]\Z")


def problems(answers):
    name = answers["project_name"]
    slug = answers["project_slug"]
    if not name.strip():
        yield "project_name is empty: give the app a name, e.g. project_name='Sales Dashboard'"
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        yield "project_name holds a line break or control character: use a single line of text"
    if not SLUG.match(slug):
        yield (
            f"project_slug {slug!r} is not a valid directory name: use 1-64 lowercase letters, "
            "digits, '-' or '_', starting with a letter and not ending in '-' or '_', e.g. sales-dashboard"
        )


def main():
    found = list(problems(ANSWERS))
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
