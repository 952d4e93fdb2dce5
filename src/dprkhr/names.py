"""Name normalisation shared by matching and duplicate detection, and the resolver that
turns a name a user typed (`Salmon`, `Lee Shin-wha`, `Salmén`) into a record id."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from dprkhr.errors import UsageError

if TYPE_CHECKING:
    from dprkhr.kb import KnowledgeBase
    from dprkhr.models import Forum

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Fold a name for comparison: no diacritics, no case, no punctuation.

    `Elizabeth Salmón` -> `elizabeth salmon`; `Lee Shin-wha` -> `lee shin wha`;
    `Ra'ad` -> `ra ad`. Scripts without Latin decomposition (Korean) are kept.
    """
    if name.isascii():  # the common case: nothing to decompose
        folded = name.lower().replace("_", " ")
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded = stripped.casefold().replace("_", " ")
    return " ".join(_NON_WORD.sub(" ", folded).split())


def tokens(name: str) -> list[str]:
    return normalize(name).split()


def sorted_key(name: str) -> str:
    """Token-sorted normal form, so that name order does not matter."""
    return " ".join(sorted(tokens(name)))


# --- resolving a name the user typed to one record ------------------------------------------

EXACT = "exact"
"""The text is an id, a name, an alias or a native name (case, accents, punctuation and
name order aside)."""
PARTIAL = "partial"
"""Every word of the text is a whole word, or the start of a word, of one name (`Salmon`)."""
FUZZY = "fuzzy"
"""The text is close to a name (typos, OCR errors like `Salmén`, `Tirk`)."""

RESOLVE_SCORE = 75.0
"""A fuzzy candidate needs at least this score (0-100) to resolve on its own."""
CLEAR_MARGIN = 8.0
"""...and must beat every other candidate by more than this, or the name is ambiguous."""
SUGGEST_SCORE = 55.0
"""Candidates scoring at least this are offered as "did you mean" suggestions."""
MAX_LISTED = 8
"""How many candidates an error message lists."""


@dataclass(frozen=True)
class NameMatch:
    """A record that a typed name may stand for."""

    id: str
    label: str
    """The record's display name (`Elizabeth Salmón`)."""
    score: float
    """0-100; 100 for exact matches."""
    how: str
    """`exact`, `partial` or `fuzzy`."""
    matched: str
    """The name, alias or id that matched."""

    @property
    def exact(self) -> bool:
        return self.how == EXACT

    def describe(self) -> str:
        return f"{self.id} ({self.label})" if self.label != self.id else self.id


def _listing(matches: Sequence[NameMatch]) -> str:
    shown = [m.describe() for m in matches[:MAX_LISTED]]
    more = len(matches) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class AmbiguousName(UsageError):
    """A name that fits several records about equally well."""

    def __init__(self, kind: str, query: str, candidates: Sequence[NameMatch]) -> None:
        self.kind = kind
        self.query = query
        self.candidates = list(candidates)
        super().__init__(
            f"{kind} `{query}` is ambiguous: it could be {_listing(self.candidates)}; "
            "give more of the name or the id"
        )


class UnknownName(UsageError):
    """A name that fits no record."""

    def __init__(self, kind: str, query: str, suggestions: Sequence[NameMatch]) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = list(suggestions)
        message = f"no {kind} matches `{query}`"
        if self.suggestions:
            message += f"; did you mean {_listing(self.suggestions)}?"
        super().__init__(message)


class NameEntry(NamedTuple):
    """One name of one record, folded for matching."""

    id: str
    name: str
    """One of the record's names, as written."""
    norm: str
    key: str
    """Token-sorted `norm`."""


class NameStore(Protocol):
    """Where a `NameIndex` keeps its tables: in memory (`MemoryNames`) or in the persisted
    store (`dprkhr.storequery.StoreNames`), which answers a look-up without loading every
    name."""

    def label(self, record_id: str) -> str | None: ...
    def count(self) -> int: ...
    def ids_with(self, form: str) -> set[str]:
        """Ids of the records with a name whose folded form (as is, token-sorted, or
        without spaces) is `form`."""
        ...

    def entries_with_token(self, token: str) -> set[int]: ...
    def entry(self, index: int) -> NameEntry: ...
    def entries_of(self, record_id: str) -> list[NameEntry]: ...
    def tokens_starting(self, prefix: str) -> list[str]:
        """Every token beginning with `prefix`, in order."""
        ...

    def keys(self) -> Sequence[str] | Mapping[int, str]:
        """The token-sorted form of every entry, by entry number (a list, or a mapping
        when the numbers are not 0 to n - 1)."""
        ...

    def tokens(self) -> list[str]:
        """Every token, sorted."""
        ...


