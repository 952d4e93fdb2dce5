"""Actor rules (codes 5xx): possible duplicates and role dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.lint.view import DatasetView, Placed
from dprkhr.models import Actor
from dprkhr.names import normalize, sorted_key
from dprkhr.problems import Severity

SIMILARITY = 90
"""Token-sorted similarity (0-100) from which two names count as the same."""
MAX_BLOCK = 200
"""Name fragments shared by more actors than this are too common to block on."""


class PossibleDuplicateActor(Rule):
    """Two actors of the same kind have names (or aliases) that match closely (a
    warning).

    Matching ignores case, diacritics, punctuation and name order, and tolerates small
    typos, so `Volker Turk` and `Volker Türk` are flagged. Two states with different
    `country` codes are different states (`Republic of Mali`, ML, and `Republic of Malawi`,
    MW) and are not flagged. Merge the records, or, when
    they really are different actors, suppress the warning on one of them with
    `lint: {ignore: [DPK501]}`. Comparison is blocked by name fragments, so it stays fast
    on large datasets.

    Fails:
        # data/actors/volker-turk-2.yaml
        id: volker-turk-2
        name: Volker Turk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk

    Passes:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: former COI Chair Michael Kirby
    """

    code = "DPK501"
    name = "possible-duplicate-actor"
    summary = "two actors look like the same one"
    severity = Severity.warning

    def dataset_inputs(self, view: DatasetView) -> list[tuple[int, Any]]:
        return view.actors()

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        # (file index, kind, id, name, line, column) of each actor
        actors: list[tuple[int, str, str, str, int, int]] = []
        countries: list[str | None] = []  # each actor's `country`
        names: list[tuple[int, str]] = []  # (actor number, token-sorted name)
        for index, (record_id, actor) in view.actors():
            kind, name, line, column, keys, _roles, _offices, country = actor
            number = len(actors)
            actors.append((index, kind, record_id or "", name, line, column))
            countries.append(country)
            names.extend((number, key) for key in keys)
        pairs = _similar_pairs(actors, names)
        for x, y in sorted(pairs):
            if actors[x][1] == "state" and _different(countries[x], countries[y]):
                continue  # a state's code names it: two codes are two states
            first, later = sorted((actors[x], actors[y]), key=lambda actor: actor[2])
            index, kind, later_id, later_name, line, column = later
            yield (
                index,
                line,
                column,
                f"`{later_id}` ({later_name}) may be the same {kind} as `{first[2]}` ({first[3]})",
                f"merge them into `{first[2]}`, or add `lint: {{ignore: [DPK501]}}` "
                "if they are different",
            )

    @staticmethod
    def name_keys(actor: Actor) -> list[str]:
        """The actor's names and aliases as compared: normalised, token-sorted, non-empty."""
        return [key for key in map(sorted_key, actor.all_names()) if key]


def _similar_pairs(
    actors: list[tuple[int, str, str, str, int, int]], names: list[tuple[int, str]]
) -> set[tuple[int, int]]:
    """Pairs of actor numbers (lower first) of the same kind, with different ids, whose
    names match closely. Names are compared within blocks sharing a name fragment."""
    from rapidfuzz import fuzz, process

    blocks: defaultdict[str, set[int]] = defaultdict(set)
    for n, (_number, key) in enumerate(names):
        for token in key.split():
            blocks[token[:4]].add(n)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > MAX_BLOCK:
            continue
        ordered = sorted(members)
        keys = [names[n][1] for n in ordered]
        for i, a in enumerate(ordered):
            x, key_a = names[a]
            kind_x, id_x = actors[x][1], actors[x][2]
            # the names after this one in the block that match closely, compared in bulk
            for key_b, _score, j in process.extract_iter(
                key_a, keys[i + 1 :], scorer=fuzz.ratio, score_cutoff=SIMILARITY
            ):
                y = names[ordered[i + 1 + j]][0]
                if x == y:
                    continue
                if actors[y][1] != kind_x or actors[y][2] == id_x:
                    continue  # other kinds differ; equal ids are duplicate-id's business
                if _compatible(key_a, key_b):
                    pairs.add((x, y) if x < y else (y, x))
    return pairs


def _different(a: str | None, b: str | None) -> bool:
    """Both codes are given and they differ."""
    return a is not None and b is not None and a != b


def _compatible(a: str, b: str) -> bool:
    """Names whose numbers differ (`Seoul Forum 2024`, `Seoul Forum 2025`) are distinct."""
    digits_a = [t for t in a.split() if t.isdigit()]
    digits_b = [t for t in b.split() if t.isdigit()]
    return digits_a == digits_b


class RoleDatesOrder(Rule):
    """A role's `end` is not before its `start`.

    Fails:
        # data/actors/vitit-muntarbhorn.yaml
        id: vitit-muntarbhorn
        name: Vitit Muntarbhorn
        kind: person
        roles:
          - title: Special Rapporteur on the situation of human rights in the DPRK
            start: "2010"
            end: "2004"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The Special Rapporteur on the situation of human rights in the DPRK

    Passes:
        # data/actors/vitit-muntarbhorn.yaml
        id: vitit-muntarbhorn
        name: Vitit Muntarbhorn
        kind: person
        roles:
          - title: Special Rapporteur on the situation of human rights in the DPRK
            start: "2004"
            end: "2010"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The Special Rapporteur on the situation of human rights in the DPRK
    """

    code = "DPK502"
    name = "role-dates-order"
    summary = "a role ends before it starts"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, Actor):
            return
        for i, role in enumerate(record.roles):
            if role.start and role.end and role.end.end < role.start.start:
                yield Finding(
                    ("roles", i, "end"),
                    f"role `{role.title}` ends ({role.end}) before it starts ({role.start})",
                    "swap `start` and `end`, or correct one of them",
                )


