"""Which records hold some words: the one text match behind `search` and every `--text`.

A record *holds* a word when one of its searchable fields has it as a whole word, case,
accents and punctuation aside (`Salmón` holds `salmon`, `A/HRC/RES/22/13` holds `22`),
or in its other number: `resolution` and `resolutions`, `process` and `processes`,
`party` and `parties`. A part of a word is not enough: `law` is not held by `lawyer`. A query of punctuation
only (`%`), which has no word, is looked for as written (case aside) in the fields.

The searchable fields (`record_fields`) are, by record type:

- actor: id, name, aliases, native name, summary, quotes of its citations;
- event: id, title, summary, location, document symbols, tags (by name), quotes;
- resolution: id, symbol, title, summary, tags (by name), quotes;
- source: id, title, publisher, author.

A record matches a query when one of its fields holds every word of it (words spread
over several fields do not make a match: "forced" in a title and "repatriation" in a
quote do not say "forced repatriation"). `search` ranks what matches; `events --text`, `resolutions --text` and the
`--text` of `timeline`, `stats` and `export` keep what matches: so `search --type event
WORDS` and `events --text WORDS` find the same events, and since a tag's name is a
field, an event tagged `forced-repatriation` is found by the words "forced
repatriation" (and so are events whose text says so without the tag).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

from dprkhr.errors import UsageError
from dprkhr.names import normalize

if TYPE_CHECKING:
    from dprkhr.kb import KnowledgeBase
    from dprkhr.models import Actor, Event, Record, Resolution, Source

FIELD_WEIGHT = {
    "id": 3.0,
    "name": 3.0,
    "symbol": 3.0,
    "title": 2.5,
    "tag": 2.0,
    "summary": 1.5,
    "location": 1.0,
    "quote": 1.0,
}
"""How much a match in each field counts when ranking (`search`)."""

RECORD_TYPES = ("actor", "resolution", "event", "source")
"""In the order `search` lists records of equal rank."""

_PLURAL_ES = ("s", "x", "z", "ch", "sh")


@dataclass(frozen=True)
class TextQuery:
    """What a search or a `--text` looks for, as text, never as a pattern: its words
    (folded), or, for a query of punctuation only (`%`, `_`, `*`), which folds to no
    word, that text looked for literally (case aside) in the fields as written, so that
    it matches the records holding it rather than every record."""

    text: str
    words: list[str]
    literal: str | None = None

    @classmethod
    def parse(cls, text: str, option: str = "search") -> TextQuery:
        words = normalize(text).split()
        if not words and not text.strip():
            raise UsageError(f"{option} for what? give some words")
        return cls(text, words, None if words else text.strip().casefold())


def query_words(text: str, option: str = "search") -> list[str]:
    """The folded words of a query (none for punctuation only: see `TextQuery`)."""
    return TextQuery.parse(text, option).words


def forms(word: str) -> tuple[str, ...]:
    """A folded word and its other number (`law`/`laws`, `process`/`processes`,
    `party`/`parties`); words shorter than three letters have only themselves."""
    if len(word) < 3 or word.isdigit():
        return (word,)
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith(_PLURAL_ES) and len(word) > 4:
        out.append(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append(word[:-1])
    elif word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        out.append(word[:-1] + "ies")
    elif word.endswith(_PLURAL_ES):
        out.append(word + "es")
    else:
        out.append(word + "s")
    return tuple(out)


def holds(words: Sequence[str], held: frozenset[str] | set[str]) -> bool:
    """Whether a set of folded words holds every query word (in one of its `forms`)."""
    return all(any(f in held for f in forms(w)) for w in words)


Wanted = list[tuple[str, ...]]
"""The `forms` of each query word."""


def wanted(words: Sequence[str]) -> Wanted:
    return [forms(w) for w in words]


def field_holds(want: Wanted, folded: str) -> bool:
    """Whether a folded field holds every wanted word as a whole word (a quick test of
    the text first: most fields hold none of them)."""
    for options in want:
        if not any(f in folded for f in options):
            return False
    held = set(folded.split())
    return all(any(f in held for f in options) for options in want)


def record_fields(record: Record, tag_names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, text) of every searchable field of a record (see the module docstring)."""
    # `record_type` names the model class (an isinstance test would import the models)
    fields: list[tuple[str, str]] = [("id", record.id)]
    kind = record.record_type
    if kind == "actor":
        fields += [("name", n) for n in cast("Actor", record).all_names()]
    if kind == "resolution" and (symbol := cast("Resolution", record).symbol):
        fields.append(("symbol", symbol))
    title = getattr(record, "title", None)
    if title:
        fields.append(("title", title))
    if kind == "source":
        source = cast("Source", record)
        fields += [("name", x) for x in (source.publisher, source.author) if x]
    if kind == "event":
        fields += [("symbol", d) for d in cast("Event", record).documents]
    fields += [("tag", tag_names.get(t, t)) for t in getattr(record, "tags", None) or ()]
    summary = getattr(record, "summary", None)
    if summary:
        fields.append(("summary", summary))
    location = getattr(record, "location", None)
    if location:
        fields.append(("location", location))
    fields += [("quote", c.quote) for c in getattr(record, "sources", None) or () if c.quote]
    return fields


