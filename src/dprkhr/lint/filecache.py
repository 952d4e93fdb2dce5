"""The per-file lint cache: each file's `FileSummary`, so that a warm lint re-reads only
the files that changed and re-runs only the cross-record rules over the rest.

It lives beside the record cache (`dprkhr.cache`), in the user's cache folder, never in the
data folder: one folder per data root holding `SHARDS` documents, each file's entry in the
shard its path hashes to, so that an edit rewrites one small shard rather than the whole
cache. An entry is `[stamp, digest, summary]` and is used only while the file has that
`dprkhr.fsio.stamp` (size, times, inode, device); a file modified less than two seconds
before its shard was written (or after it) is also compared by content digest
(`dprkhr.fsio.unchanged`, as every cache does).

A shard is used only if it is whole (digest), ours (format, code fingerprint, data root)
and was made under the same key: the code of the whole package and the versions of the
libraries it leans on, the vocabulary files' content, and the archive of source texts.
Summaries are checked for shape before use; anything odd and the file is simply read
again. Shards are replaced atomically. Nothing here raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dprkhr import cache as records_cache
from dprkhr import fsio
from dprkhr.lint.rules.citations import ARCHIVE_TEXT_LIMIT
from dprkhr.lint.view import FileSummary

FORMAT = 2
SHARDS = 16
"""Shards per data root: an edit rewrites one (about 6k files at 100k)."""


def shard_of(relative: str) -> int:
    return zlib.crc32(relative.encode("utf-8", "surrogateescape")) % SHARDS


def folder(root: Path) -> Path:
    records = records_cache.cache_file(root)
    return records.with_name(records.stem.replace("records-", "lint-files-", 1))


@cache
def code_fingerprint() -> str:
    """Changes with any source file of the package, and with the versions of Python and
    of the libraries whose behaviour shapes problems (messages, matching, parsing)."""
    import pydantic
    import pydantic_core
    import rapidfuzz
    import yaml

    here = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for part in (
        f"{FORMAT}:{records_cache.FORMAT}",
        sys.version,
        pydantic.VERSION,
        pydantic_core.__version__,
        rapidfuzz.__version__,
        yaml.__version__,
    ):
        digest.update(part.encode() + b"\0")
    for path in sorted(here.rglob("*.py")):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def archive_state(archive: Path | None) -> Any:
    """What the archive of source texts is, for the key: each text's name, size and
    modification time, and its content digest when it changed very recently."""
    if archive is None:
        return None
    import time

    now = time.time_ns()
    listing: list[Any] = []
    try:
        for entry in sorted(os.scandir(archive), key=lambda e: e.name):
            if not entry.name.endswith(".txt"):
                continue
            stat = entry.stat()
            item: list[Any] = [entry.name, fsio.stamp(stat)]
            if fsio.racy(stat, now):
                try:
                    raw = fsio.read_regular(entry.path, ARCHIVE_TEXT_LIMIT)[1]
                    item.append(records_cache.content_digest(raw))
                except OSError as exc:  # reported by the rule; never cached as read
                    item.append(f"unreadable {exc.strerror} {now}")
            listing.append(item)
    except OSError:
        return ["unreadable", str(archive.resolve()), os.urandom(8).hex()]
    return [str(archive.resolve()), listing]


def cache_key(vocabularies: list[tuple[str, bytes | None]], archive: Path | None) -> str:
    """Everything besides a file itself that its summary depends on."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_fingerprint().encode())
    for name, raw in vocabularies:
        digest.update(name.encode() + b"\0")
        digest.update(b"-" if raw is None else records_cache.content_digest(raw).encode())
    digest.update(json.dumps(archive_state(archive)).encode())
    return digest.hexdigest()


