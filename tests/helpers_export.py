"""A small, fictional dataset for the export tests (names and numbers are made up)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

REPO_DATA = Path(__file__).resolve().parent.parent / "data"

ACTORS = [
    {
        "id": "alice-example",
        "name": "Alice Éxample",
        "kind": "person",
        "aliases": ["Alice Example", "A. Example"],
        "country": "PE",
        "identifiers": {"wikidata": "Q0000001"},
        "roles": [
            {
                "title": "Special Rapporteur, test mandate",
                "organization": "council-body",
                "start": "2022-08",
                "end": "2024",
            },
        ],
        "sources": [{"source": "src-web", "quote": 'Alice, the rapporteur; said "hello".'}],
    },
    {
        "id": "bob-example",
        "name": "Bob Example",
        "kind": "person",
        "sources": [{"source": "src-web"}],
    },
    {
        "id": "council-body",
        "name": "Council Body",
        "kind": "un-body",
        "sources": [{"source": "src-web"}],
    },
    {
        "id": "ruritania",
        "name": "Ruritania",
        "kind": "state",
        "country": "XR",
        "native_name": "루리타니아",
        "roles": [{"title": "Member", "organization": "council-body", "start": "2020"}],
        "sources": [{"source": "src-paper", "page": 3}],
    },
    {"id": "freedonia", "name": "Freedonia", "kind": "state", "sources": [{"source": "src-paper"}]},
    {
        "id": "watch-group",
        "name": 'Watch "Group", Ltd; \\ test',
        "kind": "organization",
        "summary": "Line one\nline two, with a comma; and a semicolon.",
        "sources": [{"source": "src-paper"}],
    },
    {
        "id": "lonely-actor",
        "name": "Lonely Actor",
        "kind": "person",
        "sources": [{"source": "src-unused"}],
    },
]

EVENTS = [
    {
        "id": "2023-08-17-council-briefing",
        "date": "2023-08-17",
        "type": "briefing",
        "forum": "UNSC",
        "title": "Briefing, with commas; semicolons and \\ backslashes",
        "location": "New York, NY",
        "documents": ["S/PV.0001"],
        "participants": [
            {"actor": "council-body", "role": "host"},
            {"actor": "alice-example", "role": "briefer"},
            {"actor": "bob-example", "role": "briefer"},
            {"actor": "ruritania"},
        ],
        "tags": ["human-rights-and-security"],
        "summary": "A long summary that goes on and on so that the iCalendar line must be "
        "folded more than once, with ünïcödé characters like 한국어 text in it too.",
        "sources": [{"source": "src-web", "quote": "the briefing quote about accountability"}],
    },
    {
        "id": "2014-03-dialogue",
        "date": "2014-03",
        "type": "interactive-dialogue",
        "forum": "HRC",
        "title": "Dialogue in March",
        "participants": [
            {"actor": "council-body", "role": "host"},
            {"actor": "ruritania", "role": "speaker"},
            {"actor": "freedonia", "role": "speaker"},
        ],
        "resolutions": ["res-new"],
        "tags": ["accountability"],
        "sources": [{"source": "src-paper", "page": "21-22"}],
    },
    {
        "id": "2019-report",
        "date": "2019",
        "type": "report",
        "forum": "OHCHR",
        "title": "A report from some time in 2019",
        "participants": [{"actor": "watch-group", "role": "author"}],
        "tags": ["detention"],
        "sources": [{"source": "src-paper"}],
    },
    {
        "id": "2020-02-24-session",
        "date": "2020-02-24",
        "end_date": "2020-03-20",
        "type": "meeting",
        "forum": "HRC",
        "title": "A session spanning weeks",
        "participants": [
            {"actor": "ruritania", "role": "speaker"},
            {"actor": "council-body", "role": "host"},
            {"actor": "ruritania", "role": "co-chair"},
        ],
        "sources": [{"source": "src-web"}],
    },
]

RESOLUTIONS = [
    {
        "id": "res-old",
        "forum": "HRC",
        "session": 10,
        "date": "2012-03-22",
        "title": "The old resolution",
        "adoption": {"method": "without-vote"},
        "sponsors": ["freedonia"],
        "sources": [{"source": "src-paper"}],
    },
    {
        "id": "res-new",
        "symbol": "A/HRC/RES/99/1",
        "forum": "HRC",
        "session": 99,
        "date": "2014-03-28",
        "title": "The new resolution",
        "adoption": {"method": "vote", "yes": 30, "no": 6, "abstain": 11},
        "sponsors": ["ruritania", "freedonia"],
        "follows": "res-old",
        "tags": ["accountability"],
        "summary": "Sets up an inquiry.",
        "sources": [{"source": "src-web", "quote": "an inquiry was set up"}],
    },
    {
        "id": "res-general",
        "forum": "UNGA",
        "date": "2016-12",
        "title": "A General Assembly resolution",
        "adoption": {"method": "vote", "yes": 100},
        "sponsors": ["ruritania"],
        "sources": [{"source": "src-paper"}],
    },
]

SOURCES = [
    {
        "id": "src-web",
        "title": "A web page, with a comma",
        "kind": "web-page",
        "url": "https://example.org/page",
        "published": "2023",
    },
    {"id": "src-paper", "title": "A paper", "kind": "article", "author": "Someone"},
    {"id": "src-unused", "title": "Cited only by the lonely actor", "kind": "report"},
]


def write_record(root: Path, folder: str, record: dict) -> Path:
    path = root / folder / f"{record['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def make_dataset(tmp_path: Path) -> Path:
    """Write the dataset under `tmp_path/data` and return that folder."""
    root = tmp_path / "data"
    for folder in ("actors", "events", "resolutions", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in ("forums.yaml", "tags.yaml", "event-types.yaml"):
        shutil.copy(REPO_DATA / name, root / name)
    for folder, records in (
        ("actors", ACTORS),
        ("events", EVENTS),
        ("resolutions", RESOLUTIONS),
        ("sources", SOURCES),
    ):
        for record in records:
            write_record(root, folder, record)
    return root


def load_kb(root: Path):
    from dprkhr.dataset import load_dataset
    from dprkhr.kb import KnowledgeBase

    dataset = load_dataset(root)
    assert not dataset.failed_files, [p.message for p in dataset.problems]
    return KnowledgeBase.from_dataset(dataset)
