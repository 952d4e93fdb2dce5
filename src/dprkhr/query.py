"""Questions analysts ask of the knowledge base: filters, search, timeline, related actors,
statistics. Pure functions over a `KnowledgeBase`; they return data and never print.

Names the user typed are resolved here (`resolve_actor`, `resolve_forum`, ...); each
returns a `NameMatch`, so that the command line can report a resolution that was not
exact ("`Salmén` → elizabeth-salmon").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, runtime_checkable

from dprkhr.dates import DateError, PartialDate
from dprkhr.errors import UsageError
from dprkhr.filters import EventFilter as EventFilter  # the one filter vocabulary
from dprkhr.names import (
    FUZZY,
    NameMatch,
    UnknownName,
    actor_index,
    forum_index,
    normalize,
    resolution_index,
)
from dprkhr.textmatch import SearchHit as SearchHit  # the word search, shared with --text
from dprkhr.textmatch import SearchResult as SearchResult
from dprkhr.textmatch import TextQuery
from dprkhr.textmatch import search as search

if TYPE_CHECKING:
    from dprkhr.kb import Backlink
    from dprkhr.models import Actor, Event, Forum, Record, Resolution
    from dprkhr.storequery import ActorRow, EventRow


class Postings(Protocol):
    """Records (or rows) by a key, in date order: an actor's events, a forum's..."""

    def get(self, key: str, default: Any = None, /) -> Any: ...


@runtime_checkable
class QuerySource(Protocol):
    """What every query runs on, and the one interface the commands call: the store
    (`dprkhr.storequery.StoreSource`, answering from SQLite) or the knowledge base in
    memory (`dprkhr.kb.KnowledgeBase`, with `--no-cache` and in tests). Lists hold rows
    (`EventRow`, `ResolutionRow`, `ActorRow`) from the store and records from the
    knowledge base, with the same fields for every query here; `whole` turns rows into
    records, for the commands that print records whole."""

    @property
    def failed_files(self) -> int: ...
    @property
    def duplicates(self) -> list[str]: ...
    @property
    def events(self) -> Sequence[Any]: ...
    @property
    def resolutions(self) -> Sequence[Any]: ...
    @property
    def forums(self) -> Sequence[Forum]: ...
    @property
    def forum_by_code(self) -> dict[str, Forum]: ...
    @property
    def tags(self) -> Sequence[Any]: ...
    @property
    def event_types(self) -> Sequence[Any]: ...
    @property
    def participant_roles(self) -> list[str]: ...
    @property
    def events_by_actor(self) -> Postings: ...
    @property
    def events_by_forum(self) -> Postings: ...
    @property
    def resolutions_by_forum(self) -> Postings: ...
    @property
    def resolutions_by_sponsor(self) -> Postings: ...

    def memo(self, key: str, build: Callable[[], Any]) -> Any: ...
    def actor(self, actor_id: str) -> Any: ...
    def get(self, record_id: str) -> Record | None: ...
    def whole(self, rows: Sequence[Any]) -> list[Any]: ...
    def prefetch_actors(self, rows: Iterable[Any]) -> None: ...
    def forum_events(self, code: str) -> list[Event]: ...
    def forum_resolutions(self, code: str) -> list[Resolution]: ...
    def name_records(self, kind: str) -> Iterable[tuple[str, str, Iterable[str]]]: ...
    def resolution_by_symbol(self, folded: str) -> Record | None: ...
    def position(self, record: Record) -> Any: ...
    def pointing_at(self, record_id: str) -> list[Backlink]: ...
    def labels(self, kind: str) -> list[str]: ...
    def search(self, text: str, types: Sequence[str] = ()) -> SearchResult: ...
    def facts(self, kind: str, rows: Sequence[Any] | None = None) -> Counter[Facts]: ...
    def actor_records(self, ids: Sequence[str] | None = None) -> list[Any]: ...
    def event_counts(self) -> dict[str, int]: ...
    def ballot_data(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]: ...
    def text_holds(self, record: Any, query: TextQuery) -> bool: ...
    def missing_words(self, record_type: str, query: TextQuery) -> list[str]: ...
    def statement_events(self, actor_id: str | None = None) -> list[Any]: ...
    def stream(self, kind: str, ids: Collection[str] | None = None) -> Sequence[Record]: ...
    def completion_entries(self, kind: str) -> Iterable[tuple[str, str, list[str]]]: ...


Searchable = QuerySource
Showable = QuerySource

# --- dates ----------------------------------------------------------------------------------


def parse_query_date(text: str | None, option: str) -> PartialDate | None:
    """`--since`/`--until` values: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    if text is None:
        return None
    try:
        return PartialDate.coerce(text)
    except DateError as exc:
        raise UsageError(f"{option} {text!r}: {exc}") from None


def date_range(
    since: str | None, until: str | None
) -> tuple[PartialDate | None, PartialDate | None]:
    """Parse `--since` and `--until`; both are inclusive intervals."""
    start = parse_query_date(since, "--since")
    end = parse_query_date(until, "--until")
    if start is not None and end is not None and end.end < start.start:
        raise UsageError(f"--until {end} is before --since {start}")
    return start, end


