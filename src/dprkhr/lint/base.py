"""What a lint rule is: a small named unit with a code, a severity and documented examples.

Rules come in two scopes, so that a warm run re-checks only the files that changed:

- `check_file` looks at one file (its record, or the raw data of a record that failed
  validation, or a vocabulary) with the vocabularies, the day and the archive in
  `FileEnv`. What it finds depends on nothing else, so it is computed once per file
  version, located while the file's node tree is in hand, and cached.
- `check_dataset` looks across records (duplicate ids, dangling references, possible
  duplicate actors). It sees each file only through its compact `FileSummary` (ids,
  references, names, suppressions, with their places), never through parsed records,
  and runs on every lint.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from dprkhr.dataset import LoadedFile
from dprkhr.models import RECORD_TYPES, Forum, Record
from dprkhr.problems import Severity
from dprkhr.yamlio import Path_

if TYPE_CHECKING:
    from dprkhr.lint.view import DatasetView, Placed


@dataclass(frozen=True)
class Finding:
    """What a per-file rule reports: the path of the field in the file, a message, a fix."""

    loc: Path_
    message: str
    suggestion: str | None = None


@dataclass
class FileEnv:
    """What a per-file rule may look at besides its file: the forums, the day, the archive.

    Everything here is part of the key of the stored summaries (see
    `dprkhr.lint.storage`), except `today`: the one rule that reads it (DPK402) keeps
    what it needs to decide again on a later day.
    """

    forums: list[Forum] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    archive: Path | None = None
    forum_by_code: dict[str, Forum] = field(init=False)
    _texts: dict[str, str | OSError | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.forum_by_code = {f.code: f for f in self.forums}

    def archived_text(self, source_id: str) -> str | OSError | None:
        """The normalised archived text of a source, read once; None if there is none, the
        error if it cannot be read (a named pipe, say)."""
        if self.archive is None:
            return None
        if source_id not in self._texts:
            from dprkhr.lint.rules.citations import read_archive

            self._texts[source_id] = read_archive(self.archive, source_id)
        return self._texts[source_id]


def record_or_data(loaded: LoadedFile) -> tuple[Record | dict[str, Any], str] | None:
    """The record with its type, or, for a record file whose data failed validation but is
    a mapping, the raw data standing in for it: rules that only need a few fields (ids,
    references, quotes) report on broken records too, so a contributor sees everything at
    once. Read the fields with `dprkhr.kb.field_value`, which works on both."""
    if loaded.record is not None:
        return loaded.record, loaded.record.record_type
    if isinstance(loaded.data, dict) and loaded.kind in RECORD_TYPES:
        return loaded.data, loaded.kind
    return None


@dataclass(frozen=True)
class Example:
    """A documented example: the file it would be, and its text."""

    path: str
    text: str


class Rule:
    """Base of every rule. Subclasses set `code`, `name`, `summary`, and override
    `check_file` (one file at a time) or `check_dataset` (across records), or both.

    The docstring explains what the rule checks and why, and ends with a failing and a
    passing example in sections headed ``Fails:`` and ``Passes:``, each an indented
    block whose first line is a comment naming the file (``# data/events/x.yaml``).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.error
    reported_by_loader: ClassVar[bool] = False
    """True for rules that reading and validating files report (YAML, schema)."""
    needs_archive: ClassVar[bool] = False

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterable[Finding]:
        """Problems in one file, found from it alone (and `env`)."""
        return ()

    def check_dataset(self, view: DatasetView) -> Iterable[Placed]:
        """Problems found across records, from every file's summary."""
        return ()

    def dataset_inputs(self, view: DatasetView) -> list[tuple[int, Any]] | None:
        """All that `check_dataset` reads, when that is a small part of the view: `(file
        index, plain data)` pairs, the findings only at those files. Its findings are then
        kept in the store (`dprkhr.lint.storage`) and reused while the inputs and their
        files are the same. None (the default): the findings are made on every run."""
        return None

    @classmethod
    def description(cls) -> str:
        """The docstring up to the examples."""
        doc = inspect.getdoc(cls) or ""
        return re.split(r"^(Fails|Passes):\s*$", doc, maxsplit=1, flags=re.M)[0].strip()

    @classmethod
    def anchor(cls) -> str:
        """The id of the rule's heading in docs/rules.md (as GitHub makes it)."""
        return f"{cls.code.lower()}-{cls.name}"

    @classmethod
    def help_markdown(cls) -> list[str]:
        """The rule's section of docs/rules.md, heading excluded, as lines."""
        parts = [f"Severity: **{cls.severity.value}**. Reports when {cls.summary}.", ""]
        parts += [cls.description(), ""]
        examples = cls.examples()
        for heading, key in (("Fails", "fails"), ("Passes", "passes")):
            for example in examples[key]:
                parts += [f"{heading}: `{example.path}`", "", "```yaml", example.text.rstrip("\n")]
                parts += ["```", ""]
        return parts

    @classmethod
    def examples(cls) -> dict[str, list[Example]]:
        """`{"fails": [...], "passes": [...]}` parsed from the docstring."""
        doc = inspect.getdoc(cls) or ""
        out: dict[str, list[Example]] = {"fails": [], "passes": []}
        sections = re.split(r"^(Fails|Passes):\s*$", doc, flags=re.M)
        for heading, body in zip(sections[1::2], sections[2::2], strict=True):
            block = textwrap.dedent(body.strip("\n")).strip("\n")
            for chunk in re.split(r"\n(?=# data/)", block):
                first, _, text = chunk.partition("\n")
                path = first.removeprefix("#").strip()
                out[heading.lower()].append(Example(path=path, text=text.rstrip() + "\n"))
        return out
