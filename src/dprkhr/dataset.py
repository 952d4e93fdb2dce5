"""Finding the data root, reading every file, validating records, collecting problems."""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from dprkhr.layout import (  # noqa: F401  (re-exported: the data root's layout)
    ENV_VAR,
    UNREADABLE_FOLDER,
    bundled_data_root,
    discover,
    display_path,
    find_data_root,
    is_data_root,
)
from dprkhr.models import MODEL_BY_FOLDER, RECORD_TYPES, VOCAB_FILES, Forum, Record
from dprkhr.models.vocab import EventType, EventTypesFile, ForumsFile, Tag, TagsFile
from dprkhr.problems import (
    INVALID_DATE,
    LOAD_ISSUE_RULES,
    SCHEMA,
    UNKNOWN_FILE,
    Problem,
    Severity,
)
from dprkhr.yamlio import Path_, YamlDocument, parse_bytes, read_file

if TYPE_CHECKING:
    from dprkhr.store import Store

RECORD_SUFFIX = ".yaml"


@dataclass
class LoadedFile:
    """One file of the dataset as read: its document, its record (if valid), its kind."""

    location: str
    """The file's path as a string (a `Path` is made only when asked for: `path`)."""
    display: str
    kind: str
    """`actor`, `event`, `resolution`, `source`, a vocabulary file name, or `unknown`."""
    doc: YamlDocument | None = None
    record: Record | None = None
    vocab: BaseModel | None = None
    failed: bool = False
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading and validating this file."""

    data: Any = None
    """The file's YAML data, kept even when validation failed."""

    @cached_property
    def path(self) -> Path:
        return Path(self.location)

    def locate(self, loc: Path_) -> tuple[int, int]:
        """Line and column of a path in the file. The node tree is not kept after loading
        (it would cost memory for every record); it is parsed again on demand."""
        if self.doc is None or self.doc.root is None:
            self.doc = read_file(self.location)
        return self.doc.locate(loc)


