"""The query functions: date overlap, filters, show, search, timeline, related, stats."""

from __future__ import annotations

import pytest
from helpers_query import make_dataset

from dprkhr.dataset import load_dataset
from dprkhr.dates import PartialDate
from dprkhr.errors import UsageError
from dprkhr.kb import KnowledgeBase
from dprkhr.names import AmbiguousName, UnknownName
from dprkhr.query import (
    ActorFilter,
    EventFilter,
    ResolutionFilter,
    backlinks,
    date_range,
    event_overlaps,
    filter_actors,
    filter_events,
    filter_resolutions,
    find_gaps,
    months_between,
    related,
    resolve_actor,
    resolve_forum,
    resolve_resolution,
    search,
    stats,
    timeline,
)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = make_dataset(tmp_path_factory.mktemp("kb"))
    return KnowledgeBase.from_dataset(load_dataset(root))


def ids(records) -> list[str]:
    return [r.id for r in records]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_date", "since", "until", "expected"),
    [
        ("2023-12-31", None, "2023", True),  # --until 2023 includes 31 December
        ("2024-01-01", None, "2023", False),
        ("2024-03", "2024-03-15", None, True),  # a month overlaps a day inside it
        ("2024-03", "2024-04", None, False),
        ("2024", "2024-06-30", "2024-06-30", True),  # a year overlaps each of its days
        ("2024-03-14", "2024-03-15", None, False),
        ("2024-03-15", "2024-03-15", "2024-03-15", True),
        ("2023-12", "2023-12-31", "2024", True),
    ],
)
def test_event_overlap(event_date: str, since, until, expected: bool, kb: KnowledgeBase) -> None:
    from dprkhr.models import Event

    event = Event(id="e", date=event_date, type="meeting", title="t")
    start, end = date_range(since, until)
    assert event_overlaps(event, start, end) is expected


def test_an_event_span_overlaps_by_its_end_date() -> None:
    from dprkhr.models import Event

    event = Event(id="e", date="2023-12-30", end_date="2024-01-02", type="visit", title="t")
    assert event_overlaps(event, PartialDate("2024"), None)
    assert not event_overlaps(event, PartialDate("2024-02"), None)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2024-13", None, "month 13"),
        ("yesterday", None, "YYYY"),
        (None, "2023-02-30", "28 days"),
        ("2024", "2023", "before"),
    ],
)
def test_bad_dates_are_usage_errors(since, until, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        date_range(since, until)


def test_until_year_and_since_inside_month(kb: KnowledgeBase) -> None:
    until = filter_events(kb, EventFilter(until=PartialDate("2023")))
    assert "2023-12-31-rok-statement" in ids(until)
    assert "2024-03-hrc-dialogue" not in ids(until)
    since = filter_events(kb, EventFilter(since=PartialDate("2024-03-15")))
    assert ids(since) == ["2024-03-hrc-dialogue", "2024-05-01-hostile-event"]


# --- events ---------------------------------------------------------------------------------


def test_events_by_actor_all_of_them(kb: KnowledgeBase) -> None:
    salmon = resolve_actor(kb, "Salmon").id
    assert ids(filter_events(kb, EventFilter(actors=[salmon]))) == [
        "2023-08-17-unsc-briefing",
        "2024-03-hrc-dialogue",
    ]
    lee = resolve_actor(kb, "Shin-wha Lee").id
    assert ids(filter_events(kb, EventFilter(actors=[salmon, lee]))) == ["2024-03-hrc-dialogue"]


def test_events_filters(kb: KnowledgeBase) -> None:
    unsc = resolve_forum(kb, "Security Council").id
    assert unsc == "UNSC"
    in_2023 = EventFilter(forum=unsc, since=PartialDate("2023"), until=PartialDate("2023"))
    assert ids(filter_events(kb, in_2023)) == ["2023-08-17-unsc-briefing"]
    assert ids(filter_events(kb, EventFilter(types=["meeting"]))) == [
        "2014-12-22-unsc-meeting",
        "2017-12-11-unsc-meeting",
    ]
    assert ids(filter_events(kb, EventFilter(tags=["accountability"]))) == ["2024-03-hrc-dialogue"]
    assert ids(filter_events(kb, EventFilter(resolution="a-hrc-res-22-13"))) == [
        "2024-03-hrc-dialogue"
    ]
    assert ids(filter_events(kb, EventFilter(text="new york"))) == ["2023-08-17-unsc-briefing"]
    assert ids(filter_events(kb, EventFilter(text="HIGH commissioner"))) == [
        "2023-08-17-unsc-briefing"
    ]


def test_events_sort_and_limit(kb: KnowledgeBase) -> None:
    newest = filter_events(kb, EventFilter(), sort="-date", limit=2)
    assert ids(newest) == ["2024-05-01-hostile-event", "2024-03-hrc-dialogue"]
    assert len(filter_events(kb, EventFilter(), limit=1)) == 1


def test_resolution_by_symbol_or_id(kb: KnowledgeBase) -> None:
    assert resolve_resolution(kb, "A/HRC/RES/22/13").id == "a-hrc-res-22-13"
    assert resolve_resolution(kb, "a-hrc-res-22-13").id == "a-hrc-res-22-13"
    with pytest.raises(UnknownName, match="did you mean"):
        resolve_resolution(kb, "A/HRC/RES/22/14")


# --- actors and resolutions -----------------------------------------------------------------


def test_actors_filters(kb: KnowledgeBase) -> None:
    assert ids(filter_actors(kb, ActorFilter(kind="state"))) == ["republic-of-korea"]
    korean = ids(filter_actors(kb, ActorFilter(country="kr")))
    assert set(korean) == {"kim-min-jun", "kim-seo-yeon", "lee-shin-wha", "republic-of-korea"}
    assert ids(filter_actors(kb, ActorFilter(query="Kim")))[:2] == ["kim-min-jun", "kim-seo-yeon"]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2019-03-12", ["tomas-ojea-quintana"]),
        ("2022-07-31", ["tomas-ojea-quintana"]),
        ("2022-08", ["elizabeth-salmon"]),
        ("2022", ["elizabeth-salmon", "tomas-ojea-quintana"]),  # both held it that year
        ("2023", ["elizabeth-salmon"]),
        ("2015", []),
    ],
)
def test_who_held_a_role_on_a_date(kb: KnowledgeBase, as_of: str, expected: list[str]) -> None:
    criteria = ActorFilter(role="special rapporteur", as_of=PartialDate(as_of))
    assert sorted(ids(filter_actors(kb, criteria))) == expected


