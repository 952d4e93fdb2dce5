"""Answers an analyst can trust (issue 11): true silences, right office holders, unknown
is not none, names that resolve and rank, tables that stay readable. Each on a small
dataset built here."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, MakeData, write
from typer.testing import CliRunner

from dprkhr.cli import app
from dprkhr.dataset import load_dataset
from dprkhr.dates import PartialDate
from dprkhr.kb import KnowledgeBase
from dprkhr.lint import LintConfig, lint_dataset
from dprkhr.query import (
    ActorFilter,
    EventFilter,
    ResolutionFilter,
    find_actors,
    role_held,
    timeline,
    unjudged_resolutions,
)

runner = CliRunner()
CITE = "sources: [{source: src, quote: a test quote}]\n"
TODAY = dt.date(2026, 1, 1)
SOURCE = (
    'title: A source\nkind: report\npublished: "2024"\n'
    "lint: {ignore: [DPK604], reason: a test source with no page}"
)


def run(root: Path, *args: str, columns: int | None = None):
    env = {"COLUMNS": str(columns)} if columns else None
    return runner.invoke(app, ["--data", str(root), *args], env=env)


def record(root: Path, folder: str, record_id: str, body: str) -> None:
    cite = CITE if folder != "sources" else ""
    write(root, f"{folder}/{record_id}.yaml", f"id: {record_id}\n{body.strip()}\n{cite}")


def event(root: Path, record_id: str, date: str, type_: str, forum: str, **more: str) -> None:
    title = more.pop("title", f"{type_} {record_id}")
    extra = "".join(f"{k}: {v}\n" for k, v in more.items())
    body = f'date: "{date}"\ntype: {type_}\nforum: {forum}\ntitle: {title}\n{extra}'
    record(root, "events", record_id, body)


@pytest.fixture
def council(make_data: MakeData) -> Path:
    """The Security Council's record: human-rights meetings in 2014, 2017 and 2023, a
    briefing in June 2024, and between them sanctions resolutions and decisions, a
    statement and a sanctions report, none of which ends a silence."""
    root = make_data(base=False)
    record(root, "sources", "src", SOURCE)
    event(root, "m2014", "2014-12-22", "meeting", "UNSC")
    event(root, "m2017", "2017-12-11", "meeting", "UNSC")
    event(root, "s2018", "2018-09-01", "statement", "UNSC")
    event(root, "d2019", "2019-05-01", "sanctions-decision", "UNSC", tags="[sanctions]")
    event(root, "r2020", "2020-05-01", "report", "UNSC", tags="[sanctions]")
    event(root, "m2023", "2023-03", "meeting", "UNSC")
    event(root, "b2024", "2024-06-12", "briefing", "UNSC")
    event(root, "chr2005", "2005-04-14", "meeting", "CHR")
    record(
        root,
        "resolutions",
        "s-res-2397",
        'symbol: S/RES/2397 (2017)\nforum: UNSC\ndate: "2017-12-22"\ntags: [sanctions]\n'
        "adoption: {method: vote, yes: 15, no: 0, abstain: 0}",
    )
    return root


def kb_of(root: Path) -> KnowledgeBase:
    return KnowledgeBase.from_dataset(load_dataset(root))


def spans(result) -> list[tuple[str, str, str, int, str | None, str | None]]:
    return [
        (
            g.forum,
            str(g.start),
            str(g.end),
            g.months,
            None if g.after is None else str(g.after),
            None if g.before is None else str(g.before),
        )
        for g in result.gaps
    ]


# --- silences -------------------------------------------------------------------------------


def test_only_the_forums_own_activity_ends_a_silence(council: Path) -> None:
    kb = kb_of(council)
    result = timeline(kb, EventFilter(forum="UNSC"), gaps=12, today=TODAY)
    # the statement, the sanctions decision, report and resolution do not count
    assert spans(result) == [
        ("UNSC", "2014-12-22", "2017-12-11", 35, "2014-12-22", "2017-12-11"),
        ("UNSC", "2017-12-11", "2023-03-01", 62, "2017-12-11", "2023-03"),
        ("UNSC", "2023-03-31", "2024-06-12", 14, "2023-03", "2024-06-12"),
        ("UNSC", "2024-06-12", "2026-01-01", 18, "2024-06-12", None),
    ]
    # ...though the timeline still lists them
    assert {"s2018", "d2019", "r2020", "s-res-2397"} <= {i.id for i in result.items}


def test_a_silence_at_either_end_of_the_period(council: Path) -> None:
    kb = kb_of(council)
    window = EventFilter(forum="UNSC", since=PartialDate("2018"), until=PartialDate("2022"))
    assert spans(timeline(kb, window, gaps=12, today=TODAY)) == [
        ("UNSC", "2018-01-01", "2022-12-31", 60, "2017-12-11", "2023-03")
    ]
    recent = EventFilter(forum="UNSC", since=PartialDate("2024"))
    # from 2024-01-01 to the June briefing is 5 months: not a silence of more than 6
    assert spans(timeline(kb, recent, gaps=6, today=TODAY)) == [
        ("UNSC", "2024-06-12", "2026-01-01", 18, "2024-06-12", None)
    ]
    assert spans(timeline(kb, recent, gaps=4, today=TODAY))[0] == (
        "UNSC",
        "2024-01-01",
        "2024-06-12",
        5,
        "2023-03",
        "2024-06-12",
    )


def test_a_whole_silent_year_is_twelve_months(council: Path) -> None:
    """The period's last day counts: 2019 without activity is a silence of 12 months,
    longer than 11 (the silence runs to the end of 2019-12-31)."""
    kb = kb_of(council)
    year = EventFilter(forum="UNSC", since=PartialDate("2019"), until=PartialDate("2019"))
    assert spans(timeline(kb, year, gaps=11, today=TODAY)) == [
        ("UNSC", "2019-01-01", "2019-12-31", 12, "2017-12-11", "2023-03")
    ]
    assert spans(timeline(kb, year, gaps=12, today=TODAY)) == []


def test_a_forum_is_not_silent_after_it_is_abolished(council: Path) -> None:
    kb = kb_of(council)
    result = timeline(kb, EventFilter(since=PartialDate("2005")), gaps=12, today=TODAY)
    # the Commission's silence ends when it was abolished (2006-06), not today
    assert [g for g in spans(result) if g[0] == "CHR"] == [
        ("CHR", "2005-04-14", "2006-06-30", 14, "2005-04-14", None)
    ]


def test_a_forum_with_no_activity_of_its_own_is_silent_since_it_was_established(
    council: Path,
) -> None:
    kb = kb_of(council)
    # the Human Rights Council (established 2006-06) has no record here at all
    assert spans(timeline(kb, EventFilter(forum="HRC"), gaps=12, today=TODAY)) == [
        ("HRC", "2006-06-01", "2026-01-01", 235, None, None)
    ]
    # the Commission's only record is a meeting of 2005: looking at its statements finds none
    statements = EventFilter(forum="CHR", types=["statement"])
    assert spans(timeline(kb, statements, gaps=12, today=TODAY)) == [
        ("CHR", "1946-01-01", "2006-06-30", 726, None, None)
    ]
    result = run(council, "timeline", "--forum", "HRC", "--gaps", "12")
    assert result.exit_code == 0
    assert "No silence" not in result.output
    assert "No records and no silences" not in result.output
    assert "2006-06-01" in result.stdout


def test_filters_narrow_what_counts(council: Path) -> None:
    kb = kb_of(council)
    meetings = EventFilter(forum="UNSC", types=["meeting"], since=PartialDate("2023"))
    # without the June 2024 briefing the Council has been silent since March 2023
    assert spans(timeline(kb, meetings, gaps=12, today=TODAY)) == [
        ("UNSC", "2023-03-31", "2026-01-01", 33, "2023-03", None)
    ]
    both = EventFilter(forum="UNSC", types=["meeting", "briefing"], since=PartialDate("2023"))
    assert spans(timeline(kb, both, gaps=12, today=TODAY))[-1][4] == "2024-06-12"


def test_a_type_or_tag_asked_for_counts(council: Path) -> None:
    kb = kb_of(council)
    statements = EventFilter(forum="UNSC", types=["statement"], since=PartialDate("2018"))
    # the user looks at statements: the one statement, of September 2018, ends a silence
    assert spans(timeline(kb, statements, gaps=6, today=TODAY)) == [
        ("UNSC", "2018-01-01", "2018-09-01", 8, None, "2018-09-01"),
        ("UNSC", "2018-09-01", "2026-01-01", 88, "2018-09-01", None),
    ]
    # sanctions records count when asked for (events still of a counting type)
    sanctions = EventFilter(forum="UNSC", tags=["sanctions"])
    found = spans(timeline(kb, sanctions, gaps=12, today=TODAY))
    assert [g[4] for g in found] == ["2017-12-22", "2020-05-01"]


def test_the_vocabulary_says_what_counts(council: Path) -> None:
    path = council / "event-types.yaml"
    vocab = yaml.safe_load(path.read_text(encoding="utf-8"))
    counted = {t["id"] for t in vocab["event_types"] if t.get("activity")}
    assert counted == {"meeting", "briefing", "interactive-dialogue", "report", "review"}
    for entry in vocab["event_types"]:
        if entry["id"] == "statement":
            entry["activity"] = True
    path.write_text(yaml.safe_dump(vocab, sort_keys=False), encoding="utf-8")
    result = timeline(kb_of(council), EventFilter(forum="UNSC"), gaps=12, today=TODAY)
    assert ("UNSC", "2017-12-11", "2018-09-01", 8, "2017-12-11", "2018-09-01") not in spans(result)
    assert spans(result)[1][:2] == ("UNSC", "2018-09-01")  # the statement now ends it


def test_timeline_gaps_through_the_command_line(council: Path) -> None:
    result = run(council, "timeline", "--forum", "UNSC", "--since", "2018", "--until", "2022")
    assert result.exit_code == 0
    silent = run(
        council, "timeline", "--forum", "UNSC", "--since", "2018", "--until", "2022", "--gaps", "12"
    )
    assert "No silence" not in silent.output
    assert "nothing for 60 months, to 2022-12-31 (next: 2023-03); last before: 2017-12-11" in (
        " ".join(silent.stdout.split())
    )
    recent = run(council, "timeline", "--forum", "UNSC", "--since", "2024", "--gaps", "6")
    assert "nothing since 2024-06-12, to today" in " ".join(recent.stdout.split())
    rows = json.loads(
        run(
            council, "timeline", "--forum", "UNSC", "--since", "2024", "--gaps", "6", "-f", "json"
        ).stdout
    )
    gap = next(r for r in rows if r["record_type"] == "gap")
    assert gap["from"] == "2024-06-12" and gap["before"] is None
    assert gap["to"] == dt.date.today().isoformat()


def test_an_absence_is_not_an_event(make_data: MakeData) -> None:
    root = make_data()
    write(
        root,
        "events/2018-unsc-no-meeting.yaml",
        """
        id: 2018-unsc-no-meeting
        date: "2018"
        type: other
        forum: UNSC
        title: The Security Council did not meet on DPRK human rights
        sources: [{source: ijks-2024-un-and-nk-human-rights, quote: The Special Rapporteur}]
        """,
    )
    problems = lint_dataset(load_dataset(root), LintConfig(select=["DPK403"])).problems
    assert [(p.code, p.line) for p in problems] == [("DPK403", 5)]


@pytest.mark.parametrize(
    ("title", "absence"),
    [
        ("No Security Council meeting on DPRK human rights in 2018", True),
        ("The Security Council did not meet on DPRK human rights", True),
        ("The Council held no debate on the DPRK in 2018", True),
        ("Security Council fails to hold a meeting on DPRK human rights", True),
        ("The planned session was not held", True),
        ("Absence of a Security Council meeting on the DPRK", True),
        ("Human Rights Watch notes that the Security Council held no debate", False),
        ("Lack of access hampers the Special Rapporteur's work", False),
        ("Third Committee adopts its text; no vote was requested", False),
        ("DPRK delegation did not attend the review session", False),
        ("No-one left behind: OHCHR report on the DPRK", False),
        ("Human Rights Council adopts the resolution without a vote", False),
    ],
)
def test_absence_titles_are_told_from_events(make_data: MakeData, title: str, absence: bool):
    root = make_data()
    write(
        root,
        "events/2018-x.yaml",
        f"""
        id: 2018-x
        date: "2018"
        type: other
        title: "{title}"
        sources: [{{source: ijks-2024-un-and-nk-human-rights}}]
        """,
    )
    problems = lint_dataset(load_dataset(root), LintConfig(select=["DPK403"])).problems
    assert bool(problems) is absence


def test_the_bundled_dataset_records_no_absence() -> None:
    titles = [
        yaml.safe_load(p.read_text(encoding="utf-8"))["title"]
        for p in (REPO / "data" / "events").glob("*.yaml")
    ]
    assert not [t for t in titles if re.match(r"(?i)no (security council )?meeting", t)]
    assert not (REPO / "data" / "events" / "2018-unsc-no-dprk-meeting.yaml").exists()


# --- office holders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "on", "held"),
    [
        ("2014-09-01", "2018-08-31", "2016-01-01", True),
        ("2014-09-01", None, "2016-01-01", True),  # no end: still held
        ("2018-09-01", "2022-08-31", "2016-01-01", False),
        (None, None, "2016-01-01", None),  # undated: unknown, never true
        (None, "2018-08-31", "2016-01-01", None),
        (None, "2010", "2016-01-01", False),
        ("2016", "2022", "2016-03-01", None),  # a year straddling the day
        ("2016", "2022", "2016", True),
    ],
)
def test_role_held(start, end, on, held) -> None:
    dates = [None if d is None else PartialDate(d) for d in (start, end)]
    assert role_held(*dates, PartialDate(on)) is held


OFFICE_RULES = LintConfig(select=["DPK503"])
"""The office tests judge the overlap rule alone: their records cite without quotes."""


@pytest.fixture
def offices(make_data: MakeData) -> Path:
    root = make_data(base=False)
    record(root, "sources", "src", SOURCE)
    hc = "United Nations High Commissioner for Human Rights"
    record(
        root,
        "actors",
        "ohchr",
        f"name: Office of the High Commissioner\nkind: un-body\noffices: [{{title: {hc}}}]",
    )
    record(
        root,
        "actors",
        "united-states",
        "name: United States\nkind: state\ncountry: US\n"
        "aliases: [United States of America, USA]\n"
        "offices: [{title: President of the United States}]",
    )
    record(root, "actors", "russia", "name: Russia\nkind: state\naliases: [Russian Federation]")
    record(
        root,
        "actors",
        "zeid",
        f"name: Zeid Ra'ad Al Hussein\nkind: person\nroles:\n"
        f'  - {{title: {hc}, organization: ohchr, start: "2014-09-01", end: "2018-08-31"}}',
    )
    record(
        root,
        "actors",
        "bachelet",
        f"name: Michelle Bachelet\nkind: person\ncountry: CL\nroles:\n"
        f"  - {{title: {hc}, organization: ohchr}}",
    )
    record(
        root,
        "actors",
        "turk",
        f"name: Volker Türk\nkind: person\nroles: [{{title: {hc}, organization: ohchr}}]",
    )
    record(
        root,
        "actors",
        "biden",
        "name: Joe Biden\nkind: person\ncountry: US\n"
        "roles: [{title: President of the United States, organization: united-states}]",
    )
    record(root, "actors", "ban-ki-moon", "name: Ban Ki-moon\nkind: person\ncountry: KR")
    record(root, "actors", "salmon", "name: Elizabeth Salmón\nkind: person\ncountry: PE")
    record(root, "actors", "ojea", "name: Tomás Ojea Quintana\nkind: person\ncountry: AR")
    record(root, "actors", "kim", "name: Kim Min-jun\nkind: person")
    return root


def test_an_undated_role_is_never_held_on_a_date(offices: Path) -> None:
    kb = kb_of(offices)
    answer = find_actors(kb, ActorFilter(role="High Commissioner", as_of=PartialDate("2016-01-01")))
    assert [a.id for a in answer.actors] == ["zeid"]
    assert [(u.field, u.known, u.total) for u in answer.unjudged] == [("role dates", 1, 3)]
    result = run(offices, "actors", "--role", "High Commissioner", "--as-of", "2016-01-01")
    assert "zeid" in result.stdout and "bachelet" not in result.stdout
    assert "2 of 3 matching roles have dates that cannot tell" in result.stderr
    nobody = run(offices, "actors", "--role", "President", "--as-of", "1950-01-01")
    assert nobody.exit_code == 0 and nobody.stdout == ""
    assert "Unknown, not none" in nobody.stderr and "No actors match" not in nobody.stderr


def test_the_table_says_dates_unknown(offices: Path) -> None:
    result = run(offices, "actors", "--role", "High Commissioner")
    assert "(dates unknown)" in result.stdout
    assert "(2014-09-01–2018-08-31)" in "".join(result.stdout.split())


def test_two_holders_of_a_single_holder_office(offices: Path) -> None:
    path = offices / "actors" / "bachelet.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "organization: ohchr}", 'organization: ohchr, start: "2018-01-01"}'
    )
    path.write_text(text, encoding="utf-8")
    problems = lint_dataset(load_dataset(offices), OFFICE_RULES).problems
    assert [(p.code, Path(p.path).name) for p in problems] == [("DPK503", "zeid.yaml")]
    assert "`zeid`" in problems[0].message and "`bachelet`" in problems[0].message
    path.write_text(text.replace('"2018-01-01"', '"2018-09-01"'), encoding="utf-8")
    assert lint_dataset(load_dataset(offices), OFFICE_RULES).problems == []


def test_a_role_without_organization_matches_a_unique_office_title(offices: Path) -> None:
    for name, start in (("obama", "2009-01-20"), ("trump", "2017-01-20")):
        record(
            offices,
            "actors",
            name,
            f"name: {name.title()}\nkind: person\n"
            f'roles: [{{title: President of the United States, start: "{start}"}}]',
        )
    problems = lint_dataset(load_dataset(offices), OFFICE_RULES).problems
    assert [(p.code, Path(p.path).name) for p in problems] == [("DPK503", "obama.yaml")]


# --- unknown is not none --------------------------------------------------------------------


@pytest.fixture
def votes(make_data: MakeData) -> Path:
    root = make_data(base=False)
    record(root, "sources", "src", SOURCE)
    record(root, "actors", "japan", "name: Japan\nkind: state\ncountry: JP")
    record(root, "actors", "eu", "name: European Union\nkind: organization")
    for n, (sponsors, adoption) in enumerate(
        [
            ("[eu]", "{method: vote, yes: 30, no: 6, abstain: 11}"),
            ("[eu]", None),
            (None, "{method: without-vote}"),
            (None, None),
        ]
    ):
        body = f'symbol: A/HRC/RES/{n + 1}/1\nforum: HRC\ndate: "201{n}-03-01"\n'
        body += f"sponsors: {sponsors}\n" if sponsors else ""
        body += f"adoption: {adoption}\n" if adoption else ""
        record(root, "resolutions", f"a-hrc-res-{n + 1}-1", body)
    return root


def test_sponsors_unknown_is_not_none(votes: Path) -> None:
    kb = kb_of(votes)
    unjudged = unjudged_resolutions(kb, ResolutionFilter(sponsors=["japan"]))
    assert [(u.field, u.known, u.total, u.noun) for u in unjudged] == [
        ("sponsors", 2, 4, "resolutions")
    ]
    result = run(votes, "resolutions", "--sponsor", "Japan")
    assert result.exit_code == 0 and result.stdout == ""
    assert "sponsors are recorded for 2 of 4 resolutions" in result.stderr
    assert "Unknown, not none" in result.stderr and "No resolutions match" not in result.stderr


def test_adoption_method_unknown_is_counted(votes: Path) -> None:
    result = run(votes, "resolutions", "--adopted", "vote", "-f", "ids")
    assert result.stdout == "a-hrc-res-1-1\n"
    assert "adoption method is recorded for 2 of 4 resolutions" in result.stderr
    dated = run(votes, "resolutions", "--adopted", "vote", "--since", "2011", "-f", "ids")
    assert dated.stdout == "" and "recorded for 1 of 3 resolutions" in dated.stderr


def test_nothing_unknown_says_nothing(votes: Path) -> None:
    result = run(votes, "resolutions", "--forum", "HRC", "-f", "ids")
    assert result.stderr == ""


def test_country_unknown_is_counted(offices: Path) -> None:
    result = run(offices, "actors", "--country", "US", "-f", "ids")
    assert result.stdout.split() == ["biden", "united-states"]
    assert "country is recorded for 6 of 10 people and states" in result.stderr


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Salmon", ["salmon"]),
        ("Ojea", ["ojea"]),
        ("Russian Federation", ["russia"]),
        ("United States of America", ["united-states"]),
        ("USA", ["united-states"]),
        ("Salmonn", ["salmon"]),
    ],
)
def test_actor_names_rank_and_drop_weak_matches(offices: Path, query: str, expected) -> None:
    assert run(offices, "actors", query, "-f", "ids").stdout.split() == expected


def test_a_near_match_is_labelled(offices: Path) -> None:
    result = run(offices, "actors", "Salmonn")
    assert "No actor is named `Salmonn`; near matches:" in result.stderr


def test_a_filter_read_as_a_near_match_says_so(offices: Path) -> None:
    """`events --actor Kang` read as Robert King, or `UA` as the United States, must not
    look like a name the dataset holds: the note says that no record has that name."""
    result = run(offices, "events", "--actor", "Bachelot", "-f", "ids")
    assert result.exit_code == 0
    assert (
        "`Bachelot` → bachelet (Michelle Bachelet), a near match: no name in the dataset is "
        "`Bachelot`" in " ".join(result.stderr.split())
    )
    # a name that is one (in part) is not called near
    partial = run(offices, "events", "--actor", "Bachelet", "-f", "ids")
    assert "near match" not in partial.stderr


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Russian Federation", "russia"),
        ("United States of America", "united-states"),
        ("ROK", "republic-of-korea"),
        ("North Korea", "dprk"),
        ("Democratic People's Republic of Korea", "dprk"),
        ("Republic of Korea", "republic-of-korea"),
        ("People's Republic of China", "china"),
        ("Korea, Republic of", "republic-of-korea"),  # as UN lists put it
        ("Venezuela (Bolivarian Republic of)", "venezuela"),
    ],
)
def test_the_bundled_states_answer_to_their_names(name: str, actor: str) -> None:
    result = runner.invoke(app, ["--data", str(REPO / "data"), "actors", name, "-f", "ids"])
    assert result.stdout.split() == [actor]


# --- tables ---------------------------------------------------------------------------------


LONG = "Extraordinarily-long-hyphenated-word-that-must-stay-whole and more words here"


@pytest.fixture
def wordy(make_data: MakeData) -> Path:
    root = make_data(base=False)
    record(root, "sources", "src", SOURCE)
    record(
        root,
        "actors",
        "un-security-council",
        "name: United Nations Security Council\nkind: un-body",
    )
    for n in range(3):
        event(
            root,
            f"2024-0{n + 1}-01-a-rather-long-event-identifier-number-{n}",
            f"2024-0{n + 1}-01",
            "interactive-dialogue",
            "HRC",
            title=f"{LONG} {n}",
        )
    record(
        root,
        "resolutions",
        "s-res-2397",
        'symbol: S/RES/2397 (2017)\nforum: UNSC\ndate: "2017-12-22"\ntitle: ' + LONG,
    )
    return root


def words_whole(output: str, *texts: str) -> bool:
    flat = " ".join(output.split())
    return all(word in flat.split() for text in texts for word in text.split())


@pytest.mark.parametrize(
    "args",
    [
        ["events"],
        ["resolutions"],
        ["timeline", "--gaps", "1"],
        ["search", "rather", "long", "event", "--type", "event"],
    ],
)
def test_no_word_is_broken_at_80_columns(wordy: Path, args: list[str]) -> None:
    result = run(wordy, *args, columns=80)
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert words_whole(result.stdout, LONG) or "S/RES/2397" not in result.stdout
    if args[0] in ("events", "search"):
        assert "2024-01-01-a-rather-long-event-identifier-number-0" in result.stdout or (
            args[0] == "events"
        )
    if args[0] == "resolutions":
        assert "S/RES/2397 (2017)" in result.stdout


@pytest.mark.parametrize("width", [60, 40])
@pytest.mark.parametrize("args", [["events"], ["resolutions"], ["timeline"], ["actors"]])
def test_narrow_terminals_get_one_record_per_block(
    wordy: Path, args: list[str], width: int
) -> None:
    result = run(wordy, *args, columns=width)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "────" not in result.stdout  # no table rule: blocks
    assert any(line.startswith("Title") or line.startswith("Name") for line in lines)
    long_words = [w for w in LONG.split() if len(w) > width]
    assert all(len(line) <= width for line in lines if not any(w in line for w in long_words))
    assert words_whole(result.stdout, LONG) or args[0] == "actors"
