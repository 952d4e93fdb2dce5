"""Types shared by every record: ids, dates, citations and per-record lint settings."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from dprkhr.dates import PartialDate

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

RecordId = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=120),
    Field(description="A lower-case slug: letters, digits and single hyphens."),
]
"""The id of a record: its file name without `.yaml`."""

Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
"""Non-empty free text."""


Count = Annotated[StrictInt, Field(ge=0)]
"""A whole number written as one (`30`): never `true`, `"30"` or `30.0`, which lint reports
instead of converting. (JSON Schema counts `30.0` as an integer; lint does not.)"""

PositiveCount = Annotated[StrictInt, Field(ge=1)]
"""A whole number from 1, written as one."""

FORUM_CODE_PATTERN = r"^[A-Z][A-Z0-9-]*$"

ForumCode = Annotated[
    str,
    StringConstraints(pattern=FORUM_CODE_PATTERN),
    Field(description="A forum code from data/forums.yaml, e.g. HRC."),
]
"""The code of a forum: upper-case letters, digits and hyphens (`HRC`, `UNGA-C3`)."""

PageRange = Annotated[
    str,
    StringConstraints(pattern=r"^[1-9][0-9]*-[1-9][0-9]*$"),
    Field(description="A page range, e.g. '21-22'."),
]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class Citation(Strict):
    """Where a fact comes from: a source record, a page, and a short exact quote."""

    source: RecordId = Field(description="Id of the source record (data/sources/<id>.yaml).")
    page: PositiveCount | PageRange | None = Field(
        default=None, description="Page (a number, e.g. 22) or page range ('21-22') in the source."
    )
    quote: Text | None = Field(
        default=None,
        description="A short exact quote from the source (a sentence or less) that supports "
        "the record.",
    )
    note: Text | None = Field(default=None, description="What this citation supports.")


class LintSettings(Strict):
    """Per-record lint settings: `lint: {ignore: [DPK402], reason: "..."}`."""

    ignore: list[str] = Field(
        default_factory=list, description="Rule codes or names to suppress for this record."
    )
    reason: Text | None = Field(
        default=None, description="Why the rules are suppressed here, for the next reader."
    )


class Record(Strict):
    """Fields every record has."""

    id: RecordId = Field(description="The record id; must equal the file name without .yaml.")
    lint: LintSettings | None = Field(default=None, description="Lint suppressions.")

    record_type: ClassVar[str] = "record"
    """`actor`, `event`, `resolution` or `source`."""
    folder: ClassVar[str] = ""
    """The folder under the data root that holds records of this type."""

    def citations(self) -> list[Citation]:
        return list(getattr(self, "sources", []) or [])

    def ignored_rules(self) -> list[str]:
        return list(self.lint.ignore) if self.lint else []


__all__ = [
    "FORUM_CODE_PATTERN",
    "ID_PATTERN",
    "Citation",
    "Count",
    "ForumCode",
    "LintSettings",
    "PageRange",
    "PartialDate",
    "PositiveCount",
    "Record",
    "RecordId",
    "Strict",
    "Text",
]
