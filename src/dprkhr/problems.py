"""Problems found in data: a value with a code, a severity and a place."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class Severity(str, Enum):
    error = "error"
    warning = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. Sorted by place: path, line, column, then code."""

    path: str
    line: int
    column: int
    code: str
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None

    def with_severity(self, severity: Severity) -> Problem:
        return replace(self, severity=severity)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
        }


# Problems that reading and validating a file can raise, before any lint rule runs.
# The documented rule classes in `dprkhr.lint.rules.files` carry the same codes.
YAML_SYNTAX = ("DPK001", "yaml-syntax")
DUPLICATE_KEY = ("DPK002", "duplicate-key")
YAML_DIALECT = ("DPK003", "yaml-dialect")
SCHEMA = ("DPK004", "schema")
INVALID_DATE = ("DPK005", "invalid-date")
UNKNOWN_FILE = ("DPK006", "unknown-file")

LOAD_ISSUE_RULES = {
    "syntax": YAML_SYNTAX,
    "duplicate-key": DUPLICATE_KEY,
    "dialect": YAML_DIALECT,
}
