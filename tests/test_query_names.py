"""Resolving names the user typed: exact, alias, accents, name order, typos, OCR variants,
partial names, ambiguity and unknown names."""

from __future__ import annotations

import pytest

from dprkhr.errors import UsageError
from dprkhr.names import AmbiguousName, NameIndex, UnknownName

PEOPLE = [
    ("elizabeth-salmon", "Elizabeth Salmón", ["Elizabeth Salmón", "Elizabeth Salmon"]),
    ("volker-turk", "Volker Türk", ["Volker Türk", "Volker Turk"]),
    ("lee-shin-wha", "Lee Shin-wha", ["Lee Shin-wha", "이신화"]),
    ("tomas-ojea-quintana", "Tomás Ojea Quintana", ["Tomás Ojea Quintana"]),
    ("michael-kirby", "Michael Kirby", ["Michael Kirby", "Michael Donald Kirby"]),
    ("marzuki-darusman", "Marzuki Darusman", ["Marzuki Darusman"]),
    ("kim-min-jun", "Kim Min-jun", ["Kim Min-jun"]),
    ("kim-seo-yeon", "Kim Seo-yeon", ["Kim Seo-yeon"]),
    ("un-security-council", "United Nations Security Council", ["Security Council", "UNSC"]),
    ("republic-of-korea", "Republic of Korea", ["Republic of Korea", "South Korea", "ROK"]),
    ("dprk", "Democratic People's Republic of Korea", ["North Korea", "DPRK"]),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex("actor", PEOPLE)


RESOLVES = [
    # (what the user typed, expected id, how)
    ("elizabeth-salmon", "elizabeth-salmon", "exact"),  # id
    ("Elizabeth Salmón", "elizabeth-salmon", "exact"),  # name
    ("Elizabeth Salmon", "elizabeth-salmon", "exact"),  # alias
    ("ELIZABETH SALMON", "elizabeth-salmon", "exact"),  # case
    ("Volker Turk", "volker-turk", "exact"),  # diacritics dropped
    ("volker türk", "volker-turk", "exact"),
    ("Salmon Elizabeth", "elizabeth-salmon", "exact"),  # name order
    ("Shin-wha Lee", "lee-shin-wha", "exact"),  # Korean name order
    ("Lee Shinwha", "lee-shin-wha", "exact"),  # punctuation
    ("이신화", "lee-shin-wha", "exact"),  # native name
    ("South Korea", "republic-of-korea", "exact"),
    ("UNSC", "un-security-council", "exact"),
    ("Salmon", "elizabeth-salmon", "partial"),  # surname only
    ("Turk", "volker-turk", "partial"),
    ("Quintana", "tomas-ojea-quintana", "partial"),
    ("Ojea Quintana", "tomas-ojea-quintana", "partial"),
    ("Elizabeth S", "elizabeth-salmon", "partial"),  # start of a word
    ("Salmén", "elizabeth-salmon", "fuzzy"),  # OCR variant
    ("Elizabeth Salmén", "elizabeth-salmon", "fuzzy"),
    ("Tirk", "volker-turk", "fuzzy"),  # OCR variant of a surname alone
    ("Volker Tirk", "volker-turk", "fuzzy"),
    ("Salrnon", "elizabeth-salmon", "fuzzy"),  # rn for m
    ("Elizabth Salmon", "elizabeth-salmon", "fuzzy"),  # typo
    ("Darusmann", "marzuki-darusman", "fuzzy"),
    ("Kirbx Michal", "michael-kirby", "fuzzy"),
    ("Kirbi", "michael-kirby", "fuzzy"),
]


@pytest.mark.parametrize(("typed", "expected", "how"), RESOLVES)
def test_resolves(index: NameIndex, typed: str, expected: str, how: str) -> None:
    match = index.resolve(typed)
    assert (match.id, match.how) == (expected, how)
    assert match.exact == (how == "exact")


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("Kim", {"kim-min-jun", "kim-seo-yeon"}),
        ("Korea", {"republic-of-korea", "dprk"}),
    ],
)
def test_ambiguous_lists_candidates_with_ids(
    index: NameIndex, typed: str, candidates: set[str]
) -> None:
    with pytest.raises(AmbiguousName) as caught:
        index.resolve(typed)
    assert {m.id for m in caught.value.candidates} == candidates
    message = str(caught.value)
    assert "ambiguous" in message
    for candidate in candidates:
        assert candidate in message
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2


def test_unknown_suggests(index: NameIndex) -> None:
    with pytest.raises(UnknownName) as caught:
        index.resolve("Kirbster")
    assert "did you mean" in str(caught.value)
    assert "michael-kirby" in str(caught.value)
    assert caught.value.exit_code == 2


def test_unknown_without_suggestion(index: NameIndex) -> None:
    with pytest.raises(UnknownName) as caught:
        index.resolve("Zzyzx")
    assert "no actor matches `Zzyzx`" in str(caught.value)


def test_empty_name_is_a_usage_error(index: NameIndex) -> None:
    with pytest.raises(UsageError):
        index.resolve("  ")


def test_same_name_twice_is_ambiguous() -> None:
    index = NameIndex("actor", [("kim-a", "Kim Il", ["Kim Il"]), ("kim-b", "Kim Il", ["Kim Il"])])
    with pytest.raises(AmbiguousName):
        index.resolve("Kim Il")
    assert index.resolve("kim-b").id == "kim-b"


def test_search_ranks_exact_then_partial_then_fuzzy(index: NameIndex) -> None:
    found = [m.id for m in index.search("Kim")]
    assert found[:2] == ["kim-min-jun", "kim-seo-yeon"]
    assert index.search("Elizabeth Salmon")[0].id == "elizabeth-salmon"
    assert index.search("") == []


FORUMS = [
    ("UNSC", "United Nations Security Council", ["UNSC", "Security Council", "SC"]),
    ("HRC", "Human Rights Council", ["HRC", "UN Human Rights Council", "UNHRC"]),
    ("CHR", "Commission on Human Rights", ["CHR", "UNCHR"]),
    ("UNGA", "United Nations General Assembly", ["UNGA", "General Assembly", "GA"]),
]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Security Council", "UNSC"),
        ("unsc", "UNSC"),
        ("General Assembly", "UNGA"),
        ("Human Rights Council", "HRC"),
        ("Commission on Human Rigths", "CHR"),
    ],
)
def test_forums(typed: str, code: str) -> None:
    assert NameIndex("forum", FORUMS).resolve(typed).id == code
