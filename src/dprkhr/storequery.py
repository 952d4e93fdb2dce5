"""The query tables of the store, and the knowledge base as the query commands see it when
it is answered from them (`StoreSource`).

Every table holds rows per file (`file` references `files (path)`, so a file's rows go
when it changes, in the refresh's transaction), filled by `update` from the records just
parsed: for each event what its filters and its table need (dates, forum, type, tags,
participants, resolutions, title), the same for resolutions, every record's type and
date order, the references between records (for `show`), actors' names and kinds, the
name tables of actors and resolutions, role titles and participant roles (completion),
and the search text of every field (an FTS5 table: `dprkhr.textmatch`).

A look-up reads a few pages: resolving a name and listing an actor's events costs
milliseconds however large the dataset. Records are rebuilt (validated again from the
JSON the store keeps) only for what a command prints whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, overload

from dprkhr import store as store_module
from dprkhr.dates import PartialDate
from dprkhr.names import NameEntry, NameIndex, name_entries, normalize

if TYPE_CHECKING:
    from collections.abc import Callable

    from dprkhr.dataset import LoadedFile
    from dprkhr.kb import Backlink, KnowledgeBase
    from dprkhr.models import Event, Forum, Record, Resolution
    from dprkhr.query import Facts
    from dprkhr.store import Changes, Store
    from dprkhr.textmatch import SearchResult, TextQuery

NAME_KINDS = ("actor", "forum", "resolution")

_SCHEMA = """
CREATE TABLE q_records (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    id TEXT NOT NULL, type TEXT NOT NULL, forum TEXT,
    undated INTEGER NOT NULL, start TEXT, finish TEXT, label TEXT NOT NULL,
    day TEXT, tags TEXT NOT NULL, cites INTEGER NOT NULL
);
CREATE INDEX q_records_id ON q_records (id);
CREATE INDEX q_records_order ON q_records (type, undated, start, finish, id);
CREATE INDEX q_records_forum ON q_records (type, forum);
CREATE TABLE q_events (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    id TEXT NOT NULL, start TEXT NOT NULL, finish TEXT NOT NULL,
    date TEXT NOT NULL, end_date TEXT, forum TEXT, type TEXT NOT NULL, title TEXT NOT NULL,
    tags TEXT NOT NULL, actors TEXT NOT NULL, resolutions TEXT NOT NULL, roles TEXT NOT NULL
);
CREATE INDEX q_events_order ON q_events (start, finish, id);
CREATE INDEX q_events_forum ON q_events (forum, start, finish, id);
CREATE TABLE q_event_actors (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE, actor TEXT NOT NULL
);
CREATE INDEX q_event_actors_actor ON q_event_actors (actor);
CREATE INDEX q_event_actors_file ON q_event_actors (file);
CREATE TABLE q_resolutions (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    id TEXT NOT NULL, undated INTEGER NOT NULL, start TEXT, finish TEXT,
    date TEXT, forum TEXT, session TEXT, method TEXT, votes TEXT, symbol TEXT, folded TEXT,
    title TEXT, summary TEXT, sponsors TEXT NOT NULL, tags TEXT NOT NULL
);
CREATE INDEX q_resolutions_order ON q_resolutions (undated, start, finish, id);
CREATE INDEX q_resolutions_forum ON q_resolutions (forum);
CREATE INDEX q_resolutions_folded ON q_resolutions (folded);
CREATE TABLE q_sponsors (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE, sponsor TEXT NOT NULL
);
CREATE INDEX q_sponsors_sponsor ON q_sponsors (sponsor);
CREATE INDEX q_sponsors_file ON q_sponsors (file);
CREATE TABLE q_actors (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, names TEXT NOT NULL,
    country TEXT, roles TEXT NOT NULL
);
CREATE INDEX q_actors_id ON q_actors (id);
CREATE TABLE q_ballots (
    file TEXT PRIMARY KEY REFERENCES files (path) ON DELETE CASCADE,
    id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX q_ballots_id ON q_ballots (id);
CREATE TABLE q_refs (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    target TEXT NOT NULL, field TEXT NOT NULL
);
CREATE INDEX q_refs_target ON q_refs (target);
CREATE INDEX q_refs_file ON q_refs (file);
CREATE TABLE q_names (
    n INTEGER PRIMARY KEY,
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    kind TEXT NOT NULL, id TEXT NOT NULL, j INTEGER NOT NULL, label TEXT NOT NULL,
    name TEXT NOT NULL, norm TEXT NOT NULL, key TEXT NOT NULL, joined TEXT NOT NULL
);
CREATE INDEX q_names_file ON q_names (file);
CREATE INDEX q_names_id ON q_names (kind, id, j);
CREATE INDEX q_names_norm ON q_names (kind, norm);
CREATE INDEX q_names_key ON q_names (kind, key);
CREATE INDEX q_names_joined ON q_names (kind, joined);
CREATE TABLE q_name_tokens (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    kind TEXT NOT NULL, token TEXT NOT NULL, n INTEGER NOT NULL
);
CREATE INDEX q_name_tokens_token ON q_name_tokens (kind, token);
CREATE INDEX q_name_tokens_file ON q_name_tokens (file);
CREATE TABLE q_labels (
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    kind TEXT NOT NULL, value TEXT NOT NULL
);
CREATE INDEX q_labels_kind ON q_labels (kind, value);
CREATE INDEX q_labels_file ON q_labels (file);
CREATE TABLE q_text (
    n INTEGER PRIMARY KEY,
    file TEXT NOT NULL REFERENCES files (path) ON DELETE CASCADE,
    type TEXT NOT NULL, i INTEGER NOT NULL, field TEXT NOT NULL, folded TEXT NOT NULL,
    tag TEXT
);
CREATE INDEX q_text_file ON q_text (file);
CREATE INDEX q_text_tag ON q_text (tag) WHERE tag IS NOT NULL;
CREATE VIRTUAL TABLE q_search USING fts5 (
    folded, content = 'q_text', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE q_search_vocab USING fts5vocab (q_search, 'row')
"""

_TRIGGERS = (
    "CREATE TRIGGER q_text_ai AFTER INSERT ON q_text BEGIN "
    "INSERT INTO q_search (rowid, folded) VALUES (new.n, new.folded); END",
    "CREATE TRIGGER q_text_ad AFTER DELETE ON q_text BEGIN "
    "INSERT INTO q_search (q_search, rowid, folded) VALUES ('delete', old.n, old.folded); END",
    "CREATE TABLE q_twice (id TEXT PRIMARY KEY)",
    "CREATE TRIGGER q_records_ai AFTER INSERT ON q_records WHEN EXISTS "
    "(SELECT 1 FROM q_records WHERE id = new.id AND file <> new.file) BEGIN "
    "INSERT OR IGNORE INTO q_twice VALUES (new.id); END",
    "CREATE TRIGGER q_records_ad AFTER DELETE ON q_records WHEN "
    "(SELECT count(*) FROM q_records WHERE id = old.id) < 2 BEGIN "
    "DELETE FROM q_twice WHERE id = old.id; END",
)
"""The search index follows `q_text` (rows deleted with their file, by the cascade), and
`q_twice` holds the ids that more than one file defines (one look-up per row written,
so that a query need not group every id)."""


# --- the rows ---------------------------------------------------------------------------------


class Taking(NamedTuple):
    """A participant as an event row holds it: the fields of `models.Participant`."""

    actor: str
    role: str | None


class Adopted(NamedTuple):
    """How a resolution was adopted, as a row holds it: the fields of
    `models.resolution.Adoption` (`method` as its text, equal to the model's enum)."""

    method: str
    yes: int | None
    no: int | None
    abstain: int | None


class ActorRow(NamedTuple):
    """An actor as the events table and `related` show it."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class EventRow:
    """What the store keeps of an event: enough to filter it and print it as a table row
    (`dprkhr.query.filter_events` and the events table read these fields, as they read an
    `Event`'s)."""

    record_type: ClassVar[str] = "event"
    id: str
    file: str
    """Path relative to the data root."""
    date: PartialDate
    end_date: PartialDate | None
    forum: str | None
    type: str
    title: str
    tags: list[str]
    participants: list[Taking]
    resolutions: list[str]


@dataclass(frozen=True, slots=True)
class ResolutionRow:
    """What the store keeps of a resolution: enough for `filter_resolutions` and the
    timeline (`text`, which reads summaries, is answered from the records)."""

    record_type: ClassVar[str] = "resolution"
    id: str
    file: str
    date: PartialDate | None
    forum: str | None
    session: str | None
    """As text: filters compare it as text."""
    adoption: Adopted | None
    symbol: str | None
    title: str | None
    summary: str | None
    """Kept only for a resolution without a title (the table shows it instead)."""
    sponsors: list[str]
    tags: list[str]


class RoleRow(NamedTuple):
    """A role as an actor row holds it: the fields of `models.Role` that `actors` reads."""

    title: str
    organization: str | None
    start: PartialDate | None
    end: PartialDate | None


@dataclass(frozen=True, slots=True)
class ActorDetail:
    """What the store keeps of an actor for `actors`: enough to filter it and print it as
    a table row (`dprkhr.query.find_actors` reads these fields, as it reads an `Actor`'s;
    `kind` is the text of the model's `str` enum, so both compare equal to it)."""

    record_type: ClassVar[str] = "actor"
    id: str
    file: str
    name: str
    kind: str
    country: str | None
    roles: list[RoleRow]


def _actor_detail(row: Sequence[Any]) -> ActorDetail:
    ident, file, name, kind, country, roles = row
    return ActorDetail(
        ident,
        file,
        name,
        kind,
        country,
        [
            RoleRow(
                title, organization, *(None if d is None else PartialDate(d) for d in (start, end))
            )
            for title, organization, start, end in json.loads(roles)
        ],
    )


class Named(NamedTuple):
    """A tag or event type as a vocabulary look-up needs it."""

    id: str
    name: str
    activity: bool


class ForumRow(NamedTuple):
    """A forum's lifetime, as `timeline --gaps` reads it."""

    code: str
    established: PartialDate | None
    abolished: PartialDate | None


_EVENT_COLUMNS = "id, file, date, end_date, forum, type, title, tags, actors, resolutions, roles"
_RESOLUTION_COLUMNS = (
    "id, file, date, forum, session, method, votes, symbol, title, summary, sponsors, tags"
)
_EVENT_ORDER = "ORDER BY start, finish, id, file"
_RESOLUTION_ORDER = "ORDER BY undated, start, finish, id, file"


def _event_row(row: Sequence[Any]) -> EventRow:
    (
        ident,
        file,
        date,
        end_date,
        forum,
        type_,
        title,
        tags,
        actors,
        resolutions,
        roles,
    ) = row
    return EventRow(
        ident,
        file,
        PartialDate(date),
        PartialDate(end_date) if end_date else None,
        forum,
        type_,
        title,
        tags.split(),
        [Taking(a, r) for a, r in zip(actors.split(), json.loads(roles), strict=True)],
        resolutions.split(),
    )


def _resolution_row(row: Sequence[Any]) -> ResolutionRow:
    (
        ident,
        file,
        date,
        forum,
        session,
        method,
        votes,
        symbol,
        title,
        summary,
        sponsors,
        tags,
    ) = row
    return ResolutionRow(
        ident,
        file,
        PartialDate(date) if date else None,
        forum,
        session,
        None if method is None else Adopted(method, *(json.loads(votes) if votes else (None,) * 3)),
        symbol,
        title,
        summary,
        sponsors.split(),
        tags.split(),
    )


def preferred_file(record_id: str, files: list[str]) -> str:
    """Of the files (in path order) that define the same id, the one served: the file
    named after the id (`<id>.yaml`), else the first."""
    own = [f for f in files if f.rsplit("/", 1)[-1] == f"{record_id}.yaml"]
    return own[0] if own else files[0]


# --- filling the tables -------------------------------------------------------------------------


def _span(date: PartialDate | None) -> tuple[int, str | None, str | None]:
    if date is None:
        return 1, None, None
    return 0, date.start.isoformat(), date.end.isoformat()


def _ids(values: Iterable[str]) -> str:
    """A list of ids in one column: ids never hold spaces (they are validated slugs)."""
    return " ".join(values)


class _FileRows:
    """The rows of one file, gathered by statement; its names (`_add_names`) are
    numbered when written (`update`), so that files can be read in any process."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Sequence[Any]]] = {}
        self.names: list[tuple[Sequence[Any], list[str]]] = []
        """Each name's `q_names` row but for its number, and its tokens."""

    def execute(self, sql: str, parameters: Sequence[Any]) -> None:
        self.rows.setdefault(sql, []).append(parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.rows.setdefault(sql, []).extend(rows)


Derived = tuple[dict[str, list[Sequence[Any]]], list[tuple[Sequence[Any], list[str]]]]
"""A file's rows, as `derive` makes them and `update` writes them."""


def derive(file: str, loaded: LoadedFile) -> Derived | None:
    """The rows of a file just read (None for a file that holds no valid record)."""
    record = loaded.record
    if record is None or loaded.failed:
        return None
    rows = _FileRows()
    _add(rows, file, record)
    return rows.rows, rows.names


_NAME_SQL = "INSERT INTO q_names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_TOKEN_SQL = "INSERT INTO q_name_tokens VALUES (?, ?, ?, ?)"


def update(db: sqlite3.Connection, changes: Changes) -> None:
    """Write the rows of the files just read (`derive`; the rows of changed and removed
    files went with their `files` row), with one `executemany` per statement (thousands
    of small statements cost more than the rows)."""
    gathered: dict[str, list[Sequence[Any]]] = {_NAME_SQL: [], _TOKEN_SQL: []}
    number = int(db.execute("SELECT coalesce(max(n), 0) FROM q_names").fetchone()[0])
    for derived in changes.derived.get(EXTENSION_NAME, {}).values():
        if derived is None:
            continue
        rows, names = derived
        for sql, values in rows.items():
            gathered.setdefault(sql, []).extend(values)
        for row, tokens in names:
            number += 1
            gathered[_NAME_SQL].append((number, *row))
            gathered[_TOKEN_SQL].extend((row[0], row[1], token, number) for token in tokens)
    for sql, values in gathered.items():
        db.executemany(sql, values)


def _add(db: _FileRows, file: str, record: Record) -> None:
    from dprkhr.kb import REFERENCE_FIELDS, field_path_value, record_label
    from dprkhr.models import Actor, Event, Resolution

    kind = record.record_type
    date = getattr(record, "date", None)
    undated, start, finish = _span(date)
    when = date if kind != "source" else getattr(record, "published", None)
    db.execute(
        "INSERT INTO q_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            file,
            record.id,
            kind,
            getattr(record, "forum", None),
            undated,
            start,
            finish,
            record_label(record),
            None if when is None else str(when),
            _ids(getattr(record, "tags", None) or ()),
            _cites(record),
        ),
    )
    _add_text(db, file, record)
    if isinstance(record, Event):
        first, last = record.date.start.isoformat(), record.date.end.isoformat()
        db.execute(
            "INSERT INTO q_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file,
                record.id,
                first,
                last,
                str(record.date),
                str(record.end_date) if record.end_date else None,
                record.forum,
                record.type,
                record.title,
                _ids(record.tags),
                _ids(p.actor for p in record.participants),
                _ids(record.resolutions),
                json.dumps([p.role for p in record.participants], ensure_ascii=False),
            ),
        )
        db.executemany(
            "INSERT INTO q_event_actors VALUES (?, ?)",
            ((file, a) for a in dict.fromkeys(p.actor for p in record.participants)),
        )
        db.executemany(
            "INSERT INTO q_labels VALUES (?, 'participant-role', ?)",
            ((file, p.role) for p in record.participants if p.role),
        )
    elif isinstance(record, Resolution):
        adoption = record.adoption
        method = adoption.method.value if adoption is not None else None
        votes = (
            json.dumps([adoption.yes, adoption.no, adoption.abstain])
            if adoption is not None and method == "vote"
            else None
        )
        db.execute(
            "INSERT INTO q_resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file,
                record.id,
                undated,
                start,
                finish,
                str(record.date) if record.date else None,
                record.forum,
                None if record.session is None else str(record.session),
                method,
                votes,
                record.symbol,
                normalize(record.symbol) if record.symbol else None,
                record.title,
                None if record.title else record.summary,
                _ids(record.sponsors),
                _ids(record.tags),
            ),
        )
        db.executemany(
            "INSERT INTO q_sponsors VALUES (?, ?)",
            ((file, s) for s in dict.fromkeys(record.sponsors)),
        )
        _add_names(
            db,
            file,
            "resolution",
            record.id,
            record.symbol or record.id,
            [record.symbol] if record.symbol else [],
        )
    elif isinstance(record, Actor):
        db.execute(
            "INSERT INTO q_actors VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                file,
                record.id,
                record.name,
                record.kind.value,
                json.dumps(record.all_names(), ensure_ascii=False),
                record.country,
                json.dumps(
                    [
                        [
                            r.title,
                            r.organization,
                            *(None if d is None else str(d) for d in (r.start, r.end)),
                        ]
                        for r in record.roles
                    ],
                    ensure_ascii=False,
                ),
            ),
        )
        _add_names(db, file, "actor", record.id, record.name, record.all_names())
        db.executemany(
            "INSERT INTO q_labels VALUES (?, 'role', ?)",
            ((file, role.title) for role in record.roles if role.title),
        )
    if isinstance(record, (Event, Resolution)):
        from dprkhr.votes import ballot_data

        ballot = ballot_data(record)
        if ballot is not None:
            db.execute(
                "INSERT INTO q_ballots VALUES (?, ?, ?)",
                (file, record.id, json.dumps(ballot, ensure_ascii=False)),
            )
    # references that `show` follows back, except participants (in q_event_actors)
    fields = (*REFERENCE_FIELDS.get(kind, ()), ("sources", "source", "source"))
    refs: dict[tuple[str, str], None] = {}
    for name, key, target_kind in fields:
        if target_kind in ("forum", "tag", "event-type") or name == "participants":
            continue
        value = field_path_value(record, name)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        targets = items if key is None else [getattr(item, key, None) for item in items]
        for target in targets:
            if isinstance(target, str):
                refs[(target, name)] = None
    db.executemany("INSERT INTO q_refs VALUES (?, ?, ?)", ((file, t, f) for t, f in refs))


def _cites(record: Record) -> int:
    """What `stats` counts of a record's citations: 0 none, 1 cited, 2 cited with a quote."""
    cited = record.citations()
    return 2 if any(c.quote for c in cited) else 1 if cited else 0


def _add_text(db: _FileRows, file: str, record: Record) -> None:
    """A record's searchable fields (`dprkhr.textmatch.record_fields`), folded, in their
    order. A tag's field is its name in `tags.yaml`, which may change without the record
    changing: it is kept as the tag's id and matched by name when searching."""
    from dprkhr.textmatch import record_fields

    marker = "\x00"
    fields = record_fields(record, _TagMarks(marker))
    db.executemany(
        "INSERT INTO q_text (file, type, i, field, folded, tag) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (file, record.record_type, i, field, "", text[1:])
            if field == "tag" and text.startswith(marker)
            else (file, record.record_type, i, field, normalize(text), None)
            for i, (field, text) in enumerate(fields)
        ),
    )


