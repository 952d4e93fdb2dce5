"""Tables fit the terminal without breaking a word: the fit test counts the three
characters rich puts between columns, not two."""

from __future__ import annotations

import pytest

from dprkhr.cli.output import Column, table


@pytest.mark.parametrize("width", [64, 70, 80])
def test_no_word_is_broken_when_columns_barely_fit(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    # Four columns whose narrowest widths sum to width - 7: they fit with two-space gaps
    # (6 characters) but not with rich's three (9).
    word = "w" * (width - 7 - 3 * 10)
    rows = [("a" * 10, "b" * 10, "c" * 10, f"{word} tail")]
    columns = [
        Column("A", lambda r: r[0], no_wrap=True),
        Column("B", lambda r: r[1], no_wrap=True),
        Column("C", lambda r: r[2], no_wrap=True),
        Column("D", lambda r: r[3]),
    ]
    table(rows, columns)
    out = capsys.readouterr().out
    assert word in out, out
    assert all(len(line) <= width for line in out.splitlines()), out
