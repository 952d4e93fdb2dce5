"""The store: warm runs re-read only what changed, are never wrong, and survive damage,
concurrent runs and runs killed half-way."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MakeData, write
from typer.testing import CliRunner

from dprkhr import store as store_module
from dprkhr.cli import app
from dprkhr.dataset import load_dataset
from dprkhr.layout import scan
from dprkhr.lint import lint_dataset
from dprkhr.store import Extension, Store, open_store, store_file

ACTOR = "id: x\nname: Xavier\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: remarks by Volker Turk}]\n"


def names(root: Path) -> dict[str, str]:
    dataset = load_dataset(root, cache=True)
    return {r.id: getattr(r, "name", "") for r in dataset.records}


def _age(root: Path, seconds: int = 10) -> None:
    """Make every file look older than the racy window."""
    past = int((time.time() - seconds) * 1e9)
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def _open(root: Path) -> Store:
    found = open_store(root)
    assert found is not None
    return found


def test_warm_load_equals_cold_load(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR, "actors/bad.yaml": "id: [bad\n"})
    cold = load_dataset(root, cache=True)
    assert store_file(root).is_file()
    warm = load_dataset(root, cache=True)
    plain = load_dataset(root)
    dump = lambda ds: sorted(r.model_dump_json() for r in ds.records)  # noqa: E731
    assert dump(cold) == dump(warm) == dump(plain)
    assert sorted(cold.problems) == sorted(warm.problems) == sorted(plain.problems)
    assert [f.display for f in warm.files] == [f.display for f in plain.files]
    assert warm.forums == plain.forums and warm.tags == plain.tags
    assert warm.vocab_loaded == plain.vocab_loaded
    assert lint_dataset(warm).problems == lint_dataset(plain).problems


def test_only_changed_files_are_parsed(make_data: MakeData, monkeypatch: pytest.MonkeyPatch):
    root = make_data({"actors/x.yaml": ACTOR})
    _age(root)
    load_dataset(root, cache=True)
    parsed: list[str] = []
    import dprkhr.dataset as dataset_module

    real = dataset_module.load_file

    def spy(path, kind, display, raw=None):
        parsed.append(Path(path).name)
        return real(path, kind, display, raw)

    monkeypatch.setattr(dataset_module, "load_file", spy)
    load_dataset(root, cache=True)
    assert parsed == []
    (root / "actors" / "x.yaml").write_text(ACTOR.replace("Xavier", "Yvonne"))
    assert names(root)["x"] == "Yvonne"
    assert parsed == ["x.yaml"]


def test_refresh_reports_what_changed(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    _age(root)
    store = _open(root)
    first = store.refresh()
    assert first.rebuilt and "actors/x.yaml" in first.added and not first.removed
    assert not store.refresh()
    write(root, "actors/y.yaml", ACTOR.replace("id: x", "id: y"))
    (root / "actors" / "x.yaml").write_text(ACTOR.replace("Xavier", "Xaviera"))
    (root / "actors" / "volker-turk.yaml").unlink()
    changes = store.refresh()
    assert changes.added == ["actors/y.yaml"]
    assert changes.modified == ["actors/x.yaml"]
    assert changes.removed == ["actors/volker-turk.yaml"]
    assert set(changes.loaded) == {"actors/x.yaml", "actors/y.yaml"}
    assert changes.loaded["actors/x.yaml"].record.name == "Xaviera"  # type: ignore[union-attr]
    store.close()


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
        lambda b: b"not a database at all\n" * 100,
        lambda b: b"",
        lambda b: b[:100] + bytes(range(256)) * 8 + b[2148:],  # pages overwritten
    ],
)
def test_a_damaged_store_is_made_again_silently(make_data: MakeData, damage):
    root = make_data({"actors/x.yaml": ACTOR})
    names(root)
    path = store_file(root)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(damage(path.read_bytes()))
    assert names(root)["x"] == "Xavier"
    assert names(root)["x"] == "Xavier"
    store = _open(root)
    assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()


def test_a_store_of_other_code_or_another_root_is_made_again(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    root = make_data({"actors/x.yaml": ACTOR})
    names(root)
    db = sqlite3.connect(store_file(root))
    db.execute("UPDATE records SET data = replace(data, 'Xavier', 'Forged')")
    db.execute("UPDATE meta SET value = 'other' WHERE key = 'fingerprint'")
    db.commit()
    db.close()
    assert names(root)["x"] == "Xavier"
    db = sqlite3.connect(store_file(root))
    db.execute("UPDATE records SET data = replace(data, 'Xavier', 'Forged')")
    db.execute("UPDATE meta SET value = '/elsewhere' WHERE key = 'root'")
    db.commit()
    db.close()
    assert names(root)["x"] == "Xavier"


def test_a_store_that_lies_cannot_smuggle_in_an_invalid_record(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR, "actors/bad.yaml": "id: [bad\n"})
    _age(root)
    names(root)
    db = sqlite3.connect(store_file(root))
    db.execute("UPDATE records SET data = replace(data, 'person', 'dragon')")
    db.execute(
        "UPDATE records SET problems = replace(problems, '\"error\"', '\"catastrophe\"') "
        "WHERE file = 'actors/bad.yaml'"
    )
    db.commit()
    db.close()
    dataset = load_dataset(root, cache=True)
    assert all(getattr(r, "kind", None) != "dragon" for r in dataset.records)
    assert "x" in {r.id for r in dataset.records}
    assert [p.code for p in dataset.problems if p.path.endswith("bad.yaml")] == ["DPK001"]


def test_the_store_lives_outside_the_data_folder(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    names(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert root not in store_file(root).parents


def test_no_cache_option_leaves_no_store(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    runner = CliRunner()
    result = runner.invoke(app, ["--no-cache", "--data", str(root), "events"])
    assert result.exit_code == 0
    assert not store_file(root).exists()
    result = runner.invoke(app, ["--data", str(root), "events"])
    assert result.exit_code == 0
    assert store_file(root).exists()


def test_unwritable_cache_folder_is_not_an_error(
    make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(blocker / "sub"))
    root = make_data({"actors/x.yaml": ACTOR})
    assert open_store(root) is None
    assert names(root)["x"] == "Xavier"


def test_an_extension_keeps_rows_per_file_that_go_with_the_file(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    seen: list[tuple[list[str], list[str]]] = []

    def update(db: sqlite3.Connection, changes: store_module.Changes) -> None:
        seen.append((changes.changed, changes.removed))
        db.executemany(
            "INSERT INTO test_lengths VALUES (?, ?)",
            ((path, len(changes.loaded[path].location)) for path in changes.changed),
        )

    extension = Extension(
        "test",
        "CREATE TABLE test_lengths (file TEXT NOT NULL REFERENCES files (path) "
        "ON DELETE CASCADE, n INTEGER); CREATE INDEX test_lengths_file ON test_lengths (file)",
        update,
    )
    monkeypatch.setitem(store_module._EXTENSIONS, "test", extension)
    root = make_data({"actors/x.yaml": ACTOR})
    _age(root)
    store = _open(root)
    store.refresh()
    count = lambda: store.connection.execute("SELECT count(*) FROM test_lengths").fetchone()[0]  # noqa: E731
    files = store.connection.execute("SELECT count(*) FROM files").fetchone()[0]
    assert count() == files and store.missing("test_lengths") == []
    (root / "actors" / "x.yaml").unlink()
    store.refresh()
    assert seen[-1] == ([], ["actors/x.yaml"])
    assert count() == files - 1
    # a hook passed to one refresh, and a table filled lazily from `missing`
    store.connection.execute("DELETE FROM test_lengths WHERE file LIKE 'actors/%'")
    assert store.missing("test_lengths")[0].startswith("actors/")
    store.close()


_WRITER = """
import sys
from pathlib import Path
from dprkhr.dataset import load_dataset
root = Path(sys.argv[1])
for i in range(int(sys.argv[2])):
    ds = load_dataset(root, cache=True)
    assert not [p for p in ds.problems if p.severity.value == "error" and "x" in p.path], ds.problems
    ids = {r.id for r in ds.records}
    assert "volker-turk" in ids, ids