def event_overlaps(event: Event, since: PartialDate | None, until: PartialDate | None) -> bool:
    """Whether an event's whole span (`date` to `end_date`) meets the query interval."""
    if since is None and until is None:
        return True
    first = event.date.start
    last = max(event.date.end, event.end_date.end) if event.end_date else event.date.end
    if since is not None and last < since.start:
        return False
    return not (until is not None and first > until.end)


def date_overlaps(
    date: PartialDate | None, since: PartialDate | None, until: PartialDate | None
) -> bool:
    """Whether a (partial) date meets the query interval; undated records only match an
    unbounded query."""
    if since is None and until is None:
        return True
    return date is not None and date.overlaps(since, until)


# --- resolving names ------------------------------------------------------------------------


def resolve_actor(kb: Searchable, name: str) -> NameMatch:
    """The actor an id, name, alias or native name stands for (fuzzy; see `names`)."""
    return actor_index(kb).resolve(name)


def resolve_forum(kb: Searchable, name: str) -> NameMatch:
    """The forum a code, name or alias stands for ("Security Council" -> UNSC)."""
    return forum_index(kb).resolve(name)


def resolve_resolution(kb: Searchable, text: str) -> NameMatch:
    """A resolution by id or symbol (`a-hrc-res-22-13`, `A/HRC/RES/22/13`)."""
    match = resolution_index(kb).resolve(text)
    if match.how != "exact":
        # a symbol is an exact thing: never guess one, only suggest
        raise UnknownName("resolution", text, [match])
    return match


def _vocab_id(kind: str, value: str, choices: dict[str, str]) -> str:
    """A tag or event type by id or name (case and accents aside)."""
    if value in choices:
        return value
    wanted = normalize(value)
    for vocab_id, name in choices.items():
        if wanted in (normalize(vocab_id), normalize(name)):
            return vocab_id
    from dprkhr.suggest import close_matches

    near = close_matches(value, choices)
    hint = f"; did you mean {', '.join(near)}?" if near else f" (known: {', '.join(choices)})"
    raise UsageError(f"unknown {kind} `{value}`{hint}")


def resolve_event_type(kb: Searchable, value: str) -> str:
    return _vocab_id("event type", value, {t.id: t.name for t in kb.event_types})


def resolve_tag(kb: Searchable, value: str) -> str:
    return _vocab_id("tag", value, {t.id: t.name for t in kb.tags})


# --- text matching --------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return normalize(text).split()


def _text_matches(words: Sequence[str], haystack: str) -> bool:
    """Every query word occurs in the folded haystack (as part of a word)."""
    return all(word in haystack for word in words)


# --- events ---------------------------------------------------------------------------------


SortOrder = Literal["date", "-date"]


def _smallest(candidates: Iterable[list[Any]]) -> list[Any] | None:
    pools = list(candidates)
    return min(pools, key=len) if pools else None


def filter_events(
    kb: Searchable,
    criteria: EventFilter,
    sort: SortOrder = "date",
    limit: int | None = None,
) -> list[Event] | list[EventRow]:
    """Events passing the filter (`EventFilter.matches`), by date (ascending, or
    descending with `-date`).

    Works on the knowledge base or on the store (`dprkhr.storequery`), whose rows
    have the fields read here, except the text that `--text` searches. Starts from the
    smallest index that applies (an actor's events, a forum's events), so
    that a narrow query does not walk the whole knowledge base.
    """
    pools: list[list[Any]] = [kb.events_by_actor.get(a, []) for a in criteria.actors]
    if len(criteria.forums) == 1:
        pools.append(kb.events_by_forum.get(criteria.forums[0], []))
    pool = _smallest(pools)
    events = kb.events if pool is None else pool
    query = criteria.text_query()
    found: list[Any] = [event for event in events if criteria.matches(event, kb, query)]
    # every pool is already in date order (kb.events is sorted; indexes keep that order)
    if sort == "-date":
        found.reverse()
    return found[:limit] if limit is not None else found


def select(kb: Searchable, criteria: EventFilter) -> tuple[list[Any], list[Any]]:
    """The events and the resolutions passing the filter, each in date order: what
    `timeline`, `stats` and `export` start from (`events` takes the events). A
    resolution "involves" its sponsors (in the role `sponsor`); `--type` selects events
    only, so no resolution passes it."""
    events = filter_events(kb, criteria)
    if criteria.types:
        return events, []
    pools: list[list[Any]] = [kb.resolutions_by_sponsor.get(a, []) for a in criteria.actors]
    if len(criteria.forums) == 1:
        pools.append(kb.resolutions_by_forum.get(criteria.forums[0], []))
    pool = _smallest(pools)
    query = criteria.text_query()
    resolutions = [
        r for r in (kb.resolutions if pool is None else pool) if criteria.matches(r, kb, query)
    ]
    return events, resolutions


