"""Property tests: no input, however broken, makes loading or lint raise."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import BASE_RECORDS, REPO, VOCABULARIES, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dprkhr.dataset import load_dataset
from dprkhr.lint import lint_dataset
from dprkhr.yamlio import parse_bytes, parse_text

FIELDS = [
    "id",
    "name",
    "kind",
    "aliases",
    "country",
    "roles",
    "title",
    "date",
    "end_date",
    "type",
    "forum",
    "participants",
    "actor",
    "role",
    "resolutions",
    "tags",
    "sources",
    "source",
    "quote",
    "page",
    "symbol",
    "adoption",
    "method",
    "yes",
    "no",
    "abstain",
    "sponsors",
    "follows",
    "lint",
    "ignore",
    "start",
    "end",
    "organization",
    "session",
    "published",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2023-02-30",
            "2023",
            "volker-turk",
            "UNSC",
            "vote",
            "without-vote",
            "person",
            "DPK402",
            "ijks-2024-un-and-nk-human-rights",
            "2032-01-01",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)
records = st.dictionaries(st.sampled_from(FIELDS), values, max_size=12)


def _dataset_with(tmp: Path, relative: str, content: bytes) -> Path:
    root = tmp / "data"
    for folder in ("actors", "events", "resolutions", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in VOCABULARIES:
        (root / name).write_bytes((REPO / "data" / name).read_bytes())
    for rel, text in BASE_RECORDS.items():
        write(root, rel, text)
    path = root / relative
    path.write_bytes(content)
    return root


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_never_raises_on_bytes(raw: bytes):
    doc = parse_bytes(raw)
    assert doc.ok or doc.issues


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!|>'\"#\n\t?,%@`~.0123\\")), max_size=120))
def test_parse_never_raises_on_yaml_like_text(text: str):
    doc = parse_text(text)
    assert doc.ok or doc.issues


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    record=records,
    folder=st.sampled_from(["actors", "events", "resolutions", "sources"]),
)
def test_lint_never_raises_on_arbitrary_records(tmp_path_factory, record: dict, folder: str):
    tmp = tmp_path_factory.mktemp("fuzz")
    content = yaml.safe_dump(record, allow_unicode=True).encode("utf-8")
    root = _dataset_with(tmp, f"{folder}/fuzzed.yaml", content)
    result = lint_dataset(load_dataset(root))
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300), folder=st.sampled_from(["actors", "events"]))
def test_lint_never_raises_on_arbitrary_bytes(tmp_path_factory, raw: bytes, folder: str):
    tmp = tmp_path_factory.mktemp("fuzz")
    root = _dataset_with(tmp, f"{folder}/fuzzed.yaml", raw)
    result = lint_dataset(load_dataset(root))
    assert all(p.line >= 1 for p in result.problems)
