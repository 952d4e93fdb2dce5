"""Candidates for shell completion: actor ids, forum codes, tags, event types, roles,
resolution and record ids that start with (or have a word starting with) what was typed.

Answers from the store (`dprkhr.storequery`), so that a <TAB> costs a few milliseconds of
SQLite; with `--no-cache`, from the knowledge base. Matching
folds case and accents (`sal` finds `Elizabeth Salmón`); each candidate is an id, code or
vocabulary entry that the option accepts, with its name as the description that zsh and
fish show beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dprkhr.names import normalize

if TYPE_CHECKING:
    from dprkhr.query import QuerySource

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


def _entries(source: QuerySource, kind: str) -> Iterable[tuple[str, str, list[str]]]:
    """(value, description, other names to match) of every candidate of a kind."""
    return source.completion_entries(kind)


def candidates(source: QuerySource, kind: str, incomplete: str) -> list[Candidate]:
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


__all__ = ["KINDS", "candidates"]
