"""The record cache: warm runs re-read only what changed, and are never wrong."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import MakeData, write
from typer.testing import CliRunner

from dprkhr import cache
from dprkhr.cli import app
from dprkhr.dataset import load_dataset
from dprkhr.lint import lint_dataset

ACTOR = "id: x\nname: Xavier\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: remarks by Volker Turk}]\n"


def names(root: Path) -> dict[str, str]:
    dataset = load_dataset(root, cache=True)
    return {r.id: getattr(r, "name", "") for r in dataset.records}


def test_warm_load_equals_cold_load(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR, "actors/bad.yaml": "id: [bad\n"})
    cold = load_dataset(root, cache=True)
    assert cache.cache_file(root).is_file()
    warm = load_dataset(root, cache=True)
    plain = load_dataset(root)
    dump = lambda ds: sorted(r.model_dump_json() for r in ds.records)  # noqa: E731
    assert dump(cold) == dump(warm) == dump(plain)
    assert sorted(cold.problems) == sorted(warm.problems) == sorted(plain.problems)
    assert lint_dataset(warm).problems == lint_dataset(plain).problems


def test_only_changed_files_are_parsed(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data({"actors/x.yaml": ACTOR})
    load_dataset(root, cache=True)
    parsed: list[str] = []
    import dprkhr.dataset as dataset_module

    real = dataset_module.load_file

    def spy(path, kind, display, raw=None):
        parsed.append(Path(path).name)
        return real(path, kind, display, raw)

    monkeypatch.setattr(dataset_module, "load_file", spy)
    # make every entry look old, so that none is re-checked by content
    entries = cache.read(root)
    assert entries is not None
    cache.write(
        root, {k: cache.Entry.from_json(v) for k, v in entries.entries.items()}, started_ns=2**62
    )
    load_dataset(root, cache=True)
    assert parsed == ["forums.yaml", "tags.yaml", "event-types.yaml"]  # vocabularies only
    (root / "actors" / "x.yaml").write_text(ACTOR.replace("Xavier", "Yvonne"))
    parsed.clear()
    assert names(root)["x"] == "Yvonne"
    assert "x.yaml" in parsed and "volker-turk.yaml" not in parsed


def test_same_second_same_size_edit_is_seen(make_data: MakeData):
    """An edit that keeps the size and the modification time is caught by content."""
    root = make_data({"actors/x.yaml": ACTOR})
    path = root / "actors" / "x.yaml"
    assert names(root)["x"] == "Xavier"
    before = os.stat(path)
    path.write_text(ACTOR.replace("Xavier", "Xaviar"))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert names(root)["x"] == "Xaviar"


def test_deleted_and_added_files(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    assert "x" in names(root)
    (root / "actors" / "x.yaml").unlink()
    write(root, "actors/y.yaml", ACTOR.replace("id: x", "id: y"))
    assert "x" not in names(root) and "y" in names(root)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b.replace(b"Xavier", b"Zavier"),  # edited: checksum fails
        lambda b: b"not json at all\n",
        lambda b: b"",
        lambda b: b'{"format": 1}\n{}',  # foreign header
        lambda b: bytes(range(256)),
    ],
)
def test_damaged_cache_is_rebuilt_silently(make_data: MakeData, damage):
    root = make_data({"actors/x.yaml": ACTOR})
    names(root)
    path = cache.cache_file(root)
    path.write_bytes(damage(path.read_bytes()))
    assert names(root)["x"] == "Xavier"
    assert cache.read(root) is not None  # rewritten whole


def test_a_cache_that_lies_cannot_smuggle_in_an_invalid_record(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    names(root)
    entries = cache.read(root)
    assert entries is not None
    forged = {k: cache.Entry.from_json(v) for k, v in entries.entries.items()}
    forged["actors/x.yaml"].data["kind"] = "dragon"  # type: ignore[union-attr,index]
    cache.write(root, forged, started_ns=2**62)  # a valid checksum over forged data
    dataset = load_dataset(root, cache=True)
    assert all(getattr(r, "kind", None) != "dragon" for r in dataset.records)


def test_cache_lives_outside_the_data_folder(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    names(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert root not in cache.cache_file(root).parents


def test_no_cache_option(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    runner = CliRunner()
    result = runner.invoke(app, ["--no-cache", "--data", str(root), "lint"])
    assert result.exit_code == 0
    assert not cache.cache_file(root).exists()
    result = runner.invoke(app, ["--data", str(root), "lint"])
    assert result.exit_code == 0
    assert cache.cache_file(root).exists()


def test_unwritable_cache_folder_is_not_an_error(
    make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(blocker / "sub"))
    root = make_data({"actors/x.yaml": ACTOR})
    assert names(root)["x"] == "Xavier"


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


def test_a_forged_problem_in_the_cache_is_not_trusted(make_data: MakeData):
    root = make_data({"actors/bad.yaml": "id: [bad\n"})
    load_dataset(root, cache=True)
    entries = cache.read(root)
    assert entries is not None
    forged = {k: cache.Entry.from_json(v) for k, v in entries.entries.items()}
    forged["actors/bad.yaml"].problems[0][4] = "catastrophe"  # type: ignore[union-attr]
    cache.write(root, forged, started_ns=2**62)
    dataset = load_dataset(root, cache=True)
    assert [p.code for p in dataset.problems if p.path.endswith("bad.yaml")] == ["DPK001"]