def role_unknown(kb: Searchable, criteria: EventFilter) -> list[Any]:
    """Events that pass every filter but `--as`/`--not-as`, which cannot tell because a
    named actor's role in them is not recorded (the command says how many)."""
    if not (criteria.roles or criteria.not_roles):
        return []
    pools = [kb.events_by_actor.get(a, []) for a in criteria.actors]
    pool = _smallest(pools)
    query = criteria.text_query()
    return [
        e
        for e in (kb.events if pool is None else pool)
        if criteria.unjudged(e) and (query is None or kb.text_holds(e, query))
    ]


def undated_resolutions(kb: Searchable, criteria: EventFilter) -> list[Any]:
    """Resolutions passing every filter but the dates that record no date: a timeline
    cannot place them and `--since`/`--until` cannot judge them."""
    dateless = replace(criteria, since=None, until=None)
    query = dateless.text_query()
    return [r for r in kb.resolutions if r.date is None and dateless.matches(r, kb, query)]


def sponsors_unknown(kb: Searchable, criteria: EventFilter) -> tuple[list[Any], int]:
    """For `--actor` over resolutions (which it keeps when every named actor sponsors
    them): the resolutions passing every other filter that record no sponsors, so cannot
    be judged, and how many resolutions pass every other filter."""
    if not criteria.actors or criteria.types or not criteria.keeps_sponsors():
        return [], 0
    loose = replace(criteria, actors=[], roles=[], not_roles=[])
    query = loose.text_query()
    pool = [r for r in kb.resolutions if loose.matches(r, kb, query)]
    return [r for r in pool if not r.sponsors], len(pool)


# --- actors ---------------------------------------------------------------------------------


@dataclass
class ActorFilter:
    query: str | None = None
    """A name to look for (fuzzy; every actor it may stand for, best first)."""
    kind: str | None = None
    country: str | None = None
    role: str | None = None
    """Words that must occur in a role's title, or the id of the organisation it is in."""
    as_of: PartialDate | None = None
    """Only actors holding a (matching) role on this date."""


def role_held(
    role_start: PartialDate | None, role_end: PartialDate | None, on: PartialDate
) -> bool | None:
    """Whether a role with these dates was held at some point of `on`: True, False, or
    None when the dates cannot tell (no start; or a start or end known only to a month or
    a year that straddles `on`). A role with a start and no end is still held."""
    if role_start is not None and role_start.start > on.end:
        return False
    if role_end is not None and role_end.end < on.start:
        return False
    if role_start is None or role_start.end > on.end:
        return None
    if role_end is not None and role_end.start < on.start:
        return None
    return True


def _role_fits(held: Any, words: Sequence[str]) -> bool:
    return not words or (
        _text_matches(words, normalize(held.title))
        or (held.organization is not None and normalize(held.organization) == " ".join(words))
    )


def matching_roles(actor: Any, role: str | None, as_of: PartialDate | None) -> list[int]:
    """Indexes of the actor's roles that fit `--role` and were certainly held on `--as-of`
    (a role whose dates cannot tell is left out; see `undated_roles`)."""
    words = _words(role) if role else []
    return [
        i
        for i, held in enumerate(actor.roles)
        if _role_fits(held, words)
        and (as_of is None or role_held(held.start, held.end, as_of) is True)
    ]


def undated_roles(actor: Any, role: str | None, as_of: PartialDate) -> list[int]:
    """Indexes of the actor's roles that fit `--role` but whose dates cannot tell whether
    they were held on `as_of`."""
    words = _words(role) if role else []
    return [
        i
        for i, held in enumerate(actor.roles)
        if _role_fits(held, words) and role_held(held.start, held.end, as_of) is None
    ]


@dataclass(frozen=True)
class Unjudged:
    """Records a filter could not judge, because the field it tests is not recorded on
    them: "sponsors are recorded for 2 of 51 resolutions"."""

    field: str
    """What the filter tests: `sponsors`, `country`, `role dates`..."""
    known: int
    """How many of the candidates carry it."""
    total: int
    """How many candidates (records passing every other filter) there were."""
    noun: str
    """What the candidates are: `resolutions`, `actors`, `roles`."""

    @property
    def missing(self) -> int:
        return self.total - self.known


@dataclass
class ActorAnswer:
    """What `actors` answers: the actors, and what it could not tell."""

    actors: list[Any]
    """Records from the knowledge base, `ActorDetail` rows from the store."""
    near: bool = False
    """No actor is named by the query: these are near (fuzzy) matches."""
    unjudged: list[Unjudged] = field(default_factory=list)
    undated: dict[str, list[int]] = field(default_factory=dict)
    """For `--as-of`: per actor id, the fitting roles whose dates cannot tell."""


