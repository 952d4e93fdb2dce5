"""What cross-record rules see: one compact summary per file, in plain data.

A `FileSummary` holds what the cross-record rules and the suppression check need from a
file (its id, references, actor names and `lint.ignore` entries, each with its line and
column) and the problems found in the file alone. Summaries are lists and strings only,
so that they are stored as JSON (`dprkhr.lint.storage`) and travel cheaply from worker
processes; no pydantic model is rebuilt to run the cross-record rules.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from dprkhr.models import Forum

RECORD = 1
"""The file holds a validated record (its file may still have failed: duplicate keys)."""
SERVED = 2
"""...and the file did not fail, so the record is in the knowledge base."""
RAW = 4
"""The file is of a record type and its data is a mapping, but it failed validation."""


class DamagedSummary(ValueError):
    """A summary from the store is not what lint writes; the run is done again with every
    summary made afresh."""


Placed = tuple[int, int, int, str, str | None]
"""A cross-record finding: (file index, line, column, message, suggestion)."""


class FileSummary(NamedTuple):
    """What lint keeps of one file. Places are `[line, column]`, 1-based."""

    state: int
    """`RECORD`, `SERVED` and `RAW` flags."""
    id: str | None
    """The record's id (validated records only)."""
    id_at: list[int] | None
    refs: list[list[Any]] | None
    """`[target_kind, target, line, column]` for every reference, raw records included;
    None in a summary from the store (they are stored apart: `DatasetView.references`)."""
    actor: list[Any] | None
    """For an actor: `[kind, name, line, column, name keys, roles, offices, country]`: name
    keys token-sorted and normalised; roles `[folded title, organization, start, end, line,
    column]`; offices `[title, folded titles]` (see `SingleHolderOverlap`); country the
    ISO 3166-1 alpha-2 code or None."""
    ignores: list[list[Any]]
    """`[entry, line, column]` for every `lint.ignore` entry of a validated record."""
    problems: list[list[Any]]
    """`[line, column, code, message, suggestion]`: load problems and per-file rules."""
    dates: list[list[Any]]
    """`[line, column, text, first day]` of each date later than the day it was summarised
    on: whether it is in the future is decided on the day of the run (DPK402)."""

    def to_json(self) -> list[Any]:
        return list(self)

    @classmethod
    def from_json(cls, item: Any) -> FileSummary | None:
        """A summary read from the store, if its fields have the right types. This check is
        cheap (it runs for every file of a warm run) and what lies deeper is checked where
        it is used: `report` builds problems only from values of the right types, and a run
        that meets anything odd in stored summaries is done again without them."""
        if type(item) is not list or len(item) != 8:
            return None
        state, record_id, id_at, refs, actor, ignores, problems, dates = item
        if (
            type(state) is int
            and (record_id is None or type(record_id) is str)
            and (id_at is None or _place(id_at))
            and (refs is None or type(refs) is list)
            and (actor is None or (type(actor) is list and len(actor) == 8))
            and type(ignores) is list
            and type(problems) is list
            and type(dates) is list
        ):
            return cls(state, record_id, id_at, refs, actor, ignores, problems, dates)
        return None


def _place(value: Any) -> bool:
    return type(value) is list and len(value) == 2 and type(value[0]) is type(value[1]) is int


