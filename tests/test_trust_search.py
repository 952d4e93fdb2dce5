"""Answers an analyst can trust: precise word search, and cut lists that say so. Each test
builds the small dataset it needs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()

CITE = "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"


def cite(body: str) -> str:
    """A record's text with a citation."""
    return textwrap.dedent(body).lstrip("\n") + CITE


FILES = {
    "actors/dprk.yaml": "id: dprk\nname: Democratic People's Republic of Korea\nkind: state\n"
    "aliases: [DPRK, North Korea]\n" + CITE,
    "actors/china.yaml": "id: china\nname: China\nkind: state\n" + CITE,
    # tagged, without the words in its text
    "events/2023-10-returns.yaml": cite(
        """
        id: 2023-10-returns
        date: "2023-10"
        type: other
        title: China sends some 500 escapees back
        participants: [{actor: china, role: repatriating-state}]
        tags: [forced-repatriation]
    """
    ),
    # the words in its summary, without the tag
    "events/2024-04-statement.yaml": cite(
        """
        id: 2024-04-statement
        date: "2024-04"
        type: statement
        title: Statement on escapees held in China
        summary: The Special Rapporteur warned against the forced repatriations of escapees.
        participants: [{actor: elizabeth-salmon, role: speaker}]
    """
    ),
    # both words, but in different fields: not a match
    "events/2017-12-sanctions.yaml": cite(
        """
        id: 2017-12-sanctions
        date: "2017-12-22"
        type: resolution-adopted
        title: Forced labour abroad is targeted
        summary: Workers abroad face repatriation within 24 months.
    """
    ),
    "events/2014-02-coi-report.yaml": cite(
        """
        id: 2014-02-coi-report
        date: "2014-02-17"
        type: report
        title: Commission of Inquiry publishes its report
        location: Genève
    """
    ),
    "events/2014-03-coi-dialogue.yaml": cite(
        """
        id: 2014-03-coi-dialogue
        date: "2014-03-17"
        type: interactive-dialogue
        title: Dialogue with the Commission of Inquiry
    """
    ),
}


@pytest.fixture
def root(make_data: MakeData) -> Path:
    return make_data(FILES)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def ids(root: Path, *args: str) -> list[str]:
    code, out, err = run(root, *args, "--format", "ids")
    assert code == 0, err
    return out.split()


# --- search is precise ----------------------------------------------------------------------


def test_search_events_text_and_tag_agree_on_the_same_words(root: Path) -> None:
    words = "forced repatriation"
    searched = set(ids(root, "search", "--type", "event", words))
    filtered = set(ids(root, "events", "--text", words))
    tagged = set(ids(root, "events", "--tag", "forced-repatriation"))
    # the tagged event (through the tag's name) and the one that says so (plural aside);
    # not the one with "forced" in its title and "repatriation" in its summary
    assert searched == filtered == {"2023-10-returns", "2024-04-statement"}
    assert tagged <= searched
    # the two answers are told apart where they differ
    share = "1 of these 2 events carry the tag forced-repatriation (--tag forced-repatriation)"
    assert share in run(root, "events", "--text", words)[2]
    assert "1 says the words without it" in run(root, "search", "--type", "event", words)[2]
    code, out, err = run(root, "events", "--text", "zzyzx escapees")
    assert (code, out) == (0, "") and "No event holds “zzyzx”." in err


def test_a_hit_holds_whole_words_accents_case_and_punctuation_aside(root: Path) -> None:
    assert ids(root, "search", "GENEVE") == ["2014-02-coi-report"]
    assert ids(root, "search", "commission of inquiry") == [
        "2014-02-coi-report",  # the phrase starts its title
        "2014-03-coi-dialogue",
    ]
    assert ids(root, "search", "escapee") == ["2023-10-returns", "2024-04-statement"]
    # a part of a word is not a word
    code, out, err = run(root, "search", "escap")
    assert (code, out) == (0, "")
    assert "No record holds every word of “escap”" in err


def test_nothing_holds_every_word_is_said_plainly_without_near_matches(root: Path) -> None:
    for text in (
        "Law on Rejecting Reactionary Ideology and Culture",
        "reactionary ideology and culture",
    ):
        code, out, err = run(root, "search", text)
        assert code == 0 and out == ""
        assert f"No record holds every word of “{text}”." in err
        assert "“reactionary”" in err and "“ideology”" in err
        code, out, err = run(root, "search", text, "--format", "json")
        assert json.loads(out) == []


def test_words_that_never_meet_are_not_a_hit(root: Path) -> None:
    code, out, err = run(root, "search", "forced", "labour", "repatriation")
    assert (code, out) == (0, "")
    assert "Each word is in some record, but none holds them all." in err