def test_role_by_organisation(kb: KnowledgeBase) -> None:
    assert ids(filter_actors(kb, ActorFilter(role="republic-of-korea"))) == ["lee-shin-wha"]


def test_resolutions_filters(kb: KnowledgeBase) -> None:
    rok = resolve_actor(kb, "South Korea").id
    assert ids(filter_resolutions(kb, ResolutionFilter(sponsors=[rok]))) == [
        "a-hrc-res-22-13",
        "a-res-78-218",
    ]
    assert ids(filter_resolutions(kb, ResolutionFilter(forum="HRC", session="25"))) == [
        "a-hrc-res-25-25"
    ]
    assert ids(filter_resolutions(kb, ResolutionFilter(adopted="vote"))) == ["a-hrc-res-25-25"]
    assert ids(filter_resolutions(kb, ResolutionFilter(until=PartialDate("2013")))) == [
        "a-hrc-res-22-13"
    ]
    assert ids(filter_resolutions(kb, ResolutionFilter(), sort="-date"))[0] == "a-res-78-218"


def test_ambiguous_sponsor(kb: KnowledgeBase) -> None:
    with pytest.raises(AmbiguousName, match="kim-min-jun"):
        resolve_actor(kb, "Kim")


# --- show, search -------------------------------------------------------------------------


def test_show_groups_backlinks(kb: KnowledgeBase) -> None:
    salmon = backlinks(kb, "Salmén")
    assert salmon.id == "elizabeth-salmon"
    assert salmon.match is not None and salmon.match.how == "fuzzy"
    assert ids(salmon.events) == ["2023-08-17-unsc-briefing", "2024-03-hrc-dialogue"]
    rok = backlinks(kb, "republic-of-korea")
    assert rok.match is None
    assert ids(rok.resolutions) == ["a-hrc-res-22-13", "a-res-78-218"]
    assert ids(rok.actors) == ["lee-shin-wha"]  # holds a role in it
    coi = backlinks(kb, "A/HRC/RES/22/13")
    assert coi.record_type == "resolution"
    assert ids(coi.events) == ["2024-03-hrc-dialogue"]
    assert ids(coi.resolutions) == ["a-hrc-res-25-25"]  # follows it
    source = backlinks(kb, "test-source")
    assert len(source.cited_by) == len(kb.records) - 1
    forum = backlinks(kb, "UNSC")
    assert forum.record_type == "forum"
    assert len(forum.events) == 3


