"""Running the rules over a dataset: selection, suppressions, severities, filtering.

A lint run has two steps. Every file is summarised on its own (`dprkhr.lint.summary`):
read, validated, checked by the per-file rules, and reduced to what the cross-record
rules need; with the cache on, the summaries of files unchanged since they were made come
from the store (`dprkhr.lint.storage`) and the others are read, in worker processes when
there are many (`dprkhr.lint.collect`). Then the cross-record rules run over the
summaries, and the selection, the records' suppressions and the severities are applied
(`report`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dprkhr.dataset import Dataset, no_gc
from dprkhr.lint.base import FileEnv, Rule
from dprkhr.lint.config import LintConfig
from dprkhr.lint.rules import RULE_BY_CODE, RULES, find_rule
from dprkhr.lint.rules.events import FutureDate
from dprkhr.lint.rules.meta import UnusedSuppression
from dprkhr.lint.view import DamagedSummary, DatasetView, Placed
from dprkhr.problems import Problem, Severity


@dataclass
class LintResult:
    problems: list[Problem]
    files_checked: int
    strict: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(p.severity.value for p in self.problems)

    @property
    def errors(self) -> int:
        return self.counts["error"]

    @property
    def warnings(self) -> int:
        return self.counts["warning"]

    @property
    def files_with_problems(self) -> int:
        return len({p.path for p in self.problems})

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 errors (or warnings when strict)."""
        if self.errors or (self.strict and self.warnings):
            return 1
        return 0


def lint_dataset(
    dataset: Dataset,
    config: LintConfig | None = None,
    only: Sequence[Path] | None = None,
    today: dt.date | None = None,
) -> LintResult:
    """Run every enabled rule over a loaded `dataset`; report on `only` files when given.

    Places are found by parsing each file again (a loaded dataset keeps no node trees):
    `lint_paths` reads and lints in one pass, and caches.
    """
    from dprkhr.lint.summary import summarise

    config = config or LintConfig()
    day = today or dt.date.today()
    env = FileEnv(forums=dataset.forums, today=day, archive=config.archive)
    with no_gc():
        summaries = []
        for loaded in dataset.files:
            had_doc = loaded.doc is not None
            summaries.append(summarise(loaded, env))
            if not had_doc:
                loaded.doc = None  # parsed only to find places; do not keep it
    view = DatasetView(
        displays=[f.display for f in dataset.files],
        kinds=[f.kind for f in dataset.files],
        summaries=summaries,
        forums=dataset.forums,
        tags=[t.id for t in dataset.tags],
        event_types=[t.id for t in dataset.event_types],
        vocab_loaded=dict(dataset.vocab_loaded),
    )
    in_files = {id(p) for f in dataset.files for p in f.problems}
    loose = [p for p in dataset.problems if id(p) not in in_files]
    problems = report(view, loose, config, day)
    if only is not None:
        wanted = {f.display for f in dataset.files if _within(f.path, only)}
        return LintResult(
            problems=[p for p in problems if p.path in wanted],
            files_checked=len(wanted),
            strict=config.strict,
        )
    return LintResult(problems=problems, files_checked=len(dataset.files), strict=config.strict)


def report(
    view: DatasetView, loose: Iterable[Problem], config: LintConfig, today: dt.date
) -> list[Problem]:
    """Every problem of the dataset, sorted: the files' own problems and the cross-record
    rules' findings, for the enabled rules, less what records suppress, plus the unused
    suppressions, at the configured severities."""
    enabled = {rule.code: config.enabled(rule) for rule in RULES}
    # (file index, line, column, code, message, suggestion)
    raw: list[tuple[int, int, int, str, str, str | None]] = []
    for index, summary in enumerate(view.summaries):
        for line, column, code, message, suggestion in summary.problems:
            if enabled[code]:
                raw.append((index, line, column, code, message, suggestion))
        if summary.dates and enabled[FutureDate.code]:
            for line, column, text, start in summary.dates:
                if type(text) is not str:
                    raise DamagedSummary(view.displays[index])
                if dt.date.fromisoformat(start) > today:
                    message, suggestion = FutureDate.report(text, today)
                    raw.append((index, line, column, FutureDate.code, message, suggestion))
    digests: dict[int, str] = {}
    for rule_class in RULES:
        if not enabled[rule_class.code] or rule_class.check_dataset is Rule.check_dataset:
            continue
        found = _dataset_findings(rule_class(), view, digests)
        for index, line, column, message, suggestion in found:
            raw.append((index, line, column, rule_class.code, message, suggestion))

    kept: list[Problem] = []
    used: set[tuple[int, int]] = set()
    severity = {code: config.severity_of(rule) for code, rule in RULE_BY_CODE.items()}
    suppresses: dict[tuple[str, str], bool] = {}
    for index, line, column, code, message, suggestion in raw:
        if not _well_typed(line, column, message, suggestion):
            raise DamagedSummary(view.displays[index])
        ignores = view.summaries[index].ignores
        hit = None
        for i, entry in enumerate(ignores):
            known = suppresses.get((entry[0], code))
            if known is None:
                known = suppresses[(entry[0], code)] = _suppresses(entry[0], code)
            if known:
                hit = i
                break
        if hit is not None:
            used.add((index, hit))
            continue
        kept.append(
            Problem(
                view.displays[index],
                line,
                column,
                code,
                RULE_BY_CODE[code].name,
                severity[code],
                message,
                suggestion,
            )
        )
    kept.extend(p.with_severity(severity[p.code]) for p in loose if enabled[p.code])
    if enabled[UnusedSuppression.code]:
        kept.extend(_unused_suppressions(view, used, config, severity[UnusedSuppression.code]))
    return cap_repeated(sorted(set(kept), key=_place))


