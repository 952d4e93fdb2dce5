"""`--format csv` of `events`, `resolutions` and `actors`: one row a record, each column
readable on its own.

A list goes into one cell, its items joined by `; `, only when each item stands whole
there: ids, tags, document symbols, aliases, and actors as `Name [id]` (with `: role` for
an event's participants), so that no two columns have to be read side by side. What does
not fit in a cell without loss (the pages, quotes and notes of citations, the notes of
roles) is left out: `dprkhr export csv` writes every list as its own table
(`participants.csv`, `citations.csv`, `roles.csv`...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dprkhr.models import Actor, Event, Resolution, Role


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class ActorLookup(Protocol):
    """Where actors are looked up by id (the knowledge base)."""

    def actor(self, actor_id: str, /) -> _Named | None: ...


SEPARATOR = "; "

EVENT_COLUMNS = [
    "id",
    "date",
    "end_date",
    "type",
    "forum",
    "title",
    "location",
    "participants",
    "resolutions",
    "tags",
    "documents",
    "summary",
    "sources",
]
RESOLUTION_COLUMNS = [
    "id",
    "symbol",
    "forum",
    "session",
    "date",
    "title",
    "adoption",
    "yes",
    "no",
    "abstain",
    "sponsors",
    "follows",
    "tags",
    "summary",
    "sources",
]
ACTOR_COLUMNS = [
    "id",
    "name",
    "kind",
    "country",
    "native_name",
    "aliases",
    "roles",
    "identifiers",
    "summary",
    "sources",
]


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _join(values: Iterable[object]) -> str:
    return SEPARATOR.join(_text(v) for v in values)


def actor_label(kb: ActorLookup, actor_id: str) -> str:
    """`Elizabeth Salmón [elizabeth-salmon]`; `[id]` alone when no actor has that id."""
    actor = kb.actor(actor_id)
    return f"{actor.name} [{actor_id}]" if actor is not None else f"[{actor_id}]"


def _cited(record: Event | Resolution | Actor) -> str:
    return _join(dict.fromkeys(c.source for c in record.sources))


def event_row(kb: ActorLookup, event: Event) -> list[str]:
    participants = [
        actor_label(kb, p.actor) + (f": {p.role}" if p.role else "") for p in event.participants
    ]
    return [
        event.id,
        _text(event.date),
        _text(event.end_date),
        event.type,
        _text(event.forum),
        event.title,
        _text(event.location),
        _join(participants),
        _join(event.resolutions),
        _join(event.tags),
        _join(event.documents),
        _text(event.summary),
        _cited(event),
    ]


def resolution_row(kb: ActorLookup, resolution: Resolution) -> list[str]:
    from dprkhr.query import vote_counts

    adoption = resolution.adoption
    counts = vote_counts(resolution) or (None, None, None)
    return [
        resolution.id,
        _text(resolution.symbol),
        _text(resolution.forum),
        _text(resolution.session),
        _text(resolution.date),
        _text(resolution.title),
        _text(adoption.method if adoption else None),
        *(_text(c) for c in counts),
        _join(actor_label(kb, s) for s in resolution.sponsors),
        _text(resolution.follows),
        _join(resolution.tags),
        _text(resolution.summary),
        _cited(resolution),
    ]


def _role(kb: ActorLookup, role: Role) -> str:
    text = role.title
    if role.organization:
        text += f" at {actor_label(kb, role.organization)}"
    if role.start and role.end:
        text += f" ({role.start} to {role.end})"
    elif role.start:
        text += f" (from {role.start})"
    elif role.end:
        text += f" (until {role.end})"
    return text


def actor_row(kb: ActorLookup, actor: Actor) -> list[str]:
    return [
        actor.id,
        actor.name,
        _text(actor.kind),
        _text(actor.country),
        _text(actor.native_name),
        _join(actor.aliases),
        _join(_role(kb, r) for r in actor.roles),
        _join(f"{scheme}:{value}" for scheme, value in actor.identifiers.items()),
        _text(actor.summary),
        _cited(actor),
    ]


# a row maker takes the model of its record type (the table says which)
Rows = tuple[list[str], Callable[[ActorLookup, Any], list[str]]]

BY_RECORD_TYPE: dict[str, Rows] = {
    "event": (EVENT_COLUMNS, event_row),
    "resolution": (RESOLUTION_COLUMNS, resolution_row),
    "actor": (ACTOR_COLUMNS, actor_row),
}


def rows(
    kb: ActorLookup, record_type: str, records: Sequence[Any]
) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a list of records of one type."""
    header, make = BY_RECORD_TYPE[record_type]
    return header, [make(kb, record) for record in records]
