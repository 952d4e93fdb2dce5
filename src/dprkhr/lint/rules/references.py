"""Reference rules (codes 2xx): every pointer resolves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.lint.view import SERVED, DatasetView, Placed
from dprkhr.models import Forum
from dprkhr.models.vocab import ForumsFile
from dprkhr.names import forum_named
from dprkhr.suggest import close_matches, did_you_mean

_VOCAB_FILE = {"forum": "forums.yaml", "tag": "tags.yaml", "event-type": "event-types.yaml"}
_NOUN = {"event-type": "event type", "state": "actor"}
_RECORD_TYPE = {"state": "actor"}
"""Reference kinds that name a kind of record: an id in a roll call must be an actor (that
it is a state is DPK312's to say)."""


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _forum_hint(text: str, forums: list[Forum]) -> str | None:
    """Forums are referred to by code; map a name or alias to its code."""
    forum = forum_named(text, forums)
    if forum is not None:
        return f"use the code `{forum.code}` ({forum.name})"
    by_name = {name: forum.code for forum in forums for name in forum.all_names()}
    best = close_matches(text, by_name, limit=1)
    return f"did you mean `{by_name[best[0]]}` ({best[0]})?" if best else None


class DanglingReference(Rule):
    """Every reference points at something that exists: participants, sponsors, the
    states of a roll call (`adoption.votes`), states that dissociated themselves from an
    adoption and role organisations at actors; `roll_source` and a sponsor's `source` at
    sources; `follows` and `resolutions` at resolutions; citations at
    sources; `forum` at a forum code; `tags` at tags; `type` at an event type.

    The message names the closest existing id when there is one.

    Fails:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        forum: UNSC
        title: Security Council briefing on human rights in the DPRK
        participants:
          - actor: volker-turkk
            role: briefer
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing

    Passes:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        forum: UNSC
        title: Security Council briefing on human rights in the DPRK
        participants:
          - actor: volker-turk
            role: briefer
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing
    """

    code = "DPK201"
    name = "dangling-reference"
    summary = "a reference points at nothing"

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        by_id = view.kinds_by_id()
        defined = {
            "forum": {f.code for f in view.forums},
            "tag": set(view.tags),
            "event-type": set(view.event_types),
        }
        unloaded = _unloaded(view, by_id)
        # the references that resolve as the loop below would find (most of them), left
        # out of what it is given
        resolved = {(kind, target) for target, kind in by_id.items()}
        for alias, record_type in _RECORD_TYPE.items():
            resolved.update((alias, t) for t, kind in by_id.items() if kind == record_type)
        for kind, file_name in _VOCAB_FILE.items():
            if view.vocab_loaded.get(file_name):
                resolved.update((kind, target) for target in defined[kind])
        misses: list[tuple[int, str, str, int, int]] = []
        for index, kind, target, line, column in view.references(resolved=resolved):
            vocab_file = _VOCAB_FILE.get(kind)
            if vocab_file is not None:
                if not view.vocab_loaded.get(vocab_file):
                    continue  # the vocabulary itself failed; that is reported there
                if target in defined[kind]:
                    continue
            other = by_id.get(target)
            record_type = _RECORD_TYPE.get(kind, kind)
            if vocab_file is None and other == record_type:
                continue
            if vocab_file is None and unloaded.get(target) == record_type:
                continue  # its own file failed to load; that is reported there
            noun = _NOUN.get(kind, kind)
            if other is not None and record_type in ("actor", "resolution", "source"):
                yield (index, line, column, f"`{target}` is {_a(other)}, not {_a(noun)}", None)
            else:
                misses.append((index, kind, target, line, column))
        wanted = {(kind, target) for _i, kind, target, _l, _c in misses}
        hints = self._hints(view, by_id, wanted)
        for index, kind, target, line, column in misses:
            noun = _NOUN.get(kind, kind)
            suggestion = hints.get((kind, target))
            vocab_file = _VOCAB_FILE.get(kind)
            if suggestion is None and vocab_file:
                suggestion = f"use one defined in data/{vocab_file}, or add it there"
            yield (index, line, column, f"unknown {noun} `{target}`", suggestion)

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        if isinstance(loaded.vocab, ForumsFile):
            codes = [f.code for f in loaded.vocab.forums]
            for i, forum in enumerate(loaded.vocab.forums):
                if forum.parent and forum.parent not in codes:
                    yield Finding(
                        ("forums", i, "parent"),
                        f"unknown forum `{forum.parent}`",
                        did_you_mean(forum.parent, codes),
                    )

    @staticmethod
    def _hints(
        view: DatasetView, by_id: dict[str, str], wanted: set[tuple[str, str]]
    ) -> dict[tuple[str, str], str]:
        """'Did you mean' for every unknown target, computed in bulk per kind."""
        hints: dict[tuple[str, str], str] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, target in sorted(wanted):
            by_kind.setdefault(kind, []).append(target)
        for kind, targets in by_kind.items():
            if kind == "forum":
                for target in targets:
                    hint = _forum_hint(target, view.forums)
                    if hint:
                        hints[(kind, target)] = hint
                continue
            if kind == "tag":
                choices = list(dict.fromkeys(view.tags))
            elif kind == "event-type":
                choices = list(dict.fromkeys(view.event_types))
            else:
                choices = [i for i, k in by_id.items() if k == _RECORD_TYPE.get(kind, kind)]
            for target, choice in view.closest(kind, targets, choices).items():
                if choice is not None:
                    hints[(kind, target)] = f"did you mean `{choice}`?"
        return hints


def _unloaded(view: DatasetView, by_id: dict[str, str]) -> dict[str, str]:
    """Id -> record type of the record files that exist but failed to load (named by
    their file, as lint requires): a reference to one is not dangling, and blaming the
    records that point at it would hide the one file to fix."""
    out: dict[str, str] = {}
    for index, summary in enumerate(view.summaries):
        kind = view.kinds[index]
        if kind in _RECORD_KINDS and not summary.state & SERVED:
            ident = PurePath(view.displays[index]).stem
            if ident not in by_id:
                out.setdefault(ident, kind)
    return out


_RECORD_KINDS = frozenset({"actor", "event", "resolution", "source"})


_ID_CUTOFF = 75.0
"""The score from which an id is suggested (as `did_you_mean(..., ids=True)`)."""


def _closest(target: str, choices: list[str]) -> tuple[str | None, float]:
    """The first choice with the best score, as `did_you_mean(target, choices, ids=True)`."""
    from rapidfuzz import fuzz, process

    if not target or not choices:
        return None, 0.0
    found = process.extract(
        target.lower(), choices, scorer=fuzz.ratio, limit=1, score_cutoff=_ID_CUTOFF
    )
    return (found[0][0], float(found[0][1])) if found else (None, 0.0)


def closest_ids(
    targets: list[str],
    choices: list[str],
    old: Any = None,
    map_: Callable[[Callable[[Any], Any], list[Any]], list[Any]] | None = None,
) -> tuple[dict[str, str | None], list[Any]]:
    """The closest id among `choices` for each target (None when none is close enough),
    and what to remember for the next run: `[choices, {target: [closest, score]}]` (with
    the answers remembered for other targets too while the ids are the same).

    Scanning every id costs about a millisecond per target at 20k ids: with `map_` (see
    `DatasetView.map`) many scans are shared out among worker processes. Given what the
    previous run remembered (`old`), an answer is reused while the ids are the same; when
    some were added or removed and the others kept their order, only the added ids are
    scanned, unless the remembered answer is among the removed. Either way the result is
    that of a full scan: the first choice (in `choices` order) with the best score.
    """
    previous: dict[str, Any] = {}
    added: list[str] | None = None  # None: nothing usable remembered
    current = set(choices)
    if isinstance(old, list) and len(old) == 2 and isinstance(old[1], dict):
        old_choices = old[0]
        if old_choices == choices:
            added = []
        elif isinstance(old_choices, list):
            known = set(old_choices)
            if [c for c in old_choices if c in current] == [c for c in choices if c in known]:
                added = [c for c in choices if c not in known]
        if added is not None:
            previous = old[1]
    position = {c: i for i, c in enumerate(choices)} if added else {}
    found: dict[str, tuple[str | None, float]] = {}
    scan: list[str] = []
    for target in targets:
        entry = previous.get(target)
        if entry is None or not _still_right(entry, target, current):
            scan.append(target)
            continue
        choice, score = entry[0], float(entry[1])
        if added:
            new_choice, new_score = _closest(target, added)
            if new_choice is not None and (
                choice is None
                or new_score > score
                or (new_score == score and position[new_choice] < position[choice])
            ):
                choice, score = new_choice, new_score
        found[target] = (choice, score)
    if map_ is not None and len(scan) >= _SHARE_FROM:
        parts = [(scan[i::_PARTS], choices) for i in range(_PARTS)]
        for part, results in zip(parts, map_(_closest_all, parts), strict=True):
            found.update(zip(part[0], results, strict=True))
    else:
        found.update((target, _closest(target, choices)) for target in scan)
    best = {target: found[target][0] for target in targets}
    kept: dict[str, Any] = dict(previous) if added == [] else {}  # the same ids: keep all
    kept.update((target, [found[target][0], found[target][1]]) for target in targets)
    return best, [choices, kept]


_SHARE_FROM = 64
"""Full scans from which they are shared out among worker processes."""
_PARTS = 8


def _closest_all(work: tuple[list[str], list[str]]) -> list[tuple[str | None, float]]:
    targets, choices = work
    return [_closest(target, choices) for target in targets]


def _still_right(entry: Any, target: str, current: set[str]) -> bool:
    """Whether a remembered `[closest, score]` can stand: no answer, or a current id with
    the score it really has."""
    if not (isinstance(entry, list) and len(entry) == 2):
        return False
    choice, score = entry
    if choice is None:
        return bool(score == 0)
    if not (isinstance(choice, str) and choice in current and isinstance(score, (int, float))):
        return False
    from rapidfuzz import fuzz

    return bool(fuzz.ratio(target.lower(), choice) == score)