def _dataset_findings(rule: Rule, view: DatasetView, digests: dict[int, str]) -> list[Placed]:
    """A rule's cross-record findings: those a previous run kept while what the rule reads
    is the same, else made again (and kept in `view.keep` for the next run). What it reads
    is its `Rule.dataset_inputs` (their data and files: findings are kept by file), else
    the whole view, when it is the store's as of one generation (`DatasetView.unchanged`:
    the same files in the same order, so findings are kept by file index). `digests`
    holds the digests of the inputs made so far in this run, by `id`."""
    displays = view.displays
    inputs = rule.dataset_inputs(view)
    kept = view.kept.get(rule.code)
    if inputs is None:
        digest = view.unchanged
        if digest is None:
            return list(rule.check_dataset(view))
        if type(kept) is list and len(kept) == 2 and kept[0] == digest:
            again = _by_index(kept[1], len(displays))
            if again is not None:
                return again
        found = list(rule.check_dataset(view))
        view.keep[rule.code] = [digest, [list(item) for item in found]]
        return found
    if id(inputs) not in digests:
        read = json.dumps([[displays[index], data] for index, data in inputs])
        digests[id(inputs)] = hashlib.blake2b(read.encode(), digest_size=20).hexdigest()
    digest = digests[id(inputs)]
    index_of = {displays[index]: index for index, _data in inputs}
    complete = len(index_of) == len(inputs)  # (two files shown alike: nothing kept)
    if complete and type(kept) is list and len(kept) == 2 and kept[0] == digest:
        try:
            return [
                (index_of[display], line, column, message, suggestion)
                for display, line, column, message, suggestion in kept[1]
            ]
        except (KeyError, TypeError, ValueError):
            pass  # not what lint keeps: made again
    found = list(rule.check_dataset(view))
    if complete and {item[0] for item in found} <= {index for index, _data in inputs}:
        view.keep[rule.code] = [digest, [[displays[item[0]], *item[1:]] for item in found]]
    return found


def _by_index(kept: Any, files: int) -> list[Placed] | None:
    """Findings kept by file index, if that is what `kept` holds (else None: made
    again)."""
    found: list[Placed] = []
    try:
        for index, line, column, message, suggestion in kept:
            if not (type(index) is int and 0 <= index < files):
                return None
            found.append((index, line, column, message, suggestion))
    except (TypeError, ValueError):
        return None
    return found


MAX_REPEATED = 20
"""Problems of one rule shown per file; the rest are counted in one more problem."""


def cap_repeated(problems: list[Problem], limit: int = MAX_REPEATED) -> list[Problem]:
    """At most `limit` problems of one rule per file (sorted problems in, sorted out): a
    broken or generated file can repeat one mistake thousands of times. The problems cut
    are counted in one problem of that rule, at the place of the first one cut."""
    counts: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.path, problem.code)
        counts[key] = counts.get(key, 0) + 1
    if all(n <= limit for n in counts.values()):
        return problems
    out: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.path, problem.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= limit:
            out.append(problem)
        elif seen[key] == limit + 1:
            more = counts[key] - limit
            out.append(
                replace(
                    problem,
                    message=f"{more:,} more {problem.code} problems in this file are not "
                    f"shown (showing {limit} of {counts[key]:,})",
                    suggestion="fix the ones shown (often one mistake repeated), then lint again",
                )
            )
    return out


def _place(problem: Problem) -> tuple[Any, ...]:
    """The fields of a problem in order: sorting by them is sorting problems (much faster
    than comparing `Problem`s)."""
    return (
        problem.path,
        problem.line,
        problem.column,
        problem.code,
        problem.rule,
        problem.severity,
        problem.message,
        problem.suggestion,
    )


