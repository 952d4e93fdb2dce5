"""The one filter vocabulary of `events`, `timeline`, `stats` and `export`.

`EventFilter` holds the filters, resolved to ids; `EventFilter.matches` says whether an
event or a resolution passes them; `event_filter` builds one from what the user typed,
resolving names the same way for every command. The meanings:

- `--actor` (repeat: all of them): an event in which every named actor takes part; a
  resolution that every named actor sponsors.
- `--as ROLE` (repeat: any of them): each named actor takes part in one of these roles
  (`speaker`, `author`, `host`, `subject`...; for a resolution, its sponsors take part
  as `sponsor`). `--not-as ROLE` (repeat): each named actor takes part in some role other
  than these, so `--actor DPRK --not-as subject` keeps what the DPRK did, not what was
  done about it. A participation that records no role cannot be judged and does not
  match either (`role_unknown` counts those events, for the command to say so).
- `--forum` (repeat: any of them), `--type` (repeat: any; event types, so a resolution
  never passes a `--type` filter).
- `--tag` (repeat: all of them).
- `--since`/`--until`: the record's dates overlap the interval (an undated resolution
  only passes when neither is given).
- `--resolution`: events that refer to the resolution, and the resolution itself.
- `--text`: one field of the record holds every word (`dprkhr.textmatch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dprkhr.dates import PartialDate
from dprkhr.errors import UsageError
from dprkhr.names import NameMatch, normalize

if TYPE_CHECKING:
    from dprkhr.kb import KnowledgeBase
    from dprkhr.textmatch import TextQuery

SPONSOR = "sponsor"
"""The role in which a resolution's sponsors take part in it."""


def participations(event: Any) -> list[tuple[str, str | None]]:
    """(actor id, role) of every participant of an event or an event row."""
    return [(p.actor, p.role) for p in event.participants]


@dataclass
class EventFilter:
    """The filters of `events`, `timeline`, `stats` and `export`, resolved to ids (see the
    module docstring for their meanings). Empty means everything."""

    actors: list[str] = field(default_factory=list)
    """Actor ids; all of them take part."""
    forum: str | None = None
    """One forum code (shorthand for `forums=[forum]`)."""
    types: list[str] = field(default_factory=list)
    """Event type ids; any of them."""
    tags: list[str] = field(default_factory=list)
    """Tag ids; all of them."""
    since: PartialDate | None = None
    until: PartialDate | None = None
    resolution: str | None = None
    """Resolution id the event refers to (or the resolution itself)."""
    text: str | None = None
    """Words that one field must hold."""
    forums: list[str] = field(default_factory=list)
    """Forum codes; any of them."""
    roles: list[str] = field(default_factory=list)
    """`--as`: folded roles; each named actor takes part in one of them."""
    not_roles: list[str] = field(default_factory=list)
    """`--not-as`: folded roles; each named actor takes part in another one."""

    def __post_init__(self) -> None:
        if self.forum is not None and self.forum not in self.forums:
            self.forums = [self.forum, *self.forums]
        self.forum = self.forums[0] if len(self.forums) == 1 else None

    @property
    def is_empty(self) -> bool:
        return not (
            self.actors
            or self.forums
            or self.types
            or self.tags
            or self.since
            or self.until
            or self.resolution
            or self.text
            or self.roles
            or self.not_roles
        )

    @property
    def active(self) -> bool:
        return not self.is_empty

    def text_query(self) -> TextQuery | None:
        from dprkhr.textmatch import TextQuery

        return TextQuery.parse(self.text, "--text") if self.text else None

    # --- the one test ---------------------------------------------------------------------

    def matches(self, record: Any, kb: Any = None, query: TextQuery | None = None) -> bool:
        """Whether an event or a resolution (a record, or a row of the query index) passes
        every filter. `kb` is needed for `text` only (the words of a record are in the
        knowledge base's word index); `query` saves parsing the text once per record."""
        if record.record_type == "event":
            if not self._event(record):
                return False
        elif not self._resolution(record):
            return False
        if self.text:
            if kb is None:
                raise ValueError("a text filter needs the knowledge base")
            wanted = query or self.text_query()
            assert wanted is not None  # self.text is set: its query is made, or an error
            return bool(kb.text_holds(record, wanted))
        return True

    def _dates(self, first: Any, last: Any) -> bool:
        if self.since is not None and last < self.since.start:
            return False
        return not (self.until is not None and first > self.until.end)

    def _roles_fit(self, held: Iterable[str | None]) -> bool | None:
        """Whether an actor's roles in a record fit `--as`/`--not-as`: None when that
        cannot be told (the roles it fits by are not recorded)."""
        folded = [normalize(r) if r else None for r in held]
        known = [r for r in folded if r is not None]
        if self.roles and not any(r in self.roles for r in known):
            return None if len(known) < len(folded) else False
        if self.not_roles and not any(r not in self.not_roles for r in known):
            return None if len(known) < len(folded) else False
        return True

    def _event(self, event: Any) -> bool:
        if self.forums and event.forum not in self.forums:
            return False
        if self.types and event.type not in self.types:
            return False
        if self.tags and not set(self.tags).issubset(event.tags):
            return False
        if self.resolution and self.resolution not in event.resolutions:
            return False
        last = max(event.date.end, event.end_date.end) if event.end_date else event.date.end
        if not self._dates(event.date.start, last):
            return False
        if not self.actors:
            return True
        if not (self.roles or self.not_roles):
            return set(self.actors).issubset(p.actor for p in event.participants)
        parts = participations(event)
        return all(
            self._roles_fit(role for who, role in parts if who == actor) for actor in self.actors
        )

    def _resolution(self, resolution: Any) -> bool:
        if self.types:
            return False
        if self.forums and resolution.forum not in self.forums:
            return False
        if self.tags and not set(self.tags).issubset(resolution.tags):
            return False
        if self.resolution and self.resolution != resolution.id:
            return False
        if self.since is not None or self.until is not None:
            if resolution.date is None:
                return False
            if not self._dates(resolution.date.start, resolution.date.end):
                return False
        if self.actors and not set(self.actors).issubset(resolution.sponsors):
            return False
        return not self.actors or self.keeps_sponsors()

    def keeps_sponsors(self) -> bool:
        """Whether `--as`/`--not-as` let a resolution's sponsors through (`sponsor`)."""
        return bool(self._roles_fit([SPONSOR]))

    def unjudged(self, record: Any) -> bool:
        """Whether the event passes every filter but `--as`/`--not-as`, which cannot tell
        because a named actor's role in it is not recorded."""
        if record.record_type != "event" or not (self.roles or self.not_roles):
            return False
        loose = replace(self, roles=[], not_roles=[], text=None)
        if not loose._event(record):
            return False
        parts = participations(record)
        fits = [self._roles_fit(r for who, r in parts if who == a) for a in self.actors]
        return None in fits and False not in fits

    def describe(self) -> dict[str, Any]:
        """The filters as plain data, sorted and stable (an export's version stamp)."""
        out: dict[str, Any] = {}
        if self.since is not None:
            out["since"] = self.since.text
        if self.until is not None:
            out["until"] = self.until.text
        for name in ("forums", "types", "tags", "actors", "roles", "not_roles"):
            values = getattr(self, name)
            if values:
                out[name] = sorted(values)
        if self.resolution:
            out["resolution"] = self.resolution
        if self.text:
            out["text"] = self.text
        return out


