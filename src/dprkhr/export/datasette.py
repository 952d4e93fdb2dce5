"""datasette metadata for the SQLite export: titles, descriptions, facets, sort orders and
label columns (the text a foreign-key link shows), written beside the database as
`<name>.metadata.json` and used with `datasette <name>.sqlite -m <name>.metadata.json`.

Label columns are chosen so that each link names its target: a resolution is shown by its
`label` (its symbol, else its title and date: many resolutions share the title "Situation
of human rights in the DPRK"), an event by its title, an actor by its name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dprkhr.export.sqlitefmt import VIEWS
from dprkhr.export.tables import TABLES

LABELS: dict[str, str] = {
    "forums": "name",
    "tags": "name",
    "event_types": "name",
    "actors": "name",
    "sources": "title",
    "resolutions": "label",
    "events": "title",
}
"""Table -> the column a link to one of its rows shows."""

FACETS: dict[str, list[str]] = {
    "events": ["type", "forum"],
    "resolutions": ["forum", "adoption_method", "session"],
    "actors": ["kind", "country"],
    "sources": ["kind", "language", "publisher"],
    "participants": ["role"],
    "citations": ["record_type"],
    "roles": ["organization_id"],
    "votes": ["vote", "state_id", "record_type", "roll"],
    "sponsorships": ["role", "actor_id"],
}
"""Table -> the facets datasette suggests first."""

NEWEST_FIRST = {"events": "first_day", "resolutions": "first_day"}
"""Tables shown newest first, by this column."""

VIEW_DOCS = {
    "event_participants": "One row per participant of an event, with the actor's name.",
    "events_with_participants": "Events with their participants' names in one column.",
    "resolution_sponsors": "One row per sponsor of a resolution, with the actor's name.",
    "resolutions_with_sponsors": "Resolutions with their sponsors' names in one column.",
}


def metadata_path(database: Path) -> Path:
    """`dprkhr.sqlite` -> `dprkhr.metadata.json`, beside it."""
    return database.with_name(f"{database.stem}.metadata.json")


def metadata(database_name: str) -> dict[str, Any]:
    """The metadata document for a database that datasette names `database_name` (the
    file name without its extension)."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {"title": table.name.replace("_", " "), "description": table.doc}
        if table.name in LABELS:
            entry["label_column"] = LABELS[table.name]
        if table.name in FACETS:
            entry["facets"] = FACETS[table.name]
        if table.name in NEWEST_FIRST:
            entry["sort_desc"] = NEWEST_FIRST[table.name]
        tables[table.name] = entry
    for view in VIEWS:
        tables[view] = {"title": view.replace("_", " "), "description": VIEW_DOCS[view]}
    return {
        "title": "dprkhr: human rights in North Korea",
        "description": (
            "What the United Nations and the wider world have done about human rights in "
            "North Korea (DPRK): events, actors, resolutions and the sources that support "
            "them, exported by dprkhr. Every record cites its sources (see citations)."
        ),
        "databases": {
            database_name: {
                "description": "The dprkhr knowledge base; the meta table holds the version.",
                "tables": tables,
            }
        },
    }
