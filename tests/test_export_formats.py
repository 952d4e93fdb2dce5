"""Each export format, read back with a real reader and checked against the knowledge base."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from helpers_export import load_kb, make_dataset

from dprkhr import __version__
from dprkhr.export import ExportOptions, build_filter, run_export
from dprkhr.export.graph import dot_quote
from dprkhr.export.ics import escape, fold
from dprkhr.export.tables import TABLES


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return load_kb(make_dataset(tmp_path_factory.mktemp("kb")))


def text_export(kb, name: str, **kw) -> str:
    stream = io.StringIO(newline="")
    run_export(kb, name, stdout=stream, **kw)
    return stream.getvalue()


# -- json, jsonl -----------------------------------------------------------------------


def test_json_round_trip(kb) -> None:
    doc = json.loads(text_export(kb, "json"))
    assert doc["dprkhr_version"] == __version__
    assert doc["format_version"] == 1
    assert [a["id"] for a in doc["actors"]] == [a.id for a in kb.actors]
    assert [e["id"] for e in doc["events"]] == [e.id for e in kb.events]
    assert len(doc["resolutions"]) == 3 and len(doc["sources"]) == 3
    assert {f["code"] for f in doc["forums"]} == set(kb.forum_by_code)
    assert len(doc["tags"]) == len(kb.tags) and len(doc["event_types"]) == len(kb.event_types)
    res = next(r for r in doc["resolutions"] if r["id"] == "res-new")
    assert res["adoption"] == {
        "method": "vote",
        "yes": 30,
        "no": 6,
        "abstain": 11,
        "roll": None,
        "roll_source": None,
        "votes": None,
        "dissociated": [],
    }
    assert res["date"] == "2014-03-28" and res["session"] == 99
    watch = next(a for a in doc["actors"] if a["id"] == "watch-group")
    assert watch["name"] == 'Watch "Group", Ltd; \\ test'
    assert "lint" not in watch


def test_jsonl_one_record_a_line(kb) -> None:
    lines = [json.loads(line) for line in text_export(kb, "jsonl").splitlines()]
    assert lines[0]["record_type"] == "export" and lines[0]["dprkhr_version"] == __version__
    kinds = Counter(line["record_type"] for line in lines[1:])
    assert kinds["actor"] == 7 and kinds["event"] == 4
    assert kinds["resolution"] == 3 and kinds["source"] == 3
    assert kinds["forum"] == len(kb.forums) and kinds["event_type"] == len(kb.event_types)
    event = next(line for line in lines if line.get("id") == "2014-03-dialogue")
    assert event["type"] == "interactive-dialogue"  # the event's own `type` is untouched


def test_json_escapes_terminal_control_characters() -> None:
    from dprkhr.export.jsonfmt import dumps

    text = dumps({"x": "a\x1b[31mred\x9b2J\u2028b 한"})
    assert "\x1b" not in text and "\x9b" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "a\x1b[31mred\x9b2J\u2028b 한"}


# -- csv -------------------------------------------------------------------------------


def read_csv_folder(folder: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as stream:
            out[path.stem] = list(csv.DictReader(stream))
    return out


def test_csv_folder_round_trip(kb, tmp_path: Path) -> None:
    run_export(kb, "csv", output=tmp_path / "out")
    tables = read_csv_folder(tmp_path / "out")
    assert set(tables) == {t.name for t in TABLES}
    assert len(tables["actors"]) == 7 and len(tables["events"]) == 4
    assert len(tables["participants"]) == sum(len(e.participants) for e in kb.events)
    assert len(tables["sponsors"]) == sum(len(r.sponsors) for r in kb.resolutions)
    assert len(tables["citations"]) == sum(len(r.citations()) for r in kb.records)
    assert len(tables["roles"]) == 2
    watch = next(a for a in tables["actors"] if a["id"] == "watch-group")
    assert watch["name"] == 'Watch "Group", Ltd; \\ test'
    assert watch["summary"] == "Line one\nline two, with a comma; and a semicolon."
    assert watch["country"] == ""  # None is an empty cell
    month = next(e for e in tables["events"] if e["id"] == "2014-03-dialogue")
    assert (month["first_day"], month["last_day"]) == ("2014-03-01", "2014-03-31")
    span = next(e for e in tables["events"] if e["id"] == "2020-02-24-session")
    assert (span["first_day"], span["last_day"]) == ("2020-02-24", "2020-03-20")
    order = [p["actor_id"] for p in tables["participants"] if p["event_id"] == span["id"]]
    assert order == ["ruritania", "council-body", "ruritania"]
    meta = {row["key"]: row["value"] for row in tables["meta"]}
    assert meta["dprkhr_version"] == __version__
    assert json.loads(meta["filters"]) == {}
    assert tables["actor_identifiers"] == [
        {"actor_id": "alice-example", "scheme": "wikidata", "identifier": "Q0000001"}
    ]


def test_csv_zip_holds_the_same_files(kb, tmp_path: Path) -> None:
    run_export(kb, "csv", output=tmp_path / "folder")
    run_export(kb, "csv", output=tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == [f"{t.name}.csv" for t in TABLES]
        for name in names:
            assert archive.read(name) == (tmp_path / "folder" / name).read_bytes()


# -- sqlite ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "kb.sqlite"
    run_export(kb, "sqlite", output=path)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def scalar(db, sql: str, *params):
    return db.execute(sql, params).fetchone()[0]


def test_sqlite_integrity_and_foreign_keys(db) -> None:
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = db.execute("SELECT * FROM pragma_foreign_key_list('participants')").fetchall()
    assert {(row[2], row[3], row[4]) for row in fks} == {
        ("events", "event_id", "id"),
        ("actors", "actor_id", "id"),
    }
    indexes = {row[1] for row in db.execute("PRAGMA index_list('participants')")}
    assert "idx_participants_actor_id" in indexes


def test_sqlite_counts_match_the_knowledge_base(db, kb) -> None:
    for table, expected in {
        "actors": len(kb.actors),
        "events": len(kb.events),
        "resolutions": len(kb.resolutions),
        "sources": len(kb.sources),
        "forums": len(kb.forums),
        "tags": len(kb.tags),
        "event_types": len(kb.event_types),
        "participants": sum(len(e.participants) for e in kb.events),
        "sponsors": sum(len(r.sponsors) for r in kb.resolutions),
        "citations": sum(len(r.citations()) for r in kb.records),
        "roles": sum(len(a.roles) for a in kb.actors),
        "event_resolutions": sum(len(e.resolutions) for e in kb.events),
        "event_tags": sum(len(e.tags) for e in kb.events),
        "resolution_tags": sum(len(r.tags) for r in kb.resolutions),
    }.items():
        assert scalar(db, f"SELECT count(*) FROM {table}") == expected, table


def test_sqlite_joins_answer_questions_like_the_kb(db, kb) -> None:
    # events per actor, through the link table
    rows = db.execute(
        """SELECT a.id, count(DISTINCT p.event_id) FROM actors a
           JOIN participants p ON p.actor_id = a.id GROUP BY a.id"""
    ).fetchall()
    assert dict(rows) == {k: len(v) for k, v in kb.events_by_actor.items()}
    # resolutions per sponsor, with the sponsor's name
    rows = db.execute(
        """SELECT a.name, count(*) FROM sponsors s JOIN actors a ON a.id = s.actor_id
           JOIN resolutions r ON r.id = s.resolution_id GROUP BY a.name"""
    ).fetchall()
    assert dict(rows) == {kb.actor(k).name: len(v) for k, v in kb.resolutions_by_sponsor.items()}
    # events of the HRC by date range, using the interval columns
    rows = db.execute(
        """SELECT id FROM events WHERE forum = 'HRC' AND last_day >= '2014-03-15'
           AND first_day <= '2020-12-31' ORDER BY first_day"""
    ).fetchall()
    assert [r[0] for r in rows] == ["2014-03-dialogue", "2020-02-24-session"]
    # the series of resolutions through `follows`
    assert (
        scalar(
            db,
            """SELECT prev.title FROM resolutions r JOIN resolutions prev ON prev.id = r.follows
           WHERE r.symbol = 'A/HRC/RES/99/1'""",
        )
        == "The old resolution"
    )
    # citations of a source across record types
    rows = db.execute(
        "SELECT record_type, count(*) FROM citations WHERE source_id = 'src-web' "
        "GROUP BY record_type ORDER BY record_type"
    ).fetchall()
    expected = Counter(
        r.record_type for r in kb.records for c in r.citations() if c.source == "src-web"
    )
    assert dict(rows) == dict(expected)


def test_sqlite_views(db) -> None:
    rows = db.execute(
        "SELECT actor_name, role FROM event_participants "
        "WHERE event_id = '2023-08-17-council-briefing' ORDER BY position"
    ).fetchall()
    assert rows == [
        ("Council Body", "host"),
        ("Alice Éxample", "briefer"),
        ("Bob Example", "briefer"),
        ("Ruritania", None),
    ]
    row = db.execute(
        "SELECT participant_count, participants FROM events_with_participants "
        "WHERE id = '2014-03-dialogue'"
    ).fetchone()
    assert row == (3, "Council Body; Ruritania; Freedonia")
    row = db.execute(
        "SELECT sponsor_count, sponsors, votes_yes, votes_no, votes_abstain "
        "FROM resolutions_with_sponsors WHERE id = 'res-new'"
    ).fetchone()
    assert row == (2, "Ruritania; Freedonia", 30, 6, 11)
    assert scalar(db, "SELECT count(*) FROM resolution_sponsors") == 4


def test_sqlite_full_text_search(db) -> None:
    def search(table: str, query: str) -> list[str]:
        sql = (
            f"SELECT {'record_id' if table == 'citations' else 'id'} FROM {table} "
            f"WHERE rowid IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?) "
            "ORDER BY 1"
        )
        return [r[0] for r in db.execute(sql, (query,))]

    assert search("events", "backslashes") == ["2023-08-17-council-briefing"]
    assert search("events", "unicode") == ["2023-08-17-council-briefing"]  # diacritics folded
    assert search("resolutions", "inquiry") == ["res-new"]
    assert search("citations", "accountability") == ["2023-08-17-council-briefing"]
    assert search("actors", "example") == ["alice-example", "bob-example"]
    fts_sql = scalar(db, "SELECT sql FROM sqlite_master WHERE name = 'events_fts'")
    assert "content=[events]" in fts_sql  # how datasette finds a table's search index


def test_sqlite_meta_and_version(db) -> None:
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["dprkhr_version"] == __version__
    assert scalar(db, "PRAGMA user_version") == 1


def test_sqlite_filtered_export_stands_alone(kb, tmp_path: Path) -> None:
    path = tmp_path / "hrc.sqlite"
    run_export(kb, "sqlite", output=path, flt=build_filter(kb, forums=["HRC"]))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2


# -- popolo ----------------------------------------------------------------------------

# Property names from the Popolo JSON schemas (popoloproject.com/schemas/*.json).
POPOLO = {
    "person": {
        "id", "name", "other_names", "identifiers", "family_name", "given_name",
        "additional_name", "honorific_prefix", "honorific_suffix", "patronymic_name",
        "sort_name", "email", "gender", "birth_date", "death_date", "image", "summary",
        "biography", "national_identity", "contact_details", "links", "memberships",
        "created_at", "updated_at", "sources",
    },
    "organization": {
        "id", "name", "other_names", "identifiers", "classification", "parent_id", "parent",
        "area_id", "area", "founding_date", "dissolution_date", "image", "contact_details",
        "links", "memberships", "posts", "created_at", "updated_at", "sources",
    },
    "membership": {
        "id", "label", "role", "member", "person_id", "person", "organization_id",
        "organization", "post_id", "post", "on_behalf_of_id", "on_behalf_of", "area_id",
        "area", "start_date", "end_date", "contact_details", "links", "created_at",
        "updated_at", "sources",
    },
    "event": {
        "id", "name", "description", "start_date", "end_date", "location", "status",
        "identifiers", "classification", "organization_id", "organization", "attendees",
        "parent_id", "parent", "children", "created_at", "updated_at", "sources",
    },
    "motion": {
        "id", "organization_id", "organization", "legislative_session_id",
        "legislative_session", "creator_id", "creator", "text", "identifier",
        "classification", "date", "requirement", "result", "vote_events", "created_at",
        "updated_at", "sources",
    },
    "vote_event": {
        "id", "organization_id", "organization", "legislative_session_id",
        "legislative_session", "identifier", "motion_id", "motion", "classification",
        "start_date", "end_date", "result", "group_results", "counts", "votes", "created_at",
        "updated_at", "sources",
    },
    "other_name": {"name", "family_name", "given_name", "additional_name", "honorific_prefix",
                   "honorific_suffix", "patronymic_name", "start_date", "end_date", "note"},
    "identifier": {"identifier", "scheme"},
    "link": {"url", "note"},
    "count": {"option", "value", "group_id", "group"},
}  # fmt: skip
POPOLO_DATE = r"^[0-9]{4}(-[0-9]{2}){0,2}$"
EXTENSIONS = {"motion": {"date_as_recorded"}, "vote_event": {"date_as_recorded"}}
"""Properties dprkhr adds (docs/export.md): the date as recorded beside Popolo's date-time."""