def find_actors(kb: QuerySource, criteria: ActorFilter) -> ActorAnswer:
    """Actors fitting the criteria: ranked by how well they match `query` when given
    (only the best kind of match: names it holds, or else near spellings, labelled as
    such), otherwise by name; with how many could not be judged for lack of a country or
    of role dates."""
    near = False
    if criteria.query:
        matches = actor_index(kb).rank(criteria.query)
        near = bool(matches) and not any(m.how != FUZZY for m in matches)
        actors = kb.actor_records([m.id for m in matches])
    else:
        actors = sorted(kb.actor_records(), key=lambda a: (normalize(a.name), a.id))
    country = criteria.country.upper() if criteria.country else None
    by_role = criteria.role is not None or criteria.as_of is not None
    out: list[Any] = []
    candidates = 0
    with_country = 0
    roles_total = 0
    roles_undated = 0
    undated: dict[str, list[int]] = {}
    for actor in actors:
        if criteria.kind and actor.kind != criteria.kind:
            continue
        role_ok = not by_role or bool(matching_roles(actor, criteria.role, criteria.as_of))
        country_ok = not country or actor.country == country
        # a candidate for the country filter: a person (nationality) or a state
        if country and role_ok and actor.kind in ("person", "state"):
            candidates += 1
            with_country += actor.country is not None
        if by_role and criteria.as_of is not None and country_ok:
            unknown = undated_roles(actor, criteria.role, criteria.as_of)
            roles_total += len(matching_roles(actor, criteria.role, None))
            roles_undated += len(unknown)
            if unknown:
                undated[actor.id] = unknown
        if role_ok and country_ok:
            out.append(actor)
    unjudged = []
    if country and with_country < candidates:
        unjudged.append(Unjudged("country", with_country, candidates, "people and states"))
    if roles_undated:
        unjudged.append(Unjudged("role dates", roles_total - roles_undated, roles_total, "roles"))
    return ActorAnswer(out, near, unjudged, undated)


def filter_actors(kb: QuerySource, criteria: ActorFilter) -> list[Any]:
    """The actors of `find_actors`."""
    return find_actors(kb, criteria).actors


# --- resolutions ----------------------------------------------------------------------------


@dataclass
class ResolutionFilter:
    forum: str | None = None
    session: str | None = None
    since: PartialDate | None = None
    until: PartialDate | None = None
    sponsors: list[str] = field(default_factory=list)
    """Actor ids; a resolution must have all of them among its sponsors."""
    adopted: str | None = None
    """`vote` or `without-vote`."""
    tags: list[str] = field(default_factory=list)
    text: str | None = None


def filter_resolutions(
    kb: Searchable,
    criteria: ResolutionFilter,
    sort: SortOrder = "date",
    limit: int | None = None,
) -> list[Resolution]:
    """Resolutions matching every criterion, by date (undated last); on the knowledge base
    or on the store (`ResolutionRow`s), except `text`, which the store answers from records."""
    pools = [kb.resolutions_by_sponsor.get(s, []) for s in criteria.sponsors]
    if criteria.forum:
        pools.append(kb.resolutions_by_forum.get(criteria.forum, []))
    pool = min(pools, key=len) if pools else kb.resolutions
    sponsors = set(criteria.sponsors)
    tags = set(criteria.tags)
    session = str(criteria.session).strip() if criteria.session is not None else None
    query = TextQuery.parse(criteria.text, "--text") if criteria.text else None
    found = []
    for resolution in pool:
        if criteria.forum and resolution.forum != criteria.forum:
            continue
        if session is not None and str(resolution.session) != session:
            continue
        if sponsors and not sponsors.issubset(resolution.sponsors):
            continue
        if criteria.adopted and adoption_method(resolution) != criteria.adopted:
            continue
        if tags and not tags.issubset(resolution.tags):
            continue
        if not date_overlaps(resolution.date, criteria.since, criteria.until):
            continue
        if query is not None and not kb.text_holds(resolution, query):
            continue
        found.append(resolution)
    if sort == "-date":
        dated = [r for r in found if r.date is not None]
        found = dated[::-1] + [r for r in found if r.date is None]
    return found[:limit] if limit is not None else found


def adoption_method(resolution: Any) -> str | None:
    """`vote` or `without-vote`, if recorded (of a resolution or a resolution row)."""
    adoption = resolution.adoption
    return (
        None
        if adoption is None
        else str(adoption.method.value if isinstance(adoption.method, Enum) else adoption.method)
    )


def vote_counts(resolution: Any) -> tuple[int | None, int | None, int | None] | None:
    """(yes, no, abstain) when adopted by a vote, each None if not known."""
    adoption = resolution.adoption
    if adoption_method(resolution) != "vote":
        return None
    return (adoption.yes, adoption.no, adoption.abstain)