@dataclass(frozen=True, slots=True)
class Entry:
    """A record as the word search sees it."""

    record: Record
    fields: tuple[tuple[str, str], ...]
    """(field, folded text)."""

    def holds(self, want: Wanted) -> bool:
        """Whether one field holds every wanted word."""
        return any(field_holds(want, folded) for _f, folded in self.fields)


@dataclass(frozen=True)
class WordIndex:
    """The searchable records of one type, each with its words."""

    entries: list[Entry]
    by_id: dict[str, Entry]

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every folded word of every field (for near matches only)."""
        return frozenset(w for e in self.entries for _f, folded in e.fields for w in folded.split())


def _tag_names(kb: KnowledgeBase) -> dict[str, str]:
    return kb.memo("tag-names", lambda: {t.id: t.name for t in kb.tags})


def word_index(kb: KnowledgeBase, record_type: str) -> WordIndex:
    """The word index of one record type (made once per knowledge base)."""

    def build() -> WordIndex:
        tag_names = _tag_names(kb)
        groups: dict[str, Sequence[Record]] = {
            "actor": kb.actors,
            "event": kb.events,
            "resolution": kb.resolutions,
            "source": kb.sources,
        }
        group = groups[record_type]
        entries = [
            Entry(record, tuple((f, normalize(t)) for f, t in record_fields(record, tag_names)))
            for record in group
        ]
        return WordIndex(entries, {e.record.id: e for e in entries})

    return kb.memo(f"words:{record_type}", build)


def record_holds(kb: KnowledgeBase, record: Record, query: TextQuery) -> bool:
    """Whether a record holds the query (the `--text` filters): one field holds every
    word, or, for punctuation only, a field holds it as written."""
    if query.literal is not None:
        tag_names = _tag_names(kb)
        return any(
            query.literal in text.casefold() for _f, text in record_fields(record, tag_names)
        )
    entry = word_index(kb, record.record_type).by_id.get(record.id)
    return entry is not None and entry.holds(wanted(query.words))


def tag_named(kb: KnowledgeBase, query: TextQuery) -> str | None:
    """The tag whose name (or id) is the query's words, if any: `forced repatriation`."""
    phrase = " ".join(query.words)
    if not phrase:
        return None
    for tag in kb.tags:
        if phrase in (normalize(tag.name), normalize(tag.id)):
            return tag.id
    return None


def missing_words(kb: KnowledgeBase, record_type: str, query: TextQuery) -> list[str]:
    """The query's words that no record of the type holds, in any form."""
    vocabulary = word_index(kb, record_type).vocabulary
    return [w for w in query.words if not any(f in vocabulary for f in forms(w))]


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    record: Record
    score: float
    field: str
    """The field that matched best (`name`, `title`, `summary`, `quote`...)."""
    near: bool = False
    """A near match: it holds words close to the ones asked for, not the words."""

    @property
    def record_type(self) -> str:
        return self.record.record_type

    @property
    def match(self) -> str:
        return "near" if self.near else "exact"


