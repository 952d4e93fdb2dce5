"""Which records an export holds: filters over events and resolutions, closed under references."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from dprkhr.errors import UsageError
from dprkhr.filters import EventFilter, event_filter
from dprkhr.kb import KnowledgeBase, iter_references
from dprkhr.models import Actor, Event, EventType, Forum, Record, Resolution, Source, Tag

if TYPE_CHECKING:
    from dprkhr.query import QuerySource

ExportFilter = EventFilter
"""An export is filtered by the filters of `events` (`dprkhr.filters`): the same meanings
and the same name resolution. Filters select events and resolutions; the export then adds
what they point at (`select`)."""


def build_filter(
    kb: KnowledgeBase,
    since: str | None = None,
    until: str | None = None,
    forums: Iterable[str] = (),
    types: Iterable[str] = (),
    tags: Iterable[str] = (),
    actor_ids: Iterable[str] = (),
) -> EventFilter:
    """The filter from values as the command line takes them (actors by id: names are
    resolved by `dprkhr.filters.event_filter`, which the command line calls).

    Raises `UsageError` naming the bad value and the closest known one.
    """
    actors = list(dict.fromkeys(actor_ids))
    for actor_id in actors:
        if kb.actor(actor_id) is None:
            raise UsageError(f"no actor with id `{actor_id}`")
    criteria = event_filter(
        kb,
        since=since,
        until=until,
        forums=list(forums),
        types=list(types),
        tags=list(tags),
    ).criteria
    criteria.actors = actors
    return criteria


@dataclass
class Selection:
    """The records to export, each list in the knowledge base's stable order: lists, or
    for a whole export from the store, records read part by part as they are iterated
    (`StoreSource.stream`: what is exported in one pass, json and jsonl, never holds
    every record at once)."""

    kb: KnowledgeBase | QuerySource
    filter: EventFilter
    actors: Sequence[Actor] = field(default_factory=list)
    events: Sequence[Event] = field(default_factory=list)
    resolutions: Sequence[Resolution] = field(default_factory=list)
    sources: Sequence[Source] = field(default_factory=list)

    @property
    def forums(self) -> list[Forum]:
        return sorted(self.kb.forums, key=lambda f: f.code)

    @property
    def tags(self) -> list[Tag]:
        return sorted(self.kb.tags, key=lambda t: t.id)

    @property
    def event_types(self) -> list[EventType]:
        return sorted(self.kb.event_types, key=lambda t: t.id)

    def records(self) -> Iterable[Record]:
        """Every selected record: actors, events, resolutions, sources."""
        yield from self.actors
        yield from self.events
        yield from self.resolutions
        yield from self.sources

    def counts(self) -> dict[str, int]:
        return {
            "actors": len(self.actors),
            "events": len(self.events),
            "resolutions": len(self.resolutions),
            "sources": len(self.sources),
        }


def select(kb: KnowledgeBase | QuerySource, flt: EventFilter | None = None) -> Selection:
    """Apply a filter, then add every record the selection points at (actors, resolutions,
    sources, and what those point at in turn), so that an export stands on its own.

    Without an active filter every record is selected.
    """
    flt = flt or EventFilter()
    if not flt.active:
        return _selection(kb, flt)
    chosen: set[str] = set()
    from dprkhr.query import select as matching

    events, resolutions = matching(kb, flt)
    queue: list[Record] = [*kb.whole(events), *kb.whole(resolutions)]
    while queue:
        record = queue.pop()
        if record.id in chosen:
            continue
        chosen.add(record.id)
        for ref in iter_references(record):
            if ref.target_kind in ("actor", "resolution", "source") and ref.target not in chosen:
                target = kb.get(ref.target)
                if target is not None and target.record_type == ref.target_kind:
                    queue.append(target)
    return _selection(kb, flt, chosen)


def _selection(
    kb: KnowledgeBase | QuerySource, flt: EventFilter, ids: set[str] | None = None
) -> Selection:
    """Every record (with these ids), each type in its order."""
    return Selection(
        kb,
        flt,
        cast("Sequence[Actor]", kb.stream("actor", ids)),
        cast("Sequence[Event]", kb.stream("event", ids)),
        cast("Sequence[Resolution]", kb.stream("resolution", ids)),
        cast("Sequence[Source]", kb.stream("source", ids)),
    )