print("ok")
"""


def test_concurrent_runs_each_see_a_whole_store(make_data: MakeData):
    root = make_data({f"actors/x{i}.yaml": ACTOR.replace("id: x", f"id: x{i}") for i in range(30)})
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(root), "6"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for i in range(12):  # edits while they run
        write(root, f"actors/x{i % 30}.yaml", ACTOR.replace("id: x", f"id: x{i % 30}") + "\n")
        time.sleep(0.02)
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    plain = sorted(r.model_dump_json() for r in load_dataset(root).records)
    assert sorted(r.model_dump_json() for r in load_dataset(root, cache=True).records) == plain


_KILLED = """
import os, signal, sys
from pathlib import Path
from dprkhr import store
root = Path(sys.argv[1])
def die(db, changes):
    os.kill(os.getpid(), signal.SIGKILL)
s = store.open_store(root)
s.refresh(extra=[store.Extension("die", (), die)])
"""


def test_a_run_killed_in_the_middle_of_a_refresh_loses_nothing(make_data: MakeData):
    root = make_data({"actors/x.yaml": ACTOR})
    assert names(root)["x"] == "Xavier"
    (root / "actors" / "x.yaml").write_text(ACTOR.replace("Xavier", "Killed"))
    done = subprocess.run(
        [sys.executable, "-c", _KILLED, str(root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -9, done.stderr
    assert names(root)["x"] == "Killed"
    store = _open(root)
    assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()


def test_a_store_locked_by_another_run_is_waited_for_then_given_up(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    root = make_data({"actors/x.yaml": ACTOR})
    names(root)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(store_file(root), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        (root / "actors" / "x.yaml").write_text(ACTOR.replace("Xavier", "Locked"))
        assert names(root)["x"] == "Locked"  # answered from the files
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert names(root)["x"] == "Locked"


def test_many_changed_files_are_read_in_parts_in_one_transaction(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(store_module, "CHUNK", 2)
    told: list[list[str]] = []
    monkeypatch.setitem(
        store_module._EXTENSIONS,
        "test",
        Extension("test", "", lambda _db, part: told.append(part.changed)),
    )
    root = make_data({f"actors/x{i}.yaml": ACTOR.replace("id: x", f"id: x{i}") for i in range(5)})
    store = _open(root)
    changes = store.refresh()
    assert all(len(part) <= 2 for part in told)
    assert sorted(p for part in told for p in part) == sorted(changes.added)
    assert changes.loaded == {}  # more than a part: not kept
    store.close()
    plain = sorted(r.model_dump_json() for r in load_dataset(root).records)
    assert sorted(r.model_dump_json() for r in load_dataset(root, cache=True).records) == plain


def test_only_the_changed_part_of_the_files_is_compared(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    """The signature is kept in parts (`store.PART` files each, by path): a change, an
    addition, a removal or a file still in the racy window makes its part compared file
    by file, and only that part; an edit that keeps the size and sets the modification
    time back is still seen (the change time moved)."""
    monkeypatch.setattr(store_module, "PART", 3)
    extra = {f"actors/p{i:02}.yaml": ACTOR.replace("id: x", f"id: p{i:02}") for i in range(12)}
    root = make_data(extra)
    _age(root, 60)
    store = _open(root)
    assert store.refresh().rebuilt

    def stale() -> list[tuple[str, str | None]]:
        meta = store._meta()
        scanned = scan(root)
        return store_module._stale(scanned, meta["signature"], int(meta["signature_ns"]))[0]

    def signed_as_now() -> None:
        """Every part's stored digest is that of the files now in its range (parts kept
        from the previous signature included), so the next refresh trusts only truth."""
        parts = json.loads(store._meta()["signature"])
        scanned = sorted(scan(root))
        for n, (low, digest) in enumerate(parts):
            high = parts[n + 1][0] if n + 1 < len(parts) else None
            inside = [e for e in scanned if e[0] >= low and (high is None or e[0] < high)]
            assert store_module._digests(inside)[0] == digest, low

    assert stale() == [] and not store.refresh()
    assert len(json.loads(store._meta()["signature"])) > 4
    signed_as_now()

    path = root / "actors" / "p05.yaml"
    before = os.stat(path)
    path.write_text(ACTOR.replace("id: x", "id: p05").replace("Xavier", "Xaviar"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r`
    assert len(stale()) == 1
    changes = store.refresh()
    assert changes.modified == ["actors/p05.yaml"] and not changes.added + changes.removed
    assert not changes.rebuilt
    signed_as_now()

    time.sleep(0.01)
    path.write_text(ACTOR.replace("id: x", "id: p05").replace("Xavier", "Yvonne"))
    assert store.refresh().modified == ["actors/p05.yaml"]
    assert len(stale()) == 1  # its part, while the edit is within the racy window
    assert not store.refresh()  # (the content is the same)

    write(root, "actors/a00.yaml", ACTOR.replace("id: x", "id: a00"))
    write(root, "sources/zzz.yaml", "id: zzz\n")
    (root / "actors" / "p07.yaml").unlink()
    changes = store.refresh()
    assert sorted(changes.added) == ["actors/a00.yaml", "sources/zzz.yaml"]
    assert changes.removed == ["actors/p07.yaml"] and not changes.rebuilt
    signed_as_now()
    before = len(json.loads(store._meta()["signature"]))
    for i in range(7):  # a part grown to twice PART files: the listing is cut afresh
        write(root, f"actors/p05-{i}.yaml", ACTOR.replace("id: x", f"id: p05-{i}"))
    assert len(store.refresh().added) == 7
    signed_as_now()
    assert len(json.loads(store._meta()["signature"])) > before
    assert not store.refresh()
    store.close()
    plain = load_dataset(root)
    warm = load_dataset(root, cache=True)
    dump = lambda ds: sorted(r.model_dump_json() for r in ds.records)  # noqa: E731
    assert dump(warm) == dump(plain)
    assert names(root)["p05"] == "Yvonne" and "p07" not in names(root)


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="names must be UTF-8 there")
def test_a_file_name_that_is_not_utf8_is_read_not_stored(make_data: MakeData):
    """SQLite holds only UTF-8 text: such a file is read on every run (as an unreadable
    one is), never a crash, and lint reports it as it does without the store."""
    root = make_data({"actors/x.yaml": ACTOR})
    try:
        bad = os.path.join(os.fsencode(root / "actors"), b"y-\xff.yaml")
        with open(bad, "wb") as handle:
            handle.write(ACTOR.replace("id: x", "id: y").encode())
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    runner = CliRunner()
    for _run in range(2):  # the store made, then warm
        result = runner.invoke(app, ["--data", str(root), "lint", "--format", "json"])
        plain = runner.invoke(app, ["--no-cache", "--data", str(root), "lint", "--format", "json"])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output == plain.output
        events = runner.invoke(app, ["--data", str(root), "actors", "-f", "ids"])
        assert events.exit_code == 0 and "x" in events.output.split()
    assert store_file(root).is_file()
    assert "y-\udcff.yaml" in {r for r, _k, _i in scan(root)} | {
        r.rsplit("/", 1)[-1] for r, _k, _i in scan(root)
    }
