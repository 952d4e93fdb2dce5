"""`dprkhr schema`: JSON Schemas from the models, committed, wired for editors, and
accepted by an outside validator on the whole dataset."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_contrib import REPO, make_dataset, run

from dprkhr.schema import DIALECT, SCHEMA_KINDS, file_name, schema_text


def test_schema_command_prints_a_draft_2020_12_schema(tmp_path: Path) -> None:
    result = run(make_dataset(tmp_path), "schema", "event")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == DIALECT
    assert schema["additionalProperties"] is False
    assert {"id", "date", "type", "title"} <= set(schema["required"])


def test_schema_command_lists_kinds_and_rejects_unknown(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    listing = run(root, "schema")
    assert listing.exit_code == 0
    for kind in SCHEMA_KINDS:
        assert f"schemas/{file_name(kind)}" in listing.stdout
    unknown = run(root, "schema", "evnt")
    assert unknown.exit_code == 2 and "unknown schema" in unknown.output


@pytest.mark.parametrize("kind", list(SCHEMA_KINDS))
def test_committed_schema_is_current(kind: str) -> None:
    committed = (REPO / "schemas" / file_name(kind)).read_text(encoding="utf-8")
    assert committed == schema_text(kind), "run `python -m dprkhr.docgen`"


def test_vscode_maps_every_schema_to_its_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for kind, files in SCHEMA_KINDS.items():
        globs = mapping[f"./schemas/{file_name(kind)}"]
        assert files in globs
        assert (REPO / "schemas" / file_name(kind)).is_file()


def _check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "check_jsonschema"]
    return subprocess.run(
        [*command, "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def _files_of(root: Path, kind: str) -> list[Path]:
    pattern = SCHEMA_KINDS[kind].removeprefix("data/")
    return sorted(root.glob(pattern))


@pytest.mark.parametrize("kind", list(SCHEMA_KINDS))
def test_check_jsonschema_accepts_the_bundled_dataset(kind: str) -> None:
    files = _files_of(REPO / "data", kind)
    assert files, f"no {kind} files in the bundled dataset"
    done = _check_jsonschema(REPO / "schemas" / file_name(kind), files)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("events/2024-01-01-x.yaml", "id: 2024-01-01-x\ndate: '2024-13'\ntype: report\ntitle: T\n"),
        ("events/2024-01-01-x.yaml", "id: 2024-01-01-x\ndate: '2024'\ntype: report\n"),
        ("actors/x.yaml", "id: x\nname: X\nkind: robot\n"),
        ("actors/x.yaml", "id: X Y\nname: X\nkind: person\n"),
        ("resolutions/x.yaml", "id: x\nadoption: {method: vote, yes: -1}\n"),
        ("sources/x.yaml", "id: x\ntitle: T\nkind: report\nauthr: typo\n"),
    ],
)
def test_check_jsonschema_rejects_a_broken_record(tmp_path: Path, rel: str, text: str) -> None:
    root = make_dataset(tmp_path, {rel: text})
    kind = rel.split("/")[0].removesuffix("s")
    done = _check_jsonschema(REPO / "schemas" / file_name(kind), [root / rel])
    assert done.returncode == 1, done.stdout + done.stderr
    assert run(root, "lint", str(root / rel)).exit_code == 1  # and dprkhr agrees
