"""The analysts' commands through the command line: every command and format, name
resolution messages, empty results, usage errors, hostile text, broken files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers_query import ACTORS, EVENTS, RESOLUTIONS, make_dataset, run

from dprkhr.models import Event

ALL_IDS = {*ACTORS, *EVENTS, *RESOLUTIONS, "test-source"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("cli"))


LIST_COMMANDS = [
    ["events", "--actor", "Salmon"],
    ["events"],
    ["actors"],
    ["actors", "Kim"],
    ["resolutions", "--sponsor", "South Korea"],
    ["search", "human", "rights"],
    ["timeline", "--gaps", "24"],
    ["related", "Salmon"],
]
FORMATS = ["table", "json", "jsonl", "csv", "yaml", "ids"]


def parse(fmt: str, out: str) -> list:
    if fmt == "json":
        return json.loads(out)
    if fmt == "jsonl":
        return [json.loads(line) for line in out.splitlines()]
    if fmt == "yaml":
        return yaml.safe_load(out)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out)))
    return out.splitlines()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", LIST_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_every_list_command_in_every_format(root: Path, args: list[str], fmt: str) -> None:
    result = run(root, *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    items = parse(fmt, result.stdout)
    assert items, f"nothing printed for {args} {fmt}"
    if fmt == "ids":
        assert set(items) <= ALL_IDS
    if fmt == "table":
        assert all(len(line) <= 80 for line in items), "tables fit 80 columns"
    if fmt in ("json", "jsonl", "yaml"):
        assert all(isinstance(item, dict) for item in items)


@pytest.mark.parametrize("fmt", ["table", "json", "yaml"])
@pytest.mark.parametrize("args", [["show", "Salmon"], ["show", "UNSC"], ["stats"]])
def test_document_commands(root: Path, args: list[str], fmt: str) -> None:
    result = run(root, *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), dict)
    elif fmt == "yaml":
        assert isinstance(yaml.safe_load(result.stdout), dict)
    else:
        assert all(len(line) <= 100 for line in result.stdout.splitlines())


def test_events_json_is_the_records_own_fields(root: Path) -> None:
    result = run(root, "events", "--actor", "Salmon", "--format", "json")
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ["2023-08-17-unsc-briefing", "2024-03-hrc-dialogue"]
    for record in records:
        assert set(record) <= set(Event.model_fields)
        Event.model_validate(record)  # round-trips
    assert records[0]["participants"][1] == {"actor": "volker-turk", "role": "briefer"}
    assert "end_date" not in records[0]  # nothing invented, no nulls


def test_partial_and_fuzzy_names_are_reported_on_stderr(root: Path) -> None:
    result = run(root, "events", "--actor", "Salmén", "--format", "ids")
    assert result.exit_code == 0
    assert "`Salmén` → elizabeth-salmon" in result.stderr
    assert result.stdout.split() == ["2023-08-17-unsc-briefing", "2024-03-hrc-dialogue"]
    exact = run(root, "events", "--actor", "Elizabeth Salmón", "--format", "ids")
    assert "→" not in exact.stderr


def test_actor_repeatable_means_all(root: Path) -> None:
    result = run(root, "events", "-a", "Salmon", "-a", "Shin-wha Lee", "-f", "ids")
    assert result.stdout.split() == ["2024-03-hrc-dialogue"]


def test_forum_by_name_and_dates(root: Path) -> None:
    result = run(
        root, "events", "--forum", "Security Council", "--since", "2023", "--until", "2023",
        "-f", "ids",
    )  # fmt: skip
    assert result.stdout.split() == ["2023-08-17-unsc-briefing"]
    until = run(root, "events", "--until", "2023", "-f", "ids").stdout.split()
    assert "2023-12-31-rok-statement" in until
    since = run(root, "events", "--since", "2024-03-15", "-f", "ids").stdout.split()
    assert since[0] == "2024-03-hrc-dialogue"


def test_events_other_filters(root: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = run(root, "events", *args, "-f", "ids")
        assert result.exit_code == 0, result.output
        return result.stdout.split()

    assert ids("--type", "Meeting") == ["2014-12-22-unsc-meeting", "2017-12-11-unsc-meeting"]
    assert ids("--tag", "accountability") == ["2024-03-hrc-dialogue"]
    assert ids("--resolution", "A/HRC/RES/22/13") == ["2024-03-hrc-dialogue"]
    assert ids("--text", "new york") == ["2023-08-17-unsc-briefing"]
    assert ids("--sort", "-date", "--limit", "1") == ["2024-05-01-hostile-event"]


def test_actors_options(root: Path) -> None:
    result = run(root, "actors", "--role", "Special Rapporteur", "--as-of", "2019-03-12")
    assert result.exit_code == 0
    assert "(2016-08–2022-07-31)" in result.stdout
    assert "Salmón" not in result.stdout
    held = run(root, "actors", "--role", "special rapporteur", "--as-of", "2019", "-f", "ids")
    assert held.stdout.split() == ["tomas-ojea-quintana"]
    states = run(root, "actors", "--kind", "state", "-f", "ids").stdout.split()
    assert states == ["republic-of-korea"]
    peruvians = run(root, "actors", "--country", "pe", "-f", "ids").stdout.split()
    assert peruvians == ["elizabeth-salmon"]
    assert run(root, "actors", "--country", "Peru").exit_code == 2


def test_resolutions_options(root: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = run(root, "resolutions", *args, "-f", "ids")
        assert result.exit_code == 0, result.output
        return result.stdout.split()

    assert ids("--forum", "Human Rights Council") == ["a-hrc-res-22-13", "a-hrc-res-25-25"]
    assert ids("--session", "25") == ["a-hrc-res-25-25"]
    assert ids("--adopted", "without-vote") == ["a-hrc-res-22-13", "a-res-78-218"]
    assert ids("--sponsor", "ROK", "--since", "2023") == ["a-res-78-218"]
    table = run(root, "resolutions", "--adopted", "vote").stdout
    assert "vote 30-6-11" in table


def test_csv_is_one_readable_row_per_record(root: Path) -> None:
    result = run(root, "events", "--actor", "Volker Turk", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert "lint.ignore" not in header and not any("." in column for column in header)
    # each participant whole in one cell: name beside id, and the role
    assert rows[0]["participants"] == (
        "United Nations Security Council [un-security-council]: host; "
        "Volker Türk [volker-turk]: briefer; Elizabeth Salmón [elizabeth-salmon]: briefer"
    )
    assert rows[0]["tags"] == "human-rights-and-security"
    assert rows[0]["sources"] == "test-source"
    resolutions = run(root, "resolutions", "--adopted", "vote", "-f", "csv").stdout
    row = next(csv.DictReader(io.StringIO(resolutions)))
    assert (row["adoption"], row["yes"], row["no"]) == ("vote", "30", "6")
    actors = run(root, "actors", "Salmon", "-f", "csv").stdout
    actor = next(csv.DictReader(io.StringIO(actors)))
    assert (actor["id"], actor["name"]) == ("elizabeth-salmon", "Elizabeth Salmón")


@pytest.mark.parametrize("command", ["events", "resolutions", "actors"])
def test_csv_rows_are_the_same_from_the_index_and_the_records(root: Path, command: str) -> None:
    warm = run(root, command, "-f", "csv")
    cold = run(root, "--no-cache", command, "-f", "csv")
    assert warm.exit_code == cold.exit_code == 0
    assert warm.stdout == cold.stdout
    assert len(list(csv.DictReader(io.StringIO(warm.stdout)))) == len(
        run(root, command, "-f", "ids").stdout.splitlines()
    )


def test_csv_help_points_to_the_export_tables(root: Path) -> None:
    for command in ("events", "resolutions", "actors", "search", "timeline", "related"):
        text = " ".join(run(root, command, "--help").stdout.split())
        assert "export csv" in text, command


def test_empty_results(root: Path) -> None:
    table = run(root, "events", "--since", "2030")
    assert table.exit_code == 0
    assert table.stdout == ""
    assert "No events match" in table.stderr
    as_json = run(root, "events", "--since", "2030", "--format", "json")
    assert (as_json.exit_code, as_json.stdout.strip()) == (0, "[]")
    assert run(root, "resolutions", "--since", "2030", "-f", "yaml").stdout.strip() == "[]"
    assert run(root, "events", "--since", "2030", "-f", "ids").stdout == ""
    header = run(root, "events", "--since", "2030", "-f", "csv").stdout
    assert header.startswith("id,date,end_date,type,forum,title")
    assert run(root, "search", "zzzqqq").exit_code == 0
    assert run(root, "related", "kim-min-jun").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--actor", "Kim"], "kim-min-jun"),  # ambiguous: candidates listed
        (["events", "--actor", "Zzyzx Qwerty"], "no actor matches"),
        (["events", "--actor", "Kirbster"], "no actor matches"),
        (["events", "--forum", "Security Councel"], None),  # typo resolves (see below)
        (["events", "--forum", "Planet Council Zz"], "no forum matches"),
        (["events", "--since", "2024-13"], "month 13"),
        (["events", "--since", "2024", "--until", "2023"], "before"),
        (["events", "--type", "meetng"], "did you mean"),
        (["events", "--tag", "nope-not-a-tag"], "unknown tag"),
        (["events", "--resolution", "A/HRC/RES/1/1"], "no resolution matches"),
        (["resolutions", "--sponsor", "Kim"], "ambiguous"),
        (["actors", "--as-of", "soon"], "--as-of"),
        (["show", "nothing-like-this-zzz"], "no record matches"),
        (["related", "Kim"], "ambiguous"),
        (["search", " "], "search for what"),
    ],
)
def test_usage_errors_exit_2(root: Path, args: list[str], message: str | None) -> None:
    result = run(root, *args)
    if message is None:
        assert result.exit_code == 0
        assert "→ UNSC" in result.stderr
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_hostile_text_is_shown_literally(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for color in ("", "1"):
        monkeypatch.setenv("FORCE_COLOR", color)
        monkeypatch.delenv("NO_COLOR", raising=False)
        for args in (
            ["events", "--since", "2024-05"],
            ["actors", "hostile-actor"],
            ["show", "2024-05-01-hostile-event"],
            ["show", "hostile-actor"],
            ["search", "alarm"],
            ["timeline", "--since", "2024-05"],
            ["related", "hostile-actor"],
            ["events", "--since", "2024-05", "-f", "csv"],
        ):
            result = run(root, *args)
            assert result.exit_code == 0, result.output
            out = result.stdout + result.stderr
            assert "\x1b[2J" not in out and "\x1b[31m" not in out, args
            if args[0] in ("events", "search", "timeline") or "2024-05-01-hostile-event" in args:
                assert "[bold]Alarm[/bold]" in result.stdout.replace("\n", " "), args
                assert "\\x1b[2J" in result.stdout, args


def test_hostile_text_in_json_is_escaped(root: Path) -> None:
    result = run(root, "events", "--since", "2024-05", "-f", "json")
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)[0]["title"].startswith("[bold]Alarm[/bold] \x1b[2J")


def test_show_lists_backlinks(root: Path) -> None:
    result = run(root, "show", "Republic of Korea")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Republic of Korea  (actor republic-of-korea)")
    assert "Resolutions (2)" in out and "A/HRC/RES/22/13" in out
    assert "Actors with a role in it (1)" in out and "Lee Shin-wha" in out
    data = json.loads(run(root, "show", "ROK", "-f", "json").stdout)
    assert data["record"]["id"] == "republic-of-korea"
    assert [r["id"] for r in data["resolutions"]] == ["a-hrc-res-22-13", "a-res-78-218"]
    source = json.loads(run(root, "show", "test-source", "-f", "json").stdout)
    assert len(source["cited_by"]) == len(ALL_IDS) - 1


def test_show_prints_nested_values_plainly(make_data) -> None:
    root = make_data(
        {
            "resolutions/a-res-71-202.yaml": """
                id: a-res-71-202
                symbol: A/RES/71/202
                forum: UNGA
                date: "2016-12-19"
                title: Situation of human rights in the DPRK
                adoption: {method: without-vote, dissociated: [cuba, china]}
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
                    quote: which opened with remarks by Volker Turk
            """,
            "resolutions/a-res-70-172.yaml": """
                id: a-res-70-172
                symbol: A/RES/70/172
                forum: UNGA
                date: "2015-12-17"
                title: Situation of human rights in the DPRK
                adoption: {method: vote, yes: 119, no: 19, abstain: 48}
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
                    quote: which opened with remarks by Volker Turk
            """,
            "actors/cuba.yaml": "id: cuba\nname: Cuba\nkind: state\n",
            "actors/china.yaml": "id: china\nname: China\nkind: state\n",
        }
    )
    dissociated = run(root, "show", "a-res-71-202").stdout
    assert "  adoption: method: without-vote, dissociated: cuba, china\n" in dissociated
    voted = run(root, "show", "a-res-70-172").stdout
    assert "  adoption: method: vote, yes: 119, no: 19, abstain: 48\n" in voted
    assert "[" not in dissociated + voted and "dissociated: \n" not in voted


def test_timeline_gaps(root: Path) -> None:
    result = run(root, "timeline", "--forum", "UNSC", "--gaps")  # default: 24 months
    assert result.exit_code == 0, result.output
    assert "nothing for 68 months" in result.stdout
    assert "nothing for 35 months" in result.stdout
    assert "nothing since 2023-08-17, to today" in result.stdout  # silent since
    fewer = run(root, "timeline", "--forum", "UNSC", "--gaps", "36", "-f", "jsonl").stdout
    gaps = [json.loads(line) for line in fewer.splitlines() if '"gap"' in line]
    assert gaps[0] == {
        "record_type": "gap",
        "forum": "UNSC",
        "from": "2017-12-11",
        "to": "2023-08-17",
        "months": 68,
        "after": "2017-12-11",
        "before": "2023-08-17",
    }
    assert gaps[1]["after"] == "2023-08-17" and gaps[1]["before"] is None  # to today
    flag_then_option = run(root, "timeline", "--gaps", "--forum", "UNSC", "-f", "json")
    assert flag_then_option.exit_code == 0, flag_then_option.output
    assert sum(e["record_type"] == "gap" for e in json.loads(flag_then_option.stdout)) == 3


def test_timeline_groups_by_year_with_resolutions(root: Path) -> None:
    result = run(root, "timeline", "--until", "2014")
    lines = result.stdout.splitlines()
    assert any(line.startswith("2013 ") or line.strip() == "2013" for line in lines)
    assert "A/HRC/RES/22/13" in result.stdout and "resolution" in result.stdout
    items = json.loads(run(root, "timeline", "--until", "2014", "-f", "json").stdout)
    assert [i["record_type"] for i in items] == ["resolution", "resolution", "event"]


def test_related_json_has_shared_events(root: Path) -> None:
    result = run(root, "related", "Lee Shin-wha", "-f", "json")
    found = json.loads(result.stdout)
    assert [(r["id"], r["shared"]) for r in found] == [
        ("elizabeth-salmon", 1),
        ("republic-of-korea", 1),
    ]
    assert found[0]["events"][0]["id"] == "2024-03-hrc-dialogue"


def test_stats(root: Path) -> None:
    data = json.loads(run(root, "stats", "-f", "json").stdout)
    assert data["records"] == {"actor": 10, "event": 6, "resolution": 3, "source": 1}
    table = run(root, "stats").stdout
    assert "Records: 10 actors, 6 events, 3 resolutions, 1 source" in table


def test_search(root: Path) -> None:
    result = run(root, "search", "commission", "of", "inquiry", "-f", "json")
    hits = json.loads(result.stdout)
    assert [h["record"]["id"] for h in hits] == ["test-source", "a-hrc-res-22-13"]
    assert hits[0]["record_type"] == "source"
    only = run(root, "search", "Salmon", "--type", "actor", "-f", "ids").stdout.split()
    assert only == ["elizabeth-salmon"]


def test_files_that_fail_are_left_out_with_one_warning(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    (root / "events" / "broken.yaml").write_text("id: broken\ndate: [unclosed\n")
    (root / "actors" / "bad-kind.yaml").write_text("id: bad-kind\nname: X\nkind: planet\n")
    result = run(root, "events", "--actor", "Salmon", "-f", "ids")
    assert result.exit_code == 0
    assert result.stdout.split() == ["2023-08-17-unsc-briefing", "2024-03-hrc-dialogue"]
    assert result.stderr.count("warning:") == 1
    assert "2 files could not be loaded" in result.stderr
    assert "dprkhr lint" in result.stderr


def test_bundled_dataset_quick_start() -> None:
    """The README's quick start: `dprkhr events --actor Salmon` on the bundled data."""
    data = Path(__file__).resolve().parent.parent / "data"
    result = run(data, "events", "--actor", "Salmon")
    assert result.exit_code == 0, result.output
    assert "Security Council open" in result.stdout


def test_import_of_the_cli_stays_light() -> None:
    code = (
        "import sys, dprkhr.cli; "
        "print(sorted(m for m in ('rich', 'rapidfuzz', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["--version"], set()),
        (["--help"], set()),
        (["events", "--help"], {"pydantic"}),  # typer 0.29 builds option parsers with it
        (["lint", "--help"], {"pydantic"}),
    ],
)
def test_version_and_help_import_only_what_they_need(argv: list[str], allowed: set[str]) -> None:
    watched = ("rich", "rapidfuzz", "yaml", "pydantic", "dprkhr.models", "dprkhr.dataset")
    code = (
        "import contextlib, io, json, sys\n"
        "from dprkhr.cli import main\n"
        "try:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {watched!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(json.loads(out.stdout)) <= allowed
