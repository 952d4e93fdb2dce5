"""Actor rules (codes 5xx): possible duplicates and role dates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.lint.view import DatasetView, Placed
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

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        from rapidfuzz import fuzz

        # (file index, kind, id, name, line, column) of each actor
        actors: list[tuple[int, str, str, str, int, int]] = []
        names: list[tuple[int, str]] = []  # (actor number, token-sorted name)
        for index, summary in view.records():
            if summary.actor is None:
                continue
            kind, name, line, column, keys = summary.actor
            number = len(actors)
            actors.append((index, kind, summary.id or "", name, line, column))
            names.extend((number, key) for key in keys)
        blocks: defaultdict[str, set[int]] = defaultdict(set)
        for n, (_number, key) in enumerate(names):
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
                    if actors[x][1] != actors[y][1] or actors[x][2] == actors[y][2]:
                        continue  # other kinds differ; equal ids are duplicate-id's business
                    if fuzz.ratio(names[a][1], names[b][1]) >= SIMILARITY and _compatible(
                        names[a][1], names[b][1]
                    ):
                        pairs.add(pair)
        for x, y in sorted(pairs):
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
