"""What every command shares: global options, loading, warnings, safe output."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from dprkhr.dataset import Dataset
    from dprkhr.index import QueryIndex
    from dprkhr.kb import KnowledgeBase


@dataclass
class AppState:
    """Global options, and the dataset once loaded."""

    data: Path | None = None
    debug: bool = False
    cache: bool = True
    _dataset: Dataset | None = field(default=None, repr=False)
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    def data_root(self) -> Path:
        from dprkhr.layout import find_data_root

        return find_data_root(self.data)

    def use_cache(self) -> bool:
        return self.cache and os.environ.get("DPRKHR_NO_CACHE", "") in ("", "0")

    def dataset(self) -> Dataset:
        if self._dataset is None:
            from dprkhr.dataset import load_dataset

            self._dataset = load_dataset(self.data_root(), cache=self.use_cache())
        return self._dataset

    def kb(self) -> KnowledgeBase:
        """The knowledge base; warns once on stderr when some files failed to load."""
        if self._kb is None:
            from dprkhr.kb import KnowledgeBase

            dataset = self.dataset()
            # loading and indexing freeze what they build (dataset.no_gc), so the cyclic
            # collector does not walk the records again while a query runs
            self._kb = KnowledgeBase.from_dataset(dataset)
            self.warn_failed(len(dataset.failed_files))
        return self._kb

    def searchable(self) -> KnowledgeBase | QueryIndex:
        """What `events`, `resolutions`, `timeline`, `related` and `show` run on: the query
        index when it describes the dataset as it is now (no record is loaded), else the
        knowledge base, and then the index is written for the next query. Without the
        cache, always the knowledge base."""
        if not self.use_cache() or self._kb is not None:
            return self.kb()
        from dprkhr import index

        root = self.data_root()
        now = index.snapshot(root)  # before reading: a later edit makes the index stale
        if now is not None:
            found = index.open_index(root, now)
            if found is not None:
                self.warn_failed(found.failed_files)
                return found
        kb = self.kb()
        if now is not None:
            index.write(root, self.dataset(), kb, now)
        return kb

    def warn_failed(self, failed: int) -> None:
        """Say (once) that some files were left out of a query."""
        if failed and not self._warned:
            self._warned = True
            files = "file" if failed == 1 else "files"
            warn(
                f"{failed} {files} could not be loaded and {'is' if failed == 1 else 'are'} "
                "left out; run `dprkhr lint` to see why"
            )


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def use_color(stream: object = None) -> bool:
    """Colour on a terminal unless NO_COLOR is set; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
