"""Careless and hostile input found in review: each gets a clear error, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MakeData, write
from typer.testing import CliRunner

from dprkhr.cli import app
from dprkhr.dataset import load_dataset
from dprkhr.lint import lint_dataset

CITE = "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_error_messages_never_carry_raw_control_characters(make_data: MakeData):
    root = make_data(
        {
            "actors/evil-one.yaml": 'id: evil-one\nname: "Evil\\e]0;PWNED\\a One"\nkind: person\n'
            + CITE,
            "actors/evil-two.yaml": 'id: evil-two\nname: "Evil\\e[2J Two"\nkind: person\n' + CITE,
        }
    )
    result = invoke("--data", str(root), "show", "evil")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "Evil\\x1b]0;PWNED\\x07 One" in result.stderr


def test_huge_integer_is_a_problem_of_its_file(make_data: MakeData):
    root = make_data(
        {"actors/big.yaml": "id: big\nname: B\nkind: person\npage: " + "9" * 5000 + "\n"}
    )
    problems = lint_dataset(load_dataset(root)).problems
    assert [(p.code, Path(p.path).name, p.line) for p in problems] == [("DPK003", "big.yaml", 4)]


def test_missing_vocabulary_is_reported(make_data: MakeData):
    root = make_data()
    (root / "forums.yaml").unlink()
    result = invoke("--data", str(root), "lint", "--format", "parsable")
    assert result.exit_code == 1
    assert (
        "forums.yaml:1:1: [error] DPK006 the vocabulary file forums.yaml is missing"
        in result.stdout
    )


def test_data_dot_keeps_whole_paths(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data({"actors/x.yaml": "id: x\nname: X\nkind: persn\n" + CITE})
    monkeypatch.chdir(root)
    result = invoke("--data", ".", "lint", "--format", "parsable")
    assert result.stdout.startswith("actors/x.yaml:3:1:")


def test_non_utf8_pyproject_is_ignored(
    make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = make_data()
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.dprkhr.lint]\nignore = ['\xff']\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("--data", str(root), "lint")
    assert result.exit_code == 0, result.output  # skipped as unreadable, defaults apply


def test_export_refuses_special_files_and_names_unwritable_targets(
    make_data: MakeData, tmp_path: Path
):
    root = make_data()
    result = invoke("--data", str(root), "export", "json", "-o", "/dev/null", "--force")
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert not Path("/dev/null").is_file()
    link = tmp_path / "link.json"
    (tmp_path / "real.json").write_text("{}")
    link.symlink_to(tmp_path / "real.json")
    assert invoke("--data", str(root), "export", "json", "-o", str(link), "--force").exit_code == 2
    assert link.is_symlink()
    result = invoke("--data", str(root), "export", "json", "-o", "/proc/dprkhr-test.json")
    assert result.exit_code in (1, 2) and result.stderr.startswith("Error:")
    assert "Internal error" not in result.stderr


def test_fmt_writes_through_a_symlink(make_data: MakeData):
    root = make_data()
    target = write(root, "actors/real.yaml", "name: X\nid: lnk\nkind: person\n" + CITE)
    link = root / "actors" / "lnk.yaml"
    link.symlink_to(target)
    assert invoke("--data", str(root), "fmt", str(link)).exit_code == 0
    assert link.is_symlink()
    assert target.read_text().startswith("id: lnk\n")


def test_new_refuses_what_lint_would_refuse(make_data: MakeData):
    root = make_data()
    base = ["--data", str(root), "new", "event", "--date", "2023-08-17", "--type", "meeting"]
    result = invoke(*base, "--title", "T", "--participant", "volker-turkk:chair")
    assert result.exit_code == 2
    assert "no actor is named `volker-turkk`; did you mean volker-turk" in result.stderr
    result = invoke(*base, "--title", "Span", "--end-date", "2023-08-01")
    assert result.exit_code == 2 and "DPK401" in result.stderr
    assert not any((root / "events").iterdir())


def test_duplicate_ids_are_not_called_duplicate_actors(make_data: MakeData):
    root = make_data(
        {
            "actors/twin/volker-turk.yaml": "id: volker-turk\nname: Volker Türk\nkind: person\n"
            + CITE
        }
    )
    codes = [p.code for p in lint_dataset(load_dataset(root)).problems]
    assert "DPK101" in codes and "DPK501" not in codes


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_is_a_clean_error(make_data: MakeData):  # pragma: no cover - not as root
    root = make_data()
    (root / "actors").chmod(0o500)
    try:
        result = invoke("--data", str(root), "new", "actor", "--name", "Foo", "--kind", "person")
        assert result.exit_code == 1 and result.stderr.startswith("Error: cannot use")
    finally:
        (root / "actors").chmod(0o700)


def test_empty_filter_values_are_usage_errors(make_data: MakeData):
    root = make_data()
    for option in ("--text", "--resolution", "--actor"):
        result = invoke("--data", str(root), "events", option, "")
        assert result.exit_code == 2, option


def test_export_force_keeps_the_file_mode(make_data: MakeData, tmp_path: Path):
    root = make_data()
    target = tmp_path / "out.json"
    target.write_text("{}")
    target.chmod(0o640)
    assert (
        invoke("--data", str(root), "export", "json", "-o", str(target), "--force").exit_code == 0
    )
    assert target.stat().st_mode & 0o777 == 0o640
