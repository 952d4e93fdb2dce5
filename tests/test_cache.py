"""The lint caches: warm lint runs re-read only what changed, and are never wrong (the
record store is tested in test_store.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr import cache
from dprkhr.cli import app

ACTOR = "id: x\nname: Xavier\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: remarks by Volker Turk}]\n"


def test_no_cache_option(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    runner = CliRunner()
    result = runner.invoke(app, ["--no-cache", "--data", str(root), "lint"])
    assert result.exit_code == 0
    assert not cache.cache_file(root).exists()
    result = runner.invoke(app, ["--data", str(root), "lint"])
    assert result.exit_code == 0
    assert cache.cache_file(root).exists()


def _age(root: Path, seconds: int = 10) -> None:
    """Make every file look older than the cache's racy window."""
    past = (time.time() - seconds) * 1e9
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(int(past), int(past)))


def test_lint_remembers_an_unchanged_run(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    import dprkhr.lint.runner as runner
    from dprkhr.lint import LintConfig, lint_paths

    root = make_data({"actors/x.yaml": "id: x\nname: X\nkind: person\n"})
    _age(root)
    first = lint_paths(root, config=LintConfig(), cache=True)
    assert [p.code for p in first.problems] == ["DPK601"]
    monkeypatch.setattr(runner, "lint_files", lambda *a, **k: pytest.fail("records were read"))
    again = lint_paths(root, config=LintConfig(), cache=True)
    assert again.problems == first.problems and again.files_checked == first.files_checked
    only = lint_paths(root, [root / "actors" / "volker-turk.yaml"], LintConfig(), cache=True)
    assert only.problems == [] and only.files_checked == 1


def test_lint_memo_misses_on_any_change(make_data: MakeData):
    from dprkhr.lint import LintConfig, lint_paths

    root = make_data({"actors/x.yaml": "id: x\nname: X\nkind: person\n"})
    _age(root)
    assert [p.code for p in lint_paths(root, config=LintConfig(), cache=True).problems] == [
        "DPK601"
    ]
    # other settings: another result
    ignoring = LintConfig().merged(ignore=["DPK601"])
    assert lint_paths(root, config=ignoring, cache=True).problems == []
    # a fixed file, even one edited just now with its size and time kept
    path = root / "actors" / "x.yaml"
    stat = os.stat(path)
    path.write_text("id: x\nname: X\nkind: persn\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _age(root)
    assert [p.code for p in lint_paths(root, config=LintConfig(), cache=True).problems] == [
        "DPK004"
    ]
