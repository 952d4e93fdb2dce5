"""Reading the dataset's history from git: revisions, changed files, file contents.

Everything goes through the `git` command line (no library), with arguments passed as a
list (never through a shell). Failures the user can fix (not a repository, unknown
revision, git missing) raise `UsageError`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from dprkhr.errors import UsageError

DEFAULT_BRANCHES = ("main", "origin/main", "master", "origin/master")
"""Tried in order for the default base: the merge base of HEAD with the first that exists."""


@dataclass(frozen=True)
class Change:
    """A file that differs between two states of the repository.

    `status` is `A` (added), `D` (deleted), `M` (modified) or `R` (renamed, maybe also
    modified). Paths are relative to the repository's top folder; `old` is None for an
    added file and `new` is None for a deleted one.
    """

    status: str
    old: str | None
    new: str | None


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, env=_env())
    except FileNotFoundError:
        raise UsageError("git is not installed or not on PATH") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"  # read-only: never take the index lock
    env.setdefault("LC_ALL", "C")
    return env


def repo_root(path: Path) -> Path:
    """The top folder of the git repository holding `path`."""
    folder = path if path.is_dir() else path.parent
    done = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise UsageError(f"{path} is not inside a git repository")
    return Path(done.stdout.decode().strip())


def resolve(top: Path, rev: str) -> str:
    """The commit id of a revision; `UsageError` when git does not know it."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"unknown revision `{rev}`")
    done = _git(
        top,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{rev}^{{commit}}",
        check=False,
    )
    if done.returncode != 0:
        raise UsageError(
            f"unknown revision `{rev}`: not a commit, branch or tag in this repository"
        )
    return done.stdout.decode().strip()


def default_base(top: Path) -> tuple[str, str]:
    """The merge base of HEAD with the main branch: (commit, how it was found)."""
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    if head.returncode != 0:
        raise UsageError("the repository has no commits yet; nothing to compare with")
    for branch in DEFAULT_BRANCHES:
        if _git(
            top, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}", check=False
        ).returncode:
            continue
        done = _git(top, "merge-base", "HEAD", branch, check=False)
        if done.returncode == 0:
            return done.stdout.decode().strip(), f"merge base of HEAD and {branch}"
    raise UsageError("no `main` (or `master`) branch to compare with; pass a revision, e.g. HEAD~1")


def _pathspec(top: Path, folder: Path) -> str:
    try:
        rel = folder.resolve().relative_to(top.resolve())
    except ValueError:
        raise UsageError(f"{folder} is not inside the git repository at {top}") from None
    return rel.as_posix() or "."


def changes(top: Path, folder: Path, base: str, head: str | None = None) -> list[Change]:
    """Files under `folder` changed from `base` to `head` (None: the working tree,
    staged or not, with untracked files as added). Renames are detected."""
    spec = _pathspec(top, folder)
    args = ["diff", "--name-status", "-z", "--find-renames", base]
    args += [head] if head else []
    args += ["--", spec]
    out = _git(top, *args).stdout.decode("utf-8", "surrogateescape")
    fields = out.split("\0")
    found: list[Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        kind = status[0]
        if kind in ("R", "C"):
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            found.append(Change("R" if kind == "R" else "A", old if kind == "R" else None, new))
            continue
        path = fields[i + 1]
        i += 2
        if kind == "A":
            found.append(Change("A", None, path))
        elif kind == "D":
            found.append(Change("D", path, None))
        else:  # M, T (type change), U (unmerged)
            found.append(Change("M", path, path))
    if head is None:
        untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", spec)
        deleted = {c.old: c for c in found if c.status == "D"}
        for path in untracked.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if not path:
                continue
            if path in deleted:
                # removed from the index (`git rm`) but back on disk: the file changed
                found.remove(deleted.pop(path))
                found.append(Change("M", path, path))
            else:
                found.append(Change("A", None, path))
    return sorted(found, key=lambda c: c.new or c.old or "")


def read_blob(top: Path, rev: str, path: str) -> bytes | None:
    """A file's bytes at a revision, or None when it does not exist there."""
    done = _git(top, "show", f"{rev}:{path}", check=False)
    return done.stdout if done.returncode == 0 else None


def short(top: Path, commit: str) -> str:
    done = _git(top, "rev-parse", "--short", commit, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else commit[:12]


__all__ = ["Change", "changes", "default_base", "read_blob", "repo_root", "resolve", "short"]


@dataclass(frozen=True)
class Revision:
    """The last revision of a file: when it was made (UTC) and how many revisions came
    before it (0 for a file never changed since it was added)."""

    modified: float
    """Seconds since the epoch: the last commit that changed the file, or the file's
    modification time when its working copy differs from that commit (or it has none)."""
    sequence: int


def revisions(folder: Path) -> dict[str, Revision]:
    """The revision of every `*.yaml` file in `folder`, by file stem, from one `git log`
    over the folder; without git or outside a repository, from the files' times alone
    (sequence 0)."""
    files = {path.stem: path for path in sorted(folder.glob("*.yaml"))}
    history: dict[str, tuple[int, float]] = {}  # relative path -> (commits, newest commit time)
    dirty: set[str] = set()
    top: Path | None = None
    try:
        top = repo_root(folder)
        spec = folder.resolve().relative_to(top.resolve()).as_posix() or "."
        log = _git(top, "-c", "core.quotePath=false", "log", "--no-renames", "--format=%x00%ct",
                   "--name-only", "--", spec, check=False)  # fmt: skip
        for chunk in log.stdout.decode("utf-8", "replace").split("\0")[1:]:
            stamp, *names = chunk.split("\n")
            for name in filter(None, names):  # newest commit first
                commits, newest = history.get(name, (0, float(stamp)))
                history[name] = (commits + 1, newest)
        status = _git(top, "status", "--porcelain", "-z", "--untracked-files=all", "--", spec,
                      check=False)  # fmt: skip
        dirty = {item[3:] for item in status.stdout.decode("utf-8", "replace").split("\0") if item}
    except (UsageError, ValueError):
        top = None
    out: dict[str, Revision] = {}
    for stem, path in files.items():
        relative = path.resolve().relative_to(top.resolve()).as_posix() if top else ""
        commits, last = history.get(relative, (0, 0.0))
        if commits and relative not in dirty:
            out[stem] = Revision(last, commits - 1)
        else:  # changed since its last commit, or never committed
            out[stem] = Revision(path.stat().st_mtime, commits)
    return out
