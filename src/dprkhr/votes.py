"""Votes and voices: how each state voted on, sponsored, dissociated from and spoke about
each DPRK resolution (and each recorded `vote` event), read from the loaded records.

Pure functions over a `QuerySource` (the store, or the knowledge base in memory), which
gives every ballot as plain data (`ballot_data`): nothing is printed, nothing exits. The
CLI (`dprkhr votes`) renders what they return.

What a record says about one state's vote is one of `POSITIONS`:

- `yes`, `no`, `abstain`, `absent`: the roll call names it so;
- `dissociated`: it dissociated itself from an adoption without a vote;
- `without-vote`: the resolution was adopted without a vote and the state is not named
  as dissociating ("no recorded vote");
- `not-recorded`: a recorded vote whose roll is partial (or known only from the event's
  participant roles) and does not name the state;
- `no-roll`: a recorded vote with no roll call at all;
- `not-in-roll`: a complete roll that does not name the state (it did not vote: not a
  member of the body then);
- `unknown`: the record does not say how it was adopted;
- `non-voter`: an actor that is not a state (the European Union) and that no roll names:
  it takes no part in the vote (its sponsorships and statements still count).

`not-recorded`, `no-roll` and `unknown` are what we do not know; they are never taken
for a change of position.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from dprkhr.dates import PartialDate
from dprkhr.models import POSITIONS as ROLL_POSITIONS
from dprkhr.models import ROLE_POSITIONS, Event, Resolution
from dprkhr.models.resolution import roll_source_ids
from dprkhr.names import normalize

if TYPE_CHECKING:
    from dprkhr.query import QuerySource

VOTED = ROLL_POSITIONS
"""Positions a roll call records: yes, no, abstain, absent."""
KNOWN = (*VOTED, "dissociated", "without-vote", "not-in-roll", "non-voter")
"""Positions that say something about the state."""
UNKNOWN = ("not-recorded", "no-roll", "unknown")
"""Positions that say the record does not know."""
POSITIONS = (*KNOWN, *UNKNOWN)

LABELS = {
    "yes": "yes",
    "no": "no",
    "abstain": "abstained",
    "absent": "absent",
    "dissociated": "dissociated",
    "without-vote": "no recorded vote",
    "not-in-roll": "not in the roll",
    "non-voter": "does not vote",
    "not-recorded": "not recorded",
    "no-roll": "no roll recorded",
    "unknown": "adoption unknown",
}
"""How each position reads in a table."""

CELLS = {
    "yes": "Y",
    "no": "N",
    "abstain": "A",
    "absent": "X",
    "dissociated": "D",
    "without-vote": "",
    "not-in-roll": "",
    "non-voter": "",
    "not-recorded": "?",
    "no-roll": "?",
    "unknown": "?",
}
"""A position as one matrix cell (see `LEGEND`)."""

SPONSOR_CELLS = {"lead": "L", "co-sponsor": "C", "sponsor": "S"}

LEGEND = {
    "Y": "voted yes",
    "N": "voted no",
    "A": "abstained",
    "X": "absent or non-voting, as the roll lists it",
    "D": "dissociated itself from an adoption without a vote",
    "L": "lead sponsor",
    "C": "co-sponsor",
    "S": "sponsor (role not recorded)",
    "?": "not recorded: a recorded vote whose roll is partial or missing does not name "
    "the state (or the adoption itself is not recorded)",
    "": "no vote: adopted without a vote (and not recorded as dissociating), or a "
    "complete roll that does not name the state (not a voting member)",
}
"""The matrix legend: a cell is a vote code, then `+` and a sponsor code when it
sponsored (`Y+L`); blank and `?` differ: blank is no vote, `?` is not recorded."""


SPEAKING_ROLES = ("speaker", "on-behalf-of")


@dataclass(frozen=True)
class AdoptionFacts:
    """How a ballot was adopted, as `models.resolution.Adoption` records it (the method and
    the roll kind as their text)."""

    method: str
    yes: int | None
    no: int | None
    abstain: int | None
    roll: str | None
    """`complete`, `partial` or None."""
    roll_source: str | list[str] | None
    votes: list[tuple[str, list[str]]] | None
    """The roll call's groups (`Votes.groups`), None when no roll is given."""
    dissociated: list[str]

    def roll_sources(self) -> list[str]:
        """The ids of the sources that name the voters (none when no roll is given)."""
        return roll_source_ids(self.roll_source)


