"""Actors: people, states, organisations and UN bodies."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from dprkhr.models.common import Citation, PartialDate, Record, RecordId, Strict, Text


class ActorKind(str, Enum):
    person = "person"
    state = "state"
    organization = "organization"
    un_body = "un-body"


CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    Field(description="ISO 3166-1 alpha-2 code, upper case (KR, KP, US, PE)."),
]


class Role(Strict):
    """A position an actor held, e.g. Special Rapporteur on the DPRK from 2022-08-01."""

    title: Text = Field(description="The position, e.g. 'Special Rapporteur on the DPRK'.")
    organization: RecordId | None = Field(
        default=None, description="Id of the actor (body, state, organisation) the role is in."
    )
    start: PartialDate | None = Field(
        default=None,
        description="When the role began. Without it, `actors --as-of` cannot tell whether "
        "the role was held on a date, and leaves it out.",
    )
    end: PartialDate | None = Field(
        default=None, description="When the role ended; none: still held."
    )
    note: Text | None = None


class Office(Strict):
    """A post in a body, state or organisation that one person holds at a time (the
    High Commissioner, a state's President): two roles in it must not overlap (DPK503)."""

    title: Text = Field(
        description="The post, as roles in it are titled: 'United Nations High Commissioner "
        "for Human Rights'."
    )
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other titles of the same post that roles use ('UN High Commissioner for "
        "Human Rights'); a role without an `organization` matches a title or alias only when "
        "it names this post alone.",
    )


class Actor(Record):
    """A person, state, organisation or UN body that did something on DPRK human rights."""

    record_type: ClassVar[str] = "actor"
    folder: ClassVar[str] = "actors"

    name: Text = Field(description="The name as the actor writes it, diacritics included.")
    kind: ActorKind
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other spellings: abbreviations, transliterations, OCR variants.",
    )
    native_name: Text | None = Field(default=None, description="The name in its own script.")
    country: CountryCode | None = Field(
        default=None, description="A state's own code, or a person's nationality."
    )
    roles: list[Role] = Field(default_factory=list)
    offices: list[Office] = Field(
        default_factory=list,
        description="Single-holder posts in this body, state or organisation: roles in one "
        "of them (`organization` this actor, title or alias this post) must not overlap.",
    )
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="External ids, e.g. {wikidata: Q123}."
    )
    summary: Text | None = Field(default=None, description="One or two sentences, own words.")
    sources: list[Citation] = Field(default_factory=list)

    def all_names(self) -> list[str]:
        names = [self.name, *self.aliases]
        if self.native_name:
            names.append(self.native_name)
        return names
