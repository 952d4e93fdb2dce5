"""Popolo JSON (popoloproject.com): persons, organizations, memberships, events, motions
and vote events, with the specification's own field names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any, cast

from dprkhr.dates import PartialDate
from dprkhr.export.jsonfmt import dumps
from dprkhr.export.output import stamp
from dprkhr.export.selection import Selection
from dprkhr.models import Actor, ActorKind, Citation, Forum, Resolution

FORUM_PREFIX = "forum:"
"""Forums become organizations too; their ids get this prefix (record ids never hold `:`)."""


def forum_actors(sel: Selection) -> dict[str, Actor]:
    """Forum code -> the actor that is the same body: a UN body or organisation with the
    forum's exact name (`hrc`, "Human Rights Council", for the forum HRC). Such a forum is
    one organization in the export, under the actor's id, not two."""
    by_name: dict[str, Actor] = {}
    for actor in cast("Sequence[Actor]", sel.kb.stream("actor")):
        if actor.kind in (ActorKind.un_body, ActorKind.organization):
            by_name.setdefault(actor.name.casefold(), actor)
    return {
        forum.code: by_name[forum.name.casefold()]
        for forum in sel.kb.forums
        if forum.name.casefold() in by_name
    }


def forum_org_ids(sel: Selection) -> dict[str, str]:
    """Forum code -> its organization id: its actor's id, else `forum:CODE`."""
    same = forum_actors(sel)
    return {
        f.code: same[f.code].id if f.code in same else FORUM_PREFIX + f.code for f in sel.kb.forums
    }


def _org_id(ids: dict[str, str], code: str | None) -> str | None:
    return None if code is None else ids.get(code, FORUM_PREFIX + code)


def date_time(date: PartialDate | None) -> str | None:
    """A Popolo date-time (motion `date`, vote event `start_date`) for a date known to the
    day: the start of that day, `2014-03-28T00:00:00Z` (the hour is not recorded). A date
    known only to the month or year has no date-time; `date_as_recorded` keeps it."""
    if date is None or date.precision != "day":
        return None
    return f"{date.text}T00:00:00Z"


