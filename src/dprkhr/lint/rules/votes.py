"""Roll-call rules (codes 31x): the names behind a recorded vote agree with its counts,
its forum, its sources and the event's participants; only states vote or dissociate."""

from __future__ import annotations

from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.lint.view import SERVED, DatasetView, Placed
from dprkhr.models import ROLE_POSITIONS, Adoption, AdoptionMethod, Event, Resolution, RollKind

_NOUNS = {"yes": "in favour", "no": "against", "abstain": "abstaining", "absent": "absent"}


def _adopted(loaded: LoadedFile) -> tuple[Resolution | Event, Adoption] | None:
    """A resolution or event with an `adoption` block, and the block."""
    record = loaded.record
    if isinstance(record, (Resolution, Event)) and record.adoption is not None:
        return record, record.adoption
    return None


def _states(n: int) -> str:
    return f"{n} state{'' if n == 1 else 's'}"


class RollCounts(Rule):
    """A roll call names as many states as its counts say: in a `complete` roll each
    list (`yes`, `no`, `abstain`) has exactly as many ids as the count beside it (a group
    with a count above 0 cannot be left out); in a `partial` roll no list is longer
    than its count.

    A complete roll that names fewer states than the count is usually a `partial` one:
    the page names only some voters.

    Fails:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 15
          no: 1
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all

    Passes:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all
        # data/actors/china.yaml
        id: china
        name: China
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: roles of China}]
        # data/actors/russia.yaml
        id: russia
        name: Russian Federation
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: Russia}]
    """

    code = "DPK310"
    name = "roll-counts"
    summary = "a roll call names more (or, when complete, fewer) states than its counts"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        found = _adopted(loaded)
        if found is None:
            return
        adoption = found[1]
        votes = adoption.votes
        if votes is None or adoption.roll is None:
            return
        complete = adoption.roll is RollKind.complete
        for position in ("yes", "no", "abstain"):
            count = getattr(adoption, position)
            ids = getattr(votes, position)
            if count is None:
                continue
            named = len(ids) if ids is not None else 0
            if complete and named != count:
                where = ("adoption", "votes", position) if ids is not None else ("adoption",)
                yield Finding(
                    where,
                    f"the complete roll names {_states(named)} {_NOUNS[position]} "
                    f"(`votes.{position}`), but `{position}: {count}`",
                    "name every voter the page lists, check the count, or set "
                    "`roll: partial` if the page names only some voters",
                )
            elif not complete and named > count:
                yield Finding(
                    ("adoption", "votes", position),
                    f"the roll names {_states(named)} {_NOUNS[position]} "
                    f"(`votes.{position}`), more than `{position}: {count}`",
                    "check the names and the count against the page",
                )


class RollDuplicate(Rule):
    """A state appears once in a roll call: never twice in a list, never in two lists
    (`yes` and `abstain`), and never both in the roll and among the states that
    `dissociated` themselves.

    Fails:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            yes: [china]
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all

    Passes:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all
        # data/actors/china.yaml
        id: china
        name: China
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: roles of China}]
        # data/actors/russia.yaml
        id: russia
        name: Russian Federation
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: Russia}]
    """

    code = "DPK311"
    name = "roll-duplicate"
    summary = "a state appears twice in a roll call, or in a roll and among the dissociated"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        found = _adopted(loaded)
        if found is None:
            return
        adoption = found[1]
        seen: dict[str, str] = {}
        groups = adoption.votes.groups() if adoption.votes is not None else []
        for position, ids in groups:
            for i, state in enumerate(ids):
                first = seen.get(state)
                if first is None:
                    seen[state] = position
                    continue
                here = "twice" if first == position else f"in `{first}` and in `{position}`"
                yield Finding(
                    ("adoption", "votes", position, i),
                    f"`{state}` is named {here} in the roll call (`votes.{position}`)",
                    "keep it only where the page lists it",
                )
        for i, state in enumerate(adoption.dissociated):
            first = seen.get(state)
            if first == "dissociated":
                message = f"`{state}` is listed twice in `dissociated`"
            elif first is not None:
                message = f"`{state}` is in the roll call (`votes.{first}`) and in `dissociated`"
            else:
                seen[state] = "dissociated"
                continue
            yield Finding(
                ("adoption", "dissociated", i),
                message,
                "a state that voted did not dissociate from a consensus: keep the one "
                "the page states",
            )


