"""The tabular view of the knowledge base, shared by the CSV and SQLite exports.

One table per record type and vocabulary, and one link table per list inside a record,
so that no cell ever holds a list. Every list item keeps its `position` (from 1) so the
order of the YAML file survives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dprkhr.export.output import stamp
from dprkhr.export.selection import Selection
from dprkhr.models import Event, Resolution

Value = str | int | None
Row = tuple[Value, ...]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "TEXT"
    """SQLite type: TEXT or INTEGER."""
    references: str | None = None
    """Table whose primary key this column points at."""
    not_null: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Selection], Iterator[Row]]
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, type_: str = "TEXT", ref: str | None = None, nn: bool = False) -> Column:
    return Column(name, type_, ref, nn)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# -- rows ------------------------------------------------------------------------------


def _meta(sel: Selection) -> Iterator[Row]:
    for key, value in stamp().items():
        yield (key, str(value))
    yield ("filters", json.dumps(sel.filter.describe(), sort_keys=True, ensure_ascii=False))


def _forums(sel: Selection) -> Iterator[Row]:
    for f in sel.forums:
        yield (
            f.code,
            f.name,
            f.parent,
            _text(f.established),
            _text(f.abolished),
            f.members,
            f.votes_to_adopt,
            f.succeeded_by,
            f.symbol_pattern,
            f.symbol_example,
            f.description,
        )


def _forum_aliases(sel: Selection) -> Iterator[Row]:
    for f in sel.forums:
        for i, alias in enumerate(f.aliases, 1):
            yield (f.code, i, alias)


def _tags(sel: Selection) -> Iterator[Row]:
    for t in sel.tags:
        yield (t.id, t.name, t.description)


def _event_types(sel: Selection) -> Iterator[Row]:
    for t in sel.event_types:
        yield (t.id, t.name, t.description)


def _actors(sel: Selection) -> Iterator[Row]:
    for a in sel.actors:
        yield (a.id, a.name, a.kind.value, a.native_name, a.country, a.summary)


def _actor_aliases(sel: Selection) -> Iterator[Row]:
    for a in sel.actors:
        for i, alias in enumerate(a.aliases, 1):
            yield (a.id, i, alias)


def _actor_identifiers(sel: Selection) -> Iterator[Row]:
    for a in sel.actors:
        for scheme in sorted(a.identifiers):
            yield (a.id, scheme, a.identifiers[scheme])


def _roles(sel: Selection) -> Iterator[Row]:
    for a in sel.actors:
        for i, r in enumerate(a.roles, 1):
            yield (a.id, i, r.title, r.organization, _text(r.start), _text(r.end), r.note)


def _sources(sel: Selection) -> Iterator[Row]:
    for s in sel.sources:
        yield (
            s.id,
            s.title,
            s.kind.value,
            s.publisher,
            s.author,
            _text(s.published),
            s.url,
            s.language,
            s.summary,
        )


def _resolutions(sel: Selection) -> Iterator[Row]:
    for r in sel.resolutions:
        adoption = r.adoption
        yield (
            r.id,
            r.symbol,
            r.forum,
            r.session,
            _text(r.date),
            r.date.start.isoformat() if r.date else None,
            r.date.end.isoformat() if r.date else None,
            r.title,
            adoption.method.value if adoption else None,
            adoption.yes if adoption else None,
            adoption.no if adoption else None,
            adoption.abstain if adoption else None,
            r.follows,
            r.summary,
            resolution_label(r),
        )


def resolution_label(r: Resolution) -> str:
    """How a link names a resolution: its symbol, else its title and date (many
    resolutions share the title "Situation of human rights in the DPRK")."""
    if r.symbol:
        return r.symbol
    return f"{r.title or r.id} ({r.date.text if r.date else 'undated'})"


def _sponsors(sel: Selection) -> Iterator[Row]:
    for r in sel.resolutions:
        for i, actor in enumerate(r.sponsors, 1):
            yield (r.id, i, actor)


def _sponsorships(sel: Selection) -> Iterator[Row]:
    seen: set[tuple[str, str]] = set()
    for r in sel.resolutions:
        for sponsor in r.sponsors:
            if (r.id, sponsor) in seen:
                continue
            seen.add((r.id, sponsor))
            yield (
                r.id,
                str(sponsor),
                getattr(sponsor, "role", None),
                getattr(sponsor, "source", None),
            )


def _votes(sel: Selection) -> Iterator[Row]:
    records: list[Resolution | Event] = [*sel.resolutions, *sel.events]
    for record in records:
        adoption = record.adoption
        if adoption is None:
            continue
        kind = record.record_type
        resolution_id = record.id if kind == "resolution" else None
        event_id = record.id if kind == "event" else None
        roll = adoption.roll.value if adoption.roll is not None else None
        groups = adoption.votes.groups() if adoption.votes is not None else []
        for vote, ids in [*groups, ("dissociated", list(adoption.dissociated))]:
            source = "; ".join(adoption.roll_sources()) if vote != "dissociated" else None
            for i, state in enumerate(ids, 1):
                yield (kind, record.id, resolution_id, event_id, vote, i, state, roll, source)


def _resolution_tags(sel: Selection) -> Iterator[Row]:
    for r in sel.resolutions:
        for i, tag in enumerate(r.tags, 1):
            yield (r.id, i, tag)


def _events(sel: Selection) -> Iterator[Row]:
    for e in sel.events:
        yield (
            e.id,
            e.date.text,
            _text(e.end_date),
            e.date.start.isoformat(),
            (e.end_date or e.date).end.isoformat(),
            e.type,
            e.forum,
            e.title,
            e.location,
            e.summary,
        )


def _participants(sel: Selection) -> Iterator[Row]:
    for e in sel.events:
        for i, p in enumerate(e.participants, 1):
            yield (e.id, i, p.actor, p.role)


def _event_resolutions(sel: Selection) -> Iterator[Row]:
    for e in sel.events:
        for i, resolution in enumerate(e.resolutions, 1):
            yield (e.id, i, resolution)


def _event_tags(sel: Selection) -> Iterator[Row]:
    for e in sel.events:
        for i, tag in enumerate(e.tags, 1):
            yield (e.id, i, tag)


def _event_documents(sel: Selection) -> Iterator[Row]:
    for e in sel.events:
        for i, symbol in enumerate(e.documents, 1):
            yield (e.id, i, symbol)


def _citations(sel: Selection) -> Iterator[Row]:
    for record in sel.records():
        for i, c in enumerate(record.citations(), 1):
            kind = record.record_type
            yield (
                kind,
                record.id,
                i,
                *(record.id if kind == cited else None for cited in _CITING),
                c.source,
                c.page,
                c.quote,
                c.note,
            )


_CITING = ("actor", "event", "resolution")
"""Record types that cite sources: each has its own key column in `citations`, so that a
record's page in datasette lists the citations pointing at it."""


