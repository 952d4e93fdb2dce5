"""A persisted query index, so that a warm `events`, `resolutions`, `timeline`, `related`
or `show` answers without loading every record.

A run of one of them that has to load the whole dataset (with the cache on) writes the
index: for every event the facts that its filters and its table need (dates, forum,
type, tags, participants, resolutions, title, file), and the same for resolutions
(forum, session, adoption, sponsors, tags, symbol, title); every record's type, file and
place in date order; the references between records (for `show`); the vocabularies; and
the name indexes of actors, forums and resolutions. The next query opens it only if the
dataset is exactly as it was when the index was made: the same files with the same `dprkhr.fsio.stamp`
(size, modification and change times, inode, device), and, for any file modified within
two seconds of that moment or after it, the same content (the "racily clean" check of `dprkhr.cache`). Anything
else (a file edited, added or removed, other code, a damaged or foreign index) and the
index is not used: the query loads the dataset as usual and writes a new one.

The index is an SQLite database (standard library), one per data root, in the cache
folder beside the records cache. A look-up reads a few pages of it: resolving a name and
listing an actor's events costs milliseconds however large the dataset. Records are
built (from their files, validated) only when a command prints them whole: `show`, or
`events`, `resolutions` and `timeline` as json, jsonl or yaml (and the first two as csv); when that would mean reading more files one by one
than loading the dataset costs, the command loads the dataset instead. The index is
written to a temporary file that replaces the old one atomically.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sqlite3
import sys
import time
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from dprkhr import fsio
from dprkhr.cache import RACY_NS, cache_file, content_digest, fingerprint
from dprkhr.dates import PartialDate
from dprkhr.errors import DprkhrError
from dprkhr.fsio import RECORD_LIMIT, read_regular
from dprkhr.layout import stat_all
from dprkhr.names import NameEntry, NameIndex

if TYPE_CHECKING:
    from dprkhr.dataset import Dataset
    from dprkhr.kb import Backlink, KnowledgeBase
    from dprkhr.models import Forum, Record

FORMAT = 2
_CODE_FILES = ("index.py", "names.py", "kb.py", "layout.py", "completion.py")
"""Besides the records cache's own: the code that shapes what the index holds."""

NAME_KINDS = ("actor", "forum", "resolution")


READ_COST = 4
"""Reading one record from its file costs about this many records loaded from the cache."""


class StaleIndex(DprkhrError):
    """The index cannot answer: a record it points at changed while the query ran, it is
    damaged, or reading the records asked for one by one would cost more than loading the
    dataset. The command then answers from the records."""


def index_file(root: Path) -> Path:
    records = cache_file(root)
    return records.with_name(records.name.replace("records-", "index-", 1).replace(".json", ".db"))


def index_fingerprint() -> str:
    """Changes with the code that shapes the index, and with Python (names are folded with
    its Unicode database)."""
    here = Path(__file__).resolve().parent
    seed = f"{FORMAT}:{fingerprint()}:{sys.version}:{unicodedata.unidata_version}"
    digest = hashlib.blake2b(seed.encode(), digest_size=16)
    for name in _CODE_FILES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


