"""Identity rules (codes 1xx): ids are unique and match their file names."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator

from dprkhr.dataset import LoadedFile
from dprkhr.kb import field_value
from dprkhr.lint.base import FileEnv, Finding, Rule, record_or_data
from dprkhr.lint.view import DatasetView, Placed
from dprkhr.models.vocab import EventTypesFile, ForumsFile, TagsFile


class DuplicateId(Rule):
    """Every record id is used once across the whole dataset, and every forum code, tag
    and event type is defined once.

    `dprkhr show ID` must find exactly one record, so an event, an actor and a source
    cannot share an id either.

    Fails:
        # data/sources/volker-turk.yaml
        id: volker-turk
        title: A source whose id is already an actor's
        kind: web-page

    Passes:
        # data/sources/volker-turk-profile.yaml
        id: volker-turk-profile
        title: A source with an id of its own
        kind: web-page
        url: https://www.thequint.com/amp/story/news/world/austrias-volker-turk-appointed-as-new-un-high-commissioner-for-human-rights
    """

    code = "DPK101"
    name = "duplicate-id"
    summary = "two records (or vocabulary entries) share an id"

    def check_dataset(self, view: DatasetView) -> Iterator[Placed]:
        holders: defaultdict[str, list[int]] = defaultdict(list)
        for index, summary in view.records():
            holders[summary.id or ""].append(index)
        for record_id, indexes in holders.items():
            if len(indexes) < 2:
                continue
            for index in indexes:
                others = ", ".join(view.displays[i] for i in indexes if i != index)
                line, column = view.summaries[index].id_at or (1, 1)
                yield (
                    index,
                    line,
                    column,
                    f"id `{record_id}` is also used by {others}",
                    "give each record its own id (and file name)",
                )

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        vocab = loaded.vocab
        if isinstance(vocab, ForumsFile):
            entries = [(("forums", i, "code"), f.code) for i, f in enumerate(vocab.forums)]
        elif isinstance(vocab, TagsFile):
            entries = [(("tags", i, "id"), t.id) for i, t in enumerate(vocab.tags)]
        elif isinstance(vocab, EventTypesFile):
            entries = [(("event_types", i, "id"), t.id) for i, t in enumerate(vocab.event_types)]
        else:
            return
        seen: dict[str, int] = {}
        for loc, key in entries:
            if key in seen:
                yield Finding(
                    loc,
                    f"`{key}` is defined twice (first as entry {seen[key] + 1})",
                    "remove one of the two entries",
                )
            else:
                seen[key] = int(loc[1])


class IdMatchesFileName(Rule):
    """A record's `id` equals its file name without `.yaml`.

    Ids are how records point at each other; the file name is how people find them.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-tuerk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk

    Passes:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: Volker Türk
        kind: person
        sources:
          - source: ijks-2024-un-and-nk-human-rights
            quote: which opened with remarks by Volker Turk
    """

    code = "DPK102"
    name = "id-file-name"
    summary = "the id differs from the file name"

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        item = record_or_data(loaded)
        if item is None:
            return
        record_id = field_value(item[0], "id")
        name = os.path.basename(loaded.location)
        stem = name.rsplit(".", 1)[0]
        if isinstance(record_id, str) and record_id != stem:
            yield Finding(
                ("id",),
                f"id `{record_id}` does not match the file name `{name}`",
                f"rename the file to `{record_id}.yaml`, or set `id: {stem}`",
            )
