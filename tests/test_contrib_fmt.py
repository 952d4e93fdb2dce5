"""`dprkhr fmt`: canonical form, nothing lost, idempotent, atomic, broken files untouched."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from helpers_contrib import REPO, make_dataset, run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dprkhr.fmt import FormatError, comments, format_text
from dprkhr.yamlio import parse_text

MESSY = """\
# Header comment: stays at the top.
sources:
- {quote: "the first in six years", source: ijks-2024-un-and-nk-human-rights}
summary: 'The Security Council discussed North Korean human rights in public for the first time in six years.'
title: "Security Council briefing"   # inline comment
date: 2023-08-17
id: 2023-08-17-unsc-briefing
x_note: kept as it is
type: briefing
forum: UNSC
participants:
    -   role: briefer
        actor: volker-turk
# a comment between fields
tags: [ human-rights-and-security ]
"""


def test_canonical_form_of_a_messy_event() -> None:
    out = format_text(MESSY, "event")
    lines = out.splitlines()
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert keys == [
        "id",
        "date",
        "type",
        "forum",
        "title",
        "participants",
        "tags",
        "summary",
        "sources",
        "x_note",
    ]
    assert 'date: "2023-08-17"' in lines
    assert "  - actor: volker-turk" in lines
    assert "    role: briefer" in lines
    assert "tags: [human-rights-and-security]" in lines
    assert "summary: >-" in lines
    assert "  - source: ijks-2024-un-and-nk-human-rights" in lines
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert parse_text(out).data == parse_text(MESSY).data


def test_comments_survive() -> None:
    out = format_text(MESSY, "event")
    for comment in ("Header comment: stays at the top.", "inline comment", "a comment between"):
        assert comment in out
    assert sorted(comments(out)) == sorted(comments(MESSY))
    assert out.startswith("# Header comment")


def test_idempotent_on_the_messy_event() -> None:
    once = format_text(MESSY, "event")
    assert format_text(once, "event") == once


def test_text_that_reads_as_other_types_is_double_quoted() -> None:
    text = 'id: x\nname: "NO"\nkind: state\naliases: ["true", "123", "1e3", "null", "~"]\n'
    out = format_text(text, "actor")
    assert parse_text(out).data == parse_text(text).data
    assert 'aliases:\n  - "true"\n  - "123"' in out


def test_multiline_and_special_text_keeps_its_value() -> None:
    data = {
        "id": "x",
        "title": "T",
        "kind": "report",
        "summary": "first line\nsecond line\n",
        "author": " leading space",
        "publisher": "has: colon # and hash",
        "url": "tab\there",
    }
    text = yaml.safe_dump(data, allow_unicode=True)
    out = format_text(text, "source")
    assert parse_text(out).data == data
    assert "summary: |" in out
    assert format_text(out, "source") == out


def test_vocabulary_file_keeps_its_comments_and_order() -> None:
    text = (REPO / "data" / "forums.yaml").read_text(encoding="utf-8")
    out = format_text(text, "forums.yaml")
    assert comments(out) == comments(text)
    assert parse_text(out).data == parse_text(text).data


def test_broken_yaml_is_an_error() -> None:
    with pytest.raises(FormatError):
        format_text("id: [oops\n", "event")
    with pytest.raises(FormatError):
        format_text("id: a\nid: b\n", "event")  # duplicate keys are ambiguous


def test_anchors_are_refused_not_expanded() -> None:
    text = "id: x\nname: X\nkind: person\naliases: &a [A]\nroles: []\nidentifiers: {}\n"
    text += "summary: s\nsources: []\nlint: {ignore: *a}\n"
    with pytest.raises(FormatError):
        format_text(text, "actor")


# ---------------------------------------------------------------------------- property

_plain = st.text(alphabet=string.ascii_letters + string.digits + " -_.,:#'\"/()é—", max_size=120)
_any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"),
    max_size=60,
)
_scalar = st.one_of(_plain, _any_text, st.integers(-5, 3000), st.booleans(), st.none())
_citation = st.fixed_dictionaries(
    {"source": st.sampled_from(["a", "b-2"])},
    optional={"page": st.one_of(st.integers(1, 99), _plain), "quote": _plain, "zz": _scalar},
)
_record = st.fixed_dictionaries(
    {"id": st.just("2024-01-01-x"), "date": st.sampled_from(["2024", "2024-01", "2024-01-01"])},
    optional={
        "title": _plain,
        "summary": st.one_of(_plain, _any_text),
        "tags": st.lists(st.sampled_from(["a", "b-c", "detention"]), max_size=4),
        "documents": st.lists(_scalar, max_size=3),
        "sources": st.lists(_citation, max_size=3),
        "extra": _scalar,
        "type": _scalar,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=_record, flow=st.booleans(), width=st.sampled_from([40, 80, 10_000]))
def test_fmt_keeps_every_value_and_is_idempotent(record: dict, flow: bool, width: int) -> None:
    text = yaml.safe_dump(record, allow_unicode=True, default_flow_style=flow, width=width)
    expected = parse_text(text)
    try:
        once = format_text(text, "event")
    except FormatError:
        return  # refused, never damaged: the file would be left alone
    assert parse_text(once).data == expected.data
    assert format_text(once, "event") == once


# ---------------------------------------------------------------------------- command


def test_fmt_check_reports_and_changes_nothing(tmp_path: Path) -> None:
    root = make_dataset(tmp_path, {"events/2023-08-17-unsc-briefing.yaml": MESSY})
    path = root / "events" / "2023-08-17-unsc-briefing.yaml"
    before = path.read_bytes()
    result = run(root, "fmt", "--check")
    assert result.exit_code == 1, result.output
    assert "+++ " in result.stdout and "(canonical)" in result.stdout
    assert "would be reformatted" in result.output
    assert path.read_bytes() == before


def test_fmt_rewrites_then_check_passes(tmp_path: Path) -> None:
    root = make_dataset(tmp_path, {"events/2023-08-17-unsc-briefing.yaml": MESSY})
    result = run(root, "fmt")
    assert result.exit_code == 0, result.output
    assert "1 file reformatted" in result.output
    assert run(root, "fmt", "--check").exit_code == 0
    lint = run(root, "lint", "--format", "parsable")
    assert len(lint.stdout.splitlines()) == 1 and "DPK004" in lint.stdout, lint.stdout
    assert "x_note" in lint.stdout  # the unknown field was kept, for lint to report
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_fmt_leaves_broken_yaml_untouched(tmp_path: Path) -> None:
    broken = "id: 2024-01-01-x\ntitle: [unclosed\n"
    root = make_dataset(tmp_path, {"events/2024-01-01-x.yaml": broken})
    result = run(root, "fmt")
    assert result.exit_code == 1
    assert "2024-01-01-x.yaml:3:1: error" in result.output or "2024-01-01-x.yaml" in result.output
    assert "left untouched" in result.output
    assert (root / "events" / "2024-01-01-x.yaml").read_text() == broken


def test_fmt_on_given_paths_and_missing_path(tmp_path: Path) -> None:
    root = make_dataset(tmp_path, {"events/2023-08-17-unsc-briefing.yaml": MESSY})
    event = root / "events" / "2023-08-17-unsc-briefing.yaml"
    assert run(root, "fmt", "--check", str(root / "actors")).exit_code == 0
    assert run(root, "fmt", "--check", str(event)).exit_code == 1
    missing = run(root, "fmt", str(root / "nope.yaml"))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_bundled_dataset_is_canonical() -> None:
    result = run(REPO / "data", "fmt", "--check")
    assert result.exit_code == 0, result.stdout


_comment_edits = st.lists(
    st.tuples(st.integers(0, 60), st.booleans(), st.text("abc xyz:#'", min_size=1, max_size=12)),
    max_size=5,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=_record, edits=_comment_edits, width=st.sampled_from([40, 10_000]))
def test_fmt_keeps_comments_anywhere(record: dict, edits: list, width: int) -> None:
    lines = yaml.safe_dump(record, allow_unicode=True, width=width).splitlines()
    for position, end_of_line, text in edits:
        i = position % (len(lines) + 1)
        line = lines[i] if i < len(lines) else ""
        plain_end = not line.rstrip().endswith(("|", ">", "|-", ">-", "'", '"', "\\"))
        if end_of_line and i < len(lines) and plain_end and "'" not in line and '"' not in line:
            lines[i] = f"{line}  # {text}"
        else:
            lines.insert(i, f"# {text}")
    source = "\n".join(lines) + "\n"
    expected = parse_text(source)
    if expected.issues:
        return  # the comment made the YAML invalid: not a formatting question
    try:
        once = format_text(source, "event")
    except FormatError:
        return  # refused, file untouched: fmt never moves a comment away from its field
    assert parse_text(once).data == expected.data
    assert sorted(comments(once)) == sorted(comments(source))
    assert format_text(once, "event") == once


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=_record)
def test_canonical_form_does_not_depend_on_the_input_style(record: dict) -> None:
    block_source = yaml.safe_dump(record, allow_unicode=True, width=30)
    flow_source = yaml.safe_dump(record, default_flow_style=True, width=10_000)
    # PyYAML's own emitter can change a value (a raw NEL in a folded quoted line reads back
    # as a space): such inputs do not hold the same record, so they say nothing about fmt
    assume(parse_text(block_source).data == parse_text(flow_source).data)
    block = format_text(block_source, "event")
    flow = format_text(flow_source, "event")
    assert block == flow
    # a comment sends the text through ruamel's reader, which knows the old styles
    commented = format_text(block + "# note\n", "event")
    assert commented == block + "# note\n" or commented.replace("\n# note", "") == block


def test_comments_travel_with_the_field_they_describe() -> None:
    source = (
        "id: cm2\n"
        "kind: person\n"
        "# name checked against the UN list\n"
        "name: Someone\n"
        "sources:\n"
        "  - quote: x  # page 21\n"
        "    source: ijks-2024-un-and-nk-human-rights\n"
        "  # second citation\n"
        "  - source: ijks-2024-un-and-nk-human-rights\n"
    )
    out = format_text(source, "actor")
    assert "# name checked against the UN list\nname: Someone\nkind: person\n" in out
    assert "    quote: x  # page 21\n" in out
    assert "  # second citation\n  - source: ijks-2024-un-and-nk-human-rights\n" in out
    assert format_text(out, "actor") == out


def test_a_comment_that_cannot_stay_with_its_field_is_refused() -> None:
    source = "date: '2024'\nid: 2024-01-01-x\ntags:\n# about the tag\n- a\n"
    with pytest.raises(FormatError, match="move a comment"):
        format_text(source, "event")