def unjudged_resolutions(kb: Searchable, criteria: ResolutionFilter) -> list[Unjudged]:
    """For each filter testing a field that only some resolutions carry (forum, session,
    date, sponsors, adoption method), how many of the resolutions passing every other
    filter carry it, when some do not: those could not be judged."""
    session = str(criteria.session).strip() if criteria.session is not None else None
    sponsors = set(criteria.sponsors)
    tests: list[tuple[str, Callable[[Any], bool], Callable[[Any], bool]]] = []
    if criteria.forum:
        tests.append(("forum", lambda r: r.forum is not None, lambda r: r.forum == criteria.forum))
    if session is not None:
        tests.append(
            ("session", lambda r: r.session is not None, lambda r: str(r.session) == session)
        )
    if criteria.since or criteria.until:
        tests.append(
            (
                "date",
                lambda r: r.date is not None,
                lambda r: date_overlaps(r.date, criteria.since, criteria.until),
            )
        )
    if sponsors:
        tests.append(
            ("sponsors", lambda r: bool(r.sponsors), lambda r: sponsors.issubset(r.sponsors))
        )
    if criteria.adopted:
        tests.append(
            (
                "adoption method",
                lambda r: r.adoption is not None,
                lambda r: adoption_method(r) == criteria.adopted,
            )
        )
    if not tests:
        return []
    rest = replace(
        criteria, forum=None, session=None, since=None, until=None, sponsors=[], adopted=None
    )
    pool = filter_resolutions(kb, rest)
    out = []
    for name, has, _ok in tests:
        others = [t for t in tests if t[0] != name]
        candidates = [r for r in pool if all(test(r) for _n, _h, test in others)]
        known = sum(1 for r in candidates if has(r))
        if known < len(candidates):
            out.append(Unjudged(name, known, len(candidates), "resolutions"))
    return out


# --- show -----------------------------------------------------------------------------------


@dataclass
class Backlinks:
    """A record (or a forum) with everything that points at it, grouped."""

    record: Record | Forum
    record_type: str
    """`actor`, `event`, `resolution`, `source` or `forum`."""
    events: list[Event] = field(default_factory=list)
    """Events that name it (as participant, resolution or forum), by date."""
    resolutions: list[Resolution] = field(default_factory=list)
    """Resolutions that name it (as sponsor, forum, or the resolution they follow)."""
    actors: list[Actor] = field(default_factory=list)
    """Actors holding a role in it."""
    cited_by: list[Record] = field(default_factory=list)
    """Records citing it (for sources)."""
    match: NameMatch | None = None
    """How a name was resolved, when it was not an exact id."""

    @property
    def id(self) -> str:
        if self.record_type == "forum":
            return self.record.code  # type: ignore[union-attr]
        return self.record.id  # type: ignore[union-attr]


def find_record(kb: Showable, text: str) -> tuple[Record | Forum, NameMatch | None]:
    """A record by id, a resolution by symbol, a forum by code, or an actor by name."""
    record = kb.get(text) or kb.get(text.strip().lower())
    if record is not None:
        return record, None
    if text.strip().upper() in kb.forum_by_code:
        return kb.forum_by_code[text.strip().upper()], None
    resolution = kb.resolution_by_symbol(normalize(text))
    if resolution is not None:
        return resolution, None
    try:
        match = resolve_actor(kb, text)
    except UnknownName as exc:
        try:
            forum = resolve_forum(kb, text)
        except UsageError:
            raise UnknownName("record", text, exc.suggestions) from None
        return kb.forum_by_code[forum.id], forum
    actor = kb.get(match.id)
    assert actor is not None
    return actor, match


def backlinks(kb: Showable, text: str) -> Backlinks:
    """`dprkhr show`: the record a text stands for and everything pointing at it (from
    the knowledge base, or from the store, which rebuilds just these records)."""
    from dprkhr.models import Actor, Event, Forum, Resolution

    record, match = find_record(kb, text)
    if isinstance(record, Forum):
        return Backlinks(
            record,
            "forum",
            events=kb.forum_events(record.code),
            resolutions=kb.forum_resolutions(record.code),
            match=match if match is not None and not match.exact else None,
        )
    result = Backlinks(
        record, record.record_type, match=match if match and not match.exact else None
    )
    seen: set[tuple[str, str]] = set()
    for link in kb.pointing_at(record.id):
        source = kb.get(link.source_id)
        if source is None:
            continue
        group = "cited_by" if link.field == "sources" else source.record_type
        if (group, source.id) in seen:
            continue
        seen.add((group, source.id))
        if group == "cited_by":
            result.cited_by.append(source)
        elif isinstance(source, Event):
            result.events.append(source)
        elif isinstance(source, Resolution):
            result.resolutions.append(source)
        elif isinstance(source, Actor):
            result.actors.append(source)
    result.events.sort(key=kb.position)
    result.resolutions.sort(key=kb.position)
    result.actors.sort(key=lambda a: normalize(a.name))
    result.cited_by.sort(key=lambda r: (r.record_type, r.id))
    return result