# --- what the dataset looks like on disk ------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Every file of a data root with its size and modification time, taken at one moment
    (before the dataset is read, so that an index written from what was read can only be
    older than the files, never newer: then it is not used)."""

    signature: str
    """A digest of the list of (path, size, modification time)."""
    taken_ns: int
    recent: dict[str, str]
    """Content digests of the files modified within `RACY_NS` of `taken_ns`, by path from
    the root: their times cannot tell a later edit apart, so their content is compared."""


def snapshot(root: Path) -> Snapshot | None:
    """The state of every file under `root` now; None if the folder cannot be listed."""
    taken_ns = time.time_ns()
    try:
        files = stat_all(root)
        threshold = taken_ns - RACY_NS
        top = os.fspath(root)
        recent = {}
        for relative, mtime in zip(files.paths, files.mtimes, strict=True):
            if mtime >= threshold:  # as `dprkhr.fsio.racy`
                recent[relative] = _digest_of(os.path.join(top, relative))
    except OSError:
        return None
    # a canonical encoding (marshal's output depends on object identity, not just values)
    digest = hashlib.blake2b(digest_size=20)
    digest.update("\n".join(files.paths).encode("utf-8", "surrogateescape"))
    digest.update(array("q", files.sizes).tobytes())
    digest.update(array("q", files.mtimes).tobytes())
    digest.update(array("q", files.ctimes).tobytes())
    digest.update(array("Q", files.inodes).tobytes())
    digest.update(array("Q", files.devices).tobytes())
    return Snapshot(digest.hexdigest(), taken_ns, recent)


def _digest_of(path: str | Path) -> str:
    """A file's content digest; for a file that cannot be read, a value that never
    matches (so an index is never trusted for it)."""
    try:
        return content_digest(read_regular(path, RECORD_LIMIT)[1])
    except OSError:
        return f"unreadable {time.time_ns()}"


# --- the rows ---------------------------------------------------------------------------------


class Named(NamedTuple):
    """A tag or event type as a vocabulary look-up needs it."""

    id: str
    name: str
    activity: bool
    """Whether it counts as a forum's activity (`timeline --gaps`; see `EventType`, `Tag`)."""


class ForumRow(NamedTuple):
    """A forum's lifetime, as `timeline --gaps` reads it."""

    code: str
    established: PartialDate | None
    abolished: PartialDate | None


class ActorRow(NamedTuple):
    """An actor as the events table and `related` show it."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class EventRow:
    """What the index keeps of an event: enough to filter it and print it as a table row
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
    actor_ids: list[str]
    resolutions: list[str]
    roles: list[str | None]
    """The participants' roles, in the order of `actor_ids` (None: not recorded)."""


@dataclass(frozen=True, slots=True)
class ResolutionRow:
    """What the index keeps of a resolution: enough for `filter_resolutions` and the
    timeline (`text`, which reads summaries, is answered from the records)."""

    record_type: ClassVar[str] = "resolution"
    id: str
    file: str
    date: PartialDate | None
    forum: str | None
    session: str | None
    """As text: filters compare it as text."""
    adoption_method: str | None
    vote_counts: tuple[int | None, int | None, int | None] | None
    symbol: str | None
    title: str | None
    summary: str | None
    """Kept only for a resolution without a title (the table shows it instead)."""
    sponsors: list[str]
    tags: list[str]


_EVENT_COLUMNS = "id, file, date, end_date, forum, type, title, tags, actors, resolutions, roles"
_RESOLUTION_COLUMNS = (
    "id, file, date, forum, session, method, votes, symbol, title, summary, sponsors, tags"
)


def _date(text: str | None) -> PartialDate | None:
    return None if text is None else PartialDate(text)


def _event_row(row: Sequence[Any]) -> EventRow:
    ident, file, date, end_date, forum, type_, title, tags, actors, resolutions, roles = row
    return EventRow(
        ident,
        file,
        PartialDate(date),
        PartialDate(end_date) if end_date else None,
        forum,
        type_,
        title,
        tags.split(),
        actors.split(),
        resolutions.split(),
        json.loads(roles),
    )


def _resolution_row(row: Sequence[Any]) -> ResolutionRow:
    ident, file, date, forum, session, method, votes, symbol, title, summary, sponsors, tags = row
    return ResolutionRow(
        ident,
        file,
        PartialDate(date) if date else None,
        forum,
        session,
        method,
        None if votes is None else tuple(json.loads(votes)),
        symbol,
        title,
        summary,
        sponsors.split(),
        tags.split(),
    )