# --- from what the user typed --------------------------------------------------------------


def known_roles(kb: Any) -> list[str]:
    """Every participant role the dataset uses (folded), and `sponsor`."""
    return sorted({*kb.participant_roles, SPONSOR})


def resolve_role(kb: Any, value: str, option: str) -> str:
    """A role as `--as`/`--not-as` compare it (folded), checked against the dataset."""
    wanted = normalize(value)
    roles = known_roles(kb)
    if wanted in roles:
        return wanted
    from dprkhr.suggest import close_matches

    near = close_matches(wanted, {r: r for r in roles})
    hint = f"; did you mean {', '.join(near)}?" if near else f" (known: {', '.join(roles)})"
    raise UsageError(f"{option} {value!r}: no participant has that role{hint}")


@dataclass
class Resolved:
    """A filter built from what the user typed, and how each inexact name was read."""

    criteria: EventFilter
    guesses: list[tuple[str, NameMatch]] = field(default_factory=list)
    """(what was typed, what it was taken for), for names that were not exact."""


def event_filter(
    kb: KnowledgeBase | Any,
    *,
    actors: Sequence[str] = (),
    roles: Sequence[str] = (),
    not_roles: Sequence[str] = (),
    forums: Sequence[str] = (),
    types: Sequence[str] = (),
    tags: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    resolution: str | None = None,
    text: str | None = None,
) -> Resolved:
    """Build the filter from what the user typed: names, codes, symbols and vocabulary
    names resolved as every command resolves them; `UsageError` for what fits nothing."""
    from dprkhr.query import (
        date_range,
        resolve_actor,
        resolve_event_type,
        resolve_forum,
        resolve_resolution,
        resolve_tag,
    )

    for option, value in (("--resolution", resolution), ("--text", text)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} needs a value; leave the option out to match everything")
    if (roles or not_roles) and not actors:
        raise UsageError("--as and --not-as say in what role an --actor takes part: name one")
    start, end = date_range(since, until)
    guesses: list[tuple[str, NameMatch]] = []

    def named(typed: str, match: NameMatch) -> str:
        if not match.exact:
            guesses.append((typed, match))
        return match.id

    criteria = EventFilter(
        actors=list(dict.fromkeys(named(a, resolve_actor(kb, a)) for a in actors)),
        forums=list(dict.fromkeys(named(f, resolve_forum(kb, f)) for f in forums)),
        types=list(dict.fromkeys(resolve_event_type(kb, t) for t in types)),
        tags=list(dict.fromkeys(resolve_tag(kb, t) for t in tags)),
        since=start,
        until=end,
        resolution=resolve_resolution(kb, resolution).id if resolution else None,
        text=text,
        roles=list(dict.fromkeys(resolve_role(kb, r, "--as") for r in roles)),
        not_roles=list(dict.fromkeys(resolve_role(kb, r, "--not-as") for r in not_roles)),
    )
    criteria.text_query()  # a text without words is an error now, not after the search
    return Resolved(criteria, guesses)
