"""Export machinery: filters and selection, determinism, overwrite protection, atomic
writes and the command line."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from helpers_export import load_kb, make_dataset
from typer.testing import CliRunner

from dprkhr.cli import app
from dprkhr.errors import UsageError
from dprkhr.export import EXPORTERS, ExportOptions, build_filter, run_export, select

runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_dataset(tmp_path)


@pytest.fixture
def kb(root: Path):
    return load_kb(root)


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_registry_names_every_format() -> None:
    assert list(EXPORTERS) == [
        "json", "jsonl", "csv", "sqlite", "popolo", "ics", "graphml", "dot",
    ]  # fmt: skip


def test_no_filter_selects_everything(kb) -> None:
    sel = select(kb)
    assert sel.counts() == {"actors": 7, "events": 4, "resolutions": 3, "sources": 3}
    assert ids(sel.events) == [
        "2014-03-dialogue", "2019-report", "2020-02-24-session", "2023-08-17-council-briefing",
    ]  # fmt: skip


def test_date_filter_keeps_partial_dates_that_overlap(kb) -> None:
    sel = select(kb, build_filter(kb, since="2014-03-15", until="2019-06"))
    # 2014-03 overlaps mid-March; 2019 overlaps June 2019
    assert ids(sel.events) == ["2014-03-dialogue", "2019-report"]
    # res-new is in range and named by the event; res-general (2016-12) is in range;
    # res-old comes in because res-new follows it (the export is closed under references)
    assert ids(sel.resolutions) == ["res-old", "res-new", "res-general"]
    assert "lonely-actor" not in ids(sel.actors)
    assert "src-unused" not in ids(sel.sources)


def test_event_span_overlaps_since(kb) -> None:
    sel = select(kb, build_filter(kb, since="2020-03-10", until="2020-12"))
    assert ids(sel.events) == ["2020-02-24-session"]


def test_forum_filter_is_case_insensitive_and_covers_resolutions(kb) -> None:
    sel = select(kb, build_filter(kb, forums=["unga"]))
    assert ids(sel.events) == []
    assert ids(sel.resolutions) == ["res-general"]


def test_closure_follows_role_organizations(kb) -> None:
    sel = select(kb, build_filter(kb, forums=["UNGA"]))
    # ruritania -> roles[0].organization council-body -> cites src-web
    assert set(ids(sel.actors)) == {"ruritania", "council-body"}
    assert set(ids(sel.sources)) == {"src-paper", "src-web"}


def test_type_filter_selects_events_only(kb) -> None:
    sel = select(kb, build_filter(kb, types=["interactive-dialogue"]))
    assert ids(sel.events) == ["2014-03-dialogue"]
    assert ids(sel.resolutions) == ["res-old", "res-new"]  # named by the event, and follows


def test_tag_filter(kb) -> None:
    sel = select(kb, build_filter(kb, tags=["accountability"]))
    assert ids(sel.events) == ["2014-03-dialogue"]
    assert "res-new" in ids(sel.resolutions)


def test_actor_id_filter_for_later_name_resolution(kb) -> None:
    sel = select(kb, build_filter(kb, actor_ids=["watch-group"]))
    assert ids(sel.events) == ["2019-report"]
    assert ids(sel.resolutions) == []
    sel = select(kb, build_filter(kb, actor_ids=["freedonia"]))
    assert ids(sel.events) == ["2014-03-dialogue"]
    assert set(ids(sel.resolutions)) == {"res-old", "res-new"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": "2024-13"}, "--since '2024-13': month 13 does not exist"),
        ({"until": "soon"}, "--until 'soon': not a date"),
        ({"since": "2020", "until": "2019"}, "--until 2019 is before --since 2020"),
        ({"forums": ["Planet Council Zz"]}, "no forum matches `Planet Council Zz`"),
        ({"types": ["briefings"]}, "unknown event type `briefings`; did you mean briefing?"),
        ({"tags": ["zzzz"]}, "unknown tag `zzzz` (known: accountability, abductions"),
        ({"actor_ids": ["nobody"]}, "no actor with id `nobody`"),
    ],
)
def test_bad_filters_are_usage_errors(kb, kwargs, message) -> None:
    with pytest.raises(UsageError) as info:
        build_filter(kb, **kwargs)
    assert message in str(info.value)


def _export_bytes(kb, name: str, target: Path, **kw) -> bytes:
    run_export(kb, name, output=target, force=True, **kw)
    if target.is_dir():
        return b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(target.iterdir()))
    return target.read_bytes()


@pytest.mark.parametrize("name", [*EXPORTERS, "csv.zip"])
def test_exports_are_deterministic(kb, root: Path, tmp_path: Path, name: str) -> None:
    fmt = name.split(".")[0]
    suffix = ".zip" if name == "csv.zip" else ("" if fmt == "csv" else f".{fmt}")
    first = _export_bytes(kb, fmt, tmp_path / f"a{suffix}")
    # a fresh knowledge base, loaded again from the files, gives the same bytes
    second = _export_bytes(load_kb(root), fmt, tmp_path / f"b{suffix}")
    assert first == second
    assert len(first) > 100


def test_text_export_to_stream_equals_file(kb, tmp_path: Path) -> None:
    stream = io.StringIO(newline="")
    run_export(kb, "ics", stdout=stream)
    run_export(kb, "ics", output=tmp_path / "x.ics")
    assert stream.getvalue().encode("utf-8") == (tmp_path / "x.ics").read_bytes()


@pytest.mark.parametrize("name", ["json", "sqlite", "csv"])
def test_refuses_to_overwrite_without_force(kb, tmp_path: Path, name: str) -> None:
    target = tmp_path / "out"
    run_export(kb, name, output=target)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UsageError, match="exists; pass --force"):
        run_export(kb, name, output=target)
    run_export(kb, name, output=target, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temp files left


def test_force_never_replaces_a_folder_that_is_not_an_export(kb, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(UsageError, match="does not hold a dprkhr CSV export"):
        run_export(kb, "csv", output=precious, force=True)
    assert (precious / "thesis.txt").read_text() == "years of work"
    with pytest.raises(UsageError, match="is a folder"):
        run_export(kb, "json", output=precious, force=True)


def test_csv_folder_force_replaces_previous_export(kb, tmp_path: Path) -> None:
    target = tmp_path / "csv"
    run_export(kb, "csv", output=target)
    (target / "events.csv").write_text("old")
    run_export(kb, "csv", output=target, force=True)
    assert (target / "events.csv").read_text() != "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "data"]


def test_csv_folder_force_never_deletes_a_file_it_did_not_write(kb, tmp_path: Path) -> None:
    target = tmp_path / "csv"
    run_export(kb, "csv", output=target)
    (target / "stale.csv").write_text("old")
    with pytest.raises(UsageError, match=r"holds stale\.csv, which this export did not write"):
        run_export(kb, "csv", output=target, force=True)
    assert (target / "stale.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "data"]


def test_failed_export_leaves_old_file_and_no_temp(kb, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old contents")

    def broken(sel, stream):
        stream.write("partial")
        raise RuntimeError("disk on fire")

    from dprkhr import export as export_mod

    monkeypatch.setitem(
        export_mod.EXPORTERS,
        "json",
        export_mod.Exporter("json", "broken", "text", broken),
    )
    with pytest.raises(RuntimeError):
        run_export(kb, "json", output=target, force=True)
    assert target.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.json"]


def test_missing_parent_and_binary_without_output(kb, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        run_export(kb, "json", output=tmp_path / "nope" / "x.json")
    with pytest.raises(UsageError, match="sqlite needs --output"):
        run_export(kb, "sqlite", stdout=io.StringIO())
    with pytest.raises(UsageError, match="csv needs --output"):
        run_export(kb, "csv", stdout=io.StringIO())
    with pytest.raises(UsageError, match="--bipartite does not apply to json"):
        run_export(kb, "json", stdout=io.StringIO(), options=ExportOptions(bipartite=True))


def test_written_file_gets_normal_permissions(kb, tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    run_export(kb, "json", output=target)
    mask = os.umask(0)
    os.umask(mask)
    assert (target.stat().st_mode & 0o777) == (0o666 & ~mask)


# -- command line ----------------------------------------------------------------------


def test_cli_json_to_stdout(root: Path) -> None:
    result = runner.invoke(app, ["--data", str(root), "export", "json", "--forum", "HRC"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["filters"] == {"forums": ["HRC"]}
    assert [e["id"] for e in doc["events"]] == ["2014-03-dialogue", "2020-02-24-session"]


def test_cli_writes_file_and_reports_counts(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "kb.sqlite"
    result = runner.invoke(app, ["--data", str(root), "export", "sqlite", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {target} (7 actors, 4 events, 3 resolutions, 3 sources)." in result.stderr
    again = runner.invoke(app, ["--data", str(root), "export", "sqlite", "-o", str(target)])
    assert again.exit_code == 2
    assert "exists; pass --force to replace it" in again.stderr
    forced = runner.invoke(
        app, ["--data", str(root), "export", "sqlite", "-o", str(target), "--force"]
    )
    assert forced.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sqlite"], "sqlite needs --output PATH"),
        (["csv"], "csv needs --output PATH (a folder or a .zip file)"),
        (["json", "--since", "2024-02-30"], "February 2024 has 29 days"),
        (["json", "--tag", "acountability"], "did you mean accountability?"),
        (["ics", "--bipartite"], "--bipartite does not apply to ics"),
    ],
)
def test_cli_usage_errors(root: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--data", str(root), "export", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_unknown_format(root: Path) -> None:
    result = runner.invoke(app, ["--data", str(root), "export", "xlsx"])
    assert result.exit_code == 2
    assert "xlsx" in result.output


def test_cli_warns_about_broken_files_and_exports_the_rest(root: Path) -> None:
    (root / "events" / "broken.yaml").write_text("id: broken\ndate: [oops\n")
    result = runner.invoke(app, ["--data", str(root), "export", "jsonl"])
    assert result.exit_code == 0
    assert "1 file could not be loaded" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(1 for line in lines if line["record_type"] == "event") == 4


def test_cli_summary_uses_singular_for_one(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "one.json"
    result = runner.invoke(
        app, ["--data", str(root), "export", "json", "-o", str(target), "--forum", "UNGA"]
    )
    assert result.exit_code == 0
    assert "(2 actors, 0 events, 1 resolution, 2 sources)" in result.stderr


def test_docs_describe_every_format_and_table() -> None:
    from dprkhr.export.tables import TABLES

    docs = (Path(__file__).resolve().parent.parent / "docs" / "export.md").read_text()
    for name in EXPORTERS:
        assert f"| `{name}` |" in docs, name
    for table in TABLES:
        assert f"`{table.name}`" in docs, table.name


def test_cli_choices_match_the_registry() -> None:
    from dprkhr.cli.export import ExportFormat

    assert [f.value for f in ExportFormat] == list(EXPORTERS)
