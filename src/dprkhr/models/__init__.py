"""Pydantic models of the records and vocabularies."""

from __future__ import annotations

from dprkhr.models.actor import Actor, ActorKind, Role
from dprkhr.models.common import Citation, LintSettings, Record
from dprkhr.models.event import Event, Participant
from dprkhr.models.resolution import Adoption, AdoptionMethod, Resolution
from dprkhr.models.source import Source, SourceKind
from dprkhr.models.vocab import EventType, EventTypesFile, Forum, ForumsFile, Tag, TagsFile

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
    "RECORD_TYPES",
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
    "Participant",
    "Record",
    "Resolution",
    "Role",
    "Source",
    "SourceKind",
    "Tag",
    "TagsFile",
]
