"""Safe YAML reading that keeps line marks and rejects what a record file must not hold.

The reader is libyaml-backed (`yaml.CSafeLoader`) and composes a node tree, which is
walked by a small converter instead of PyYAML's constructor. The converter:

- types plain scalars by the YAML 1.2 core schema, minus timestamps: dates stay strings,
  only `true`/`false` are booleans (so `country: NO` stays the string "NO"); integers are
  read as ruamel.yaml reads them (the reader of check-jsonschema and of editors), so
  `0x1E`, `0o36`, `0b11110` and `3_0` are all 30 here too and the JSON Schemas judge the
  same value lint does;
- refuses tags, merge keys, complex keys, recursive aliases, alias expansion beyond a
  small budget and nesting beyond a sane depth;
- reports duplicate keys with both places;
- keeps the node tree, so that any path in the data (`participants[2].actor`) maps back
  to a line and column.

Nothing here raises on bad input: every problem becomes a `LoadIssue` with a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dprkhr.fsio import RECORD_LIMIT, NotRegularFile, TooLarge, read_regular

MAX_FILE_BYTES = RECORD_LIMIT
"""Larger files are refused: no record needs a megabyte."""
MAX_DEPTH = 32
"""Deepest nesting of collections accepted in a record."""
MAX_NODES = 50_000
"""Most values one file may expand to (aliases included)."""
MAX_ALIASES = 100
"""Most alias uses in one file."""
_DEEP_CHECK_THRESHOLD = 2_000
"""Above this many structural characters, nesting is measured on the event stream first
(libyaml's composer recurses in C and would crash on pathological nesting)."""

_P = "tag:dprkhr,2024:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL = (
    _P + "str",
    _P + "int",
    _P + "float",
    _P + "bool",
    _P + "null",
)
TAG_MAP, TAG_SEQ = _P + "map", _P + "seq"

_INT_RE = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*|0x[0-9a-fA-F_]*[0-9a-fA-F][0-9a-fA-F_]*|0o[0-7_]*[0-7][0-7_]*|0b[01_]*[01][01_]*)$"
)
_INT_BASES = {"0x": 16, "0o": 8, "0b": 2}
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".Inf": float("inf"),
    "+.Inf": float("inf"),
    "-.Inf": float("-inf"),
    ".INF": float("inf"),
    "+.INF": float("inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

Path_ = tuple[str | int, ...]
"""A path into a document: keys and list indexes, e.g. ("participants", 2, "actor")."""


class _Loader(yaml.CSafeLoader):
    """libyaml parser whose implicit typing is ours, marked with a private tag prefix.

    Implicit resolution always goes through `resolve`; an explicit tag in the text never
    does, so any node whose tag lacks our prefix was tagged by the author and is refused.
    """

    def resolve(
        self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool] | int
    ) -> str:
        # A scalar comes with its text and (plain, quoted) implicitness; a collection with
        # no text and one flag.
        if kind is yaml.ScalarNode:
            if isinstance(implicit, tuple) and implicit[0] and value is not None:
                if value in _NULLS:
                    return TAG_NULL
                if value in _BOOLS:
                    return TAG_BOOL
                if _INT_RE.match(value):
                    return TAG_INT
                if value in _SPECIAL_FLOATS or _FLOAT_RE.match(value):
                    return TAG_FLOAT
            return TAG_STR
        if kind is yaml.SequenceNode:
            return TAG_SEQ
        return TAG_MAP


@dataclass(frozen=True)
class LoadIssue:
    """A problem found while reading a file. `kind` is one of `syntax`, `duplicate-key`,
    `dialect`; `fatal` issues mean the file yields no data."""

    kind: str
    message: str
    line: int
    column: int
    fatal: bool = True
    suggestion: str | None = None


