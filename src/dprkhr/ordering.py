"""Other orders for the lists of `actors`, `search` and `related` (`--sort`).

Each list comes from `dprkhr.query` in its natural order (best match first, most shared
events first); these functions reorder it, stable, with the record id as the last key so
that the same data always gives the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from dprkhr.names import normalize

if TYPE_CHECKING:
    from dprkhr.dates import PartialDate
    from dprkhr.query import Related, SearchHit


class EventsByActor(Protocol):
    """What `--sort events` counts: how many events each actor takes part in."""

    def event_counts(self) -> Mapping[str, int]: ...


ACTOR_ORDERS = ("match", "name", "id", "events")
"""`match`: as found (best match first with a query, else by name); `events`: most events
first."""
SEARCH_ORDERS = ("score", "date", "-date", "type")
RELATED_ORDERS = ("shared", "name", "latest")
"""`shared`: most shared events first; `latest`: the most recent shared event first."""


def sort_actors(kb: EventsByActor, actors: Sequence[Any], order: str) -> list[Any]:
    """Actors (records or the store's `ActorDetail` rows) in another order."""
    if order == "match":
        return list(actors)
    if order == "name":
        return sorted(actors, key=lambda a: (normalize(a.name), a.id))
    if order == "id":
        return sorted(actors, key=lambda a: a.id)
    if order == "events":
        counts = kb.event_counts()
        return sorted(actors, key=lambda a: (-counts.get(a.id, 0), normalize(a.name), a.id))
    raise ValueError(f"unknown order {order!r}")


def _record_day(record: object) -> dt.date | None:
    """The first day of a record's date (`published` for sources); None when undated."""
    when: PartialDate | None = getattr(record, "date", None) or getattr(record, "published", None)
    return when.start if when is not None else None


def sort_hits(hits: Sequence[SearchHit], order: str) -> list[SearchHit]:
    """Undated records (most actors) come last in either date order."""
    if order == "score":
        return list(hits)
    if order == "type":
        rank = {"actor": 0, "resolution": 1, "event": 2, "source": 3}
        return sorted(hits, key=lambda h: (rank.get(h.record_type, 9), -h.score, h.record.id))
    dated = [h for h in hits if _record_day(h.record) is not None]
    undated = [h for h in hits if _record_day(h.record) is None]
    dated.sort(key=lambda h: (_record_day(h.record), h.record.id), reverse=order == "-date")
    return dated + undated


def sort_related(found: Sequence[Related], order: str) -> list[Related]:
    if order == "shared":
        return list(found)
    if order == "name":
        return sorted(found, key=lambda r: (normalize(r.actor.name), r.actor.id))
    if order == "latest":
        # events are in date order: the last is the latest; ties by most shared, then name
        by_name = sorted(found, key=lambda r: (-r.count, normalize(r.actor.name), r.actor.id))
        return sorted(by_name, key=lambda r: r.events[-1].date.start, reverse=True)
    raise ValueError(f"unknown order {order!r}")
