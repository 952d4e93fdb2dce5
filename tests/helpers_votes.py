"""A small dataset of roll calls, sponsors, dissociations and statements for the votes
tests, written into a temporary folder. Every record lints clean."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from dprkhr.cli import app

REPO_DATA = Path(__file__).resolve().parent.parent / "data"

STATES = {
    "china": ("China", "CN"),
    "cuba": ("Cuba", "CU"),
    "dprk": ("Democratic People's Republic of Korea", "KP"),
    "france": ("France", "FR"),
    "indonesia": ("Indonesia", "ID"),
    "japan": ("Japan", "JP"),
    "republic-of-korea": ("Republic of Korea", "KR"),
    "russia": ("Russian Federation", "RU"),
    "united-kingdom": ("United Kingdom", "GB"),
    "united-states": ("United States", "US"),
}

SOURCES = {
    "press-ga-2014": "https://press.un.org/en/2014/ga11602.doc.htm",
    "press-ga-2015": "https://press.un.org/en/2015/ga11745.doc.htm",
    "press-c3-2014": "https://press.un.org/en/2014/gashc4126.doc.htm",
    "press-ga-2016": "https://press.un.org/en/2016/ga11880.doc.htm",
    "press-sc-2014": "https://press.un.org/en/2014/sc11719.doc.htm",
}

RECORDS: dict[str, str] = {
    "actors/european-union.yaml": """
        id: european-union
        name: European Union
        kind: organization
        aliases: [EU]
        sources: [{source: press-ga-2014, quote: the European Union}]
    """,
    "actors/volker-turk.yaml": """
        id: volker-turk
        name: Volker Türk
        kind: person
        sources: [{source: press-ga-2014, quote: Volker Türk}]
    """,
    # a complete roll (of a tiny assembly), sponsors in both forms, a DPRK statement
    "resolutions/res-2014.yaml": """
        id: res-2014
        symbol: A/RES/69/188
        forum: UNGA
        session: 69
        date: "2014-12-18"
        title: Situation of human rights in the DPRK
        adoption:
          method: vote
          yes: 5
          no: 3
          abstain: 1
          roll: complete
          roll_source: press-ga-2014
          votes:
            yes: [france, japan, republic-of-korea, united-kingdom, united-states]
            no: [china, cuba, russia]
            abstain: [indonesia]
            absent: [dprk]
        sponsors:
          - actor: european-union
            role: lead
            source: press-ga-2014
          - actor: japan
            role: lead
          - actor: republic-of-korea
            role: co-sponsor
        sources:
          - source: press-ga-2014
            quote: adopted by a recorded vote of 5 in favour to 3 against, with 1 abstention
    """,
    # a partial roll: the page names only the states against
    "resolutions/res-2015.yaml": """
        id: res-2015
        symbol: A/RES/70/172
        forum: UNGA
        session: 70
        date: "2015-12-17"
        title: Situation of human rights in the DPRK
        adoption:
          method: vote
          yes: 5
          no: 2
          abstain: 2
          roll: partial
          roll_source: press-ga-2015
          votes:
            no: [china, russia]
        sponsors: [european-union, japan]
        follows: res-2014
        sources:
          - source: press-ga-2015
            quote: The negative votes were China and the Russian Federation
    """,
    # adopted without a vote, with dissociations
    "resolutions/res-2016.yaml": """
        id: res-2016
        symbol: A/RES/71/202
        forum: UNGA
        session: 71
        date: "2016-12-19"
        title: Situation of human rights in the DPRK
        adoption:
          method: without-vote
          dissociated: [china, cuba]
        sponsors: [japan]
        follows: res-2015
        sources:
          - source: press-ga-2016
            quote: adopted without a vote; China and Cuba dissociated themselves
    """,
    # a vote with counts and no roll
    "resolutions/res-2013.yaml": """
        id: res-2013
        symbol: A/RES/68/183
        forum: UNGA
        session: 68
        date: "2013-12-18"
        title: Situation of human rights in the DPRK
        adoption: {method: vote, yes: 6, no: 2, abstain: 1}
        sources:
          - source: press-ga-2014
            quote: the previous text was adopted by a vote
    """,
    # a Security Council procedural vote, with a complete roll
    "events/2014-12-22-unsc-agenda-vote.yaml": """
        id: 2014-12-22-unsc-agenda-vote
        date: "2014-12-22"
        type: vote
        forum: UNSC
        title: Security Council votes to put the situation in the DPRK on its agenda
        participants:
          - actor: china
            role: voted-against
          - actor: russia
            role: voted-against
          - actor: france
            role: voted-for
        adoption:
          method: vote
          yes: 3
          no: 2
          abstain: 0
          roll: complete
          roll_source: press-sc-2014
          votes:
            yes: [france, united-kingdom, united-states]
            no: [china, russia]
        sources:
          - source: press-sc-2014
            quote: The Council voted 3 in favour to 2 against
    """,
    # statements in the debates
    "events/2014-12-18-dprk-statement.yaml": """
        id: 2014-12-18-dprk-statement
        date: "2014-12-18"
        type: statement
        forum: UNGA
        title: The DPRK rejects the resolution
        participants:
          - actor: dprk
            role: speaker
        resolutions: [res-2014]
        sources:
          - source: press-ga-2014
            quote: The representative of the DPRK rejected the text
    """,
    # a statement in the debate of a procedural vote: no resolution to link
    "events/2014-12-22-china-statement.yaml": """
        id: 2014-12-22-china-statement
        date: "2014-12-22"
        type: statement
        forum: UNSC
        title: China opposes putting the DPRK on the Council's agenda
        participants:
          - actor: china
            role: speaker
        sources:
          - source: press-sc-2014
            quote: The representative of China said the Council was not the place
    """,
    "events/2015-12-17-eu-statement.yaml": """
        id: 2015-12-17-eu-statement
        date: "2015-12-17"
        type: statement
        forum: UNGA
        title: The United Kingdom speaks for the European Union
        participants:
          - actor: united-kingdom
            role: speaker
          - actor: european-union
            role: on-behalf-of
        resolutions: [res-2015]
        sources:
          - source: press-ga-2015
            quote: speaking on behalf of the European Union
    """,
}


def _state(record_id: str, name: str, country: str) -> str:
    return (
        f"id: {record_id}\nname: {name}\nkind: state\ncountry: {country}\n"
        f"sources: [{{source: press-ga-2014, quote: {name}}}]\n"
    )


def _source(record_id: str, url: str) -> str:
    return (
        f"id: {record_id}\ntitle: Press release {record_id}\nkind: press-release\n"
        f'publisher: United Nations\npublished: "2014"\nurl: {url}\n'
    )


def write_dataset(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    """Write the votes dataset (and `extra` files, relative to the data root); returns
    the data root."""
    root = tmp_path / "data"
    for folder in ("actors", "events", "resolutions", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in ("forums.yaml", "tags.yaml", "event-types.yaml"):
        shutil.copy(REPO_DATA / name, root / name)
    for record_id, (name, country) in STATES.items():
        (root / "actors" / f"{record_id}.yaml").write_text(
            _state(record_id, name, country), encoding="utf-8"
        )
    for record_id, url in SOURCES.items():
        (root / "sources" / f"{record_id}.yaml").write_text(
            _source(record_id, url), encoding="utf-8"
        )
    for relative, text in {**RECORDS, **(extra or {})}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


runner = CliRunner()


def run(root: Path, *args: str):
    """Invoke `dprkhr --data ROOT ARGS...`; stdout and stderr are kept apart."""
    return runner.invoke(app, ["--data", str(root), *args])
