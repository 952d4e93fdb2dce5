"""Shared fixtures: small datasets built in tmp_path."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new examples on every local run; in CI (CI=true) they replay the
# same examples each run, so a submission's verdict does not depend on the draw.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
VOCABULARIES = ("forums.yaml", "tags.yaml", "event-types.yaml")

BASE_RECORDS: dict[str, str] = {
    "sources/ijks-2024-un-and-nk-human-rights.yaml": """
        id: ijks-2024-un-and-nk-human-rights
        title: Article on the United Nations and North Korean human rights
        kind: article
        published: "2024"
        lint:
          ignore: [DPK604]
          reason: a printed journal with no page; its text is in the archive
    """,
    "sources/korea-herald-2024-seoul-forum.yaml": """
        id: korea-herald-2024-seoul-forum
        title: Seoul Forum spotlights roles of China, Russia in NK human rights
        kind: news
        published: "2024-07-11"
        url: https://www.koreaherald.com/view.php?ud=20240711050705
    """,
    "actors/volker-turk.yaml": """
        id: volker-turk
        name: Volker Türk
        kind: person
        aliases: [Volker Turk, Volker Tirk]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """,
    "actors/elizabeth-salmon.yaml": """
        id: elizabeth-salmon
        name: Elizabeth Salmón
        kind: person
        aliases: [Elizabeth Salmon]
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: Dr. Elizabeth Salmén, the Special Rapporteur on North Korean human rights
    """,
    "actors/un-security-council.yaml": """
        id: un-security-council
        name: United Nations Security Council
        kind: un-body
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing
    """,
}

ARCHIVE_TEXT = (
    "The Permanent Representatives of Japan and the ROK both addressed the Security\n"
    "Council during the briefing, which opened with remarks by Volker Turk,\n"
    "the UN High Commissioner for Human Rights and Dr. Elizabeth Salmén,\n"
    "the Special Rapporteur on North Korean human rights.\n"
    "Finally, North Korea’s fourth cycle of the Universal Periodic Review in\n"
    "November 2024 will not only enable states and civil society organizations\n"
    "COVID-19 pandemic. In her statement to the HRC in April 2024,\n"
    "The Special Rapporteur on the situation of human rights in the DPRK\n"
    "Korean human rights within the UN system. The Commission on Human\n"
    "Rights, the HRC’s predecessor, first adopted a resolution expressing\n"
    "one-year Commission of Inquiry (COI) in 2013 to “investigate systematic,\n"
    "2397 “called for the repatriation of all [North Koreans] earning income\n"
    "North Korean people would do well to remember the words of former COI\n"
    "Chair Michael Kirby, who stated in January 2024 that\n"
    "The UN Office of the High Commissioner for Human Rights (OHCHR)\n"
    "series of summits surrounding the Korean Peninsula in 2018 and 2019. As\n"
    "the OHCHR’s Seoul office was established pursuant to the COI’s\n"
)
"""Lines of the archived IJKS text (`../shared/sources`): the archive the tests check quotes
against, and the quotes of the rules' documented examples come from it."""

MakeData = Callable[..., Path]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Commands cache parsed records; keep each test's cache out of the user's home."""
    monkeypatch.setenv("DPRKHR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def make_data(tmp_path: Path) -> MakeData:
    """Build `tmp_path/data` with the repository's vocabularies, a few base records, and
    the given extra files (`{"events/x.yaml": "..."}`; text is dedented)."""

    def build(files: dict[str, str] | None = None, base: bool = True) -> Path:
        root = tmp_path / "data"
        for folder in ("actors", "events", "resolutions", "sources"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        for name in VOCABULARIES:
            shutil.copy(REPO / "data" / name, root / name)
        if base:
            for relative, text in BASE_RECORDS.items():
                write(root, relative, text)
        for relative, text in (files or {}).items():
            write(root, relative, text)
        return root

    return build


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "ijks-2024-un-and-nk-human-rights.txt").write_text(ARCHIVE_TEXT, encoding="utf-8")
    return folder
