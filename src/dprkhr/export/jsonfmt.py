"""JSON (one document) and JSON Lines (one record a line, with its `record_type`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from dprkhr.export.output import stamp
from dprkhr.export.selection import Selection
from dprkhr.models import Record
from dprkhr.safetext import json_safe


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON; UTF-8 text kept readable, but what a terminal could act
    on escaped (`dprkhr.safetext.json_safe`)."""
    return json_safe(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def record_data(record: Record) -> dict[str, Any]:
    """A record's own fields as JSON data (every field, null when unset); per-record lint
    suppressions are tooling, not data, and are left out."""
    return record.model_dump(mode="json", exclude={"lint"})


def _vocabularies(sel: Selection) -> dict[str, list[dict[str, Any]]]:
    return {
        "forums": [f.model_dump(mode="json") for f in sel.forums],
        "tags": [t.model_dump(mode="json") for t in sel.tags],
        "event_types": [t.model_dump(mode="json") for t in sel.event_types],
    }


def _array(stream: IO[str], items: Iterable[Any]) -> None:
    first = True
    for item in items:
        stream.write("\n  " if first else ",\n  ")
        stream.write(dumps(item))
        first = False
    stream.write("\n ]" if not first else "]")


def write_json(sel: Selection, stream: IO[str]) -> None:
    """One JSON object: the stamp, the filters, then one array per record type and
    vocabulary, one record a line (so that diffs between exports are readable)."""
    head = {**stamp(), "filters": sel.filter.describe()}
    stream.write("{")
    for key in sorted(head):
        stream.write(f"{dumps(key)}:{dumps(head[key])},\n")
    sections: list[tuple[str, Iterable[Any]]] = [
        ("actors", (record_data(r) for r in sel.actors)),
        ("events", (record_data(r) for r in sel.events)),
        ("resolutions", (record_data(r) for r in sel.resolutions)),
        ("sources", (record_data(r) for r in sel.sources)),
        *_vocabularies(sel).items(),
    ]
    for i, (name, items) in enumerate(sections):
        stream.write(f"{dumps(name)}:[")
        _array(stream, items)
        stream.write(",\n" if i < len(sections) - 1 else "}\n")


def write_jsonl(sel: Selection, stream: IO[str]) -> None:
    """A first line `{"record_type": "export", ...stamp}`, then one line per record:
    its fields plus `record_type` (actor, event, resolution, source, forum, tag,
    event_type)."""
    head = {"record_type": "export", **stamp(), "filters": sel.filter.describe()}
    stream.write(dumps(head) + "\n")
    for record in sel.records():
        stream.write(dumps({**record_data(record), "record_type": record.record_type}) + "\n")
    for name, items in _vocabularies(sel).items():
        kind = name[:-1]
        for item in items:
            stream.write(dumps({**item, "record_type": kind}) + "\n")