class SingleHolderOverlap(Rule):
    """Two people hold an office that one person holds at a time, on the same days.

    An organisation, body or state lists its single-holder posts under `offices` (the
    High Commissioner in `ohchr`, the President in a state); a role is in that post
    when its `organization` is that actor and its title is the office's title or one of
    its aliases (a role without an `organization` matches a title that only one office
    has). Two holders overlap when their dates leave no doubt: each begins (at the
    latest) before the other ends (at the earliest); a role without an end is still
    held, and a role without a start is not judged. The fix is usually the end date a
    source gives for the earlier holder.

    Fails:
        # data/actors/ohchr.yaml
        id: ohchr
        name: UN Office of the High Commissioner for Human Rights
        kind: un-body
        offices:
          - title: United Nations High Commissioner for Human Rights
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: the OHCHR’s Seoul office was established pursuant to the COI’s
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        roles:
          - title: United Nations High Commissioner for Human Rights
            organization: ohchr
            start: "2022-10-17"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
        # data/actors/michelle-bachelet.yaml
        id: michelle-bachelet
        name: Michelle Bachelet
        kind: person
        roles:
          - title: United Nations High Commissioner for Human Rights
            organization: ohchr
            start: "2018-09-01"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The UN Office of the High Commissioner for Human Rights (OHCHR)

    Passes:
        # data/actors/ohchr.yaml
        id: ohchr
        name: UN Office of the High Commissioner for Human Rights
        kind: un-body
        offices:
          - title: United Nations High Commissioner for Human Rights
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: the OHCHR’s Seoul office was established pursuant to the COI’s
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        roles:
          - title: United Nations High Commissioner for Human Rights
            organization: ohchr
            start: "2022-10-17"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
        # data/actors/michelle-bachelet.yaml
        id: michelle-bachelet
        name: Michelle Bachelet
        kind: person
        roles:
          - title: United Nations High Commissioner for Human Rights
            organization: ohchr
            start: "2018-09-01"
            end: "2022-08-31"
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: The UN Office of the High Commissioner for Human Rights (OHCHR)
    """

    code = "DPK503"
    name = "single-holder-overlap"
    summary = "two people hold a single-holder office at the same time"

    @staticmethod
    def roles(actor: Actor, locate: Any) -> list[list[Any]]:
        """What the rule needs of each role, for the file summary."""
        return [
            [
                normalize(role.title),
                role.organization,
                None if role.start is None else str(role.start),
                None if role.end is None else str(role.end),
                *locate(("roles", i)),
            ]
            for i, role in enumerate(actor.roles)
        ]

    @staticmethod
    def offices(actor: Actor) -> list[list[Any]]:
        """What the rule needs of each office, for the file summary."""
        return [
            [office.title, sorted({normalize(t) for t in (office.title, *office.aliases)})]
            for office in actor.offices
        ]

    def dataset_inputs(self, view: DatasetView) -> list[tuple[int, Any]]:
        return view.actors()

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        from dprkhr.dates import DateError, PartialDate

        actors = [(index, i, a) for index, (i, a) in view.actors() if i]
        offices: dict[tuple[str, str], tuple[str, str, int]] = {}
        """(organization, folded title) -> (organization, office title, office number)"""
        by_title: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for _index, record_id, actor in actors:
            for number, (title, names) in enumerate(actor[6]):
                for name in names:
                    offices.setdefault((record_id, name), (record_id, title, number))
                    by_title[name].add((record_id, number))
        if not offices:
            return
        titles = {(org, number): title for org, title, number in offices.values()}
        holders: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
        for index, record_id, actor in actors:
            for folded, organization, start, end, line, column in actor[5]:
                if organization is not None:
                    found = offices.get((organization, folded))
                    office = None if found is None else (found[0], found[2])
                else:
                    candidates = by_title.get(folded, set())
                    office = next(iter(candidates)) if len(candidates) == 1 else None
                if office is None or start is None:
                    continue
                try:
                    began = PartialDate(start)
                    ended = None if end is None else PartialDate(end)
                except DateError:  # reported by the date rules
                    continue
                holders[office].append((record_id, actor[1], began, ended, index, line, column))
        for office, held in holders.items():
            held.sort(key=lambda h: (h[2].start, h[0]))
            for i, first in enumerate(held):
                for later in held[i + 1 :]:
                    if first[0] == later[0] or not _overlap(first, later):
                        continue
                    org, _number = office
                    span = f"{first[2]}–{first[3]}" if first[3] else f"{first[2]} with no end"
                    yield (
                        first[4],
                        first[5],
                        first[6],
                        f"`{first[0]}` ({first[1]}) and `{later[0]}` ({later[1]}) both hold "
                        f"{titles[office]} ({org}, held by one person at a time) from "
                        f"{later[2]}: `{first[0]}`'s role runs {span}",
                        "give the role the end date its sources report, or correct a date; "
                        f"if the post has several holders, take it out of `{org}`'s `offices`",
                    )


def _overlap(first: tuple[Any, ...], later: tuple[Any, ...]) -> bool:
    """Whether two (start, end) spans certainly share a day: each begins, at the latest,
    before the other ends, at the earliest (no end: still held)."""
    _id1, _n1, start1, end1, *_ = first
    _id2, _n2, start2, end2, *_ = later
    return (end2 is None or start1.end < end2.start) and (end1 is None or start2.end < end1.start)