class RollFields(Rule):
    """A roll call belongs to a recorded vote and says where it comes from: `votes`
    comes with `roll` (complete or partial) and `roll_source`, and neither comes
    without `votes`; an adoption `without-vote` has no roll call (record the states
    that dissociated themselves in `dissociated`).

    Fails:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        adoption:
          method: without-vote
          roll: complete
          roll_source: ijks-2024-un-and-nk-human-rights
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013

    Passes:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        adoption:
          method: without-vote
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
    """

    code = "DPK313"
    name = "roll-fields"
    summary = "a roll call lacks `roll` or `roll_source`, or belongs to no recorded vote"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        found = _adopted(loaded)
        if found is None:
            return
        adoption = found[1]
        given = [
            name
            for name, value in (
                ("roll", adoption.roll),
                ("roll_source", adoption.roll_source),
                ("votes", adoption.votes),
            )
            if value is not None
        ]
        if adoption.method is AdoptionMethod.without_vote:
            for name in given:
                yield Finding(
                    ("adoption", name),
                    f"adopted without a vote, yet `{name}` is given: there is no roll call",
                    "remove it (states that dissociated go in `dissociated`), or set "
                    "`method: vote` if the page reports a recorded vote",
                )
            return
        if adoption.votes is not None:
            for name in ("roll", "roll_source"):
                if name not in given:
                    yield Finding(
                        ("adoption", "votes"),
                        f"a roll call (`votes`) without `{name}`",
                        "add `roll: complete` if the page lists every voter, else `roll: partial`"
                        if name == "roll"
                        else "add `roll_source:` with the id of the source that names the "
                        "voters (and cite it in `sources`)",
                    )
        else:
            for name in given:
                yield Finding(
                    ("adoption", name),
                    f"`{name}` is given without a roll call (`votes`)",
                    "add `votes:` with the states the page names, or remove it",
                )


class RollSize(Rule):
    """A roll call names no more states than its forum has members (the forum's
    `members` in data/forums.yaml): at most 15 in the Security Council, 47 in the Human
    Rights Council, 53 in the Commission on Human Rights.

    Fails:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            yes: [s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13]
            no: [china, russia]
            absent: [s14]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all

    Passes:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all
        # data/actors/china.yaml
        id: china
        name: China
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: roles of China}]
        # data/actors/russia.yaml
        id: russia
        name: Russian Federation
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: Russia}]
    """

    code = "DPK314"
    name = "roll-size"
    summary = "a roll call names more states than its forum has members"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        found = _adopted(loaded)
        if found is None or found[1].votes is None:
            return
        record, adoption = found
        forum = env.forum_by_code.get(record.forum or "")
        if forum is None or forum.members is None or adoption.votes is None:
            return
        named = {state for _position, ids in adoption.votes.groups() for state in ids}
        if len(named) > forum.members:
            yield Finding(
                ("adoption", "votes"),
                f"the roll call names {_states(len(named))}, but {forum.code} has "
                f"{forum.members} members",
                "check the names against the page, and the record's `forum`",
            )


class RollSourceCited(Rule):
    """The source that names the voters (`roll_source`), and a sponsor's `source`, is
    one the record cites in `sources`, with a short quote from that page: the reader
    checks the names where the record says they come from.

    Fails:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        sponsors:
          - actor: japan
            role: lead
            source: korea-herald-2024-seoul-forum
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
        # data/actors/japan.yaml
        id: japan
        name: Japan
        kind: state
        sources: [{source: ijks-2024-un-and-nk-human-rights, quote: Japan}]

    Passes:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        sponsors:
          - actor: japan
            role: lead
            source: ijks-2024-un-and-nk-human-rights
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
        # data/actors/japan.yaml
        id: japan
        name: Japan
        kind: state
        sources: [{source: ijks-2024-un-and-nk-human-rights, quote: Japan}]
    """

    code = "DPK315"
    name = "roll-source-not-cited"
    summary = "a `roll_source` or a sponsor's `source` is not cited in `sources`"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, (Resolution, Event)):
            return
        cited = {c.source for c in record.citations()}
        wanted: list[tuple[tuple[str | int, ...], str]] = []
        if record.adoption is not None and record.adoption.roll_source is not None:
            several = isinstance(record.adoption.roll_source, list)
            for i, roll_source in enumerate(record.adoption.roll_sources()):
                loc: tuple[str | int, ...] = ("adoption", "roll_source")
                wanted.append(((*loc, i) if several else loc, roll_source))
        if isinstance(record, Resolution):
            for i, sponsor in enumerate(record.sponsors):
                source = getattr(sponsor, "source", None)
                if source is not None:
                    wanted.append((("sponsors", i, "source"), source))
        for loc, source in wanted:
            if source not in cited:
                yield Finding(
                    loc,
                    f"`{source}` is not cited in the record's `sources`",
                    f"add `- source: {source}` to `sources` with a short quote from the "
                    "page that names them",
                )


