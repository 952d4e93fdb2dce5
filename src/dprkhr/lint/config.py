"""Lint settings: rule selection by code prefix or name, severities, strictness.

Defaults come from `[tool.dprkhr.lint]` in the nearest `pyproject.toml`; command-line
options add to them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkhr.errors import UsageError
from dprkhr.fsio import read_text
from dprkhr.lint.base import Rule
from dprkhr.lint.rules import RULE_BY_NAME, RULES
from dprkhr.problems import Severity
from dprkhr.suggest import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 has no TOML parser of its own: tomli is the same one
    import tomli as tomllib  # type: ignore[import-not-found]  # only installed on 3.10

CONFIG_LIMIT = 4 * 1024 * 1024
"""A pyproject.toml larger than this is not read."""

_KEYS = {"select", "ignore", "extend-select", "strict", "severity", "archive"}


def _check_selector(selector: str, origin: str) -> str:
    """A selector is a rule name or a code prefix (`DPK`, `DPK3`, `DPK301`)."""
    text = selector.strip()
    if text.lower() in RULE_BY_NAME:
        return text.lower()
    upper = text.upper()
    if upper and any(rule.code.startswith(upper) for rule in RULES) and upper.startswith("DPK"):
        return upper
    choices = [r.code for r in RULES] + [r.name for r in RULES]
    hint = did_you_mean(text, choices)
    raise UsageError(
        f"{origin}: unknown rule `{selector}`"
        + (f"; {hint}" if hint else "")
        + " (see `dprkhr lint --list-rules`)"
    )


@dataclass
class LintConfig:
    select: list[str] = field(default_factory=lambda: ["DPK"])
    ignore: list[str] = field(default_factory=list)
    strict: bool = False
    severity: dict[str, Severity] = field(default_factory=dict)
    archive: Path | None = None
    source: Path | None = None
    """The pyproject.toml the defaults came from, if any."""

    def enabled(self, rule: type[Rule]) -> bool:
        """The longest matching selector decides; on a tie, `ignore` wins."""
        best_len, best_enabled = -1, False
        for selectors, enable in ((self.select, True), (self.ignore, False)):
            for selector in selectors:
                length = _match_length(selector, rule)
                if length > best_len or (length == best_len and length >= 0 and not enable):
                    best_len, best_enabled = length, enable
        return best_enabled

    def severity_of(self, rule: type[Rule]) -> Severity:
        return self.severity.get(rule.code, self.severity.get(rule.name, rule.severity))

    def merged(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
        strict: bool | None = None,
        archive: Path | None = None,
    ) -> LintConfig:
        """These settings with command-line options applied on top."""
        chosen = [_check_selector(s, "--select") for s in select] if select else list(self.select)
        chosen += [_check_selector(s, "--extend-select") for s in extend_select]
        return LintConfig(
            select=chosen,
            ignore=self.ignore + [_check_selector(s, "--ignore") for s in ignore],
            strict=self.strict if strict is None else strict,
            severity=dict(self.severity),
            archive=archive if archive is not None else self.archive,
            source=self.source,
        )


def _match_length(selector: str, rule: type[Rule]) -> int:
    if selector == rule.name:
        return len(rule.code) + 1  # a full name is as specific as a full code
    if rule.code.startswith(selector):
        return len(selector)
    return -1


def find_pyproject(*starts: Path) -> Path | None:
    """The nearest pyproject.toml with a `[tool.dprkhr]` table, above any start folder."""
    seen: set[Path] = set()
    for start in starts:
        for folder in (start, *start.parents):
            if folder in seen:
                continue
            seen.add(folder)
            candidate = folder / "pyproject.toml"
            if candidate.is_file():
                try:
                    text = read_text(candidate, CONFIG_LIMIT)
                except (OSError, UnicodeDecodeError):
                    continue
                if "[tool.dprkhr" in text:
                    return candidate
    return None


def load_config(pyproject: Path | None) -> LintConfig:
    """Read `[tool.dprkhr.lint]`; a broken table is a usage error naming the file."""
    if pyproject is None:
        return LintConfig()
    try:
        data = tomllib.loads(read_text(pyproject, CONFIG_LIMIT))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{pyproject}: cannot read [tool.dprkhr.lint]: {exc}") from None
    table: Any = data.get("tool", {}).get("dprkhr", {}).get("lint", {})
    if not isinstance(table, dict):
        raise UsageError(f"{pyproject}: [tool.dprkhr.lint] must be a table")
    origin = f"{pyproject} [tool.dprkhr.lint]"
    unknown = set(table) - _KEYS
    if unknown:
        key = sorted(unknown)[0]
        hint = did_you_mean(key, _KEYS)
        raise UsageError(f"{origin}: unknown key `{key}`" + (f"; {hint}" if hint else ""))
    config = LintConfig(source=pyproject)
    for key in ("select", "ignore", "extend-select"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{origin}: `{key}` must be a list of rule codes or names")
        checked = [_check_selector(v, f"{origin} {key}") for v in value]
        if key == "select":
            config.select = checked
        elif key == "ignore":
            config.ignore = checked
        else:
            config.select += checked
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise UsageError(f"{origin}: `strict` must be true or false")
    config.strict = strict
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise UsageError(f'{origin}: `severity` must be a table like {{ DPK402 = "error" }}')
    for key, value in severities.items():
        from dprkhr.lint.rules import find_rule

        rule = find_rule(key)
        if rule is None:
            raise UsageError(f"{origin}: severity for unknown rule `{key}`")
        try:
            config.severity[rule.code] = Severity(value)
        except ValueError:
            raise UsageError(
                f'{origin}: severity of {key} must be "error" or "warning", not {value!r}'
            ) from None
    archive = table.get("archive")
    if archive is not None:
        if not isinstance(archive, str):
            raise UsageError(f"{origin}: `archive` must be a path")
        config.archive = (pyproject.parent / archive).resolve()
    return config