@dataclass
class DatasetView:
    """Every file of a dataset as the cross-record rules see it, in dataset order."""

    displays: list[str]
    """Each file's path as shown to users."""
    kinds: list[str]
    """Each file's kind (`actor`, `event`, ..., a vocabulary file name, `unknown`)."""
    summaries: list[FileSummary]
    forums: list[Forum] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    """Tag ids, in the order of data/tags.yaml."""
    event_types: list[str] = field(default_factory=list)
    """Event type ids, in the order of data/event-types.yaml."""
    vocab_loaded: dict[str, bool] = field(default_factory=dict)
    map: Callable[[Callable[[Any], Any], list[Any]], list[Any]] | None = None
    """Runs a module-level function over a list of items in the run's worker processes
    (None when it has none): for rules with bulk work to hand out."""
    locations: list[str] = field(default_factory=list)
    """Each file's path as given to lint."""
    suggested: dict[str, Any] = field(default_factory=dict)
    """"Did you mean" answers of a previous run, by kind (see `closest`): the memo of a
    pure function, checked before use, never findings."""
    suggestions: dict[str, Any] = field(default_factory=dict)
    """The answers of this run, by kind, to be kept for the next."""
    kept: dict[str, Any] = field(default_factory=dict)
    """Cross-record findings of a previous run, by rule code (see `Rule.dataset_inputs`):
    `[digest of the inputs, [[display, line, column, message, suggestion], ...]]`."""
    keep: dict[str, Any] = field(default_factory=dict)
    """The findings of this run to be kept for the next, as `kept`."""
    unchanged: str | None = None
    """When every summary came from the store as it was at one generation (nothing read
    by this run): a digest of that generation and of all else the view is made of (the
    vocabularies, the archive, the root and how its files are shown). Then the findings
    of every cross-record rule are kept under it."""
    unresolved: (
        Callable[
            [Collection[str] | None, Collection[tuple[str, str]]],
            Iterable[tuple[int, str, str, int, int]],
        ]
        | None
    ) = None
    """For the summaries whose references are stored apart (`refs` None): finds their
    references as `references` does (the store answers in SQL)."""
    load_refs: Callable[[], dict[int, list[list[Any]]]] | None = None
    """Loads the references stored apart, by file index."""
    _stored_refs: dict[int, list[list[Any]]] | None = field(default=None, repr=False)
    _actors: list[tuple[int, list[Any]]] | None = field(default=None, repr=False)

    def refs(self, index: int) -> list[list[Any]]:
        """The references of a file (see `FileSummary.refs`)."""
        refs = self.summaries[index].refs
        if refs is not None:
            return refs
        if self.load_refs is None:
            raise DamagedSummary(self.displays[index])
        if self._stored_refs is None:
            self._stored_refs = self.load_refs()
        return self._stored_refs.get(index, [])

    def references(
        self,
        kinds: Collection[str] | None = None,
        resolved: Collection[tuple[str, str]] = frozenset(),
    ) -> Iterator[tuple[int, str, str, int, int]]:
        """`(file index, kind, target, line, column)` of every reference of the given
        kinds (all when None) whose `(kind, target)` is not in `resolved` (a set): what
        the reference rules look at, without reading the ones they would pass over."""
        unresolved = self.unresolved
        for index, summary in enumerate(self.summaries):
            refs = summary.refs
            if refs is None:
                if unresolved is not None:
                    continue  # the store answers for it below
                refs = self.refs(index)
            for kind, target, line, column in refs:
                if (kinds is None or kind in kinds) and (kind, target) not in resolved:
                    yield index, kind, target, line, column
        if unresolved is not None:
            yield from unresolved(kinds, resolved)

    def closest(self, kind: str, targets: list[str], choices: list[str]) -> dict[str, str | None]:
        """The closest of `choices` (the ids of `kind`) to each target, or None, as
        `dprkhr.lint.rules.references.closest_ids` finds them; answers `suggested` by a
        previous run are reused while right, and the new ones kept in `suggestions`."""
        from dprkhr.lint.rules.references import closest_ids

        best, self.suggestions[kind] = closest_ids(
            targets, choices, self.suggested.get(kind), self.map
        )
        return best

    def records(self) -> Iterator[tuple[int, FileSummary]]:
        """Every file holding a validated record (duplicates included), with its index."""
        for index, summary in enumerate(self.summaries):
            if summary.state & RECORD:
                yield index, summary

    def actors(self) -> list[tuple[int, list[Any]]]:
        """`(file index, [id, actor summary])` of every validated record that is an actor
        (duplicates included): all that the actor rules read."""
        if self._actors is None:
            self._actors = [
                (index, [summary.id, summary.actor])
                for index, summary in self.records()
                if summary.actor is not None
            ]
        return self._actors

    def kinds_by_id(self) -> dict[str, str]:
        """The record type behind each id in the knowledge base: the first served record
        with an id wins, as in `KnowledgeBase.by_id`."""
        by_id: dict[str, str] = {}
        kinds = self.kinds
        for index, summary in enumerate(self.summaries):
            if summary.state & SERVED and summary.id is not None:
                by_id.setdefault(summary.id, kinds[index])
        return by_id