def _compact(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: Popolo properties are optional, and absent beats null."""
    return {k: v for k, v in obj.items() if v not in (None, [], {})}


def _links(sel: Selection, citations: Iterable[Citation]) -> list[dict[str, str]]:
    """Popolo `sources`: links (url, note) to the cited sources that have a URL."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for c in citations:
        source = sel.kb.get(c.source)
        url = getattr(source, "url", None)
        if url and url not in seen:
            seen.add(url)
            out.append({"url": url, "note": getattr(source, "title", None) or c.source})
    return out


def _names(actor: Actor) -> list[dict[str, str]]:
    names = [{"name": alias} for alias in actor.aliases]
    if actor.native_name:
        names.append({"name": actor.native_name, "note": "native name"})
    return names


def _identifiers(actor: Actor) -> list[dict[str, str]]:
    ids = [{"scheme": "dprkhr", "identifier": actor.id}]
    ids += [{"scheme": k, "identifier": actor.identifiers[k]} for k in sorted(actor.identifiers)]
    return ids


def person(sel: Selection, actor: Actor) -> dict[str, Any]:
    return _compact(
        {
            "id": actor.id,
            "name": actor.name,
            "other_names": _names(actor),
            "identifiers": _identifiers(actor),
            "national_identity": actor.country,
            "summary": actor.summary,
            "sources": _links(sel, actor.sources),
        }
    )


def organization(sel: Selection, actor: Actor) -> dict[str, Any]:
    return _compact(
        {
            "id": actor.id,
            "name": actor.name,
            "other_names": _names(actor),
            "identifiers": _identifiers(actor),
            "classification": actor.kind.value,
            "sources": _links(sel, actor.sources),
        }
    )


def forum_organization(
    forum: Forum, ids: dict[str, str], same: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A forum as an organization; merged into `same`, the organization of the actor
    that is the same body, when there is one (its names and identifiers kept)."""
    base = dict(same or {})
    names = list(base.get("other_names", []))
    known = {n["name"] for n in names} | {base.get("name", forum.name)}
    names += [{"name": a} for a in (forum.name, *forum.aliases) if a not in known]
    return _compact(
        {
            "id": _org_id(ids, forum.code),
            "name": base.get("name", forum.name),
            "other_names": names,
            "identifiers": [
                *base.get("identifiers", []),
                {"scheme": "dprkhr-forum", "identifier": forum.code},
            ],
            "classification": base.get("classification", "forum"),
            "parent_id": _org_id(ids, forum.parent),
            "founding_date": forum.established.text if forum.established else None,
            "dissolution_date": forum.abolished.text if forum.abolished else None,
            "sources": base.get("sources", []),
        }
    )


def memberships(sel: Selection) -> Iterable[dict[str, Any]]:
    """One membership per role; a person is `person_id`, any other actor `member`."""
    for actor in sel.actors:
        for i, role in enumerate(actor.roles, 1):
            who: dict[str, Any] = (
                {"person_id": actor.id}
                if actor.kind is ActorKind.person
                else {"member": {"@type": "Organization", "id": actor.id}}
            )
            yield _compact(
                {
                    "id": f"{actor.id}-role-{i}",
                    "role": role.title,
                    **who,
                    "organization_id": role.organization,
                    "start_date": role.start.text if role.start else None,
                    "end_date": role.end.text if role.end else None,
                }
            )


def events(sel: Selection, ids: dict[str, str]) -> Iterable[dict[str, Any]]:
    for e in sel.events:
        attendees = []
        for p in e.participants:
            actor = sel.kb.actor(p.actor)
            if actor is not None and actor.kind is ActorKind.person:
                attendees.append({"id": actor.id, "name": actor.name})
        yield _compact(
            {
                "id": e.id,
                "name": e.title,
                "description": e.summary,
                "start_date": e.date.text,
                "end_date": e.end_date.text if e.end_date else None,
                "location": e.location,
                "classification": e.type,
                "organization_id": _org_id(ids, e.forum),
                "identifiers": [{"scheme": "un-document", "identifier": d} for d in e.documents],
                "attendees": attendees,
                "sources": _links(sel, e.sources),
            }
        )


def motion(sel: Selection, r: Resolution, ids: dict[str, str]) -> dict[str, Any]:
    """A resolution as a motion. Every resolution in the knowledge base was adopted, so its
    result is `pass`. Its vote event, if any, is in `vote_events` with this `motion_id`."""
    return _compact(
        {
            "id": r.id,
            "organization_id": _org_id(ids, r.forum),
            "text": r.title,
            "identifier": r.symbol,
            "classification": "resolution",
            "date": date_time(r.date),
            "date_as_recorded": r.date.text if r.date else None,
            "result": "pass",
            "sources": _links(sel, r.sources),
        }
    )


def _vote_event_id(r: Resolution) -> str | None:
    if r.adoption is None or r.adoption.method.value != "vote":
        return None
    return f"{r.id}-vote"


def vote_event(sel: Selection, r: Resolution, ids: dict[str, str]) -> dict[str, Any] | None:
    """The recorded vote on a resolution, with the counts that are known; None when it
    was adopted without a vote or how it was adopted is not recorded."""
    vote_id = _vote_event_id(r)
    if vote_id is None or r.adoption is None:
        return None
    counts = [
        {"option": option, "value": value}
        for option, value in (
            ("yes", r.adoption.yes),
            ("no", r.adoption.no),
            ("abstain", r.adoption.abstain),
        )
        if value is not None
    ]
    return _compact(
        {
            "id": vote_id,
            "identifier": r.symbol,
            "motion_id": r.id,
            "organization_id": _org_id(ids, r.forum),
            "start_date": date_time(r.date),
            "date_as_recorded": r.date.text if r.date else None,
            "result": "pass",
            "counts": counts,
            "sources": _links(sel, r.sources),
        }
    )


def _write_array(stream: IO[str], name: str, items: Iterable[Any], last: bool = False) -> None:
    stream.write(f"{dumps(name)}:[")
    first = True
    for item in items:
        stream.write("\n  " if first else ",\n  ")
        stream.write(dumps(item))
        first = False
    stream.write("]" if first else "\n ]")
    stream.write("}\n" if last else ",\n")


def write_popolo(sel: Selection, stream: IO[str]) -> None:
    """One JSON document with the Popolo collections `persons`, `organizations`,
    `memberships`, `events`, `motions` and `vote_events`; plus a `meta` stamp."""
    people = [a for a in sel.actors if a.kind is ActorKind.person]
    others = [a for a in sel.actors if a.kind is not ActorKind.person]
    stream.write("{" + dumps("meta") + ":" + dumps({**stamp(), "filters": sel.filter.describe()}))
    stream.write(",\n")
    _write_array(stream, "persons", (person(sel, a) for a in people))
    ids = forum_org_ids(sel)
    orgs = {a.id: organization(sel, a) for a in others}
    for forum in sel.forums:
        org = forum_organization(forum, ids, orgs.get(ids[forum.code]))
        orgs[org["id"]] = org
    _write_array(stream, "organizations", sorted(orgs.values(), key=lambda o: o["id"]))
    _write_array(stream, "memberships", memberships(sel))
    _write_array(stream, "events", events(sel, ids))
    _write_array(stream, "motions", (motion(sel, r, ids) for r in sel.resolutions))
    votes = (v for r in sel.resolutions if (v := vote_event(sel, r, ids)) is not None)
    _write_array(stream, "vote_events", votes, last=True)