def test_near_matches_come_apart_and_marked(root: Path) -> None:
    code, out, err = run(root, "search", "Comission", "of", "Inquirry")
    assert code == 0
    assert "No record holds every word of “Comission of Inquirry”." in err
    assert out.startswith("Near matches, not the words asked for (")
    assert "comission → commission" in out and "2014-02-coi-report" in out
    data = json.loads(run(root, "search", "Comission of Inquirry", "-f", "json")[1])
    assert {d["match"] for d in data} == {"near"}
    assert {d["record"]["id"] for d in data} == {"2014-02-coi-report", "2014-03-coi-dialogue"}
    csv_out = run(root, "search", "Comission of Inquirry", "-f", "csv")[1].splitlines()
    assert csv_out[0].endswith(",match") and all(r.endswith(",near") for r in csv_out[1:])
    # ids cannot be marked: near matches are left out, and that is said
    code, out, err = run(root, "search", "Comission of Inquirry", "-f", "ids")
    assert out == "" and "2 near matches are not listed" in err
    # exact hits are marked too, and never mixed with near ones
    exact = json.loads(run(root, "search", "Commission of Inquiry", "-f", "json")[1])
    assert {d["match"] for d in exact} == {"exact"}


def test_a_word_that_is_nowhere_gets_no_near_match(root: Path) -> None:
    code, out, err = run(root, "search", "Comission", "zzyzx")
    assert (code, out) == (0, "")
    assert "No record holds “comission”, “zzyzx”." in err


def test_punctuation_alone_is_looked_for_as_written(make_data: MakeData) -> None:
    root = make_data(
        {
            **FILES,
            "events/2024-05-rates.yaml": cite(
                """
                id: 2024-05-rates
                date: "2024-05"
                type: report
                title: Food insecurity reaches 40% of the population
                """
            ),
        }
    )
    for args in (["search", "%"], ["events", "--text", "%"], ["search", "--type", "event", "%"]):
        assert ids(root, *args) == ["2024-05-rates"]
    code, out, err = run(root, "search", "*")
    assert (code, out) == (0, "") and "No record holds “*”." in err
    code, _out, err = run(root, "search", " ")
    assert code == 2 and "search for what?" in err


# --- cut results say so ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "escapees", "--limit", "1"], "showing 1 of 2 hits; --limit 2 shows them all"),
        (["events", "--limit", "3"], "showing 3 of 5 events; --limit 5 shows them all"),
        (["actors", "--limit", "2"], "showing 2 of 5 actors; --limit 5 shows them all"),
        (["related", "china", "--limit", "1"], None),  # shares nothing: nothing cut
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json", "ids"])
def test_a_cut_list_says_how_much_it_left_out(
    root: Path, args: list[str], message: str | None, fmt: str
) -> None:
    code, _out, err = run(root, *args, "--format", fmt)
    assert code == 0
    if message is None:
        assert "showing" not in err
    else:
        assert message in err


def test_a_whole_list_says_nothing_of_cuts(root: Path) -> None:
    code, _out, err = run(root, "events", "--limit", "5")
    assert code == 0 and "showing" not in err and "5 events" in err


def test_search_is_cut_at_20_by_default(make_data: MakeData) -> None:
    files = {
        f"events/2020-01-{n:02d}-meeting.yaml": cite(
            f"""
            id: 2020-01-{n:02d}-meeting
            date: "2020-01-{n:02d}"
            type: meeting
            title: Meeting number {n}
        """
        )
        for n in range(1, 23)
    }
    root = make_data(files)
    _code, out, err = run(root, "search", "meeting", "--format", "ids")
    assert len(out.split()) == 20
    assert "showing 20 of 22 hits; --limit 22 shows them all" in err


@pytest.mark.parametrize(
    "args",
    [
        ["accountability", "inquiry", "--limit", "1000", "--format", "csv"],
        ["human", "rights", "--format", "json"],
        ["report", "--sort", "date", "--limit", "300", "--format", "jsonl"],
        ["council", "--type", "event", "--type", "actor", "--limit", "400", "--format", "ids"],
        ["actor", "--sort", "type", "--limit", "200"],
        ["accountabilty"],
    ],
    ids=" ".join,
)
def test_search_on_generated_data_is_the_same_from_the_store(tmp_path: Path, args: list[str]):
    """Many hits with equal scores (generated records share their words): the store ranks,
    counts and shows them exactly as the records read afresh do."""
    import os
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    root = tmp_path / "generated"
    generate(root, 400, seed=5)
    os.environ["DPRKHR_CACHE_DIR"] = str(tmp_path / "cache")  # (restored by the fixture)

    def run(*given: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--data", str(root), *given, "search", *args])
        return result.exit_code, result.stdout, result.stderr

    expected = run("--no-cache")
    assert expected[0] == 0 and expected[1]
    assert run() == expected  # (fills the store)
    assert run() == expected  # (answers from it)
