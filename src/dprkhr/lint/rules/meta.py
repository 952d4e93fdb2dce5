"""Rules about lint itself (codes 9xx)."""

from __future__ import annotations

from dprkhr.lint.base import Rule
from dprkhr.problems import Severity


class UnusedSuppression(Rule):
    """A record's `lint: {ignore: [...]}` names a rule that reports nothing on it (a
    warning).

    Stale suppressions hide the next real problem; remove them once the cause is fixed.
    The runner checks this after all other rules, so the rule has no check of its own.

    Fails:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: former COI Chair Michael Kirby
        lint:
          ignore: [DPK402]

    Passes:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: former COI Chair Michael Kirby
    """

    code = "DPK901"
    name = "unused-suppression"
    summary = "a suppression suppresses nothing"
    severity = Severity.warning