@dataclass
class SearchResult:
    text: str
    """The query as given."""
    words: list[str]
    """The query, folded."""
    hits: list[SearchHit]
    """Records holding every word, best first."""
    near: list[SearchHit]
    """Only when there is no hit: records holding, for each word no record holds, a word
    of the dataset spelt like it (`Slamon` → `salmon`), best first."""
    missing: list[str]
    """Query words that no record (of the types searched) holds in any form."""
    corrections: dict[str, list[str]]
    """For each missing word: the dataset's words spelt like it (none: no near match)."""


def _score(words: Sequence[str], fields: Sequence[tuple[str, str]]) -> tuple[float, str]:
    """How well a record holding every word matches: a whole phrase beats scattered words,
    a name or title beats a summary, a summary beats a quote."""
    phrase = " ".join(words)
    want = wanted(words)
    best, best_field = 0.0, ""
    for name, folded in fields:
        if not field_holds(want, folded):
            continue
        score = FIELD_WEIGHT[name] * 10
        if f" {phrase} " in f" {folded} ":
            score += 10
            if folded == phrase:
                score += 20
            elif folded.startswith(phrase):
                score += 5
        if score > best:
            best, best_field = score, name
    return best, best_field


def _literal_field(kb: KnowledgeBase, record: Record, literal: str) -> str:
    """The weightiest field holding `literal` as written (case aside), or ""."""
    tag_names = _tag_names(kb)
    found = [f for f, text in record_fields(record, tag_names) if literal in text.casefold()]
    return max(found, key=FIELD_WEIGHT.__getitem__, default="")


def _close_words(word: str, vocabulary: frozenset[str]) -> list[str]:
    """Words of the dataset spelt like `word` (a typo, a transposition): never for short
    words, where one letter makes another word."""
    if len(word) < 4 or word.isdigit():
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(
        word,
        [v for v in vocabulary if abs(len(v) - len(word)) <= 2 and not v.isdigit()],
        scorer=fuzz.ratio,
        score_cutoff=80,
        limit=5,
    )
    return [choice for choice, _score, _i in sorted(found, key=lambda f: (-f[1], f[0]))]


def search(kb: KnowledgeBase, text: str, types: Sequence[str] = ()) -> SearchResult:
    """Records of the given types (all by default) holding every word of `text`, best
    first. When none does, near matches: only if every word no record holds is spelt
    like some word of the dataset."""
    query = TextQuery.parse(text)
    words = query.words
    indexes = [word_index(kb, t) for t in RECORD_TYPES if not types or t in types]
    if query.literal is not None:
        hits = [
            SearchHit(entry.record, FIELD_WEIGHT[field], field)
            for index in indexes
            for entry in index.entries
            if (field := _literal_field(kb, entry.record, query.literal))
        ]
    else:
        want = wanted(words)
        hits = [
            SearchHit(entry.record, *_score(words, entry.fields))
            for index in indexes
            for entry in index.entries
            if entry.holds(want)
        ]
    order = {t: i for i, t in enumerate(RECORD_TYPES)}

    def rank(hit: SearchHit) -> tuple[float, int, str]:
        return (-hit.score, order[hit.record_type], hit.record.id)

    hits.sort(key=rank)
    result = SearchResult(text, words, hits, [], [], {})
    if hits or query.literal is not None:
        return result
    vocabulary = frozenset().union(*(i.vocabulary for i in indexes))
    result.missing = [w for w in words if not any(f in vocabulary for f in forms(w))]
    result.corrections = {w: _close_words(w, vocabulary) for w in result.missing}
    if not result.missing or not all(result.corrections.values()):
        return result  # every word is there but never together, or one is nowhere
    choices = [[w, *result.corrections.get(w, [])] for w in words]
    near = []
    for index in indexes:
        for entry in index.entries:
            best: SearchHit | None = None
            for folded in entry.fields:
                held = set(folded[1].split())
                chosen = [next((o for o in options if holds([o], held)), "") for options in choices]
                if not all(chosen):
                    continue
                score, name = _score(chosen, [folded])
                if best is None or score / 10 > best.score:
                    best = SearchHit(entry.record, round(score / 10, 1), name, near=True)
            if best is not None:
                near.append(best)
    near.sort(key=rank)
    result.near = near
    return result
