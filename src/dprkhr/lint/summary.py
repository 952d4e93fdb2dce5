"""Summarising one file for lint: its own problems, located, and what cross-record rules
need from it (see `dprkhr.lint.view.FileSummary`)."""

from __future__ import annotations

from functools import cache

from dprkhr.dataset import LoadedFile
from dprkhr.kb import ROLL_FIELDS, field_label, iter_references
from dprkhr.lint.base import FileEnv, Rule, record_or_data
from dprkhr.lint.view import RAW, RECORD, SERVED, FileSummary
from dprkhr.models import Actor
from dprkhr.yamlio import Places


@cache
def file_rules() -> tuple[Rule, ...]:
    """Every rule with a per-file check, whatever the selection: per-file results are
    cached, and the selection is applied when reporting."""
    from dprkhr.lint.rules import RULES
    from dprkhr.lint.rules.events import FutureDate

    return tuple(
        rule()
        for rule in RULES
        if rule.check_file is not Rule.check_file and rule is not FutureDate
    )


def summarise(loaded: LoadedFile, env: FileEnv) -> FileSummary:
    """Run the per-file rules over a loaded file and keep what lint needs of it.

    Places are found in the file's node tree (`loaded.doc`), which is parsed again if it
    was dropped: summarise a file right after loading it.
    """
    from dprkhr.lint.rules.actors import PossibleDuplicateActor, SingleHolderOverlap
    from dprkhr.lint.rules.events import FutureDate

    if loaded.doc is None:
        loaded.locate(())  # parses the file again
    locate = Places(loaded.doc.root if loaded.doc is not None else None)
    problems: list[list[object]] = [
        [p.line, p.column, p.code, p.message, p.suggestion] for p in loaded.problems
    ]
    for rule in file_rules():
        for finding in rule.check_file(loaded, env):
            line, column = locate(finding.loc)
            problems.append([line, column, rule.code, finding.message, finding.suggestion])
    record = loaded.record
    state = 0
    record_id = None
    id_at = None
    actor = None
    ignores: list[list[object]] = []
    dates: list[list[object]] = []
    if record is not None:
        state = RECORD if loaded.failed else RECORD | SERVED
        record_id = record.id
        id_at = list(locate(("id",)))
        if isinstance(record, Actor):
            actor = [
                record.kind.value,
                record.name,
                *locate(("name",)),
                PossibleDuplicateActor.name_keys(record),
                SingleHolderOverlap.roles(record, locate),
                SingleHolderOverlap.offices(record),
                record.country,
            ]
        ignores = [
            [entry, *locate(("lint", "ignore", i))]
            for i, entry in enumerate(record.ignored_rules())
        ]
        dates = [
            [*locate(loc), str(date), date.start.isoformat()]
            for loc, date in FutureDate.dates_after(loaded, env.today)
        ]
    item = record_or_data(loaded)
    refs: list[list[object]] = []
    if item is not None:
        if record is None:
            state = RAW
        refs = [
            [
                # an id in a roll call or `dissociated` must be a state (see DPK312)
                "state"
                if ref.target_kind == "actor" and field_label(ref.loc) in ROLL_FIELDS
                else ref.target_kind,
                ref.target,
                *locate(ref.loc),
            ]
            for ref in iter_references(item[0], item[1])
        ]
    return FileSummary(state, record_id, id_at, refs, actor, ignores, problems, dates)
