"""Shared fixtures for the contributors' commands: small datasets in git repositories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from dprkhr.cli import app

REPO = Path(__file__).resolve().parent.parent
VOCABULARIES = ("forums.yaml", "tags.yaml", "event-types.yaml")

SOURCE = """\
id: ijks-2024-un-and-nk-human-rights
title: The United Nations and North Korean human rights
kind: article
publisher: International Journal of Korean Studies
published: "2024"
language: en
lint:
  ignore: [DPK604]
  reason: a printed journal with no page; its text is in the archive
"""

ACTOR = """\
# An actor with comments, to check that they survive.
id: volker-turk
name: Volker Türk
kind: person
aliases: [Volker Turk]
sources:
  - source: ijks-2024-un-and-nk-human-rights  # where the name comes from
    quote: Volker Turk, the UN High Commissioner for Human Rights
"""

EVENT = """\
id: 2023-08-17-unsc-briefing
date: "2023-08-17"
type: briefing
forum: UNSC
title: Security Council open briefing on human rights in the DPRK
participants:
  - actor: volker-turk
    role: briefer
sources:
  - source: ijks-2024-un-and-nk-human-rights
    quote: the first in six years
"""


def make_dataset(base: Path, records: dict[str, str] | None = None) -> Path:
    """A small valid dataset under `base/data`; returns the data root."""
    root = base / "data"
    for folder in ("actors", "events", "resolutions", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / name, root / name)
    files = {
        "sources/ijks-2024-un-and-nk-human-rights.yaml": SOURCE,
        "actors/volker-turk.yaml": ACTOR,
        "events/2023-08-17-unsc-briefing.yaml": EVENT,
    }
    files.update(records or {})
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def git_repo(base: Path, records: dict[str, str] | None = None) -> Path:
    """A git repository at `base` on branch main, holding a committed dataset."""
    base.mkdir(parents=True, exist_ok=True)
    git(base, "init", "-q", "-b", "main")
    git(base, "config", "user.name", "Test")
    git(base, "config", "user.email", "test@example.org")
    git(base, "config", "commit.gpgsign", "false")
    root = make_dataset(base, records)
    commit(base, "initial dataset")
    return root


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def run(root: Path, *args: str, input: str | None = None):
    """Invoke the CLI on the dataset at `root`."""
    return CliRunner().invoke(app, ["--data", str(root), *args], input=input)
