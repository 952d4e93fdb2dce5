"""Linting what changed since a revision: the changed files, plus the records that point
at them (so that removing or renaming a record reports the references it breaks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dprkhr import gitio
from dprkhr.models import VOCAB_FILES
from dprkhr.yamlio import parse_bytes, read_bytes

if TYPE_CHECKING:
    from dprkhr.lint.config import LintConfig
    from dprkhr.lint.runner import LintResult


@dataclass
class ChangedSet:
    """Files changed under a data root since `base`, and the ids they held or hold."""

    base: str
    base_label: str
    files: list[Path] = field(default_factory=list)
    """Changed files that exist in the working tree."""
    ids: set[str] = field(default_factory=set)
    """Ids of records added, changed, renamed or removed (old and new)."""
    vocabulary: bool = False
    """Whether a vocabulary file (forums, tags, event types) changed."""


def changed_since(root: Path, rev: str | None = None) -> ChangedSet:
    """What changed under `root` from `rev` (default: the merge base of HEAD with main)
    to the working tree, untracked files included."""
    top = gitio.repo_root(root)
    if rev is None:
        base, label = gitio.default_base(top)
    else:
        base, label = gitio.resolve(top, rev), rev
    out = ChangedSet(base, label)
    for change in gitio.changes(top, root, base):
        for side, path in (("base", change.old), ("head", change.new)):
            if path is None or not path.endswith((".yaml", ".yml")):
                continue
            if Path(path).name in VOCAB_FILES:
                out.vocabulary = True
            out.ids.add(Path(path).stem)
            raw = gitio.read_blob(top, base, path) if side == "base" else None
            if side == "head":
                full = top / path
                out.files.append(full)
                try:
                    raw = read_bytes(full)
                except OSError:
                    raw = None
            if raw is not None:
                data = parse_bytes(raw).data
                if isinstance(data, dict) and isinstance(data.get("id"), str):
                    out.ids.add(data["id"])
    return out


def lint_changed(
    root: Path, rev: str | None, config: LintConfig | None = None, cache: bool = False
) -> LintResult:
    """Lint the files changed since `rev`, and every record that references one of their
    ids; the whole dataset when a vocabulary changed. Cross-record checks see it all."""
    from dprkhr.lint.runner import lint_files, report_on

    changed = changed_since(root, rev)
    linted = lint_files(root, config=config, cache=cache, with_refs=True)
    if changed.vocabulary:
        return report_on(linted.files, linted.problems, config or _default(), None)
    wanted = list(changed.files)
    for index, (_display, location) in enumerate(linted.files):
        if any(ref[1] in changed.ids for ref in linted.view.refs(index)):
            wanted.append(Path(location))
    return report_on(linted.files, linted.problems, config or _default(), wanted)


def _default() -> LintConfig:
    from dprkhr.lint.config import LintConfig

    return LintConfig()


__all__ = ["ChangedSet", "changed_since", "lint_changed"]
