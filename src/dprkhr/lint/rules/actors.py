"""Actor rules (codes 5xx): possible duplicates and role dates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import Finding, LintContext, Rule
from dprkhr.models import Actor
from dprkhr.names import sorted_key
from dprkhr.problems import Severity

SIMILARITY = 90
"""Token-sorted similarity (0-100) from which two names count as the same."""
MAX_BLOCK = 200
"""Name fragments shared by more actors than this are too common to block on."""


class PossibleDuplicateActor(Rule):
    """Two actors of the same kind have names (or aliases) that match closely (a
    warning).

    Matching ignores case, diacritics, punctuation and name order, and tolerates small
    typos, so `Volker Turk` and `Volker Türk` are flagged. Merge the records, or, when
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

    Passes:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
    """

    code = "DPK501"
    name = "possible-duplicate-actor"
    summary = "two actors look like the same one"
    severity = Severity.warning

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        from rapidfuzz import fuzz

        actors: list[tuple[LoadedFile, Actor]] = [
            (f, r) for f, r in ctx.records() if isinstance(r, Actor)
        ]
        names: list[tuple[int, str]] = []  # (actor index, token-sorted name)
        for index, (_f, actor) in enumerate(actors):
            for name in actor.all_names():
                key = sorted_key(name)
                if key:
                    names.append((index, key))
        blocks: defaultdict[str, set[int]] = defaultdict(set)
        for n, (_index, key) in enumerate(names):
            for token in key.split():
                blocks[token[:4]].add(n)
        size = Counter({k: len(v) for k, v in blocks.items()})
        pairs: set[tuple[int, int]] = set()
        for block, members in blocks.items():
            if size[block] > MAX_BLOCK:
                continue
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    x, y = names[a][0], names[b][0]
                    if x == y:
                        continue
                    pair = (min(x, y), max(x, y))
                    if pair in pairs:
                        continue
                    if actors[x][1].kind != actors[y][1].kind or actors[x][1].id == actors[y][1].id:
                        continue  # other kinds differ; equal ids are duplicate-id's business
                    if fuzz.ratio(names[a][1], names[b][1]) >= SIMILARITY and _compatible(
                        names[a][1], names[b][1]
                    ):
                        pairs.add(pair)
        for x, y in sorted(pairs):
            (_fa, first), (later_file, later) = sorted(
                (actors[x], actors[y]), key=lambda item: item[1].id
            )
            yield Finding(
                later_file,
                ("name",),
                f"`{later.id}` ({later.name}) may be the same {later.kind.value} as "
                f"`{first.id}` ({first.name})",
                f"merge them into `{first.id}`, or add `lint: {{ignore: [DPK501]}}` "
                "if they are different",
            )


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
    """

    code = "DPK502"
    name = "role-dates-order"
    summary = "a role ends before it starts"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for loaded, record in ctx.records():
            if not isinstance(record, Actor):
                continue
            for i, role in enumerate(record.roles):
                if role.start and role.end and role.end.end < role.start.start:
                    yield Finding(
                        loaded,
                        ("roles", i, "end"),
                        f"role `{role.title}` ends ({role.end}) before it starts ({role.start})",
                        "swap `start` and `end`, or correct one of them",
                    )