def test_popolo_uses_the_specification_field_names(kb) -> None:
    import re

    doc = json.loads(text_export(kb, "popolo"))
    collections = {
        "persons": "person",
        "organizations": "organization",
        "memberships": "membership",
        "events": "event",
        "motions": "motion",
        "vote_events": "vote_event",
    }
    assert set(doc) == {"meta", *collections}
    for key, cls in collections.items():
        for item in doc[key]:
            allowed = POPOLO[cls] | EXTENSIONS.get(cls, set())
            assert set(item) <= allowed, (cls, set(item) - allowed)
            for name in item.get("other_names", []):
                assert set(name) <= POPOLO["other_name"]
            for ident in item.get("identifiers", []):
                assert set(ident) == POPOLO["identifier"]
            for link in item.get("sources", []):
                assert set(link) == POPOLO["link"]
            for count in item.get("counts", []):
                assert set(count) <= POPOLO["count"]
            for field in ("start_date", "end_date", "founding_date", "dissolution_date"):
                if field in item and cls != "vote_event":  # a date-time there
                    assert re.match(POPOLO_DATE, item[field]), (field, item[field])
    ids = [p["id"] for p in doc["persons"]]
    assert ids == ["alice-example", "bob-example", "lonely-actor"]
    alice = doc["persons"][0]
    assert {"name": "Alice Example"} in alice["other_names"]
    assert {"scheme": "wikidata", "identifier": "Q0000001"} in alice["identifiers"]
    org_ids = {o["id"] for o in doc["organizations"]}
    assert {"ruritania", "council-body", "watch-group", "forum:HRC"} <= org_ids


