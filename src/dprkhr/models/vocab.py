"""Vocabularies kept as data: forums, tags and event types."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field, StrictBool, field_validator

from dprkhr.models.common import (
    FORUM_CODE_PATTERN,
    ForumCode,
    PartialDate,
    PositiveCount,
    RecordId,
    Strict,
    Text,
)


class Forum(Strict):
    """A body or process where things happen: UNGA, HRC, UNSC, UPR..."""

    code: str = Field(pattern=FORUM_CODE_PATTERN, description="Short code, e.g. HRC.")
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    parent: ForumCode | None = Field(default=None, description="Code of the parent forum, if any.")
    established: PartialDate | None = None
    abolished: PartialDate | None = None
    members: PositiveCount | None = Field(default=None, description="Number of voting members.")
    votes_to_adopt: PositiveCount | None = Field(
        default=None,
        description="Fewest votes in favour with which a resolution can pass (9 in the UNSC).",
    )
    succeeded_by: ForumCode | None = Field(
        default=None, description="Code of the forum that replaced it (CHR -> HRC)."
    )
    symbol_pattern: str | None = Field(
        default=None,
        description="Regular expression that the symbols of its resolutions match.",
        json_schema_extra={"format": "regex"},
    )
    symbol_example: str | None = None
    description: Text | None = None

    @field_validator("symbol_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    def all_names(self) -> list[str]:
        return [self.code, self.name, *self.aliases]

    def symbol_matches(self, symbol: str) -> bool:
        return self.symbol_pattern is None or re.fullmatch(self.symbol_pattern, symbol) is not None


class Tag(Strict):
    id: RecordId
    name: Text
    description: Text
    activity: StrictBool = Field(
        default=True,
        description="False for a tag whose records are not a forum's activity on DPRK human "
        "rights (sanctions measures): `timeline --gaps` does not count a record carrying it "
        "as breaking a silence.",
    )


class EventType(Strict):
    id: RecordId
    name: Text
    description: Text
    activity: StrictBool = Field(
        default=False,
        description="True for a type that is a forum's own activity on the subject (its "
        "meetings, briefings, dialogues, reviews, reports): `timeline --gaps` counts events "
        "of these types, in their forum, as breaking a silence; a forum's resolutions count "
        "too, unless they carry a tag with `activity: false`.",
    )


class ForumsFile(Strict):
    file_name: ClassVar[str] = "forums.yaml"
    forums: list[Forum]


class TagsFile(Strict):
    file_name: ClassVar[str] = "tags.yaml"
    tags: list[Tag]


class EventTypesFile(Strict):
    file_name: ClassVar[str] = "event-types.yaml"
    event_types: list[EventType]