# --- timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A forum's silence: none of its own activity on the subject (see `counts_as_activity`)
    from `start` to `end`, the part of the silence inside the period asked about."""

    forum: str
    start: dt.date
    """First day of the silence shown: the last day of the forum's last activity, or the
    start of the period (`--since`, or the day the forum was established)."""
    end: dt.date
    """Last day shown: the first day of its next activity, or the end of the period
    (`--until`, the day the forum was abolished, or today)."""
    months: int
    """Whole months from `start` to `end` (to the end of `end` when it is the end of the
    period: `--until 2022` from 2018 is 60 months)."""
    after: PartialDate | None
    """Date of the forum's last activity before the silence (perhaps before the period);
    None when none is recorded."""
    before: PartialDate | None
    """Date of its first activity after the silence (perhaps after the period); None when
    none is recorded: the forum has been silent since."""


@dataclass
class Timeline:
    items: list[Event | Resolution]
    """Events and resolutions in date order."""
    gaps: list[Gap] = field(default_factory=list)
    undated: list[Resolution] = field(default_factory=list)
    """Resolutions passing every filter but the dates, that record no date: a timeline
    has no place for them (nor can `--since`/`--until` judge them)."""

    def by_year(self) -> list[tuple[int, list[Event | Resolution]]]:
        years: dict[int, list[Event | Resolution]] = {}
        for item in self.items:
            assert item.date is not None
            years.setdefault(item.date.year, []).append(item)
        return list(years.items())


def months_between(first: dt.date, second: dt.date) -> int:
    """Whole months from `first` to `second`."""
    months = (second.year - first.year) * 12 + (second.month - first.month)
    if second.day < first.day:
        months -= 1
    return max(months, 0)


def _item_key(item: Event | Resolution) -> tuple[dt.date, dt.date, int, str]:
    assert item.date is not None
    return (item.date.start, item.date.end, 0 if item.record_type == "resolution" else 1, item.id)


def _timeline_items(kb: Searchable, criteria: EventFilter) -> list[Event | Resolution]:
    """The events and the dated resolutions passing the filter (`select`), in date
    order."""
    events, resolutions = select(kb, criteria)
    return sorted([*events, *(r for r in resolutions if r.date is not None)], key=_item_key)


@dataclass(frozen=True)
class Activity:
    """What counts as a forum's own activity on the subject when `timeline --gaps` looks
    for silences, from the vocabularies: events of a type with `activity: true`
    (data/event-types.yaml) and resolutions, except records carrying a tag with
    `activity: false` (data/tags.yaml: sanctions). A type or tag the user filtered on
    (`--type`, `--tag`) counts: the filters say what the user is looking at."""

    types: frozenset[str]
    excluded_tags: frozenset[str]

    @classmethod
    def of(cls, kb: Searchable, criteria: EventFilter | None = None) -> Activity:
        asked_types = set(criteria.types) if criteria else set()
        asked_tags = set(criteria.tags) if criteria else set()
        return cls(
            frozenset({t.id for t in kb.event_types if t.activity} | asked_types),
            frozenset({t.id for t in kb.tags if not t.activity} - asked_tags),
        )

    def counts(self, item: Event | Resolution) -> bool:
        if not item.forum or item.date is None:
            return False
        if item.record_type == "event" and item.type not in self.types:  # type: ignore[union-attr]
            return False
        return not self.excluded_tags.intersection(item.tags)


def timeline(
    kb: Searchable,
    criteria: EventFilter,
    gaps: int | None = None,
    sort: SortOrder = "date",
    today: dt.date | None = None,
) -> Timeline:
    """Events matching `criteria` with the resolutions that fit the same filters
    interleaved (a resolution "involves" its sponsors; `--type` selects events only, so
    no resolution passes it), and, with `gaps`, every silence longer than that many
    months of each forum, within the period asked (`--since` to `--until`, or to
    `today`): a forum is silent while none of the records matching the filters (dates
    aside) is its own activity (`Activity`)."""
    items = _timeline_items(kb, criteria)
    dateless = replace(criteria, since=None, until=None)
    no_date = undated_resolutions(kb, criteria)
    found: list[Gap] = []
    if gaps is not None:
        today = today or dt.date.today()
        everything = _timeline_items(kb, dateless) if criteria.since or criteria.until else items
        activity = Activity.of(kb, criteria)
        end = today if criteria.until is None else min(criteria.until.end, today)
        found = find_gaps(
            [item for item in everything if activity.counts(item)],
            gaps,
            start=criteria.since.start if criteria.since else None,
            end=end,
            forums=criteria.forums,
            lifetimes={f.code: (f.established, f.abolished) for f in kb.forums},
        )
    if sort == "-date":
        items.reverse()
        found.reverse()
    return Timeline(items, found, no_date)


Lifetime = tuple[PartialDate | None, PartialDate | None]


def find_gaps(
    items: Sequence[Event | Resolution],
    months: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    forums: Sequence[str] = (),
    lifetimes: dict[str, Lifetime] | None = None,
) -> list[Gap]:
    """Silences longer than `months` of each forum in `items` (and of each of `forums`,
    even without items), in date order of the silence.

    Every item is taken as activity. Only the part of a silence between `start` and
    `end` is counted and shown; without `start` a forum's silences begin at its first
    item (a forum of `forums` without any item is silent from its establishment), without
    `end` they end at its last. A forum's `lifetimes` (established,
    abolished) narrow its period: a body is not silent before it exists or after it is
    gone.
    """
    spans: dict[str, list[tuple[dt.date, dt.date, PartialDate]]] = {f: [] for f in forums}
    for item in sorted(items, key=_item_key):
        if not item.forum or item.date is None:
            continue
        last = item.date.end
        if item.record_type == "event" and item.end_date is not None:  # type: ignore[union-attr]
            last = max(last, item.end_date.end)  # type: ignore[union-attr]
        spans.setdefault(item.forum, []).append((item.date.start, last, item.date))
    found: list[Gap] = []
    for forum, dated in spans.items():
        established, abolished = (lifetimes or {}).get(forum, (None, None))
        lo = start
        if lo is not None and established is not None:
            lo = max(lo, established.start)
        elif lo is None and not dated and established is not None:
            lo = established.start  # no activity of its own at all: silent since it exists
        hi = end
        if hi is not None and abolished is not None:
            hi = min(hi, abolished.end)
        # the silences between activities, and before the first and after the last
        previous: PartialDate | None = None
        silent_from: dt.date | None = None
        intervals: list[tuple[dt.date | None, dt.date | None, PartialDate | None, Any]] = []
        for first, last, date in dated:
            if previous is None or silent_from is None or first > silent_from:
                intervals.append((silent_from, first, previous, date))
            if silent_from is None or last >= silent_from:
                silent_from, previous = last, date
        intervals.append((silent_from, None, previous, None))
        for begin, finish, after, before in intervals:
            shown_start = begin if lo is None else (lo if begin is None else max(begin, lo))
            shown_end = finish if hi is None else (hi if finish is None else min(finish, hi))
            if shown_start is None or shown_end is None or shown_end <= shown_start:
                continue
            # a period's end (`--until`, abolition, today) is a day that counts in full
            to_period_end = finish is None or (hi is not None and finish > hi)
            silent = months_between(
                shown_start, shown_end + dt.timedelta(days=1) if to_period_end else shown_end
            )
            if silent > months:
                found.append(Gap(forum, shown_start, shown_end, silent, after, before))
    found.sort(key=lambda g: (g.start, g.forum))
    return found


# --- related --------------------------------------------------------------------------------


@dataclass
class Related:
    actor: Actor | ActorRow
    events: list[Event] | list[EventRow]
    """The events both took part in, by date."""

    @property
    def count(self) -> int:
        return len(self.events)


def related(kb: Searchable, actor_id: str, limit: int | None = None) -> list[Related]:
    """Actors who share events with this one, most shared events first (on the knowledge
    base, or on the store with `ActorRow`s and `EventRow`s)."""
    shared: dict[str, list[Any]] = {}
    for event in kb.events_by_actor.get(actor_id, []):
        for other in dict.fromkeys(p.actor for p in event.participants):
            if other != actor_id:
                shared.setdefault(other, []).append(event)
    out = [Related(actor, events) for other, events in shared.items() if (actor := kb.actor(other))]
    out.sort(key=lambda r: (-r.count, normalize(r.actor.name), r.actor.id))
    return out[:limit] if limit is not None else out


# --- stats ----------------------------------------------------------------------------------


@dataclass
class Stats:
    records: dict[str, int]
    """Count by record type."""
    events_by_forum: dict[str, int]
    resolutions_by_forum: dict[str, int]
    by_year: dict[int, dict[str, int]]
    """Per year: events and resolutions."""
    event_types: dict[str, int]
    cited: dict[str, float]
    """Per record type that must cite (actor, event, resolution): share with a citation."""
    quoted: dict[str, float]
    """...and the share with at least one quote."""
    failed_files: int = 0


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


class Facts(NamedTuple):
    """What `stats` counts of one record (`QuerySource.facts`)."""

    forum: str | None
    type: str | None
    """An event's type."""
    year: int | None
    """The year its date starts (events and resolutions)."""
    cited: bool
    quoted: bool
    """Cites a source with a quote."""


