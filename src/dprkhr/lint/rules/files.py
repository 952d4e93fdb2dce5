"""Rules that reading and validating a file reports (codes 0xx).

Their checks live in `dprkhr.yamlio` and `dprkhr.dataset`; these classes give them a
code, a name, a severity and documentation.
"""

from __future__ import annotations

from dprkhr.lint.base import Rule
from dprkhr.problems import (
    DUPLICATE_KEY,
    INVALID_DATE,
    SCHEMA,
    UNKNOWN_FILE,
    YAML_DIALECT,
    YAML_SYNTAX,
)


class YamlSyntax(Rule):
    """The file must be well-formed YAML.

    A syntax error stops the file from loading; the other files still load. The problem
    points at the line and column where the parser gave up.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: [Volker Türk
        kind: person

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code, name = YAML_SYNTAX
    summary = "the file is not well-formed YAML"
    reported_by_loader = True


class DuplicateKey(Rule):
    """A key must appear once in a mapping.

    YAML parsers silently keep one of two equal keys, so a duplicated field loses data
    without a word. The second occurrence is reported, naming the line of the first.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        name: Volker Turk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        aliases: [Volker Turk]
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code, name = DUPLICATE_KEY
    summary = "a key appears twice in one mapping"
    reported_by_loader = True


class YamlDialect(Rule):
    """A record file holds one plain YAML mapping, and nothing a careless or hostile edit
    could smuggle in.

    Refused: YAML tags (`!!python/object`, `!custom`), merge keys (`<<`), complex keys,
    recursive aliases, aliases that expand beyond a small budget, nesting deeper than 32
    levels, several documents in one file, a top level that is not a mapping, empty
    files, binary files, bytes that are not UTF-8, and files over 1 MiB. Dates stay
    strings and only `true`/`false` are booleans, so `country: NO` means Norway.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: !!python/object:os.system Volker Türk
        kind: person

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code, name = YAML_DIALECT
    summary = "the file uses YAML features records must not use"
    reported_by_loader = True


class Schema(Rule):
    """Every record has the fields of its type, with values of the right type, and no
    others.

    Reports missing required fields, values of the wrong type or outside their
    vocabulary (`kind: persn`), malformed ids, and unknown fields, suggesting the field
    that was probably meant. See docs/data-model.md for every field.

    Nothing is converted: a number is written as a number (`yes: 30`, not `true`, `"30"`
    or `30.0`), text as text, a date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Lint accepts
    exactly what the JSON Schemas in `schemas/` accept (a test keeps them in step).

    Fails:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        titel: Security Council briefing on human rights in the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing

    Passes:
        # data/events/2023-08-17-unsc-briefing.yaml
        id: 2023-08-17-unsc-briefing
        date: "2023-08-17"
        type: briefing
        title: Security Council briefing on human rights in the DPRK
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: both addressed the Security Council during the briefing
    """

    code, name = SCHEMA
    summary = "a field is missing, unknown or of the wrong type"
    reported_by_loader = True


class InvalidDate(Rule):
    """Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and the day exists.

    A date is written at the precision the source gives; a partial date stands for the
    whole year or month.

    Fails:
        # data/events/2024-04-31-statement.yaml
        id: 2024-04-31-statement
        date: "2024-04-31"
        type: statement
        title: The Special Rapporteur's statement, on a day that does not exist
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: In her statement to the HRC in April 2024

    Passes:
        # data/events/2024-04-statement.yaml
        id: 2024-04-statement
        date: "2024-04"
        type: statement
        title: The Special Rapporteur's statement to the Council in April 2024
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: In her statement to the HRC in April 2024
    """

    code, name = INVALID_DATE
    summary = "a date is malformed or does not exist"
    reported_by_loader = True


class UnknownFile(Rule):
    """Record files live in `data/actors`, `data/events`, `data/resolutions` or
    `data/sources` and end in `.yaml`; the vocabularies `data/forums.yaml`,
    `data/tags.yaml` and `data/event-types.yaml` exist.

    The folder says what type of record a file holds, so a file elsewhere cannot be
    checked; without a vocabulary, references to forums, tags or event types cannot be.

    Fails:
        # data/misc/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code, name = UNKNOWN_FILE
    summary = "a file is not where a record belongs, or a vocabulary is missing"
    reported_by_loader = True
