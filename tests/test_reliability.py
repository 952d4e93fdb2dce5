"""Reliability under faults (issue 13): no hang, no unbounded read, no clobbering write, no
stale cache, no attack through output."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO, MakeData
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()


def run(root: Path, *args: str, cache: bool = True) -> tuple[int, str, str]:
    argv = ["--data", str(root), *([] if cache else ["--no-cache"]), *args]
    result = runner.invoke(app, argv)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled dataset that tests may edit."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    return root


def _age(root: Path, seconds: int = 60) -> None:
    """Make every file look older than any cache's racy window."""
    past = int((time.time() - seconds) * 1e9)
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def _salmon_event(root: Path) -> Path:
    for path in sorted((root / "events").glob("*.yaml")):
        if "elizabeth-salmon" in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError("no event of Elizabeth Salmón in the dataset")


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """`sed -i s/old/new/ FILE; touch -r copy FILE`: same size, same modification time."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    temp = path.with_name(path.name + ".sed")
    temp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(temp, path)  # as sed -i does: a new file
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns


# --- 2. never hang, never read without bound --------------------------------------------------


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_a_named_pipe_among_records_is_a_located_problem(
    make_data: MakeData, kind: str
):
    root = make_data()
    target = root / "events" / "z.yaml"
    if kind == "device":
        target.symlink_to("/dev/zero")
    else:
        os.mkfifo(target)
    for cache in (True, False):
        code, out, _err = run(root, "lint", cache=cache)
        assert code == 1
        assert "events/z.yaml\n  1:1  error    DPK003  not a regular file" in out
        assert f"({'a device' if kind == 'device' else 'a named pipe'})" in out
        code, out, _err = run(root, "actors", cache=cache)
        assert code == 0 and "Volker" in out


def test_a_named_pipe_as_the_forums_file_is_reported_and_never_blocks(make_data: MakeData):
    root = make_data()
    (root / "forums.yaml").unlink()
    os.mkfifo(root / "forums.yaml")
    code, out, _err = run(root, "lint")
    assert code == 1
    assert "forums.yaml\n  1:1  error    DPK003  not a regular file (a named pipe)" in out
    assert run(root, "actors")[0] == 0


def test_a_named_pipe_as_an_archived_text_is_reported_and_never_blocks(
    make_data: MakeData, archive: Path
):
    root = make_data(
        {
            "actors/quoted.yaml": """
                id: quoted
                name: Quoted Person
                kind: person
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
                    quote: which opened with remarks by Volker Turk
            """
        }
    )
    text = archive / "ijks-2024-un-and-nk-human-rights.txt"
    text.unlink()
    os.mkfifo(text)
    for cache in (True, False):
        code, out, _err = run(root, "lint", "--archive", str(archive), cache=cache)
        assert code == 1
        assert "cannot be read: not a regular file (a named pipe)" in out
        assert "actors/quoted.yaml\n" in out


def test_reads_are_bounded_even_when_the_size_lies(tmp_path: Path):
    from dprkhr.fsio import NotRegularFile, TooLarge, read_regular

    with pytest.raises(NotRegularFile):
        read_regular("/dev/zero", 10)
    path = tmp_path / "x"
    path.write_bytes(b"x" * 11)
    with pytest.raises(TooLarge):
        read_regular(path, 10)
    assert read_regular(path, 11)[1] == b"x" * 11


# --- 4. caches are never wrong ----------------------------------------------------------------


def test_an_edit_keeping_size_and_mtime_is_seen_by_every_cache(data: Path):
    _age(data)
    event = _salmon_event(data)
    run(data, "events", "--actor", "Salmon")  # writes the record cache and the index
    run(data, "lint")  # writes the lint caches
    assert run(data, "lint")[0] == 0
    text = event.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    _edit_keeping_size_and_mtime(event, title, "title: " + "Z" * (len(title.encode()) - 7))
    for args in (["events", "--actor", "Salmon"], ["events", "--format", "json"]):
        code, out, _err = run(data, *args)
        assert code == 0 and "Z" * 10 in out
        assert run(data, *args) == run(data, *args, cache=False)
    # a broken reference of the same length: the cached lint must see it
    _edit_keeping_size_and_mtime(event, "elizabeth-salmon", "elizabeth-salmoX")
    assert run(data, "lint", cache=False)[0] == 1
    assert run(data, "lint") == run(data, "lint", cache=False)


def test_a_clock_set_back_after_the_cache_was_written_does_not_hide_an_edit(
    data: Path, monkeypatch: pytest.MonkeyPatch
):
    real = time.time_ns
    ahead = 3600 * 10**9
    future = real() + ahead - 60 * 10**9
    for path in data.rglob("*.yaml"):  # written while the clock was an hour ahead
        os.utime(path, ns=(future, future))
    monkeypatch.setattr(time, "time_ns", lambda: real() + ahead)
    run(data, "events", "--actor", "Salmon")
    run(data, "lint")
    monkeypatch.setattr(time, "time_ns", real)  # the clock is put right
    event = _salmon_event(data)
    _edit_keeping_size_and_mtime(event, "elizabeth-salmon", "elizabeth-salmoX")
    assert run(data, "lint") == run(data, "lint", cache=False)
    assert run(data, "events", "--actor", "Salmon") == run(
        data, "events", "--actor", "Salmon", cache=False
    )


def test_a_utf16_file_is_reported_as_utf16(make_data: MakeData):
    root = make_data()
    text = "id: x\nname: X\nkind: person\n"
    (root / "actors" / "x.yaml").write_bytes(text.encode("utf-16"))
    code, out, _err = run(root, "lint")
    assert code == 1
    assert "UTF-16" in out and "save it as UTF-8" in out and "binary" not in out


def _deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`chmod 000 folder` as a normal user (the tests may run as root, who reads all)."""
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(path: object) -> None:
        if os.fspath(path) == os.fspath(folder):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(folder))  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        refuse(path)
        return real_scandir(path)  # type: ignore[arg-type]

    def listdir(path: object = ".") -> object:
        refuse(path)
        return real_listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)


