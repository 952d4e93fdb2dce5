"""pre-commit, run for real: a commit that only deletes a record others cite is stopped.

`git rm data/actors/volker-turk.yaml` stages no file for a hook to check, so a hook that
runs only on matching files says "(no files to check) Skipped" while three events now
point at nothing. `dprkhr-lint-changed` runs on every commit (`always_run`) and checks the
references across the whole dataset, in `.pre-commit-hooks.yaml` (for other repositories:
tried here with `pre-commit try-repo`, which installs this repository into its own
environment) and in this repository's `.pre-commit-config.yaml`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["DPRKHR_CACHE_DIR"] = str(tmp_path / "cache")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    env.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(BIN))
    return [exe] if exe else [sys.executable, "-m", "pre_commit"]


@pytest.fixture
def deletion(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A dataset repository with a cited actor's deletion staged."""
    env = _env(tmp_path)
    work = tmp_path / "dataset"
    shutil.copytree(REPO / "data", work / "data")
    shutil.copy(REPO / ".pre-commit-config.yaml", work / ".pre-commit-config.yaml")
    _git(work, env, "init", "-q")
    _git(work, env, "add", "-A")
    _git(work, env, "commit", "-q", "-m", "dataset")
    _git(work, env, "rm", "-q", "data/actors/volker-turk.yaml")
    return work, env


def _check(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Skipped" not in output
    assert output.count("unknown actor `volker-turk`") == 3, output
    assert "data/events/2023-08-17-unsc-briefing.yaml" in output


def test_this_repositorys_config_stops_the_deletion(deletion: tuple[Path, dict[str, str]]) -> None:
    work, env = deletion
    result = subprocess.run(
        [*_pre_commit(), "run", "dprkhr-lint-changed"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    _check(result)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout")
def test_published_hook_stops_the_deletion(deletion: tuple[Path, dict[str, str]]) -> None:
    """`pre-commit try-repo`: the hook as another repository would use it (this installs
    the checkout into a pre-commit environment: about a minute the first time)."""
    work, env = deletion
    result = subprocess.run(
        [*_pre_commit(), "try-repo", str(REPO), "dprkhr-lint-changed"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    _check(result)