@dataclass
class YamlDocument:
    """The data of one file, with its node tree for locating paths."""

    data: Any
    root: yaml.Node | None
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.fatal for i in self.issues)

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its nearest ancestor.

        For a mapping key, the place of the key is returned (where an editor would jump).
        """
        return locate(self.root, path)


def locate(root: yaml.Node | None, path: Path_) -> tuple[int, int]:
    if root is None:
        return (1, 1)
    return _descend(root, (root.start_mark.line + 1, root.start_mark.column + 1), path)


def _descend(node: yaml.Node, place: tuple[int, int], path: Path_) -> tuple[int, int]:
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                    place = (key.start_mark.line + 1, key.start_mark.column + 1)
                    node = value
                    break
            else:
                return place
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return place
            node = node.value[step]
            place = (node.start_mark.line + 1, node.start_mark.column + 1)
        else:
            return place
    return place


class Places:
    """`locate` for many paths of one document: the top-level keys are looked up in an
    index built once, instead of scanned for each path. Same answers as `locate`."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root
        self.top: dict[str, tuple[yaml.Node, yaml.Node]] | None = None

    def __call__(self, path: Path_) -> tuple[int, int]:
        root = self.root
        if root is None or not path or not isinstance(root, yaml.MappingNode):
            return locate(root, path)
        if self.top is None:
            self.top = {}
            for key, value in root.value:
                if isinstance(key, yaml.ScalarNode):
                    self.top.setdefault(key.value, (key, value))  # the first one, as `locate`
        hit = self.top.get(str(path[0]))
        if hit is None:
            return (root.start_mark.line + 1, root.start_mark.column + 1)
        key, node = hit
        return _descend(node, (key.start_mark.line + 1, key.start_mark.column + 1), path[1:])


class _Walker:
    """Converts a node tree to Python values, enforcing the dialect."""

    def __init__(self) -> None:
        self.issues: list[LoadIssue] = []
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.aborted = False

    def issue(self, kind: str, message: str, node: yaml.Node, fatal: bool = True) -> None:
        mark = node.start_mark
        self.issues.append(LoadIssue(kind, message, mark.line + 1, mark.column + 1, fatal))

    def walk(self, node: yaml.Node, depth: int) -> Any:
        if self.aborted:
            return None
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.issue(
                "dialect", f"the file expands to more than {MAX_NODES} values (aliases?)", node
            )
            self.aborted = True
            return None
        if depth > MAX_DEPTH:
            self.issue("dialect", f"nesting deeper than {MAX_DEPTH} levels", node)
            self.aborted = True
            return None
        if not node.tag.startswith(_P):
            self.issue(
                "dialect",
                f"YAML tag `{node.tag}` is not allowed; records hold plain values only",
                node,
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except ValueError:  # e.g. an integer of thousands of digits
                self.issue("dialect", f"number too long: {len(node.value)} digits", node)
                return None
        key = id(node)
        if key in self.active:
            self.issue("dialect", "recursive alias: a value contains itself", node)
            self.aborted = True
            return None
        if key in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                self.issue("dialect", f"more than {MAX_ALIASES} alias uses", node)
                self.aborted = True
                return None
        self.seen.add(key)
        self.active.add(key)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(item, depth + 1) for item in node.value]
            assert isinstance(node, yaml.MappingNode)  # the composer makes no other kind
            return self._mapping(node, depth)
        finally:
            self.active.discard(key)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.issue("dialect", "complex (non-scalar) keys are not allowed", key_node)
                continue
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                key_node.value == "<<" and not key_node.style
            ):
                self.issue(
                    "dialect", "merge keys (`<<`) are not allowed; write the fields out", key_node
                )
                continue
            if not key_node.tag.startswith(_P):
                self.issue(
                    "dialect", f"YAML tag `{key_node.tag}` is not allowed on a key", key_node
                )
                continue
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.issues.append(
                    LoadIssue(
                        "duplicate-key",
                        f"duplicate key `{key}` (first defined on line {line})",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        fatal=False,
                        suggestion=f"keep one `{key}` and remove the other",
                    )
                )
                continue
            first_seen[key] = key_node
            result[key] = self.walk(value_node, depth + 1)
        return result


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == TAG_STR:
        return value
    if tag == TAG_NULL:
        return None
    if tag == TAG_BOOL:
        return _BOOLS[value]
    if tag == TAG_INT:
        return _int(value)
    if value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    return float(value)