@dataclass
class Dataset:
    """Everything read from a data root, valid or not."""

    root: Path
    files: list[LoadedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    forums: list[Forum] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    vocab_loaded: dict[str, bool] = field(default_factory=dict)

    @property
    def records(self) -> list[Record]:
        return [f.record for f in self.files if f.record is not None and not f.failed]

    @property
    def failed_files(self) -> list[LoadedFile]:
        return [f for f in self.files if f.failed]


def record_kind(path: Path, root: Path | None) -> str:
    """The record type of a file from the folder it sits in."""
    parts = path.resolve().parts
    if root is not None:
        try:
            rel = path.resolve().relative_to(root.resolve())
            parts = rel.parts
            if len(parts) == 1 and parts[0] in VOCAB_FILES:
                return parts[0]
        except ValueError:
            parts = path.resolve().parts
    for folder in reversed(parts[:-1]):
        model = MODEL_BY_FOLDER.get(folder)
        if model is not None:
            return model.record_type
    if path.name in VOCAB_FILES:
        return path.name
    return "unknown"


Job = tuple[str, str, str, str | None]
"""(path, kind, display path, path relative to the data root for the root's own record
files, else None)."""


def file_jobs(
    root: Path,
    extra: Sequence[Path] = (),
    cwd: Path | None = None,
    found: list[tuple[str, str, str]] | None = None,
) -> tuple[list[Job], int]:
    """Every file under `root` (as `discover` finds them, or as `found` lists them) and the
    `extra` files not among them, as jobs to read; and how many of them are the root's own
    (they come first)."""
    if found is None:
        found = discover(root)
    root_display = display_path(root, cwd)
    jobs: list[Job] = []
    for path, kind, relative in found:
        display = relative if root_display in ("", ".") else f"{root_display}/{relative}"
        jobs.append((path, kind, display, relative if kind in RECORD_TYPES else None))
    seen = {Path(p).resolve() for p, _kind, _rel in found} if extra else set()
    for extra_path in extra:
        if extra_path.resolve() not in seen:
            jobs.append(
                (
                    str(extra_path),
                    record_kind(extra_path, root),
                    display_path(extra_path, cwd),
                    None,
                )
            )
            seen.add(extra_path.resolve())
    return jobs, len(found)


@contextmanager
def no_gc() -> Iterator[None]:
    """Bulk loading makes many long-lived objects and no garbage cycles: pause the cyclic
    collector, then freeze what was built so later collections do not scan it again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_dataset(
    root: Path,
    extra: Sequence[Path] = (),
    cwd: Path | None = None,
    cache: bool = False,
    store: Store | None = None,
) -> Dataset:
    """Read every file under `root` (plus `extra` files elsewhere) and validate them.

    Never raises for bad content: every problem lands in `Dataset.problems`, and a file
    that fails never stops the others from loading. With `cache=True` (or an open
    `store`), the store of the root (`dprkhr.store`) is refreshed first, and the files
    unchanged since come from it instead of being parsed (validated again all the same).
    """
    dataset = Dataset(root=root)
    jobs, _in_root = file_jobs(root, extra, cwd)
    fresh: dict[str, LoadedFile] = {}
    rows: dict[str, Any] = {}
    with no_gc():
        own = store is None and cache
        if own:
            from dprkhr.store import open_store

            store = open_store(root)
        if store is not None:
            from dprkhr.store import StoreError

            try:
                if not store.refreshed:
                    fresh = store.refresh(cwd=cwd).loaded
                rows = store.rows()
            except StoreError:
                fresh, rows = {}, {}  # read the files: the store is remade next time
            finally:
                if own:
                    store.close()
        top = os.fspath(root) + os.sep
        for path, kind, display, _relative in jobs:
            relative = path[len(top) :].replace(os.sep, "/") if path.startswith(top) else None
            loaded = fresh.get(relative) if relative is not None else None
            if loaded is None and relative is not None and relative in rows:
                loaded = _from_row(path, kind, display, rows[relative])
            if loaded is None:
                loaded = load_file(path, kind, display)
            loaded.doc = None  # node trees are parsed again only if needed
            dataset.files.append(loaded)
    del fresh, rows
    for loaded in dataset.files:
        if loaded.record is not None:
            loaded.data = None  # the record holds it all; keep one copy in memory
    for loaded in dataset.files:
        dataset.problems.extend(loaded.problems)
        if loaded.vocab is not None:
            _attach_vocab(dataset, loaded.vocab)
    for name in VOCAB_FILES:
        dataset.vocab_loaded[name] = any(
            f.kind == name and f.vocab is not None for f in dataset.files
        )
        if not any(f.kind == name for f in dataset.files):
            dataset.problems.append(
                _problem(
                    display_path(root / name, cwd),
                    1,
                    1,
                    UNKNOWN_FILE,
                    f"the vocabulary file {name} is missing, so references to it cannot be checked",
                    f"restore data/{name} (see docs/data-model.md)",
                )
            )
    return dataset


def _from_row(path: str, kind: str, display: str, row: Any) -> LoadedFile | None:
    """Rebuild what loading a file produced from its row in the store. Nothing in it is
    taken on trust: problems must have the right shape and the record (or vocabulary) is
    validated again, so a damaged store can never bring in what reading the file would
    not; anything odd (or data JSON cannot hold), and None: the file is read again."""
    if row.kind != kind or (row.validated and row.data is None):
        return None
    loaded = LoadedFile(location=path, display=display, kind=kind, data=row.data)
    loaded.failed = row.failed
    try:
        for line, column, code, rule, severity, message, suggestion in row.problems:
            if not (
                isinstance(line, int)
                and isinstance(column, int)
                and isinstance(code, str)
                and isinstance(rule, str)
                and isinstance(message, str)
                and (suggestion is None or isinstance(suggestion, str))
            ):
                return None
            loaded.problems.append(
                Problem(display, line, column, code, rule, Severity(severity), message, suggestion)
            )
        if row.validated and kind in VOCAB_FILES:
            loaded.vocab = VOCAB_FILES[kind].model_validate(row.data)
        elif row.validated:
            loaded.record = RECORD_TYPES[kind].model_validate(row.data)
    except (ValueError, TypeError):  # ValidationError is a ValueError
        return None
    return loaded


def _attach_vocab(dataset: Dataset, vocab: BaseModel) -> None:
    if isinstance(vocab, ForumsFile):
        dataset.forums = vocab.forums
    elif isinstance(vocab, TagsFile):
        dataset.tags = vocab.tags
    elif isinstance(vocab, EventTypesFile):
        dataset.event_types = vocab.event_types


def load_file(path: str | Path, kind: str, display: str, raw: bytes | None = None) -> LoadedFile:
    """Read, parse and validate one file of a known kind; problems are kept on the result.

    Pass `raw` when the bytes were already read.
    """
    loaded = LoadedFile(location=str(path), display=display, kind=kind)
    problems = loaded.problems
    if kind == UNREADABLE_FOLDER:
        loaded.failed = True
        try:
            os.listdir(path)
            reason = "it changed while it was read"
        except OSError as exc:
            reason = exc.strerror or str(exc)
        problems.append(
            _problem(
                display,
                1,
                1,
                UNKNOWN_FILE,
                f"the folder cannot be read ({reason}): the records in it are left out",
                f"make it readable (chmod u+rx {display})",
            )
        )
        return loaded
    if kind == "unknown":
        loaded.failed = True
        problems.append(
            _problem(
                display,
                1,
                1,
                UNKNOWN_FILE,
                "cannot tell what record this is from where it is",
                "put it in data/actors, data/events, data/resolutions or data/sources",
            )
        )
        return loaded
    if str(path).endswith(".yml"):
        problems.append(
            _problem(
                display,
                1,
                1,
                UNKNOWN_FILE,
                "record files end in `.yaml`, not `.yml`",
                f"rename it to {Path(path).stem}.yaml",
            )
        )
    doc = read_file(path) if raw is None else parse_bytes(raw)
    loaded.doc = doc
    loaded.data = doc.data
    for issue in doc.issues:
        problems.append(
            _problem(
                display,
                issue.line,
                issue.column,
                LOAD_ISSUE_RULES[issue.kind],
                issue.message,
                issue.suggestion,
            )
        )
    if not doc.ok or doc.data is None:
        loaded.failed = True
        return loaded
    if doc.issues:
        loaded.failed = True  # duplicate keys: ambiguous data is not served to queries
    if kind in VOCAB_FILES:
        vocab_model = VOCAB_FILES[kind]
        try:
            loaded.vocab = vocab_model.model_validate(doc.data)
        except ValidationError as exc:
            loaded.failed = True
            problems.extend(schema_problems(exc, doc, vocab_model, display))
        return loaded
    model = RECORD_TYPES[kind]
    try:
        loaded.record = model.model_validate(doc.data)
    except ValidationError as exc:
        loaded.failed = True
        problems.extend(schema_problems(exc, doc, model, display))
    return loaded


def _problem(
    display: str,
    line: int,
    column: int,
    rule: tuple[str, str],
    message: str,
    suggestion: str | None = None,
    severity: Severity = Severity.error,
) -> Problem:
    return Problem(display, line, column, rule[0], rule[1], severity, message, suggestion)


def format_loc(loc: Iterable[str | int]) -> str:
    """`("participants", 2, "actor")` -> `participants[2].actor`."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out or "(top level)"


_DATE_FIELDS = {"date", "end_date", "start", "end", "published", "established", "abolished"}


def schema_problems(
    exc: ValidationError, doc: YamlDocument, model: type[BaseModel], display: str
) -> list[Problem]:
    """Turn pydantic errors into problems at the right line, with a suggested fix.

    A field that may take several forms (`session: 22` or `session: S-28`) fails once per
    form; those errors are reported together, as one problem about the value.
    """
    groups: dict[tuple[str | int, ...], list[Any]] = {}
    for error in exc.errors(include_url=False):
        loc: tuple[str | int, ...] = tuple(
            step for step in error["loc"] if isinstance(step, (str, int))
        )
        # pydantic adds union-branch names (e.g. "int", "str") to loc; keep data keys only
        groups.setdefault(_data_loc(doc.data, loc), []).append(error)
    problems = []
    for loc, errors in groups.items():
        line, column = doc.locate(loc)
        rule, message, suggestion = _schema_message(loc, errors, doc, model)
        problems.append(_problem(display, line, column, rule, message, suggestion))
    return problems


_TYPE_ERRORS = {
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "float_type": "a number",
}
"""pydantic error types that mean "wrong type", and what the field expected instead."""


_FORMS = {
    "session": "a session number (22) or a special session (S-28, ES-11)",
    "page": "a page number (21) or a page range ('21-22')",
}
"""Fields that take more than one form, and how to write them."""


def _pattern_words(pattern: str) -> str:
    from dprkhr.models.common import FORUM_CODE_PATTERN

    if pattern == FORUM_CODE_PATTERN:
        return "a forum code such as HRC (upper-case letters, digits and hyphens)"
    return f"in the form `{pattern}`"


_BOUNDS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _shown(value: Any) -> str:
    """A value as it reads in YAML, with what kind of value it is."""
    if isinstance(value, bool):
        return f"`{'true' if value else 'false'}` (true/false)"
    if isinstance(value, str):
        return f"`{json.dumps(value, ensure_ascii=False)}` (text)"
    if isinstance(value, float):
        return f"`{value!r}` (a decimal number)"
    if isinstance(value, int):
        return f"`{value}` (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else f"`{value}`"


def _type_hint(value: Any, wanted: list[str]) -> str | None:
    """How to write `value` as the type the field wants."""
    if "a whole number" in wanted:
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return f"write {int(value)} without quotes"
        if isinstance(value, float) and value.is_integer():
            return f"write {int(value)}"
        if isinstance(value, bool):
            return "write the number itself"
    if "text" in wanted and isinstance(value, (bool, int, float)):
        return "put the value in quotes if it is meant as text"
    return None


def _schema_message(
    loc: tuple[str | int, ...], errors: list[Any], doc: YamlDocument, model: type[BaseModel]
) -> tuple[tuple[str, str], str, str | None]:
    """The rule, message and suggestion for the errors at one place in the data."""
    error = errors[0]
    where = format_loc(loc)
    etype = error["type"]
    msg = str(error["msg"]).removeprefix("Value error, ")
    if etype == "missing":
        message = f"missing required field `{loc[-1]}`" if loc else "missing field"
        parent = loc[:-1]
        if parent:
            message += f" in `{format_loc(parent)}`"
        suggestion = f"add `{loc[-1]}:`" if loc else None
        if loc:
            from dprkhr.suggest import close_matches

            parent_data = _value_at(doc.data, parent)
            unknown = [
                key
                for key in (parent_data if isinstance(parent_data, dict) else {})
                if key not in model_fields_at(model, parent)
            ]
            near = close_matches(str(loc[-1]), unknown, limit=1)
            if near:
                suggestion = f"rename `{near[0]}` to `{loc[-1]}`"
        return SCHEMA, message, suggestion
    if etype == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        from dprkhr.suggest import did_you_mean

        fields = model_fields_at(model, loc[:-1])
        suggestion = did_you_mean(name, fields)
        if suggestion is None and fields:
            suggestion = "allowed fields: " + ", ".join(fields)
        return SCHEMA, f"unknown field `{name}`", suggestion
    if loc and isinstance(loc[-1], str) and loc[-1] in _DATE_FIELDS and etype == "value_error":
        return (
            INVALID_DATE,
            f"invalid date `{error.get('input')}` in `{where}`: {msg}",
            "write YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
        )
    value = error.get("input")
    wanted = [_TYPE_ERRORS[e["type"]] for e in errors if e["type"] in _TYPE_ERRORS]
    fitting = [e for e in errors if e["type"] not in _TYPE_ERRORS]
    field_name = next((step for step in reversed(loc) if isinstance(step, str)), "")
    forms = _FORMS.get(field_name) if len(errors) > 1 else None
    if forms is not None and not any(e["type"] in _BOUNDS for e in errors):
        return SCHEMA, f"`{where}`: {_shown(value)} is not {forms}", _type_hint(value, wanted)
    if fitting:
        # the value has the type of one of the field's forms but breaks its constraint
        error = fitting[0]
        etype = error["type"]
        msg = str(error["msg"]).removeprefix("Value error, ")
        if etype == "string_pattern_mismatch" and loc and _is_id_field(loc):
            from dprkhr.names import slugify

            return (
                SCHEMA,
                f"`{where}`: `{value}` is not a valid id (lower-case letters, digits and "
                "single hyphens)",
                f"use `{slugify(str(value)) or 'id'}`",
            )
        ctx = error.get("ctx") or {}
        choices = allowed_values(error)
        if choices:
            from dprkhr.suggest import did_you_mean

            shown = f"`{value}`" if isinstance(value, str) else _shown(value)
            message = f"`{where}`: {shown} is not one of: {', '.join(choices)}"
            return SCHEMA, message, did_you_mean(str(value), choices)
        if etype == "greater_than_equal":
            msg = f"{value} is less than {ctx.get('ge')}, the smallest allowed"
        elif etype == "less_than_equal":
            msg = f"{value} is more than {ctx.get('le')}, the largest allowed"
        elif etype == "string_pattern_mismatch":
            pattern = str(error.get("ctx", {}).get("pattern", ""))
            msg = f"{_shown(value)} is not {_pattern_words(pattern)}"
        hint = _type_hint(value, wanted) if isinstance(value, str) else None
        return SCHEMA, f"`{where}`: {msg}", hint
    if wanted:
        expected = " or ".join(dict.fromkeys(wanted))
        return (
            SCHEMA,
            f"`{where}`: {_shown(value)} is not {expected}",
            _type_hint(value, wanted),
        )
    return SCHEMA, f"`{where}`: {msg}", None


def allowed_values(error: Any) -> list[str]:
    """The values a field takes, from a pydantic error about a value not among them
    (`enum`, `literal_error`); [] for other errors."""
    if error.get("type") not in ("enum", "literal_error"):
        return []
    expected = str((error.get("ctx") or {}).get("expected", ""))
    return re.findall(r"'([^']*)'", expected)


def _data_loc(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the steps pydantic adds for union branches, keeping only real data keys."""
    out: list[str | int] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            out.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            out.append(step)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str):
            out.append(step)  # a missing or unknown key: the last real step
            node = None
        elif node is None or not isinstance(node, (dict, list)):
            continue
    return tuple(out)


def _value_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for step in loc:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _is_id_field(loc: tuple[str | int, ...]) -> bool:
    names = [s for s in loc if isinstance(s, str)]
    return bool(names) and names[-1] in {
        "id",
        "actor",
        "source",
        "organization",
        "follows",
        "type",
        "sponsors",
        "dissociated",
        "resolutions",
        "tags",
    }


def model_fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the (nested) model found at `loc` inside `model`."""
    from dprkhr.models import child_model

    current: type[BaseModel] | None = model
    for step in loc:
        if isinstance(step, str):
            current = child_model(current, step)
    return list(current.model_fields) if current is not None else []