def test_popolo_memberships_motions_and_votes(kb) -> None:
    doc = json.loads(text_export(kb, "popolo"))
    assert {
        "id": "alice-example-role-1",
        "role": "Special Rapporteur, test mandate",
        "person_id": "alice-example",
        "organization_id": "council-body",
        "start_date": "2022-08",
        "end_date": "2024",
    } in doc["memberships"]
    state = next(m for m in doc["memberships"] if m.get("member", {}).get("id") == "ruritania")
    assert "person_id" not in state and state["member"]["@type"] == "Organization"
    motions = {m["id"]: m for m in doc["motions"]}
    assert set(motions) == {"res-old", "res-new", "res-general"}
    assert motions["res-new"]["identifier"] == "A/HRC/RES/99/1"
    assert motions["res-new"]["organization_id"] == "forum:HRC"
    votes = {v["motion_id"]: v for v in doc["vote_events"]}
    assert set(votes) == {"res-new", "res-general"}  # res-old was adopted without a vote
    assert votes["res-new"]["counts"] == [
        {"option": "yes", "value": 30},
        {"option": "no", "value": 6},
        {"option": "abstain", "value": 11},
    ]
    assert votes["res-general"]["counts"] == [{"option": "yes", "value": 100}]
    assert votes["res-new"]["start_date"] == "2014-03-28T00:00:00Z"
    assert votes["res-new"]["date_as_recorded"] == "2014-03-28"
    event = next(e for e in doc["events"] if e["id"] == "2023-08-17-council-briefing")
    assert [a["id"] for a in event["attendees"]] == ["alice-example", "bob-example"]
    assert event["organization_id"] == "forum:UNSC"