def facts_of(record: Record) -> Facts:
    date = getattr(record, "date", None)
    cited = record.citations()
    return Facts(
        getattr(record, "forum", None),
        getattr(record, "type", None) if record.record_type == "event" else None,
        None if date is None else date.year,
        bool(cited),
        any(c.quote for c in cited),
    )


def stats(kb: QuerySource, criteria: EventFilter | None = None) -> Stats:
    """Counts by record type, forum, year and event type; citation coverage. With an
    active filter, of the events and resolutions it selects (`select`) only."""
    kinds: tuple[str, ...] = ("actor", "event", "resolution")
    filtered = criteria is not None and criteria.active
    if filtered:
        assert criteria is not None
        kinds = ("event", "resolution")
        events, resolutions = select(kb, criteria)
        facts = {
            "event": kb.facts("event", events),
            "resolution": kb.facts("resolution", resolutions),
        }
    else:
        facts = {kind: kb.facts(kind) for kind in kinds}
    sizes = {kind: facts[kind].total() for kind in kinds}
    records = {kind: sizes[kind] for kind in ("event", "resolution")}
    if not filtered:
        records = {"actor": sizes["actor"], **records, "source": kb.facts("source").total()}
    by_year: dict[int, dict[str, int]] = {}
    for kind in ("event", "resolution"):
        for fact, n in facts[kind].items():
            if fact.year is not None:
                year = by_year.setdefault(fact.year, {"event": 0, "resolution": 0})
                year[kind] += n
    cited = {k: _share(sum(n for f, n in facts[k].items() if f.cited), sizes[k]) for k in kinds}
    quoted = {k: _share(sum(n for f, n in facts[k].items() if f.quoted), sizes[k]) for k in kinds}

    def count(kind: str, value: Callable[[Facts], str | None]) -> dict[str, int]:
        counter: Counter[str] = Counter()
        for fact, n in facts[kind].items():
            counter[value(fact) or "(none)"] += n
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    return Stats(
        records=records,
        events_by_forum=count("event", lambda f: f.forum),
        resolutions_by_forum=count("resolution", lambda f: f.forum),
        by_year=dict(sorted(by_year.items())),
        event_types=count("event", lambda f: f.type),
        cited=cited,
        quoted=quoted,
        failed_files=kb.failed_files,
    )


