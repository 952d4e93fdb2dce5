"""Generate a realistic synthetic dprkhr dataset, deterministically from a seed.

    python benchmarks/generate.py OUT_DIR --records 100000 [--seed 1] [--broken 0.03]

One record per file, about 20% actors, 60% events, 15% resolutions and 5% sources;
references are valid; names carry diacritics and aliases; a fraction of records (3% by
default) carry a lint problem (a dangling reference, an unknown field, an impossible date, a
missing citation, a broken YAML line). The vocabularies are copied from the repository.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VOCABULARIES = ("forums.yaml", "tags.yaml", "event-types.yaml")

GIVEN = [
    "Elizabeth",
    "Volker",
    "Shin-wha",
    "Tomás",
    "Marzuki",
    "Sonja",
    "Michael",
    "Navanethem",
    "Zeid",
    "Julie",
    "Robert",
    "Joon-kook",
    "Vitit",
    "Tomoya",
    "Joe",
    "Jung-hoon",
    "Michelle",
    "Ana",
    "Zoë",
    "Björn",
    "Çağla",
    "Łucja",
    "Søren",
    "Hélène",
    "José",
    "Ngozi",
    "Ilhan",
]
FAMILY = [
    "Salmón",
    "Türk",
    "Lee",
    "Ojea Quintana",
    "Darusman",
    "Biserko",
    "Kirby",
    "Pillay",
    "Ra'ad Al Hussein",
    "Turner",
    "King",
    "Hwang",
    "Muntarbhorn",
    "Obokata",
    "Colombano",
    "Kim",
    "Park",
    "Choi",
    "Bachelet",
    "Núñez",
    "Müller",
    "Đặng",
    "Ærøe",
    "Dvořák",
]
ORGS = [
    "Human Rights Watch",
    "Citizens' Alliance",
    "Committee for Human Rights",
    "Transitional Justice Working Group",
    "Database Center",
    "Amnesty",
    "Korea Future",
    "NK Watch",
    "Council of Europe",
    "Asia Foundation",
    "Unification Institute",
    "Refugee Network",
]
STATES = [
    ("Republic of Korea", "KR"),
    ("Japan", "JP"),
    ("United States", "US"),
    ("Albania", "AL"),
    ("China", "CN"),
    ("Russian Federation", "RU"),
    ("Peru", "PE"),
    ("Norway", "NO"),
    ("Germany", "DE"),
    ("France", "FR"),
    ("Italy", "IT"),
    ("Mozambique", "MZ"),
]
FORUMS = [
    ("UNSC", "S/RES/{n} ({y})", 15),
    ("HRC", "A/HRC/RES/{s}/{n}", 47),
    ("UNGA", "A/RES/{s}/{n}", 193),
]
TYPES = [
    "meeting",
    "briefing",
    "report",
    "statement",
    "visit",
    "conference",
    "review",
    "joint-statement",
    "appointment",
]
TAGS = [
    "accountability",
    "detention",
    "engagement",
    "sanctions",
    "forced-repatriation",
    "women-and-girls",
    "food-and-health",
    "refugees-and-defectors",
]
ROLES = ["briefer", "speaker", "chair", "host", "organiser", "co-sponsor"]
WORDS = [
    "human",
    "rights",
    "accountability",
    "council",
    "briefing",
    "report",
    "abductions",
    "detention",
    "forced",
    "labour",
    "dialogue",
    "commission",
    "inquiry",
    "review",
    "sanctions",
    "repatriation",
    "women",
    "food",
    "health",
    "refugees",
    "engagement",
]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date(rng: random.Random, start: int = 2004, end: int = 2025) -> str:
    year = rng.randint(start, end)
    precision = rng.random()
    if precision < 0.1:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.25:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def generate(out: Path, records: int, seed: int = 1, broken: float = 0.03) -> dict[str, int]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("actors", "events", "resolutions", "sources"):
        (out / folder).mkdir(parents=True)
    for name in VOCABULARIES:
        shutil.copy(REPO / "data" / name, out / name)

    n_sources = max(3, records * 5 // 100)
    n_actors = max(5, records * 20 // 100)
    n_resolutions = max(3, records * 15 // 100)
    n_events = max(1, records - n_sources - n_actors - n_resolutions)
    counts = {
        "sources": n_sources,
        "actors": n_actors,
        "resolutions": n_resolutions,
        "events": n_events,
        "broken": 0,
    }

    def files(folder: str, ident: str, lines: list[str]) -> None:
        nonlocal counts
        if rng.random() < broken:
            counts["broken"] += 1
            kind = rng.randrange(5)
            if kind == 0:
                lines = [line.replace("actor: ", "actor: x-") for line in lines]
                lines = [line.replace("source: ", "source: x-") for line in lines]
            elif kind == 1:
                lines = [*lines, "titel: typo"]
            elif kind == 2:
                lines = [line.replace("-0", "-1", 1) if "date" in line else line for line in lines]
                lines = [*lines, 'end_date: "2023-02-30"'] if folder == "events" else lines
            elif kind == 3:
                lines = [
                    line
                    for line in lines
                    if not line.startswith(("sources:", "  - source:", "    quote:"))
                ]
            else:
                lines = [*lines, "broken: [unclosed"]
        (out / folder / f"{ident}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    source_ids = []
    for i in range(n_sources):
        ident = f"source-{i:06d}"
        source_ids.append(ident)
        files(
            "sources",
            ident,
            [
                f"id: {ident}",
                f"title: {_q(' '.join(rng.choices(WORDS, k=6)).title())}",
                "kind: article",
                f'published: "{_date(rng)}"',
                "language: en",
            ],
        )

    def cite() -> list[str]:
        words = " ".join(rng.choices(WORDS, k=8))
        return ["sources:", f"  - source: {rng.choice(source_ids)}", f"    quote: {_q(words)}"]

    actor_ids = []
    for i in range(n_actors):
        roll = rng.random()
        extra: list[str]
        if roll < 0.7:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}"
            kind, extra = "person", []
            alias = name.replace("ó", "o").replace("ü", "u").replace("é", "e") + " Jr"
        elif roll < 0.9:
            name = f"{rng.choice(ORGS)} {i}"
            kind, extra, alias = "organization", [], name.upper()
        else:
            state, code = rng.choice(STATES)
            name = f"{state} {i}"
            kind, extra, alias = "state", [f"country: {code}"], state[:3].upper() + f" {i}"
        ident = f"actor-{i:06d}"
        actor_ids.append(ident)
        lines = [
            f"id: {ident}",
            f"name: {_q(name)}",
            f"kind: {kind}",
            f"aliases: [{_q(alias)}]",
            *extra,
        ]
        if kind == "person" and rng.random() < 0.3:
            start = rng.randint(2004, 2020)
            lines += [
                "roles:",
                "  - title: Special Rapporteur",
                f'    start: "{start}"',
                f'    end: "{start + rng.randint(1, 6)}"',
            ]
        files("actors", ident, lines + cite())

    resolution_ids = []
    for i in range(n_resolutions):
        code, pattern, members = rng.choice(FORUMS)
        year = rng.randint(2008, 2025)
        session = year - 1945 if code == "UNGA" else rng.randint(7, 58)
        symbol = pattern.format(n=1000 + i, y=year, s=session)
        ident = symbol.lower().replace("/", "-").replace(".", "-").split(" (")[0]
        resolution_ids.append(ident)
        if rng.random() < 0.5:
            adoption = "adoption: {method: without-vote}"
        else:
            yes = rng.randint(9, members)
            no = rng.randint(0, members - yes)
            adoption = (
                f"adoption: {{method: vote, yes: {yes}, no: {no}, abstain: {members - yes - no}}}"
            )
        lines = [
            f"id: {ident}",
            f"symbol: {symbol}",
            f"forum: {code}",
            f"session: {session}",
            f'date: "{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"',
            f"title: {_q('Situation of human rights ' + str(i))}",
            adoption,
            f"sponsors: [{', '.join(rng.sample(actor_ids, k=min(3, len(actor_ids))))}]",
        ]
        if i and rng.random() < 0.5:
            lines.append(f"follows: {rng.choice(resolution_ids[:-1])}")
        files("resolutions", ident, lines + cite())

    for i in range(n_events):
        date = _date(rng)
        ident = f"{date}-event-{i:06d}"
        forum = rng.choice(["UNSC", "HRC", "UNGA", "UPR", "OHCHR"])
        people = rng.sample(actor_ids, k=min(rng.randint(1, 5), len(actor_ids)))
        lines = [
            f"id: {ident}",
            f'date: "{date}"',
            f"type: {rng.choice(TYPES)}",
            f"forum: {forum}",
            f"title: {_q(' '.join(rng.choices(WORDS, k=7)).capitalize())}",
            "participants:",
        ]
        for actor in people:
            lines += [f"  - actor: {actor}", f"    role: {rng.choice(ROLES)}"]
        lines.append(f"tags: [{rng.choice(TAGS)}]")
        if rng.random() < 0.2:
            lines.append(f"resolutions: [{rng.choice(resolution_ids)}]")
        lines.append(f"summary: {_q(' '.join(rng.choices(WORDS, k=25)))}")
        files("events", ident, lines + cite())
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=float, default=0.03)
    args = parser.parse_args()
    counts = generate(args.out, args.records, args.seed, args.broken)
    print(f"{args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
