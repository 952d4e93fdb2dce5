"""Generated docs are current, and every command and rule is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_contrib import REPO, make_dataset

from dprkhr import docgen
from dprkhr.lint import LintConfig, lint_paths
from dprkhr.lint.rules import RULES
from dprkhr.models import RECORD_TYPES, VOCAB_FILES


def test_generated_files_are_current() -> None:
    assert docgen.stale(REPO) == [], "run `python -m dprkhr.docgen` and commit the result"


def test_docgen_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = docgen.write_all(tmp_path)
    assert set(changed) == set(docgen.generated_files())
    assert docgen.stale(tmp_path) == []
    assert docgen.write_all(tmp_path) == []  # a second run changes nothing
    (tmp_path / "docs" / "rules.md").write_text("old\n")
    assert docgen.stale(tmp_path) == ["docs/rules.md"]
    assert docgen.main(["--bogus"]) == 2


def _commands() -> list[tuple[str, object, object]]:
    return docgen._commands()[1:]


def test_every_command_is_in_the_cli_reference() -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    names = [name for name, _command, _ctx in _commands()]
    assert {"dprkhr lint", "dprkhr new", "dprkhr schema", "dprkhr fmt", "dprkhr diff"} <= set(names)
    for name in names:
        assert f"## `{name}`" in text


@pytest.mark.parametrize("name", [name for name, _c, _x in docgen._commands()[1:]])
def test_every_command_and_parameter_has_help(name: str) -> None:
    command = next(c for n, c, _x in _commands() if n == name)
    assert (command.help or "").strip(), f"`{name}` has no help text"
    for param in command.params:
        if param.name in ("help",):
            continue
        assert (getattr(param, "help", None) or "").strip(), f"`{name}`: `{param.name}` has no help"


def test_every_rule_is_documented_with_examples() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert rule.summary.strip() and rule.description().strip(), rule.code
        examples = rule.examples()
        assert examples["fails"] and examples["passes"], f"{rule.code} lacks examples"
        assert f"## {rule.code} {rule.name}" in text


@pytest.mark.parametrize("rule", [r for r in RULES if not r.needs_archive], ids=lambda r: r.code)
def test_rule_examples_do_what_they_say(tmp_path: Path, rule: type) -> None:
    for key in ("fails", "passes"):
        base = tmp_path / key
        root = make_dataset(base)
        paths = []
        for example in rule.examples()[key]:
            path = base / example.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(example.text, encoding="utf-8")
            paths.append(path)
        codes = {p.code for p in lint_paths(root, paths, LintConfig()).problems}
        assert (rule.code in codes) == (key == "fails"), f"{rule.code} {key}: {sorted(codes)}"


def test_every_field_is_in_the_data_model() -> None:
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    for model in [*RECORD_TYPES.values(), *VOCAB_FILES.values()]:
        assert f"## {model.__name__}" in text
        for name in model.model_fields:
            assert f"| `{name}` |" in text
