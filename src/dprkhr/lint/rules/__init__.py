"""The rule registry: every rule, in code order."""

from __future__ import annotations

from dprkhr.lint.base import Rule
from dprkhr.lint.rules.actors import (
    PossibleDuplicateActor,
    RoleDatesOrder,
    SingleHolderOverlap,
)
from dprkhr.lint.rules.citations import (
    LongQuote,
    MissingCitation,
    MissingQuote,
    QuoteNotFound,
    SourceWithoutUrl,
)
from dprkhr.lint.rules.events import AbsenceEvent, EndBeforeStart, FutureDate
from dprkhr.lint.rules.files import (
    DuplicateKey,
    InvalidDate,
    Schema,
    UnknownFile,
    YamlDialect,
    YamlSyntax,
)
from dprkhr.lint.rules.identity import DuplicateId, IdMatchesFileName
from dprkhr.lint.rules.meta import UnusedSuppression
from dprkhr.lint.rules.references import DanglingReference
from dprkhr.lint.rules.resolutions import (
    ForumLifetime,
    ResolutionMissingDate,
    ResolutionMissingForum,
    SymbolFitsForum,
    VoteCounts,
)
from dprkhr.lint.rules.text import ControlCharacter
from dprkhr.lint.rules.votes import (
    RollCounts,
    RollDuplicate,
    RollFields,
    RollMemberKind,
    RollRoles,
    RollSize,
    RollSourceCited,
)

RULES: tuple[type[Rule], ...] = (
    YamlSyntax,
    DuplicateKey,
    YamlDialect,
    Schema,
    InvalidDate,
    UnknownFile,
    ControlCharacter,
    DuplicateId,
    IdMatchesFileName,
    DanglingReference,
    ResolutionMissingForum,
    ResolutionMissingDate,
    SymbolFitsForum,
    VoteCounts,
    ForumLifetime,
    RollCounts,
    RollDuplicate,
    RollMemberKind,
    RollFields,
    RollSize,
    RollSourceCited,
    RollRoles,
    EndBeforeStart,
    FutureDate,
    AbsenceEvent,
    PossibleDuplicateActor,
    RoleDatesOrder,
    SingleHolderOverlap,
    MissingCitation,
    QuoteNotFound,
    LongQuote,
    SourceWithoutUrl,
    MissingQuote,
    UnusedSuppression,
)

RULE_BY_CODE: dict[str, type[Rule]] = {r.code: r for r in RULES}
RULE_BY_NAME: dict[str, type[Rule]] = {r.name: r for r in RULES}


def find_rule(code_or_name: str) -> type[Rule] | None:
    return RULE_BY_CODE.get(code_or_name.upper()) or RULE_BY_NAME.get(code_or_name.lower())
