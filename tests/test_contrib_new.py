"""`dprkhr new`: derived ids, valid files, no overwrite, prompts only on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_contrib import make_dataset, run

from dprkhr.new import actor_id, event_id, resolution_id, slugify, source_id
from dprkhr.yamlio import read_file


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("A/HRC/RES/22/13", "a-hrc-res-22-13"),
        ("S/RES/2397 (2017)", "s-res-2397"),
        ("E/CN.4/RES/2004/13", "e-cn-4-res-2004-13"),
        ("A/RES/79/181", "a-res-79-181"),
    ],
)
def test_resolution_id_from_symbol(symbol: str, expected: str) -> None:
    assert resolution_id(symbol) == expected


def test_ids_from_names_fold_diacritics() -> None:
    assert actor_id("Elizabeth Salmón") == "elizabeth-salmon"
    assert actor_id("Volker Türk") == "volker-turk"
    assert actor_id("Tomás Ojea Quintana") == "tomas-ojea-quintana"
    assert slugify("Ra'ad Al Hussein") == "ra-ad-al-hussein"
    assert actor_id("김정은") == ""  # no Latin letters: the contributor passes --id


def test_event_and_source_ids() -> None:
    assert event_id("2023-08-17", "Briefing", "UNSC", "briefing", None) == (
        "2023-08-17-unsc-briefing"
    )
    assert event_id("2014-02-17", "The COI publishes its report", None, "report", None) == (
        "2014-02-17-coi-publishes-its-report"
    )
    assert event_id("2014", "x", "HRC", "report", "coi report") == "2014-coi-report"
    assert source_id("Strong Measures Needed", "Human Rights Watch", "2019-03-12") == (
        "hrw-2019-strong-measures-needed"
    )
    assert source_id("Dual approach", "UN Human Rights Office (OHCHR Seoul)", "2022") == (
        "ohchr-seoul-2022-dual-approach"
    )


def _codes(root: Path) -> list[str]:
    result = run(root, "lint", "--format", "parsable")
    return [
        part for line in result.stdout.splitlines() for part in line.split() if part[:3] == "DPK"
    ]


def test_new_resolution_passes_lint_except_the_citation(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    result = run(
        root,
        "new",
        "resolution",
        "--symbol",
        "A/HRC/RES/25/25",
        "--date",
        "2014-03-28",
        "--adoption",
        "30-6-11",
    )
    assert result.exit_code == 0, result.output
    path = root / "resolutions" / "a-hrc-res-25-25.yaml"
    assert result.stdout.strip().endswith("resolutions/a-hrc-res-25-25.yaml")
    data = read_file(path).data
    assert data["forum"] == "HRC"  # read from the symbol
    assert data["session"] == 25
    assert data["adoption"] == {"method": "vote", "yes": 30, "no": 6, "abstain": 11}
    assert _codes(root) == ["DPK601"]
    assert "missing-citation" in run(root, "lint").stdout
    assert run(root, "fmt", "--check").exit_code == 0


def test_new_event_with_a_citation_passes_lint(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    result = run(
        root,
        "new",
        "event",
        "--date",
        "2023-08-17",
        "--type",
        "briefing",
        "--forum",
        "Security Council",
        "--title",
        "Another briefing",
        "--slug",
        "second briefing",
        "--participant",
        "volker-turk:briefer",
        "--source",
        "ijks-2024-un-and-nk-human-rights",
        "--quote",
        "the first in six years",
    )
    assert result.exit_code == 0, result.output
    data = read_file(root / "events" / "2023-08-17-second-briefing.yaml").data
    assert data["forum"] == "UNSC"
    assert data["participants"] == [{"actor": "volker-turk", "role": "briefer"}]
    assert _codes(root) == []
    assert run(root, "fmt", "--check").exit_code == 0


def test_new_actor_and_source(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    actor = run(root, "new", "actor", "--name", "Elizabeth Salmón", "--kind", "person")
    assert actor.exit_code == 0, actor.output
    assert (root / "actors" / "elizabeth-salmon.yaml").is_file()
    source = run(
        root,
        "new",
        "source",
        "--title",
        "Strong Measures Needed",
        "--kind",
        "statement",
        "--publisher",
        "Human Rights Watch",
        "--published",
        "2019-03-12",
        "--url",
        "https://www.hrw.org/news/2019/03/12/strong-measures-needed-advance-accountability-north-korea",
    )
    assert source.exit_code == 0, source.output
    assert (root / "sources" / "hrw-2019-strong-measures-needed.yaml").is_file()
    assert _codes(root) == ["DPK601"]  # the actor still needs its citation


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    path = root / "actors" / "volker-turk.yaml"
    before = path.read_bytes()
    result = run(root, "new", "actor", "--name", "Volker Türk", "--kind", "person")
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["event", "--date", "2024"], "--type"),
        (["event", "--date", "2024-02-30", "--type", "report", "--title", "x"], "29 days"),
        (["event", "--date", "2024", "--type", "reprot", "--title", "x"], "report"),
        (["event", "--date", "2024", "--type", "report", "--title", "x", "--forum", "XX"], "forum"),
        (["actor", "--name", "X", "--kind", "robot"], "kind"),
        (["actor", "--name", "X", "--kind", "person", "--symbol", "S/RES/1"], "--symbol"),
        (["resolution", "--symbol", "X/1", "--date", "2020"], "--forum"),
        (["actor", "--name", "X", "--kind", "person", "--quote", "q"], "--source"),
    ],
)
def test_new_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = make_dataset(tmp_path)
    result = run(root, "new", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_new_prompts_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dprkhr.cli import new as new_cli

    monkeypatch.setattr(new_cli, "interactive", lambda: True)
    root = make_dataset(tmp_path)
    result = run(root, "new", "actor", input="Marzuki Darusman\nperson\n")
    assert result.exit_code == 0, result.output
    assert read_file(root / "actors" / "marzuki-darusman.yaml").data["kind"] == "person"


def test_new_without_terminal_is_a_usage_error(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    result = run(root, "new", "actor")
    assert result.exit_code == 2
    assert "--name" in result.output and "--kind" in result.output
    assert not any((root / "actors").glob("*-*-*.yaml"))
