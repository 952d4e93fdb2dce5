"""Citation rules (codes 6xx): every claim cites a source, and quotes are exact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from dprkhr.dataset import LoadedFile
from dprkhr.fsio import read_text
from dprkhr.kb import field_value
from dprkhr.lint.base import FileEnv, Finding, Rule, record_or_data
from dprkhr.models import Source
from dprkhr.problems import Severity

MAX_QUOTE = 400
"""Characters above which a quote stops being a short quote."""

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\]|\[\u2026\])\s*")


def normalize_text(text: str) -> str:
    """Fold case, quote marks, dashes and whitespace so that a quote can be found."""
    return _SPACE.sub(" ", text.translate(_QUOTES).casefold()).strip()


def quote_in_text(quote: str, normalized_text: str) -> bool:
    """True when every part of the quote (split at `...`) appears in order."""
    position = 0
    for part in _ELLIPSIS.split(quote):
        needle = normalize_text(part).strip(" \"'")
        if not needle:
            continue
        found = normalized_text.find(needle, position)
        if found == -1:
            return False
        position = found + len(needle)
    return True


def closest_passage(quote: str, normalized_text: str) -> str | None:
    """The passage of the text most like the quote, to help fix a near miss."""
    from rapidfuzz import fuzz

    needle = normalize_text(_ELLIPSIS.split(quote)[0])
    if not needle:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, normalized_text, score_cutoff=60)
    if alignment is None:
        return None
    return normalized_text[alignment.dest_start : alignment.dest_end]


class MissingCitation(Rule):
    """Every actor, event and resolution cites at least one source.

    A knowledge base of human-rights facts is only as good as its sources: add
    `sources:` with the source record's id, and a short exact quote where you can.

    Fails:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person

    Passes:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: former COI Chair Michael Kirby
    """

    code = "DPK601"
    name = "missing-citation"
    summary = "a record cites no source"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if record is None or isinstance(record, Source) or record.citations():
            return
        yield Finding(
            ("sources",) if "sources" in record.model_fields_set else (),
            f"{record.record_type} `{record.id}` cites no source",
            'add `sources: [{source: <source id>, quote: "..."}]` with a source from data/sources',
        )


class QuoteNotFound(Rule):
    """A citation's quote appears in the archived text of its source.

    Runs only with `--archive DIR`, where `DIR/<source id>.txt` holds the text of each
    source. The comparison ignores case, runs of whitespace, and the style of quote marks
    and dashes; `...` marks an omission, and the parts around it must appear in order.
    Citations of sources with no archived text are not checked.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: Volker Turk said nothing at all.

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code = "DPK602"
    name = "quote-not-found"
    summary = "a quote is not in the archived source text"
    needs_archive = True

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        item = record_or_data(loaded) if env.archive is not None else None
        if item is None:
            return
        citations = field_value(item[0], "sources")
        for i, citation in enumerate(citations if isinstance(citations, list) else []):
            source, quote = field_value(citation, "source"), field_value(citation, "quote")
            if not (isinstance(source, str) and isinstance(quote, str) and quote):
                continue
            text = env.archived_text(source)
            if isinstance(text, OSError):
                yield Finding(
                    ("sources", i, "source"),
                    f"the archived text of `{source}` cannot be read: {text.strerror}",
                    f"make {text.filename} a plain UTF-8 text file",
                )
                continue
            if text is None or quote_in_text(quote, text):
                continue
            passage = closest_passage(quote, text)
            yield Finding(
                ("sources", i, "quote"),
                f"quote not found in the archived text of `{source}`",
                f'closest passage: "{passage}"'
                if passage
                else "copy the words exactly as the source has them",
            )


ARCHIVE_TEXT_LIMIT = 64 * 1024 * 1024
"""Archived texts larger than this are not read."""


def read_archive(archive: Path, source_id: str) -> str | OSError | None:
    """The normalised archived text of a source; None if it has none; the error if its
    file cannot be read (only regular files are read, never more than the limit)."""
    path = archive / f"{source_id}.txt"
    try:
        return normalize_text(read_text(path, ARCHIVE_TEXT_LIMIT, errors="replace"))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc


class LongQuote(Rule):
    """A quote is short: a sentence or two, not a passage (a warning).

    Records hold facts and summaries in our own words; quotes are evidence. Quoting
    more than 400 characters copies the source rather than citing it.

    Fails:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: >-
              Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod
              tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim
              veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea
              commodo consequat. Duis aute irure dolor in reprehenderit in voluptate
              velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat
              cupidatat non proident, sunt in culpa qui officia deserunt mollit anim.

    Passes:
        # data/actors/michael-kirby.yaml
        id: michael-kirby
        name: Michael Kirby
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: the Special Rapporteur on North Korean human rights
    """

    code = "DPK603"
    name = "long-quote"
    summary = "a quote is longer than a sentence or two"
    severity = Severity.warning

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if record is None:
            return
        for i, citation in enumerate(record.citations()):
            if citation.quote and len(citation.quote) > MAX_QUOTE:
                yield Finding(
                    ("sources", i, "quote"),
                    f"quote is {len(citation.quote)} characters; keep quotes under {MAX_QUOTE}",
                    "quote the one sentence that supports the record, or split it",
                )


class SourceWithoutUrl(Rule):
    """A source record gives the address of the page it was read on (a warning).

    A reader who wants to check a quote needs the page: set `url` to the address you
    read. A document with no page (a printed journal, an archived copy) is the rare
    exception: suppress the rule in that record with a reason,
    `lint: {ignore: [DPK604], reason: "..."}`.

    Fails:
        # data/sources/korea-herald-2024-seoul-forum.yaml
        id: korea-herald-2024-seoul-forum
        title: Seoul Forum spotlights roles of China, Russia in NK human rights
        kind: news
        published: "2024-07-11"

    Passes:
        # data/sources/korea-herald-2024-seoul-forum.yaml
        id: korea-herald-2024-seoul-forum
        title: Seoul Forum spotlights roles of China, Russia in NK human rights
        kind: news
        published: "2024-07-11"
        url: https://www.koreaherald.com/view.php?ud=20240711050705
    """

    code = "DPK604"
    name = "source-without-url"
    summary = "a source has no url"
    severity = Severity.warning

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if not isinstance(record, Source) or record.url:
            return
        yield Finding(
            (),
            f"source `{record.id}` has no `url`",
            "add `url:` with the address of the page you read, or suppress with a reason "
            "if the document has no page",
        )


class MissingQuote(Rule):
    """An actor, event or resolution carries at least one quote among its citations (a
    warning).

    A citation without a quote says where to look but not what the source says; one
    short exact quote (a sentence or less) lets a reader check the record against the
    page. Records that cite nothing at all are DPK601's concern.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code = "DPK605"
    name = "missing-quote"
    summary = "a record's citations carry no quote"
    severity = Severity.warning

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        record = loaded.record
        if record is None or isinstance(record, Source):
            return
        citations = record.citations()
        if not citations or any(c.quote for c in citations):
            return
        yield Finding(
            ("sources",),
            f"{record.record_type} `{record.id}` cites {len(citations)} source(s) but quotes none",
            "add `quote:` to a citation: a short exact quote from the page that supports "
            "the record",
        )