def name_forms(norm: str) -> tuple[str, str, str]:
    """The forms a folded name is looked up by: as is, token-sorted, and without spaces
    (so that `Shinwha` finds `Shin-wha`)."""
    return norm, " ".join(sorted(norm.split())), norm.replace(" ", "")


def name_entries(
    record_id: str, label: str, names: Iterable[str]
) -> Iterator[tuple[str, str, str]]:
    """A record's names as the name tables hold them: (name, folded form, token-sorted
    key) for its id, its label and each other name, the first of each folded form only."""
    seen: set[str] = set()
    for name in (record_id, label, *names):
        norm = normalize(name)
        if not norm or norm in seen:
            continue
        seen.add(norm)
        yield name, norm, " ".join(sorted(norm.split()))


class MemoryNames:
    """A `NameStore` built from records, in dictionaries."""

    def __init__(self, records: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        self.labels: dict[str, str] = {}
        self.entries: list[NameEntry] = []
        self.by_form: dict[str, set[str]] = {}
        self.by_token: dict[str, set[int]] = {}
        self.by_id: dict[str, list[NameEntry]] = {}
        labels, entries, by_form, by_token = self.labels, self.entries, self.by_form, self.by_token
        for record_id, label, names in records:
            if record_id in labels:
                continue
            labels[record_id] = label
            own: list[NameEntry] = []
            for name, norm, key in name_entries(record_id, label, names):
                words = norm.split()
                index = len(entries)
                entry = NameEntry(record_id, name, norm, key)
                entries.append(entry)
                own.append(entry)
                for form in (norm, key, norm.replace(" ", "")):
                    ids = by_form.get(form)
                    if ids is None:
                        by_form[form] = {record_id}
                    else:
                        ids.add(record_id)
                for token in set(words):
                    hits = by_token.get(token)
                    if hits is None:
                        by_token[token] = {index}
                    else:
                        hits.add(index)
            self.by_id[record_id] = own
        self._tokens = sorted(by_token)
        self._keys: list[str] | None = None

    def label(self, record_id: str) -> str | None:
        return self.labels.get(record_id)

    def count(self) -> int:
        return len(self.labels)

    def ids_with(self, form: str) -> set[str]:
        return self.by_form.get(form, set())

    def entries_with_token(self, token: str) -> set[int]:
        return self.by_token.get(token, set())

    def entry(self, index: int) -> NameEntry:
        return self.entries[index]

    def entries_of(self, record_id: str) -> list[NameEntry]:
        return self.by_id.get(record_id, [])

    def tokens_starting(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._tokens, prefix)
        out = []
        for word in self._tokens[start:]:
            if not word.startswith(prefix):
                break
            out.append(word)
        return out

    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [e.key for e in self.entries]
        return self._keys

    def tokens(self) -> list[str]:
        return self._tokens


class NameIndex:
    """Every name of a set of records (actors, forums), folded for matching.

    Build it once per knowledge base; `resolve` and `search` then cost a few dictionary
    look-ups for exact and partial names, and one rapidfuzz pass over the folded names for
    the rest.
    """

    def __init__(self, kind: str, records: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        """`records` yields (id, display label, other names); the id and the label are
        names too."""
        self.kind = kind
        self.store: NameStore = MemoryNames(records)

    @classmethod
    def over(cls, kind: str, store: NameStore) -> NameIndex:
        """A name index over tables kept elsewhere (the persisted query index)."""
        index = cls.__new__(cls)
        index.kind = kind
        index.store = store
        return index

    def __len__(self) -> int:
        return self.store.count()

    def label(self, record_id: str) -> str | None:
        """The display name of a record, if it is in the index."""
        return self.store.label(record_id)

    # -- the tiers ------------------------------------------------------------------------

    def _exact(self, query: str, norm: str) -> list[NameMatch]:
        store = self.store
        label = store.label(query)
        if label is not None:
            return [NameMatch(query, label, 100.0, EXACT, query)]
        ids: set[str] = set()
        for form in name_forms(norm):
            ids |= store.ids_with(form)
        return [
            NameMatch(i, store.label(i) or i, 100.0, EXACT, self._best_name(i, norm)) for i in ids
        ]

    def _partial(self, norm: str) -> list[NameMatch]:
        """Names holding every word of the query as a word (or, failing that, as the start
        of a word): `Salmon`, `Turk`, `Kim`, `Elizabeth S`."""
        words = norm.split()
        for prefixes in (False, True):
            hits: set[int] | None = None
            for word in words:
                if prefixes:
                    found: set[int] = set()
                    for full in self.store.tokens_starting(word):
                        found |= self.store.entries_with_token(full)
                else:
                    found = self.store.entries_with_token(word)
                hits = found if hits is None else hits & found
                if not hits:
                    break
            if hits:
                best: dict[str, NameMatch] = {}
                for index in hits:
                    entry = self.store.entry(index)
                    # more of the name typed, better score; whole words beat prefixes
                    score = 90.0 * len(norm) / max(len(entry.norm), 1)
                    score = min(score, 99.0) - (5.0 if prefixes else 0.0)
                    current = best.get(entry.id)
                    if current is None or score > current.score:
                        best[entry.id] = NameMatch(
                            entry.id,
                            self.store.label(entry.id) or entry.id,
                            score,
                            PARTIAL,
                            entry.name,
                        )
                return sorted(best.values(), key=lambda m: (-m.score, m.id))
        return []

    def _fuzzy(self, norm: str, cutoff: float) -> list[NameMatch]:
        """Rapidfuzz over the folded names: whole names in either order, and word by word
        (so that a misspelt surname alone still finds its person)."""
        from rapidfuzz import fuzz, process

        store = self.store
        best: dict[str, tuple[float, int]] = {}
        entries: dict[int, NameEntry] = {}

        def offer(index: int, score: float) -> None:
            if index not in entries:
                entries[index] = store.entry(index)
            record_id = entries[index].id
            if record_id not in best or score > best[record_id][0]:
                best[record_id] = (score, index)

        key = " ".join(sorted(norm.split()))
        for _choice, score, index in process.extract(
            key, store.keys(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=50
        ):
            offer(index, score)
        # word by word: every query word must be close to some word of the same name
        words = norm.split()
        if len(words) <= 4:
            per_entry: dict[int, list[float]] = {}
            for position, word in enumerate(words):
                for token, score, _i in process.extract(
                    word, store.tokens(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=50
                ):
                    for index in store.entries_with_token(token):
                        scores = per_entry.setdefault(index, [0.0] * len(words))
                        scores[position] = max(scores[position], score)
            for index, scores in per_entry.items():
                if min(scores) >= cutoff:
                    offer(index, sum(scores) / len(scores))
        matches = [
            NameMatch(i, store.label(i) or i, round(score, 1), FUZZY, entries[index].name)
            for i, (score, index) in best.items()
        ]
        return sorted(matches, key=lambda m: (-m.score, m.id))

    def _best_name(self, record_id: str, norm: str) -> str:
        for entry in self.store.entries_of(record_id):
            if norm in (entry.norm, entry.key, entry.norm.replace(" ", "")):
                return entry.name
        return record_id

    # -- public ---------------------------------------------------------------------------

    def search(self, query: str, cutoff: float = SUGGEST_SCORE) -> list[NameMatch]:
        """Every record the text may stand for, best first (exact, then partial, then
        fuzzy matches scoring at least `cutoff`)."""
        norm = normalize(query)
        if not norm:
            return []
        found: dict[str, NameMatch] = {}
        for match in (*self._exact(query, norm), *self._partial(norm)):
            found.setdefault(match.id, match)
        for match in self._fuzzy(norm, cutoff):
            found.setdefault(match.id, match)
        order = {EXACT: 0, PARTIAL: 1, FUZZY: 2}
        return sorted(found.values(), key=lambda m: (order[m.how], -m.score, m.id))

    def rank(self, query: str) -> list[NameMatch]:
        """The records a text names, best first, weak matches dropped: the records it is a
        name of (exact); failing those, the records with a name holding every word of it
        (partial, whole words before starts of words); failing those, near spellings
        (fuzzy) scoring at least `RESOLVE_SCORE` and within `CLEAR_MARGIN` of the best."""
        norm = normalize(query)
        if not norm:
            return []
        exact = self._exact(query, norm)
        if exact:
            return sorted(exact, key=lambda m: (self.label(m.id) or m.id, m.id))
        partial = self._partial(norm)
        if partial:
            return partial
        fuzzy = self._fuzzy(norm, RESOLVE_SCORE)
        return [m for m in fuzzy if m.score >= fuzzy[0].score - CLEAR_MARGIN]

    def resolve(self, query: str) -> NameMatch:
        """The one record a name stands for.

        Raises `AmbiguousName` when several fit about equally and `UnknownName` (with
        suggestions) when none fits.
        """
        norm = normalize(query)
        if not norm:
            raise UsageError(f"empty {self.kind} name")
        exact = self._exact(query, norm)
        if len(exact) == 1:
            return exact[0]
        if exact:
            raise AmbiguousName(self.kind, query, sorted(exact, key=lambda m: m.id))
        partial = self._partial(norm)
        if len(partial) == 1:
            return partial[0]
        if partial:
            raise AmbiguousName(self.kind, query, partial)
        fuzzy = self._fuzzy(norm, SUGGEST_SCORE)
        if not fuzzy or fuzzy[0].score < RESOLVE_SCORE:
            raise UnknownName(self.kind, query, fuzzy[:3])
        close = [m for m in fuzzy if m.score >= fuzzy[0].score - CLEAR_MARGIN]
        if len(close) > 1:
            raise AmbiguousName(self.kind, query, close)
        return fuzzy[0]


NamedRecords = Iterable[tuple[str, str, Iterable[str]]]
"""(id, display label, other names) of each record a name index holds."""


def _actor_names(kb: KnowledgeBase) -> NamedRecords:
    return ((a.id, a.name, a.all_names()) for a in kb.actors)


def _forum_names(kb: KnowledgeBase) -> NamedRecords:
    return ((f.code, f.name, f.all_names()) for f in kb.forums)


def _resolution_names(kb: KnowledgeBase) -> NamedRecords:
    return ((r.id, r.symbol or r.id, [r.symbol] if r.symbol else []) for r in kb.resolutions)


NAME_SETS: dict[str, Callable[[KnowledgeBase], NamedRecords]] = {
    "actor": _actor_names,
    "forum": _forum_names,
    "resolution": _resolution_names,
}
"""The name indexes a knowledge base has, by kind (memoised as `names:KIND`)."""


class Named(Protocol):
    """What has name indexes: the knowledge base, or the store (`dprkhr.query.QuerySource`)."""

    def memo(self, key: str, build: Callable[[], Any]) -> Any: ...
    def name_records(self, kind: str) -> NamedRecords: ...


def name_index(kb: Named, kind: str) -> NameIndex:
    """The name index of one kind of record, built on first use."""
    found = kb.memo(f"names:{kind}", lambda: NameIndex(kind, kb.name_records(kind)))
    assert isinstance(found, NameIndex)
    return found


def actor_index(kb: Named) -> NameIndex:
    """Actors by id, name, alias and native name."""
    return name_index(kb, "actor")


def forum_index(kb: Named) -> NameIndex:
    """Forums by code, name and alias."""
    return name_index(kb, "forum")


def resolution_index(kb: Named) -> NameIndex:
    """Resolutions by id and symbol."""
    return name_index(kb, "resolution")


_STOP = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with", "from"}


def slugify(text: str, max_words: int | None = None) -> str:
    """A lower-case id fragment: diacritics folded, punctuation to single hyphens.

    `Elizabeth Salmón` -> `elizabeth-salmon`; `Volker Türk` -> `volker-turk`.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l")
    words = re.sub(r"[^a-z0-9]+", " ", folded.lower()).split()
    if max_words is not None:
        kept = [w for w in words if w not in _STOP] or words
        words = kept[:max_words]
    return "-".join(words)


def forum_named(text: str, forums: Iterable[Forum]) -> Forum | None:
    """The forum whose code, name or alias is `text` (ignoring case, accents and
    punctuation), if any: `Security Council` -> UNSC."""
    wanted = normalize(text)
    for forum in forums:
        if any(normalize(name) == wanted for name in forum.all_names()):
            return forum
    return None
