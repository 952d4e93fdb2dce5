"""Canonical form of record files, and rewriting files into it without losing anything.

The canonical form of a record file:

- keys in the order of the model's fields (`id` first, `lint` last); keys the model does
  not know are kept, after the known ones, in their original order; nested records
  (roles, participants, citations, adoption, forums...) follow their own model's order;
- block style with 2-space indentation and list items indented under their key
  (`  - actor: ...`); a list of short plain values that fits on its line stays in flow
  style (`tags: [accountability, detention]`), every other list is a block;
- dates and text that would otherwise read as a number, a boolean or null in double
  quotes (`date: "2024-03-12"`, `symbol: "1234"` for text of digits); other text plain
  when YAML allows it, else quoted the way YAML prefers (single quotes, double quotes
  when escapes are needed); long text folded (`>-`) at the line width, text with line
  breaks as a literal block (`|`); an empty value written `null`;
- exactly one trailing newline.

Comments are kept. PyYAML drops comments, so this module uses ruamel.yaml's round-trip
mode (imported here only, not by queries). The values written always come from
`dprkhr.yamlio` (the loader every other command uses), never from ruamel's own typing,
and every result is checked before it is accepted: it must load to exactly the same data
and hold exactly the same comments, or the file is reported and left alone.
"""

from __future__ import annotations

import difflib
import functools
import io
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

if TYPE_CHECKING:  # ruamel is imported when formatting, not by every command
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dprkhr.fsio import RECORD_LIMIT, read_regular, stamp, write_text
from dprkhr.yamlio import _BOOLS, _FLOAT_RE, _INT_RE, _NULLS, _SPECIAL_FLOATS, parse_text

WIDTH = 92
"""Longest line for a value on one line; longer text is folded."""
FOLD_WIDTH = 92
"""Longest line of folded text (a single word longer than that stays whole)."""

_DATE_LIKE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FLOW_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}\n\t]*$")


class FormatError(Exception):
    """A file that cannot be put in canonical form (unparseable, or unsafe to rewrite)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# ---------------------------------------------------------------------------- key order


def model_for(kind: str) -> type[BaseModel] | None:
    """The model of a record kind (`event`) or vocabulary file name (`forums.yaml`)."""
    from dprkhr.models import RECORD_TYPES, VOCAB_FILES

    return RECORD_TYPES.get(kind) or VOCAB_FILES.get(kind)


def field_order(model: type[BaseModel] | None) -> list[str]:
    """Field names in canonical order: the model's order, with `lint` last."""
    if model is None:
        return []
    names = list(model.model_fields)
    if "lint" in names:
        names.remove("lint")
        names.append("lint")
    return names


