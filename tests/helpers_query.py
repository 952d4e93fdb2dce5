"""A small dataset for the query tests, written into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from dprkhr.cli import app

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE = "sources: [{source: test-source, quote: a short quote}]\n"

ACTORS = {
    "elizabeth-salmon": """
name: Elizabeth Salmón
kind: person
aliases: [Elizabeth Salmon]
country: PE
roles:
  - title: Special Rapporteur on the situation of human rights in the DPRK
    organization: hrc
    start: "2022-08-01"
""",
    "tomas-ojea-quintana": """
name: Tomás Ojea Quintana
kind: person
country: AR
roles:
  - title: Special Rapporteur on the situation of human rights in the DPRK
    organization: hrc
    start: "2016-08"
    end: "2022-07-31"
""",
    "volker-turk": """
name: Volker Türk
kind: person
aliases: [Volker Turk]
""",
    "lee-shin-wha": """
name: Lee Shin-wha
kind: person
native_name: 이신화
country: KR
roles:
  - title: Ambassador for North Korean Human Rights
    organization: republic-of-korea
    start: "2022-07"
""",
    "kim-min-jun": "name: Kim Min-jun\nkind: person\ncountry: KR\n",
    "kim-seo-yeon": "name: Kim Seo-yeon\nkind: person\ncountry: KR\n",
    "un-security-council": """
name: United Nations Security Council
kind: un-body
aliases: [Security Council, UNSC]
""",
    "hrc": "name: Human Rights Council\nkind: un-body\naliases: [HRC]\n",
    "republic-of-korea": """
name: Republic of Korea
kind: state
aliases: [South Korea, ROK]
country: KR
""",
    "hostile-actor": 'name: "[bold]Loud[/bold] Name \\e[31m"\nkind: organization\n',
}

EVENTS = {
    "2014-12-22-unsc-meeting": """
date: "2014-12-22"
type: meeting
forum: UNSC
title: Security Council takes up the situation in the DPRK
participants: [{actor: un-security-council, role: host}]
tags: [human-rights-and-security]
""",
    "2017-12-11-unsc-meeting": """
date: "2017-12-11"
type: meeting
forum: UNSC
title: Security Council meeting on the DPRK
participants: [{actor: un-security-council, role: host}, {actor: tomas-ojea-quintana}]
""",
    "2023-08-17-unsc-briefing": """
date: "2023-08-17"
type: briefing
forum: UNSC
title: Security Council open briefing on human rights in the DPRK
location: New York
participants:
  - {actor: un-security-council, role: host}
  - {actor: volker-turk, role: briefer}
  - {actor: elizabeth-salmon, role: briefer}
tags: [human-rights-and-security]
summary: The Council heard the High Commissioner and the Special Rapporteur.
""",
    "2023-12-31-rok-statement": """
date: "2023-12-31"
type: statement
title: Year-end statement on abductees
participants: [{actor: republic-of-korea}, {actor: lee-shin-wha}]
tags: [abductions-and-enforced-disappearances]
""",
    "2024-03-hrc-dialogue": """
date: "2024-03"
type: interactive-dialogue
forum: HRC
title: Interactive dialogue with the Special Rapporteur
participants: [{actor: elizabeth-salmon, role: speaker}, {actor: lee-shin-wha, role: speaker}]
resolutions: [a-hrc-res-22-13]
tags: [accountability]
""",
    "2024-05-01-hostile-event": """
date: "2024-05-01"
type: other
title: "[bold]Alarm[/bold] \\e[2J cleared [link=http://x]y[/link]"
participants: [{actor: hostile-actor}]
""",
}

RESOLUTIONS = {
    "a-hrc-res-22-13": """
symbol: A/HRC/RES/22/13
forum: HRC
session: 22
date: "2013-03-21"
title: Situation of human rights in the Democratic People's Republic of Korea
adoption: {method: without-vote}
sponsors: [republic-of-korea]
tags: [accountability]
summary: Established a Commission of Inquiry.
""",
    "a-res-78-218": """
symbol: A/RES/78/218
forum: UNGA
session: 78
date: "2023-12-19"
title: Situation of human rights in the Democratic People's Republic of Korea
adoption: {method: without-vote}
sponsors: [republic-of-korea]
""",
    "a-hrc-res-25-25": """
symbol: A/HRC/RES/25/25
forum: HRC
session: 25
date: "2014-03-28"
title: Situation of human rights in the Democratic People's Republic of Korea
adoption: {method: vote, yes: 30, no: 6, abstain: 11}
follows: a-hrc-res-22-13
""",
}


def write(folder: Path, record_id: str, body: str, cite: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    path.write_text(f"id: {record_id}\n{body.strip()}\n{SOURCE if cite else ''}", encoding="utf-8")
    return path


def make_dataset(tmp_path: Path) -> Path:
    """Write the test dataset; returns the data root."""
    root = tmp_path / "data"
    root.mkdir()
    for name in ("forums.yaml", "tags.yaml", "event-types.yaml"):
        shutil.copy(REPO_DATA / name, root / name)
    for record_id, body in ACTORS.items():
        write(root / "actors", record_id, body)
    for record_id, body in EVENTS.items():
        write(root / "events", record_id, body)
    for record_id, body in RESOLUTIONS.items():
        write(root / "resolutions", record_id, body)
    write(
        root / "sources",
        "test-source",
        "title: A test source about the Commission of Inquiry\nkind: report\n"
        "publisher: Test Publisher\npublished: '2024-01'",
        cite=False,
    )
    return root


runner = CliRunner()


def run(root: Path, *args: str):
    """Invoke `dprkhr --data ROOT ARGS...`; stdout and stderr are kept apart."""
    return runner.invoke(app, ["--data", str(root), *args])