# -- ics -------------------------------------------------------------------------------


def test_ics_lines_are_folded_and_crlf(kb) -> None:
    data = text_export(kb, "ics").encode("utf-8")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # never split inside a character
    assert any(line.startswith(b" ") for line in lines)


def test_fold_and_escape_units() -> None:
    assert fold("SHORT") == "SHORT\r\n"
    folded = fold("X:" + "é" * 100)
    parts = folded.removesuffix("\r\n").split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == (
        "X:" + "é" * 100
    )
    assert escape("a,b;c\\d\ne\r\nf\x07g") == "a\\,b\\;c\\\\d\\ne\\nf\ufffdg"


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_dates_are_honest_about_precision(kb) -> None:
    text = text_export(kb, "ics")
    events = {}
    current: dict[str, str] = {}
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events[current["UID"]] = current
        elif ":" in line:
            key, value = line.split(":", 1)
            current[key] = value
    day = events["2023-08-17-council-briefing@dprkhr"]
    assert day["DTSTART;VALUE=DATE"] == "20230817" and day["DTEND;VALUE=DATE"] == "20230818"
    month = events["2014-03-dialogue@dprkhr"]
    assert (month["DTSTART;VALUE=DATE"], month["DTEND;VALUE=DATE"]) == ("20140301", "20140401")
    assert "Date: 2014-03 (known to the month)" in month["DESCRIPTION"]
    year = events["2019-report@dprkhr"]
    assert (year["DTSTART;VALUE=DATE"], year["DTEND;VALUE=DATE"]) == ("20190101", "20200101")
    span = events["2020-02-24-session@dprkhr"]
    assert (span["DTSTART;VALUE=DATE"], span["DTEND;VALUE=DATE"]) == ("20200224", "20200321")
    briefing = events["2023-08-17-council-briefing@dprkhr"]
    assert briefing["SUMMARY"] == "Briefing\\, with commas\\; semicolons and \\\\ backslashes"
    assert briefing["LOCATION"] == "New York\\, NY"