def test_an_unreadable_folder_is_reported_in_lint_and_warned_in_queries(
    data: Path, monkeypatch: pytest.MonkeyPatch
):
    _deny(monkeypatch, data / "resolutions")
    for cache in (True, False):
        code, out, _err = run(data, "lint", cache=cache)
        assert code == 1
        assert "resolutions\n  1:1  error    DPK006  the folder cannot be read (Permission" in out
        code, out, err = run(data, "resolutions", cache=cache)
        assert code == 0
        assert "could not be loaded" in err


@pytest.mark.parametrize("copy", ["volker-turk (copy).yaml", ".volker-turk.yaml"])
def test_a_duplicate_id_serves_the_ids_own_file_and_warns_once(make_data: MakeData, copy: str):
    root = make_data(
        {
            f"actors/{copy}": """
                id: volker-turk
                name: Volker Shadow
                kind: person
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
            """,
            "events/e.yaml": """
                id: e
                date: 2024-03-01
                type: statement
                title: A statement
                participants: [{actor: volker-turk}]
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
            """,
        }
    )
    for _ in range(2):  # loaded, then from the index
        code, out, err = run(root, "events", "--actor", "volker-turk", "--format", "json")
        assert code == 0 and '"e"' in out
        warning = (
            "warning: id `volker-turk` is defined by more than one file: serving "
            f"{root.as_posix()}/actors/volker-turk.yaml, ignoring {root.as_posix()}/actors/{copy}"
        )
        assert err.count("volker-turk` is defined") == 1
        assert warning in err
    code, out, err = run(root, "show", "volker-turk")
    assert code == 0 and "Volker Türk" in out and "Shadow" not in out
    assert err.count("is defined by more than one file") == 1
