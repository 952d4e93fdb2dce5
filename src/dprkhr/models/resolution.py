"""Resolutions and decisions of UN bodies."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from dprkhr.models.common import (
    Citation,
    ForumCode,
    PartialDate,
    PositiveCount,
    Record,
    RecordId,
    Strict,
    Text,
)
from dprkhr.models.common import Count as WholeNumber


class AdoptionMethod(str, Enum):
    vote = "vote"
    without_vote = "without-vote"


Count = Annotated[WholeNumber, Field(le=1000)]

SpecialSession = Annotated[
    str,
    StringConstraints(pattern=r"^E?S-[1-9][0-9]*$"),
    Field(description="A special (S-28) or emergency special (ES-11) session."),
]


class Adoption(Strict):
    """How a resolution was adopted: a recorded vote with counts, or without a vote."""

    method: AdoptionMethod
    yes: Count | None = Field(default=None, description="Votes in favour.")
    no: Count | None = Field(default=None, description="Votes against.")
    abstain: Count | None = Field(default=None, description="Abstentions.")
    dissociated: list[RecordId] = Field(
        default_factory=list,
        description=(
            "Ids of actors (states) that dissociated themselves from an adoption without a"
            " vote, as a source names them."
        ),
    )


class Resolution(Record):
    """A resolution (or decision) adopted by a UN body."""

    record_type: ClassVar[str] = "resolution"
    folder: ClassVar[str] = "resolutions"

    symbol: Text | None = Field(
        default=None, description="The UN symbol, e.g. A/HRC/RES/22/13 or S/RES/2397 (2017)."
    )
    forum: ForumCode | None = Field(default=None, description="A forum code from data/forums.yaml.")
    session: PositiveCount | SpecialSession | None = Field(
        default=None, description="Session number, e.g. 22 (S-28 for a special session)."
    )
    date: PartialDate | None = Field(default=None, description="Date of adoption.")
    title: Text | None = None
    adoption: Adoption | None = None
    sponsors: list[RecordId] = Field(
        default_factory=list, description="Ids of actors that sponsored or co-sponsored it."
    )
    follows: RecordId | None = Field(
        default=None, description="Id of the previous resolution in the same series."
    )
    tags: list[RecordId] = Field(default_factory=list)
    summary: Text | None = None
    sources: list[Citation] = Field(default_factory=list)

    @property
    def adoption_method(self) -> str | None:
        """`vote` or `without-vote`, if known (as a persisted index row has it)."""
        return self.adoption.method.value if self.adoption is not None else None

    @property
    def vote_counts(self) -> tuple[int | None, int | None, int | None] | None:
        """(yes, no, abstain) when adopted by a vote, each None if not known."""
        adoption = self.adoption
        if adoption is None or adoption.method.value != "vote":
            return None
        return (adoption.yes, adoption.no, adoption.abstain)
