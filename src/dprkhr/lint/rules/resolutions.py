"""Resolution rules (codes 3xx): forum, date, symbol, votes, and the forum's lifetime."""

from __future__ import annotations

from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.models import AdoptionMethod, Event, Resolution


def _resolution(loaded: LoadedFile) -> Resolution | None:
    return loaded.record if isinstance(loaded.record, Resolution) else None


class ResolutionMissingForum(Rule):
    """A resolution names the body that adopted it.

    Without a forum, a resolution cannot be found by `--forum`, its symbol cannot be
    checked, and its series cannot be followed.

    Fails:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        date: "2013-03-21"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013

    Passes:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
    """

    code = "DPK301"
    name = "resolution-missing-forum"
    summary = "a resolution has no forum"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        resolution = _resolution(loaded)
        if resolution is not None and not resolution.forum:
            yield Finding(
                (),
                "resolution has no `forum`",
                "add `forum:` with a code from data/forums.yaml (UNGA, HRC, CHR, UNSC...)",
            )


class ResolutionMissingDate(Rule):
    """A resolution has the date of its adoption, at the precision known.

    Fails:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013

    Passes:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
    """

    code = "DPK302"
    name = "resolution-missing-date"
    summary = "a resolution has no date"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        resolution = _resolution(loaded)
        if resolution is not None and resolution.date is None:
            yield Finding(
                (),
                "resolution has no `date`",
                "add `date:` as YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
            )


class SymbolFitsForum(Rule):
    """A resolution's symbol has the form its forum uses: `A/HRC/RES/..` for the Human
    Rights Council, `S/RES/..` for the Security Council, `E/CN.4/RES/..` for the
    Commission on Human Rights, `A/RES/..` for the General Assembly.

    The patterns are the `symbol_pattern` of each forum in data/forums.yaml.

    Fails:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: UNGA
        date: "2013-03-21"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013

    Passes:
        # data/resolutions/a-hrc-res-22-13.yaml
        id: a-hrc-res-22-13
        symbol: A/HRC/RES/22/13
        forum: HRC
        date: "2013-03-21"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: one-year Commission of Inquiry (COI) in 2013
    """

    code = "DPK303"
    name = "symbol-forum-mismatch"
    summary = "a resolution's symbol does not fit its forum"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        resolution = _resolution(loaded)
        if resolution is None:
            return
        forums = env.forum_by_code
        forum = forums.get(resolution.forum or "")
        if forum is None or not resolution.symbol or forum.symbol_matches(resolution.symbol):
            return
        fitting = [
            f.code
            for f in forums.values()
            if f.symbol_pattern and f.symbol_matches(resolution.symbol)
        ]
        hint = f"a symbol like `{forum.symbol_example}`" if forum.symbol_example else "its pattern"
        suggestion = (
            f"the symbol fits forum {', '.join(fitting)}; check `forum`"
            if fitting
            else f"{forum.code} symbols look like {hint}"
        )
        yield Finding(
            ("symbol",),
            f"symbol `{resolution.symbol}` does not fit forum {forum.code}",
            suggestion,
        )


class VoteCounts(Rule):
    """Vote counts are consistent with how the resolution was adopted and where (and so
    are those of a `vote` event's `adoption`).

    A resolution adopted without a vote has no counts, and only such a resolution lists
    states that `dissociated` themselves from its adoption; counts never add up to more
    than the forum's members; in the Security Council a resolution needs at least 9 votes
    in favour (the forum's `votes_to_adopt`; not checked on an event, whose vote may have
    failed).

    Fails:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption: {method: vote, yes: 8, no: 0, abstain: 0}
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all

    Passes:
        # data/resolutions/s-res-2397.yaml
        id: s-res-2397
        symbol: S/RES/2397 (2017)
        forum: UNSC
        date: "2017-12-22"
        adoption: {method: vote, yes: 15, no: 0, abstain: 0}
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: called for the repatriation of all
    """

    code = "DPK304"
    name = "vote-counts"
    summary = "vote counts do not fit the adoption method or the forum"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        resolution = loaded.record
        if not isinstance(resolution, (Resolution, Event)) or resolution.adoption is None:
            return
        adoption = resolution.adoption
        counts = {
            k: v
            for k, v in (
                ("yes", adoption.yes),
                ("no", adoption.no),
                ("abstain", adoption.abstain),
            )
            if v is not None
        }
        if adoption.method is AdoptionMethod.without_vote:
            for key in counts:
                yield Finding(
                    ("adoption", key),
                    f"adopted without a vote, yet `{key}: {counts[key]}` is given",
                    "remove the counts, or set `method: vote`",
                )
            return
        if adoption.dissociated:
            yield Finding(
                ("adoption", "dissociated"),
                "adopted by a vote, yet states are listed as having dissociated themselves "
                "from a consensus",
                "record how they voted in the roll call (`votes.no`, `votes.abstain`), or set "
                "`method: without-vote`",
            )
        forum = env.forum_by_code.get(resolution.forum or "")
        if forum is None:
            return
        total = sum(counts.values())
        if forum.members is not None and total > forum.members:
            yield Finding(
                ("adoption",),
                f"{total} votes counted, but {forum.code} has {forum.members} members",
                "check the counts against the voting record",
            )
        if (
            isinstance(resolution, Resolution)  # a vote event may record a motion that failed
            and forum.votes_to_adopt is not None
            and adoption.yes is not None
            and adoption.yes < forum.votes_to_adopt
        ):
            yield Finding(
                ("adoption", "yes"),
                f"{adoption.yes} votes in favour cannot adopt a {forum.code} resolution "
                f"(it takes at least {forum.votes_to_adopt})",
                "check the counts against the voting record",
            )


class ForumLifetime(Rule):
    """Resolutions and events of a forum fall within the years the forum existed: the
    Human Rights Council from June 2006, the Commission on Human Rights until June 2006
    (each forum's `established` and `abolished` in data/forums.yaml).

    Fails:
        # data/resolutions/hrc-2005-dprk.yaml
        id: hrc-2005-dprk
        forum: HRC
        date: "2005-04-14"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The Commission on Human Rights, the HRC’s predecessor

    Passes:
        # data/resolutions/chr-2005-dprk.yaml
        id: chr-2005-dprk
        forum: CHR
        date: "2005-04-14"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The Commission on Human Rights, the HRC’s predecessor
    """

    code = "DPK305"
    name = "forum-lifetime"
    summary = "a record is dated outside its forum's lifetime"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, (Resolution, Event)) or record.date is None:
            return
        forum = env.forum_by_code.get(record.forum or "")
        if forum is None:
            return
        date = record.date
        if forum.established is not None and date.end < forum.established.start:
            yield Finding(
                ("date",),
                f"dated {date}, before {forum.code} was established ({forum.established})",
                self._hint(env, record, after=False),
            )
        elif forum.abolished is not None and date.start > forum.abolished.end:
            yield Finding(
                ("date",),
                f"dated {date}, after {forum.code} was abolished ({forum.abolished})",
                self._hint(env, record, after=True),
            )

    @staticmethod
    def _hint(env: FileEnv, record: Resolution | Event, after: bool) -> str:
        forum = env.forum_by_code[record.forum or ""]
        if after and forum.succeeded_by:
            return f"check the date, or the forum: did you mean {forum.succeeded_by}?"
        if not after:
            predecessors = [f.code for f in env.forums if f.succeeded_by == forum.code]
            if predecessors:
                return f"check the date, or the forum: did you mean {predecessors[0]}?"
        return "check the date and the forum"