def _int(text: str) -> int:
    """An integer in YAML 1.2 core notation (plus ruamel.yaml's `_` separators)."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace("_", "")
    base = _INT_BASES.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


def _char_code(character: int | str) -> str:
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    return f"U+{code:04X}"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _first_too_deep(events: Iterator[yaml.Event]) -> tuple[int, int] | None:
    """Line and column where the event stream first nests deeper than `MAX_DEPTH`."""
    depth = 0
    for event in events:
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                assert mark is not None  # the parser marks every event
                return (mark.line + 1, mark.column + 1)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _too_deep(text: str) -> tuple[int, int] | None:
    """Measure nesting on the event stream when the text could nest pathologically."""
    structural = sum(text.count(c) for c in "[{-:?")
    if structural <= _DEEP_CHECK_THRESHOLD:
        return None
    return _first_too_deep(yaml.parse(text, Loader=_Loader))


def _libyaml_depth_issue(text: str, exc: yaml.MarkedYAMLError) -> LoadIssue | None:
    """libyaml's own nesting limit (PyYAML 6.0.4 and later), reported as ours.

    Newer libyaml refuses nesting past its limit while scanning ahead, before our event
    count sees the depth. So that a record reads the same whichever libyaml is installed,
    the text up to libyaml's mark is measured again by the pure-Python parser, which finds
    the place where nesting first passes `MAX_DEPTH`.
    """
    if exc.problem is None or "maximum nesting depth" not in exc.problem:
        return None
    mark = exc.problem_mark
    end = mark.index + 1 if mark is not None else len(text)
    try:
        place = _first_too_deep(yaml.parse(text[:end], Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        place = None
    if place is None:
        place = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return LoadIssue("dialect", f"nesting deeper than {MAX_DEPTH} levels", *place)


def _tab_issue(text: str, exc: yaml.MarkedYAMLError) -> LoadIssue | None:
    """A syntax error caused by a tab in the indentation, said as such (PyYAML says
    "found character that cannot start any token"): the first line, at or before the
    error, whose indentation holds a tab."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    lines = text.splitlines()
    last = min(mark.line, len(lines) - 1)
    for number in range(last, -1, -1):
        line = lines[number]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            first = number
            while first > 0 and "\t" in _indent(lines[first - 1]):
                first -= 1
            return LoadIssue(
                "syntax",
                "a tab in the indentation: YAML indents with spaces only",
                first + 1,
                _indent(lines[first]).index("\t") + 1,
                suggestion="replace each tab at the start of the line with spaces (two per "
                "level, as in the lines around it); most editors can do this for the file",
            )
        if number < last and line.strip():
            break  # look back only over the lines the error is about
    return None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _mark_issue(kind: str, exc: yaml.MarkedYAMLError) -> LoadIssue:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) if parts else str(exc).splitlines()[0]
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context:
        message = f"{exc.problem} ({exc.context} that starts on line {exc.context_mark.line + 1})"
    return LoadIssue(kind, message, line, column)


def _utf16_or_32(raw: bytes) -> str | None:
    """The name of the UTF-16 or UTF-32 encoding a byte-order mark announces, if any."""
    for mark, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if raw.startswith(mark):
            return name
    return None


