"""The licence and citation metadata say the same thing everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dprkhr

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_declares_code_and_data_licences() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    # a licence expression and licence classifiers must not be mixed (PEP 639)
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]


def test_citation_file_matches_the_package() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(dprkhr.__version__)}$", text, re.M)
    assert re.search(r"^license: CC-BY-4.0$", text, re.M)


def test_readme_and_contributing_state_the_licence() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme and "## Citing" in readme and "CC BY 4.0" in readme
    assert "CC BY 4.0" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
