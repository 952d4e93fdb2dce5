from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dprkhr import yamlio
from dprkhr.yamlio import parse_bytes, parse_text, read_file


def issues(text: str | bytes) -> list[tuple[str, int, int]]:
    doc = parse_bytes(text) if isinstance(text, bytes) else parse_text(text)
    return [(i.kind, i.line, i.column) for i in doc.issues]


def test_plain_values_and_yaml_1_1_traps():
    doc = parse_text(
        "country: NO\nanswer: yes\nflag: true\noff: off\ndate: 2024-03-12\nyear: 2024\n"
        "ratio: 0.5\nnothing: ~\nsexagesimal: 1:20\noctal: 012\n"
    )
    assert doc.issues == []
    assert doc.data == {
        "country": "NO",
        "answer": "yes",
        "flag": True,
        "off": "off",
        "date": "2024-03-12",
        "year": 2024,
        "ratio": 0.5,
        "nothing": None,
        "sexagesimal": "1:20",
        "octal": 12,
    }


def test_locate_points_at_keys_and_list_items():
    doc = parse_text(
        "id: x\nparticipants:\n  - actor: a\n    role: host\n  - actor: b\n    role: briefer\n"
    )
    assert doc.locate(("participants", 1, "actor")) == (5, 5)
    assert doc.locate(("participants", 1, "role")) == (6, 5)
    assert doc.locate(("participants", 0)) == (3, 5)
    # a missing key falls back to its nearest existing ancestor
    assert doc.locate(("participants", 1, "missing")) == (5, 5)
    assert doc.locate(("nope",)) == (1, 1)
    assert doc.locate(()) == (1, 1)


def test_duplicate_key_names_both_lines():
    doc = parse_text("id: x\nname: A\nkind: person\nname: B\n")
    assert doc.ok  # not fatal: the data is still there for further checks
    (issue,) = doc.issues
    assert (issue.kind, issue.line, issue.column) == ("duplicate-key", 4, 1)
    assert "first defined on line 2" in issue.message
    assert doc.data["name"] == "A"


def test_nested_duplicate_key():
    assert issues("a:\n  b: 1\n  b: 2\n") == [("duplicate-key", 3, 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object:os.system x\n", [("dialect", 1, 4)]),
        ("a: !custom x\n", [("dialect", 1, 4)]),
        ("a: !!str x\n", [("dialect", 1, 4)]),
        ("!!map {a: 1}\n", [("dialect", 1, 1)]),
        ("<<: {a: 1}\nb: 2\n", [("dialect", 1, 1)]),
        ("? [a, b]\n: 1\n", [("dialect", 1, 3)]),
        ("a: &x [*x]\n", [("dialect", 1, 4)]),
        ("- 1\n- 2\n", [("dialect", 1, 1)]),
        ("just a string\n", [("dialect", 1, 1)]),
        ("", [("dialect", 1, 1)]),
        ("# only a comment\n\n", [("dialect", 1, 1)]),
        ("a: 1\n---\nb: 2\n", [("dialect", 2, 1)]),
        ("a: [1\nb: 2\n", [("syntax", 2, 2)]),
        ("a: b: c\n", [("syntax", 1, 5)]),
        ("a: 1\n\tb: 2\n", [("syntax", 2, 1)]),
        ("a: \x07\n", [("syntax", 1, 4)]),
    ],
)
def test_rejections_have_places(text: str, expected: list[tuple[str, int, int]]):
    assert issues(text) == expected


def test_alias_expansion_is_bounded():
    # the "billion laughs": each level multiplies the one before
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    doc = parse_text("\n".join(lines) + "\n")
    assert not doc.ok
    assert any(i.kind == "dialect" for i in doc.issues)


@pytest.mark.parametrize("levels", [40, 1_500, 5_000])
def test_deep_nesting_reads_the_same_whichever_libyaml_refuses_it(levels):
    # libyaml from PyYAML 6.0.4 on refuses more than 1,000 levels itself while scanning;
    # older builds compose the text and leave the depth to us. Both must give one answer.
    text = "a: " + "[" * levels + "]" * levels + "\n"
    assert issues(text) == [("dialect", 1, 35)]
    assert parse_text(text).issues[0].message == "nesting deeper than 32 levels"


def test_libyaml_nesting_error_is_reported_as_dialect():
    text = "a: " + "[" * 2_000 + "]" * 2_000 + "\n"
    mark = yaml.Mark("<text>", 1_002, 0, 1_002, None, None)
    exc = yaml.scanner.ScannerError(
        "while increasing flow level", mark, "exceeded maximum nesting depth", mark
    )
    issue = yamlio._libyaml_depth_issue(text, exc)
    assert issue is not None and (issue.kind, issue.line, issue.column) == ("dialect", 1, 35)
    other = yaml.scanner.ScannerError("while scanning", mark, "found a tab", mark)
    assert yamlio._libyaml_depth_issue(text, other) is None


def test_small_alias_use_is_allowed():
    doc = parse_text("a: &x [1, 2]\nb: *x\n")
    assert doc.ok and doc.data == {"a": [1, 2], "b": [1, 2]}


def test_deep_nesting_is_refused_without_crashing():
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    # the mapping is level 1, so level 33 is the 32nd bracket, at column 35
    assert issues(deep) == [("dialect", 1, 35)]
    block = "a:\n" + "".join(" " * i + "- \n" for i in range(40))
    assert not parse_text(block).ok


def test_encoding_and_binary():
    assert issues(b"a: \xff\xfe\n") == [("dialect", 1, 4)]
    assert issues(b"id: x\nname: caf\xc3\xa9\nbad: \xc3\n") == [("dialect", 3, 6)]
    assert issues(b"a: 1\x00\n") == [("dialect", 1, 1)]
    # a UTF-8 byte-order mark is fine
    assert parse_bytes(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    doc = read_file(path)
    assert not doc.ok and "limited to 100 bytes" in doc.issues[0].message


def test_unreadable_file(tmp_path: Path):
    doc = read_file(tmp_path / "missing.yaml")
    assert not doc.ok and "cannot read" in doc.issues[0].message
