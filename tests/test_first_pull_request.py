"""A first pull request without friction: templates lint accepts, names for participants,
answers checked as they are given, and a plain word about tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()


def invoke(root: Path, *args: str, **kwargs):
    return runner.invoke(app, ["--data", str(root), *args], **kwargs)


def test_new_source_template_passes_lint_and_says_how_records_cite_it(
    make_data: MakeData,
) -> None:
    root = make_data()
    result = invoke(
        root,
        "new",
        "source",
        "--title",
        "Annual report",
        "--kind",
        "report",
        "--publisher",
        "Some Watch",
        "--published",
        "2024",
        "--url",
        "https://example.org/r",
    )
    assert result.exit_code == 0, result.output
    path = root.parent / result.stdout.strip()
    if not path.is_file():
        path = Path(result.stdout.strip())
    text = path.read_text(encoding="utf-8")
    source_id = text.split("\n", 1)[0].removeprefix("id: ")
    assert "Cite at least one source" not in text
    assert f"#     - source: {source_id}" in text
    # uncommenting what the template shows in the source itself is not suggested, and
    # the file as written passes lint
    lint = invoke(root, "lint", str(path))
    assert lint.exit_code == 0, lint.output


def test_participant_names_resolve_to_ids(make_data: MakeData) -> None:
    root = make_data()
    result = invoke(
        root,
        "new",
        "event",
        "--date",
        "2024-05-01",
        "--type",
        "briefing",
        "--title",
        "T",
        "--participant",
        "Elizabeth Salmon:briefer",
        "--participant",
        "Volker Türk",
        "--participant",
        "un-security-council:host",
    )
    assert result.exit_code == 0, result.output
    text = (root / "events" / "2024-05-01-t.yaml").read_text(encoding="utf-8")
    assert "- actor: elizabeth-salmon\n    role: briefer" in text
    assert "- actor: volker-turk\n" in text
    assert "- actor: un-security-council\n    role: host" in text
    assert "participant `Elizabeth Salmon` → elizabeth-salmon (Elizabeth Salmón)" in result.stderr


def test_unknown_participant_creates_nothing_and_says_which_actor_to_add(
    make_data: MakeData,
) -> None:
    root = make_data()
    before = sorted(p.name for p in root.rglob("*.yaml"))
    result = invoke(
        root,
        "new",
        "event",
        "--date",
        "2024-05-01",
        "--type",
        "meeting",
        "--title",
        "Session",
        "--participant",
        "Supreme People's Assembly",
    )
    assert result.exit_code == 2
    assert "no actor is named `Supreme People's Assembly`" in result.stderr
    assert 'dprkhr new actor --name "Supreme People\'s Assembly"' in result.stderr
    assert "nothing was written" in result.stderr
    assert "pattern" not in result.stderr
    assert sorted(p.name for p in root.rglob("*.yaml")) == before


def test_a_loose_participant_match_is_not_written(make_data: MakeData) -> None:
    root = make_data()
    result = invoke(
        root,
        "new",
        "event",
        "--date",
        "2024-05-01",
        "--type",
        "meeting",
        "--title",
        "T",
        "--participant",
        "Volker Tork:speaker",
    )
    assert result.exit_code == 2
    assert "did you mean volker-turk" in result.stderr
    assert "--participant volker-turk:speaker" in result.stderr
    assert not (root / "events" / "2024-05-01-t.yaml").exists()


def test_interactive_new_asks_again_at_once(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_data()
    monkeypatch.setattr("dprkhr.cli.new.interactive", lambda: True)
    answers = "2024-13-01\n2024-05-02\nbriefng\nbriefing\n\nA briefing\n"
    result = invoke(root, "new", "event", input=answers)
    assert result.exit_code == 0, result.output
    assert "month 13 does not exist" in result.output
    assert "unknown event type `briefng`; did you mean `briefing`?" in result.output
    assert result.output.count("Title, in your own words") == 2  # an empty title: again
    text = (root / "events" / "2024-05-02-briefing.yaml").read_text(encoding="utf-8")
    assert "type: briefing" in text and 'date: "2024-05-02"' in text


def test_interactive_new_actor_kind(make_data: MakeData, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_data()
    monkeypatch.setattr("dprkhr.cli.new.interactive", lambda: True)
    result = invoke(root, "new", "actor", input="Kim Example\npersn\nperson\n")
    assert result.exit_code == 0, result.output
    assert "did you mean `person`" in result.output
    assert "kind: person" in (root / "actors" / "kim-example.yaml").read_text(encoding="utf-8")


def test_kind_choices_are_the_models() -> None:
    from dprkhr.models.actor import ActorKind
    from dprkhr.models.source import SourceKind
    from dprkhr.new import KIND_CHOICES

    assert KIND_CHOICES["actor"] == tuple(k.value for k in ActorKind)
    assert KIND_CHOICES["source"] == tuple(k.value for k in SourceKind)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: x\nname: X\nkind: person\nsources:\n\t- source: a\n", 5),
        ("id: x\nname: X\nsummary: a\n\tb\nkind: person\n", 4),
        ("id: x\n\tname: X\nkind: person\n", 2),
    ],
)
def test_a_tab_in_the_indentation_gets_a_hint(make_data: MakeData, text: str, line: int) -> None:
    root = make_data({"actors/x.yaml": text})
    result = invoke(root, "lint", str(root / "actors" / "x.yaml"))
    assert result.exit_code == 1
    assert f"{line}:1  error    DPK001  a tab in the indentation" in result.stdout
    assert "hint: replace each tab at the start of the line with spaces" in result.stdout
    assert "cannot start any token" not in result.stdout


def test_interactive_new_resolution(make_data: MakeData, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_data()
    monkeypatch.setattr("dprkhr.cli.new.interactive", lambda: True)
    # the date typed where the symbol is asked, then no symbol; a forum mistyped
    result = invoke(root, "new", "resolution", input="2019\n\nHRX\nHRC\n2019-03-22\n")
    assert result.exit_code == 0, result.output
    assert "`2019` is not a UN symbol" in result.output
    assert "unknown forum `HRX`" in result.output
    text = (root / "resolutions" / "hrc-2019-dprk.yaml").read_text(encoding="utf-8")
    assert "forum: HRC" in text and 'date: "2019-03-22"' in text
