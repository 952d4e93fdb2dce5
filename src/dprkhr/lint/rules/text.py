"""Rules about the characters in data values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dprkhr.dataset import LoadedFile
from dprkhr.lint.base import FileEnv, Finding, Rule
from dprkhr.problems import Severity
from dprkhr.safetext import BIDI_CONTROLS, has_unsafe


def _values(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, str]]:
    """Every text in `data` (keys too), with the path of the value it is or names."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _values(value, (*path, key) if isinstance(key, str) else path)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _values(item, (*path, i))
    elif isinstance(data, str):
        yield path, data


class ControlCharacter(Rule):
    r"""Values hold printable text: no control characters and no bidirectional controls
    (a warning).

    A control character (escape, bell, backspace, carriage return...) in a name or title
    can act on the terminal of whoever reads the output, and a bidirectional control
    (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) makes text show in another order than it
    is stored ("Trojan Source"). dprkhr shows them literally in its output, but they have
    no place in the data: they come from a bad copy and paste, or from a hostile edit.
    Newlines and tabs in long text are fine.

    Fails:
        # data/actors/volker-turk.yaml
        id: volker-turk
        name: "Volker \u202eTürk"
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

    code = "DPK007"
    name = "control-character"
    summary = "a value holds a control or bidirectional character"
    severity = Severity.warning

    def check_file(self, loaded: LoadedFile, env: FileEnv) -> Iterator[Finding]:
        data = loaded.data
        if data is None and loaded.record is not None:
            data = loaded.record.model_dump(mode="json", by_alias=True, exclude_none=True)
        for path, text in _values(data):
            if not has_unsafe(text):
                continue
            found = sorted({c for c in text if has_unsafe(c)})
            names = ", ".join(f"U+{ord(c):04X}" for c in found[:3])
            what = (
                "a bidirectional control"
                if all(c in BIDI_CONTROLS for c in found)
                else "a control character"
            )
            yield Finding(
                path,
                f"the value holds {what} ({names})",
                "retype the text, or remove the character (it can act on a terminal or "
                "reorder what is shown)",
            )
