"""Lint's rows in the store and worker processes: a warm lint equals a cold one, re-reads
only what changed, and survives a damaged store; workers give the same results."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import random
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import MakeData
from typer.testing import CliRunner

from dprkhr import store as store_module
from dprkhr import workers
from dprkhr.cli import app
from dprkhr.dataset import load_dataset
from dprkhr.lint import LintConfig, lint_dataset, lint_paths
from dprkhr.lint import collect as collect_module
from dprkhr.lint import summary as summary_module
from dprkhr.lint.rules.references import _closest, closest_ids
from dprkhr.lint.runner import lint_files
from dprkhr.models import VOCAB_FILES
from dprkhr.store import store_file

FILES = {
    "actors/x.yaml": "id: x\nname: Xavier Dupont\nkind: person\n",
    "actors/x2.yaml": (
        "id: x2\nname: Xavier Dupond\nkind: person\n"
        "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
        "lint: {ignore: [DPK402, DPK601]}\n"
    ),
    "actors/bad.yaml": "id: [bad\n",
    "actors/wrong-id.yaml": "id: other-id\nname: Wrong\nkind: persn\n",
    "events/2023-01-01-e.yaml": (
        'id: 2023-01-01-e\ndate: "2023-01-01"\ntype: briefing\nforum: HRCC\n'
        "title: T\nparticipants: [{actor: volker-turkk}, {actor: x}, {actor: ijks-2024-un-and-nk-human-rights}]\n"
        "tags: [nope]\nsources: [{source: nowhere}]\n"
    ),
    "events/2031-01-01-future.yaml": (
        'id: 2031-01-01-future\ndate: "2031-01-01"\ntype: briefing\ntitle: Later\n'
        "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
    ),
    "resolutions/dup.yaml": (
        'id: x\nsymbol: A/HRC/RES/1/1\nforum: UNGA\ndate: "2005"\n'
        "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
    ),
}


def _age(root: Path, seconds: int = 10) -> None:
    past = int((time.time() - seconds) * 1e9)
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def _lint(root: Path, cache_on: bool = True, today: dt.date | None = None, **kw: object):
    return lint_files(root, config=LintConfig(), cache=cache_on, today=today, **kw).problems


def test_warm_equals_cold_equals_uncached(make_data: MakeData):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    assert {p.code for p in plain} >= {"DPK001", "DPK004", "DPK101", "DPK201", "DPK402", "DPK501"}
    assert _lint(root) == plain  # cold: writes the cache
    assert store_file(root).is_file()
    assert _lint(root) == plain  # warm, files racy: compared by content
    _age(root)
    assert _lint(root) == plain  # warm, every summary from the cache
    assert lint_dataset(load_dataset(root)).problems == plain


def test_listing_from_the_store_keeps_the_dataset_order(make_data: MakeData):
    """Lint takes its listing from the store's refresh (`Store.scanned`, which walks each
    folder's files before its subfolders) in `discover`'s order (sorted paths), which
    decides whose id wins and the order of the files a duplicate id names."""
    same = "id: x\nname: Xavier Dupont\nkind: person\n"
    root = make_data(
        {
            "actors/b/x.yaml": same,
            "actors/b-2.yaml": same,
            "actors/a.yaml": same,
            "actors/z.yaml": same.replace("kind: person", "kind: state"),
            "actors/b/c/y.yaml": same,
            "events/2023-01-01-e.yaml": (
                'id: 2023-01-01-e\ndate: "2023-01-01"\ntype: briefing\ntitle: T\n'
                "participants: [{actor: x}]\n"
                "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
            ),
        }
    )
    plain = _lint(root, cache_on=False)
    assert "DPK101" in {p.code for p in plain}
    assert _lint(root) == plain
    _age(root)
    assert _lint(root) == plain
    assert [display for display, _location in lint_files(root, cache=True).files] == [
        display for display, _location in lint_files(root).files
    ]


def test_only_changed_files_are_read(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data(FILES)
    _age(root)
    _lint(root)
    read: list[str] = []
    real = summary_module.summarise

    def spy(loaded, env):
        if loaded.kind not in VOCAB_FILES:  # the vocabularies are read by every run
            read.append(Path(loaded.location).name)
        return real(loaded, env)

    monkeypatch.setattr(summary_module, "summarise", spy)
    _lint(root)
    assert read == []
    path = root / "actors" / "x.yaml"
    path.write_text(path.read_text() + "aliases: [Xav]\n")
    problems = _lint(root)
    assert read == ["x.yaml"]
    assert problems == _lint(root, cache_on=False)


def test_same_second_same_size_edit_is_seen(make_data: MakeData):
    root = make_data({"actors/x.yaml": FILES["actors/x.yaml"]})
    path = root / "actors" / "x.yaml"
    assert [p.code for p in _lint(root) if p.path.endswith("x.yaml")] == ["DPK601"]
    before = os.stat(path)
    path.write_text(path.read_text().replace("kind: person", "kind: persan"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert [p.code for p in _lint(root) if p.path.endswith("x.yaml")] == ["DPK004"]
    assert _lint(root) == _lint(root, cache_on=False)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty"])
def test_a_damaged_cache_is_ignored(make_data: MakeData, damage: str):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    _lint(root)
    for path in [store_file(root)]:
        raw = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(raw[: len(raw) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xff not json at all")
        elif damage == "flip":
            path.write_bytes(raw.replace(b"DPK", b"DPX"))
        else:
            path.write_bytes(b"")
    assert _lint(root) == plain
    assert _lint(root) == plain  # and the cache was rebuilt
    _age(root)
    assert _lint(root) == plain


def _forge(root: Path, change) -> None:
    """Rewrite every stored summary with `change(value)` applied to it (as
    `[state, id, id_at, None, actor, ignores, problems, dates]`), or run `change` (an SQL
    statement) on the store."""
    db = sqlite3.connect(store_file(root))
    with db:
        if isinstance(change, str):
            db.execute(change)
        else:
            rows = db.execute("SELECT file, state, id, id_line, id_column, rest FROM lint_files")
            for file, state, record_id, line, column, rest in rows.fetchall():
                summary = [state, record_id, [line, column], None]
                summary += json.loads(rest) if rest else [None, [], [], []]
                change(summary)
                db.execute(
                    "UPDATE lint_files SET state = ?, rest = ? WHERE file = ?",
                    (summary[0], json.dumps(summary[4:]), file),
                )
    db.close()


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE lint_refs SET target = x'00ff'",
        "UPDATE lint_refs SET line = 'one'",
        "UPDATE lint_refs SET kind = x'01'",
        "UPDATE lint_files SET rest = 'not json'",
        "UPDATE lint_files SET state = 'x'",
        "UPDATE lint_files SET id_line = 'x'",
        lambda s: s[6].append([1, 1, "DPK999", "made up", None]),
        lambda s: s[6].append(["1", 1, "DPK004", "made up", None]),
        lambda s: s[5].append([7, 1, 1]),
        lambda s: s[7].append([1, 1, "2099", "not a date"]),
        lambda s: s.__setitem__(4, ["person", "N", 1, 1, [3]]) if s[4] else None,
        lambda s: s.pop(),
    ],
)
def test_a_forged_store_gives_no_traceback_and_no_wrong_types(make_data: MakeData, change):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    _age(root)
    _lint(root)
    _forge(root, change)
    assert _lint(root) == plain
    assert _lint(root) == plain


def test_future_dates_are_decided_on_the_day_of_the_run(make_data: MakeData):
    root = make_data(FILES)
    _age(root)

    def future(day: dt.date, cache_on: bool = True) -> list[str]:
        return [p.path for p in _lint(root, cache_on, today=day) if p.code == "DPK402"]

    early, later, earlier = dt.date(2026, 1, 1), dt.date(2031, 6, 1), dt.date(2020, 1, 1)
    assert future(early) == future(early, False) != []
    assert future(later) == future(later, False) == []  # from the cache made in 2026
    assert _lint(root, today=later) == _lint(root, False, today=later)
    assert future(earlier) == future(earlier, False)  # a cache from a later day is not used
    assert _lint(root, today=early) == _lint(root, False, today=early)


def test_vocabulary_and_archive_changes_are_seen(make_data: MakeData, archive: Path):
    root = make_data(FILES)
    _age(root)
    _lint(root)
    forums = root / "forums.yaml"
    forums.write_text(forums.read_text().replace("code: UNGA", "code: UNGAX", 1))
    assert _lint(root) == _lint(root, cache_on=False)
    config = LintConfig(archive=archive)
    quote = root / "actors" / "q.yaml"
    quote.write_text(
        "id: q\nname: Q\nkind: person\n"
        "sources: [{source: ijks-2024-un-and-nk-human-rights, quote: not in the text}]\n"
    )
    with_archive = lint_files(root, config=config, cache=True).problems
    assert "DPK602" in {p.code for p in with_archive}
    assert with_archive == lint_files(root, config=config).problems
    text = archive / "ijks-2024-un-and-nk-human-rights.txt"
    text.write_text(text.read_text(encoding="utf-8") + "... not in the text ...", encoding="utf-8")
    assert "DPK602" not in {p.code for p in lint_files(root, config=config, cache=True).problems}


def test_workers_give_the_same_results(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    monkeypatch.setattr(collect_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(collect_module, "CHUNK", 2)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)  # the store's refresh too
    monkeypatch.setattr(store_module, "READ_PART", 2)
    monkeypatch.setattr(store_module, "CHUNK", 3)
    assert _lint(root, cache_on=False, workers=2) == plain
    assert _lint(root, workers=2) == plain
    assert _lint(root, workers=2) == plain  # from the summaries the workers made
    assert _query(root) == _query(root, cache=False)
    for name in ("actors/x.yaml", "events/2023-01-01-e.yaml"):  # edits, read in workers
        path = root / name
        path.write_text(path.read_text().replace("X", "Y"))
    (root / "actors" / "new.yaml").write_text("id: new\nname: Nova Yates\nkind: person\n")
    assert _lint(root, workers=2) == _lint(root, cache_on=False)
    assert _query(root) == _query(root, cache=False)


def _query(root: Path, cache: bool = True) -> tuple[str, ...]:
    """What the query commands answer (from the store, or from the files)."""
    outputs = []
    for args in (["events", "--format", "json"], ["show", "x"], ["search", "Yavier"]):
        flags = [] if cache else ["--no-cache"]
        result = CliRunner().invoke(app, [*flags, "--data", str(root), *args])
        outputs.append(result.output)
    return tuple(outputs)


def _die(jobs: object) -> None:
    os._exit(3)  # in the worker: as if it were killed


def test_a_worker_dying_in_the_refresh_leaves_a_whole_store(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    """The files the dead worker did not read are read in this process: the refresh
    stores every file once, in its one transaction."""
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(store_module, "READ_PART", 2)
    monkeypatch.setattr(store_module.Reading, "__call__", _die_method)
    assert _lint(root, workers=2) == plain
    monkeypatch.undo()
    assert _lint(root) == plain
    assert _query(root) == _query(root, cache=False)


def _die_method(self: object, part: object) -> None:
    os._exit(3)


def test_a_dying_worker_does_not_stop_the_run(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    monkeypatch.setattr(collect_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(collect_module, "CHUNK", 2)
    monkeypatch.setattr(collect_module, "_chunk", _die)
    assert _lint(root, cache_on=False, workers=2) == plain


def test_no_pool_at_all_falls_back(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    monkeypatch.setattr(collect_module, "PARALLEL_FROM", 1)

    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert _lint(root, cache_on=False, workers=2) == plain


def test_no_cache_option_reads_and_writes_nothing(make_data: MakeData, tmp_path: Path):
    root = make_data(FILES)
    folder = tmp_path / "cache-here"
    env = {"DPRKHR_CACHE_DIR": str(folder)}
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(root), "lint"], env=env)
    assert result.exit_code == 1
    assert not folder.exists()
    warm = CliRunner().invoke(app, ["--data", str(root), "lint"], env=env)
    assert warm.output == result.output and folder.is_dir()


def test_lint_paths_with_cache_reports_on_a_subset(make_data: MakeData):
    root = make_data(FILES)
    only = [root / "events"]
    cold = lint_paths(root, only, LintConfig(), cache=True)
    assert {Path(p.path).parent.name for p in cold.problems} == {"events"}
    assert lint_paths(root, only, LintConfig(), cache=True) == cold
    assert lint_paths(root, only, LintConfig()) == cold


def test_closest_ids_reuses_answers_exactly(monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(7)
    ids = [f"actor-{rng.randrange(10**6):06d}" for _ in range(400)]
    ids = list(dict.fromkeys(ids))
    targets = [f"x-{i}" for i in rng.sample(ids, 40)] + ["zzzz", "actor-00000"]

    def full(choices: list[str]) -> dict[str, str | None]:
        return {t: _closest(t, choices)[0] for t in targets}

    best, memory = closest_ids(targets, ids)
    assert best == full(ids)
    memory = json.loads(json.dumps(memory))  # as written to and read from the cache
    for _ in range(30):
        changed = list(ids)
        for _ in range(rng.randrange(1, 5)):
            if rng.random() < 0.5 and changed:
                changed.pop(rng.randrange(len(changed)))
            else:
                changed.insert(rng.randrange(len(changed) + 1), f"actor-{rng.randrange(10**6):06d}")
        changed = list(dict.fromkeys(changed))
        best, new_memory = closest_ids(targets, changed, memory)
        assert best == full(changed)
        best, _ = closest_ids(targets, changed, new_memory)
        assert best == full(changed)
    # a remembered answer that is not what a scan gives is not trusted
    forged = [ids, {t: ["actor-999999", 99.0] for t in targets}]
    assert closest_ids(targets, ids, forged)[0] == full(ids)


def test_stored_references_are_the_ones_read(make_data: MakeData):
    root = make_data(FILES)
    plain = lint_files(root, config=LintConfig())
    _age(root)
    lint_files(root, config=LintConfig(), cache=True)
    warm = lint_files(root, config=LintConfig(), cache=True, with_refs=True)
    assert warm.problems == plain.problems
    assert [warm.view.refs(i) for i in range(len(warm.files))] == [
        plain.view.refs(i) for i in range(len(plain.files))
    ]


def _cli_lint(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, [*args, "--format", "parsable"])
    finally:
        os.chdir(old)
    # the dangling references, each with its file from the data folder on (paths in other
    # messages are shown relative to the working directory, which these tests vary)
    return result.exit_code, "\n".join(
        line[line.index("events/") if "events/" in line else 0 :]
        for line in result.stdout.splitlines()
        if "DPK201" in line
    )


def test_remembered_references_do_not_depend_on_how_the_root_is_spelled(make_data: MakeData):
    """A dangling reference found from one working directory is still found when the same
    data is linted as `--data data`, from elsewhere, or with an absolute path."""
    root = make_data(FILES)
    _age(root)
    project = root.parent
    expected = _cli_lint("--no-cache", "--data", str(root), "lint")
    assert "unknown actor `volker-turkk`" in expected[1]
    assert _cli_lint("lint", cwd=project) == expected
    assert _cli_lint("--data", "data", "lint", cwd=project) == expected
    assert _cli_lint("--data", str(root), "lint", cwd=project.parent) == expected
    assert _cli_lint("lint", cwd=project) == expected


def test_a_run_without_dangling_reference_does_not_leave_stale_findings(make_data: MakeData):
    """A file fixed while `dangling-reference` is not selected is judged afresh when it is."""
    root = make_data(FILES)
    path = root / "events" / "2023-01-01-e.yaml"
    _age(root)
    assert "unknown actor `volker-turkk`" in _cli_lint("--data", str(root), "lint")[1]
    path.write_text(path.read_text(encoding="utf-8").replace("volker-turkk", "volker-turk"))
    _age(root, 5)
    _cli_lint("--data", str(root), "lint", "--select", "DPK0")  # reads the fixed file
    warm = _cli_lint("--data", str(root), "lint")
    assert "volker-turkk" not in warm[1]
    assert warm == _cli_lint("--no-cache", "--data", str(root), "lint")


@pytest.mark.parametrize(
    "forged",
    [
        {"actor": [[["not", "hashable"]], {}]},
        {"actor": [None, {"volker-turkk": ["x", 99]}]},
        {"actor": "nonsense", "source": [[], []]},
        {"actor": [["volker-turk"], {"volker-turkk": [None, "0"]}], "tag": 7},
    ],
)
def test_forged_suggestions_change_nothing(make_data: MakeData, forged: object):
    """The "did you mean" answers kept between runs are checked before use: forged ones
    give the answers of a fresh run, never a traceback."""
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    _age(root)
    _lint(root)
    db = sqlite3.connect(store_file(root))
    with db:
        db.execute(
            "INSERT OR REPLACE INTO lint_meta VALUES ('suggestions', ?)", (json.dumps(forged),)
        )
    db.close()
    assert _lint(root) == plain
    assert _lint(root) == plain


def test_kept_findings_are_reused_only_while_their_inputs_are_the_same(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    """The actor rules' findings are kept in the store and reused while every actor's
    summary and file are the same (an event edited); an actor edited, added, or moved to
    another file makes them again."""
    from dprkhr.lint.rules.actors import PossibleDuplicateActor

    root = make_data(FILES)
    calls: list[int] = []
    real = PossibleDuplicateActor.check_dataset

    def spy(self, view):
        calls.append(1)
        return real(self, view)

    monkeypatch.setattr(PossibleDuplicateActor, "check_dataset", spy)
    _age(root)
    assert _lint(root) == _lint(root, cache_on=False)
    calls.clear()
    assert "DPK501" in {p.code for p in _lint(root)}
    assert calls == []
    event = root / "events" / "2023-01-01-e.yaml"
    event.write_text(event.read_text() + "# touched\n")
    assert _lint(root) == _lint(root, cache_on=False)
    assert len(calls) == 1  # the uncached run only
    (root / "actors" / "x2.yaml").write_text(FILES["actors/x2.yaml"] + "# a comment\n")
    calls.clear()
    assert _lint(root) == _lint(root, cache_on=False)
    assert len(calls) == 1
    for edit in (
        lambda: (root / "actors" / "x2.yaml").write_text(
            FILES["actors/x2.yaml"] + "aliases: [Xavier Dupondt]\n"
        ),
        lambda: (root / "actors" / "x.yaml").write_text(
            "id: x\nname: Xavier Durand\nkind: person\n"
        ),
        lambda: (root / "actors" / "y.yaml").write_text(
            "id: y\nname: Xavier Durant\nkind: person\n"
        ),
        lambda: (root / "actors" / "y.yaml").rename(root / "actors" / "z.yaml"),
    ):
        edit()
        calls.clear()
        assert _lint(root) == _lint(root, cache_on=False)
        assert len(calls) == 2
    calls.clear()
    _lint(root)
    assert calls == []


def test_a_run_with_nothing_changed_reads_the_findings_back(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    """While every summary is the store's as of one generation, the findings of every
    cross-record rule are read back; a file read (edited, or summarised by no lint yet),
    other vocabularies, or files shown from elsewhere make them again."""
    from dprkhr.lint.rules import RULES
    from dprkhr.lint.rules.actors import PossibleDuplicateActor

    root = make_data(FILES)
    called: list[str] = []
    for rule in RULES:
        real = vars(rule).get("check_dataset")
        if real is not None:

            def spy(self, view, real=real):
                called.append(self.code)
                return real(self, view)

            monkeypatch.setattr(rule, "check_dataset", spy)
    _age(root)
    plain = _lint(root, cache_on=False)
    assert set(called) == {"DPK101", "DPK201", "DPK312", "DPK501", "DPK503"}
    _lint(root)  # the files are read: nothing kept

    def warm(expected: set[str], cwd: Path | None = None) -> None:
        called.clear()
        assert lint_files(root, config=LintConfig(), cache=True, cwd=cwd).problems == (
            lint_files(root, config=LintConfig(), cwd=cwd).problems
        )
        assert set(called[: len(called) - 5]) == expected  # the uncached run calls all 5

    warm({"DPK101", "DPK201", "DPK312"})  # keeps them all (the actor rules' were kept)
    warm(set())
    event = root / "events" / "2023-01-01-e.yaml"
    event.write_text(event.read_text() + "# touched\n")
    warm({"DPK101", "DPK201", "DPK312"})  # the actors are as they were
    _age(root)
    warm({"DPK101", "DPK201", "DPK312"})  # (a refresh that reads every file again)
    warm({"DPK101", "DPK201", "DPK312"})  # the first run that reads no file keeps them
    warm(set())
    tags = root / "tags.yaml"
    tags.write_text(tags.read_text() + "\n")
    _age(root)  # (a file edited within seconds is compared on every run, which writes)
    warm({"DPK101", "DPK201", "DPK312", "DPK501", "DPK503"})  # every summary made again
    warm({"DPK101", "DPK201", "DPK312"})
    warm(set())
    warm({"DPK101", "DPK201", "DPK312", "DPK501", "DPK503"}, cwd=root)  # shown otherwise
    warm(set(), cwd=root)
    assert _lint(root) == plain
    assert PossibleDuplicateActor.code in {p.code for p in plain}


@pytest.mark.parametrize(
    "forged",
    [
        [["actors/nowhere.yaml", 1, 1, "made up", None]],
        [["actors/x2.yaml", "one", 1, "made up", None]],
        [["actors/x2.yaml", 1, 1, "made up"]],
        [[99999, 1, 1, "made up", None]],
        [[0, "one", 1, "made up", None]],
        ["x"],
        7,
        None,
    ],
)
def test_forged_kept_findings_change_nothing(make_data: MakeData, forged: object):
    root = make_data(FILES)
    plain = _lint(root, cache_on=False)
    _age(root)
    _lint(root)
    _lint(root)  # reads no file: keeps every rule's findings
    db = sqlite3.connect(store_file(root))
    with db:
        (kept,) = db.execute("SELECT value FROM lint_meta WHERE key = 'findings'").fetchone()
        findings = json.loads(kept)
        assert set(findings) == {"DPK101", "DPK201", "DPK312", "DPK501", "DPK503"}
        for code in findings:
            findings[code][1] = forged
        db.execute("UPDATE lint_meta SET value = ? WHERE key = 'findings'", (json.dumps(findings),))
    db.close()
    assert _lint(root) == plain
    assert _lint(root) == plain


def test_a_warm_lint_sees_other_settings_and_any_edit(make_data: MakeData):
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
