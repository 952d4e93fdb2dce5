"""CONTRIBUTING.md followed literally: its commands, parsed out of the page, run in order
on a copy of the dataset in a fresh git repository, and print what the page shows."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PAGE = REPO / "CONTRIBUTING.md"


def _blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    return [(m[1], m[2]) for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)]


def walkthrough() -> list[tuple[str, str]]:
    """The steps of the walkthrough section: ("sh", command), ("console", command and
    its output) and ("yaml", a file's text), in page order."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## Walkthrough", 1)[1].split("\n## ", 1)[0]
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return _blocks(setup) + _blocks(section)


def _normalise(text: str) -> str:
    """Counts of files that change as the dataset grows, and a commit id."""
    text = re.sub(r"\(\d+ files? checked\)", "(N files checked)", text)
    text = re.sub(r"All \d+ files passed", "All N files passed", text)
    text = re.sub(r"\d+ files already canonical", "N files already canonical", text)
    return re.sub(r"^[0-9a-f]{7,40} \(merge base", "COMMIT (merge base", text, flags=re.M)


def _dprkhr() -> list[str]:
    script = Path(sys.executable).with_name("dprkhr")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dprkhr"]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git repository whose `main` holds a copy of the dataset, as a fork would."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    work = tmp_path / "dprkhr"
    shutil.copytree(REPO / "data", work / "data")
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "dataset"],
    ):
        subprocess.run([git, *args], cwd=work, check=True)
    return work


SKIPPED_SETUP = ("git clone", "python3 -m venv", "pip install", "pre-commit install")
"""Set-up lines the test environment has already done (it runs this very checkout)."""
PLACEHOLDERS = {"<id>": "s-res-2375", "<symbol or title>": "S/RES/2375 (2017)"}


def run_line(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    for placeholder, value in PLACEHOLDERS.items():
        line = line.replace(placeholder, value)
    words = shlex.split(line, comments=True)
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "COLUMNS": "200",
    }
    env.pop("DPRKHR_DATA", None)
    if words[0] == "dprkhr":
        words = [*_dprkhr(), *words[1:]]
    return subprocess.run(words, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_contributing_names_no_path_outside_the_repository() -> None:
    text = PAGE.read_text(encoding="utf-8")
    commands = [
        line.removeprefix("$ ")
        for lang, body in _blocks(text)
        if lang in ("sh", "console")
        for line in body.splitlines()
        if lang == "sh" or line.startswith("$ ")
    ]
    assert commands
    for command in commands:  # run from the repository's top folder
        assert not re.search(r"(^|[\s=])\.\./", command), command
        assert not re.search(r"(^|\s)/", command), command
    assert "shared/sources" not in text


def test_the_walkthrough_runs_as_written(checkout: Path) -> None:
    steps = walkthrough()
    assert any(lang == "console" for lang, _ in steps)
    record = checkout / "data" / "resolutions" / "s-res-2375.yaml"
    ran = 0
    for i, (lang, body) in enumerate(steps):
        if lang == "sh":
            for line in body.splitlines():
                if not line.strip() or line.startswith(SKIPPED_SETUP):
                    continue
                if line.startswith("git push"):
                    continue  # no remote in the test
                result = run_line(line, checkout)
                assert result.returncode == 0, f"{line}\n{result.stderr}"
                ran += 1
        elif lang == "console":
            lines = body.splitlines()
            commands = [(n, text[2:]) for n, text in enumerate(lines) if text.startswith("$ ")]
            for j, (at, command) in enumerate(commands):
                end = commands[j + 1][0] if j + 1 < len(commands) else len(lines)
                shown = "\n".join(lines[at + 1 : end])
                result = run_line(command, checkout)
                ran += 1
                printed = _normalise(result.stdout + result.stderr).rstrip("\n")
                expected = _normalise(shown)
                if command.startswith("dprkhr lint") and "error" in shown:
                    assert result.returncode == 1, printed
                else:
                    assert result.returncode == 0, f"{command}\n{printed}"
                if expected.endswith("..."):  # the page shows the start of the output
                    head = expected.removesuffix("...").rstrip("\n").splitlines()[:2]
                    assert printed.splitlines()[:2] == head, command
                else:
                    assert printed == expected, command
        elif lang == "yaml" and "id: s-res-2375" in body:
            before = steps[i - 1][1] if i else ""
            if "dprkhr new resolution" in before:
                # "The new file:" -- what `dprkhr new` wrote
                assert record.read_text(encoding="utf-8") == body
            else:
                # "Fill in and cite": the contributor's edit
                record.write_text(body, encoding="utf-8")
    assert ran >= 8
    log = run_line("git log --oneline -1", checkout).stdout
    assert "S/RES/2375 (2017)" in log