def ballot_data(record: Resolution | Event) -> dict[str, Any] | None:
    """What `votes` reads of a record, as plain (JSON) data: every resolution, and every
    event that records a vote (an `adoption` block, or participants by how they voted);
    None for another event. The store keeps it (`dprkhr.storequery`), the knowledge base
    derives it on demand; `Ballot.of` reads it."""
    is_resolution = isinstance(record, Resolution)
    roles: dict[str, str] = {}
    if isinstance(record, Event):
        for p in record.participants:
            position = ROLE_POSITIONS.get((p.role or "").strip().lower())
            if position is not None:
                roles.setdefault(p.actor, position)
    adoption = record.adoption
    if not is_resolution and adoption is None and not roles:
        return None
    return {
        "kind": record.record_type,
        "id": record.id,
        "date": None if record.date is None else str(record.date),
        "forum": record.forum,
        "symbol": record.symbol if isinstance(record, Resolution) else None,
        "title": record.title or (record.summary or "" if isinstance(record, Resolution) else ""),
        "resolutions": [record.id] if isinstance(record, Resolution) else list(record.resolutions),
        "follows": record.follows if isinstance(record, Resolution) else None,
        "adoption": None
        if adoption is None
        else {
            "method": adoption.method.value,
            "yes": adoption.yes,
            "no": adoption.no,
            "abstain": adoption.abstain,
            "roll": None if adoption.roll is None else adoption.roll.value,
            "roll_source": adoption.roll_source,
            "votes": None if adoption.votes is None else adoption.votes.groups(),
            "dissociated": list(adoption.dissociated),
        },
        "sponsors": [[str(s), getattr(s, "role", None)] for s in record.sponsors]
        if isinstance(record, Resolution)
        else [],
        "roles": roles,
    }


@dataclass(eq=False)
class Ballot:
    """A record that was voted on (or adopted without a vote): a resolution, or a `vote`
    event with an adoption block or participants recorded by how they voted; read from
    `ballot_data`."""

    kind: str
    id: str
    date: PartialDate | None
    forum: str | None
    symbol: str | None
    title: str
    resolutions: list[str]
    """The resolution itself, or those a vote event concerns."""
    follows: str | None
    adoption: AdoptionFacts | None
    sponsors: list[tuple[str, str | None]]
    """(actor id, `lead`, `co-sponsor` or None: role not recorded)."""
    roles: dict[str, str]
    """For a vote event: actor id -> position, from participant roles."""

    @classmethod
    def of(cls, data: dict[str, Any]) -> Ballot:
        adoption = data["adoption"]
        return cls(
            data["kind"],
            data["id"],
            None if data["date"] is None else PartialDate(data["date"]),
            data["forum"],
            data["symbol"],
            data["title"],
            list(data["resolutions"]),
            data["follows"],
            None
            if adoption is None
            else AdoptionFacts(
                adoption["method"],
                adoption["yes"],
                adoption["no"],
                adoption["abstain"],
                adoption["roll"],
                adoption["roll_source"],
                None
                if adoption["votes"] is None
                else [(position, list(ids)) for position, ids in adoption["votes"]],
                list(adoption["dissociated"]),
            ),
            [(actor, role) for actor, role in data["sponsors"]],
            dict(data["roles"]),
        )

    @property
    def label(self) -> str:
        """The symbol, else the id."""
        return self.symbol or self.id

    def role_positions(self) -> dict[str, str]:
        """For a vote event: actor id -> position, from participant roles."""
        return self.roles

    @cached_property
    def _in_roll(self) -> dict[str, str]:
        """Actor id -> the first group of the roll call naming it."""
        adoption = self.adoption
        out: dict[str, str] = {}
        if adoption is not None and adoption.votes is not None:
            for position, ids in adoption.votes:
                for actor_id in ids:
                    out.setdefault(actor_id, position)
        return out

    @cached_property
    def _dissociated(self) -> frozenset[str]:
        adoption = self.adoption
        return frozenset(adoption.dissociated) if adoption is not None else frozenset()

    @cached_property
    def _sponsors(self) -> dict[str, str]:
        """Actor id -> `lead`, `co-sponsor` or `sponsor` (role not recorded)."""
        out: dict[str, str] = {}
        for sponsor, role in self.sponsors:
            out.setdefault(sponsor, role or "sponsor")
        return out

    def roll(self) -> str | None:
        """`complete`, `partial`, `roles` (only participant roles name voters) or None."""
        adoption = self.adoption
        if adoption is not None and adoption.votes is not None and adoption.roll is not None:
            return adoption.roll
        if self.roles:
            return "roles"
        return None

    def position(self, actor_id: str, state: bool = True) -> str:
        """How the record says the actor voted: one of `POSITIONS`. An actor that is not
        a `state` (pass `state=False`) and that no roll names is a `non-voter`."""
        found = self._position(actor_id)
        if not state and found in (*UNKNOWN, "without-vote", "not-in-roll"):
            return "non-voter"
        return found

    def _position(self, actor_id: str) -> str:
        adoption = self.adoption
        by_role = self.roles.get(actor_id)
        if actor_id in self._dissociated:
            return "dissociated"
        if adoption is None:
            if by_role is not None:
                return by_role
            return "unknown"
        if adoption.method == "without-vote":
            return "dissociated" if by_role == "dissociated" else "without-vote"
        if adoption.votes is not None:
            named = self._in_roll.get(actor_id)
            if named is not None:
                return named
            if by_role is not None:
                return by_role
            return "not-in-roll" if adoption.roll == "complete" else "not-recorded"
        if by_role is not None:
            return by_role
        return "not-recorded" if self.roles else "no-roll"

    def sponsor_role(self, actor_id: str) -> str | None:
        """`lead`, `co-sponsor` or `sponsor` (role not recorded) if the actor sponsored
        the resolution; None otherwise."""
        return self._sponsors.get(actor_id)


