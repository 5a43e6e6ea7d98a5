"""HTML bodies to readable plain text, via ``inscriptis``.

``html_to_text`` keeps the layout readable (paragraphs, lists, table cells),
shows links as ``[text](url)`` so a customer's pasted link survives, and drops
what a reader never sees (``<script>``, ``<style>``, ``<head>``; inscriptis
ignores those already).  It never raises: markup that lxml cannot parse falls
back to a crude tag strip, and input is capped first so a hostile 20 MB HTML
part costs bounded time.
"""

from __future__ import annotations

import html
import re

from inscriptis import get_text
from inscriptis.model.config import ParserConfig

MAX_HTML_CHARS = 2_000_000

_CONFIG = ParserConfig(display_links=True, display_images=False)

# Only used when inscriptis fails: enough to get words out of broken markup.
_DROP_BLOCKS = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6])\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_BLANK_RUNS = re.compile(r"\n[ \t]*(\n[ \t]*){2,}")


def _tidy(text: str) -> str:
    """Trailing spaces off each line, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def _crude(markup: str) -> str:
    text = _DROP_BLOCKS.sub(" ", markup)
    text = _BREAKS.sub("\n", text)
    return html.unescape(_TAGS.sub("", text))


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Readable text of ``markup`` and a note when it was capped or degraded."""
    note = None
    if len(markup) > MAX_HTML_CHARS:
        markup = markup[:MAX_HTML_CHARS]
        note = f"html body over {MAX_HTML_CHARS} characters, truncated"
    if not markup.strip():
        return "", note
    try:
        text = get_text(markup, _CONFIG)
    except Exception as exc:
        text = _crude(markup)
        note = f"html not parseable ({type(exc).__name__}), tags stripped"
    return _tidy(text), note
