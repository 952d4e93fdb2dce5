"""Candidates for shell completion: actor ids, forum codes, tags, event types, roles,
resolution and record ids that start with (or have a word starting with) what was typed.

Answers from the persisted query index (`dprkhr.index`) when it is current, so that a
<TAB> costs a few milliseconds of SQLite; otherwise from the knowledge base. Matching
folds case and accents (`sal` finds `Elizabeth Salmón`); each candidate is an id, code or
vocabulary entry that the option accepts, with its name as the description that zsh and
fish show beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dprkhr.names import normalize

if TYPE_CHECKING:
    from dprkhr.index import QueryIndex
    from dprkhr.kb import KnowledgeBase

KINDS = (
    "actor",
    "forum",
    "tag",
    "event-type",
    "role",
    "participant-role",
    "resolution",
    "record",
    "source",
)
"""What can be completed."""

Candidate = tuple[str, str]
"""(value to insert, description)."""


def role_titles(kb: KnowledgeBase) -> list[str]:
    """The titles of actors' roles, most held first (what `actors --role` matches)."""
    counts = Counter(role.title for actor in kb.actors for role in actor.roles if role.title)
    return [title for title, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def participant_roles(kb: KnowledgeBase) -> list[str]:
    """The roles participants have in events, most used first."""
    counts = Counter(p.role for event in kb.events for p in event.participants if p.role)
    return [role for role, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _entries(source: KnowledgeBase | QueryIndex, kind: str) -> Iterable[tuple[str, str, list[str]]]:
    """(value, description, other names to match) of every candidate of a kind."""
    from dprkhr.index import QueryIndex

    if isinstance(source, QueryIndex):
        yield from source.completion_entries(kind)
        return
    from dprkhr.names import NAME_SETS

    kb = source
    if kind in NAME_SETS:
        for record_id, label, names in NAME_SETS[kind](kb):
            yield record_id, label, list(names)
    elif kind == "tag":
        yield from ((t.id, t.name, [t.name]) for t in kb.tags)
    elif kind == "event-type":
        yield from ((t.id, t.name, [t.name]) for t in kb.event_types)
    elif kind == "role":
        yield from ((title, "", []) for title in role_titles(kb))
    elif kind == "participant-role":
        yield from ((role, "", []) for role in participant_roles(kb))
    elif kind == "source":
        yield from ((record.id, "", []) for record in kb.sources)
    elif kind == "record":
        for record in kb.records:
            kind_name = record.record_type
            if kind_name == "source":  # as the index has them: no title
                yield record.id, kind_name, []
                continue
            parts = (getattr(record, "symbol", None), getattr(record, "title", None))
            label = getattr(record, "name", None) or " ".join(x for x in parts if x)
            yield record.id, f"{kind_name}: {label}" if label else kind_name, []


def candidates(source: KnowledgeBase | QueryIndex, kind: str, incomplete: str) -> list[Candidate]:
    """The completions of `incomplete` for an option taking a `kind`: values starting
    with it first, then values with a name one of whose words starts with it."""
    if kind not in KINDS:
        raise ValueError(f"unknown completion kind {kind!r}")
    typed = normalize(incomplete)
    raw = incomplete.casefold()
    first: dict[str, str] = {}
    then: dict[str, str] = {}
    for value, label, names in _entries(source, kind):
        if value in first or value in then:
            continue
        if value.casefold().startswith(raw) or normalize(value).startswith(typed):
            first[value] = label
            continue
        for name in (label, *names):
            folded = normalize(name)
            if folded.startswith(typed) or any(w.startswith(typed) for w in folded.split()):
                then[value] = label
                break
    ordered = sorted(first.items()) + sorted(then.items())
    return [(value, label if label != value else "") for value, label in ordered]


def entries_for_index(kb: KnowledgeBase) -> list[tuple[str, int, str, str]]:
    """Rows of the index's `vocab` table for what only completion asks for: role titles
    and participant roles, (kind, n, id, name)."""
    rows: list[tuple[str, int, str, str]] = []
    rows += [("role", n, title, "") for n, title in enumerate(role_titles(kb))]
    rows += [("participant-role", n, role, "") for n, role in enumerate(participant_roles(kb))]
    return rows


__all__ = ["KINDS", "candidates", "participant_roles", "role_titles"]