@dataclass
class FileCache:
    """The shards read for one data root under one key, and what will be written back.

    Each shard is two documents: `shard-NN.json` with every file's entry, its summary's
    references left out, read on every warm run; and `refs-NN.json` with the references,
    read only when a rule needs them (see `DatasetView.refs`). Both are written together,
    with the same time, which must match for the references to be used.
    """

    root: Path
    key: str
    today: dt.date
    sizes: list[int | None] = field(default_factory=list)
    """How many entries each shard held (None: the shard was missing or unusable)."""
    written: list[int] = field(default_factory=list)
    """When each shard was written."""
    index: dict[str, tuple[Any, int, int]] = field(default_factory=dict)
    """Every entry read, by relative path: (entry, its shard, when the shard was
    written)."""
    refs: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    """The references documents read so far, by shard."""
    dirty: set[int] = field(default_factory=set)
    suggested: dict[str, Any] = field(default_factory=dict)
    """"Did you mean" answers (see `DatasetView.closest`), as read."""

    @classmethod
    def empty(cls, root: Path, key: str, today: dt.date) -> FileCache:
        """A cache to be written only."""
        return cls(root, key, today, sizes=[None] * SHARDS, written=[0] * SHARDS)

    @classmethod
    def read(cls, root: Path, key: str, today: dt.date) -> FileCache:
        """Every usable shard. Never raises."""
        found = cls(root, key, today)
        base = folder(root)
        for number in range(SHARDS):
            document = found._read_document(base / f"shard-{number:02d}.json")
            if document is None or not isinstance(document[1], dict):
                found.sizes.append(None)
                found.written.append(0)
                continue
            written_ns = document[0]["written_ns"]
            found.sizes.append(len(document[1]))
            found.written.append(written_ns)
            for relative, entry in document[1].items():
                found.index[relative] = (entry, number, written_ns)
        suggested = found._read_document(base / "suggestions.json")
        if suggested is not None and isinstance(suggested[1], dict):
            found.suggested = suggested[1]
        return found

    def _read_document(self, path: Path) -> tuple[dict[str, Any], Any] | None:
        document = records_cache.read_document(path, self.root)
        if document is None:
            return None
        meta = document[0]
        if meta.get("lint") != FORMAT or meta.get("key") != self.key:
            return None
        try:
            as_of = dt.date.fromisoformat(meta.get("as_of", ""))
        except (TypeError, ValueError):
            return None
        # dates in the future are kept from the day a file was read: a shard made on a
        # later day (the clock went back) may lack some
        if as_of > self.today:
            return None
        return document

    def fresh(
        self, relative: str, path: str, stat: os.stat_result
    ) -> tuple[FileSummary, list[Any]] | None:
        """The cached summary of a file (its references not loaded), if the file has not
        changed since it was cached, with its entry (to be written back as is)."""
        hit = self.index.get(relative)
        if hit is None:
            return None
        item, _number, written_ns = hit
        if not (
            type(item) is list
            and len(item) == 3
            and type(item[1]) is str
            and fsio.unchanged(
                item[0],
                stat,
                written_ns,
                path,
                item[1],
                records_cache.content_digest,
                fsio.RECORD_LIMIT,
            )
        ):
            return None
        summary = FileSummary.from_json(item[2])
        if summary is None or summary.refs is not None:
            return None
        return summary, item

    def refs_of(self, relative: str) -> list[Any] | None:
        """The references of a cached file, or None if they cannot be had."""
        hit = self.index.get(relative)
        if hit is None:
            return None
        document = self._refs_document(hit[1])
        refs = document.get(relative) if document is not None else None
        return refs if type(refs) is list else None

    def _refs_document(self, number: int) -> dict[str, Any] | None:
        if number not in self.refs:
            document = self._read_document(folder(self.root) / f"refs-{number:02d}.json")
            usable = (
                document is not None
                and document[0]["written_ns"] == self.written[number]
                and isinstance(document[1], dict)
            )
            self.refs[number] = document[1] if document is not None and usable else None
        return self.refs[number]

    def write(
        self,
        entries: dict[str, tuple[Any, Any]],
        written_ns: int,
        suggestions: dict[str, Any],
    ) -> None:
        """Write the "did you mean" answers and the shards whose content changed. `entries` has
        every cached file's entry and references: as read (references None when not
        loaded), or already encoded as `"path":value` members by `collect.process`.
        Never raises."""
        base = folder(self.root)
        extra = {"lint": FORMAT, "key": self.key, "as_of": self.today.isoformat()}
        suggestions = {**self.suggested, **suggestions}
        if suggestions != self.suggested:
            records_cache.write_document(
                base / "suggestions.json", self.root, suggestions, written_ns, extra
            )
        by_shard: dict[int, dict[str, tuple[Any, Any]]] = {}
        index = self.index
        for relative, entry in entries.items():
            hit = index.get(relative)
            number = hit[1] if hit is not None else shard_of(relative)
            by_shard.setdefault(number, {})[relative] = entry
        for number in range(SHARDS):
            content = by_shard.get(number, {})
            if number not in self.dirty and self.sizes[number] == len(content):
                continue
            members, refs = [], []
            for relative, (entry, references) in content.items():
                if references is None:
                    references = self.refs_of(relative)
                    if references is None:
                        continue  # lost: the file is read again next time
                members.append(entry if isinstance(entry, str) else member(relative, entry))
                refs.append(
                    references if isinstance(references, str) else member(relative, references)
                )
            # the references first: the shard's own time must match theirs to be used
            for name, body in (("refs", refs), ("shard", members)):
                records_cache.write_fragments(
                    base / f"{name}-{number:02d}.json",
                    self.root,
                    [",".join(body)] if body else [],
                    written_ns,
                    extra=extra,
                )


def member(key: str, value: Any) -> str:
    """`"key":value` as `dprkhr.cache.write_document` encodes an entry."""
    return (
        json.dumps(key, ensure_ascii=False)
        + ":"
        + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    )