class RollRoles(Rule):
    """On a `vote` event with a roll call, the participants' roles agree with it: a
    participant who `voted-against` is in `votes.no`, one who `abstained` in
    `votes.abstain`, one who `voted-for` in `votes.yes`, one who `dissociated` in
    `dissociated`. In a partial roll a participant the roll does not name is reported
    only when the group it stands for is fully named (as many ids as the count).

    Fails:
        # data/events/2014-12-22-unsc-vote.yaml
        id: 2014-12-22-unsc-vote
        date: "2014-12-22"
        type: vote
        forum: UNSC
        title: Security Council vote on its agenda
        participants:
          - actor: china
            role: abstained
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing

    Passes:
        # data/events/2014-12-22-unsc-vote.yaml
        id: 2014-12-22-unsc-vote
        date: "2014-12-22"
        type: vote
        forum: UNSC
        title: Security Council vote on its agenda
        participants:
          - actor: china
            role: voted-against
        adoption:
          method: vote
          yes: 13
          no: 2
          abstain: 0
          roll: partial
          roll_source: ijks-2024-un-and-nk-human-rights
          votes:
            no: [china, russia]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing
        # data/actors/china.yaml
        id: china
        name: China
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: roles of China}]
        # data/actors/russia.yaml
        id: russia
        name: Russian Federation
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: Russia}]
    """

    code = "DPK316"
    name = "roll-roles-disagree"
    summary = "a vote event's participant roles disagree with its roll call"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, Event) or record.adoption is None:
            return
        adoption = record.adoption
        votes = adoption.votes
        if votes is None and not adoption.dissociated:
            return
        complete = adoption.roll is RollKind.complete
        for i, participant in enumerate(record.participants):
            wanted = ROLE_POSITIONS.get((participant.role or "").strip().lower())
            if wanted is None:
                continue
            actor = participant.actor
            if wanted == "dissociated":
                if actor in adoption.dissociated:
                    continue
                actual = votes.position_of(actor) if votes is not None else None
                if actual is None and not adoption.dissociated:
                    continue  # the record names no dissociations to compare with
                yield self._finding(i, actor, participant.role or "", actual, "dissociated")
                continue
            if votes is None:
                continue
            actual = votes.position_of(actor)
            if actual is None and actor in adoption.dissociated:
                actual = "dissociated"
            if actual == wanted:
                continue
            if actual is None and not complete and not _full(adoption, wanted):
                continue  # a partial roll that may leave it out
            yield self._finding(i, actor, participant.role or "", actual, f"votes.{wanted}")

    @staticmethod
    def _finding(i: int, actor: str, role: str, actual: str | None, wanted: str) -> Finding:
        if actual is None:
            message = f"`{actor}` has the role `{role}`, but the roll call does not name it"
        elif actual == "dissociated":
            message = f"`{actor}` has the role `{role}`, but is listed in `dissociated`"
        else:
            message = f"`{actor}` has the role `{role}`, but the roll lists it in `votes.{actual}`"
        return Finding(
            ("participants", i, "role"),
            message,
            f"make the role and the roll agree with the page (add `{actor}` to `{wanted}`, "
            "or correct the role)",
        )


def _full(adoption: Adoption, position: str) -> bool:
    """Whether a partial roll names every state of one group (as many as its count)."""
    ids = getattr(adoption.votes, position, None) if adoption.votes is not None else None
    count = getattr(adoption, position, None)
    return ids is not None and count is not None and len(ids) >= count


class RollMemberKind(Rule):
    """Only states vote and dissociate: every id in a roll call (`adoption.votes`) or
    in `dissociated` is an actor of kind `state`.

    The European Union, say, takes no part in General Assembly or Human Rights Council
    votes; a statement on its behalf is a `statement` event with the Union as a
    participant `on-behalf-of`. Where a page really shows an observer or a bloc voting,
    keep it and suppress the rule on that record with `lint: {ignore: [DPK312], reason:
    ...}` naming the page. (An id that is no actor at all is DPK201's to report.)

    Fails:
        # data/resolutions/a-res-71-202.yaml
        id: a-res-71-202
        symbol: A/RES/71/202
        forum: UNGA
        date: "2016-12-19"
        adoption:
          method: without-vote
          dissociated: [volker-turk]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: Korean human rights within the UN system

    Passes:
        # data/resolutions/a-res-71-202.yaml
        id: a-res-71-202
        symbol: A/RES/71/202
        forum: UNGA
        date: "2016-12-19"
        adoption:
          method: without-vote
          dissociated: [china]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: Korean human rights within the UN system
        # data/actors/china.yaml
        id: china
        name: China
        kind: state
        sources: [{source: korea-herald-2024-seoul-forum, quote: roles of China}]
    """

    code = "DPK312"
    name = "roll-member-not-state"
    summary = "an id in a roll call or `dissociated` is not a state"

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        kinds: dict[str, str] = {}
        for summary in view.summaries:
            if summary.state & SERVED and summary.id is not None and summary.actor is not None:
                kinds.setdefault(summary.id, str(summary.actor[0]))
        for index, _kind, target, line, column in view.references(kinds=("state",)):
            actual = kinds.get(target)
            if actual is None or actual == "state":
                continue  # an id that is no actor is DPK201's
            yield (
                index,
                line,
                column,
                f"`{target}` is {_a(actual)}, not a state: only states vote or dissociate",
                "remove it; if the page shows it voting, keep it and add "
                "`lint: {ignore: [DPK312], reason: ...}` naming the page",
            )


def _a(kind: str) -> str:
    word = kind.replace("-", " ")
    if kind == "un-body":
        return "a UN body"
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


__all__ = [
    "RollCounts",
    "RollDuplicate",
    "RollFields",
    "RollMemberKind",
    "RollRoles",
    "RollSize",
    "RollSourceCited",
]
