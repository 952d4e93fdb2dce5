"""What a lint rule is: a small named unit with a code, a severity and documented examples."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from dprkhr.dataset import Dataset, LoadedFile
from dprkhr.kb import KnowledgeBase
from dprkhr.models import Record
from dprkhr.problems import Severity
from dprkhr.yamlio import Path_


@dataclass(frozen=True)
class Finding:
    """What a rule reports: the file, the path of the field in it, a message, a fix."""

    file: LoadedFile
    loc: Path_
    message: str
    suggestion: str | None = None


@dataclass
class LintContext:
    """What rules look at: the whole dataset, its knowledge base, and options."""

    dataset: Dataset
    kb: KnowledgeBase
    archive: Path | None = None
    today: dt.date = field(default_factory=dt.date.today)
    _file_by_record: dict[int, LoadedFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._file_by_record = {id(f.record): f for f in self.dataset.files if f.record is not None}

    def records(self) -> Iterator[tuple[LoadedFile, Record]]:
        """Every valid record with its file (duplicates included)."""
        for loaded in self.dataset.files:
            if loaded.record is not None:
                yield loaded, loaded.record

    def raw_records(self) -> Iterator[LoadedFile]:
        """Files of a record type whose YAML loaded but whose record failed validation."""
        for loaded in self.dataset.files:
            if (
                loaded.record is None
                and isinstance(loaded.data, dict)
                and loaded.kind in ("actor", "event", "resolution", "source")
            ):
                yield loaded

    def all_records(self) -> list[tuple[LoadedFile, Record | dict[str, Any], str]]:
        """Every record as (file, record, kind), with the raw data standing in for a record
        that failed validation: rules that only need a few fields (ids, references,
        quotes) report on broken records too, so a contributor sees everything at once.
        Read the fields with `dprkhr.kb.field_value`, which works on both."""
        items: list[tuple[LoadedFile, Record | dict[str, Any], str]] = [
            (f, r, r.record_type) for f, r in self.records()
        ]
        items += [(f, f.data, f.kind) for f in self.raw_records()]
        return items

    def file_of(self, record: Record) -> LoadedFile:
        return self._file_by_record[id(record)]


@dataclass(frozen=True)
class Example:
    """A documented example: the file it would be, and its text."""

    path: str
    text: str


class Rule:
    """Base of every rule. Subclasses set `code`, `name`, `summary`, and override `check`.

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

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        return ()

    @classmethod
    def description(cls) -> str:
        """The docstring up to the examples."""
        doc = inspect.getdoc(cls) or ""
        return re.split(r"^(Fails|Passes):\s*$", doc, maxsplit=1, flags=re.M)[0].strip()

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
