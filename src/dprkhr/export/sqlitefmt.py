"""SQLite: the tables of `tables.py` with keys and indexes, FTS5 search and handy views.

Ready for datasette: foreign keys give it links between tables, and each `<table>_fts`
(external-content FTS5, `content=[<table>]`) gives the table a search box.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dprkhr.errors import DprkhrError
from dprkhr.export.output import FORMAT_VERSION
from dprkhr.export.selection import Selection
from dprkhr.export.tables import TABLE_BY_NAME, TABLES, Table

FTS: dict[str, tuple[str, ...]] = {
    "events": ("title", "summary"),
    "resolutions": ("symbol", "title", "summary"),
    "actors": ("name", "summary"),
    "sources": ("title", "summary"),
    "citations": ("quote", "note"),
}
"""Table -> columns indexed for full-text search (titles, summaries and quotes)."""

VIEWS: dict[str, str] = {
    "event_participants": """
        SELECT e.id AS event_id, e.date, e.first_day, e.title, e.forum, e.type,
               p.position, a.id AS actor_id, a.name AS actor_name, a.kind AS actor_kind,
               p.role
        FROM events e
        JOIN participants p ON p.event_id = e.id
        LEFT JOIN actors a ON a.id = p.actor_id""",
    "events_with_participants": """
        SELECT e.id, e.date, e.end_date, e.first_day, e.last_day, e.type, e.forum, e.title,
               e.location,
               (SELECT count(*) FROM participants p WHERE p.event_id = e.id)
                   AS participant_count,
               (SELECT group_concat(name, '; ') FROM (
                    SELECT coalesce(a.name, p.actor_id) AS name FROM participants p
                    LEFT JOIN actors a ON a.id = p.actor_id
                    WHERE p.event_id = e.id ORDER BY p.position)) AS participants,
               e.summary
        FROM events e""",
    "resolution_sponsors": """
        SELECT r.id AS resolution_id, r.symbol, r.date, r.forum, r.title, s.position,
               a.id AS actor_id, a.name AS actor_name, a.kind AS actor_kind, a.country
        FROM resolutions r
        JOIN sponsors s ON s.resolution_id = r.id
        LEFT JOIN actors a ON a.id = s.actor_id""",
    "resolutions_with_sponsors": """
        SELECT r.id, r.symbol, r.forum, r.session, r.date, r.first_day, r.title,
               r.adoption_method, r.votes_yes, r.votes_no, r.votes_abstain,
               (SELECT count(*) FROM sponsors s WHERE s.resolution_id = r.id)
                   AS sponsor_count,
               (SELECT group_concat(name, '; ') FROM (
                    SELECT coalesce(a.name, s.actor_id) AS name FROM sponsors s
                    LEFT JOIN actors a ON a.id = s.actor_id
                    WHERE s.resolution_id = r.id ORDER BY s.position)) AS sponsors,
               r.summary
        FROM resolutions r""",
}
"""Views for common questions. In the `participants` and `sponsors` columns the names are
joined by `; ` (the link tables hold one row per name)."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> str:
    parts = []
    for col in table.columns:
        parts.append(f"{_q(col.name)} {col.type}{' NOT NULL' if col.not_null else ''}")
    parts.append(f"PRIMARY KEY ({', '.join(_q(c) for c in table.primary_key)})")
    for col in table.columns:
        if col.references:
            target = TABLE_BY_NAME[col.references]
            parts.append(
                f"FOREIGN KEY ({_q(col.name)}) REFERENCES {_q(target.name)}"
                f"({_q(target.primary_key[0])})"
            )
    body = ",\n  ".join(parts)
    return f"CREATE TABLE {_q(table.name)} (\n  {body}\n)"


def write_sqlite(sel: Selection, path: Path) -> None:
    """Build the database at `path` (a new, empty file)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # built in a temporary file, then renamed
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        db.execute("BEGIN")
        for table in TABLES:
            db.execute(create_table_sql(table))
            marks = ", ".join("?" for _ in table.columns)
            db.executemany(f"INSERT INTO {_q(table.name)} VALUES ({marks})", table.rows(sel))
            for cols in table.indexes:
                name = f"idx_{table.name}_{'_'.join(cols)}"
                db.execute(
                    f"CREATE INDEX {_q(name)} ON {_q(table.name)}({', '.join(_q(c) for c in cols)})"
                )
        for table_name, cols in FTS.items():
            fts = f"{table_name}_fts"
            db.execute(
                f"CREATE VIRTUAL TABLE {_q(fts)} USING fts5("
                f"{', '.join(_q(c) for c in cols)}, content=[{table_name}], "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            db.execute(f"INSERT INTO {_q(fts)}({_q(fts)}) VALUES ('rebuild')")
        for view, sql in VIEWS.items():
            db.execute(f"CREATE VIEW {_q(view)} AS {sql.strip()}")
        db.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise DprkhrError(
                f"the SQLite library of this Python lacks FTS5 full-text search ({exc})"
            ) from None
        raise
    finally:
        db.close()
