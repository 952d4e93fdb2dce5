"""How much each vocabulary entry is used: forums, tags and event types with the number of
events and resolutions that name them (`dprkhr vocab`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dprkhr.kb import KnowledgeBase

VOCABULARIES = ("forums", "tags", "types")
"""The vocabularies, as `dprkhr vocab` names them (types: event types)."""

FILES = {"forums": "forums.yaml", "tags": "tags.yaml", "types": "event-types.yaml"}


@dataclass(frozen=True)
class VocabEntry:
    vocabulary: str
    id: str
    """The forum code, tag id or event type id that records use."""
    name: str
    events: int
    """Events using it."""
    resolutions: int | None
    """Resolutions using it; None for event types, which resolutions do not have."""

    @property
    def total(self) -> int:
        return self.events + (self.resolutions or 0)


def vocab_usage(
    kb: KnowledgeBase, vocabularies: tuple[str, ...] = VOCABULARIES
) -> list[VocabEntry]:
    """Every entry of the chosen vocabularies in file order, with how many records use it
    (0 for an entry nothing uses yet)."""
    out: list[VocabEntry] = []
    for vocabulary in vocabularies:
        if vocabulary == "forums":
            events = Counter(e.forum for e in kb.events if e.forum)
            resolutions = Counter(r.forum for r in kb.resolutions if r.forum)
            out += [
                VocabEntry("forums", f.code, f.name, events[f.code], resolutions[f.code])
                for f in kb.forums
            ]
        elif vocabulary == "tags":
            events = Counter(t for e in kb.events for t in dict.fromkeys(e.tags))
            resolutions = Counter(t for r in kb.resolutions for t in dict.fromkeys(r.tags))
            out += [
                VocabEntry("tags", t.id, t.name, events[t.id], resolutions[t.id]) for t in kb.tags
            ]
        elif vocabulary == "types":
            events = Counter(e.type for e in kb.events)
            out += [VocabEntry("types", t.id, t.name, events[t.id], None) for t in kb.event_types]
        else:
            raise ValueError(f"unknown vocabulary {vocabulary!r}")
    return out
