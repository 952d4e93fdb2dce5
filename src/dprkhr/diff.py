"""What changed in the knowledge base between two git revisions, record by record.

Files are read from git (`git diff --name-status` with rename detection, then
`git show REV:path`) and parsed with the same loader as everything else
(`dprkhr.yamlio.parse_bytes`); records are compared field by field. A file that does not
parse on one side is reported as broken on that side, never fatal.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from dprkhr import gitio
from dprkhr.dataset import format_loc, record_kind
from dprkhr.models import VOCAB_FILES
from dprkhr.yamlio import YamlDocument, parse_bytes, read_bytes


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""Marks a value that is absent on one side of a change."""

VOCAB_ENTRIES: dict[str, tuple[str, str, str]] = {
    "forums.yaml": ("forums", "code", "forum"),
    "tags.yaml": ("tags", "id", "tag"),
    "event-types.yaml": ("event_types", "id", "event-type"),
}
"""Vocabulary file -> (list key, key field of each entry, kind shown)."""


@dataclass(frozen=True)
class FieldChange:
    """One value that differs: `old` or `new` is MISSING when the field was added or removed."""

    path: str
    old: Any = MISSING
    new: Any = MISSING

    @property
    def change(self) -> str:
        if self.old is MISSING:
            return "added"
        if self.new is MISSING:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class Broken:
    """A side of a change whose file does not load: `side` is `base` or `head`."""

    side: str
    line: int
    column: int
    message: str


@dataclass
class RecordChange:
    """One record (or vocabulary entry) added, removed, changed or renamed."""

    status: str
    """`added`, `removed`, `changed` or `renamed`."""
    kind: str
    id: str
    label: str | None = None
    old_path: str | None = None
    new_path: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "old_path": self.old_path,
            "new_path": self.new_path,
            "fields": [
                {
                    "field": f.path,
                    "change": f.change,
                    **({} if f.old is MISSING else {"old": f.old}),
                    **({} if f.new is MISSING else {"new": f.new}),
                }
                for f in self.fields
            ],
            "broken": [
                {"side": b.side, "line": b.line, "column": b.column, "message": b.message}
                for b in self.broken
            ],
        }


@dataclass
class DiffResult:
    base: str
    """The base commit id."""
    base_label: str
    """How the base was chosen (`main`, `merge base of HEAD and main`)."""
    head: str | None
    """The head commit id, or None for the working tree."""
    head_label: str
    records: list[RecordChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "renamed": 0, "broken": 0}
        for record in self.records:
            out[record.status] += 1
            if record.broken:
                out["broken"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": {"commit": self.base, "label": self.base_label},
            "head": {"commit": self.head, "label": self.head_label},
            "counts": self.counts(),
            "records": [r.to_dict() for r in self.records],
        }


