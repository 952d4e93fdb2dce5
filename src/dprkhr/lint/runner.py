"""Running the rules over a dataset: selection, suppressions, severities, filtering."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dprkhr.dataset import Dataset, LoadedFile, load_dataset, no_gc
from dprkhr.kb import KnowledgeBase
from dprkhr.lint.base import LintContext, Rule
from dprkhr.lint.config import LintConfig
from dprkhr.lint.rules import RULE_BY_CODE, RULES, find_rule
from dprkhr.lint.rules.meta import UnusedSuppression
from dprkhr.problems import Problem, Severity


@dataclass
class LintResult:
    problems: list[Problem]
    files_checked: int
    strict: bool = False
    rules_run: list[str] = field(default_factory=list)

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
    """Run every enabled rule over `dataset`; report on `only` files when given."""
    with no_gc():
        return _lint(dataset, config or LintConfig(), only, today)


def _lint(
    dataset: Dataset, config: LintConfig, only: Sequence[Path] | None, today: dt.date | None
) -> LintResult:
    kb = KnowledgeBase.from_dataset(dataset)
    ctx = LintContext(dataset=dataset, kb=kb, archive=config.archive)
    if today is not None:
        ctx.today = today
    file_by_display = {f.display: f for f in dataset.files}

    raw: list[tuple[Problem, LoadedFile | None]] = [
        (p, file_by_display.get(p.path))
        for p in dataset.problems
        if config.enabled(RULE_BY_CODE[p.code])
    ]
    rules_run = []
    for rule_class in RULES:
        if rule_class.reported_by_loader or rule_class is UnusedSuppression:
            continue
        if not config.enabled(rule_class):
            continue
        rules_run.append(rule_class.code)
        rule = rule_class()
        for finding in rule.check(ctx):
            line, column = finding.file.locate(finding.loc)
            problem = Problem(
                finding.file.display,
                line,
                column,
                rule_class.code,
                rule_class.name,
                rule_class.severity,
                finding.message,
                finding.suggestion,
            )
            raw.append((problem, finding.file))

    problems = _apply_suppressions(raw, dataset.files, config)
    problems = [p.with_severity(config.severity_of(RULE_BY_CODE[p.code])) for p in problems]
    if only is not None:
        wanted = {f.display for f in dataset.files if _within(f.path, only)}
        problems = [p for p in problems if p.path in wanted]
        files_checked = len(wanted)
    else:
        files_checked = len(dataset.files)
    return LintResult(
        problems=sorted(set(problems)),
        files_checked=files_checked,
        strict=config.strict,
        rules_run=rules_run,
    )


def _within(path: Path, roots: Iterable[Path]) -> bool:
    resolved = path.resolve()
    for root in roots:
        root = root.resolve()
        if resolved == root or root in resolved.parents:
            return True
    return False


def _apply_suppressions(
    raw: list[tuple[Problem, LoadedFile | None]], files: Iterable[LoadedFile], config: LintConfig
) -> list[Problem]:
    """Drop problems a record suppresses; report suppressions that suppress nothing."""
    kept: list[Problem] = []
    used: set[tuple[str, int]] = set()
    for problem, loaded in raw:
        ignored = loaded.record.ignored_rules() if loaded and loaded.record else []
        hit = next((i for i, entry in enumerate(ignored) if _suppresses(entry, problem)), None)
        if hit is None:
            kept.append(problem)
        else:
            used.add((problem.path, hit))
    if config.enabled(UnusedSuppression):
        kept.extend(unused_suppressions(files, used, config))
    return kept


def _suppresses(entry: str, problem: Problem) -> bool:
    rule = find_rule(entry)
    if rule is not None:
        return rule.code == problem.code
    return problem.code.startswith(entry.upper())


def unused_suppressions(
    files: Iterable[LoadedFile], used: set[tuple[str, int]], config: LintConfig
) -> list[Problem]:
    out = []
    for loaded in files:
        if loaded.record is None:
            continue
        for i, entry in enumerate(loaded.record.ignored_rules()):
            if (loaded.display, i) in used:
                continue
            rule = find_rule(entry)
            if rule is not None and not config.enabled(rule):
                continue  # its rule did not run, so it may well be needed
            line, column = loaded.locate(("lint", "ignore", i))
            known = find_rule(entry) is not None or any(
                code.startswith(entry.upper()) for code in RULE_BY_CODE
            )
            message = (
                f"`{entry}` is suppressed here but reports nothing"
                if known
                else f"`{entry}` is not a rule code or name"
            )
            out.append(
                Problem(
                    loaded.display,
                    line,
                    column,
                    UnusedSuppression.code,
                    UnusedSuppression.name,
                    UnusedSuppression.severity,
                    message,
                    "remove it from `lint.ignore`",
                )
            )
    return out


def lint_paths(
    root: Path,
    paths: Sequence[Path] = (),
    config: LintConfig | None = None,
    cwd: Path | None = None,
    cache: bool = False,
) -> LintResult:
    """Load the dataset at `root` (plus any `paths` outside it) and lint it, reporting on
    `paths` only when some are given."""
    extra = []
    for path in paths:
        if path.is_dir():
            extra.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            extra.append(path)
    dataset = load_dataset(root, extra=extra, cwd=cwd, cache=cache)
    return lint_dataset(dataset, config, only=list(paths) if paths else None)


__all__ = ["LintResult", "Rule", "Severity", "lint_dataset", "lint_paths"]