def _well_typed(line: Any, column: Any, message: Any, suggestion: Any) -> bool:
    return (
        type(line) is int
        and type(column) is int
        and type(message) is str
        and (suggestion is None or type(suggestion) is str)
    )


def _suppresses(entry: str, code: str) -> bool:
    rule = find_rule(entry)
    if rule is not None:
        return rule.code == code
    return code.startswith(entry.upper())


def _unused_suppressions(
    view: DatasetView, used: set[tuple[int, int]], config: LintConfig, severity: Severity
) -> list[Problem]:
    out = []
    for index, summary in enumerate(view.summaries):
        for i, (entry, line, column) in enumerate(summary.ignores):
            if (index, i) in used:
                continue
            if not (type(entry) is str and _well_typed(line, column, "", None)):
                raise DamagedSummary(view.displays[index])
            rule = find_rule(entry)
            if rule is not None and not config.enabled(rule):
                continue  # its rule did not run, so it may well be needed
            known = rule is not None or any(code.startswith(entry.upper()) for code in RULE_BY_CODE)
            message = (
                f"`{entry}` is suppressed here but reports nothing"
                if known
                else f"`{entry}` is not a rule code or name"
            )
            out.append(
                Problem(
                    view.displays[index],
                    line,
                    column,
                    UnusedSuppression.code,
                    UnusedSuppression.name,
                    severity,
                    message,
                    "remove it from `lint.ignore`",
                )
            )
    return out


def _within(path: Path, roots: Iterable[Path]) -> bool:
    resolved = path.resolve()
    for root in roots:
        root = root.resolve()
        if resolved == root or root in resolved.parents:
            return True
    return False


@dataclass
class Linted:
    """A whole lint run before filtering: every file (display, location) and problem."""

    files: list[tuple[str, str]]
    problems: list[Problem]
    view: DatasetView


def lint_files(
    root: Path,
    extra: Sequence[Path] = (),
    config: LintConfig | None = None,
    cwd: Path | None = None,
    cache: bool = False,
    today: dt.date | None = None,
    workers: int | None = None,
    with_refs: bool = False,
) -> Linted:
    """Read (or take from the store) and lint every file under `root` plus `extra` files
    elsewhere. With `with_refs`, every
    file's references are loaded into the result's view (those of summaries from the store
    are otherwise only there while it is open)."""
    from dprkhr.lint.collect import collect

    config = config or LintConfig()
    day = today or dt.date.today()
    with no_gc():
        collected = collect(root, extra, cwd, day, config.archive, cache, workers)
        try:
            problems = report(collected.view, collected.loose, config, day)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            if not collected.reused:
                raise
            # something stored is not what lint writes (the store was changed by hand, or
            # damaged unnoticed): make every summary again
            collected.close()
            collected.drop()
            collected = collect(root, extra, cwd, day, config.archive, cache, workers, False)
            problems = report(collected.view, collected.loose, config, day)
        finally:
            collected.close()
        if with_refs:
            for index in range(len(collected.view.summaries)):
                collected.view.refs(index)
    collected.save()
    found = list(zip(collected.view.displays, collected.locations, strict=True))
    return Linted(found, problems, collected.view)


def expand(paths: Sequence[Path]) -> list[Path]:
    """The record files named by `paths`: files as given, folders searched for YAML."""
    extra = []
    for path in paths:
        if path.is_dir():
            extra.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            extra.append(path)
    return extra


def lint_paths(
    root: Path,
    paths: Sequence[Path] = (),
    config: LintConfig | None = None,
    cwd: Path | None = None,
    cache: bool = False,
) -> LintResult:
    """Load the dataset at `root` (plus any `paths` outside it) and lint it, reporting on
    `paths` only when some are given.

    With `cache=True`, only the files changed since they were last linted are read (see
    `dprkhr.lint.storage`); the cross-record rules run over every file's summary.
    """
    config = config or LintConfig()
    only = list(paths) if paths else None
    linted = lint_files(root, expand(paths), config=config, cwd=cwd, cache=cache)
    return report_on(linted.files, linted.problems, config, only)


def report_on(
    files: list[tuple[str, str]],
    problems: list[Problem],
    config: LintConfig,
    only: Sequence[Path] | None,
) -> LintResult:
    """The result for the files within `only` (all files when None)."""
    if only is None:
        return LintResult(problems=problems, files_checked=len(files), strict=config.strict)
    wanted = {display for display, location in files if _within(Path(location), only)}
    return LintResult(
        problems=[p for p in problems if p.path in wanted],
        files_checked=len(wanted),
        strict=config.strict,
    )


__all__ = ["LintResult", "Rule", "Severity", "lint_dataset", "lint_files", "lint_paths", "report"]
