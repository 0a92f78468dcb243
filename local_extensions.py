"""Jinja filters that quote answers for the file they land in, and the check of the answers.

An answer is data: whatever a user types (quotes, backslashes, newlines, ``{{``,
non-ASCII) must come out of a generated file as the same text, never as code.
That holds however the answer arrives: typed at a prompt, given on the command
line (``project_name='{{ x }}'``), passed as ``extra_context`` or read from a user's
cookiecutter config. Cookiecutter renders the last three as templates before any
hook runs (``cookiecutter.prompt.render_variable``), so this extension's
``preprocess`` turns such an answer back into its own text at that moment.

The answers are checked as soon as the slug is known (the ``__answers_checked``
variable in cookiecutter.json), before cookiecutter creates any directory: a bad
slug (``a/b``, 300 characters) would otherwise be created, or fail with a
traceback, before the pre-gen hook could refuse it.
"""

import json
import re
import sys
from pathlib import Path

from cookiecutter.exceptions import FailedHookException
from jinja2.ext import Extension

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SLUG = re.compile(r"[a-z][a-z0-9_-]{0,62}[a-z0-9]\Z|[a-z]\Z")
_JINJA_SYNTAX = ("{{", "{%", "{#")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# The template's own strings (defaults, prompts, choices): these are templates; any other string
# cookiecutter renders as an answer variable came from the user.
_TEMPLATE_STRINGS = frozenset(_strings(json.loads(Path(__file__).with_name("cookiecutter.json").read_text("utf-8"))))


# The template directory's name, which cookiecutter renders into the project directory's name.
_PROJECT_DIR = "{{cookiecutter.project_slug}}"


class AnswersRefused(FailedHookException):
    """Cookiecutter's command line prints this exception's text alone and exits 1 (no traceback)."""


def string_literal(value):
    """A double-quoted literal holding exactly ``value``, valid as Python and as YAML.

    JSON escapes quotes, backslashes and control characters the way both languages read them.
    """
    return json.dumps(str(value), ensure_ascii=False)


def python_string(value):
    """A Python string literal holding exactly ``value``, in the quotes `ruff format` keeps.

    Like ruff (and black), prefer double quotes unless the text holds more double quotes
    than single ones; escape only backslashes, the chosen quote and control characters.
    """
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = []
    for char in text:
        if char == "\\" or char == quote:
            body.append("\\" + char)
        elif char in "\"'":
            body.append(char)
        else:
            body.append(json.dumps(char, ensure_ascii=False)[1:-1])  # \n, \t, \u001b; the rest as is
    return quote + "".join(body) + quote


def markdown_text(value):
    """``value`` as literal Markdown text: every ASCII punctuation mark is escaped.

    CommonMark allows a backslash before any ASCII punctuation, so nothing the
    user typed can become a heading, link, HTML tag or emphasis.
    """
    lines = str(value).splitlines() or [""]
    return "\n".join(_MARKDOWN_PUNCTUATION.sub(r"\\\1", line.strip()) for line in lines)


def answer_problems(answers):
    """One `error: ...; fix` line per answer that would bake a broken project."""
    problems = []
    name = str(answers.get("project_name", ""))
    slug = str(answers.get("project_slug", ""))
    if not name.strip():
        problems.append("error: project_name is empty: give the app a name, e.g. project_name='Sales Dashboard'")
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        problems.append("error: project_name holds a line break or control character: use a single line of text")
    problems.extend(slug_problems(slug))
    return problems


def slug_problems(slug):
    if SLUG.match(slug):
        return []
    shown = slug if len(slug) <= 70 else f"{slug[:60]}... ({len(slug)} characters)"
    return [
        f"error: project_slug {shown!r} is not a valid directory name: use 1-64 lowercase letters, "
        "digits, '-' or '_', starting with a letter and not ending in '-' or '_', e.g. sales-dashboard"
    ]


def checked_answers(answers):
    """Refuse the bake (before any directory exists) when an answer is bad; otherwise render as ''."""
    problems = answer_problems(answers)
    if problems:
        raise AnswersRefused("\n".join(problems))
    return ""


def checked_slug(slug):
    """The slug, checked where cookiecutter names the project directory, before it creates it.

    This runs on every path to a bake, the early check above included or not: a replay, `cruft
    update`, an older cookiecutter.
    """
    problems = slug_problems(str(slug))
    if problems:
        raise AnswersRefused("\n".join(problems))
    return slug


def _rendering_an_answer():
    """True while cookiecutter renders an answer variable (not a file, path or hook)."""
    frame = sys._getframe(2)
    for _ in range(20):
        if frame is None:
            return False
        if frame.f_code.co_name == "render_variable" and frame.f_globals.get("__name__") == "cookiecutter.prompt":
            return True
        frame = frame.f_back
    return False


class QuotingExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["string_literal"] = string_literal
        environment.filters["python_string"] = python_string
        environment.filters["markdown_text"] = markdown_text
        environment.filters["answer_problems"] = answer_problems
        environment.filters["checked_answers"] = checked_answers
        environment.filters["checked_slug"] = checked_slug
        environment.filters["answer_text"] = lambda hexed: bytes.fromhex(hexed).decode("utf-8")

    def preprocess(self, source, name, filename=None):
        """Keep an answer given on the command line or in a config as text: `{{ 7*7 }}` stays `{{ 7*7 }}`;
        check the slug where the project directory's name is rendered, before the directory exists."""
        if name is not None or not any(mark in source for mark in _JINJA_SYNTAX):
            return source
        if _rendering_an_answer():
            if source in _TEMPLATE_STRINGS:
                return source
            return "{{ " + repr(source.encode("utf-8").hex()) + " | answer_text }}"
        if source == _PROJECT_DIR:
            return "{{ cookiecutter.project_slug | checked_slug }}"
        return source
