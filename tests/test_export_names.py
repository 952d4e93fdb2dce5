"""`dprkhr export` takes names for actors and forums, like the query commands."""

from __future__ import annotations

import json

from conftest import MakeData
from typer.testing import CliRunner

from dprkhr.cli import app

EVENT = """
    id: 2023-08-17-unsc-briefing
    date: "2023-08-17"
    type: briefing
    forum: UNSC
    title: Security Council briefing
    participants:
      - actor: volker-turk
        role: briefer
    sources:
      - source: ijks-2024-un-and-nk-human-rights
"""
OTHER = (
    EVENT.replace("2023-08-17", "2023-09-01")
    .replace("UNSC", "HRC")
    .replace("volker-turk", "elizabeth-salmon")
)


def export(root, *args):
    result = CliRunner().invoke(app, ["--data", str(root), "export", "json", *args])
    return result


def test_actor_and_forum_names(make_data: MakeData):
    root = make_data(
        {
            "events/2023-08-17-unsc-briefing.yaml": EVENT,
            "events/2023-09-01-unsc-briefing.yaml": OTHER.replace(
                "id: 2023-08-17", "id: 2023-09-01"
            ),
        }
    )
    by_actor = export(root, "--actor", "Tirk")
    assert by_actor.exit_code == 0, by_actor.output
    assert [e["id"] for e in json.loads(by_actor.stdout)["events"]] == ["2023-08-17-unsc-briefing"]
    assert "`Tirk` → volker-turk" in by_actor.stderr
    by_forum = export(root, "--forum", "Human Rights Council")
    assert [e["id"] for e in json.loads(by_forum.stdout)["events"]] == ["2023-09-01-unsc-briefing"]


def test_unknown_names_are_usage_errors(make_data: MakeData):
    root = make_data({"events/2023-08-17-unsc-briefing.yaml": EVENT})
    assert export(root, "--actor", "Nobody Atall").exit_code == 2
    assert export(root, "--forum", "Galactic Senate").exit_code == 2
