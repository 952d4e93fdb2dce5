"""The knowledge base: records in memory, indexed, with references resolved both ways."""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from dprkhr.dataset import Dataset, no_gc
from dprkhr.models import Actor, Event, EventType, Forum, Record, Resolution, Source, Tag
from dprkhr.storequery import preferred_file
from dprkhr.yamlio import Path_

if TYPE_CHECKING:
    from dprkhr.query import Facts
    from dprkhr.textmatch import SearchResult, TextQuery

T = TypeVar("T")


@dataclass(frozen=True)
class Reference:
    """A pointer from one record to something else, with where it sits in the record."""

    target_kind: str
    """`actor`, `resolution`, `source`, `forum`, `tag` or `event-type`."""
    target: str
    loc: Path_


@dataclass(frozen=True)
class Backlink:
    """`source_id` points at a record through `field` (e.g. `participants`, `sponsors`)."""

    source_id: str
    source_type: str
    field: str


ROLL_FIELDS: tuple[str, ...] = (
    "adoption.votes.yes",
    "adoption.votes.no",
    "adoption.votes.abstain",
    "adoption.votes.absent",
    "adoption.dissociated",
)
"""The fields whose ids must be states: a roll call's groups and `dissociated`."""

ADOPTION_FIELDS: tuple[tuple[str, str | None, str], ...] = (
    ("adoption.roll_source", None, "source"),
    *((name, None, "actor") for name in ROLL_FIELDS),
)

REFERENCE_FIELDS: dict[str, tuple[tuple[str, str | None, str], ...]] = {
    "actor": (("roles", "organization", "actor"),),
    "event": (
        ("type", None, "event-type"),
        ("forum", None, "forum"),
        ("participants", "actor", "actor"),
        ("resolutions", None, "resolution"),
        *ADOPTION_FIELDS,
        ("tags", None, "tag"),
    ),
    "resolution": (
        ("forum", None, "forum"),
        ("sponsors", "actor", "actor"),
        ("sponsors", "source", "source"),
        *ADOPTION_FIELDS,
        ("follows", None, "resolution"),
        ("tags", None, "tag"),
    ),
    "source": (),
}
"""Per record type: (field, key inside each list item or None, kind of target). A field
inside a nested object is a dotted path (`adoption.dissociated`).
Every type also cites sources through `sources[].source`. A sponsor is a bare id (the
actor itself) or a mapping with `actor` and `source`."""


def field_value(obj: Any, name: str) -> Any:
    """A field of a record, or the same key of the raw data of a record that failed
    validation."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def field_path_value(obj: Any, path: str) -> Any:
    """`field_value` along a dotted path (`adoption.dissociated`); None where a step is
    missing."""
    for name in path.split("."):
        if obj is None:
            return None
        obj = field_value(obj, name)
    return obj


def field_label(loc: Path_) -> str:
    """The field a reference sits in, from its location: the names before the first list
    index (`participants`, `adoption.dissociated`)."""
    names: list[str] = []
    for step in loc:
        if not isinstance(step, str):
            break
        names.append(step)
    return ".".join(names)


def iter_references(
    record: Record | dict[str, Any], record_type: str | None = None
) -> Iterator[Reference]:
    """Every reference a record makes, in field order.

    Works on a validated record or on the raw data of a file that failed validation
    (pass `record_type` then), so that lint can report dangling references even in a
    record with schema errors. Values of the wrong shape are skipped.
    """
    kind = str(record_type or getattr(record, "record_type", ""))
    fields = (*REFERENCE_FIELDS.get(kind, ()), ("sources", "source", "source"))
    for name, key, target_kind in fields:
        value = field_path_value(record, name)
        if value is None:
            continue
        path = tuple(name.split("."))
        if isinstance(value, str) and key is None:
            yield Reference(target_kind, value, path)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                bare = key == "actor" and isinstance(item, str)  # `sponsors: [japan]`
                target = item if key is None or bare else field_value(item, key)
                if isinstance(target, str):
                    loc: Path_ = (*path, i) if key is None or bare else (*path, i, key)
                    yield Reference(target_kind, target, loc)


def _date_key(record: Record) -> tuple[Any, ...]:
    date = getattr(record, "date", None)
    if date is None:
        return (1, None, None, record.id)
    return (0, date.start, date.end, record.id)


def unreadable_folders(dataset: Dataset) -> list[str]:
    """A warning for each record folder that could not be listed."""
    from dprkhr.layout import UNREADABLE_FOLDER

    return [
        f"the folder {f.display} cannot be read: the records in it are left out; run `dprkhr lint`"
        for f in dataset.files
        if f.kind == UNREADABLE_FOLDER
    ]


def record_label(record: Record) -> str:
    """What completion shows beside a record's id: an actor's name, an event's title, a
    resolution's symbol and title; nothing for a source."""
    if record.record_type == "source":
        return ""
    parts = (getattr(record, "symbol", None), getattr(record, "title", None))
    return getattr(record, "name", None) or " ".join(x for x in parts if x)