# ---------------------------------------------------------------------------- values


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def diff_values(old: Any, new: Any, path: tuple[str | int, ...] = ()) -> list[FieldChange]:
    """Field-level differences between two loaded values, in document order.

    Mappings are compared key by key; lists are aligned (as `diff` aligns lines), so
    that adding a citation shows one added item, not a changed list.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            out.extend(diff_values(old.get(key, MISSING), new.get(key, MISSING), (*path, key)))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        matcher = difflib.SequenceMatcher(
            a=[_key(v) for v in old], b=[_key(v) for v in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    out.extend(diff_values(old[i], new[j], (*path, j)))
                continue
            out.extend(FieldChange(format_loc((*path, i)), old=old[i]) for i in range(i1, i2))
            out.extend(FieldChange(format_loc((*path, j)), new=new[j]) for j in range(j1, j2))
        return out
    if old is MISSING and new is MISSING:
        return []
    if type(old) is type(new) and old == new:
        return []
    return [FieldChange(format_loc(path), old=old, new=new)]


def _label(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    for key in ("title", "name", "symbol"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _broken(doc: YamlDocument | None, side: str) -> list[Broken]:
    if doc is None:
        return []
    fatal = [i for i in doc.issues if i.fatal]
    if fatal:
        return [Broken(side, i.line, i.column, i.message) for i in fatal]
    if not isinstance(doc.data, dict):
        return [Broken(side, 1, 1, "no record in the file")]
    return []


# ---------------------------------------------------------------------------- records


def _entries(data: Any, list_key: str, id_key: str) -> dict[str, Any]:
    items = data.get(list_key) if isinstance(data, dict) else None
    out: dict[str, Any] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get(id_key), str):
            out.setdefault(item[id_key], item)
    return out


def _vocab_changes(
    name: str, old: YamlDocument | None, new: YamlDocument | None, path: str
) -> list[RecordChange]:
    list_key, id_key, kind = VOCAB_ENTRIES[name]
    broken = _broken(old, "base") + _broken(new, "head")
    if broken:
        return [RecordChange("changed", "vocabulary", name, None, path, path, broken=broken)]
    before = _entries(old.data if old else None, list_key, id_key)
    after = _entries(new.data if new else None, list_key, id_key)
    out = []
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(key), after.get(key)
        if a is None:
            out.append(RecordChange("added", kind, key, _label(b), None, path))
        elif b is None:
            out.append(RecordChange("removed", kind, key, _label(a), path, None))
        else:
            fields = diff_values(a, b)
            if fields:
                out.append(RecordChange("changed", kind, key, _label(b), path, path, fields))
    return out


def _not_loading(
    doc: YamlDocument | None, raw: bytes | None, path: str | None, kind: str, side: str
) -> list[Broken]:
    """Why a record file does not load on one side, as the dataset loader sees it (a
    duplicate key or a schema error stops a record from loading too, while its data still
    parses); empty when it loads, or is absent."""
    broken = _broken(doc, side)
    if broken or raw is None or path is None:
        return broken
    from dprkhr.dataset import load_file
    from dprkhr.problems import Severity

    loaded = load_file(path, kind, path, raw)
    if not loaded.failed:
        return []
    errors = [p for p in loaded.problems if p.severity is Severity.error]
    return [Broken(side, p.line, p.column, p.message) for p in errors] or [
        Broken(side, 1, 1, "the record does not load")
    ]


def _record_change(
    change: gitio.Change,
    kind: str,
    old: YamlDocument | None,
    new: YamlDocument | None,
    raws: tuple[bytes | None, bytes | None] = (None, None),
) -> RecordChange | None:
    """The change of one record file; `raws` are the file's bytes on each side, to tell
    whether the record loads there (a record that stopped or started loading is a
    change even when its data reads the same)."""
    broken = _not_loading(old, raws[0], change.old, kind, "base") + _not_loading(
        new, raws[1], change.new, kind, "head"
    )
    old_data = old.data if old is not None and not _broken(old, "base") else None
    new_data = new.data if new is not None and not _broken(new, "head") else None
    path = change.new or change.old or ""
    record_id = next(
        (
            d["id"]
            for d in (new_data, old_data)
            if isinstance(d, dict) and isinstance(d.get("id"), str)
        ),
        Path(path).stem,
    )
    label = _label(new_data) or _label(old_data)
    if change.status == "A":
        status = "added"
    elif change.status == "D":
        status = "removed"
    elif change.status == "R":
        status = "renamed"
    else:
        status = "changed"
    fields: list[FieldChange] = []
    if status in ("changed", "renamed") and old_data is not None and new_data is not None:
        fields = diff_values(old_data, new_data)
        if not fields and not broken and status == "changed":
            return None  # only formatting or comments changed
    return RecordChange(status, kind, record_id, label, change.old, change.new, fields, broken)


def diff_dataset(data_root: Path, base: str | None = None, head: str | None = None) -> DiffResult:
    """Records added, removed and changed under `data_root` from `base` (default: the
    merge base of HEAD with main) to `head` (default: the working tree)."""
    top = gitio.repo_root(data_root)
    if base is None:
        base_commit, base_label = gitio.default_base(top)
    else:
        base_commit, base_label = gitio.resolve(top, base), base
    head_commit = gitio.resolve(top, head) if head is not None else None
    head_label = head if head is not None else "the working tree"
    result = DiffResult(base_commit, base_label, head_commit, head_label)
    for change in gitio.changes(top, data_root, base_commit, head_commit):
        path = change.new or change.old or ""
        if not path.endswith((".yaml", ".yml")):
            continue
        old_raw = _read_raw(top, base_commit, change.old)
        new_raw = _read_raw(top, head_commit, change.new)
        old = parse_bytes(old_raw) if old_raw is not None else None
        new = parse_bytes(new_raw) if new_raw is not None else None
        name = Path(path).name
        kind = record_kind(top / path, data_root)
        if kind in VOCAB_FILES:
            result.records.extend(_vocab_changes(name, old, new, path))
            continue
        if kind == "unknown":
            continue
        record = _record_change(change, kind, old, new, (old_raw, new_raw))
        if record is not None:
            result.records.append(record)
    return result


def _read_raw(top: Path, commit: str | None, path: str | None) -> bytes | None:
    """A file's bytes in a commit, or in the working tree (a regular file, bounded)."""
    if path is None:
        return None
    if commit is None:
        try:
            return read_bytes(top / path)
        except OSError:
            return None
    return gitio.read_blob(top, commit, path)


__all__ = ["MISSING", "Broken", "DiffResult", "FieldChange", "RecordChange", "diff_dataset"]
