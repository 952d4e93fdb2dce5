"""Source documents that records cite."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from pydantic import Field

from dprkhr.models.common import PartialDate, Record, Text


class SourceKind(str, Enum):
    article = "article"
    news = "news"
    report = "report"
    statement = "statement"
    programme = "programme"
    web_page = "web-page"
    un_document = "un-document"
    press_release = "press-release"
    dataset = "dataset"
    video = "video"
    other = "other"


class Source(Record):
    """A document: an article, a UN document, a statement, a web page."""

    record_type: ClassVar[str] = "source"
    folder: ClassVar[str] = "sources"

    title: Text
    kind: SourceKind
    publisher: Text | None = None
    author: Text | None = None
    published: PartialDate | None = Field(default=None, description="Publication date.")
    url: Text | None = None
    language: Text | None = Field(default=None, description="ISO 639-1 code, e.g. en, ko.")
    summary: Text | None = None