class _TagMarks(dict[str, str]):
    """Tag names as a marker and the tag's id (see `_add_text`)."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def get(self, key: str, default: Any = None) -> str:
        return self.marker + key


def _add_names(
    db: _FileRows, file: str, kind: str, record_id: str, label: str, names: Iterable[str]
) -> None:
    """A record's rows in the name tables, as `dprkhr.names.MemoryNames` makes them."""
    for j, (name, norm, key) in enumerate(name_entries(record_id, label, names)):
        row = (file, kind, record_id, j, label, name, norm, key, norm.replace(" ", ""))
        db.names.append((row, list(set(norm.split()))))


EXTENSION_NAME = "query"
EXTENSION = store_module.register(
    store_module.Extension(
        EXTENSION_NAME,
        (*(x for x in _SCHEMA.split(";") if x.strip()), *_TRIGGERS),
        update,
        derive,
        rebuild=(
            "INSERT INTO q_search (q_search) VALUES ('rebuild')",
            "DELETE FROM q_twice",
            "INSERT INTO q_twice SELECT id FROM q_records GROUP BY id HAVING count(*) > 1",
        ),
    )
)


# --- answering ----------------------------------------------------------------------------------


class _Rows(list[Any]):
    """The rows of a query, all fetched."""

    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list[Any]:
        return list(self)


