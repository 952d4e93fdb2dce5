"""Showing text from data on a terminal without letting it act on the terminal."""

from __future__ import annotations


def safe(text: str) -> str:
    """Show control characters in data literally, never as terminal commands."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029":
            out.append(repr(ch)[1:-1] if ch not in "\t" else "\\t")
        else:
            out.append(ch)
    return "".join(out)