# --- counts by year, forum, type, tag ------------------------------------------------------

DIMENSIONS = ("year", "forum", "type", "tag")
NONE = "(none)"
UNDATED = "(undated)"


@dataclass
class Breakdown:
    """`stats --by`: events and resolutions counted by one or two dimensions."""

    by: list[str]
    """The dimensions, in the order asked (`year`, `forum`, `type`, `tag`)."""
    rows: list[dict[str, Any]]
    """One per combination of values, every combination of the values seen (zeros
    included, and every year between the first and the last, or of `--since` and
    `--until` when given): the values by dimension name, then `events`, `resolutions`
    and `total`."""
    tags: list[str] = field(default_factory=list)
    """With `--by tag` and `--tag`: the tags counted (not a filter: see `breakdown`)."""

    def values(self, dimension: str) -> list[Any]:
        """The values of a dimension, in row order."""
        return list(dict.fromkeys(row[dimension] for row in self.rows))


def _values(record: Any, dimension: str, tags: Sequence[str]) -> list[Any]:
    if dimension == "year":
        return [record.date.year if record.date is not None else UNDATED]
    if dimension == "forum":
        return [record.forum or NONE]
    if dimension == "type":
        return [record.type if record.record_type == "event" else "resolution"]
    if tags:
        return [t for t in tags if t in record.tags]
    return list(dict.fromkeys(record.tags)) or [NONE]


def _ordered(
    dimension: str, totals: Counter[Any], tags: Sequence[str], criteria: EventFilter
) -> list[Any]:
    if dimension == "year":
        years = sorted(v for v in totals if isinstance(v, int))
        if criteria.since is not None:
            years.insert(0, criteria.since.year)
        if criteria.until is not None:
            years.append(criteria.until.year)
        years.sort()
        filled: list[Any] = list(range(years[0], years[-1] + 1)) if years else []
        return filled + ([UNDATED] if UNDATED in totals else [])
    if dimension == "tag" and tags:
        return list(tags)
    named = sorted((v for v in totals if v != NONE), key=lambda v: (-totals[v], v))
    return named + ([NONE] if NONE in totals else [])


def breakdown(kb: Searchable, criteria: EventFilter, by: Sequence[str]) -> Breakdown:
    """Count the events and resolutions the filter selects (`select`) by one or two
    dimensions: `year` (of the start date; undated resolutions apart), `forum`, `type`
    (an event's type; a resolution's is `resolution`) and `tag` (a record counts under
    each of its tags, so a column of tags adds up to more than the records; untagged
    ones under `(none)`).

    With `tag` among the dimensions, the filter's tags are not a filter ("carrying all
    of them") but the tags to count: `--by year --by tag --tag accountability --tag
    engagement` counts, year by year, the records carrying each of the two (a record
    carrying both counts in both), and leaves out records carrying neither.
    """
    by = list(by)
    if not 1 <= len(by) <= 2 or len(set(by)) != len(by):
        raise UsageError("--by takes one or two different dimensions: year, forum, type, tag")
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise UsageError(f"--by {unknown[0]}: use year, forum, type or tag")
    tags: list[str] = []
    if "tag" in by and criteria.tags:
        from dataclasses import replace

        tags = list(criteria.tags)
        criteria = replace(criteria, tags=[])
    events, resolutions = select(kb, criteria)
    counts: dict[tuple[Any, ...], Counter[str]] = {}
    totals: list[Counter[Any]] = [Counter() for _ in by]
    for record in (*events, *resolutions):
        keys: list[tuple[Any, ...]] = [()]
        for dimension in by:
            keys = [(*k, v) for k in keys for v in _values(record, dimension, tags)]
        for key in keys:
            counts.setdefault(key, Counter())[record.record_type] += 1
            for i, value in enumerate(key):
                totals[i][value] += 1
    axes = [_ordered(d, totals[i], tags, criteria) for i, d in enumerate(by)]
    combos: list[tuple[Any, ...]] = [()]
    for axis in axes:
        combos = [(*c, v) for c in combos for v in axis]
    rows = []
    for combo in combos:
        counted = counts.get(combo, Counter())
        row: dict[str, Any] = dict(zip(by, combo, strict=True))
        row["events"] = counted["event"]
        row["resolutions"] = counted["resolution"]
        row["total"] = counted["event"] + counted["resolution"]
        rows.append(row)
    return Breakdown(by, rows, tags)
