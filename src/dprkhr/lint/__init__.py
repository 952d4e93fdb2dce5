"""Lint: rules over the dataset, a runner, and reporters.

```python
from dprkhr.lint import LintConfig, lint_paths
result = lint_paths(Path("data"))
result.problems  # sorted Problem values
```
"""

from __future__ import annotations

from dprkhr.lint.config import LintConfig, find_pyproject, load_config
from dprkhr.lint.runner import LintResult, lint_dataset, lint_paths

__all__ = [
    "LintConfig",
    "LintResult",
    "find_pyproject",
    "lint_dataset",
    "lint_paths",
    "load_config",
]
