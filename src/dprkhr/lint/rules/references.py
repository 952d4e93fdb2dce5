"""Reference rules (codes 2xx): every pointer resolves."""

from __future__ import annotations

from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.kb import KnowledgeBase, Reference, iter_references
from dprkhr.lint.base import Finding, LintContext, Rule
from dprkhr.models import Forum
from dprkhr.models.vocab import ForumsFile
from dprkhr.names import forum_named
from dprkhr.suggest import close_matches, did_you_mean

_VOCAB_FILE = {"forum": "forums.yaml", "tag": "tags.yaml", "event-type": "event-types.yaml"}
_NOUN = {"event-type": "event type"}


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
    """Every reference points at something that exists: participants, sponsors and role
    organisations at actors; `follows` and `resolutions` at resolutions; citations at
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
    """

    code = "DPK201"
    name = "dangling-reference"
    summary = "a reference points at nothing"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        kb = ctx.kb
        misses: list[tuple[LoadedFile, Reference, str]] = []
        for loaded, record, kind in ctx.all_records():
            for ref in iter_references(record, kind):
                vocab_file = _VOCAB_FILE.get(ref.target_kind)
                if vocab_file and not ctx.dataset.vocab_loaded.get(vocab_file):
                    continue  # the vocabulary itself failed; that is reported there
                if kb.exists(ref.target_kind, ref.target):
                    continue
                noun = _NOUN.get(ref.target_kind, ref.target_kind)
                other = kb.get(ref.target)
                if other is not None and ref.target_kind in ("actor", "resolution", "source"):
                    message = f"`{ref.target}` is {_a(other.record_type)}, not {_a(noun)}"
                    yield Finding(loaded, ref.loc, message, None)
                else:
                    misses.append((loaded, ref, f"unknown {noun} `{ref.target}`"))
        hints = self._hints(kb, {(ref.target_kind, ref.target) for _f, ref, _m in misses})
        for loaded, ref, message in misses:
            suggestion = hints.get((ref.target_kind, ref.target))
            vocab_file = _VOCAB_FILE.get(ref.target_kind)
            if suggestion is None and vocab_file:
                suggestion = f"use one defined in data/{vocab_file}, or add it there"
            yield Finding(loaded, ref.loc, message, suggestion)
        for loaded in ctx.dataset.files:
            if isinstance(loaded.vocab, ForumsFile):
                codes = [f.code for f in loaded.vocab.forums]
                for i, forum in enumerate(loaded.vocab.forums):
                    if forum.parent and forum.parent not in codes:
                        yield Finding(
                            loaded,
                            ("forums", i, "parent"),
                            f"unknown forum `{forum.parent}`",
                            did_you_mean(forum.parent, codes),
                        )

    @staticmethod
    def _hints(kb: KnowledgeBase, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """'Did you mean' for every unknown target, computed in bulk per kind."""
        hints: dict[tuple[str, str], str] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, target in sorted(wanted):
            by_kind.setdefault(kind, []).append(target)
        for kind, targets in by_kind.items():
            if kind == "forum":
                for target in targets:
                    hint = _forum_hint(target, kb.forums)
                    if hint:
                        hints[(kind, target)] = hint
                continue
            choices = kb.candidates(kind)
            for target in targets:
                hint = did_you_mean(target, choices, ids=True)
                if hint is not None:
                    hints[(kind, target)] = hint
        return hints
