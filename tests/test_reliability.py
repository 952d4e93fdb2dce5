"""Reliability under faults (issue 13): no hang, no unbounded read, no clobbering write, no
stale cache, no attack through output."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO, MakeData, write
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
        assert f"the folder {data.as_posix()}/resolutions cannot be read" in err
        assert "could not be loaded" in err


ACTOR_SHADOW = """
    id: volker-turk
    name: Volker Shadow
    kind: person
    sources:
      - source: ijks-2024-un-and-nk-human-rights
        quote: The Special Rapporteur
"""


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
                    quote: The Special Rapporteur
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


def _touch_all(root: Path) -> None:
    for path in sorted(root.rglob("*.yaml")):
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


@pytest.mark.parametrize("bulk", [False, True])
def test_ids_defined_twice_are_followed_through_edits(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch, bulk: bool
):
    """The store keeps the ids that several files define as files come and go (and
    change their id), row by row or rebuilt after a bulk write (every trigger off): its
    warnings and answers are those of the files read afresh."""
    from dprkhr import store as store_module

    if bulk:
        monkeypatch.setattr(store_module, "CHUNK", 1)
    shadow = ACTOR_SHADOW
    root = make_data({"actors/b-copy.yaml": shadow, "actors/a-copy.yaml": shadow})
    steps = [
        lambda: None,
        lambda: _touch_all(root),
        lambda: (root / "actors" / "a-copy.yaml").unlink(),
        lambda: write(root, "actors/z.yaml", shadow.replace("volker-turk", "z")),
        lambda: write(root, "actors/y.yaml", shadow.replace("volker-turk", "z")),
        lambda: write(root, "actors/b-copy.yaml", shadow.replace("volker-turk", "b")),
        lambda: (root / "actors" / "y.yaml").unlink(),
    ]
    for step in steps:
        step()
        for command in (["actors", "--format", "ids"], ["show", "z"], ["show", "volker-turk"]):
            assert run(root, *command) == run(root, *command, cache=False), (step, command)


# --- 3. writes never clobber, never leave debris ----------------------------------------------


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _meanwhile(monkeypatch: pytest.MonkeyPatch, name: str, act) -> None:
    """Run `act()` while the exporter `name` writes (as another process would)."""
    import dataclasses

    from dprkhr import export

    original = export.EXPORTERS[name]

    def write(*args, **kwargs):
        original.write(*args, **kwargs)
        act()

    monkeypatch.setitem(export.EXPORTERS, name, dataclasses.replace(original, write=write))


def test_an_export_never_replaces_a_file_created_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "out.db"
    _meanwhile(monkeypatch, "sqlite", lambda: target.write_text("the user's file"))
    result = runner.invoke(app, ["export", "sqlite", "-o", str(target)])
    assert result.exit_code == 2
    assert "appeared while the export ran" in result.stderr
    assert target.read_text() == "the user's file"
    assert _temp_files(tmp_path) == []


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_export_never_deletes_what_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
):
    target = tmp_path / "csv"

    def user() -> None:
        target.mkdir()
        (target / "notes.txt").write_text("mine")

    _meanwhile(monkeypatch, "csv", user)
    result = runner.invoke(app, ["export", "csv", "-o", str(target), *(["--force"] * force)])
    assert result.exit_code == 2, result.output
    message = "holds notes.txt, which this export did not write" if force else "appeared"
    assert message in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


def test_a_forced_folder_export_replaces_only_its_own_files(tmp_path: Path):
    target = tmp_path / "csv"
    assert runner.invoke(app, ["export", "csv", "-o", str(target)]).exit_code == 0
    result = runner.invoke(app, ["export", "csv", "-o", str(target), "--force"])
    assert result.exit_code == 0
    assert (target / "events.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_a_forced_folder_export_interrupted_while_the_old_folder_is_aside_puts_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
):
    """Ctrl-C (or a failure) just after the old folder was moved aside: the old folder,
    with a file the user added meanwhile, is back in place, and nothing is left beside."""
    from dprkhr import fsio

    target = tmp_path / "csv"
    assert runner.invoke(app, ["export", "csv", "-o", str(target)]).exit_code == 0
    before = sorted(p.name for p in target.iterdir())
    real_rename = os.rename

    def rename(source, destination):
        real_rename(source, destination)
        if os.fspath(source) == str(target):  # the old folder has just been moved aside
            (Path(destination) / "notes.txt").write_text("mine")  # the user, meanwhile
            raise interruption()

    monkeypatch.setattr(fsio.os, "rename", rename)
    with (
        pytest.raises(interruption),
        fsio.atomic_folder(target, replace=set(before).__contains__) as folder,
    ):
        (folder / "events.csv").write_text("new")
    fsio.remove_live()  # what the command does on Ctrl-C before it exits
    assert sorted(p.name for p in target.iterdir()) == sorted([*before, "notes.txt"])
    assert (target / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


def test_fmt_never_loses_an_edit_made_while_it_runs(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
):
    from dprkhr import fmt

    root = make_data({"actors/x.yaml": "name: X\nid: x\nkind: person\n"})
    path = root / "actors" / "x.yaml"
    edited = "name: Xavier\nid: x\nkind: person\n"
    original = fmt.format_text

    def slow(text: str, kind: str) -> str:
        out = original(text, kind)
        if path.read_text() != edited:
            path.write_text(edited)  # the contributor saves meanwhile
        return out

    monkeypatch.setattr(fmt, "format_text", slow)
    code, out, _err = run(root, "fmt", str(path))
    assert code == 1
    assert "changed while it was formatted" in out + _err
    assert path.read_text() == edited
    assert _temp_files(path.parent) == []


def test_fmt_never_writes_outside_the_data_root(make_data: MakeData, tmp_path: Path):
    root = make_data()
    outside = tmp_path / "elsewhere" / "actors" / "x.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_text("name: X\nid: x\nkind: person\n")
    (root / "actors" / "x.yaml").symlink_to(outside)
    code, out, err = run(root, "fmt")
    assert code == 1
    assert "outside the data folder" in out + err
    assert outside.read_text() == "name: X\nid: x\nkind: person\n"


def test_a_link_is_named_by_its_own_path(
    make_data: MakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The file to fix is the link in the data folder, not the file it leads to."""
    root = make_data()
    outside = tmp_path / "elsewhere" / "x.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_text("name: X\nid: x\nkind: person\n")
    (root / "actors" / "x.yaml").symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(root, "fmt")
    assert code == 1
    assert "data/actors/x.yaml:1:1: error: links to" in out + err
    assert "elsewhere/x.yaml:1:1" not in out + err


