"""Which records an export holds: filters over events and resolutions, closed under references."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dprkhr.dates import DateError, PartialDate, parse_date
from dprkhr.errors import UsageError
from dprkhr.kb import KnowledgeBase, iter_references
from dprkhr.models import Actor, Event, EventType, Forum, Record, Resolution, Source, Tag


@dataclass(frozen=True)
class ExportFilter:
    """Filters by id, code and date. Empty means everything.

    Values within one filter are alternatives (`forums={"HRC", "UNSC"}`); different filters
    must all hold. `types` applies to events only, so with `types` set resolutions come in
    only when a selected event points at them. `actors` holds actor ids (the CLI resolves
    names to ids before it builds the filter): an event matches when one of them takes
    part, a resolution when one of them sponsors it.
    """

    since: PartialDate | None = None
    until: PartialDate | None = None
    forums: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(
            self.since or self.until or self.forums or self.types or self.tags or self.actors
        )

    def matches_event(self, event: Event) -> bool:
        span_end = event.end_date or event.date
        if self.since is not None and span_end.end < self.since.start:
            return False
        if self.until is not None and event.date.start > self.until.end:
            return False
        if self.forums and event.forum not in self.forums:
            return False
        if self.types and event.type not in self.types:
            return False
        if self.tags and self.tags.isdisjoint(event.tags):
            return False
        return not (self.actors and self.actors.isdisjoint(p.actor for p in event.participants))

    def matches_resolution(self, resolution: Resolution) -> bool:
        if self.types:
            return False
        dated = self.since is not None or self.until is not None
        if dated and (
            resolution.date is None or not resolution.date.overlaps(self.since, self.until)
        ):
            return False
        if self.forums and resolution.forum not in self.forums:
            return False
        if self.tags and self.tags.isdisjoint(resolution.tags):
            return False
        return not (self.actors and self.actors.isdisjoint(resolution.sponsors))

    def describe(self) -> dict[str, Any]:
        """The filters as plain data, for the export's version stamp (sorted, stable)."""
        out: dict[str, Any] = {}
        if self.since is not None:
            out["since"] = self.since.text
        if self.until is not None:
            out["until"] = self.until.text
        for name in ("forums", "types", "tags", "actors"):
            values = getattr(self, name)
            if values:
                out[name] = sorted(values)
        return out


def build_filter(
    kb: KnowledgeBase,
    since: str | None = None,
    until: str | None = None,
    forums: Iterable[str] = (),
    types: Iterable[str] = (),
    tags: Iterable[str] = (),
    actor_ids: Iterable[str] = (),
) -> ExportFilter:
    """Check filter values against the knowledge base and build the filter.

    Raises `UsageError` naming the bad value and the closest known one.
    """
    from dprkhr.suggest import did_you_mean

    def date(option: str, text: str | None) -> PartialDate | None:
        if text is None:
            return None
        try:
            return parse_date(text)
        except DateError as exc:
            raise UsageError(f"{option} {text}: {exc}") from None

    start, end = date("--since", since), date("--until", until)
    if start is not None and end is not None and end.end < start.start:
        raise UsageError(f"--until {end} is before --since {start}")

    def known(option: str, values: Iterable[str], choices: list[str], fold: bool) -> frozenset:
        out = set()
        by_key = {c.casefold() if fold else c: c for c in choices}
        for value in values:
            found = by_key.get(value.casefold() if fold else value)
            if found is None:
                hint = did_you_mean(value, choices)
                listing = ", ".join(sorted(choices)) or "none"
                raise UsageError(
                    f"{option} {value}: unknown; " + (hint if hint else f"known values: {listing}")
                )
            out.add(found)
        return frozenset(out)

    actors = frozenset(actor_ids)
    for actor_id in actors:
        if kb.actor(actor_id) is None:
            raise UsageError(f"no actor with id `{actor_id}`")
    return ExportFilter(
        since=start,
        until=end,
        forums=known("--forum", forums, list(kb.forum_by_code), fold=True),
        types=known("--type", types, list(kb.event_type_by_id), fold=False),
        tags=known("--tag", tags, list(kb.tag_by_id), fold=False),
        actors=actors,
    )


@dataclass
class Selection:
    """The records to export, each list in the knowledge base's stable order."""

    kb: KnowledgeBase
    filter: ExportFilter
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

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


def select(kb: KnowledgeBase, flt: ExportFilter | None = None) -> Selection:
    """Apply a filter, then add every record the selection points at (actors, resolutions,
    sources, and what those point at in turn), so that an export stands on its own.

    Without an active filter every record is selected.
    """
    flt = flt or ExportFilter()
    if not flt.active:
        return Selection(
            kb, flt, list(kb.actors), list(kb.events), list(kb.resolutions), list(kb.sources)
        )
    chosen: set[str] = set()
    queue: list[Record] = [e for e in kb.events if flt.matches_event(e)]
    queue += [r for r in kb.resolutions if flt.matches_resolution(r)]
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
    return Selection(
        kb,
        flt,
        actors=[a for a in kb.actors if a.id in chosen],
        events=[e for e in kb.events if e.id in chosen],
        resolutions=[r for r in kb.resolutions if r.id in chosen],
        sources=[s for s in kb.sources if s.id in chosen],
    )
