"""Name normalisation shared by matching and duplicate detection."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Fold a name for comparison: no diacritics, no case, no punctuation.

    `Elizabeth Salmón` -> `elizabeth salmon`; `Lee Shin-wha` -> `lee shin wha`;
    `Ra'ad` -> `ra ad`. Scripts without Latin decomposition (Korean) are kept.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold().replace("_", " ")
    return " ".join(_NON_WORD.sub(" ", folded).split())


def tokens(name: str) -> list[str]:
    return normalize(name).split()


def sorted_key(name: str) -> str:
    """Token-sorted normal form, so that name order does not matter."""
    return " ".join(sorted(tokens(name)))