def test_ics_round_trips_through_icalendar(kb) -> None:
    icalendar = pytest.importorskip("icalendar")
    import datetime as dt

    cal = icalendar.Calendar.from_ical(text_export(kb, "ics"))
    vevents = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(vevents) == len(kb.events)
    briefing = vevents["2023-08-17-council-briefing@dprkhr"]
    assert str(briefing["SUMMARY"]) == "Briefing, with commas; semicolons and \\ backslashes"
    assert str(briefing["LOCATION"]) == "New York, NY"
    assert briefing.decoded("DTSTART") == dt.date(2023, 8, 17)
    assert "한국어" in str(briefing["DESCRIPTION"])
    assert "Participants: Council Body (host); Alice Éxample (briefer)" in str(
        briefing["DESCRIPTION"]
    )
    month = vevents["2014-03-dialogue@dprkhr"]
    assert month.decoded("DTSTART") == dt.date(2014, 3, 1)
    assert month.decoded("DTEND") == dt.date(2014, 4, 1)


# -- graphml, dot ----------------------------------------------------------------------

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def parse_graphml(text: str):
    root = ET.fromstring(text.encode("utf-8"))
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS)}
    graph = root.find("g:graph", NS)
    nodes = {
        n.get("id"): {keys[d.get("key")]: d.text for d in n.findall("g:data", NS)}
        for n in graph.findall("g:node", NS)
    }
    edges = {
        (e.get("source"), e.get("target")): {
            keys[d.get("key")]: d.text for d in e.findall("g:data", NS)
        }
        for e in graph.findall("g:edge", NS)
    }
    return graph, nodes, edges


def test_graphml_actor_network(kb) -> None:
    graph, nodes, edges = parse_graphml(text_export(kb, "graphml"))
    assert graph.get("edgedefault") == "undirected"
    assert set(nodes) == set(kb.events_by_actor)  # actors in at least one event
    assert "lonely-actor" not in nodes
    assert nodes["watch-group"]["name"] == 'Watch "Group", Ltd; \\ test'
    assert nodes["ruritania"]["kind"] == "state"
    assert nodes["ruritania"]["event_count"] == "3"
    # council-body and ruritania share three events; counted once per event
    assert edges[("council-body", "ruritania")]["weight"] == "3"
    assert edges[("council-body", "ruritania")]["events"] == (
        "2014-03-dialogue 2020-02-24-session 2023-08-17-council-briefing"
    )
    assert edges[("alice-example", "bob-example")]["weight"] == "1"
    assert all(a < b for a, b in edges)


