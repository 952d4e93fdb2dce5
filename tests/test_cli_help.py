"""Help that helps: real examples that run, readable value types, global options anywhere,
`--color`, and `dprkhr vocab`."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, VOCABULARIES
from typer.testing import CliRunner

from dprkhr.cli import app

runner = CliRunner()

COMMANDS = [
    "events",
    "actors",
    "resolutions",
    "show",
    "search",
    "timeline",
    "related",
    "stats",
    "votes",
    "vocab",
    "export",
    "lint",
    "new",
    "schema",
    "fmt",
    "diff",
]


def help_of(command: str) -> str:
    """`dprkhr COMMAND --help`; `dprkhr --help` for ""."""
    result = runner.invoke(app, [*([command] if command else []), "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(command: str) -> list[str]:
    """The command lines under `Examples:` in a command's help (continued lines joined)."""
    text = help_of(command)
    assert "Examples:" in text, f"`dprkhr {command} --help` has no examples"
    block = text.split("Examples:", 1)[1].split("\n\n", 2)[1]
    lines = []
    for line in block.splitlines():
        line = line.strip()
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1].rstrip() + " " + line
        elif line.startswith("dprkhr "):
            lines.append(line)
    return lines


def test_every_command_is_listed_here() -> None:
    listed = runner.invoke(app, ["--help"]).stdout
    shown = re.findall(r"^  (\w+)\s", listed.split("Commands:", 1)[1], flags=re.M)
    assert sorted(shown) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_two_or_three_examples(command: str) -> None:
    assert 2 <= len(examples(command)) <= 3


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_python_type_names(command: str) -> None:
    text = help_of(command)
    assert not re.search(r"<(list|str|int|Path|bool)\b[^>]*>", text), text
    assert "list[" not in text


def _copy_dataset(tmp_path: Path, records: bool) -> Path:
    """A copy of the bundled dataset (or only its vocabularies) to run examples in."""
    work = tmp_path / "work"
    if records:
        shutil.copytree(REPO / "data", work / "data")
    else:
        for folder in ("actors", "events", "resolutions", "sources"):
            (work / "data" / folder).mkdir(parents=True)
        for name in VOCABULARIES:
            shutil.copy(REPO / "data" / name, work / "data" / name)
    return work


def _run_example(line: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    words = shlex.split(line)
    assert words[0] == "dprkhr"
    target = None
    if ">" in words:  # `... > file`: the test writes what the command printed
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    monkeypatch.chdir(cwd)
    result = runner.invoke(app, words[1:])
    assert result.exit_code == 0, f"{line}\n{result.output}"
    if target is not None:
        (cwd / target).write_text(result.stdout, encoding="utf-8")
        assert (cwd / target).stat().st_size > 0
    else:
        assert result.stdout or result.stderr


def test_dprkhr_help_has_examples_that_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = examples("")
    assert len(lines) == 3
    work = _copy_dataset(tmp_path, records=True)
    for line in lines:
        _run_example(line, work, monkeypatch)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "diff"])
