"""Showing text from data on a terminal without letting it act on the terminal."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 and C1 control characters, DEL, and the Unicode line and paragraph separators."""


def _literal(match: re.Match[str]) -> str:
    ch = match.group()
    return "\\t" if ch == "\t" else repr(ch)[1:-1]


def safe(text: str) -> str:
    """Show control characters in data literally, never as terminal commands."""
    if _UNSAFE.search(text) is None:  # the common case: nothing to show differently
        return text
    return _UNSAFE.sub(_literal, text)