# -- tables ----------------------------------------------------------------------------

_LINK = (_c("position", "INTEGER", nn=True),)

TABLES: tuple[Table, ...] = (
    Table(
        "meta",
        "The version stamp: dprkhr_version, format_version, and the filters used (JSON).",
        (_c("key", nn=True), _c("value")),
        ("key",),
        _meta,
    ),
    Table(
        "forums",
        "Forums from forums.yaml.",
        (
            _c("code", nn=True),
            _c("name", nn=True),
            _c("parent", ref="forums"),
            _c("established"),
            _c("abolished"),
            _c("members", "INTEGER"),
            _c("votes_to_adopt", "INTEGER"),
            _c("succeeded_by", ref="forums"),
            _c("symbol_pattern"),
            _c("symbol_example"),
            _c("description"),
        ),
        ("code",),
        _forums,
    ),
    Table(
        "forum_aliases",
        "Other names of a forum.",
        (_c("forum_code", ref="forums", nn=True), *_LINK, _c("alias", nn=True)),
        ("forum_code", "position"),
        _forum_aliases,
    ),
    Table(
        "tags",
        "Tags from tags.yaml.",
        (_c("id", nn=True), _c("name", nn=True), _c("description")),
        ("id",),
        _tags,
    ),
    Table(
        "event_types",
        "Event types from event-types.yaml.",
        (_c("id", nn=True), _c("name", nn=True), _c("description")),
        ("id",),
        _event_types,
    ),
    Table(
        "actors",
        "People, states, organisations and UN bodies.",
        (
            _c("id", nn=True),
            _c("name", nn=True),
            _c("kind", nn=True),
            _c("native_name"),
            _c("country"),
            _c("summary"),
        ),
        ("id",),
        _actors,
        indexes=(("kind",), ("country",)),
    ),
    Table(
        "actor_aliases",
        "Other spellings of an actor's name.",
        (_c("actor_id", ref="actors", nn=True), *_LINK, _c("alias", nn=True)),
        ("actor_id", "position"),
        _actor_aliases,
    ),
    Table(
        "actor_identifiers",
        "External identifiers of an actor (scheme: wikidata, ...).",
        (_c("actor_id", ref="actors", nn=True), _c("scheme", nn=True), _c("identifier")),
        ("actor_id", "scheme"),
        _actor_identifiers,
    ),
    Table(
        "roles",
        "Positions actors held, in the organisation `organization_id` (an actor).",
        (
            _c("actor_id", ref="actors", nn=True),
            *_LINK,
            _c("title", nn=True),
            _c("organization_id", ref="actors"),
            _c("start_date"),
            _c("end_date"),
            _c("note"),
        ),
        ("actor_id", "position"),
        _roles,
        indexes=(("organization_id",),),
    ),
    Table(
        "sources",
        "Source documents that records cite.",
        (
            _c("id", nn=True),
            _c("title", nn=True),
            _c("kind", nn=True),
            _c("publisher"),
            _c("author"),
            _c("published"),
            _c("url"),
            _c("language"),
            _c("summary"),
        ),
        ("id",),
        _sources,
    ),
    Table(
        "resolutions",
        "Resolutions; `first_day`/`last_day` span the (partial) adoption date; `session` is "
        "a number, or a special session such as S-28; `label` names the resolution in links: "
        "its symbol, else its title and date.",
        (
            _c("id", nn=True),
            _c("symbol"),
            _c("forum", ref="forums"),
            _c("session", "INTEGER"),
            _c("date"),
            _c("first_day"),
            _c("last_day"),
            _c("title"),
            _c("adoption_method"),
            _c("votes_yes", "INTEGER"),
            _c("votes_no", "INTEGER"),
            _c("votes_abstain", "INTEGER"),
            _c("follows", ref="resolutions"),
            _c("summary"),
            _c("label", nn=True),
        ),
        ("id",),
        _resolutions,
        indexes=(("forum",), ("first_day",), ("follows",)),
    ),
    Table(
        "sponsors",
        "Actors that sponsored or co-sponsored a resolution.",
        (
            _c("resolution_id", ref="resolutions", nn=True),
            *_LINK,
            _c("actor_id", ref="actors", nn=True),
        ),
        ("resolution_id", "position"),
        _sponsors,
        indexes=(("actor_id",),),
    ),
    Table(
        "sponsorships",
        "One row per sponsor of a resolution, with its `role` (lead or co-sponsor; empty "
        "when not recorded) and the `source_id` naming it, if recorded.",
        (
            _c("resolution_id", ref="resolutions", nn=True),
            _c("actor_id", ref="actors", nn=True),
            _c("role"),
            _c("source_id", ref="sources"),
        ),
        ("resolution_id", "actor_id"),
        _sponsorships,
        indexes=(("actor_id",), ("role",)),
    ),
    Table(
        "votes",
        "How states voted, as roll calls name them: one row per state named in a "
        "resolution's or a vote event's roll (`vote` yes, no, abstain or absent) or among "
        "those that dissociated themselves (`vote` dissociated). `record_type` and "
        "`record_id` name the record (also in `resolution_id` or `event_id`); `roll` is "
        "complete or partial (a partial roll names only some voters: a state missing from "
        "it is not recorded, not absent); `source_id` is the page naming the voters.",
        (
            _c("record_type", nn=True),
            _c("record_id", nn=True),
            _c("resolution_id", ref="resolutions"),
            _c("event_id", ref="events"),
            _c("vote", nn=True),
            *_LINK,
            _c("state_id", ref="actors", nn=True),
            _c("roll"),
            _c("source_id", ref="sources"),
        ),
        ("record_type", "record_id", "vote", "position"),
        _votes,
        indexes=(("state_id",), ("resolution_id",), ("event_id",), ("vote",)),
    ),
    Table(
        "resolution_tags",
        "Tags of a resolution.",
        (
            _c("resolution_id", ref="resolutions", nn=True),
            *_LINK,
            _c("tag_id", ref="tags", nn=True),
        ),
        ("resolution_id", "position"),
        _resolution_tags,
        indexes=(("tag_id",),),
    ),
    Table(
        "events",
        "Events; `first_day`/`last_day` span `date` to `end_date` at their precision.",
        (
            _c("id", nn=True),
            _c("date", nn=True),
            _c("end_date"),
            _c("first_day", nn=True),
            _c("last_day", nn=True),
            _c("type", ref="event_types", nn=True),
            _c("forum", ref="forums"),
            _c("title", nn=True),
            _c("location"),
            _c("summary"),
        ),
        ("id",),
        _events,
        indexes=(("first_day",), ("forum",), ("type",)),
    ),
    Table(
        "participants",
        "Actors taking part in an event, with their role.",
        (
            _c("event_id", ref="events", nn=True),
            *_LINK,
            _c("actor_id", ref="actors", nn=True),
            _c("role"),
        ),
        ("event_id", "position"),
        _participants,
        indexes=(("actor_id",),),
    ),
    Table(
        "event_resolutions",
        "Resolutions an event adopted or concerns.",
        (
            _c("event_id", ref="events", nn=True),
            *_LINK,
            _c("resolution_id", ref="resolutions", nn=True),
        ),
        ("event_id", "position"),
        _event_resolutions,
        indexes=(("resolution_id",),),
    ),
    Table(
        "event_tags",
        "Tags of an event.",
        (_c("event_id", ref="events", nn=True), *_LINK, _c("tag_id", ref="tags", nn=True)),
        ("event_id", "position"),
        _event_tags,
        indexes=(("tag_id",),),
    ),
    Table(
        "event_documents",
        "UN document symbols of an event.",
        (_c("event_id", ref="events", nn=True), *_LINK, _c("symbol", nn=True)),
        ("event_id", "position"),
        _event_documents,
    ),
    Table(
        "citations",
        "Citations of every record: `record_type` (actor, event, resolution) and "
        "`record_id` name the citing record, which is also in `actor_id`, `event_id` or "
        "`resolution_id` (the others empty); `page` is a number, or a range such as 21-22.",
        (
            _c("record_type", nn=True),
            _c("record_id", nn=True),
            *_LINK,
            _c("actor_id", ref="actors"),
            _c("event_id", ref="events"),
            _c("resolution_id", ref="resolutions"),
            _c("source_id", ref="sources", nn=True),
            _c("page", "INTEGER"),
            _c("quote"),
            _c("note"),
        ),
        ("record_type", "record_id", "position"),
        _citations,
        indexes=(("source_id",), ("record_id",), ("actor_id",), ("event_id",), ("resolution_id",)),
    ),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
