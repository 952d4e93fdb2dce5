"""`mypy --strict` (with pyproject's `[tool.mypy]`) passes on every module listed here.

A module goes into `STRICT_CLEAN` once `mypy` reports nothing for it, and stays clean from
then on; a module that is deleted leaves the list. To see what is left in the whole
package: `mypy` (pyproject's `files` is `src/dprkhr`). One run checks the whole list, with
errors reported for the listed modules only (`--follow-imports=silent`: the modules they
import are read for their types, not judged), and a cache in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dprkhr"

STRICT_CLEAN = [
    "__init__.py",
    "__main__.py",
    "changed.py",
    "cli/__init__.py",
    "cli/common.py",
    "cli/complete.py",
    "cli/contrib.py",
    "cli/csvrows.py",
    "cli/diff.py",
    "cli/export.py",
    "cli/fmt.py",
    "cli/lint.py",
    "cli/new.py",
    "cli/output.py",
    "cli/query.py",
    "cli/schema.py",
    "cli/vocab.py",
    "cli/votes.py",
    "completion.py",
    "dataset.py",
    "dates.py",
    "diff.py",
    "docgen.py",
    "errors.py",
    "export/__init__.py",
    "export/csvfmt.py",
    "export/datasette.py",
    "export/graph.py",
    "export/ics.py",
    "export/jsonfmt.py",
    "export/output.py",
    "export/popolo.py",
    "export/selection.py",
    "export/sqlitefmt.py",
    "export/tables.py",
    "filters.py",
    "fmt.py",
    "fsio.py",
    "gitio.py",
    "kb.py",
    "layout.py",
    "lint/__init__.py",
    "lint/base.py",
    "lint/collect.py",
    "lint/config.py",
    "lint/reporters.py",
    "lint/rules/__init__.py",
    "lint/rules/actors.py",
    "lint/rules/citations.py",
    "lint/rules/events.py",
    "lint/rules/files.py",
    "lint/rules/identity.py",
    "lint/rules/meta.py",
    "lint/rules/references.py",
    "lint/rules/resolutions.py",
    "lint/rules/text.py",
    "lint/rules/votes.py",
    "lint/runner.py",
    "lint/storage.py",
    "lint/summary.py",
    "lint/view.py",
    "workers.py",
    "models/__init__.py",
    "models/actor.py",
    "models/common.py",
    "models/event.py",
    "models/resolution.py",
    "models/source.py",
    "models/vocab.py",
    "names.py",
    "new.py",
    "ordering.py",
    "problems.py",
    "query.py",
    "safetext.py",
    "schema.py",
    "store.py",
    "storequery.py",
    "suggest.py",
    "textmatch.py",
    "vocab.py",
    "votes.py",
    "yamlio.py",
]
"""Paths under src/dprkhr that `mypy --strict` passes on."""


def test_the_list_names_existing_modules_once() -> None:
    assert len(set(STRICT_CLEAN)) == len(STRICT_CLEAN), "a module is listed twice"
    gone = [name for name in STRICT_CLEAN if not (PACKAGE / name).is_file()]
    assert not gone, f"listed in STRICT_CLEAN but not in src/dprkhr (remove them): {gone}"


def test_mypy_strict_passes_on_the_clean_modules(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip(
            "mypy is not installed (it comes with the test extra: pip install -e '.[test]')"
        )
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--strict",
        "--follow-imports=silent",
        "--cache-dir",
        str(tmp_path / "mypy-cache"),
        "--no-error-summary",
        *(str(PACKAGE / name) for name in STRICT_CLEAN),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"mypy --strict:\n{result.stdout}{result.stderr}"
