"""Shell completion of record names and vocabulary entries, through the environment
variables the shells' completion scripts set (`dprkhr --show-completion`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, MakeData

from dprkhr.cli.common import AppState
from dprkhr.completion import KINDS, candidates


def _command() -> list[str]:
    script = Path(sys.executable).with_name("dprkhr")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dprkhr"]


def complete(shell: str, line: str, cwd: Path = REPO) -> str:
    """What `dprkhr` prints for a shell completing `line` (the cursor at its end)."""
    env = {**os.environ, "_DPRKHR_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    out = subprocess.run(
        _command(), env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    return out.stdout


def test_bash_completes_an_actor_from_part_of_its_name() -> None:
    # a word of the name is enough: Salmón, and El Salvador's "Salvador"
    assert complete("bash", "dprkhr events --actor Sal").split() == [
        "el-salvador",
        "elizabeth-salmon",
    ]
    assert complete("bash", "dprkhr events --actor Salm").split() == ["elizabeth-salmon"]


def test_zsh_shows_names_beside_ids() -> None:
    out = complete("zsh", "dprkhr events --actor Sal")
    assert out.startswith("_arguments '*: :((")
    assert '"elizabeth-salmon":"Elizabeth Salmón"' in out


def test_fish_lists_forums_with_their_names() -> None:
    lines = complete("fish", "dprkhr events --forum ").splitlines()
    assert "HRC\tHuman Rights Council" in lines
    assert "UNSC\tUnited Nations Security Council" in lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("dprkhr events --tag acc", "accountability"),
        ("dprkhr events --type brief", "briefing"),
        ("dprkhr timeline --type joint", "joint-statement"),
        ("dprkhr resolutions --sponsor japa", "japan"),
        ("dprkhr related salm", "elizabeth-salmon"),
        ("dprkhr show a-hrc-res-22", "a-hrc-res-22-13"),
        ("dprkhr events --resolution a-hrc-res-22", "a-hrc-res-22-13"),
        (
            "dprkhr actors --role Special",
            "Special Rapporteur on the situation of human rights in the DPRK",
        ),
        ("dprkhr new event --participant elizabeth-salmon:spe", "elizabeth-salmon:speaker"),
        ("dprkhr new event --source nkhr-ab", "nkhr-about"),
        ("dprkhr export --forum hr", "HRC"),
    ],
)
def test_bash_completes_each_kind(line: str, expected: str) -> None:
    assert expected in complete("bash", line).splitlines()


def test_choices_keep_their_completion() -> None:
    assert complete("bash", "dprkhr search x --type ev").split() == ["event"]


def test_completion_reads_the_data_folder_given(make_data: MakeData, tmp_path: Path) -> None:
    root = make_data()
    out = complete("bash", f"dprkhr --data {root} events --actor v", cwd=tmp_path)
    assert out.split() == ["volker-turk"]


def test_no_dataset_means_nothing_to_offer(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert complete("bash", f"dprkhr --data {missing} events --actor v", cwd=tmp_path).strip() == ""


@pytest.mark.parametrize("kind", KINDS)
def test_store_and_records_offer_the_same(kind: str, make_data: MakeData) -> None:
    root = make_data(
        {
            "events/2024-01-01-a.yaml": """
                id: 2024-01-01-a
                date: "2024-01-01"
                type: briefing
                forum: UNSC
                title: A briefing
                tags: [accountability]
                participants:
                  - actor: volker-turk
                    role: speaker
            """,
        }
    )
    from dprkhr.storequery import StoreSource

    first = AppState(data=root, cache=False).source()  # the records in memory
    second = AppState(data=root).source()  # the store
    assert not isinstance(first, StoreSource) and isinstance(second, StoreSource)
    for typed in ("", "a", "v", "Tü", "un"):
        assert candidates(first, kind, typed) == candidates(second, kind, typed), (kind, typed)
