"""The query side of the store (dprkhr.storequery): every query command answers from it
exactly as from the records (`--no-cache`), in every format, through edits, additions and
deletions, and whatever happened to the store."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, MakeData, write
from typer.testing import CliRunner

from dprkhr.cli import app, app_for, command_in
from dprkhr.layout import RECORD_FOLDERS, VOCAB_FILE_NAMES
from dprkhr.store import store_file

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled dataset that tests may edit."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    return root


def run(root: Path, *args: str, cache: bool = True) -> tuple[int, str, str]:
    argv = ["--data", str(root), *([] if cache else ["--no-cache"]), *args]
    result = runner.invoke(app, argv)
    return result.exit_code, result.stdout, result.stderr


def served_by_store(root: Path, *args: str) -> bool:
    """Whether a warm `events` run answers from the store's tables (no record model is
    imported: no record is rebuilt)."""
    code = (
        "import sys\n"
        "from dprkhr.cli import main\n"
        "try:\n"
        f"    main(['--data', {str(root)!r}, 'events', *{list(args)!r}, '-f', 'ids'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MODELS' if 'dprkhr.models' in sys.modules else 'STORE', file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    return done.stderr.strip().endswith("STORE")


QUERIES = [  # of events
    [],
    ["--format", "json"],  # many records: loaded with the rest rather than one by one
    ["--actor", "Salmon"],
    ["--actor", "elizabeth-salmon", "--format", "json"],
    ["--actor", "Salmén"],
    ["--actor", "Tomas Ojea Quintana", "--format", "csv"],
    ["--actor", "Lee Shin-wha", "--format", "yaml"],
    ["--actor", "Kim"],
    ["--actor", "Nobody Atall"],
    ["--forum", "Security Council"],
    ["--forum", "UNGA", "--since", "2015", "--until", "2019", "--format", "jsonl"],
    ["--forum", "HRC", "--type", "appointment"],
    ["--type", "report", "--sort", "-date", "--limit", "4"],
    ["--tag", "accountability", "--tag", "engagement"],
    ["--tag", "Sanctions", "--format", "ids"],
    ["--resolution", "A/HRC/RES/22/13"],
    ["--resolution", "A/HRC/RES/99/99"],
    ["--since", "2014-02", "--until", "2014-03"],
    ["--type", "no-such-type"],
    ["--forum", "Nowhere"],
    ["--actor", "DPRK", "--as", "speaker"],
    ["--actor", "dprk", "--not-as", "subject", "--format", "json"],
    ["--actor", "DPRK", "--as", "speker"],
    ["--actor", "DPRK", "--as", "subject", "--as", "speaker", "--limit", "2"],
    ["--forum", "UNSC", "--forum", "HRC", "--limit", "3"],
    ["--limit", "3", "--format", "csv"],
    ["--text", "inquiry"],
    ["--text", "commission of inquiry", "--format", "json"],
    ["--text", "xyzzy"],
    ["--text", "%"],
    ["--text", "sanctions", "--forum", "UNSC", "--format", "csv"],
    ["--actor", "DPRK", "--as", "speaker", "--text", "human rights"],
    ["--text", "forced repatriation"],
    ["--text", "Salmón"],
]


RELATED = [
    ["Salmon"],
    ["Volker Türk", "--format", "json"],
    ["un-security-council", "--limit", "3", "--format", "csv"],
    ["Lee Shin-wha", "--format", "ids"],
    ["Salmonn"],
    ["Nobody Atall"],
]

SHOW = [
    ["Salmon"],
    ["elizabeth-salmon", "--format", "json"],
    ["A/HRC/RES/22/13"],
    ["a/hrc/res/22/13", "--format", "yaml"],
    ["UNSC"],
    ["Security Council"],
    ["hrc", "--format", "json"],
    ["ijks-2024-un-and-nk-human-rights"],
    ["Salmén"],
    ["Nobody Atall"],
    ["Kim"],
]

TIMELINE = [
    [],
    ["--forum", "Security Council", "--since", "2014", "--gaps", "24"],
    ["--actor", "Salmon", "--format", "json"],
    ["--actor", "republic-of-korea", "--format", "csv"],
    ["--forum", "HRC", "--sort", "-date", "--format", "ids"],
    ["--tag", "accountability", "--gaps", "12", "--format", "yaml"],
    ["--type", "report", "--since", "2019"],
    ["--resolution", "A/HRC/RES/22/13"],
    ["--forum", "UNGA", "--format", "jsonl"],
    ["--forum", "UNSC", "--since", "2018", "--until", "2022", "--gaps", "12"],
    ["--forum", "UNSC", "--since", "2024", "--gaps", "6", "--format", "json"],
    ["--forum", "UNSC", "--type", "meeting", "--type", "briefing", "--gaps", "12"],
    ["--tag", "sanctions", "--gaps", "12", "--format", "csv"],
    ["--since", "2020", "--gaps", "12", "--sort", "-date"],
    ["--actor", "DPRK", "--not-as", "subject"],
    ["--forum", "UNSC", "--forum", "HRC", "--tag", "accountability", "--format", "csv"],
    ["--actor", "Japan", "--as", "sponsor", "--format", "ids"],
]

RESOLUTIONS = [
    [],
    ["--forum", "Human Rights Council", "--since", "2020"],
    ["--forum", "UNGA", "--adopted", "vote", "--format", "csv"],
    ["--adopted", "without-vote", "--sort", "-date", "--limit", "5"],
    ["--session", "22", "--format", "json"],
    ["--sponsor", "Japan", "--format", "ids"],
    ["--limit", "2", "--format", "json"],
    ["--tag", "sanctions", "--format", "yaml"],
    ["--forum", "Nowhere"],
    ["--sponsor", "Japan"],
    ["--sponsor", "Russian Federation", "--forum", "HRC"],
    ["--adopted", "vote", "--since", "2010", "--format", "json"],
    ["--session", "22", "--sponsor", "ROK"],
    ["--text", "situation", "--format", "csv"],
    ["--text", "Comission"],
    ["--text", "/", "--format", "csv"],
]

SEARCH = [
    ["commission", "of", "inquiry"],
    ["Salmon", "--format", "csv"],
    ["forced", "repatriation", "--type", "event", "--format", "json"],
    ["Slamon"],
    ["Comission", "of", "Inquiry", "--type", "event"],
    ["inquiry", "xyzzyq"],
    ["sanctions", "--sort", "date", "--limit", "50"],
    ["resolutions", "--type", "resolution", "--format", "ids"],
    ["%"],
    ["accountability", "--limit", "3", "--sort", "-date", "--format", "yaml"],
    ["Tirk", "--format", "jsonl"],
    ["report", "--type", "source", "--type", "actor", "--sort", "type"],
    ["human", "rights", "council", "--limit", "100", "--format", "csv"],
]

STATS = [
    [],
    ["--format", "json"],
    ["--forum", "HRC", "--format", "yaml"],
    ["--actor", "Japan"],
    ["--type", "report", "--since", "2019", "--format", "json"],
    ["--tag", "accountability"],
    ["--by", "year", "--by", "tag", "--format", "csv"],
    ["--by", "forum", "--resolution", "A/HRC/RES/22/13"],
    ["--format", "csv"],
    ["--text", "abduction", "--format", "json"],
]

ACTORS = [
    [],
    ["salmon"],
    ["Salmén", "--format", "json"],
    ["salmn"],
    ["--kind", "state", "--format", "csv"],
    ["--role", "Special Rapporteur", "--as-of", "2019-03-12"],
    ["--role", "High Commissioner", "--as-of", "2016", "--format", "yaml"],
    ["--country", "KR"],
    ["--country", "kp", "--kind", "person", "--format", "jsonl"],
    ["--sort", "events", "--limit", "5"],
    ["Kim", "--sort", "id", "--format", "ids"],
    ["--kind", "un-body", "--sort", "name", "--limit", "3", "--format", "json"],
    ["Nobody Atall"],
]

VOTES = [
    ["China"],
    ["china", "--format", "json"],
    ["Republic of Korea", "--format", "csv"],
    ["dprk", "--since", "2010", "--forum", "HRC", "--format", "yaml"],
    ["european-union"],
    ["japan", "--limit", "3"],
    ["--resolution", "A/RES/69/188"],
    ["-r", "A/RES/69/188", "--format", "json"],
    ["-r", "a/hrc/res/22/13", "--format", "csv"],
    ["--matrix", "--forum", "UNGA", "--format", "csv"],
    ["--matrix", "--format", "json"],
    ["--matrix", "--forum", "UNSC", "--since", "2014"],
    ["--changed"],
    ["--changed", "China", "--format", "json"],
    ["Nobody Atall"],
]

EXPORTS = [
    ["json"],
    ["jsonl"],
    ["json", "--forum", "HRC"],
    ["jsonl", "--actor", "Salmon", "--since", "2015"],
    ["json", "--text", "inquiry"],
    ["json", "--type", "report"],
]

CASES = [
    *(["events", *args] for args in QUERIES),
    *(["export", *args] for args in EXPORTS),
    *(["votes", *args] for args in VOTES),
    *(["actors", *args] for args in ACTORS),
    *(["stats", *args] for args in STATS),
    *(["search", *args] for args in SEARCH),
    *(["resolutions", *args] for args in RESOLUTIONS),
    *(["timeline", *args] for args in TIMELINE),
    *(["related", *args] for args in RELATED),
    *(["show", *args] for args in SHOW),
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_the_store_answers_exactly_as_the_records_do(data: Path, args: list[str]):
    expected = run(data, *args, cache=False)
    first = run(data, *args)  # reads every file into the store
    assert store_file(data).is_file()
    second = run(data, *args)  # answers from the store
    assert store_file(data).is_file()  # (a store found damaged would have been removed)
    assert first == expected
    assert second == expected


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--actor", "Salmon", "--format", "json"],
        ["related", "Salmon"],
        ["timeline", "--actor", "Salmon", "--format", "json"],
        ["resolutions", "--forum", "UNSC"],
        ["show", "Salmon"],
        ["show", "A/HRC/RES/22/13", "--format", "json"],
        ["events", "--text", "commission of inquiry", "--format", "json"],
        ["stats"],
        ["stats", "--text", "sanctions", "--by", "year"],
        ["actors", "--kind", "state"],
        ["actors", "salmon", "--format", "json"],
        ["votes", "China"],
        ["votes", "--resolution", "A/RES/69/188", "--format", "json"],
        ["votes", "--matrix", "--forum", "UNGA", "--format", "csv"],
        ["export", "json"],
        ["export", "jsonl", "--forum", "HRC"],
        ["resolutions", "--text", "/"],
    ],
    ids=lambda a: " ".join(a),
)
def test_warm_queries_do_not_load_the_dataset(
    data: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
):
    expected = run(data, *args)
    import dprkhr.dataset

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the whole dataset was loaded")

    monkeypatch.setattr(dprkhr.dataset, "load_dataset", refuse)
    assert run(data, *args) == expected


def test_a_warm_query_does_not_load_the_records(data: Path):
    run(data, "events", "--actor", "Salmon")
    assert served_by_store(data, "--actor", "Salmon")


def test_text_search_is_answered_from_the_search_tables(data: Path):
    """--text is answered from the store's search tables (every searchable field, as the
    word index in memory holds it), without loading the records (see
    `test_warm_queries_do_not_load_the_dataset`)."""
    expected = run(data, "events", "--text", "inquiry", cache=False)
    run(data, "events")
    assert run(data, "events", "--text", "inquiry") == expected


def _edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_an_edit_in_the_same_instant_with_the_same_size_is_seen(data: Path):
    """The store read the file moments after it changed, so the file's time cannot tell a
    later edit apart: its content is compared."""
    event = next((data / "events").glob("*.yaml"))
    os.utime(event)  # just written, as far as anyone can tell
    run(data, "events")
    title = next(
        line for line in event.read_text(encoding="utf-8").splitlines() if line.startswith("title:")
    )
    changed = "title: " + "Z" * (len(title) - len("title: "))
    _edit_keeping_size_and_time(event, title, changed)
    code, out, _err = run(data, "events", "--format", "json")
    assert code == 0
    assert "Z" * 10 in out
    assert run(data, "events") == run(data, "events", cache=False)


def test_added_removed_and_changed_files_are_seen(data: Path):
    run(data, "events", "--actor", "Salmon")
    before = run(data, "events", "--actor", "Salmon")[1]
    # a new event involving her
    write(
        data,
        "events/2099-01-01-new-test-event.yaml",
        """
        id: new-test-event
        date: "2025-06-01"
        type: statement
        title: A new statement for the test
        participants:
          - actor: elizabeth-salmon
        sources:
          - source: ijks-2024-un-and-nk-human-rights
        """,
    )
    after = run(data, "events", "--actor", "Salmon")[1]
    assert "A new statement" in after and after != before
    # removed again
    (data / "events/2099-01-01-new-test-event.yaml").unlink()
    assert run(data, "events", "--actor", "Salmon")[1] == before
    # a vocabulary change: a tag renamed
    tags = data / "tags.yaml"
    tags.write_text(
        tags.read_text(encoding="utf-8").replace("  - id: sanctions\n", "  - id: sanctionz\n"),
        encoding="utf-8",
    )
    assert run(data, "events", "--tag", "sanctions") == run(
        data, "events", "--tag", "sanctions", cache=False
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a database at all"),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3]),
        lambda p: p.write_bytes(b""),
    ],
    ids=["garbage", "truncated", "empty"],
)
def test_a_damaged_store_is_made_again(data: Path, damage):
    expected = run(data, "events", "--actor", "Salmon", cache=False)
    run(data, "events", "--actor", "Salmon")
    path = store_file(data)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    damage(path)
    assert run(data, "events", "--actor", "Salmon") == expected
    assert run(data, "events", "--actor", "Salmon") == expected
    assert served_by_store(data, "--actor", "Salmon")


def test_a_store_of_another_dataset_is_not_used(data: Path, tmp_path: Path):
    other = tmp_path / "other"
    shutil.copytree(data, other)
    (other / "events" / "2013-03-21-hrc-establishes-coi.yaml").unlink(missing_ok=True)
    run(other, "events")
    shutil.copy(store_file(other), store_file(data))
    assert not served_by_store(data)  # foreign: made again from the files
    assert served_by_store(data)
    assert run(data, "events") == run(data, "events", cache=False)


def test_no_cache_writes_no_store(data: Path):
    run(data, "events", cache=False)
    assert not store_file(data).exists()


def test_files_that_fail_are_reported_from_the_store_too(make_data: MakeData):
    root = make_data({"events/broken.yaml": "id: broken\ndate: [not, a, date\n"})
    cold = run(root, "events")
    warm = run(root, "events")
    assert "1 file could not be loaded" in cold[2]
    assert warm == cold


def test_an_unwritable_cache_folder_leaves_queries_working(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(blocked))
    assert run(data, "events", "--actor", "Salmon") == run(
        data, "events", "--actor", "Salmon", cache=False
    )


def test_the_layout_matches_the_models():
    from dprkhr.models import MODEL_BY_FOLDER, VOCAB_FILES

    assert {f: m.record_type for f, m in MODEL_BY_FOLDER.items()} == RECORD_FOLDERS
    assert tuple(VOCAB_FILES) == VOCAB_FILE_NAMES


# --- building only the command that runs ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["events", "-a", "Salmon"], "events"),
        (["--data", "d", "--no-cache", "lint"], "lint"),
        (["--data=d", "--debug", "show", "x"], "show"),
        (["--help"], None),
        (["--version"], None),
        (["--data"], None),
        ([], None),
        (["--bogus", "events"], None),
    ],
)
def test_the_command_is_told_from_the_arguments(argv: list[str], expected: str | None):
    assert command_in(argv) == expected


def test_a_lean_app_gives_the_same_help_and_errors():
    names = [info.name or info.callback.__name__ for info in app.registered_commands]
    assert len(names) > 10
    for name in ("events", "lint", "show", "export", "new"):
        lean = app_for([name, "--help"])
        assert len(lean.registered_commands) == 1
        assert (
            runner.invoke(lean, [name, "--help"]).stdout
            == runner.invoke(app, [name, "--help"]).stdout
        )
    assert app_for(["evnets"]) is app  # unknown: the full app, with its suggestions
    assert app_for(["--help"]) is app


def test_the_snapshot_sees_the_files_the_loader_reads(make_data: MakeData, tmp_path: Path):
    """Whatever `discover` would read, the freshness check stats, and nothing else."""
    from dprkhr.layout import discover, scan

    root = make_data(
        {
            "events/2020/a.yaml": "id: a\n",
            "events/2020/deeper/b.yml": "id: b\n",
            "events/notes.txt": "not a record\n",
            "actors/folder.yaml/c.yaml": "id: c\n",
        }
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "d.yaml").write_text("id: d\n", encoding="utf-8")
    (root / "sources" / "linked").symlink_to(outside, target_is_directory=True)
    (root / "sources" / "e.yaml").symlink_to(outside / "d.yaml")
    listed = sorted(relative for _path, _kind, relative in discover(root))
    scanned = scan(root)
    assert sorted(relative for relative, _kind, _info in scanned) == listed
    kinds = {relative: kind for _path, kind, relative in discover(root)}
    assert {relative: kind for relative, kind, _info in scanned} == kinds
    assert "events/2020/deeper/b.yml" in listed and "actors/folder.yaml/c.yaml" in listed
    assert not any("linked" in p or p.endswith(".txt") for p in listed)
    assert all(info is not None for _relative, _kind, info in scanned)


def _damage_pages(path: Path) -> None:
    """Overwrite every page after the first few (the header and `meta` stay readable)."""
    raw = bytearray(path.read_bytes())
    for start in range(3 * 4096, len(raw), 4096):
        raw[start : start + 4096] = b"\xab" * min(4096, len(raw) - start)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--actor", "Salmon"],
        ["events", "--forum", "UNSC", "--format", "json"],
        ["related", "Salmon"],
        ["timeline", "--actor", "Salmon", "--format", "json"],
        ["resolutions", "--forum", "UNSC"],
        ["show", "Salmon"],
    ],
    ids=" ".join,
)
def test_a_damaged_store_body_is_not_trusted(data: Path, args: list[str]):
    """The header reads well but the tables do not: the command answers from the records,
    and the next run makes a good store."""
    expected = run(data, *args, cache=False)
    run(data, *args)
    path = store_file(data)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    _damage_pages(path)
    assert run(data, *args) == expected
    run(data, *args)
    assert run(data, *args) == expected
    assert served_by_store(data, "--actor", "Salmon")


GENERATED = [
    ["stats"],
    ["stats", "--format", "json"],
    ["stats", "--forum", "HRC", "--format", "yaml"],
    ["stats", "--actor", "actor-000010"],
    ["actors"],
    ["actors", "--kind", "state", "--format", "json"],
    ["actors", "--role", "Special Rapporteur", "--as-of", "2015-06", "--format", "csv"],
    ["actors", "--country", "KR", "--sort", "events"],
    ["actors", "actor-000010"],
    ["votes", "actor-000010"],
    ["votes", "actor-000011", "--format", "json"],
    ["votes", "--matrix", "--forum", "UNSC", "--format", "csv"],
    ["votes", "--changed", "--format", "csv"],
    ["events", "--text", "accountability", "--format", "json"],
    ["resolutions", "--text", "situation", "--limit", "5"],
    ["timeline", "--text", "sanctions", "--format", "csv"],
    ["export", "json"],
    ["export", "jsonl", "--forum", "HRC"],
]


def test_the_store_answers_as_the_records_do_on_generated_data(tmp_path: Path):
    """Generated records (benchmarks/generate.py) lack citations, quotes, dates and roles
    where the bundled ones have them, and some files are broken."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    root = tmp_path / "generated"
    generate(root, 400, seed=3)
    first, second = sorted((root / "resolutions").glob("*.yaml"))[:2]
    cases = [*GENERATED, ["votes", "-r", first.stem], ["votes", "-r", second.stem, "-f", "json"]]

    def check() -> None:
        for args in cases:
            assert run(root, *args) == run(root, *args, cache=False), args

    run(root, "events")
    check()
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("method: vote", "method: without-vote"), encoding="utf-8")
    second.unlink()
    actor = root / "actors" / "actor-000010.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("kind: person", "kind: state"))
    check()
    # ids that two files define: the id's own file is served, the other ignored
    (root / "actors" / "zz-copy.yaml").write_text(actor.read_text(encoding="utf-8"))
    third = sorted((root / "resolutions").glob("*.yaml"))[2]
    (root / "resolutions" / "zz-copy.yaml").write_text(third.read_text(encoding="utf-8"))
    cases.append(["votes", "-r", third.stem])
    check()


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--actor", "Salm\udcffn"],
        ["related", "Kim\udcff"],
        ["show", "Kim\udcff"],
        ["events", "--resolution", "A/HRC/\udcff"],
    ],
    ids=["events", "related", "show", "resolution"],
)
def test_undecodable_arguments_are_a_usage_error_from_the_store_too(data: Path, args: list[str]):
    """Bytes a terminal sent that are not UTF-8 reach Python as lone surrogates."""
    expected = run(data, *args, cache=False)
    assert expected[0] == 2
    run(data, "events")
    assert run(data, *args) == expected