def ballots(kb: QuerySource) -> list[Ballot]:
    """Every resolution, and every event that records a vote: an `adoption` block (a
    `vote` event: a Third Committee vote, a Security Council procedural vote), or
    participants by how they voted (`voted-against`, `abstained`...); in date order,
    undated last."""
    found = [Ballot.of(data) for data in kb.ballot_data()]
    resolutions = {b.id: b for b in found if b.kind == "resolution"}
    found = [b for b in found if not _restates_its_resolution(resolutions, b)]
    return sorted(found, key=_order)


def _restates_its_resolution(resolutions: dict[str, Ballot], event: Ballot) -> bool:
    """A vote event that only names voters by role and is linked to one resolution of its
    own forum and date (or year), which records its adoption: the same vote, told twice.
    Listing both would show one vote as two ballots; the resolution's roll is what counts
    (DPK316 keeps the event's roles in agreement with it)."""
    if event.kind != "event" or event.adoption is not None:
        return False
    if len(event.resolutions) != 1 or event.date is None:
        return False
    resolution = resolutions.get(event.resolutions[0])
    if resolution is None or resolution.adoption is None:
        return False
    if resolution.forum != event.forum or resolution.date is None:
        return False
    return str(resolution.date)[:4] == str(event.date)[:4] and (
        resolution.date.start <= event.date.end and event.date.start <= resolution.date.end
    )


def _order(ballot: Ballot) -> tuple[Any, ...]:
    date = ballot.date
    if date is None:
        return (1, "", "", ballot.kind != "resolution", ballot.id)
    return (0, date.start, date.end, ballot.kind != "resolution", ballot.id)


@dataclass(frozen=True)
class Selection:
    """Which ballots a question is about: forums (any of them) and dates (overlapping)."""

    forums: Sequence[str] = ()
    since: PartialDate | None = None
    until: PartialDate | None = None

    def keeps(self, ballot: Ballot) -> bool:
        if self.forums and ballot.forum not in self.forums:
            return False
        if self.since is None and self.until is None:
            return True
        return ballot.date is not None and ballot.date.overlaps(self.since, self.until)

    def undated(self, found: Iterable[Ballot]) -> list[Ballot]:
        """The ballots passing the forum filter that --since/--until cannot judge."""
        if self.since is None and self.until is None:
            return []
        return [b for b in found if b.date is None and (not self.forums or b.forum in self.forums)]


