"""New record files from a few facts: derived ids, validated values, canonical text.

`plan_record(root, kind, values)` returns the path and text of a new record without
writing anything; `write_new(plan)` writes it, refusing to overwrite. The text is in
the canonical form of `dprkhr fmt` and passes `dprkhr lint`, except for what only the
contributor can add (a citation, when none was given: lint names it as DPK601).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dprkhr.errors import UsageError
from dprkhr.names import slugify

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from dprkhr.models import EventType, Forum, Record, Tag

    _Vocab = TypeVar("_Vocab", bound=BaseModel)

KINDS = ("event", "actor", "resolution", "source")

KIND_CHOICES: dict[str, tuple[str, ...]] = {
    "actor": ("person", "state", "organization", "un-body"),
    "source": (
        "article",
        "news",
        "report",
        "statement",
        "programme",
        "web-page",
        "un-document",
        "press-release",
        "dataset",
        "video",
        "other",
    ),
}
"""The `kind` of a new actor or source (as the models' enums; a test keeps them equal)."""

REQUIRED: dict[str, tuple[str, ...]] = {
    "event": ("date", "type", "title"),
    "actor": ("name", "kind"),
    "resolution": ("date",),
    "source": ("title", "kind"),
}
"""Values a record cannot do without; asked for on a terminal when missing."""

ALLOWED: dict[str, frozenset[str]] = {
    "event": frozenset(
        {"date", "end_date", "type", "forum", "title", "location", "tags", "slug", "participants"}
    ),
    "actor": frozenset({"name", "kind", "aliases", "native_name", "country"}),
    "resolution": frozenset({"symbol", "forum", "session", "date", "title", "tags", "adoption"}),
    "source": frozenset({"title", "kind", "publisher", "author", "published", "url", "language"}),
}
COMMON = frozenset({"id", "source", "page", "quote"})
"""Options every kind takes: an explicit id, and a first citation."""


def resolution_id(symbol: str) -> str:
    """`A/HRC/RES/22/13` -> `a-hrc-res-22-13`; `S/RES/2397 (2017)` -> `s-res-2397`."""
    bare = re.sub(r"\s*\(\d{4}\)\s*$", "", symbol.strip())
    return slugify(bare)


def session_from_symbol(symbol: str) -> int | None:
    """The session a General Assembly or Human Rights Council symbol encodes."""
    match = re.fullmatch(r"A/(?:HRC/)?RES/(\d+)/\d+", symbol.strip())
    return int(match.group(1)) if match else None


def actor_id(name: str) -> str:
    return slugify(name)


def event_id(date: str, title: str, forum: str | None, event_type: str, slug: str | None) -> str:
    """Date first, then `--slug`, else the forum and type (`2023-08-17-unsc-briefing`),
    else the title's first words."""
    if slug:
        tail = slugify(slug)
    elif forum:
        tail = slugify(f"{forum} {event_type}")
    else:
        tail = slugify(title, max_words=5)
    return f"{date}-{tail}" if tail else date


def source_id(title: str, publisher: str | None, published: str | None) -> str:
    """Publisher (its abbreviation when it gives one, or its initials when long), year,
    then the title's first words: `hrw-2019-strong-measures-needed-advance`."""
    parts = []
    if publisher:
        abbreviation = re.search(r"\(([^()]+)\)\s*$", publisher)
        if abbreviation:
            parts.append(slugify(abbreviation.group(1)))
        else:
            words = slugify(publisher).split("-")
            parts.append("".join(w[0] for w in words) if len(words) > 2 else "-".join(words))
    if published:
        parts.append(published[:4])
    parts.append(slugify(title, max_words=4))
    return "-".join(p for p in parts if p)


@dataclass(frozen=True)
class Plan:
    """A record ready to be written."""

    kind: str
    id: str
    path: Path
    text: str
    cited: bool
    notes: tuple[str, ...] = ()
    """How names given were understood (`--participant "Salmon"` -> elizabeth-salmon)."""


def _vocab(root: Path) -> tuple[list[Forum], list[Tag], list[EventType]]:
    """Forums, tags and event types of the dataset (empty when a file is missing or broken:
    lint reports that)."""
    from pydantic import ValidationError

    from dprkhr.models import EventTypesFile, ForumsFile, TagsFile
    from dprkhr.yamlio import read_file

    def read(model: type[_Vocab], file_name: str) -> _Vocab | None:
        path = root / file_name
        doc = read_file(path) if path.is_file() else None
        try:
            return model.model_validate(doc.data) if doc is not None and doc.ok else None
        except ValidationError:
            return None

    forums = read(ForumsFile, ForumsFile.file_name)
    tags = read(TagsFile, TagsFile.file_name)
    event_types = read(EventTypesFile, EventTypesFile.file_name)
    return (
        list(forums.forums) if forums is not None else [],
        list(tags.tags) if tags is not None else [],
        list(event_types.event_types) if event_types is not None else [],
    )


def _one_of(value: str, choices: list[str], what: str) -> str:
    if value in choices:
        return value
    from dprkhr.suggest import did_you_mean

    hint = did_you_mean(value, choices)
    known = ", ".join(choices) if len(choices) <= 20 else f"{len(choices)} known"
    raise UsageError(f"unknown {what} `{value}`" + (f"; {hint}" if hint else f" (known: {known})"))


def _date(value: str, option: str) -> str:
    from dprkhr.dates import DateError, PartialDate

    try:
        return PartialDate(value.strip()).text
    except DateError as exc:
        raise UsageError(f"{option} {value}: {exc}") from None


def check_answer(root: Path, kind: str, field: str, value: str) -> str | None:
    """One value of a new record, checked as soon as it is given (the interactive `new`
    asks again when this raises): the value as the record will hold it; None for an empty
    answer where one is allowed (a resolution's symbol)."""
    value = value.strip()
    if field == "symbol":
        if value and "/" not in value:
            raise UsageError(
                f"`{value}` is not a UN symbol (they have slashes: A/HRC/RES/22/13, "
                "S/RES/2375 (2017)); leave it empty if the resolution has none"
            )
        return value or None
    if not value:
        raise UsageError(f"the {field.replace('_', ' ')} cannot be empty")
    if field in ("date", "end_date", "published"):
        return _date(value, field.replace("_", " "))
    if field == "type":
        return _one_of(value, [t.id for t in _vocab(root)[2]], "event type")
    if field == "forum":
        return _forum_code(value, _vocab(root)[0])
    if field == "kind":
        return _one_of(value, list(KIND_CHOICES[kind]), f"{kind} kind")
    return value


def symbol_forum(root: Path, symbol: str) -> str | None:
    """The forum a resolution's symbol belongs to, when exactly one forum's pattern fits."""
    forums = _vocab(root)[0]
    matching = [f.code for f in forums if f.symbol_pattern and f.symbol_matches(symbol)]
    return matching[0] if len(matching) == 1 else None


def plan_record(root: Path, kind: str, values: dict[str, Any]) -> Plan:
    """Check the values, derive the id, and build the record's canonical text."""
    from pydantic import ValidationError

    from dprkhr.fmt import dump_record
    from dprkhr.models import RECORD_TYPES

    if kind not in KINDS:
        raise UsageError(f"unknown record kind `{kind}`; use one of: {', '.join(KINDS)}")
    given = {k: v for k, v in values.items() if v not in (None, [], "")}
    stray = sorted(set(given) - ALLOWED[kind] - COMMON)
    if stray:
        options = ", ".join("--" + s.replace("_", "-") for s in stray)
        raise UsageError(f"{options}: not used for a new {kind}")
    missing = [f for f in REQUIRED[kind] if f not in given]
    if kind == "resolution" and "symbol" not in given and "forum" not in given:
        missing.insert(0, "symbol")
    if missing:
        options = ", ".join("--" + m.replace("_", "-") for m in missing)
        raise UsageError(f"a new {kind} needs {options}")
    forums, tags, event_types = _vocab(root)
    forum_codes = [f.code for f in forums]
    for key in ("date", "end_date", "published"):
        if key in given:
            given[key] = _date(str(given[key]), "--" + key.replace("_", "-"))
    if "forum" in given:
        given["forum"] = _forum_code(str(given["forum"]), forums)
    if "type" in given:
        given["type"] = _one_of(given["type"], [t.id for t in event_types], "event type")
    for tag in given.get("tags", []):
        _one_of(tag, [t.id for t in tags], "tag")

    data: dict[str, Any] = {}
    notes: list[str] = []
    if kind == "event":
        record_id = given.get("id") or event_id(
            given["date"], given["title"], given.get("forum"), given["type"], given.get("slug")
        )
        data = {
            k: given[k]
            for k in ("date", "end_date", "type", "forum", "title", "location")
            if k in given
        }
        if "participants" in given:
            data["participants"], notes = _participants(root, given["participants"])
        if "tags" in given:
            data["tags"] = given["tags"]
    elif kind == "actor":
        record_id = given.get("id") or actor_id(given["name"])
        data = {
            k: given[k] for k in ("name", "kind", "aliases", "native_name", "country") if k in given
        }
    elif kind == "resolution":
        symbol = given.get("symbol")
        if symbol and "forum" not in given:
            matching = [f.code for f in forums if f.symbol_pattern and f.symbol_matches(symbol)]
            if len(matching) != 1:
                raise UsageError(
                    f"cannot tell the forum of `{symbol}` from its symbol; pass --forum "
                    f"({', '.join(forum_codes)})"
                )
            given["forum"] = matching[0]
        if symbol and "session" not in given:
            session = session_from_symbol(symbol)
            if session is not None:
                given["session"] = session
        if "session" in given and isinstance(given["session"], str) and given["session"].isdigit():
            given["session"] = int(given["session"])
        record_id = given.get("id") or (
            resolution_id(symbol)
            if symbol
            else f"{slugify(given['forum'])}-{given['date'][:4]}-dprk"
        )
        data = {k: given[k] for k in ("symbol", "forum", "session", "date", "title") if k in given}
        if "adoption" in given:
            data["adoption"] = _adoption(str(given["adoption"]))
        if "tags" in given:
            data["tags"] = given["tags"]
    else:
        record_id = given.get("id") or source_id(
            given["title"], given.get("publisher"), given.get("published")
        )
        data = {
            k: given[k]
            for k in ("title", "kind", "publisher", "author", "published", "url", "language")
            if k in given
        }
    if not record_id:
        raise UsageError(f"cannot derive an id for this {kind}; pass --id")
    cited = False
    if kind != "source":
        if "source" in given:
            citation: dict[str, Any] = {"source": given["source"]}
            if "page" in given:
                page = str(given["page"])
                citation["page"] = int(page) if page.isdigit() else page
            if "quote" in given:
                citation["quote"] = given["quote"]
            data["sources"] = [citation]
            cited = True
        elif "quote" in given or "page" in given:
            raise UsageError("--quote and --page belong to a citation: pass --source too")
        else:
            data["sources"] = []
    elif {"source", "quote", "page"} & set(given):
        raise UsageError("a source record does not cite other sources")
    data = {"id": record_id, **data}
    model = RECORD_TYPES[kind]
    try:
        model.model_validate(data)
    except ValidationError as exc:
        raise UsageError(_option_message(exc.errors(include_url=False)[0])) from None
    footer = (
        _CITED_BY_HINT.format(id=record_id) if kind == "source" else "" if cited else _CITE_HINT
    )
    text = dump_record(data, kind, footer=footer)
    path = root / model.folder / f"{record_id}.yaml"
    _must_pass_lint(root, kind, path, model.model_validate(data), data)
    return Plan(kind, record_id, path, text, cited, tuple(notes))


def _must_pass_lint(
    root: Path, kind: str, path: Path, record: Record, data: dict[str, Any]
) -> None:
    """Lint the planned record against the dataset, in memory; refuse it when anything but
    the citation still to be added would fail (unknown actors or sources, dates out of
    order...)."""
    from dprkhr.dataset import LoadedFile, load_dataset
    from dprkhr.layout import display_path
    from dprkhr.lint import lint_dataset
    from dprkhr.lint.rules.citations import MissingCitation

    dataset = load_dataset(root)
    display = display_path(path)
    dataset.files = [f for f in dataset.files if f.path.resolve() != path.resolve()]
    dataset.files.append(
        LoadedFile(location=str(path), display=display, kind=kind, record=record, data=data)
    )
    problems = [
        p
        for p in lint_dataset(dataset, only=[path]).problems
        if p.path == display and p.code != MissingCitation.code and p.severity.value == "error"
    ]
    if problems:
        lines = [
            f"  {p.code} {p.message}" + (f" ({p.suggestion})" if p.suggestion else "")
            for p in problems
        ]
        raise UsageError("the new record would not pass lint:\n" + "\n".join(lines))


_CITE_HINT = (
    "# Cite at least one source (data/sources/<id>.yaml) with a short exact quote:\n"
    "#   sources:\n"
    "#     - source: <source id>\n"
    "#       page: 1\n"
    "#       quote: the words of the source that support this record\n"
)


_OPTION_OF = {"participants": "--participant", "aliases": "--alias", "tags": "--tag"}
_PATTERN_WORDS = {
    "country": "two capital letters, the ISO 3166-1 alpha-2 code (KR, KP)",
    "language": "a two-letter ISO 639-1 code (en, ko)",
}


def _option_message(error: ErrorDetails) -> str:
    """A validation error of the new record in the terms of the command line: the option,
    the value given, what it should be."""
    from dprkhr.dataset import allowed_values
    from dprkhr.suggest import did_you_mean

    loc = [step for step in error["loc"] if isinstance(step, str)]
    field = loc[0] if loc else "value"
    option = _OPTION_OF.get(field, "--" + field.replace("_", "-"))
    value = error.get("input")
    shown = f"{option} {value!r}" if isinstance(value, str) else option
    choices = allowed_values(error)
    if choices:
        hint = did_you_mean(str(value), choices)
        return f"{shown}: use one of {', '.join(choices)}" + (f" ({hint})" if hint else "")
    if error["type"] == "string_pattern_mismatch":
        last = loc[-1] if loc else field
        if last in _PATTERN_WORDS:
            return f"{shown}: use {_PATTERN_WORDS[last]}"
        if last in ("id", "actor", "source", "organization") or last.endswith("id"):
            return f"{shown}: an id is lower-case letters, digits and single hyphens"
    message = str(error.get("msg", "not valid")).removeprefix("Value error, ")
    message = message.replace("Input should be", "use").replace("String should", "it should")
    return f"{shown}: {message}"


_CITED_BY_HINT = (
    "# Records cite this source in their own `sources:` list, with a short exact quote:\n"
    "#   sources:\n"
    "#     - source: {id}\n"
    "#       quote: the words of this source that support the record\n"
)
"""The footer of a new source: a source cites nothing itself (lint refuses `sources:` in
it); the records it supports cite it."""


def _forum_code(value: str, forums: list[Forum]) -> str:
    from dprkhr.names import forum_named

    forum = forum_named(value, forums)
    if forum is not None:
        return str(forum.code)
    return _one_of(value, [f.code for f in forums], "forum")


_ROLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def split_participant(text: str) -> tuple[str, str | None]:
    """`ACTOR` or `ACTOR:ROLE` -> (actor, role); the role is what follows the last colon
    when it is a slug (`speaker`, `co-sponsor`), so that a name may hold a colon."""
    actor, colon, role = text.rpartition(":")
    if colon and _ROLE.fullmatch(role.strip()) and actor.strip():
        return actor.strip(), role.strip()
    return text.strip(), None


def _participants(root: Path, texts: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """Participants from `--participant` values: an actor's id, or its name or alias
    (accents, case and name order aside; a unique part of a name will do), with an
    optional `:role`. A name that fits no actor, or only loosely, creates nothing: the
    error says which actor to add first (or which id was perhaps meant)."""
    from dprkhr.dataset import load_dataset
    from dprkhr.kb import KnowledgeBase
    from dprkhr.names import AmbiguousName, UnknownName
    from dprkhr.query import resolve_actor

    kb = KnowledgeBase.from_dataset(load_dataset(root))
    out: list[dict[str, str]] = []
    notes: list[str] = []
    for text in texts:
        name, role = split_participant(text)
        if not name:
            raise UsageError(f"--participant {text!r}: give an actor's id or name")
        try:
            match = resolve_actor(kb, name)
        except AmbiguousName as exc:
            raise UsageError(f"--participant: {exc}") from None
        except UnknownName as exc:
            maybe = f" ({exc})" if exc.suggestions else ""
            raise UsageError(
                f"--participant: no actor is named `{name}`{maybe}. Add the actor first "
                f'(dprkhr new actor --name "{name}" --kind KIND ...), then create the event; '
                "nothing was written"
            ) from None
        if match.how == "fuzzy":
            raise UsageError(
                f"--participant: no actor is named `{name}`; did you mean {match.describe()}? "
                f"Pass --participant {match.id}" + (f":{role}" if role else "") + " if so, or "
                "add the actor first; nothing was written"
            )
        if match.id != name:
            notes.append(f"participant `{name}` → {match.describe()}")
        entry = {"actor": match.id}
        if role:
            entry["role"] = role
        out.append(entry)
    return out, notes


def _adoption(text: str) -> dict[str, Any]:
    """`without-vote`, `vote`, or `YES-NO-ABSTAIN` counts (`30-6-11`)."""
    text = text.strip()
    if text in ("without-vote", "vote"):
        return {"method": text}
    match = re.fullmatch(r"(\d+)[-/,](\d+)[-/,](\d+)", text)
    if not match:
        raise UsageError(
            f"--adoption {text}: use without-vote, vote, or the counts YES-NO-ABSTAIN (30-6-11)"
        )
    yes, no, abstain = (int(g) for g in match.groups())
    return {"method": "vote", "yes": yes, "no": no, "abstain": abstain}


def write_new(plan: Plan) -> Path:
    """Write the planned file atomically, never over an existing one (a no-replace
    rename, `dprkhr.fsio.atomic_path`: it fails when the name exists, even if the file
    appeared while the text was written)."""
    from dprkhr.fsio import write_text

    plan.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_text(plan.path, plan.text, replace=False, mode=0o644)
    except FileExistsError:
        raise UsageError(
            f"{plan.path} already exists; edit it, or choose another id with --id"
        ) from None
    return plan.path


__all__ = [
    "KINDS",
    "REQUIRED",
    "Plan",
    "actor_id",
    "event_id",
    "plan_record",
    "resolution_id",
    "slugify",
    "source_id",
    "write_new",
]
