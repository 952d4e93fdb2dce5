"""A cache of parsed records and their load problems, so that a warm run re-reads only the
files that changed.

One cache file per data root, in the user's cache folder (`$DPRKHR_CACHE_DIR`, else
`$XDG_CACHE_HOME/dprkhr`, else `~/.cache/dprkhr`), never in the data folder. Entries are
keyed by path and used while the file's `dprkhr.fsio.stamp` (size, modification and change
times, inode, device) is the same; a file modified less than two seconds before the cache
was written, or after it, is also compared by content digest (as git does for "racily
clean" files), so an edit within the same second that keeps the size is still seen.

The cache is JSON and is never trusted: a missing, truncated, corrupt or foreign file (other
version, other code, other data root, bad checksum) is ignored and rebuilt; cached record
data is validated again by the models on every load, exactly as if it had just been parsed.
Writes go to a temporary file that replaces the cache atomically, so concurrent runs each
see a whole cache or none.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkhr import __version__, fsio

FORMAT = 3
RACY_NS = fsio.RACY_NS
CACHE_LIMIT = 1 << 34
"""A cache document larger than this is not read."""
_CODE_FILES = ("dates.py", "yamlio.py", "dataset.py", "problems.py", "cache.py")


def cache_dir(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("DPRKHR_CACHE_DIR"):
        return Path(env["DPRKHR_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dprkhr"


def cache_file(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"records-{key[:20]}.json"


@functools.cache
def fingerprint() -> str:
    """Changes whenever the version or the code that shapes cached data changes (computed
    once per process: every cache document read or written checks it)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)
    files = [here / name for name in _CODE_FILES]
    files += sorted((here / "models").glob("*.py"))
    for path in files:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass
class Entry:
    """What loading one file produced."""

    stamp: list[int]
    """The file's `dprkhr.fsio.stamp` when it was read."""
    digest: str
    data: Any
    """The file's YAML data (plain JSON types), or None when it did not parse."""
    problems: list[list[Any]]
    """Load problems as [line, column, code, rule, severity, message, suggestion]."""
    failed: bool
    validated: bool
    """Whether the data validated as a record (so the model can be rebuilt from it)."""

    def to_json(self) -> list[Any]:
        return [
            self.stamp,
            self.digest,
            self.data,
            self.problems,
            self.failed,
            self.validated,
        ]

    @classmethod
    def from_json(cls, item: Any) -> Entry | None:
        if not isinstance(item, list) or len(item) != 6:
            return None
        stamp, digest, data, problems, failed, validated = item
        if not (
            isinstance(stamp, list)
            and all(isinstance(part, int) for part in stamp)
            and isinstance(digest, str)
            and isinstance(problems, list)
            and all(isinstance(p, list) and len(p) == 7 for p in problems)
            and isinstance(failed, bool)
            and isinstance(validated, bool)
        ):
            return None
        return cls(stamp, digest, data, problems, failed, validated)


@dataclass
class Cache:
    """Entries (as stored) by path relative to the data root, and when they were written."""

    entries: dict[str, Any]
    written_ns: int

    def fresh(self, relative: str, stat: os.stat_result, path: str) -> Entry | None:
        """The entry for a file if the file has not changed since it was cached."""
        item = self.entries.get(relative)
        if not isinstance(item, list) or len(item) != 6 or item[0] != fsio.stamp(stat):
            return None
        entry = Entry.from_json(item)
        if entry is None or not fsio.unchanged(
            entry.stamp,
            stat,
            self.written_ns,
            path,
            entry.digest,
            content_digest,
            fsio.RECORD_LIMIT,
        ):
            return None
        return entry


def read_document(path: Path, root: Path) -> tuple[dict[str, Any], Any] | None:
    """A cache document's header and body, if it is whole and ours. Never raises.

    A document is one line of JSON (the body) and then one line of header, which carries
    the body's digest: it is written last, so a truncated file never passes.
    """
    try:
        raw = fsio.read_regular(path, CACHE_LIMIT)[1]
        payload, _, header = raw.rstrip(b"\n").rpartition(b"\n")
        meta = json.loads(header)
        if not isinstance(meta, dict):
            return None
        if (
            meta.get("format") != FORMAT
            or meta.get("fingerprint") != fingerprint()
            or meta.get("root") != str(root.resolve())
            or meta.get("digest") != content_digest(payload)
            or not isinstance(meta.get("written_ns"), int)
        ):
            return None
        return meta, json.loads(payload)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None


def write_document(
    path: Path,
    root: Path,
    body: dict[str, Any],
    written_ns: int,
    extra: dict[str, Any] | None = None,
) -> bool:
    """Replace a cache document atomically, encoding the body's entries one at a time (a
    large cache is never held in memory as one string). Never raises; False if it could
    not."""

    def fragments() -> Iterator[str]:
        for key, value in body.items():
            item = value.to_json() if isinstance(value, Entry) else value
            yield (
                json.dumps(key, ensure_ascii=False)
                + ":"
                + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            )

    return write_fragments(path, root, fragments(), written_ns, extra)


def write_fragments(
    path: Path,
    root: Path,
    fragments: Iterable[str],
    written_ns: int,
    extra: dict[str, Any] | None = None,
) -> bool:
    """`write_document` for a body already encoded: each fragment is one or more
    `"key":value` members of the body's JSON object, comma-separated (worker processes
    encode them). Never raises; False if it could not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with fsio.atomic_path(path, replace=True, mode=0o600) as temp:
            digest = hashlib.blake2b(digest_size=16)
            with open(temp, "wb") as handle:

                def put(text: str) -> None:
                    chunk = text.encode("utf-8", "surrogatepass")
                    digest.update(chunk)
                    handle.write(chunk)

                put("{")
                for i, fragment in enumerate(fragments):
                    put(("," if i else "") + fragment)
                put("}")
                meta = {
                    "format": FORMAT,
                    "version": __version__,
                    "fingerprint": fingerprint(),
                    "root": str(root.resolve()),
                    "written_ns": written_ns,
                    "digest": digest.hexdigest(),
                    **(extra or {}),
                }
                handle.write(b"\n" + json.dumps(meta).encode() + b"\n")
        return True
    except (OSError, ValueError, TypeError, UnicodeError):
        return False


def read(root: Path) -> Cache | None:
    """The cache of records for `root`, or None if there is none that can be used."""
    document = read_document(cache_file(root), root)
    if document is None or not isinstance(document[1], dict):
        return None
    return Cache(document[1], document[0]["written_ns"])


def write(root: Path, entries: dict[str, Entry], started_ns: int | None = None) -> bool:
    """Replace the cache of records for `root` atomically. Never raises."""
    written_ns = started_ns if started_ns is not None else time.time_ns()
    return write_document(cache_file(root), root, dict(entries), written_ns)