def statements(kb: QuerySource, actor_id: str | None = None) -> dict[str, list[Any]]:
    """Resolution id -> the `statement` events linked to it, and, for a statement linked
    to no resolution, `FORUM@DATE` -> the statements made in that forum that day (a
    vote event's debate: a Security Council procedural vote has no resolution); only
    those where `actor_id`, if given, is the speaker or the one spoken for
    (`on-behalf-of`); in date order. Events are records, or the store's `EventRow`s."""
    out: dict[str, list[Any]] = {}
    for event in kb.statement_events(actor_id):
        if actor_id is not None and not any(
            p.actor == actor_id and (p.role or "").strip().lower() in SPEAKING_ROLES
            for p in event.participants
        ):
            continue
        keys = list(dict.fromkeys(event.resolutions))
        if not keys and event.forum:
            keys = [f"{event.forum}@{event.date}"]
        for key in keys:
            out.setdefault(key, []).append(event)
    for events in out.values():
        events.sort(key=lambda e: (e.date.start, e.date.end, e.id))
    return out


def debate(ballot: Ballot, spoken: dict[str, list[Any]]) -> list[Any]:
    """The statements on a ballot: for a resolution, those linked to it; for a vote
    event, those linked to no resolution made in its forum on its day."""
    if ballot.kind == "resolution":
        return list(spoken.get(ballot.id, []))
    if ballot.forum is None or ballot.date is None:
        return []
    return list(spoken.get(f"{ballot.forum}@{ballot.date}", []))


# --- one state across every resolution ---------------------------------------------------


@dataclass(frozen=True)
class StateRow:
    """One ballot as it concerns one state."""

    ballot: Ballot
    position: str
    sponsor: str | None
    statements: list[Any]

    @property
    def dissociated(self) -> bool:
        return self.position == "dissociated"


@dataclass(frozen=True)
class StateRecord:
    actor: Any
    """The actor record, or the store's `ActorRow`."""
    rows: list[StateRow]
    undated: list[Ballot] = field(default_factory=list)
    """Ballots that --since/--until could not judge (no date)."""


def state_record(kb: QuerySource, actor_id: str, selection: Selection) -> StateRecord:
    """The state's record across every selected ballot, in date order."""
    actor = kb.actor(actor_id)
    if actor is None:
        raise KeyError(actor_id)
    is_state = actor.kind == "state"
    spoken = statements(kb, actor_id)
    everything = ballots(kb)
    rows = [
        StateRow(
            ballot,
            ballot.position(actor_id, is_state),
            ballot.sponsor_role(actor_id),
            debate(ballot, spoken),
        )
        for ballot in everything
        if selection.keeps(ballot)
    ]
    return StateRecord(actor, rows, selection.undated(everything))


# --- one resolution's roll call ----------------------------------------------------------


@dataclass(frozen=True)
class RollCall:
    ballot: Ballot
    groups: list[tuple[str, list[str]]]
    """(position, actor ids) for each group the record gives, in yes/no/abstain/absent
    order; a group the page does not name is absent from the list."""
    sponsors: list[tuple[str, str | None]]
    """(actor id, role or None)."""
    dissociated: list[str]
    statements: list[Any]
    role_positions: dict[str, str]
    """For a vote event without a roll: actor -> position from participant roles."""

    @property
    def roll(self) -> str | None:
        return self.ballot.roll()

    def counts(self) -> dict[str, int | None]:
        adoption = self.ballot.adoption
        if adoption is None:
            return {}
        return {"yes": adoption.yes, "no": adoption.no, "abstain": adoption.abstain}

    def missing(self) -> list[tuple[str, int | None, int]]:
        """For a partial roll: (position, count, named) of each group not fully named."""
        if self.roll not in ("partial", "roles"):
            return []
        counts = self.counts()
        named = dict(self.groups)
        if self.roll == "roles":
            named = {}
            for actor, position in self.role_positions.items():
                named.setdefault(position, []).append(actor)
        out = []
        for position in ("yes", "no", "abstain"):
            count = counts.get(position)
            have = len(named.get(position, []))
            if count is None or have < count:
                out.append((position, count, have))
        return out


def roll_call(kb: QuerySource, ballot: Ballot) -> RollCall:
    adoption = ballot.adoption
    groups = adoption.votes if adoption is not None and adoption.votes else []
    said = debate(ballot, statements(kb))
    roles = ballot.role_positions() if not groups else {}
    return RollCall(
        ballot,
        groups,
        list(ballot.sponsors),
        list(adoption.dissociated) if adoption is not None else [],
        said,
        roles,
    )


def find_ballot(kb: QuerySource, record_id: str) -> Ballot | None:
    """The ballot of a resolution id, or of a vote event id."""
    found = kb.ballot_data([record_id])
    return Ballot.of(found[0]) if found else None