def _child(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    from dprkhr.models import child_model  # the models load only when fmt runs

    return child_model(model, key)


def _detach_comments(rt: CommentedMap, keys: list[str]) -> dict[str | None, str]:
    """Take the comment lines that follow each scalar value off the key they are stored
    with (ruamel keeps a comment with the key above it), keyed by the key they precede
    (None: the end of the mapping), so that reordering cannot carry them elsewhere."""
    moved: dict[str | None, str] = {}
    for i, key in enumerate(keys):
        entry = rt.ca.items.get(key)
        token = entry[2] if isinstance(entry, list) and len(entry) > 2 else None
        value = getattr(token, "value", None)
        if token is None or not isinstance(value, str):
            continue
        newline = value.find("\n")
        if newline == -1 or "#" not in value[newline + 1 :]:
            continue
        token.value = value[: newline + 1]
        following = keys[i + 1] if i + 1 < len(keys) else None
        moved[following] = moved.get(following, "") + value[newline + 1 :]
    return moved


def _reattach_comments(rt: CommentedMap, order: list[str], moved: dict[str | None, str]) -> None:
    """Put detached comment lines back after the key that now precedes their key."""
    for following, lines in moved.items():
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        if following is not None and order.index(following) == 0:
            # nothing precedes its key any more: the lines go above the first key (if that
            # puts them anywhere else, the check on comment places refuses the file)
            if rt.ca.comment is None:
                rt.ca.comment = [None, []]
            if rt.ca.comment[1] is None:
                rt.ca.comment[1] = []
            rt.ca.comment[1].extend(
                CommentToken(line.lstrip(" ") if line.strip() else "\n", CommentMark(0), None)
                for line in lines.splitlines(keepends=True)
            )
            continue
        target = order[-1] if following is None else order[order.index(following) - 1]
        entry = rt.ca.items.get(target)
        token = entry[2] if isinstance(entry, list) and len(entry) > 2 else None
        if token is not None and isinstance(getattr(token, "value", None), str):
            token.value = token.value + lines
        else:
            new = CommentToken("\n" + lines, CommentMark(0), None)
            if isinstance(entry, list):
                while len(entry) < 3:
                    entry.append(None)
                entry[2] = new
            else:
                rt.ca.items[target] = [None, None, new, None]


def canonical_order(keys: Iterable[str], model: type[BaseModel] | None) -> list[str]:
    """Known keys in model order, then unknown keys in the order given."""
    keys = list(keys)
    known = [k for k in field_order(model) if k in keys]
    return known + [k for k in keys if k not in known]


# ---------------------------------------------------------------------------- scalars


def reads_as_non_text(value: str) -> bool:
    """Whether a plain scalar with this text would load as null, a boolean or a number."""
    return (
        value in _NULLS
        or value in _BOOLS
        or bool(_INT_RE.match(value))
        or value in _SPECIAL_FLOATS
        or bool(_FLOAT_RE.match(value))
    )


def _printable(value: str, allow_newline: bool = False) -> bool:
    for ch in value:
        if ch == "\n" and allow_newline:
            continue
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029\ufeff":
            return False
    return True


def _foldable(value: str) -> bool:
    return (
        " " in value
        and value == value.strip()
        and "\t" not in value
        and _printable(value)
        and not value.startswith(("#", "-", "?", ":", "%", "@", "`", "!", "&", "*", "|", ">"))
    )


def _literal_ok(value: str) -> bool:
    lines = value.split("\n")
    return (
        _printable(value, allow_newline=True)
        and "\t" not in value
        and bool(lines[0])
        and not lines[0].startswith(" ")
        and all(line == line.rstrip(" ") for line in lines)
        and value.strip() != ""
    )


def fold_positions(text: str, indent: int, width: int = FOLD_WIDTH) -> list[int]:
    """Where to break folded text (indexes of single spaces) so that lines indented by
    `indent` stay within `width` where the words allow."""
    positions: list[int] = []
    line_start = 0
    last: int | None = None
    for i in range(1, len(text) - 1):
        if text[i] != " " or text[i - 1] == " " or text[i + 1] == " ":
            continue
        if indent + (i - line_start) > width and last is not None:
            positions.append(last)
            line_start = last + 1
        last = i if i > line_start else last
    if indent + (len(text) - line_start) > width and last is not None and last >= line_start:
        positions.append(last)
    return positions


def styled_scalar(value: Any, column: int = 0, indent: int = 2) -> Any:
    """The value wrapped in the ruamel type that selects its canonical style.

    `column` is where the value starts on its line, to decide when text is long;
    `indent` is where the lines of a folded block would start.
    """
    if not isinstance(value, str):
        return value
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
    )

    if _DATE_LIKE.match(value) or reads_as_non_text(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        return LiteralScalarString(value) if _literal_ok(value) else DoubleQuotedScalarString(value)
    if column + len(value) > WIDTH and _foldable(value):
        folded = FoldedScalarString(value)
        folded.fold_pos = fold_positions(value, indent)
        return folded
    if _needs_quotes(value) and '"' not in value and "\\" not in value:
        return DoubleQuotedScalarString(value)
    return str(value)  # plain, or single quotes when it holds `"` or `\`


def _needs_quotes(value: str) -> bool:
    """Whether the text cannot (or should not) be a plain scalar: a conservative reading of
    YAML's rules, plus ruamel's own typing (it would quote a timestamp, say)."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    global _RESOLVER
    if (
        not value
        or value != value.strip()
        or value[0] in "-?:,[]{}#&*!|>'\"%@`"
        or value.startswith(("---", "..."))
        or value.endswith(":")
        or ": " in value
        or " #" in value
        or not _printable(value)
        or "\t" in value
    ):
        return True
    if _RESOLVER is None:
        _RESOLVER = VersionedResolver()
    return str(_RESOLVER.resolve(ScalarNode, value, (True, False))) != "tag:yaml.org,2002:str"


_RESOLVER: Any = None


def _flow_item(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return True
    return (
        isinstance(value, str)
        and bool(_FLOW_SAFE.match(value))
        and value == value.rstrip()
        and ": " not in value
        and " #" not in value
        and not _DATE_LIKE.match(value)
        and not reads_as_non_text(value)
        and _printable(value)
    )


def use_flow(items: list[Any], column: int) -> bool:
    """Whether a list stays on one line: short plain values that fit within the width."""
    if not items:
        return True
    if not all(_flow_item(i) for i in items):
        return False
    return column + sum(len(str(i)) + 2 for i in items) <= WIDTH


# ---------------------------------------------------------------------------- the tree


@functools.lru_cache(maxsize=1)
def _yaml() -> YAML:
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import Emitter

    class _Emitter(Emitter):
        """Puts a comment that follows a value two spaces after it, wherever it was."""

        def write_comment(self, comment: Any, pre: bool = False) -> None:
            value = comment.value or ""
            mark = getattr(comment, "start_mark", None)
            follows_value = self.column > 0 and value.strip() and not value.startswith("\n")
            if not pre and follows_value and mark is not None and hasattr(mark, "column"):
                mark.column = self.column + 2
            super().write_comment(comment, pre)

    rt = YAML(typ="rt")
    rt.Emitter = _Emitter
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 1_000_000  # never let the emitter wrap: folding is decided here
    rt.preserve_quotes = False
    rt.allow_unicode = True
    rt.allow_duplicate_keys = False
    rt.representer.add_representer(
        type(None), lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return rt


def _set_value(mapping: Any, key: str, value: Any) -> None:
    """Set a value in a ruamel mapping without ruamel carrying the old value's style over."""
    from ruamel.yaml.compat import ordereddict

    ordereddict.__setitem__(mapping, key, value)


class _Canonicaliser:
    """Rebuilds a round-trip tree in place: our values, canonical order and styles."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.flow_column = 0
        """Where a list would start if written in flow style (after `key: `)."""

    def node(
        self, rt: Any, data: Any, model: type[BaseModel] | None, column: int, indent: int = 2
    ) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(data, dict):
            if not isinstance(rt, CommentedMap):
                raise FormatError("the file's structure is not plain YAML mappings and lists")
            self._once(rt)
            return self.mapping(rt, data, model, column)
        if isinstance(data, list):
            if not isinstance(rt, CommentedSeq):
                raise FormatError("the file's structure is not plain YAML mappings and lists")
            self._once(rt)
            return self.sequence(rt, data, model, column)
        return styled_scalar(data, column, indent)

    def _once(self, container: Any) -> None:
        if id(container) in self.seen:
            raise FormatError(
                "the file uses YAML anchors and aliases; write the values out to format it"
            )
        self.seen.add(id(container))

    def mapping(
        self, rt: CommentedMap, data: dict[str, Any], model: type[BaseModel] | None, column: int
    ) -> CommentedMap:
        rt_keys = list(rt.keys())
        if len(rt_keys) != len(data) or any(
            not isinstance(k, str) or k != d for k, d in zip(rt_keys, data, strict=False)
        ):
            raise FormatError("keys must be plain text; quote keys that read as numbers")
        for key in rt_keys:
            value = data[key]
            if isinstance(value, dict):
                at = column + 2  # nested keys are indented by two
            elif isinstance(value, list):
                at = column  # `- ` items start at the key's column plus two
            else:
                at = column + len(key) + 2  # `key: value`
            self.flow_column = column + len(key) + 2
            styled = self.node(rt[key], value, _child(model, key), at, column + 2)
            _set_value(rt, key, styled)  # not rt[key] = ...: that keeps the old style
        order = canonical_order(rt_keys, model)
        moved = _detach_comments(rt, rt_keys) if order != rt_keys else {}
        for key in order:
            rt.move_to_end(key)
            entry = rt.ca.items.get(key)
            if isinstance(entry, list) and len(entry) > 3 and entry[3] == []:
                entry[3] = None  # an empty slot that makes ruamel indent a flow value
        _reattach_comments(rt, order, moved)
        if len(rt):
            rt.fa.set_block_style()
        else:
            rt.fa.set_flow_style()
        return rt

    def sequence(
        self, rt: CommentedSeq, data: list[Any], model: type[BaseModel] | None, column: int
    ) -> CommentedSeq:
        if len(rt) != len(data):
            raise FormatError("the file's structure could not be read consistently")
        # comments on items need a line each; an empty list is always `[]`
        flow = not data or (not _holds_comment(rt.ca.items) and use_flow(data, self.flow_column))
        for i, value in enumerate(data):
            # an item's content starts after `  - `: four columns right of the key
            self.flow_column = column + 4
            list.__setitem__(rt, i, self.node(rt[i], value, model, column + 4, column + 4))
        if flow:
            rt.fa.set_flow_style()
        else:
            rt.fa.set_block_style()
        return rt


def _holds_comment(value: Any) -> bool:
    """Whether ruamel's comment bookkeeping (nested lists and dicts) holds a comment."""
    if isinstance(value, dict):
        return any(_holds_comment(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_comment(v) for v in value)
    return value is not None


def comments(text: str) -> list[str]:
    """Every comment in a YAML text (without the `#`), found outside scalar tokens."""
    return [comment for comment, _anchor in comment_anchors(text)]


def _line_key(line: str) -> str:
    """What a line is about: its key (`name` in `  - name: X`), else its stripped text."""
    body = line.strip()
    while body.startswith("- ") or body == "-":
        body = body[2:].lstrip()
    key, colon, _rest = body.partition(":")
    return key.strip() if colon and not key.startswith(("'", '"', "[", "{")) else body


def comment_anchors(text: str) -> list[tuple[str, str]]:
    """Every comment (without the `#`, found outside scalar tokens) with what it belongs
    to: the key of its own line for a comment at the end of a line, else the key of the
    next line with content."""
    import bisect

    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    spans = sorted(
        (t.start_mark.index, t.end_mark.index, t.start_mark.line, t.style or "")
        for t in tokens
        if isinstance(t, yaml.ScalarToken)
    )
    starts = [s[0] for s in spans]
    anchored: list[tuple[str, str]] = []
    pending: list[str] = []
    seen_content = False
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        position = 0
        comment_at = -1
        while True:
            hit = line.find("#", position)
            if hit == -1:
                break
            absolute = offset + hit
            i = bisect.bisect_right(starts, absolute) - 1
            inside = i >= 0 and absolute < spans[i][1]
            if inside and spans[i][3] in "|>" and spans[i][3] and spans[i][2] == number:
                inside = False  # the header line of a block scalar holds a real comment
            if not inside and (hit == 0 or line[hit - 1] in " \t"):
                comment_at = hit
                break
            position = hit + 1
        offset += len(line)
        content = line if comment_at == -1 else line[:comment_at]
        if content.strip():
            key = _line_key(content)
            # comments above the first content line head the file, wherever fields go
            # the file's head: comments above the first line, or above `id` (which
            # canonical order puts first), describe the record as a whole
            head = not seen_content or content.startswith("id:")
            seen_content = True
            anchored.extend((comment, "^" if head else key) for comment in pending)
            pending = []
            if comment_at != -1:
                anchored.append((line[comment_at + 1 :].rstrip("\r\n").strip(), key))
        elif comment_at != -1:
            pending.append(line[comment_at + 1 :].rstrip("\r\n").strip())
    anchored.extend((comment, "") for comment in pending)
    return anchored


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def format_text(text: str, kind: str) -> str:
    """The canonical form of a record (or vocabulary) file's text.

    Raises `FormatError` when the text does not load cleanly with `dprkhr.yamlio`, or
    when a canonical form that keeps every value and comment cannot be produced.
    """
    doc = parse_text(text)
    if doc.issues:
        issue = doc.issues[0]
        raise FormatError(issue.message, issue.line, issue.column)
    model = model_for(kind)
    rt_yaml = _yaml()
    if any(mark in text for mark in "#&*"):
        try:
            tree = rt_yaml.load(text)  # keeps comments (and shows anchors, to refuse them)
        except Exception as exc:  # ruamel's errors have no common useful base
            message = str(exc).splitlines()[0]
            raise FormatError(f"cannot read for formatting: {message}") from None
    else:
        tree = _tree(doc.data)  # nothing but data to keep: skip ruamel's slow reader
    tree = _Canonicaliser().node(tree, doc.data, model, 0)
    out = io.StringIO()
    rt_yaml.dump(tree, out)
    result = out.getvalue().rstrip("\n") + "\n"
    check = parse_text(result)
    if check.issues or not _same(check.data, doc.data):
        raise FormatError("formatting would change a value; format this file by hand")
    if ("#" in text or "#" in result) and Counter(comments(result)) != Counter(comments(text)):
        raise FormatError("formatting would lose or split a comment; format this file by hand")
    if "#" in text and Counter(comment_anchors(result)) != Counter(comment_anchors(text)):
        raise FormatError(
            "formatting would move a comment away from the field it describes; put the "
            "fields in canonical order by hand (see docs/data-model.md), then run fmt again"
        )
    return result


def _tree(data: Any) -> Any:
    """Plain data as ruamel's round-trip containers."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(data, dict):
        return CommentedMap((k, _tree(v)) for k, v in data.items())
    if isinstance(data, list):
        return CommentedSeq(_tree(v) for v in data)
    return data


def dump_record(data: dict[str, Any], kind: str, header: str = "", footer: str = "") -> str:
    """Canonical text of a new record built from `data`, with optional comment lines."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return format_text(header + text + footer, kind)


# ---------------------------------------------------------------------------- files


@dataclass(frozen=True)
class FileResult:
    """What formatting one file found: `status` is `unchanged`, `reformatted`
    (or would be, in check mode), `error` or `skipped`."""

    path: Path
    status: str
    diff: str = ""
    message: str = ""
    line: int = 1
    column: int = 1


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files to format: `.yaml` files given, and those under folders given."""
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        found = (
            sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            if path.is_dir()
            else [path]
        )
        for item in found:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


class ChangedMeanwhile(Exception):
    """The file changed between reading and replacing it: it is left as it is now."""


def replace_if_unchanged(path: Path, text: str, info: os.stat_result, raw: bytes) -> None:
    """Replace a file's content atomically (`dprkhr.fsio.atomic_path`, keeping its
    permissions) only if, just before the rename, it is still the file that was read
    (`info`, `raw`): an edit made meanwhile is never lost (`ChangedMeanwhile`)."""

    def still_the_same() -> None:
        try:
            now, content = read_regular(path, RECORD_LIMIT)
        except OSError:
            raise ChangedMeanwhile() from None
        if stamp(now) != stamp(info) or content != raw:
            raise ChangedMeanwhile()

    write_text(path, text, replace=True, mode=info.st_mode & 0o7777, check=still_the_same)


def _outside(path: Path, root: Path | None) -> bool:
    """Whether a path in the data root leads (through links) to a file outside it."""
    if root is None:
        return False

    def within(place: str, top: str) -> bool:
        return os.path.commonpath([place, top]) == top

    given = os.path.abspath(path)
    return within(given, os.path.abspath(root)) and not within(
        os.path.realpath(path), os.path.realpath(root)
    )


def format_file(path: Path, root: Path | None, check: bool, display: str) -> FileResult:
    """Format (or, with `check`, only compare) one file. A link is formatted through (the
    file it leads to is rewritten) only when that file is inside the data root."""
    from dprkhr.dataset import record_kind
    from dprkhr.yamlio import decode

    if _outside(path, root):
        return FileResult(
            path,
            "error",
            message=f"links to {os.path.realpath(path)}, outside the data folder; "
            "not formatted (replace the link with the file itself)",
        )
    kind = record_kind(path, root)
    if kind == "unknown":
        return FileResult(path, "skipped", message="not a record or vocabulary file")
    try:
        info, raw = read_regular(path, RECORD_LIMIT)
    except OSError as exc:
        return FileResult(path, "error", message=f"cannot read: {exc.strerror}")
    text, issue = decode(raw)
    if text is None:
        message = issue.message if issue else "cannot read"
        return FileResult(path, "error", message=message, line=issue.line if issue else 1)
    try:
        formatted = format_text(text, kind)
    except FormatError as exc:
        return FileResult(path, "error", message=exc.message, line=exc.line, column=exc.column)
    if formatted == text and not raw.startswith(b"\xef\xbb\xbf"):
        return FileResult(path, "unchanged")
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            formatted.splitlines(keepends=True),
            fromfile=f"{display} (current)",
            tofile=f"{display} (canonical)",
        )
    )
    if not check:
        try:
            replace_if_unchanged(Path(os.path.realpath(path)), formatted, info, raw)
        except ChangedMeanwhile:
            return FileResult(
                path, "error", message="changed while it was formatted; left as it is: run again"
            )
    return FileResult(path, "reformatted", diff=diff)


def format_paths(paths: Iterable[Path], root: Path | None, check: bool) -> list[FileResult]:
    """Format every record file under `paths` (files or folders)."""
    from dprkhr.layout import display_path

    return [format_file(p, root, check, display_path(p)) for p in collect(paths)]


__all__ = [
    "WIDTH",
    "FileResult",
    "FormatError",
    "comments",
    "dump_record",
    "format_file",
    "format_paths",
    "format_text",
    "replace_if_unchanged",
]