def test_show_unknown(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownName):
        backlinks(kb, "nothing-like-this-zzz")


def test_search_ranks_and_spans_types(kb: KnowledgeBase) -> None:
    hits = search(kb, "commission of inquiry").hits
    assert {h.record_type for h in hits} == {"resolution", "source"}
    assert hits[0].record.id == "test-source"  # in a title beats in a summary
    assert search(kb, "Salmon").hits[0].record.id == "elizabeth-salmon"
    assert search(kb, "a short quote", types=["event"]).hits[0].record_type == "event"
    typo = search(kb, "Elizabteh Slamon")  # no exact words: near matches, apart
    assert typo.hits == [] and typo.missing == ["elizabteh", "slamon"]
    assert typo.near[0].record.id == "elizabeth-salmon" and typo.near[0].near
    nowhere = search(kb, "zzzz qqqq")
    assert (nowhere.hits, nowhere.near, nowhere.missing) == ([], [], ["zzzz", "qqqq"])
    with pytest.raises(UsageError):
        search(kb, "  ")


# --- timeline, gaps, related, stats --------------------------------------------------------


def test_timeline_interleaves_resolutions(kb: KnowledgeBase) -> None:
    result = timeline(kb, EventFilter(since=PartialDate("2013"), until=PartialDate("2014")))
    assert ids(result.items) == [
        "a-hrc-res-22-13",
        "a-hrc-res-25-25",
        "2014-12-22-unsc-meeting",
    ]
    assert [year for year, _ in result.by_year()] == [2013, 2014]
    only_events = timeline(kb, EventFilter(types=["meeting"]))
    assert all(r.record_type == "event" for r in only_events.items)


def test_security_council_silences(kb: KnowledgeBase) -> None:
    import datetime as dt

    day = dt.date(2024, 6, 1)
    result = timeline(kb, EventFilter(forum="UNSC"), gaps=36, today=day)
    assert [(g.forum, str(g.after), str(g.before), g.months) for g in result.gaps] == [
        ("UNSC", "2017-12-11", "2023-08-17", 68)
    ]
    assert len(timeline(kb, EventFilter(forum="UNSC"), gaps=24, today=day).gaps) == 2
    assert timeline(kb, EventFilter(forum="UNSC"), gaps=100, today=day).gaps == []


def test_months_between() -> None:
    import datetime as dt

    assert months_between(dt.date(2017, 12, 11), dt.date(2023, 8, 17)) == 68
    assert months_between(dt.date(2020, 1, 31), dt.date(2020, 2, 1)) == 0
    assert find_gaps([], 1) == []


def test_related(kb: KnowledgeBase) -> None:
    found = related(kb, "elizabeth-salmon")
    assert [(r.actor.id, r.count) for r in found] == [
        ("lee-shin-wha", 1),
        ("un-security-council", 1),
        ("volker-turk", 1),
    ]
    top = related(kb, "un-security-council")
    assert top[0].actor.id in {"tomas-ojea-quintana", "volker-turk", "elizabeth-salmon"}
    assert related(kb, "kim-min-jun") == []


def test_stats(kb: KnowledgeBase) -> None:
    result = stats(kb)
    assert result.records == {"actor": 10, "event": 6, "resolution": 3, "source": 1}
    assert result.events_by_forum["UNSC"] == 3
    assert result.by_year[2023] == {"event": 2, "resolution": 1}
    assert result.cited == {"actor": 1.0, "event": 1.0, "resolution": 1.0}
    assert result.event_types["meeting"] == 2


def test_indexes_are_built_once(kb: KnowledgeBase) -> None:
    from dprkhr.names import actor_index

    assert actor_index(kb) is actor_index(kb)