def decode(raw: bytes) -> tuple[str | None, LoadIssue | None]:
    """Bytes to text, refusing binary and non-UTF-8 content with a place."""
    if len(raw) > MAX_FILE_BYTES:
        return None, LoadIssue(
            "dialect",
            f"file is {len(raw):,} bytes; records are limited to {MAX_FILE_BYTES:,} bytes",
            1,
            1,
        )
    encoding = _utf16_or_32(raw)
    if encoding is not None:
        return None, LoadIssue(
            "dialect",
            f"the file is {encoding} text (it starts with a {encoding} byte-order mark); "
            "records are UTF-8: save it as UTF-8 in your editor",
            1,
            1,
        )
    nul = raw.find(b"\x00")
    if nul != -1:
        return None, LoadIssue("dialect", "binary file (contains NUL bytes), not YAML text", 1, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        return None, LoadIssue(
            "dialect",
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            line,
            column,
            suggestion="save the file as UTF-8",
        )
    return text, None


def parse_text(text: str) -> YamlDocument:
    """Parse one YAML document that must be a mapping at the top."""
    try:
        deep = _too_deep(text)
        if deep is not None:
            issue = LoadIssue("dialect", f"nesting deeper than {MAX_DEPTH} levels", *deep)
            return YamlDocument(None, None, [issue])
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        return YamlDocument(
            None,
            None,
            [
                LoadIssue(
                    "syntax",
                    f"character {_char_code(exc.character)} is not allowed here ({exc.reason})",
                    line,
                    column,
                )
            ],
        )
    except yaml.composer.ComposerError as exc:
        if exc.problem and "another document" in exc.problem:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else 1
            return YamlDocument(
                None,
                None,
                [
                    LoadIssue(
                        "dialect",
                        "several YAML documents in one file; a record file holds one",
                        line,
                        1,
                        suggestion="remove the `---` separator and put each record in its own file",
                    )
                ],
            )
        return YamlDocument(None, None, [_tab_issue(text, exc) or _mark_issue("syntax", exc)])
    except yaml.MarkedYAMLError as exc:
        issue = (
            _libyaml_depth_issue(text, exc) or _tab_issue(text, exc) or _mark_issue("syntax", exc)
        )
        return YamlDocument(None, None, [issue])
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all we know
        return YamlDocument(None, None, [LoadIssue("syntax", str(exc), 1, 1)])
    if root is None:
        return YamlDocument(None, None, [LoadIssue("dialect", "empty file: no record in it", 1, 1)])
    if not isinstance(root, yaml.MappingNode):
        what = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        return YamlDocument(
            None,
            root,
            [
                LoadIssue(
                    "dialect",
                    f"the top level is {what}; a record is a mapping of fields",
                    line,
                    column,
                )
            ],
        )
    walker = _Walker()
    data = walker.walk(root, 1)
    return YamlDocument(data, root, walker.issues)


def read_file(path: Path | str) -> YamlDocument:
    """Read and parse a file; never raises for bad content (I/O errors become issues)."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        return YamlDocument(None, None, [read_issue(exc)])
    return parse_bytes(raw)


def read_bytes(path: Path | str) -> bytes:
    """A record file's bytes: a regular file of at most `MAX_FILE_BYTES`, read without
    blocking and without reading more than the limit (see `dprkhr.fsio.read_regular`)."""
    return read_regular(path, MAX_FILE_BYTES)[1]


def read_issue(exc: OSError) -> LoadIssue:
    """What a file that could not be read is reported as."""
    if isinstance(exc, TooLarge):
        message = f"file is {exc.size:,} bytes; records are limited to {MAX_FILE_BYTES:,} bytes"
    elif isinstance(exc, NotRegularFile):
        message = (
            f"not a regular file ({exc.what}); dprkhr reads plain files only: remove it or "
            "put the file itself in its place"
        )
    else:
        message = f"cannot read: {exc.strerror or exc}"
    return LoadIssue("dialect", message, 1, 1)


def parse_bytes(raw: bytes) -> YamlDocument:
    text, issue = decode(raw)
    if issue is not None or text is None:
        return YamlDocument(None, None, [issue] if issue else [])
    return parse_text(text)