# --- writing ----------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, file TEXT NOT NULL, date TEXT NOT NULL,
    end_date TEXT, forum TEXT, type TEXT NOT NULL, title TEXT NOT NULL,
    tags TEXT NOT NULL, actors TEXT NOT NULL, resolutions TEXT NOT NULL, roles TEXT NOT NULL
);
CREATE TABLE event_actors (actor TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE resolutions (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, file TEXT NOT NULL, date TEXT, forum TEXT,
    session TEXT, method TEXT, votes TEXT, symbol TEXT, title TEXT, summary TEXT,
    sponsors TEXT NOT NULL, tags TEXT NOT NULL
);
CREATE TABLE resolution_sponsors (sponsor TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE records (
    id TEXT NOT NULL, type TEXT NOT NULL, file TEXT NOT NULL, n INTEGER NOT NULL, forum TEXT
);
CREATE TABLE refs (target TEXT NOT NULL, source TEXT NOT NULL, field TEXT NOT NULL);
CREATE TABLE symbols (folded TEXT NOT NULL, n INTEGER NOT NULL, id TEXT NOT NULL);
CREATE TABLE actors (id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE vocab (
    kind TEXT NOT NULL, n INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    activity INTEGER NOT NULL
);
CREATE TABLE forums (n INTEGER NOT NULL, code TEXT NOT NULL, established TEXT, abolished TEXT);
CREATE TABLE name_labels (kind TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE name_entries (
    kind TEXT NOT NULL, i INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    norm TEXT NOT NULL, key TEXT NOT NULL
);
CREATE TABLE name_forms (kind TEXT NOT NULL, form TEXT NOT NULL, id TEXT NOT NULL);
CREATE TABLE name_tokens (kind TEXT NOT NULL, token TEXT NOT NULL, i INTEGER NOT NULL);
"""

_INDEXES = """
CREATE INDEX events_forum ON events (forum, n);
CREATE INDEX resolutions_forum ON resolutions (forum, n);
CREATE INDEX resolution_sponsors_sponsor ON resolution_sponsors (sponsor, n);
CREATE UNIQUE INDEX records_id ON records (id);
CREATE INDEX records_forum ON records (type, forum, n);
CREATE UNIQUE INDEX actors_id ON actors (id);
CREATE INDEX refs_target ON refs (target);
CREATE INDEX symbols_folded ON symbols (folded, n);
CREATE INDEX event_actors_actor ON event_actors (actor, n);
CREATE UNIQUE INDEX name_labels_id ON name_labels (kind, id);
CREATE UNIQUE INDEX name_entries_i ON name_entries (kind, i);
CREATE INDEX name_entries_id ON name_entries (kind, id, i);
CREATE INDEX name_forms_form ON name_forms (kind, form);
CREATE INDEX name_tokens_token ON name_tokens (kind, token);
"""
"""Made after the rows are in (SQLite sorts each once)."""


def write(root: Path, dataset: Dataset, kb: KnowledgeBase, taken: Snapshot) -> bool:
    """Write the index of `kb`, built from `dataset`, which was read from `root` after
    `taken` was taken. Atomic; never raises; False if it could not be written."""
    digests = taken.recent
    top = os.fspath(root) + os.sep
    files = {
        id(loaded.record): _relative(loaded.location, top, root)
        for loaded in dataset.files
        if loaded.record is not None
    }
    target = index_file(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with fsio.atomic_path(target, replace=True, mode=0o600) as temp:
            _write_to(temp, kb, files, root, taken, digests)
        return True
    except (OSError, sqlite3.Error, ValueError, KeyError):
        return False


def _write_to(
    temp: Path,
    kb: KnowledgeBase,
    files: dict[int, str],
    root: Path,
    taken: Snapshot,
    digests: dict[str, str],
) -> None:
    """Build the index in the (temporary) database file `temp`."""
    connection = sqlite3.connect(temp)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(_SCHEMA)
        enabled = gc.isenabled()
        gc.disable()  # many small objects, no cycles: keep the collector out of the way
        try:
            _fill(connection, kb, files)
        finally:
            if enabled:
                gc.enable()
        meta = {
            "format": str(FORMAT),
            "fingerprint": index_fingerprint(),
            "root": str(root.resolve()),
            "signature": taken.signature,
            "written_ns": str(taken.taken_ns),
            "recent": json.dumps(digests, sort_keys=True),
            "failed_files": str(kb.failed_files),
            "duplicates": json.dumps(kb.duplicates),
            "record_count": str(len(kb.records)),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.executescript(_INDEXES)
        connection.commit()
    finally:
        connection.close()


def _relative(location: str, top: str, root: Path) -> str:
    if location.startswith(top):
        return location[len(top) :].replace(os.sep, "/")
    return os.path.relpath(location, root).replace(os.sep, "/")


def _text(date: PartialDate | None) -> str | None:
    return None if date is None else str(date)


def _ids(values: Sequence[str]) -> str:
    """A list of ids in one column: ids never hold spaces (they are validated slugs)."""
    return " ".join(values)


def _fill(connection: sqlite3.Connection, kb: KnowledgeBase, files: dict[int, str]) -> None:
    """Insert the rows (streamed: nothing of the size of the dataset is built on the side)."""
    from dprkhr.completion import entries_for_index
    from dprkhr.names import NAME_SETS, MemoryNames, normalize

    connection.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                n,
                event.id,
                files[id(event)],
                str(event.date),
                str(event.end_date) if event.end_date else None,
                event.forum,
                event.type,
                event.title,
                _ids(event.tags),
                _ids(event.actor_ids),
                _ids(event.resolutions),
                json.dumps([p.role for p in event.participants], ensure_ascii=False),
            )
            for n, event in enumerate(kb.events)
        ),
    )
    connection.executemany(
        "INSERT INTO event_actors VALUES (?, ?)",
        (
            (actor, n)
            for n, event in enumerate(kb.events)
            for actor in dict.fromkeys(p.actor for p in event.participants)
        ),
    )
    connection.executemany(
        "INSERT INTO resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                n,
                r.id,
                files[id(r)],
                str(r.date) if r.date else None,
                r.forum,
                None if r.session is None else str(r.session),
                r.adoption_method,
                None if r.vote_counts is None else json.dumps(r.vote_counts),
                r.symbol,
                r.title,
                None if r.title else r.summary,
                _ids(r.sponsors),
                _ids(r.tags),
            )
            for n, r in enumerate(kb.resolutions)
        ),
    )
    connection.executemany(
        "INSERT INTO resolution_sponsors VALUES (?, ?)",
        (
            (sponsor, n)
            for n, r in enumerate(kb.resolutions)
            for sponsor in dict.fromkeys(r.sponsors)
        ),
    )
    connection.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
        (
            (r.id, r.record_type, files[id(r)], n, getattr(r, "forum", None))
            for group in (kb.actors, kb.events, kb.resolutions, kb.sources)
            for n, r in enumerate(group)
        ),
    )
    connection.executemany("INSERT INTO refs VALUES (?, ?, ?)", _references(kb))
    connection.executemany(
        "INSERT INTO symbols VALUES (?, ?, ?)",
        ((normalize(r.symbol), n, r.id) for n, r in enumerate(kb.resolutions) if r.symbol),
    )
    connection.executemany(
        "INSERT INTO actors VALUES (?, ?, ?)", ((a.id, a.name, a.kind.value) for a in kb.actors)
    )
    connection.executemany(
        "INSERT INTO vocab VALUES (?, ?, ?, ?, ?)",
        [
            *(("event-type", n, t.id, t.name, t.activity) for n, t in enumerate(kb.event_types)),
            *(("tag", n, t.id, t.name, t.activity) for n, t in enumerate(kb.tags)),
            *((*row, False) for row in entries_for_index(kb)),
        ],
    )
    connection.executemany(
        "INSERT INTO forums VALUES (?, ?, ?, ?)",
        ((n, f.code, _text(f.established), _text(f.abolished)) for n, f in enumerate(kb.forums)),
    )
    for kind in NAME_KINDS:
        # the query's own name index if it made one; else one made for this and let go
        built = kb.derived.get(f"names:{kind}")
        store = built.store if built is not None else MemoryNames(NAME_SETS[kind](kb))
        if not isinstance(store, MemoryNames):
            raise ValueError(f"unexpected name store for {kind}")
        connection.executemany(
            "INSERT INTO name_labels VALUES (?, ?, ?)",
            ((kind, record_id, label) for record_id, label in store.labels.items()),
        )
        connection.executemany(
            "INSERT INTO name_entries VALUES (?, ?, ?, ?, ?, ?)",
            ((kind, i, e.id, e.name, e.norm, e.key) for i, e in enumerate(store.entries)),
        )
        connection.executemany(
            "INSERT INTO name_forms VALUES (?, ?, ?)",
            ((kind, form, i) for form, ids in store.by_form.items() for i in ids),
        )
        connection.executemany(
            "INSERT INTO name_tokens VALUES (?, ?, ?)",
            ((kind, token, i) for token, hits in store.by_token.items() for i in hits),
        )
        del store, built


def _references(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """(target, source, field) of every reference between records that `show` follows
    back (as `KnowledgeBase.backlinks`), except participants, which `event_actors`
    holds. Read from the fields directly: no `Reference` object per reference."""
    from dprkhr.kb import REFERENCE_FIELDS, field_path_value

    for record in kb.by_id.values():
        fields = (*REFERENCE_FIELDS.get(record.record_type, ()), ("sources", "source", "source"))
        for name, key, target_kind in fields:
            if target_kind in ("forum", "tag", "event-type") or name == "participants":
                continue
            value = field_path_value(record, name)
            if value is None:
                continue
            items = [value] if isinstance(value, str) else value
            targets = items if key is None else [getattr(item, key, None) for item in items]
            for target in dict.fromkeys(t for t in targets if isinstance(t, str)):
                yield target, record.id, name


# --- reading ----------------------------------------------------------------------------------


def open_index(root: Path, now: Snapshot) -> QueryIndex | None:
    """The index of `root` if it describes the dataset as it is in `now`; else None.
    Never raises."""
    path = index_file(root)
    if not path.is_file():
        return None
    try:
        # written once and replaced whole, never changed in place: no locking needed
        uri = path.absolute().as_uri()
        connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        if (
            meta.get("format") != str(FORMAT)
            or meta.get("fingerprint") != index_fingerprint()
            or meta.get("root") != str(root.resolve())
            or meta.get("signature") != now.signature
        ):
            connection.close()
            return None
        recent = json.loads(meta["recent"])
        for relative, digest in recent.items():
            if _digest_of(root / relative) != digest:
                connection.close()
                return None
        reader = Reader(connection, path)
        found = QueryIndex(root, reader, int(meta["failed_files"]), int(meta["record_count"]))
        duplicates = json.loads(meta["duplicates"])
        if not (isinstance(duplicates, list) and all(isinstance(d, str) for d in duplicates)):
            raise ValueError("duplicates")
        found.duplicates = duplicates
        return found
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError, AttributeError):
        connection.close()
        return None


class Reader:
    """Queries on an index that is checked only by its header: anything wrong found deeper
    (a damaged page, a value of the wrong shape) raises `StaleIndex`, so that the command
    answers from the records, and removes the index, so that the next one writes a good
    one."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except UnicodeEncodeError:
            return []  # text no name or id in the index can hold (a lone surrogate)
        except sqlite3.Error as exc:
            raise self.damaged(exc) from None

    def first(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, parameters)
        return rows[0] if rows else None

    def damaged(self, exc: BaseException) -> StaleIndex:
        with contextlib.suppress(OSError):
            self.path.unlink()
        return StaleIndex(f"the query index is damaged ({exc}); it will be made again")

    def close(self) -> None:
        self.connection.close()


class _Postings:
    """`kb.events_by_actor`, `kb.resolutions_by_forum`... answered from the index."""

    def __init__(self, index: QueryIndex, sql: str, make: Any = None) -> None:
        self.index = index
        self.sql = sql
        self.make = make

    def get(self, key: str, default: Any = None) -> list[Any]:
        return self.index.rows(self.sql, (key,), self.make)


class QueryIndex:
    """The knowledge base as `events`, `timeline` and `related` see it, read from the
    persisted index.

    It offers what `dprkhr.query.filter_events`, `filter_resolutions`, `timeline` and
    `related`, the name resolvers and the tables use of a `KnowledgeBase` (`events`,
    `resolutions`, their postings by actor, sponsor and forum, `tags`, `event_types`,
    `memo`, `actor`), with `EventRow`s, `ResolutionRow`s and `ActorRow`s for records. Any method may raise `StaleIndex`; the command then answers from the
    records instead.
    """

    def __init__(self, root: Path, db: Reader, failed_files: int, record_count: int) -> None:
        self.root = root
        self.db = db
        self.failed_files = failed_files
        self.record_count = record_count
        self.duplicates: list[str] = []
        self._actors: dict[str, ActorRow | None] = {}
        self.events_by_actor = _Postings(
            self,
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE n IN "
            "(SELECT n FROM event_actors WHERE actor = ?) ORDER BY n",
        )
        self.events_by_forum = _Postings(
            self, f"SELECT {_EVENT_COLUMNS} FROM events WHERE forum = ? ORDER BY n"
        )
        self.resolutions_by_forum = _Postings(
            self,
            f"SELECT {_RESOLUTION_COLUMNS} FROM resolutions WHERE forum = ? ORDER BY n",
            _resolution_row,
        )
        self.resolutions_by_sponsor = _Postings(
            self,
            f"SELECT {_RESOLUTION_COLUMNS} FROM resolutions WHERE n IN "
            "(SELECT n FROM resolution_sponsors WHERE sponsor = ?) ORDER BY n",
            _resolution_row,
        )
        self._names = {
            f"names:{kind}": NameIndex.over(kind, SqliteNames(db, kind)) for kind in NAME_KINDS
        }

    def close(self) -> None:
        self.db.close()

    def view(self) -> RecordView:
        """The index as `show` uses it."""
        return RecordView(self)

    def rows(self, sql: str, parameters: Sequence[Any] = (), make: Any = None) -> list[Any]:
        """Event rows (or what `make` builds) from a query."""
        make = make or _event_row
        try:
            return [make(row) for row in self.db.query(sql, parameters)]
        except (ValueError, TypeError, AttributeError) as exc:  # a value of the wrong shape
            raise self.db.damaged(exc) from None

    @cached_property
    def events(self) -> list[EventRow]:
        """Every event, in the knowledge base's order (by date)."""
        return self.rows(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY n")

    @cached_property
    def resolutions(self) -> list[ResolutionRow]:
        """Every resolution, in the knowledge base's order (by date, undated last)."""
        return self.rows(
            f"SELECT {_RESOLUTION_COLUMNS} FROM resolutions ORDER BY n", (), _resolution_row
        )

    def _vocab(self, kind: str) -> list[Named]:
        rows = self.db.query(
            "SELECT id, name, activity FROM vocab WHERE kind = ? ORDER BY n", (kind,)
        )
        return [Named(ident, name, bool(activity)) for ident, name, activity in rows]

    @cached_property
    def forums(self) -> list[ForumRow]:
        """Every forum's code and lifetime, in the order of `forums.yaml`."""
        rows = self.db.query("SELECT code, established, abolished FROM forums ORDER BY n")
        try:
            return [
                ForumRow(code, _date(established), _date(abolished))
                for code, established, abolished in rows
            ]
        except ValueError as exc:
            raise self.db.damaged(exc) from None

    @cached_property
    def tags(self) -> list[Named]:
        return self._vocab("tag")

    @cached_property
    def event_types(self) -> list[Named]:
        return self._vocab("event-type")

    def completion_entries(self, kind: str) -> Iterator[tuple[str, str, list[str]]]:
        """(value, description, other names) of what shell completion offers for a kind
        (see `dprkhr.completion`)."""
        if kind in NAME_KINDS:
            names: dict[str, list[str]] = {}
            for record_id, name in self.db.query(
                "SELECT id, name FROM name_entries WHERE kind = ? ORDER BY i", (kind,)
            ):
                names.setdefault(record_id, []).append(name)
            for record_id, label in self.db.query(
                "SELECT id, label FROM name_labels WHERE kind = ?", (kind,)
            ):
                yield record_id, label, names.get(record_id, [])
        elif kind == "source":
            for (record_id,) in self.db.query("SELECT id FROM records WHERE type = 'source'"):
                yield record_id, "", []
        elif kind == "record":
            labels = dict(self.db.query("SELECT id, name FROM actors"))
            labels.update(self.db.query("SELECT id, title FROM events"))
            labels.update(
                (i, " ".join(x for x in (s, t) if x))
                for i, s, t in self.db.query("SELECT id, symbol, title FROM resolutions")
            )
            for record_id, record_type in self.db.query("SELECT id, type FROM records"):
                label = labels.get(record_id) or ""
                yield record_id, f"{record_type}: {label}" if label else record_type, []
        else:
            for record_id, name in self.db.query(
                "SELECT id, name FROM vocab WHERE kind = ? ORDER BY n", (kind,)
            ):
                yield record_id, name, [name] if name else []

    @cached_property
    def participant_roles(self) -> list[str]:
        """Every role a participant has in an event, folded, sorted (from the
        participant roles kept for completion)."""
        from dprkhr.names import normalize

        return sorted({normalize(n.id) for n in self._vocab("participant-role")})

    def memo(self, key: str, build: Any) -> Any:
        """The name indexes are in the index; nothing else is asked of it."""
        return self._names[key]

    def actor(self, actor_id: str) -> ActorRow | None:
        if actor_id not in self._actors:
            row = self.db.first("SELECT id, name, kind FROM actors WHERE id = ?", (actor_id,))
            self._actors[actor_id] = None if row is None else ActorRow(*row)
        return self._actors[actor_id]

    def prefetch_actors(self, rows: Iterable[EventRow]) -> None:
        """Look up every participant of `rows` now, so that printing them asks nothing."""
        for row in rows:
            for actor_id in row.actor_ids:
                self.actor(actor_id)

    def records(self, rows: Sequence[EventRow | ResolutionRow]) -> list[Record]:
        """The records of `rows`, read from their files and validated.

        Raises `StaleIndex` when a file no longer holds its event, and when there are so
        many that loading the whole dataset (from the records cache) is quicker: a file
        read alone costs about what four records cost from the cache.
        """
        from dprkhr.dataset import load_file

        if len(rows) * READ_COST > self.record_count:
            raise StaleIndex(f"{len(rows)} records are quicker to load with the rest")
        out = []
        for row in rows:
            loaded = load_file(self.root / row.file, row.record_type, row.file)
            record = loaded.record
            if loaded.failed or record is None or record.id != row.id:
                raise StaleIndex(f"{row.file} changed while the query ran; run the command again")
            out.append(record)
        return out


class RecordView:
    """The knowledge base as `dprkhr show` sees it (`dprkhr.query.backlinks`), answered
    from the index: the record asked for and those pointing at it are read from their
    files, and nothing else. Raises `StaleIndex` when a file no longer holds its record,
    or when more records are needed than are quicker to read one by one."""

    def __init__(self, index: QueryIndex) -> None:
        self.index = index
        self.db = index.db
        self.budget = index.record_count // READ_COST
        self._loaded: dict[str, Record | None] = {}
        self.events_by_forum = _Loaded(self, "event")
        self.resolutions_by_forum = _Loaded(self, "resolution")

    def memo(self, key: str, build: Any) -> Any:
        return self.index.memo(key, build)

    def _read(self, record_id: str, kind: str, file: str) -> Record:
        from dprkhr.dataset import load_file

        self.budget -= 1
        if self.budget < 0:
            raise StaleIndex("too many records to read one by one")
        loaded = load_file(self.index.root / file, kind, file)
        record = loaded.record
        if loaded.failed or record is None or record.id != record_id:
            raise StaleIndex(f"{file} changed while the query ran; run the command again")
        return record

    def get(self, record_id: str) -> Record | None:
        if record_id not in self._loaded:
            row = self.db.first("SELECT type, file FROM records WHERE id = ?", (record_id,))
            self._loaded[record_id] = None if row is None else self._read(record_id, *row)
        return self._loaded[record_id]

    @cached_property
    def forum_by_code(self) -> dict[str, Forum]:
        """The forums, from `forums.yaml` (unchanged since the index was written)."""
        from dprkhr.dataset import load_file
        from dprkhr.models.vocab import ForumsFile

        loaded = load_file(self.index.root / ForumsFile.file_name, ForumsFile.file_name, "")
        # as the dataset takes it: a file with duplicate keys fails lint but still serves
        if isinstance(loaded.vocab, ForumsFile):
            return {f.code: f for f in loaded.vocab.forums}
        return {}

    def resolution_by_symbol(self, folded: str) -> Record | None:
        row = self.db.first("SELECT id FROM symbols WHERE folded = ? ORDER BY n LIMIT 1", (folded,))
        return None if row is None else self.get(row[0])

    def position(self, record: Record) -> int:
        row = self.db.first("SELECT n FROM records WHERE id = ?", (record.id,))
        return 0 if row is None else int(row[0])

    def pointing_at(self, record_id: str) -> list[Backlink]:
        from dprkhr.kb import Backlink

        rows = self.db.query(
            "SELECT e.id, 'event', 'participants' FROM event_actors a "
            "JOIN events e ON e.n = a.n WHERE a.actor = ? "
            "UNION ALL SELECT f.source, r.type, f.field FROM refs f "
            "JOIN records r ON r.id = f.source WHERE f.target = ?",
            (record_id, record_id),
        )
        return [Backlink(*row) for row in rows]


class _Loaded:
    """`kb.events_by_forum` / `kb.resolutions_by_forum` for `RecordView`: whole records."""

    def __init__(self, view: RecordView, kind: str) -> None:
        self.view = view
        self.kind = kind

    def get(self, forum: str, default: Any = None) -> list[Record]:
        rows = self.view.db.query(
            "SELECT id FROM records WHERE type = ? AND forum = ? ORDER BY n", (self.kind, forum)
        )
        if len(rows) > self.view.budget:
            raise StaleIndex("too many records to read one by one")
        return [record for (ident,) in rows if (record := self.view.get(ident)) is not None]


class SqliteNames:
    """A `dprkhr.names.NameStore` over the index's tables."""

    def __init__(self, db: Reader, kind: str) -> None:
        self.db = db
        self.kind = kind
        self._tokens: list[str] | None = None
        self._keys: list[str] | None = None

    def _column(self, sql: str, *parameters: Any) -> Iterator[Any]:
        for (value,) in self.db.query(sql, (self.kind, *parameters)):
            yield value

    def label(self, record_id: str) -> str | None:
        return next(
            self._column("SELECT label FROM name_labels WHERE kind = ? AND id = ?", record_id),
            None,
        )

    def count(self) -> int:
        return next(self._column("SELECT count(*) FROM name_labels WHERE kind = ?"), 0)

    def ids_with(self, form: str) -> set[str]:
        return set(self._column("SELECT id FROM name_forms WHERE kind = ? AND form = ?", form))

    def entries_with_token(self, token: str) -> set[int]:
        return set(self._column("SELECT i FROM name_tokens WHERE kind = ? AND token = ?", token))

    def entry(self, index: int) -> NameEntry:
        row = self.db.first(
            "SELECT id, name, norm, key FROM name_entries WHERE kind = ? AND i = ?",
            (self.kind, index),
        )
        if row is None:
            raise StaleIndex("the query index is damaged; run the command again")
        return NameEntry(*row)

    def entries_of(self, record_id: str) -> list[NameEntry]:
        return [
            NameEntry(*row)
            for row in self.db.query(
                "SELECT id, name, norm, key FROM name_entries WHERE kind = ? AND id = ? ORDER BY i",
                (self.kind, record_id),
            )
        ]

    def tokens_starting(self, prefix: str) -> list[str]:
        # every token t with prefix <= t < prefix + U+10FFFF starts with the prefix
        return list(
            self._column(
                "SELECT DISTINCT token FROM name_tokens WHERE kind = ? AND token >= ? "
                "AND token < ? ORDER BY token",
                prefix,
                prefix + "\U0010ffff",
            )
        )

    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = list(
                self._column("SELECT key FROM name_entries WHERE kind = ? ORDER BY i")
            )
        return self._keys

    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = list(
                self._column("SELECT DISTINCT token FROM name_tokens WHERE kind = ? ORDER BY token")
            )
        return self._tokens


__all__ = [
    "ActorRow",
    "EventRow",
    "Named",
    "QueryIndex",
    "Reader",
    "RecordView",
    "ResolutionRow",
    "Snapshot",
    "StaleIndex",
    "index_file",
    "open_index",
    "snapshot",
    "write",
]