def test_a_terminated_export_leaves_no_temporary_file(tmp_path: Path):
    import subprocess
    import sys

    code = (
        "import os, signal, sys, time\n"
        "import dprkhr.export.sqlitefmt as s, dprkhr.export as e, dataclasses\n"
        "def slow(sel, path):\n"
        "    s.write_sqlite(sel, path)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(5)\n"
        "e.EXPORTERS['sqlite'] = dataclasses.replace(e.EXPORTERS['sqlite'], write=slow)\n"
        "from dprkhr.cli import main\n"
        f"main(['export', 'sqlite', '-o', {str(tmp_path / 'out.db')!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == -15, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_killed_runs_are_swept_and_ignored_by_git(tmp_path: Path, data: Path):
    from dprkhr import fsio
    from dprkhr.store import cache_dir

    dead = 4_194_305  # above any pid_max: no such process
    target = tmp_path / "out.json"
    stale = tmp_path / f".{target.name}.p{dead}-abcd1234.tmp"
    stale.write_text("partial")
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stale_cache = folder / f".records-0123.json.p{dead}-abcd1234.tmp"
    stale_cache.write_text("partial")
    live = tmp_path / f".other.p{os.getpid()}-abcd1234.tmp"
    live.write_text("being written")
    assert runner.invoke(app, ["export", "json", "-o", str(target)]).exit_code == 0
    assert run(data, "events")[0] == 0
    assert not stale.exists() and not stale_cache.exists() and live.exists()
    import fnmatch

    patterns = (REPO / ".gitignore").read_text().splitlines()
    name = fsio.temp_prefix(Path("data/events/x.yaml")) + "abcd1234" + fsio.TEMP_SUFFIX
    assert any(fnmatch.fnmatch(name, p) for p in patterns)


def test_a_full_disk_during_export_is_a_clean_error(tmp_path: Path):
    import resource
    import subprocess
    import sys

    def small() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    target = tmp_path / "out.db"
    done = subprocess.run(
        [sys.executable, "-m", "dprkhr", "export", "sqlite", "-o", str(target)],
        preexec_fn=small,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: cannot write {target}: ")
    assert done.stderr.count("\n") == 1 and "bug" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_home_folder_of_no_user_is_a_clean_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DPRKHR_DATA", "~nosuchuser-dprkhr/x")
    result = runner.invoke(app, ["events"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: $DPRKHR_DATA ~nosuchuser-dprkhr/x: no home folder")


def test_an_output_encoding_that_cannot_show_a_name_is_a_clean_error():
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run(
        [sys.executable, "-m", "dprkhr", "actors", "Türk"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    err = done.stderr.decode("latin-1")
    assert err.startswith("Error: cannot write U+") and "PYTHONIOENCODING=utf-8" in err
    assert err.count("\n") == 1


def test_ctrl_c_prints_interrupted_and_exits_130(data: Path, monkeypatch: pytest.MonkeyPatch):
    import dprkhr.dataset

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dprkhr.dataset, "load_dataset", interrupted)
    code, _out, err = run(data, "actors", cache=False)
    assert code == 130
    assert err == "Interrupted\n"


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="lint uses workers on 2+ cores")
@pytest.mark.parametrize("signame", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_lint_workers_die_with_their_parent(make_data: MakeData, signame: str):
    import select
    import signal
    import subprocess
    import sys

    event = "id: e{n}\ndate: 2024-03-01\ntitle: Event {n}\nparticipants: [{{actor: nobody-{n}}}]\n"
    root = make_data({f"events/e{n}.yaml": event.format(n=n) for n in range(2500)})
    parent = subprocess.Popen(
        [sys.executable, "-m", "dprkhr", "--data", str(root), "--no-cache", "lint"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.01)
        assert workers, "no worker process started"
        os.kill(parent.pid, getattr(signal, signame))
        parent.wait(timeout=30)
        assert parent.stdout is not None
        end = time.monotonic() + 20
        while time.monotonic() < end:  # the pipe closes: every writer is gone
            ready, _, _ = select.select([parent.stdout], [], [], 1)
            if ready and not os.read(parent.stdout.fileno(), 65536):
                break
        else:
            raise AssertionError("the output pipe stayed open")
        end = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < end:
            time.sleep(0.05)
        assert not _alive(workers)
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")
@pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="the store reads in workers on 2+ cores"
)
def test_ctrl_c_in_a_refresh_read_in_workers_leaves_no_half_store(
    make_data: MakeData, tmp_path: Path
):
    """Ctrl-C while the store's refresh reads files in worker processes: the command ends
    at once (130), its workers with it, the refresh's transaction is rolled back, and the
    next run answers as the files do."""
    import contextlib
    import signal
    import sqlite3
    import subprocess
    import sys

    event = "id: e{n}\ndate: 2024-03-01\ntitle: Event {n}\nparticipants: [{{actor: nobody-{n}}}]\n"
    root = make_data({f"events/e{n}.yaml": event.format(n=n) for n in range(2500)})
    env = {**os.environ, "DPRKHR_CACHE_DIR": str(tmp_path / "cache")}
    lint = [sys.executable, "-m", "dprkhr", "--data", str(root), "lint"]
    parent = subprocess.Popen(lint, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.01)
        assert workers, "no worker process started"
        os.kill(parent.pid, signal.SIGINT)
        _out, err = parent.communicate(timeout=30)
        assert parent.returncode == 130, err
        end = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < end:
            time.sleep(0.05)
        assert not _alive(workers)
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.wait()
    for found in (tmp_path / "cache").glob("store-*.db"):  # made, and rolled back
        with contextlib.closing(sqlite3.connect(found)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            stored = db.execute("SELECT count(*) FROM files").fetchone()[0]
            assert stored in (0, len(list(root.rglob("*.yaml"))))  # (none, or all: committed)
    plain = subprocess.run([*lint[:-1], "--no-cache", "lint"], capture_output=True, env=env)
    again = subprocess.run(lint, capture_output=True, env=env)
    assert again.stdout == plain.stdout and again.returncode == plain.returncode


# --- 5. output never carries an attack --------------------------------------------------------

HOSTILE = "Evil \\e]8;;http://x\\aLink\\e]8;;\\a \\a\\x9b2J \\r\\b \\u202eTxet"
"""ESC, an OSC 8 link, BEL, C1 CSI, CR, BS and a right-to-left override (YAML escapes)."""

RAW = ("\x1b", "\x07", "\x9b", "\r", "\x08", "\u202e")


def _hostile(make_data: MakeData) -> Path:
    return make_data(
        {
            "actors/evil.yaml": f"""
                id: evil
                name: "{HOSTILE}"
                kind: person
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
                    quote: which opened with remarks by Volker Turk
            """,
            "events/e.yaml": f"""
                id: e
                date: 2024-03-01
                type: briefing
                title: "{HOSTILE}"
                participants: [{{actor: evil}}]
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
                    quote: which opened with remarks by Volker Turk
            """,
        }
    )


@pytest.mark.parametrize(
    "args",
    [
        ["search", "Evil", "--format", "csv"],
        ["search", "Evil"],
        ["search", "Evil", "--format", "json"],
        ["search", "Evil", "--format", "yaml"],
        ["events", "--format", "csv"],
        ["events", "--format", "jsonl"],
        ["events"],
        ["actors", "Evil", "--format", "csv"],
        ["show", "evil"],
        ["export", "json"],
    ],
)
def test_no_output_carries_terminal_escapes_or_bidi_overrides(make_data: MakeData, args: list[str]):
    root = _hostile(make_data)
    code, out, err = run(root, *args)
    assert code == 0, err
    assert "Evil" in out
    for char in RAW:
        assert char not in out, (char, out)
        assert char not in err


def test_lint_warns_about_control_and_bidi_characters(make_data: MakeData):
    root = _hostile(make_data)
    code, out, _err = run(root, "lint")
    assert code == 0  # warnings
    assert "DPK007" in out
    assert "a control character (U+0007, U+0008, U+000D)" in out
    assert out.count("DPK007") == 2


FORMULA = '=HYPERLINK("http://x","click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    make_data: MakeData, tmp_path: Path, start: str
):
    import csv

    title = start + FORMULA[1:]
    root = make_data(
        {
            "events/e.yaml": f"""
                id: e
                date: 2024-03-01
                type: briefing
                title: '{title}'
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
            """
        }
    )
    code, out, _err = run(root, "events", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["title"] == "'" + title
    assert rows[0]["date"] == "2024-03-01" and rows[0]["id"] == "e"
    code, out, _err = run(root, "search", "HYPERLINK", "--format", "csv")
    assert next(iter(csv.DictReader(out.splitlines())))["label"] == "'" + title
    target = tmp_path / "csv"
    assert run(root, "export", "csv", "-o", str(target))[0] == 0
    with open(target / "events.csv", encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert exported[0]["title"] == "'" + title
    assert exported[0]["date"] == "2024-03-01" and exported[0]["id"] == "e"


def test_formula_safe_keeps_numbers_and_dates():
    from dprkhr.safetext import formula_safe

    for data in ("-5", "+1.5", "2024-03-01", "A/RES/79/181", "e", "", "'=x"):
        assert formula_safe(data) == data
    for hostile in ("=1+1", "-1+1", "+x", "@SUM(A1)", "\tx", "\rx", "-"):
        assert formula_safe(hostile) == "'" + hostile


@pytest.mark.parametrize("text", ["%", "_", "%%", "*"])
def test_text_is_matched_as_text_never_as_a_pattern(make_data: MakeData, text: str):
    events = {
        "events/plain.yaml": "plain title",
        "events/marked.yaml": f"a title with {text} in it",
    }
    root = make_data(
        {
            path: f"""
                id: {path[7:-5]}
                date: 2024-03-01
                type: briefing
                title: "{title}"
                sources:
                  - source: ijks-2024-un-and-nk-human-rights
            """
            for path, title in events.items()
        }
    )
    for cache in (True, False):
        code, out, _err = run(root, "events", "--text", text, "--format", "ids", cache=cache)
        assert code == 0
        assert out == "marked\n"
    code, out, _err = run(root, "resolutions", "--text", text, "--format", "ids")
    assert code == 0 and out == ""


# --- 4. diff, repeated findings -----------------------------------------------------------------


@pytest.mark.parametrize("direction", ["stopped", "started"])
def test_diff_reports_a_record_that_stopped_or_started_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, direction: str
):
    import json

    from helpers_contrib import commit, git, git_repo

    repo = tmp_path / "repo"
    git_repo(repo)
    monkeypatch.chdir(repo)
    path = repo / "data" / "actors" / "volker-turk.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text + "kind: person\n"  # a duplicate key: reads the same, does not load
    if direction == "started":
        path.write_text(broken, encoding="utf-8")
        commit(repo, "broken")
        path.write_text(text, encoding="utf-8")
    else:
        path.write_text(broken, encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "feature") if direction == "stopped" else None
    code, out, _err = run(repo / "data", "diff", "HEAD", "--format", "json")
    assert code == 0
    records = json.loads(out)["records"]
    assert [r["id"] for r in records] == ["volker-turk"]
    side = "head" if direction == "stopped" else "base"
    assert records[0]["broken"][0]["side"] == side
    assert "duplicate key" in records[0]["broken"][0]["message"]
    code, out, _err = run(repo / "data", "diff", "HEAD")
    assert "no record changed" not in out and "volker-turk" in out


def test_repeated_findings_are_capped_per_file_with_a_count(make_data: MakeData):
    import json

    participants = "".join(f"  - actor: nobody-{i}\n" for i in range(2000))
    text = (
        "id: big\ndate: 2024-03-01\ntype: briefing\ntitle: Big\ntitle: Again\n"
        f"participants:\n{participants}"
        "sources:\n  - source: ijks-2024-un-and-nk-human-rights\n"
    )
    root = make_data()
    (root / "events" / "big.yaml").write_text(text, encoding="utf-8")
    for cache in (True, False):
        code, out, _err = run(root, "lint", "--format", "json", cache=cache)
        assert code == 1
        problems = json.loads(out)["problems"]
        dangling = [p for p in problems if p["code"] == "DPK201"]
        assert len(dangling) == 21
        assert dangling[-1]["message"] == (
            "1,980 more DPK201 problems in this file are not shown (showing 20 of 2,000)"
        )
        assert [p["code"] for p in problems].count("DPK002") == 1  # the failure, once