def test_graphml_bipartite(kb) -> None:
    text = text_export(kb, "graphml", options=ExportOptions(bipartite=True))
    _graph, nodes, edges = parse_graphml(text)
    events = {n for n, d in nodes.items() if d["node_type"] == "event"}
    assert events == {e.id for e in kb.events}
    assert nodes["2019-report"]["bipartite"] == "1" and nodes["ruritania"]["bipartite"] == "0"
    assert edges[("ruritania", "2020-02-24-session")]["role"] == "speaker; co-chair"
    assert len(edges) == sum(len({p.actor for p in e.participants}) for e in kb.events)


def test_graphml_reads_in_networkx(kb) -> None:
    nx = pytest.importorskip("networkx")
    graph = nx.read_graphml(io.BytesIO(text_export(kb, "graphml").encode("utf-8")))
    assert graph["council-body"]["ruritania"]["weight"] == 3
    assert graph.nodes["alice-example"]["name"] == "Alice Éxample"
    bip = nx.read_graphml(
        io.BytesIO(
            text_export(kb, "graphml", options=ExportOptions(bipartite=True)).encode("utf-8")
        )
    )
    actors = {n for n, d in bip.nodes(data=True) if d["bipartite"] == 0}
    assert nx.bipartite.is_bipartite_node_set(bip, actors)


def test_dot_escapes_quotes_and_backslashes(kb) -> None:
    text = text_export(kb, "dot")
    assert text.startswith("// dprkhr") and "graph actors {" in text
    # labels are wrapped at 22 characters (a DOT `\n`); GraphML keeps them whole
    assert 'label="Watch \\"Group\\", Ltd; \\\\\\ntest"' in text
    assert '"council-body" -- "ruritania" [weight=3' in text
    assert dot_quote('say "hi"\nbye \\ end') == '"say \\"hi\\"\\nbye \\\\ end"'
    bip = text_export(kb, "dot", options=ExportOptions(bipartite=True))
    assert "graph actor_events {" in bip and '"2019-report" [label=' in bip


def test_control_characters_never_break_xml_or_reach_a_terminal(tmp_path: Path) -> None:
    from helpers_export import write_record

    root = make_dataset(tmp_path)
    write_record(
        root,
        "actors",
        {"id": "bad-name", "name": "Evil\x1b[2J\x01 Name\x9b", "kind": "person",
         "sources": [{"source": "src-web"}]},
    )  # fmt: skip
    write_record(
        root,
        "events",
        {"id": "2024-01-01-ctl", "date": "2024-01-01", "type": "statement",
         "title": "Title\x1b]0;pwned\x07", "participants": [{"actor": "bad-name"}],
         "sources": [{"source": "src-web"}]},
    )  # fmt: skip
    kb = load_kb(root)
    for name in ("json", "jsonl", "popolo", "ics", "graphml", "dot"):
        text = text_export(kb, name)
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text, name
    _graph, nodes, _edges = parse_graphml(text_export(kb, "graphml"))
    assert nodes["bad-name"]["name"] == "Evil\ufffd[2J\ufffd Name\ufffd"
    assert json.loads(text_export(kb, "json"))["events"][-1]["title"] == "Title\x1b]0;pwned\x07"


def test_ics_text_survives_any_string_through_icalendar() -> None:
    icalendar = pytest.importorskip("icalendar")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dprkhr.export.output import clean_text

    @settings(max_examples=150, deadline=None)
    @given(st.text(min_size=1, max_size=300))
    def check(text: str) -> None:
        body = "".join(
            fold(line)
            for line in (
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT",
                "UID:x@t", "DTSTAMP:20200101T000000Z", "DTSTART;VALUE=DATE:20200101",
                f"SUMMARY:{escape(text)}", "END:VEVENT", "END:VCALENDAR",
            )
        )  # fmt: skip
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
        event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
        expected = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
        assert str(event["SUMMARY"]) == expected

    check()
