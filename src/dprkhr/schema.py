"""JSON Schema (draft 2020-12) of record files and vocabularies, from the pydantic models.

Editors use them for completion and checking (see `.vscode/settings.json` and the
`# yaml-language-server: $schema=...` modeline in CONTRIBUTING.md); outside validators such
as `check-jsonschema` accept the dataset under them. The committed copies in `schemas/`
are regenerated with `python -m dprkhr.docgen`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMA_KINDS: dict[str, str] = {
    "actor": "data/actors/*.yaml",
    "event": "data/events/*.yaml",
    "resolution": "data/resolutions/*.yaml",
    "source": "data/sources/*.yaml",
    "forums": "data/forums.yaml",
    "tags": "data/tags.yaml",
    "event-types": "data/event-types.yaml",
}
"""Schema kind -> the files it describes (a glob relative to the repository)."""


def _model(kind: str) -> type[BaseModel]:
    from dprkhr.models import RECORD_TYPES, VOCAB_FILES

    if kind in RECORD_TYPES:
        return RECORD_TYPES[kind]
    return VOCAB_FILES[f"{kind}.yaml"]


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file."""
    if kind not in SCHEMA_KINDS:
        from dprkhr.errors import UsageError

        raise UsageError(f"unknown schema `{kind}`; choose one of: {', '.join(SCHEMA_KINDS)}")
    model = _model(kind)
    body = model.model_json_schema(mode="validation")
    described = SCHEMA_KINDS[kind]
    return {
        "$schema": DIALECT,
        "title": body.pop("title", model.__name__),
        "description": body.pop("description", "")
        + f" Files: {described}. Exactly what `dprkhr lint` accepts, with one gap JSON Schema"
        " cannot express: a whole number written as a decimal (`30.0`) counts as an integer"
        " here, and lint asks for `30`.",
        **body,
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


__all__ = ["DIALECT", "SCHEMA_KINDS", "file_name", "schema_for", "schema_text"]
