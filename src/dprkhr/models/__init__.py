"""Pydantic models of the records and vocabularies."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from dprkhr.models.actor import Actor, ActorKind, Office, Role
from dprkhr.models.common import Citation, LintSettings, Record
from dprkhr.models.event import Event, Participant
from dprkhr.models.resolution import (
    POSITIONS,
    ROLE_POSITIONS,
    Adoption,
    AdoptionMethod,
    Resolution,
    RollKind,
    Sponsor,
    SponsorId,
    SponsorRole,
    Votes,
)
from dprkhr.models.source import Source, SourceKind
from dprkhr.models.vocab import EventType, EventTypesFile, Forum, ForumsFile, Tag, TagsFile


def child_model(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    """The model of the value (or of each list item) at field `key` of `model`:
    `Participant` for `Event.participants`, `Adoption` for `Resolution.adoption`."""
    if model is None:
        return None
    info = model.model_fields.get(key)
    if info is None:
        return None
    stack = [info.annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(typing.get_args(item))
    return None


RECORD_TYPES: dict[str, type[Record]] = {
    "actor": Actor,
    "event": Event,
    "resolution": Resolution,
    "source": Source,
}
"""Record type name -> model."""

MODEL_BY_FOLDER: dict[str, type[Record]] = {m.folder: m for m in RECORD_TYPES.values()}
"""Folder under the data root -> model (`actors` -> Actor)."""

VOCAB_FILES: dict[str, type[ForumsFile] | type[TagsFile] | type[EventTypesFile]] = {
    ForumsFile.file_name: ForumsFile,
    TagsFile.file_name: TagsFile,
    EventTypesFile.file_name: EventTypesFile,
}

__all__ = [
    "MODEL_BY_FOLDER",
    "POSITIONS",
    "RECORD_TYPES",
    "ROLE_POSITIONS",
    "VOCAB_FILES",
    "Actor",
    "ActorKind",
    "Adoption",
    "AdoptionMethod",
    "Citation",
    "Event",
    "EventType",
    "EventTypesFile",
    "Forum",
    "ForumsFile",
    "LintSettings",
    "Office",
    "Participant",
    "Record",
    "Resolution",
    "Role",
    "RollKind",
    "Source",
    "SourceKind",
    "Sponsor",
    "SponsorId",
    "SponsorRole",
    "Tag",
    "TagsFile",
    "Votes",
    "child_model",
]