class _Reader:
    """The store's connection for queries: a text SQLite cannot take matches nothing, and
    any other failure is the store's (`Store.failed`: removed, made again next time)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.connection = store.connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Rows:
        try:
            return _Rows(self.connection.execute(sql, parameters))
        except UnicodeEncodeError:  # a lone surrogate, from bytes that were not UTF-8
            return _Rows()
        except sqlite3.DatabaseError as exc:
            raise self.store.failed(exc) from None


class StoreNames:
    """A `dprkhr.names.NameStore` over the name tables of the store. Entries are numbered
    by their row (`n`); of records defined by several files, only the served one."""

    def __init__(self, source: StoreSource, kind: str) -> None:
        self.source = source
        self.db = source.db
        self.kind = kind
        self._tokens: list[str] | None = None
        self._keys: dict[int, str] | None = None

    def _ok(self, file: str) -> bool:
        return file not in self.source.hidden

    def label(self, record_id: str) -> str | None:
        for file, label in self.db.execute(
            "SELECT file, label FROM q_names WHERE kind = ? AND id = ? AND j = 0",
            (self.kind, record_id),
        ):
            if self._ok(file):
                return str(label)
        return None

    def count(self) -> int:
        return int(
            self.db.execute(
                "SELECT count(DISTINCT id) FROM q_names WHERE kind = ?", (self.kind,)
            ).fetchone()[0]
        )

    def ids_with(self, form: str) -> set[str]:
        return {
            ident
            for ident, file in self.db.execute(
                "SELECT id, file FROM q_names WHERE kind = ?1 AND norm = ?2 UNION "
                "SELECT id, file FROM q_names WHERE kind = ?1 AND key = ?2 UNION "
                "SELECT id, file FROM q_names WHERE kind = ?1 AND joined = ?2",
                (self.kind, form),
            )
            if self._ok(file)
        }

    def entries_with_token(self, token: str) -> set[int]:
        return {
            n
            for n, file in self.db.execute(
                "SELECT n, file FROM q_name_tokens WHERE kind = ? AND token = ?",
                (self.kind, token),
            )
            if self._ok(file)
        }

    def entry(self, index: int) -> NameEntry:
        row = self.db.execute(
            "SELECT id, name, norm, key FROM q_names WHERE n = ?", (index,)
        ).fetchone()
        if row is None:
            raise store_module.StoreError("a name entry is missing")
        return NameEntry(*row)

    def entries_of(self, record_id: str) -> list[NameEntry]:
        return [
            NameEntry(*row[:4])
            for row in self.db.execute(
                "SELECT id, name, norm, key, file FROM q_names WHERE kind = ? AND id = ? "
                "ORDER BY j",
                (self.kind, record_id),
            )
            if self._ok(row[4])
        ]

    def tokens_starting(self, prefix: str) -> list[str]:
        return [
            token
            for (token,) in self.db.execute(
                "SELECT DISTINCT token FROM q_name_tokens WHERE kind = ? AND token >= ? "
                "AND token < ? ORDER BY token",
                (self.kind, prefix, prefix + "\U0010ffff"),
            )
        ]

    def keys(self) -> dict[int, str]:
        """Entry number -> token-sorted name, in the order of the in-memory index (by id)."""
        if self._keys is None:
            self._keys = {
                n: key
                for n, key, file in self.db.execute(
                    "SELECT n, key, file FROM q_names WHERE kind = ? ORDER BY id, file, j",
                    (self.kind,),
                )
                if self._ok(file)
            }
        return self._keys

    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = [
                token
                for (token,) in self.db.execute(
                    "SELECT DISTINCT token FROM q_name_tokens WHERE kind = ? ORDER BY token",
                    (self.kind,),
                )
            ]
        return self._tokens


class _Postings:
    """`kb.events_by_actor`, `kb.resolutions_by_forum`... answered from the store."""

    def __init__(self, source: StoreSource, sql: str, make: Any) -> None:
        self.source = source
        self.sql = sql
        self.make = make

    def get(self, key: str, default: Any = None) -> list[Any]:
        return self.source.rows(self.sql, (key,), self.make)


class StoreSource:
    """The knowledge base as the query commands see it, answered from the store.

    It offers what `dprkhr.query` uses of a `KnowledgeBase` (`events`, `resolutions`, their
    postings by actor, sponsor and forum, `tags`, `event_types`, `forums`, `memo` for the
    name indexes, `actor`, and for `show` `get`, `forum_by_code`, `resolution_by_symbol`,
    `position`, `pointing_at`), with `EventRow`s, `ResolutionRow`s and `ActorRow`s for
    records in lists, and whole records (rebuilt from the store's JSON) where `show` needs
    them. `whole(rows)` gives the records of rows, to print them whole.
    """

    def __init__(
        self,
        store: Store,
        load_kb: Callable[[], KnowledgeBase],
        cwd: Path | None = None,
    ) -> None:
        self.store = store
        self.db = _Reader(store)
        self.load_kb = load_kb
        """The knowledge base, for the one query the tables cannot answer (a search for
        punctuation only, looked for as written)."""
        self.root = store.root
        self.cwd = cwd
        self._actors: dict[str, ActorRow | None] = {}
        self._records: dict[str, Record | None] = {}
        self._holding: dict[tuple[str, str], set[str]] = {}
        self.derived: dict[str, Any] = {}
        served = " AND file NOT IN (SELECT value FROM json_each(?2))" if self.hidden else ""
        self._hidden_json = json.dumps(sorted(self.hidden))
        self.events_by_actor = _Postings(
            self,
            f"SELECT {_EVENT_COLUMNS} FROM q_events WHERE file IN "
            f"(SELECT file FROM q_event_actors WHERE actor = ?1){served} {_EVENT_ORDER}",
            _event_row,
        )
        self.events_by_forum = _Postings(
            self,
            f"SELECT {_EVENT_COLUMNS} FROM q_events WHERE forum = ?1{served} {_EVENT_ORDER}",
            _event_row,
        )
        self.resolutions_by_forum = _Postings(
            self,
            f"SELECT {_RESOLUTION_COLUMNS} FROM q_resolutions WHERE forum = ?1{served} "
            f"{_RESOLUTION_ORDER}",
            _resolution_row,
        )
        self.resolutions_by_sponsor = _Postings(
            self,
            f"SELECT {_RESOLUTION_COLUMNS} FROM q_resolutions WHERE file IN "
            f"(SELECT file FROM q_sponsors WHERE sponsor = ?1){served} {_RESOLUTION_ORDER}",
            _resolution_row,
        )
        self._names = {
            f"names:{kind}": NameIndex.over(kind, StoreNames(self, kind))
            for kind in ("actor", "resolution")
        }

    def _display(self, relative: str) -> str:
        from dprkhr.layout import display_path

        top = display_path(self.root, self.cwd)
        return relative if top in ("", ".") else f"{top}/{relative}"

    @cached_property
    def failed_files(self) -> int:
        """How many files could not be loaded (queries answer from the rest)."""
        stored = self.db.execute("SELECT count(*) FROM records WHERE failed").fetchone()[
            0
        ]  # (an index)
        return int(stored) + len(self.store.unstored)

    @cached_property
    def duplicates(self) -> list[str]:
        """What queries warn about which files answer, as `KnowledgeBase.duplicates`: each
        folder that could not be read, and for each id that more than one file defines,
        which file is served and which are ignored."""
        from dprkhr.layout import UNREADABLE_FOLDER

        out = [
            f"the folder {self._display(relative)} cannot be read: the records in it are "
            "left out; run `dprkhr lint`"
            for _path, kind, relative in self.store.unstored
            if kind == UNREADABLE_FOLDER
        ]
        for record_id, files in self._defined_twice():
            served = self._served_of(record_id, files)
            ignored = ", ".join(self._display(f) for f in files if f != served)
            out.append(
                f"id `{record_id}` is defined by more than one file: serving "
                f"{self._display(served)}, ignoring {ignored}; run `dprkhr lint`"
            )
        return out

    def _defined_twice(self) -> list[tuple[str, list[str]]]:
        """Ids that several files define, in the order of their first file, with the files."""
        found = []
        for (record_id,) in self.db.execute(
            "SELECT id FROM q_twice ORDER BY (SELECT min(file) FROM q_records r WHERE r.id = "
            "q_twice.id)"
        ):
            files = [
                f
                for (f,) in self.db.execute(
                    "SELECT file FROM q_records WHERE id = ? ORDER BY file",
                    (record_id,),
                )
            ]
            found.append((record_id, files))
        return found

    @staticmethod
    def _served_of(record_id: str, files: list[str]) -> str:
        return preferred_file(record_id, files)

    @cached_property
    def hidden(self) -> set[str]:
        """Files whose record is not served: another file defines the same id and is
        preferred (the id's own file, else the first in path order; lint reports it)."""
        out: set[str] = set()
        for record_id, files in self._defined_twice():
            served = self._served_of(record_id, files)
            out.update(f for f in files if f != served)
        return out

    def rows(self, sql: str, parameters: Sequence[Any] = (), make: Any = None) -> list[Any]:
        """Rows (as `make` builds them) from a query; `?2` is the list of hidden files."""
        if "?2" in sql:
            parameters = (*parameters, self._hidden_json)
        make = make or _event_row
        rows = self.db.execute(sql, parameters)
        try:
            return [make(row) for row in rows]
        except (
            ValueError,
            TypeError,
            AttributeError,
        ) as exc:  # a value of the wrong shape
            raise self.store.failed(sqlite3.DatabaseError(f"damaged row: {exc}")) from None

    @cached_property
    def events(self) -> list[EventRow]:
        """Every event, in the knowledge base's order (by date)."""
        where = " WHERE file NOT IN (SELECT value FROM json_each(?1))" if self.hidden else ""
        params = (self._hidden_json,) if self.hidden else ()
        return self.rows(f"SELECT {_EVENT_COLUMNS} FROM q_events{where} {_EVENT_ORDER}", params)

    @cached_property
    def resolutions(self) -> list[ResolutionRow]:
        """Every resolution, in the knowledge base's order (by date, undated last)."""
        where = " WHERE file NOT IN (SELECT value FROM json_each(?1))" if self.hidden else ""
        params = (self._hidden_json,) if self.hidden else ()
        return self.rows(
            f"SELECT {_RESOLUTION_COLUMNS} FROM q_resolutions{where} {_RESOLUTION_ORDER}",
            params,
            _resolution_row,
        )

    def facts(self, kind: str, rows: Sequence[Any] | None = None) -> Counter[Facts]:
        """What `stats` counts of every served record of a kind, or of `rows` from this
        source: how many records have each `Facts`, counted in the records table."""
        from dprkhr.query import Facts

        year = "CASE WHEN r.undated THEN NULL ELSE CAST(substr(r.start, 1, 4) AS INTEGER) END"
        joined = "JOIN q_events e ON e.file = r.file" if kind == "event" else ""
        sql = (
            f"SELECT r.forum, {'e.type' if joined else 'NULL'}, {year}, r.cites > 0, "
            f"r.cites > 1, count(*) FROM q_records r {joined} WHERE "
        )
        if rows is None:
            hidden = " AND r.file NOT IN (SELECT value FROM json_each(?2))" if self.hidden else ""
            found = self.rows(f"{sql}r.type = ?1{hidden} GROUP BY 1, 2, 3, 4, 5", (kind,), tuple)
        else:
            files = json.dumps([row.file for row in rows])
            found = self.rows(
                f"{sql}r.file IN (SELECT value FROM json_each(?)) GROUP BY 1, 2, 3, 4, 5",
                (files,),
                tuple,
            )
        return Counter(
            {
                Facts(forum, type_, year, bool(cited), bool(quoted)): n
                for forum, type_, year, cited, quoted, n in found
            }
        )

    # --- vocabularies (small: validated from the store's JSON on first use) --------------------

    def _vocab(self, name: str) -> Any:
        from dprkhr.models import VOCAB_FILES

        rows = self.store.rows([name])
        row = rows.get(name)
        if row is None or not row.validated:
            return None
        return VOCAB_FILES[name].model_validate(row.data)

    @cached_property
    def forums(self) -> list[Forum]:
        found = self._vocab("forums.yaml")
        return list(found.forums) if found is not None else []

    @cached_property
    def forum_by_code(self) -> dict[str, Forum]:
        return {f.code: f for f in self.forums}

    @cached_property
    def tags(self) -> list[Any]:
        found = self._vocab("tags.yaml")
        return list(found.tags) if found is not None else []

    @cached_property
    def event_types(self) -> list[Any]:
        found = self._vocab("event-types.yaml")
        return list(found.event_types) if found is not None else []

    @cached_property
    def participant_roles(self) -> list[str]:
        """Every role a participant has in an event, folded, sorted."""
        return sorted(
            {
                normalize(v)
                for (v,) in self.db.execute(
                    "SELECT DISTINCT value FROM q_labels WHERE kind = 'participant-role'"
                )
            }
        )

    def labels(self, kind: str) -> list[str]:
        """Role titles (`role`) or participant roles (`participant-role`), most used first."""
        return [
            value
            for value, _n in self.db.execute(
                "SELECT value, count(*) AS n FROM q_labels WHERE kind = ? GROUP BY value "
                "ORDER BY n DESC, value",
                (kind,),
            )
        ]

    def memo(self, key: str, build: Any) -> Any:
        """The name indexes of actors and resolutions are in the store; the forums' is
        made from `forums.yaml`; anything else is built once, as the knowledge base does."""
        if key in self._names:
            return self._names[key]
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]

    # --- records ----------------------------------------------------------------------------

    def actor(self, actor_id: str) -> ActorRow | None:
        if actor_id not in self._actors:
            found = None
            for file, ident, name, kind in self.db.execute(
                "SELECT file, id, name, kind FROM q_actors WHERE id = ? ORDER BY file",
                (actor_id,),
            ):
                if file not in self.hidden:
                    found = ActorRow(ident, name, kind)
            self._actors[actor_id] = found
        return self._actors[actor_id]

    def actor_records(self, ids: Sequence[str] | None = None) -> list[ActorDetail]:
        """The actors with these ids (those there are, in that order), or every actor (by
        id), as `ActorDetail` rows."""
        sql = "SELECT id, file, name, kind, country, roles FROM q_actors"
        if ids is None:
            found = self.rows(f"{sql} ORDER BY id, file", (), _actor_detail)
        else:
            found = self.rows(
                f"{sql} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id, file",
                (json.dumps(list(ids)),),
                _actor_detail,
            )
        served = [a for a in found if a.file not in self.hidden]
        if ids is None:
            return served
        by_id = {a.id: a for a in served}
        return [by_id[i] for i in ids if i in by_id]

    def ballot_data(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """`dprkhr.votes.ballot_data` of every resolution and vote event (or of those with
        these ids), from the ballots table."""
        sql = "SELECT file, data FROM q_ballots"
        if ids is None:
            found = self.db.execute(f"{sql} ORDER BY file")
        else:
            found = self.db.execute(
                f"{sql} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY file",
                (json.dumps(list(ids)),),
            )
        try:
            return [json.loads(data) for file, data in found if file not in self.hidden]
        except ValueError as exc:
            raise self.store.failed(sqlite3.DatabaseError(f"damaged row: {exc}")) from None

    def statement_events(self, actor_id: str | None = None) -> list[EventRow]:
        """The `statement` events (of an actor), by date."""
        served = " AND file NOT IN (SELECT value FROM json_each(?2))" if self.hidden else ""
        among = (
            ""
            if actor_id is None
            else " AND file IN (SELECT file FROM q_event_actors WHERE actor = ?1)"
        )
        return self.rows(
            f"SELECT {_EVENT_COLUMNS} FROM q_events WHERE type = 'statement'{among}{served} "
            f"{_EVENT_ORDER}",
            (actor_id or "",) if among or served else (),
        )

    def event_counts(self) -> dict[str, int]:
        """How many events each actor takes part in, by actor id."""
        served = " WHERE file NOT IN (SELECT value FROM json_each(?))" if self.hidden else ""
        params = (self._hidden_json,) if self.hidden else ()
        found = self.db.execute(
            f"SELECT actor, count(*) FROM q_event_actors{served} GROUP BY actor", params
        )
        return {actor: int(n) for actor, n in found}

    def prefetch_actors(self, rows: Iterable[EventRow]) -> None:
        """Look up every participant of `rows` now, so that printing them asks nothing."""
        wanted = {p.actor for row in rows for p in row.participants if p.actor not in self._actors}
        if not wanted:
            return
        for file, ident, name, kind in self.db.execute(
            "SELECT file, id, name, kind FROM q_actors WHERE id IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),),
        ):
            if file not in self.hidden:
                self._actors[ident] = ActorRow(ident, name, kind)
        for ident in wanted:
            self._actors.setdefault(ident, None)

    def _files_of(self, files: Sequence[str]) -> list[Record]:
        from dprkhr.models import RECORD_TYPES

        rows = self.store.rows(files)
        out = []
        for file in files:
            row = rows.get(file)
            try:
                if row is None or not row.validated or row.data is None:
                    raise ValueError(f"{file} is missing")
                out.append(RECORD_TYPES[row.kind].model_validate(row.data))
            except ValueError as exc:  # (a ValidationError too)
                raise self.store.failed(sqlite3.DatabaseError(f"damaged row: {exc}")) from None
        return out

    def whole(self, rows: Sequence[Any]) -> list[Any]:
        """The records of rows (events, resolutions, search hits), validated again from
        the store; records among them are kept as they are."""
        files = [row.file for row in rows if isinstance(row, _ROWS)]
        records = iter(self._files_of(files))
        return [next(records) if isinstance(row, _ROWS) else row for row in rows]

    def stream(self, kind: str, ids: Collection[str] | None = None) -> StoredRecords:
        """Every served record of a kind (with one of these ids), in the knowledge base's
        order (events and resolutions by date, actors and sources by id), validated from
        the store a few hundred at a time as they are read: memory holds one part."""
        order = {"event": _EVENT_ORDER, "resolution": _RESOLUTION_ORDER}.get(kind)
        files = [
            f
            for f, ident in self.db.execute(
                f"SELECT file, id FROM q_records WHERE type = ? {order or 'ORDER BY id, file'}",
                (kind,),
            )
            if f not in self.hidden and (ids is None or ident in ids)
        ]
        return StoredRecords(self, files)

    def get(self, record_id: str) -> Record | None:
        if record_id not in self._records:
            files = [
                f
                for (f,) in self.db.execute(
                    "SELECT file FROM q_records WHERE id = ? ORDER BY file",
                    (record_id,),
                )
                if f not in self.hidden
            ]
            self._records[record_id] = self._files_of(files[:1])[0] if files else None
        return self._records[record_id]

    def resolution_by_symbol(self, folded: str) -> Record | None:
        for ident, file in self.db.execute(
            f"SELECT id, file FROM q_resolutions WHERE folded = ? {_RESOLUTION_ORDER}",
            (folded,),
        ):
            if file not in self.hidden:
                return self.get(ident)
        return None

    def position(self, record: Record) -> tuple[Any, ...]:
        """A sort key giving the order of the record's type (events and resolutions by date,
        undated last; actors and sources by id)."""
        date = getattr(record, "date", None)
        if date is None:
            return (1, "", "", record.id)
        return (0, date.start.isoformat(), date.end.isoformat(), record.id)

    def pointing_at(self, record_id: str) -> list[Backlink]:
        from dprkhr.kb import Backlink

        found = []
        for ident, kind, field, file in self.db.execute(
            "SELECT e.id, 'event', 'participants', e.file FROM q_event_actors a "
            "JOIN q_events e ON e.file = a.file WHERE a.actor = ?1 "
            "UNION ALL SELECT r.id, r.type, f.field, r.file FROM q_refs f "
            "JOIN q_records r ON r.file = f.file WHERE f.target = ?1",
            (record_id,),
        ):
            if file not in self.hidden:
                found.append(Backlink(ident, kind, field))
        return found

    def _of_forum(self, kind: str, code: str) -> list[Record]:
        files = [
            f
            for (f,) in self.db.execute(
                "SELECT file FROM q_records WHERE type = ? AND forum = ? "
                "ORDER BY undated, start, finish, id, file",
                (kind, code),
            )
            if f not in self.hidden
        ]
        return self._files_of(files)

    def forum_events(self, code: str) -> list[Event]:
        """The events of a forum, by date (whole records)."""
        from dprkhr.models import Event

        return [r for r in self._of_forum("event", code) if isinstance(r, Event)]

    def forum_resolutions(self, code: str) -> list[Resolution]:
        """The resolutions of a forum, by date (whole records)."""
        from dprkhr.models import Resolution

        return [r for r in self._of_forum("resolution", code) if isinstance(r, Resolution)]

    def name_records(self, kind: str) -> Iterable[tuple[str, str, Iterable[str]]]:
        """(id, label, other names) of the actors, forums or resolutions, as the name
        indexes take them (`dprkhr.names`), in the knowledge base's order."""
        if kind == "forum":
            return [(f.code, f.name, f.all_names()) for f in self.forums]
        if kind == "actor":
            return [
                (record_id, label, json.loads(names))
                for record_id, label, names, file in self.db.execute(
                    "SELECT id, name, names, file FROM q_actors ORDER BY id, file"
                )
                if file not in self.hidden
            ]
        return [
            (record_id, symbol or record_id, [symbol] if symbol else [])
            for record_id, symbol, file in self.db.execute(
                f"SELECT id, symbol, file FROM q_resolutions {_RESOLUTION_ORDER}"
            )
            if file not in self.hidden
        ]

    def completion_entries(self, kind: str) -> Iterator[tuple[str, str, list[str]]]:
        """(value, description, other names) of what shell completion offers for a kind."""
        if kind in ("actor", "forum", "resolution"):
            for record_id, label, names in self.name_records(kind):
                yield record_id, label, list(names)
        elif kind == "source":
            for (record_id,) in self.db.execute(
                "SELECT DISTINCT id FROM q_records WHERE type = 'source' ORDER BY id"
            ):
                yield record_id, "", []
        elif kind == "record":
            for record_id, record_type, label, file in self.db.execute(
                "SELECT id, type, label, file FROM q_records ORDER BY id, file"
            ):
                if file in self.hidden:
                    continue
                yield record_id, f"{record_type}: {label}" if label else record_type, []
        elif kind in ("role", "participant-role"):
            for value in self.labels(kind):
                yield value, "", []
        elif kind == "tag":
            for tag in self.tags:
                yield tag.id, tag.name, [tag.name]
        elif kind == "event-type":
            for event_type in self.event_types:
                yield event_type.id, event_type.name, [event_type.name]

    # --- search ---------------------------------------------------------------------------------

    def search(self, text: str, types: Sequence[str] = ()) -> SearchResult:
        """`dprkhr.textmatch.search`, answered from the search tables: the same hits, near
        matches, missing words and corrections. The full-text index only narrows the fields
        to look at (it holds every word of a field as the folded field does, so it never
        misses one); every field it offers is then tested exactly as in memory."""
        from dprkhr.textmatch import RECORD_TYPES, TextQuery

        query = TextQuery.parse(text)
        wanted_types = [t for t in RECORD_TYPES if not types or t in types]
        if query.literal is not None:
            return self.load_kb().search(text, types)
        return _StoreSearch(self, query, wanted_types).run()

    def text_holds(self, record: Any, query: TextQuery) -> bool:
        """Whether a row holds the words of `--text` as `textmatch.record_holds` tells it:
        one field holds every word (found through the search tables, once per query and
        type). Text looked for as written (punctuation only) is looked for in the fields
        of the records of the type, read part by part."""
        key = (record.record_type, query.text)
        if key not in self._holding:
            kind = record.record_type
            if query.literal is not None:
                self._holding[key] = self._holding_literal(kind, query.literal)
            else:
                self._holding[key] = _StoreSearch(self, query, [kind]).holding()
        return record.file in self._holding[key]

    def _holding_literal(self, kind: str, literal: str) -> set[str]:
        from dprkhr.textmatch import record_fields

        records = self.stream(kind)
        return {
            file
            for file, record in zip(records.files, records, strict=True)
            if any(literal in text.casefold() for _f, text in record_fields(record, self.tag_names))
        }

    def missing_words(self, record_type: str, query: TextQuery) -> list[str]:
        """The words of the query that no record of the type holds, in any form."""
        from dprkhr.textmatch import forms

        search = _StoreSearch(self, query, [record_type])
        return [w for w in query.words if not search._held_anywhere(forms(w))]

    @cached_property
    def tag_names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.tags}


class StoredRecords(Sequence["Record"]):
    """Records of the store, in a given order of their files, validated part by part as
    they are iterated (`StoreSource.stream`)."""

    PART = 500

    def __init__(self, source: StoreSource, files: list[str]) -> None:
        self.source = source
        self.files = files

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Record]:
        for start in range(0, len(self.files), self.PART):
            yield from self.source._files_of(self.files[start : start + self.PART])

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return self.source._files_of(self.files[index])
        return self.source._files_of([self.files[index]])[0]


