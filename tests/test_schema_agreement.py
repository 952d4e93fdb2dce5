"""Lint and the committed JSON Schemas accept exactly the same records.

Lint reads a file and validates it with the models (strictly: `yes: true`, `yes: "30"`,
`session: true`, `page: true` and `members: "193"` are located problems, never converted);
the schemas in `schemas/` are what editors and check-jsonschema judge the same files with.
A property-based test generates records (real ones from the dataset, and mutations of them)
and checks that both verdicts agree on every one.

The JSON Schema side is judged as check-jsonschema and editors judge it: `pattern` with
ECMAScript regular expressions (the `regress` library, which check-jsonschema uses; Python's
`re` lets `$` match before a final newline) and `format` checked. One known gap is kept
out of the comparison and asserted on its own: JSON Schema counts `30.0` as the integer 30,
lint asks for `30` (see `test_whole_decimal_is_refused_by_lint_only`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from dprkhr.dataset import load_file
from dprkhr.schema import SCHEMA_KINDS, file_name
from dprkhr.yamlio import parse_bytes, parse_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

LOAD_KIND = {"forums": "forums.yaml", "tags": "tags.yaml", "event-types": "event-types.yaml"}
"""Schema kind -> the kind `load_file` takes (record kinds are the same word)."""


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    if isinstance(instance, str) and regress.Regex(pattern).find(instance) is None:
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


def _is_integer(checker: Any, instance: Any) -> bool:
    # YAML and JSON readers tell 30 from 30.0; lint does too (see the module docstring)
    return isinstance(instance, int) and not isinstance(instance, bool)


EcmaValidator = jsonschema.validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def _validator(kind: str) -> Any:
    schema = json.loads((REPO / "schemas" / file_name(kind)).read_text(encoding="utf-8"))
    return EcmaValidator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATORS = {kind: _validator(kind) for kind in SCHEMA_KINDS}

_NOT_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""What a YAML stream cannot hold as it is, or folds as a line break (NEL, LS, PS)."""


def _yaml_text(data: Any) -> bytes:
    """A YAML file holding `data` exactly (JSON is YAML; non-printable characters escaped)."""
    text = json.dumps(data, ensure_ascii=False)
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def lint_accepts(kind: str, data: Any) -> bool:
    """Lint's schema verdict on a file holding `data`: it loads as a valid record."""
    loaded = load_file("f.yaml", LOAD_KIND.get(kind, kind), "f.yaml", raw=_yaml_text(data))
    assert loaded.data == data or data != data, "the file does not hold the data"
    return (loaded.vocab if kind in LOAD_KIND else loaded.record) is not None


def schema_accepts(kind: str, data: Any) -> bool:
    return VALIDATORS[kind].is_valid(data)


def _examples() -> dict[str, list[Any]]:
    """Real files of each kind, as data."""
    out: dict[str, list[Any]] = {}
    for kind, pattern in SCHEMA_KINDS.items():
        files = sorted(REPO.glob(pattern))[:12]
        out[kind] = [parse_text(f.read_text(encoding="utf-8")).data for f in files]
    return out


EXAMPLES = _examples()

WORDS = [
    "", " ", "30", "0x1E", "1700", "1800", "2024", " 2024", "2024\n", "2024-02-29", "2023-02-29",
    "1900-02-29", "2000-02-29", "2024-04-31", "2024-13", "2024-1-5", "１９９９", "HRC", "hrc",
    "UNGA-C3", "S-28", "ES-11", "S-0", "22", "21-22", "0-3", "vote", "without-vote", "person",
    "un-body", "report", "web-page", "a-b", "a--b", "A-B", "KR", "kr", "KOR", "[a-z]+", "[",
    "volker-turk", "DPK402", "https://example.org/a b",
]  # fmt: skip

scalars = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(min_value=-3, max_value=2100),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["a", "id", "actor", "source", "method"]), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `data`."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_places(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_places(value, (*path, i)))
    return out


FIELD_NAMES = sorted(
    {
        name
        for kind in SCHEMA_KINDS
        for name in re.findall(r'"([a-z_]+)": \{', (REPO / "schemas" / file_name(kind)).read_text())
    }
)
"""Every property name the schemas know (to add fields a record does not have)."""


@st.composite
def records(draw: st.DrawFn, kind: str) -> Any:
    """A real record, unchanged or with a few values replaced, removed or added."""
    import copy

    data = copy.deepcopy(draw(st.sampled_from(EXAMPLES[kind])))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_places(data)))
        if not path:
            continue
        *parent_path, last = path
        parent = data
        for step in parent_path:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "replace":
            parent[last] = draw(values)
        elif action == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(FIELD_NAMES))] = draw(values)
    return data


@pytest.mark.parametrize("kind", list(SCHEMA_KINDS))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lint_and_json_schema_agree(kind: str, data: st.DataObject) -> None:
    record = data.draw(records(kind))
    assert lint_accepts(kind, record) == schema_accepts(kind, record), record


@pytest.mark.parametrize("kind", list(SCHEMA_KINDS))
def test_every_real_file_is_valid_both_ways(kind: str) -> None:
    for record in EXAMPLES[kind]:
        assert lint_accepts(kind, record) and schema_accepts(kind, record)


def _resolution(**fields: Any) -> dict[str, Any]:
    base = json.loads(json.dumps(EXAMPLES["resolution"][0]))
    base.update(fields)
    return base


