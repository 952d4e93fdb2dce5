"""Resolutions and decisions of UN bodies."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

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


class RollKind(str, Enum):
    """How much of a recorded vote the roll names."""

    complete = "complete"
    """The page lists every voter."""
    partial = "partial"
    """The page names only some voters (say, only the states voting against)."""


POSITIONS = ("yes", "no", "abstain", "absent")
"""The groups of a roll call, in canonical order."""

ROLE_POSITIONS = {
    "voted-for": "yes",
    "voted-in-favour": "yes",
    "voted-against": "no",
    "abstained": "abstain",
    "dissociated": "dissociated",
}
"""Participant roles on a vote event that record a position, and the roll-call group (or
`dissociated`) each stands for."""


class Votes(Strict):
    """A roll call: ids of actors (states) by how they voted, as the page names them. A
    group the page does not name is left out (a partial roll)."""

    yes: list[RecordId] | None = Field(default=None, description="Ids of states voting in favour.")
    no: list[RecordId] | None = Field(default=None, description="Ids of states voting against.")
    abstain: list[RecordId] | None = Field(default=None, description="Ids of states abstaining.")
    absent: list[RecordId] | None = Field(
        default=None,
        description="Ids of states absent or non-voting, as the page lists them.",
    )

    def groups(self) -> list[tuple[str, list[str]]]:
        """(position, ids) for every group given, in canonical order."""
        out: list[tuple[str, list[str]]] = []
        for position in POSITIONS:
            ids = getattr(self, position)
            if ids is not None:
                out.append((position, list(ids)))
        return out

    def position_of(self, actor_id: str) -> str | None:
        """`yes`, `no`, `abstain` or `absent` if the roll names the actor (the first group
        naming it), else None."""
        for position, ids in self.groups():
            if actor_id in ids:
                return position
        return None


class Adoption(Strict):
    """How a resolution (or a draft, in a `vote` event) was adopted: a recorded vote with
    counts and, where a page names the voters, its roll call; or without a vote."""

    method: AdoptionMethod
    yes: Count | None = Field(default=None, description="Votes in favour.")
    no: Count | None = Field(default=None, description="Votes against.")
    abstain: Count | None = Field(default=None, description="Abstentions.")
    roll: RollKind | None = Field(
        default=None,
        description=(
            "How much of the vote `votes` names: `complete` (the page lists every voter) or"
            " `partial` (it names only some). Required with `votes`."
        ),
    )
    roll_source: RecordId | Annotated[list[RecordId], Field(min_length=1)] | None = Field(
        default=None,
        description=(
            "Id of the source that names the voters, or a list of ids when the names come"
            " from several pages; each is also cited in the record's `sources`. Required"
            " with `votes`."
        ),
    )
    votes: Votes | None = Field(
        default=None,
        description="The roll call: state ids by how they voted (`yes`, `no`, `abstain`, `absent`).",
    )
    dissociated: list[RecordId] = Field(
        default_factory=list,
        description=(
            "Ids of actors (states) that dissociated themselves from an adoption without a"
            " vote, as a source names them."
        ),
    )

    def roll_sources(self) -> list[str]:
        """The ids of the sources that name the voters (none when no roll is given)."""
        return roll_source_ids(self.roll_source)


def roll_source_ids(roll_source: str | Sequence[str] | None) -> list[str]:
    """`roll_source` as a list of source ids: one id or several, none when no roll is
    given."""
    if roll_source is None:
        return []
    if isinstance(roll_source, str):
        return [roll_source]
    return list(roll_source)


class SponsorRole(str, Enum):
    lead = "lead"
    co_sponsor = "co-sponsor"


class Sponsor(Strict):
    """A sponsor with its role: `{actor: japan, role: lead, source: ...}`. A bare id
    (`- japan`) is a sponsor whose role is not recorded."""

    actor: RecordId = Field(description="Id of the actor that sponsored the resolution.")
    role: SponsorRole | None = Field(
        default=None, description="`lead` (main sponsor, drafted it) or `co-sponsor`."
    )
    source: RecordId | None = Field(
        default=None,
        description="Id of a source cited by the resolution that names this sponsor.",
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"actor": data}
        if not isinstance(data, (dict, Sponsor)):
            raise ValueError(
                "a sponsor is an actor id (`japan`) or a mapping (`{actor: japan, role: lead}`)"
            )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        mapping = handler.resolve_ref_schema(handler(schema))
        actor = dict(mapping["properties"]["actor"])
        actor["description"] = "Id of the actor (role not recorded)."
        return {"anyOf": [actor, mapping]}


class SponsorId(str):
    """A sponsor of a resolution: the actor's id (it is that string, so that sets and
    look-ups of sponsor ids work on it), with the `role` and `source` recorded, if any."""

    __slots__ = ("role", "source")
    role: str | None
    source: str | None

    def __new__(cls, actor: str, role: str | None = None, source: str | None = None) -> SponsorId:
        self = super().__new__(cls, actor)
        self.role = role
        self.source = source
        return self

    def __getnewargs__(self) -> tuple[str, str | None, str | None]:  # type: ignore[override]
        return (str(self), self.role, self.source)

    @property
    def actor(self) -> str:
        return str(self)

    def to_data(self) -> str | dict[str, str]:
        """As written in a record: the bare id when neither role nor source is recorded."""
        if self.role is None and self.source is None:
            return str(self)
        data = {"actor": str(self)}
        if self.role is not None:
            data["role"] = self.role
        if self.source is not None:
            data["source"] = self.source
        return data


def _sponsor(entry: Sponsor) -> SponsorId:
    return SponsorId(entry.actor, entry.role.value if entry.role else None, entry.source)


def _sponsor_data(value: SponsorId | str) -> str | dict[str, str]:
    return value.to_data() if isinstance(value, SponsorId) else str(value)


if TYPE_CHECKING:
    SponsorItem = SponsorId
else:
    SponsorItem = Annotated[
        Sponsor,
        AfterValidator(_sponsor),
        PlainSerializer(_sponsor_data, return_type=Any),
    ]
"""A sponsor as written: a bare id or a mapping; validated into a `SponsorId`."""


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
    sponsors: list[SponsorItem] = Field(
        default_factory=list,
        description=(
            "Actors that sponsored or co-sponsored it: ids, or `{actor, role, source}` with"
            " `role` lead or co-sponsor."
        ),
    )
    follows: RecordId | None = Field(
        default=None, description="Id of the previous resolution in the same series."
    )
    tags: list[RecordId] = Field(default_factory=list)
    summary: Text | None = None
    sources: list[Citation] = Field(default_factory=list)