def test_a_forums_file_with_a_duplicate_key_is_read_as_the_dataset_reads_it(data: Path):
    forums = data / "forums.yaml"
    text = forums.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.strip().startswith("symbol_example:"))
    forums.write_text(text.replace(line, f"{line}\n{line}", 1), encoding="utf-8")
    for args in (["show", "UNSC"], ["show", "UNGA-C3"], ["show", "Security Council"]):
        expected = run(data, *args, cache=False)
        run(data, *args)
        assert run(data, *args) == expected


def test_a_relative_cache_folder_works(data: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(data.parent)
    monkeypatch.setenv("DPRKHR_CACHE_DIR", "relative-cache")
    run(data, "events", "--actor", "Salmon")
    assert served_by_store(data, "--actor", "Salmon")


EDIT_CASES = [
    ["events", "--actor", "Salmon", "--format", "json"],
    ["events", "--forum", "UNSC", "--format", "csv"],
    ["resolutions", "--sponsor", "Japan"],
    ["timeline", "--forum", "HRC", "--gaps", "24"],
    ["related", "Salmon", "--format", "json"],
    ["show", "Salmon"],
    ["show", "HRC", "--format", "json"],
    ["actors", "salmon"],
    ["search", "commission", "of", "inquiry", "--format", "csv"],
    ["stats"],
    ["stats", "--by", "forum", "--format", "json"],
    ["actors", "--kind", "person", "--format", "json"],
    ["votes", "China", "--format", "json"],
    ["votes", "--resolution", "A/RES/69/188"],
    ["export", "jsonl"],
    ["actors", "--sort", "events", "--limit", "5"],
    ["stats", "--text", "statement"],
]

NEW_EVENT = """
id: new-test-event
date: "2023-06-01"
type: statement
forum: HRC
title: A new statement for the test
participants:
  - actor: elizabeth-salmon
    role: speaker
  - actor: volker-turk
sources:
  - source: ijks-2024-un-and-nk-human-rights
"""


def test_every_query_agrees_through_a_series_of_edits(data: Path):
    """Edits, additions, deletions, a duplicate id and a broken file, one after the
    other: after each, every command answers from the store as from the files."""

    def check() -> None:
        for args in EDIT_CASES:
            assert run(data, *args) == run(data, *args, cache=False), args

    check()
    write(data, "events/2099-new.yaml", NEW_EVENT)
    check()
    salmon = data / "actors" / "elizabeth-salmon.yaml"
    salmon.write_text(
        salmon.read_text(encoding="utf-8").replace("Elizabeth Salmón", "Elizabeth Salmonova"),
        encoding="utf-8",
    )
    check()
    write(data, "events/2099-copy.yaml", NEW_EVENT.replace("2023-06-01", "2022-01-01"))
    check()  # a duplicate id: the same file served, the same warning
    write(data, "events/2099-new.yaml", "id: [broken\n")
    check()
    (data / "events" / "2099-new.yaml").unlink()
    (data / "events" / "2099-copy.yaml").unlink()
    check()


def test_a_store_built_in_workers_and_in_bulk_answers_alike(
    data: Path, monkeypatch: pytest.MonkeyPatch
):
    """Many files read at once (made small here): read, parsed and derived in worker
    processes, written with the indexes and the full-text triggers off, then rebuilt; and
    again when most files change in a store already full (their old rows deleted first)."""
    from dprkhr import store as store_module
    from dprkhr import workers

    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(store_module, "READ_PART", 40)
    monkeypatch.setattr(store_module, "CHUNK", 100)
    expected = {tuple(args): run(data, *args, cache=False) for args in CASES}
    for args in CASES:
        assert run(data, *args) == expected[tuple(args)], args
    files = sorted(data.rglob("*.yaml"))
    for path in files[::3]:  # a third of the files: their rows replaced with the indexes on
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for args in EDIT_CASES:
        assert run(data, *args) == run(data, *args, cache=False), args
    for path in files[1::3] + files[2::3]:  # the others: in bulk
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for args in CASES:
        assert run(data, *args) == expected[tuple(args)], args


def _deferred(root: Path) -> int:
    import sqlite3

    with contextlib.closing(sqlite3.connect(store_file(root))) as db:
        return int(db.execute("SELECT count(*) FROM deferred").fetchone()[0])


def test_the_query_tables_lint_leaves_out_are_made_by_the_next_query(
    data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """A cold lint derives no query tables (`Store.refresh(defer=...)`: it reads none);
    the next query command derives them from the records as stored, here and, for many
    files, in worker processes and in bulk, whatever changed meanwhile."""
    from dprkhr import store as store_module
    from dprkhr import workers

    expected = {tuple(args): run(data, *args, cache=False) for args in EDIT_CASES}
    lint = run(data, "lint", cache=False)
    assert run(data, "lint") == lint
    assert _deferred(data) > 800
    for args in EDIT_CASES:
        assert run(data, *args) == expected[tuple(args)], args
    assert _deferred(data) == 0
    assert run(data, "lint") == lint

    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(tmp_path / "second"))
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(store_module, "READ_PART", 40)
    monkeypatch.setattr(store_module, "CHUNK", 100)
    assert run(data, "lint") == lint
    salmon = data / "actors" / "elizabeth-salmon.yaml"
    salmon.write_text(
        salmon.read_text(encoding="utf-8").replace("Elizabeth Salmón", "Elizabeth Salmonova"),
        encoding="utf-8",
    )
    (data / "events" / "2099-removed.yaml").unlink(missing_ok=True)
    assert run(data, "lint") == run(data, "lint", cache=False)  # (deferred again)
    assert _deferred(data) > 800
    for args in [*EDIT_CASES, *(["search", *args] for args in SEARCH[:4])]:
        assert run(data, *args) == run(data, *args, cache=False), args
    assert _deferred(data) == 0


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "yaml"])
@pytest.mark.parametrize("command", [["events"], ["resolutions"], ["events", "--since", "2099"]])
def test_records_printed_part_by_part_are_the_same_bytes(
    data: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], fmt: str
):
    """`emit_records` makes records whole a part at a time (memory holds one part): in
    parts of 7 the output is byte for byte that of one part, from the store and from the
    records, and JSON is what `json.dumps` of the whole list gives."""
    import json

    from dprkhr.cli import output

    monkeypatch.setattr(output, "PART", 10**9)
    whole = run(data, *command, "--format", fmt, cache=False)
    monkeypatch.setattr(output, "PART", 7)
    assert run(data, *command, "--format", fmt, cache=False) == whole
    run(data, *command, "--format", fmt)  # the store made
    assert run(data, *command, "--format", fmt) == whole
    if fmt == "json":
        assert whole[1] == output.to_json(json.loads(whole[1]))