# --- the matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    columns: list[Ballot]
    """The resolutions, in date order."""
    rows: list[tuple[Any, list[str]]]
    """Each state named in a selected resolution, with one cell per column."""
    left_out: int
    """States (actors of kind state) that no selected resolution names."""
    undated: list[Ballot] = field(default_factory=list)


def cell(ballot: Ballot, actor_id: str, state: bool = True) -> str:
    """One matrix cell: the vote code, and `+` and the sponsor code if it sponsored."""
    vote = CELLS[ballot.position(actor_id, state)]
    role = ballot.sponsor_role(actor_id)
    sponsor = None if role is None else SPONSOR_CELLS.get(role, "S")
    return "+".join(part for part in (vote, sponsor) if part)


def named_in(ballot: Ballot) -> list[str]:
    """Every actor a ballot names: roll, dissociated, sponsors, participant roles."""
    ids: list[str] = []
    adoption = ballot.adoption
    if adoption is not None:
        if adoption.votes is not None:
            ids += [i for _p, group in adoption.votes for i in group]
        ids += adoption.dissociated
    ids += [actor for actor, _role in ballot.sponsors]
    ids += list(ballot.role_positions())
    return list(dict.fromkeys(ids))


def matrix(kb: QuerySource, selection: Selection) -> Matrix:
    """States by resolutions (vote events are not columns: see `state_record`)."""
    everything = [b for b in ballots(kb) if b.kind == "resolution"]
    columns = [b for b in everything if selection.keeps(b)]
    named: dict[str, None] = {}
    for ballot in columns:
        for actor_id in named_in(ballot):
            named.setdefault(actor_id, None)
    actors = [a for a in (kb.actor(i) for i in named) if a is not None]
    actors.sort(key=lambda a: (a.kind != "state", normalize(a.name), a.id))
    kinds = {a.id: a.kind == "state" for a in actors}
    # a column's cells: those of the actors it names, and one for everyone else (a state
    # it does not name, or an actor that does not vote), computed once
    explicit = [{i: cell(b, i, kinds.get(i, True)) for i in named_in(b)} for b in columns]
    unnamed = "\0"  # no actor has this id
    default = [(cell(b, unnamed, False), cell(b, unnamed, True)) for b in columns]
    rows = []
    for a in actors:
        is_state = kinds[a.id]
        rows.append(
            (
                a,
                [
                    cells[a.id] if a.id in cells else other[is_state]
                    for cells, other in zip(explicit, default, strict=True)
                ],
            )
        )
    states = {a.id for a in kb.actor_records() if a.kind == "state"}
    return Matrix(columns, rows, len(states - set(named)), selection.undated(everything))


# --- changes along a series ---------------------------------------------------------------


COMPARABLE = (*VOTED, "dissociated")
"""Positions compared along a series: what a state did, as recorded. `without-vote`
(not named as dissociating), `not-in-roll` and the unknowns are never a change."""


@dataclass(frozen=True)
class Change:
    actor: Any
    before: Ballot
    before_position: str
    after: Ballot
    after_position: str


@dataclass(frozen=True)
class Changes:
    """The changes along the series, and how much could be compared at all."""

    changes: list[Change]
    pairs: int
    """Consecutive pairs of selected resolutions (one `follows` the other)."""
    compared: int
    """(state, pair) comparisons where both positions are recorded."""


def changes(kb: QuerySource, selection: Selection) -> Changes:
    """States whose position differs between consecutive resolutions of a series (a
    resolution and the one it `follows`), both selected; in date order, then by state."""
    by_id = {b.id: b for b in ballots(kb) if b.kind == "resolution"}
    out: list[Change] = []
    pairs = compared = 0
    for after in by_id.values():
        before = by_id.get(after.follows or "")
        if before is None or not (selection.keeps(before) and selection.keeps(after)):
            continue
        pairs += 1
        for actor_id in dict.fromkeys([*named_in(before), *named_in(after)]):
            actor = kb.actor(actor_id)
            if actor is None:
                continue
            is_state = actor.kind == "state"
            old, new = before.position(actor_id, is_state), after.position(actor_id, is_state)
            if old not in COMPARABLE or new not in COMPARABLE:
                continue
            compared += 1
            if old != new:
                out.append(Change(actor, before, old, after, new))
    out.sort(key=lambda c: (_order(c.after), c.actor.name.casefold(), c.actor.id))
    return Changes(out, pairs, compared)
