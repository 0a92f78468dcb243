"""Jinja filters that quote answers for the file they land in.

An answer is data: whatever a user types (quotes, backslashes, newlines, ``{{``,
non-ASCII) must come out of a generated file as the same text, never as code.
"""

import json
import re

from jinja2.ext import Extension

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def string_literal(value):
    """A double-quoted literal holding exactly ``value``, valid as Python and as YAML.

    JSON escapes quotes, backslashes and control characters the way both languages read them.
    """
    return json.dumps(str(value), ensure_ascii=False)


def markdown_text(value):
    """``value`` as literal Markdown text: every ASCII punctuation mark is escaped.

    CommonMark allows a backslash before any ASCII punctuation, so nothing the
    user typed can become a heading, link, HTML tag or emphasis.
    """
    lines = str(value).splitlines() or [""]
    return "\n".join(_MARKDOWN_PUNCTUATION.sub(r"\\\1", line.strip()) for line in lines)


class QuotingExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["string_literal"] = string_literal
        environment.filters["markdown_text"] = markdown_text