@pytest.mark.parametrize(
    "fields",
    [
        {"adoption": {"method": "vote", "yes": True}},
        {"adoption": {"method": "vote", "yes": "30"}},
        {"session": True},
        {"session": "30"},
        {"forum": ""},
        {"date": "1700"},
        {"date": 1700},
        {"date": "2023-02-29"},
        {"date": " 2024"},
        {"sources": [{"source": "a", "page": True}]},
        {"sources": [{"source": "a", "page": "21"}]},
    ],
)
def test_the_reported_coercions_are_refused_by_both(fields: dict[str, Any]) -> None:
    record = _resolution(**fields)
    assert not lint_accepts("resolution", record)
    assert not schema_accepts("resolution", record)


@pytest.mark.parametrize(
    "fields",
    [
        {"adoption": {"method": "vote", "yes": 30, "no": 0, "abstain": 1000}},
        {"session": "S-28"},
        {"date": 2024},
        {"date": "2024-02-29"},
        {"sources": [{"source": "a", "page": "21-22"}]},
    ],
)
def test_forms_accepted_by_both(fields: dict[str, Any]) -> None:
    record = _resolution(**fields)
    assert lint_accepts("resolution", record) and schema_accepts("resolution", record)


def test_forum_members_must_be_a_number_and_blame_forums_yaml() -> None:
    forums = json.loads(json.dumps(EXAMPLES["forums"][0]))
    for wrong in (True, "193"):
        forums["forums"][0]["members"] = wrong
        assert not lint_accepts("forums", forums) and not schema_accepts("forums", forums)


def test_hex_numbers_are_read_as_every_yaml_1_2_reader_reads_them() -> None:
    from check_jsonschema.parsers.yaml import construct_yaml_implementation

    ruamel = construct_yaml_implementation()
    for text in ("yes: 0x1E", "yes: 0o36", "yes: 0b11110", "yes: 3_0", "yes: 030", "yes: +30"):
        assert parse_bytes(text.encode()).data == ruamel.load(text) == {"yes": 30}, text


def test_whole_decimal_is_refused_by_lint_only() -> None:
    """The one documented gap: JSON Schema cannot tell 30.0 from 30."""
    record = _resolution(adoption={"method": "vote", "yes": 30.0})
    assert not lint_accepts("resolution", record)
    standard = Draft202012Validator(
        json.loads((REPO / "schemas" / "resolution.schema.json").read_text(encoding="utf-8"))
    )
    assert standard.is_valid(record)


def _lint_files(root: Path) -> dict[str, list[str]]:
    """File -> the problem codes `dprkhr lint --format json` reports in it."""
    from typer.testing import CliRunner

    from dprkhr.cli import app

    result = CliRunner().invoke(
        app, ["--data", str(root), "lint", "--format", "json"], env={"GITHUB_ACTIONS": ""}
    )
    out: dict[str, list[str]] = {}
    for problem in json.loads(result.stdout)["problems"]:
        out.setdefault(Path(problem["path"]).name, []).append(problem["code"])
    return out


def test_a_wrong_type_blames_its_own_file_only(tmp_path: Path) -> None:
    """`members: true` is a problem in forums.yaml, not in the resolutions whose votes it
    would have been compared with; a resolution whose file fails is not 'unknown' to the
    records that point at it (until it is deleted)."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    forums = root / "forums.yaml"
    forums.write_text(forums.read_text("utf-8").replace("members: 193", "members: true", 1))
    resolution = root / "resolutions" / "a-hrc-res-25-25.yaml"
    text = resolution.read_text("utf-8")
    assert re.search(r"yes: [0-9]+", text)
    resolution.write_text(re.sub(r"yes: [0-9]+", 'yes: "30"', text), "utf-8")
    assert _lint_files(root) == {"forums.yaml": ["DPK004"], "a-hrc-res-25-25.yaml": ["DPK004"]}
    resolution.unlink()
    after = _lint_files(root)
    assert after.pop("forums.yaml") == ["DPK004"]
    assert after and all(codes == ["DPK201"] for codes in after.values())


# The cases as files, judged by the real check-jsonschema command and by lint.
YAML_CASES = [
    ("resolution", "adoption: {method: vote, yes: true}", False),
    ("resolution", 'adoption: {method: vote, yes: "30"}', False),
    ("resolution", "adoption: {method: vote, yes: 0x1E}", True),
    ("resolution", "adoption: {method: vote, yes: 30}", True),
    ("resolution", "session: true", False),
    ("resolution", "session: S-28", True),
    ("resolution", 'date: "1700"', False),
    ("resolution", "date: 1700", False),
    ("resolution", "date: 2023-02-29", False),
    ("resolution", 'forum: ""', False),
    ("resolution", "sources: [{source: a, page: true}]", False),
    ("resolution", "sources: [{source: a, page: 21-22}]", True),
]


def test_check_jsonschema_and_lint_agree_on_the_reported_cases(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    base = "id: r\nsymbol: A/HRC/RES/1/1\n"
    files = []
    for i, (kind, line, _valid) in enumerate(YAML_CASES):
        path = tmp_path / f"case-{i}.yaml"
        path.write_text(base + line + "\n", encoding="utf-8")
        files.append(path)
        loaded = load_file(path, kind, path.name)
        assert (loaded.record is not None) == _valid, (line, [p.message for p in loaded.problems])
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "check_jsonschema"]
    schema = REPO / "schemas" / "resolution.schema.json"
    done = subprocess.run(
        [*command, "-o", "json", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    refused = {Path(e["filename"]).name for e in report["errors"] + report["parse_errors"]}
    for path, (_kind, line, valid) in zip(files, YAML_CASES, strict=True):
        assert (path.name not in refused) == valid, (line, done.stdout)
