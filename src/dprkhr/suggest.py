"""'Did you mean' suggestions from fuzzy matching."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(
    word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70, ids: bool = False
) -> list[str]:
    """The choices most like `word`, best first, scoring at least `cutoff` out of 100.

    `ids=True` compares slugs by plain edit-distance similarity, which rapidfuzz prunes by
    length: fast enough for tens of thousands of ids.
    """
    from rapidfuzz import fuzz, process, utils

    pool = choices if isinstance(choices, (list, tuple)) else list(dict.fromkeys(choices))
    if not word or not pool:
        return []
    if ids:
        found = process.extract(
            word.lower(), pool, scorer=fuzz.ratio, limit=limit, score_cutoff=max(cutoff, 75)
        )
    else:
        found = process.extract(
            word,
            pool,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit,
            score_cutoff=cutoff,
        )
    return list(dict.fromkeys(choice for choice, _score, _index in found))


def did_you_mean(
    word: str, choices: Iterable[str], cutoff: float = 70, ids: bool = False
) -> str | None:
    """`did you mean `x`?` for the closest choice, or None."""
    best = close_matches(word, choices, limit=1, cutoff=cutoff, ids=ids)
    return f"did you mean `{best[0]}`?" if best else None
