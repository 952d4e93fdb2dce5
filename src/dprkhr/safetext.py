"""Text from data on its way out: one neutralisation for every output.

- `safe`: for terminals (tables, messages, csv and ids on stdout): C0 and C1 control
  characters, DEL, the Unicode line and paragraph separators and the bidirectional
  controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C: they can reorder what a
  terminal shows, "Trojan Source") are shown literally (`\\x1b`, `\\u202e`), never
  acted on.
- `json_safe`: the same characters as JSON escapes in JSON text (same data, nothing a
  terminal would act on).
- `clean_text`: for XML, iCalendar and DOT exports, the same characters (but tab, newline
  and carriage return) replaced by U+FFFD.
- `csv_cell`: a CSV cell as every CSV writer writes it: `safe` for stdout (keeping the
  newlines and tabs CSV can quote), and `formula_safe`: a cell that a spreadsheet would
  run as a formula is prefixed with a single quote (OWASP "CSV injection"; see
  docs/export.md).
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Characters that change the direction of the text around them."""

_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
"""C0 and C1 control characters, DEL, the Unicode line and paragraph separators, and the
bidirectional controls."""

_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
"""What `json.dumps(ensure_ascii=False)` leaves raw of `_UNSAFE` (it escapes C0 itself)."""


def _literal(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return "\\t"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, keep: str = "") -> str:
    """Show control and bidirectional characters in data literally, never as terminal
    commands; the characters in `keep` (say newline and tab) pass as they are."""
    if _UNSAFE.search(text) is None:  # the common case: nothing to show differently
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _literal(m), text)


def json_safe(text: str) -> str:
    """JSON text with the characters a terminal could act on written as `\\uXXXX`."""
    if _UNSAFE_IN_JSON.search(text) is None:
        return text
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_REPLACED = {
    c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
}
_REPLACED.update({ord(c): "\ufffd" for c in BIDI_CONTROLS})


def clean_text(text: str) -> str:
    """Replace control characters (other than tab, newline and carriage return) and
    bidirectional controls with U+FFFD: for formats that cannot carry them or show them
    literally (XML, iCalendar, DOT), which often reach a terminal or a calendar."""
    return text.translate(_REPLACED)


def has_unsafe(text: str) -> bool:
    """Whether `safe` would change the text other than tabs and newlines."""
    return _UNSAFE.search(text.replace("\t", " ").replace("\n", " ")) is not None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def formula_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs: one starting with `=`, `+`, `-`, `@`, tab or
    carriage return gets a leading single quote (OWASP), unless the whole cell is a plain
    number (`-5`, `+1.5`: data a spreadsheet reads as that number, never a formula)."""
    if cell.startswith(_FORMULA_START) and _NUMBER.fullmatch(cell) is None:
        return "'" + cell
    return cell


def csv_cell(value: object, terminal: bool = True) -> str:
    """A value as a CSV cell: None empty, booleans `true`/`false`, text made formula-safe
    and, for a terminal (`terminal`), `safe` keeping newlines and tabs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if terminal:
        text = safe(text, keep="\n\t")
    return formula_safe(text)
