"""Events: meetings, reports, statements, visits, appointments and other dated happenings."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from dprkhr.models.common import (
    Citation,
    ForumCode,
    PartialDate,
    Record,
    RecordId,
    Strict,
    Text,
)
from dprkhr.models.resolution import Adoption


class Participant(Strict):
    """An actor's part in an event."""

    actor: RecordId = Field(description="Id of the actor.")
    role: Text | None = Field(
        default=None, description="What the actor did: briefer, speaker, chair, organiser..."
    )


class Event(Record):
    """Something that happened on a known date."""

    record_type: ClassVar[str] = "event"
    folder: ClassVar[str] = "events"

    date: PartialDate = Field(description="When it happened, at the precision known.")
    end_date: PartialDate | None = Field(default=None, description="Last day, for spans.")
    type: RecordId = Field(description="An event type from data/event-types.yaml.")
    forum: ForumCode | None = Field(default=None, description="A forum code from data/forums.yaml.")
    title: Text = Field(description="A short title in your own words.")
    location: Text | None = None
    documents: list[Text] = Field(
        default_factory=list, description="UN document symbols, e.g. S/PV.9653, A/HRC/25/63."
    )
    participants: list[Participant] = Field(default_factory=list)
    resolutions: list[RecordId] = Field(
        default_factory=list, description="Ids of resolutions this event adopted or concerns."
    )
    adoption: Adoption | None = Field(
        default=None,
        description=(
            "For a `vote` event (a Third Committee vote on a draft, a Security Council"
            " procedural vote): the counts and roll call, as on a resolution."
        ),
    )
    tags: list[RecordId] = Field(default_factory=list, description="Tags from data/tags.yaml.")
    summary: Text | None = Field(default=None, description="What happened, in your own words.")
    sources: list[Citation] = Field(default_factory=list)