class SearchRow:
    """A record found by `search`, as the store keeps it: enough to rank, sort and count
    hits; `StoreSource.whole` gives the records of those shown. Its date is read only
    when asked for (`search --sort date`)."""

    __slots__ = ("_day", "_tags", "file", "id", "record_type")

    def __init__(self, record_type: str, ident: str, file: str, day: str | None, tags: str):
        self.record_type = record_type
        self.id = ident
        self.file = file
        self._day = day
        self._tags = tags

    @property
    def tags(self) -> list[str]:
        return self._tags.split()

    @property
    def date(self) -> PartialDate | None:
        """An event's or a resolution's date."""
        return PartialDate(self._day) if self._day and self.record_type != "source" else None

    @property
    def published(self) -> PartialDate | None:
        """A source's date."""
        return PartialDate(self._day) if self._day and self.record_type == "source" else None


_ROWS = (EventRow, ResolutionRow, SearchRow, ActorDetail)


def _fts(options: Iterable[Iterable[str]]) -> str:
    """An FTS5 query: every group holds one of its terms (each a phrase of its tokens)."""
    groups = []
    for group in options:
        terms = " OR ".join('"' + term.replace('"', '""') + '"' for term in dict.fromkeys(group))
        groups.append(f"({terms})")
    return " AND ".join(groups)


