"""Popolo JSON (popoloproject.com): persons, organizations, memberships, events, motions
and vote events, with the specification's own field names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from dprkhr.export.jsonfmt import dumps
from dprkhr.export.output import stamp
from dprkhr.export.selection import Selection
from dprkhr.models import Actor, ActorKind, Citation, Forum, Resolution

FORUM_PREFIX = "forum:"
"""Forums become organizations too; their ids get this prefix (record ids never hold `:`)."""


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


def forum_organization(forum: Forum) -> dict[str, Any]:
    return _compact(
        {
            "id": FORUM_PREFIX + forum.code,
            "name": forum.name,
            "other_names": [{"name": a} for a in forum.aliases],
            "identifiers": [{"scheme": "dprkhr-forum", "identifier": forum.code}],
            "classification": "forum",
            "parent_id": FORUM_PREFIX + forum.parent if forum.parent else None,
            "founding_date": forum.established.text if forum.established else None,
            "dissolution_date": forum.abolished.text if forum.abolished else None,
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


def events(sel: Selection) -> Iterable[dict[str, Any]]:
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
                "organization_id": FORUM_PREFIX + e.forum if e.forum else None,
                "identifiers": [{"scheme": "un-document", "identifier": d} for d in e.documents],
                "attendees": attendees,
                "sources": _links(sel, e.sources),
            }
        )


def motion(sel: Selection, r: Resolution) -> dict[str, Any]:
    """A resolution as a motion. Every resolution in the knowledge base was adopted, so its
    result is `pass`. Its vote event, if any, is in `vote_events` with this `motion_id`."""
    return _compact(
        {
            "id": r.id,
            "organization_id": FORUM_PREFIX + r.forum if r.forum else None,
            "text": r.title,
            "identifier": r.symbol,
            "classification": "resolution",
            "date": r.date.text if r.date else None,
            "result": "pass",
            "sources": _links(sel, r.sources),
        }
    )


def _vote_event_id(r: Resolution) -> str | None:
    if r.adoption is None or r.adoption.method.value != "vote":
        return None
    return f"{r.id}-vote"


def vote_event(sel: Selection, r: Resolution) -> dict[str, Any] | None:
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
            "organization_id": FORUM_PREFIX + r.forum if r.forum else None,
            "start_date": r.date.text if r.date else None,
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
    orgs = [organization(sel, a) for a in others]
    orgs += [forum_organization(f) for f in sel.forums]
    _write_array(stream, "organizations", sorted(orgs, key=lambda o: o["id"]))
    _write_array(stream, "memberships", memberships(sel))
    _write_array(stream, "events", events(sel))
    _write_array(stream, "motions", (motion(sel, r) for r in sel.resolutions))
    votes = (v for r in sel.resolutions if (v := vote_event(sel, r)) is not None)
    _write_array(stream, "vote_events", votes, last=True)
