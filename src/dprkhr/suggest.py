"""'Did you mean' suggestions from fuzzy matching."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(
    word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70
) -> list[str]:
    """The choices most like `word`, best first, scoring at least `cutoff` out of 100."""
    from rapidfuzz import fuzz, process, utils

    pool = list(dict.fromkeys(choices))
    if not word or not pool:
        return []
    found = process.extract(
        word,
        pool,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=cutoff,
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 70) -> str | None:
    """`did you mean `x`?` for the closest choice, or None."""
    best = close_matches(word, choices, limit=1, cutoff=cutoff)
    return f"did you mean `{best[0]}`?" if best else None
