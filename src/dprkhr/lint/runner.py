"""Running the rules over a dataset: selection, suppressions, severities, filtering."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    for rule_class in RULES:
        if rule_class.reported_by_loader or rule_class is UnusedSuppression:
            continue
        if not config.enabled(rule_class):
            continue
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
    `paths` only when some are given.

    With `cache=True`, a run whose every input is unchanged since the last one (each
    file's size, modification time and, when recent, content; the vocabularies; the
    settings; the archive; today's date) answers from the remembered result without
    reading any record; any other run reads what changed and remembers its result.
    """
    config = config or LintConfig()
    extra = []
    for path in paths:
        if path.is_dir():
            extra.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            extra.append(path)
    only = list(paths) if paths else None
    started_ns = time.time_ns()
    key = _memo_key(root, extra, config, cwd) if cache else None
    if key is not None:
        remembered = _memo_read(root, key)
        if remembered is not None:
            files, problems = remembered
            return _report_on(files, problems, config, only)
    dataset = load_dataset(root, extra=extra, cwd=cwd, cache=cache)
    full = lint_dataset(dataset, config)
    files = [(f.display, f.location) for f in dataset.files]
    if key is not None:
        _memo_write(root, key, files, full.problems, started_ns)
    return _report_on(files, full.problems, config, only)


def _report_on(
    files: list[tuple[str, str]],
    problems: list[Problem],
    config: LintConfig,
    only: Sequence[Path] | None,
) -> LintResult:
    if only is None:
        return LintResult(problems=problems, files_checked=len(files), strict=config.strict)
    wanted = {display for display, location in files if _within(Path(location), only)}
    return LintResult(
        problems=[p for p in problems if p.path in wanted],
        files_checked=len(wanted),
        strict=config.strict,
    )


def _memo_file(root: Path) -> Path:
    from dprkhr.cache import cache_file

    records = cache_file(root)
    return records.with_name(records.name.replace("records-", "lint-", 1))


def _memo_key(
    root: Path, extra: Sequence[Path], config: LintConfig, cwd: Path | None
) -> str | None:
    """A digest of everything a lint result depends on, or None when some file changed
    too recently to be told apart by its modification time."""
    import hashlib
    import json

    from dprkhr.cache import RACY_NS
    from dprkhr.dataset import discover, display_path

    manifest: list[Any] = []
    newest = 0
    try:
        for path, _kind, relative in discover(root):
            stat = os.stat(path)
            manifest.append((relative, stat.st_size, stat.st_mtime_ns))
            newest = max(newest, stat.st_mtime_ns)
        inside = root.resolve()
        for path in extra:
            if inside in path.resolve().parents:
                continue  # already in the manifest
            stat = os.stat(path)
            manifest.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
            newest = max(newest, stat.st_mtime_ns)
        archive: list[Any] = []
        if config.archive is not None:
            for entry in sorted(os.scandir(config.archive), key=lambda e: e.name):
                if entry.name.endswith(".txt"):
                    stat = entry.stat()
                    archive.append((entry.name, stat.st_size, stat.st_mtime_ns))
                    newest = max(newest, stat.st_mtime_ns)
    except OSError:
        return None
    if newest >= time.time_ns() - RACY_NS:
        return None  # a file changed within the last moments: read everything
    settings = {
        "select": config.select,
        "ignore": config.ignore,
        "strict": config.strict,
        "severity": {k: v.value for k, v in sorted(config.severity.items())},
        "archive": str(config.archive) if config.archive else None,
    }
    document = {
        "files": manifest,
        "archive": archive,
        "settings": settings,
        "today": dt.date.today().isoformat(),
        "display": display_path(root, cwd),
        "cwd": str(cwd or Path.cwd()),  # paths are shown relative to it
    }
    return hashlib.blake2b(json.dumps(document).encode(), digest_size=20).hexdigest()


def _memo_read(root: Path, key: str) -> tuple[list[tuple[str, str]], list[Problem]] | None:
    from dprkhr.cache import read_document

    document = read_document(_memo_file(root), root)
    if document is None or document[0].get("key") != key:
        return None
    body = document[1]
    try:
        files = [(str(display), str(location)) for display, location in body["files"]]
        problems = [
            Problem(path, line, column, code, rule, Severity(severity), message, suggestion)
            for path, line, column, code, rule, severity, message, suggestion in body["problems"]
        ]
    except (KeyError, TypeError, ValueError):
        return None
    if any(p.code not in RULE_BY_CODE for p in problems):
        return None
    return files, problems


def _memo_write(
    root: Path, key: str, files: list[tuple[str, str]], problems: list[Problem], started_ns: int
) -> None:
    from dprkhr.cache import write_document

    body = {
        "files": files,
        "problems": [
            [p.path, p.line, p.column, p.code, p.rule, p.severity.value, p.message, p.suggestion]
            for p in problems
        ],
    }
    write_document(_memo_file(root), root, body, started_ns, extra={"key": key})


__all__ = ["LintResult", "Rule", "Severity", "lint_dataset", "lint_paths"]