class _StoreSearch:
    """One `search` over the store's search tables."""

    def __init__(self, source: StoreSource, query: Any, types: list[str]) -> None:
        self.source = source
        self.db = source.db
        self.query = query
        self.types = types
        self.type_list = json.dumps(types)
        self.all_types = len(types) == 4

    def _match(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
        """The rows of a full-text query; none for a term FTS5 cannot take (no field holds
        it); a damaged store is reported as such."""
        try:
            return self.source.store.connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" not in str(exc):
                raise self.source.store.failed(exc) from None
            return []
        except sqlite3.DatabaseError as exc:
            raise self.source.store.failed(exc) from None

    def _fields(self, groups: Sequence[Sequence[str]]) -> dict[str, list[tuple[int, str, str]]]:
        """By file, the (position, field, folded text) of every field of the wanted types
        that the full-text index says may hold a term of each group, and of every tag
        field whose tag name may (both to be tested exactly by the caller)."""
        out: dict[str, list[tuple[int, str, str]]] = {}
        hidden = self.source.hidden
        sql = (
            "SELECT t.file, t.i, t.field, t.folded FROM q_search s JOIN q_text t ON t.n = s.rowid "
            "WHERE q_search MATCH ?1"
        )
        if not self.all_types:
            sql += " AND t.type IN (SELECT value FROM json_each(?2))"
        params: tuple[Any, ...] = (_fts(groups),)
        if not self.all_types:
            params += (self.type_list,)
        rows = self._match(sql, params)
        for file, i, field, folded in rows:
            if file not in hidden:
                out.setdefault(file, []).append((i, field, folded))
        for file, fields in self._tag_fields(groups).items():
            out.setdefault(file, []).extend(fields)
        for fields in out.values():
            fields.sort()
        return out

    def _scored(
        self, words: Sequence[str], want: Sequence[Sequence[str]]
    ) -> tuple[dict[str, tuple[float, int, str]], dict[str, SearchRow]]:
        """By file, the best field that holds every word (its score as `textmatch._score`
        gives it, its position, its name), for the fields the search table holds: found
        by the full-text index and tested exactly in SQL (a folded field is words with
        single spaces, so a word of it is ` word ` in ` field `); and the rows of those
        files. One statement; the best field of each file is picked here (highest score,
        then first position), which costs less than having SQL sort every field."""
        from dprkhr.textmatch import FIELD_WEIGHT

        phrase = " ".join(words)
        holds = " AND ".join(
            "(" + " OR ".join("instr(' ' || t.folded || ' ', ?) > 0" for _f in group) + ")"
            for group in want
        )
        weight = " ".join(
            f"WHEN '{name}' THEN {value * 10!r}" for name, value in FIELD_WEIGHT.items()
        )
        score = (
            f"(CASE t.field {weight} ELSE 0 END) + (CASE WHEN instr(' ' || t.folded || ' ', :bounded) > 0 "
            "THEN 10 + (CASE WHEN t.folded = :phrase THEN 20 "
            "WHEN substr(t.folded, 1, length(:phrase)) = :phrase THEN 5 ELSE 0 END) ELSE 0 END)"
        )
        types = "" if self.all_types else " AND t.type IN (SELECT value FROM json_each(:types))"
        sql = (
            f"SELECT t.file, t.i, t.field, {score}, r.type, r.id, r.day, r.tags FROM q_search s "
            "JOIN q_text t ON t.n = s.rowid JOIN q_records r ON r.file = t.file "
            f"WHERE q_search MATCH :match{types} AND {holds.replace('?', ':w{}')}"
        )
        params: dict[str, Any] = {
            "bounded": f" {phrase} ",
            "phrase": phrase,
            "match": _fts(want),
        }
        n = 0
        for group in want:
            for form in group:
                sql = sql.replace(":w{}", f":w{n}", 1)
                params[f"w{n}"] = f" {form} "
                n += 1
        if not self.all_types:
            params["types"] = self.type_list
        hidden = self.source.hidden
        best: dict[str, tuple[float, int, str]] = {}
        rows: dict[str, SearchRow] = {}
        for file, i, field, value, kind, ident, day, tags in self._match(sql, params):
            current = best.get(file)
            value = float(value)
            if current is None:
                if file in hidden:
                    continue
                rows[file] = SearchRow(kind, ident, file, day, tags)
            elif value < current[0] or (value == current[0] and i > current[1]):
                continue
            best[file] = (value, i, field)
        return best, rows

    def _tag_fields(self, groups: Sequence[Sequence[str]]) -> dict[str, list[tuple[int, str, str]]]:
        """By file, the tag fields whose tag's name may hold a term of each group (their
        name in `tags.yaml` now: to be tested exactly by the caller)."""
        out: dict[str, list[tuple[int, str, str]]] = {}
        hidden = self.source.hidden
        tags = self.source.tag_names
        used = [
            t for (t,) in self.db.execute("SELECT DISTINCT tag FROM q_text WHERE tag IS NOT NULL")
        ]
        named = {t: normalize(tags.get(t, t)) for t in used}
        fitting = [
            t for t, folded in named.items() if all(any(o in folded for o in g) for g in groups)
        ]
        if fitting:
            sql = "SELECT file, i, tag, type FROM q_text WHERE tag IN (SELECT value FROM json_each(?))"
            for file, i, tag, kind in self.db.execute(sql, (json.dumps(fitting),)):
                if file not in hidden and kind in self.types:
                    out.setdefault(file, []).append((i, "tag", named[tag]))
        return out

    def _rows(self, files: Iterable[str]) -> dict[str, SearchRow]:
        return {
            file: SearchRow(kind, ident, file, day, tags)
            for file, kind, ident, day, tags in self.db.execute(
                "SELECT file, type, id, day, tags FROM q_records WHERE file IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(list(files)),),
            )
        }

    def _rank(self, hits: list[Any]) -> None:
        from dprkhr.textmatch import RECORD_TYPES

        order = {t: i for i, t in enumerate(RECORD_TYPES)}
        hits.sort(key=lambda h: (-h.score, order[h.record_type], h.record.id))

    def run(self) -> SearchResult:
        from dprkhr.textmatch import (
            SearchHit,
            SearchResult,
            _close_words,
            _score,
            field_holds,
            wanted,
        )
        from dprkhr.textmatch import forms as forms_of

        words = self.query.words
        want = wanted(words)
        best, rows = self._scored(words, want)
        for file, fields in self._tag_fields(want).items():
            for i, field, folded in fields:
                if field_holds(want, folded):
                    score, _name = _score(words, [(field, folded)])
                    current = best.get(file)
                    if current is None or (score, -i) > (current[0], -current[1]):
                        best[file] = (score, i, field)
        missing = [f for f in best if f not in rows]  # (found by a tag's name only)
        if missing:
            rows.update(self._rows(missing))
        # a row stands for the record until it is shown (`StoreSource.whole`)
        hits = [SearchHit(rows[f], score, field) for f, (score, _i, field) in best.items()]  # type: ignore[arg-type]
        self._rank(hits)
        result = SearchResult(self.query.text, words, hits, [], [], {})
        if hits:
            return result
        result.missing = [w for w in words if not self._held_anywhere(forms_of(w))]
        result.corrections = {w: _close_words(w, self._vocabulary(w)) for w in result.missing}
        if not result.missing or not all(result.corrections.values()):
            return result
        choices = [[w, *result.corrections.get(w, [])] for w in words]
        groups = [[f for option in options for f in forms_of(option)] for options in choices]
        near_fields = self._fields(groups)
        rows = self._rows(near_fields)
        from dprkhr.textmatch import holds

        near = []
        for file, fields in near_fields.items():
            top: SearchHit | None = None
            for _i, field, folded in fields:
                held = set(folded.split())
                chosen = [next((o for o in options if holds([o], held)), "") for options in choices]
                if not all(chosen):
                    continue
                score, name = _score(chosen, [(field, folded)])
                if top is None or score / 10 > top.score:
                    # a row stands for the record until it is shown (`StoreSource.whole`)
                    top = SearchHit(rows[file], round(score / 10, 1), name, near=True)  # type: ignore[arg-type]
            if top is not None:
                near.append(top)
        self._rank(near)
        result.near = near
        return result

    def holding(self) -> set[str]:
        """The files of which one field holds every word of the query."""
        from dprkhr.textmatch import field_holds, wanted

        want = wanted(self.query.words)
        found = set(self._scored(self.query.words, want)[0])
        for file, fields in self._tag_fields(want).items():
            if any(field_holds(want, folded) for _i, _field, folded in fields):
                found.add(file)
        return found

    def _held_anywhere(self, forms: Sequence[str]) -> bool:
        """Whether some field of the wanted types holds one of these forms as a word."""
        for fields in self._fields([forms]).values():
            for _i, _field, folded in fields:
                held = folded.split()
                if any(f in held for f in forms):
                    return True
        return False

    def _vocabulary(self, word: str) -> frozenset[str]:
        """The words of the wanted types that `_close_words` may offer for `word` (those of
        about its length): from the full-text index's vocabulary and the tags' names."""
        size = len(word)
        terms = [
            term
            for (term,) in self.db.execute(
                "SELECT term FROM q_search_vocab WHERE length(term) BETWEEN ? AND ?",
                (size - 2, size + 2),
            )
        ]
        names = self.source.tag_names
        for (tag,) in self.db.execute(
            "SELECT DISTINCT tag FROM q_text WHERE tag IS NOT NULL AND type IN "
            "(SELECT value FROM json_each(?))",
            (self.type_list,),
        ):
            terms += [t for t in normalize(names.get(tag, tag)).split() if abs(len(t) - size) <= 2]
        if self.all_types:
            return frozenset(terms)
        return frozenset(t for t in dict.fromkeys(terms) if self._held_anywhere([t]))