def served_duplicates(dataset: Dataset) -> tuple[dict[str, Record], list[str]]:
    """For ids that several files define, the record served (the one in the file named
    after the id, `<id>.yaml`, else the first in path order) and a warning naming the file
    served and the files ignored."""
    by_id: defaultdict[str, list[Any]] = defaultdict(list)
    for loaded in dataset.files:
        if loaded.record is not None and not loaded.failed:
            by_id[loaded.record.id].append(loaded)
    preferred: dict[str, Record] = {}
    warnings: list[str] = []
    for record_id, files in by_id.items():
        if len(files) < 2:
            continue
        chosen = preferred_file(record_id, [f.location for f in files])
        served = next(f for f in files if f.location == chosen)
        assert served.record is not None
        preferred[record_id] = served.record
        ignored = ", ".join(f.display for f in files if f is not served)
        warnings.append(
            f"id `{record_id}` is defined by more than one file: serving {served.display}, "
            f"ignoring {ignored}; run `dprkhr lint`"
        )
    return preferred, warnings


@dataclass
class KnowledgeBase:
    """All valid records with indexes. Build it with `KnowledgeBase.build`."""

    records: list[Record] = field(default_factory=list)
    forums: list[Forum] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    failed_files: int = 0
    """How many files could not be loaded (queries answer from the rest)."""
    duplicates: list[str] = field(default_factory=list)
    """What queries warn about which files answer: each folder that could not be read,
    and for each id that more than one file defines, which file is served and which are
    ignored (lint reports both)."""
    preferred: dict[str, Record] = field(default_factory=dict, repr=False)

    by_id: dict[str, Record] = field(default_factory=dict)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    """Events sorted by date."""
    resolutions: list[Resolution] = field(default_factory=list)
    """Resolutions sorted by date (undated last)."""
    sources: list[Source] = field(default_factory=list)
    forum_by_code: dict[str, Forum] = field(default_factory=dict)
    tag_by_id: dict[str, Tag] = field(default_factory=dict)
    event_type_by_id: dict[str, EventType] = field(default_factory=dict)
    events_by_actor: dict[str, list[Event]] = field(default_factory=dict)
    events_by_forum: dict[str, list[Event]] = field(default_factory=dict)
    resolutions_by_forum: dict[str, list[Resolution]] = field(default_factory=dict)
    resolutions_by_sponsor: dict[str, list[Resolution]] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Indexes other modules build on first use (name indexes, search text): see `memo`."""

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> KnowledgeBase:
        preferred, duplicates = served_duplicates(dataset)
        duplicates = [*unreadable_folders(dataset), *duplicates]
        return cls.build(
            dataset.records,
            forums=dataset.forums,
            tags=dataset.tags,
            event_types=dataset.event_types,
            failed_files=len(dataset.failed_files),
            preferred=preferred,
            duplicates=duplicates,
        )

    @classmethod
    def build(
        cls,
        records: Iterable[Record],
        forums: Iterable[Forum] = (),
        tags: Iterable[Tag] = (),
        event_types: Iterable[EventType] = (),
        failed_files: int = 0,
        preferred: dict[str, Record] | None = None,
        duplicates: list[str] | None = None,
    ) -> KnowledgeBase:
        kb = cls(
            records=list(records),
            forums=list(forums),
            tags=list(tags),
            event_types=list(event_types),
            failed_files=failed_files,
            duplicates=list(duplicates or ()),
            preferred=dict(preferred or {}),
        )
        with no_gc():
            kb._index()
        return kb

    def _index(self) -> None:
        for record in self.records:
            # the first record with an id wins, unless another file is the id's own
            # (see `served_duplicates`); lint reports the duplicate
            self.by_id.setdefault(record.id, record)
        self.by_id.update(self.preferred)
        unique = [r for r in self.records if self.by_id[r.id] is r]
        self.actors = sorted((r for r in unique if isinstance(r, Actor)), key=lambda a: a.id)
        self.events = sorted((r for r in unique if isinstance(r, Event)), key=_date_key)
        self.resolutions = sorted((r for r in unique if isinstance(r, Resolution)), key=_date_key)
        self.sources = sorted((r for r in unique if isinstance(r, Source)), key=lambda s: s.id)
        self.forum_by_code = {f.code: f for f in self.forums}
        self.tag_by_id = {t.id: t for t in self.tags}
        self.event_type_by_id = {t.id: t for t in self.event_types}

        events_by_actor: defaultdict[str, list[Event]] = defaultdict(list)
        events_by_forum: defaultdict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            for actor in dict.fromkeys(p.actor for p in event.participants):
                events_by_actor[actor].append(event)
            if event.forum:
                events_by_forum[event.forum].append(event)
        by_forum: defaultdict[str, list[Resolution]] = defaultdict(list)
        by_sponsor: defaultdict[str, list[Resolution]] = defaultdict(list)
        for resolution in self.resolutions:
            if resolution.forum:
                by_forum[resolution.forum].append(resolution)
            for sponsor in dict.fromkeys(resolution.sponsors):
                by_sponsor[sponsor].append(resolution)
        self.events_by_actor = dict(events_by_actor)
        self.events_by_forum = dict(events_by_forum)
        self.resolutions_by_forum = dict(by_forum)
        self.resolutions_by_sponsor = dict(by_sponsor)

    @property
    def participant_roles(self) -> list[str]:
        """Every role a participant has in an event, folded (`voted against`), sorted."""
        from dprkhr.names import normalize

        return self.memo(
            "participant-roles",
            lambda: sorted(
                {normalize(p.role) for e in self.events for p in e.participants if p.role}
            ),
        )

    @property
    def backlinks(self) -> dict[str, list[Backlink]]:
        """Target id -> the records that point at it, and through which field. Built on
        first use: most commands never need it."""
        return self.memo("backlinks", self._build_backlinks)

    def _build_backlinks(self) -> dict[str, list[Backlink]]:
        backlinks: defaultdict[str, list[Backlink]] = defaultdict(list)
        for record in self.by_id.values():
            seen: set[tuple[str, str]] = set()
            for ref in iter_references(record):
                if ref.target_kind in ("forum", "tag", "event-type"):
                    continue
                key = (ref.target, field_label(ref.loc))
                if key in seen:
                    continue
                seen.add(key)
                backlinks[ref.target].append(Backlink(record.id, record.record_type, key[1]))
        return dict(backlinks)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """`build()` once per knowledge base, kept under `key`."""
        if key not in self.derived:
            # derived indexes are many small objects and no cycles: keep the cyclic
            # collector out of the way while they are built
            enabled = gc.isenabled()
            gc.disable()
            try:
                self.derived[key] = build()
            finally:
                if enabled:
                    gc.enable()
        found: T = self.derived[key]
        return found

    def get(self, record_id: str) -> Record | None:
        return self.by_id.get(record_id)

    def whole(self, rows: Sequence[T]) -> list[T]:
        """The records of rows, to print them whole: here the rows are the records."""
        return list(rows)

    def prefetch_actors(self, rows: Iterable[Any]) -> None:
        """Nothing to do: every actor is in memory (the store looks them up at once)."""

    def forum_events(self, code: str) -> list[Event]:
        """The events of a forum, by date (whole records)."""
        return list(self.events_by_forum.get(code, []))

    def forum_resolutions(self, code: str) -> list[Resolution]:
        """The resolutions of a forum, by date (whole records)."""
        return list(self.resolutions_by_forum.get(code, []))

    def name_records(self, kind: str) -> Iterable[tuple[str, str, Iterable[str]]]:
        """(id, label, other names) of the actors, forums or resolutions, as the name
        indexes take them (`dprkhr.names`)."""
        from dprkhr.names import NAME_SETS

        return NAME_SETS[kind](self)

    def completion_entries(self, kind: str) -> Iterator[tuple[str, str, list[str]]]:
        """(value, description, other names) of what shell completion offers for a kind
        (see `dprkhr.completion`)."""
        if kind in ("actor", "forum", "resolution"):
            for record_id, label, names in self.name_records(kind):
                yield record_id, label, list(names)
        elif kind == "tag":
            yield from ((t.id, t.name, [t.name]) for t in self.tags)
        elif kind == "event-type":
            yield from ((t.id, t.name, [t.name]) for t in self.event_types)
        elif kind in ("role", "participant-role"):
            yield from ((value, "", []) for value in self.labels(kind))
        elif kind == "source":
            yield from ((record.id, "", []) for record in self.sources)
        elif kind == "record":
            for record in self.by_id.values():
                label = record_label(record)
                kind_name = record.record_type
                yield record.id, f"{kind_name}: {label}" if label else kind_name, []

    def search(self, text: str, types: Sequence[str] = ()) -> SearchResult:
        """Records holding every word of `text`, best first (`dprkhr.textmatch.search`)."""
        from dprkhr.textmatch import search

        return search(self, text, types)

    def labels(self, kind: str) -> list[str]:
        """Role titles (`role`) or participant roles (`participant-role`), most used first."""
        from collections import Counter

        if kind == "role":
            counts = Counter(r.title for a in self.actors for r in a.roles if r.title)
        else:
            counts = Counter(p.role for e in self.events for p in e.participants if p.role)
        return [value for value, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def facts(self, kind: str, rows: Sequence[Any] | None = None) -> Counter[Facts]:
        """What `stats` counts of every record of a kind, or of `rows` (records): how
        many records have each `Facts`."""
        from dprkhr.query import facts_of

        if rows is None:
            rows = self.stream(kind)
        return Counter(facts_of(record) for record in rows)

    def actor_records(self, ids: Sequence[str] | None = None) -> list[Actor]:
        """The actors with these ids (those there are, in that order), or every actor."""
        if ids is None:
            return list(self.actors)
        return [a for a in (self.actor(i) for i in ids) if a is not None]

    def ballot_data(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """`dprkhr.votes.ballot_data` of every resolution and vote event (or of those with
        these ids)."""
        from dprkhr.votes import ballot_data

        if ids is None:
            records: list[Event | Resolution] = [*self.resolutions, *self.events]
        else:
            found = (self.get(i) for i in ids)
            records = [r for r in found if isinstance(r, (Event, Resolution))]
        return [data for data in map(ballot_data, records) if data is not None]

    def statement_events(self, actor_id: str | None = None) -> list[Event]:
        """The `statement` events (of an actor), by date."""
        pool = self.events if actor_id is None else self.events_by_actor.get(actor_id, [])
        return [e for e in pool if e.type == "statement"]

    def text_holds(self, record: Record, query: TextQuery) -> bool:
        """Whether a record holds the words of `--text` (`textmatch.record_holds`)."""
        from dprkhr.textmatch import record_holds

        return record_holds(self, record, query)

    def missing_words(self, record_type: str, query: TextQuery) -> list[str]:
        """The words of the query that no record of the type holds, in any form."""
        from dprkhr.textmatch import missing_words

        return missing_words(self, record_type, query)

    def stream(self, kind: str, ids: Collection[str] | None = None) -> Sequence[Record]:
        """Every record of a kind (with one of these ids), in order (`StoreSource.stream`
        reads them part by part)."""
        groups: dict[str, Sequence[Record]] = {
            "actor": self.actors,
            "event": self.events,
            "resolution": self.resolutions,
            "source": self.sources,
        }
        if ids is not None:
            return [r for r in groups[kind] if r.id in ids]
        return groups[kind]

    def event_counts(self) -> dict[str, int]:
        """How many events each actor takes part in, by actor id."""
        return {actor: len(events) for actor, events in self.events_by_actor.items()}

    def actor(self, actor_id: str) -> Actor | None:
        record = self.by_id.get(actor_id)
        return record if isinstance(record, Actor) else None

    def exists(self, kind: str, target: str) -> bool:
        """Whether a reference of `kind` to `target` resolves."""
        if kind == "forum":
            return target in self.forum_by_code
        if kind == "tag":
            return target in self.tag_by_id
        if kind == "event-type":
            return target in self.event_type_by_id
        record = self.by_id.get(target)
        return record is not None and record.record_type == kind

    def candidates(self, kind: str) -> list[str]:
        """Every id or code a reference of `kind` could point at."""
        if kind == "forum":
            return list(self.forum_by_code)
        if kind == "tag":
            return list(self.tag_by_id)
        if kind == "event-type":
            return list(self.event_type_by_id)
        return [r.id for r in self.by_id.values() if r.record_type == kind]

    def pointing_at(self, record_id: str) -> list[Backlink]:
        return self.backlinks.get(record_id, [])

    def resolution_by_symbol(self, folded: str) -> Resolution | None:
        """The first resolution (by date) whose folded symbol is `folded`."""

        def build() -> dict[str, Resolution]:
            from dprkhr.names import normalize

            found: dict[str, Resolution] = {}
            for resolution in self.resolutions:
                if resolution.symbol:
                    found.setdefault(normalize(resolution.symbol), resolution)
            return found

        return self.memo("symbols", build).get(folded)

    def position(self, record: Record) -> int:
        """Where a record sits in the sorted list of its type (events and resolutions by
        date, actors and sources by id)."""

        def build() -> dict[str, int]:
            out: dict[str, int] = {}
            for group in (self.actors, self.events, self.resolutions, self.sources):
                out.update((r.id, i) for i, r in enumerate(group))
            return out

        return self.memo("positions", build).get(record.id, 0)