def test_examples_run(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `new` adds records: on a dataset holding only the vocabularies (the examples add
    # records the bundled dataset already has); every other command on a full copy
    work = _copy_dataset(tmp_path, records=command != "new")
    for line in examples(command):
        _run_example(line, work, monkeypatch)


def test_diff_examples_run_in_this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    for rev in ("main", "HEAD~1"):
        if subprocess.run([git, "rev-parse", "--verify", "-q", rev], cwd=REPO).returncode:
            pytest.skip(f"no {rev} in this checkout")
    for line in examples("diff"):
        _run_example(line, REPO, monkeypatch)


def test_global_options_after_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    before = runner.invoke(app, ["events", "--actor", "Salmon", "--format", "ids"])
    after = runner.invoke(
        app, ["events", "--actor", "Salmon", "--no-cache", "--debug", "--format", "ids"]
    )
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    # a word that is the value of the command's own option stays its value
    words = runner.invoke(app, ["events", "--text", "--no-cache"])
    assert words.exit_code == 0, words.output
    assert "No events match" in words.stderr


def test_no_cache_after_the_command_reads_no_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(cache))
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["events", "--actor", "Salmon", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not cache.exists() or not any(cache.rglob("*"))


@pytest.mark.parametrize("where", ["before", "after"])
def test_color_option(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from dprkhr.cli.common import set_color

    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")
    args = ["events", "--actor", "Salmon"]
    always = ["--color", "always", *args] if where == "before" else [*args, "--color=always"]
    try:
        coloured = runner.invoke(app, always)
        assert "\x1b[" in coloured.stdout
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
        plain = runner.invoke(app, ["--color", "never", *args])
        assert "\x1b[" not in plain.stdout
        bad = runner.invoke(app, [*args, "--color", "sometimes"])
        assert bad.exit_code == 2
    finally:
        set_color("auto")


def test_vocab_counts_records_using_each_entry(make_data) -> None:
    root = make_data(
        {
            "events/2024-01-01-a.yaml": """
                id: 2024-01-01-a
                date: "2024-01-01"
                type: briefing
                forum: UNSC
                title: A
                tags: [accountability, detention]
            """,
            "events/2024-02-01-b.yaml": """
                id: 2024-02-01-b
                date: "2024-02-01"
                type: briefing
                forum: HRC
                title: B
                tags: [accountability]
            """,
            "resolutions/a-hrc-res-1-1.yaml": """
                id: a-hrc-res-1-1
                symbol: A/HRC/RES/1/1
                forum: HRC
                date: "2024-03-01"
                tags: [accountability]
            """,
        }
    )
    result = runner.invoke(app, ["--data", str(root), "vocab", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {(r["vocabulary"], r["id"]): r for r in json.loads(result.stdout)}
    assert rows["tags", "accountability"]["events"] == 2
    assert rows["tags", "accountability"]["resolutions"] == 1
    assert rows["tags", "detention"]["events"] == 1
    assert rows["forums", "HRC"] | {} == {
        "vocabulary": "forums",
        "id": "HRC",
        "name": rows["forums", "HRC"]["name"],
        "events": 1,
        "resolutions": 1,
    }
    assert rows["types", "briefing"]["events"] == 2
    assert "resolutions" not in rows["types", "briefing"]
    assert rows["types", "visit"]["events"] == 0  # unused entries are listed too
    table = runner.invoke(app, ["--data", str(root), "vocab", "tags"])
    assert "Tags (tags.yaml)" in table.stdout and "Forums" not in table.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--gaps", "0"],
        ["events", "--limit", "0"],
        ["search", "x", "--limit", "-2"],
        ["timeline", "--limit", "0"],
    ],
)
def test_a_count_below_one_is_refused_in_plain_words(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "is not a count: give a whole number of 1 or more" in result.output
    assert "Input should be" not in result.output


# --- typer's coercion, deferred (dprkhr.cli.common._Deferred) ---------------------------


def _all_params() -> list[tuple[object, object]]:
    import typer

    root = typer.main.get_command(app)
    found = []
    for command in [root, *getattr(root, "commands", {}).values()]:
        ctx = typer.Context(command)
        found += [(param, ctx) for param in command.get_params(ctx)]
    return found


def _coerced(runtime: object, value: object, param: object, ctx: object) -> object:
    try:
        return ("value", runtime.coerce(value, param=param, ctx=ctx))  # type: ignore[attr-defined]
    except Exception as exc:  # the same error, in the same words
        return ("error", type(exc), str(getattr(exc, "message", exc)))


def test_deferred_coercion_gives_what_typers_adapters_give(tmp_path: Path) -> None:
    """Every parameter of every command coerces values as typer's own pydantic adapter
    does (values, types and error messages), while building that adapter only for the
    values it cannot take itself."""
    pytest.importorskip("typer._coercion")
    from enum import Enum

    from typer._coercion import build_runtime_param
    from typer._typing import get_args, get_origin

    from dprkhr.cli.common import _Deferred

    compared = 0
    for param, ctx in _all_params():
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or descriptor.file_annotation is not None:
            continue
        annotation = descriptor.annotation
        leaf = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        samples: list[object] = [None, "x", "", "-", " 7 ", "3", "\udcff", str(tmp_path)]
        samples += [0, 20, -1, True, 2.5]
        if isinstance(leaf, type) and issubclass(leaf, Enum):
            for member in leaf:
                samples += [member, member.value, str(member.value).upper()]
        if leaf is Path:
            samples += [tmp_path, tmp_path / "missing", str(tmp_path / "missing")]
        if get_origin(annotation) is list:
            samples += [tuple(s for s in samples if s is not None), (), ["x", "y"]]
        for value in samples:
            deferred = _Deferred(descriptor)
            real = build_runtime_param(descriptor)
            got = _coerced(deferred, value, param, ctx)
            assert got == _coerced(real, value, param, ctx), (param.name, value)  # type: ignore[attr-defined]
            if got[0] == "value":
                assert type(got[1]) is type(_coerced(real, value, param, ctx)[1])
            compared += 1
    assert compared > 500


def test_a_query_from_the_store_does_not_import_pydantic(tmp_path: Path) -> None:
    """A warm query answered from the store needs no validation: neither typer's option
    parsing nor the query imports pydantic (a tenth of a second of every run)."""
    import os
    import sys

    env = {**os.environ, "DPRKHR_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys\n"
        "from dprkhr.cli import main\n"
        "try:\n"
        f"    main(['--data', {str(REPO / 'data')!r}, 'events', '--actor', 'Salmon', '--format', 'ids'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr  # (builds the store: validates the records)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert warm.stdout.split() == first.stdout.split() != []
    assert warm.stderr.strip().splitlines()[-1] == "False", warm.stderr
