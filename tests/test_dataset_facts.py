"""End-to-end checks of facts in the real dataset (data/)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from dprkhr.dataset import load_dataset
from dprkhr.kb import KnowledgeBase
from dprkhr.models import Actor, Event, Resolution

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    dataset = load_dataset(DATA)
    assert not dataset.failed_files, [f.path for f in dataset.failed_files]
    return KnowledgeBase.from_dataset(dataset)


def votes(resolution: Resolution) -> tuple:
    adoption = resolution.adoption
    assert adoption is not None
    return (adoption.method.value, adoption.yes, adoption.no, adoption.abstain)


def series(kb: KnowledgeBase, forum: str) -> list[Resolution]:
    """The forum's DPRK human-rights series, from its first resolution along `follows`."""
    members = [
        r
        for r in kb.resolutions_by_forum[forum]
        if r.title == "Situation of human rights in the Democratic People's Republic of Korea"
    ]
    followed = {r.follows for r in members if r.follows}
    heads = [r for r in members if r.follows is None]
    assert len(heads) == 1, [r.id for r in heads]
    chain = [heads[0]]
    by_follows = {r.follows: r for r in members if r.follows}
    while chain[-1].id in by_follows:
        chain.append(by_follows[chain[-1].id])
    assert len(chain) == len(members), "every resolution of the series is on one chain"
    assert all(f in {r.id for r in members} for f in followed)
    return chain


def test_coi_resolution(kb: KnowledgeBase) -> None:
    res = kb.by_id["a-hrc-res-22-13"]
    assert isinstance(res, Resolution)
    assert res.symbol == "A/HRC/RES/22/13"
    assert res.date.text == "2013-03-21"
    assert res.session == 22
    assert res.adoption.method.value == "without-vote"
    assert "Commission of Inquiry" in res.summary
    linked = [e.id for e in kb.events if "a-hrc-res-22-13" in e.resolutions]
    assert "2013-03-21-hrc-establishes-coi" in linked


def test_coi_event_and_members(kb: KnowledgeBase) -> None:
    event = kb.by_id["2013-03-21-hrc-establishes-coi"]
    assert isinstance(event, Event)
    assert event.date.text == "2013-03-21"
    assert "coi-dprk" in {p.actor for p in event.participants}
    kirby = kb.actor("michael-kirby")
    assert any(r.organization == "coi-dprk" and r.start.text == "2013-05-07" for r in kirby.roles)


def test_first_ga_resolution_vote(kb: KnowledgeBase) -> None:
    res = kb.by_id["a-res-60-173"]
    assert res.symbol == "A/RES/60/173"
    assert res.session == 60
    assert res.date.text == "2005-12-16"
    assert votes(res) == ("vote", 88, 21, 60)
    assert res.follows is None


def test_ga_series_is_unbroken(kb: KnowledgeBase) -> None:
    chain = series(kb, "UNGA")
    years = [r.date.year for r in chain]
    assert years == list(range(2005, 2026))
    assert chain[0].id == "a-res-60-173"
    # sessions only where a source states them (2019 is left out)
    known = [(r.session, 60 + i) for i, r in enumerate(chain) if r.session is not None]
    assert all(session == expected for session, expected in known)
    assert {r.id for r in chain if r.session is None} == {"unga-2019-dprk"}
    assert kb.by_id["a-res-76-177"].symbol == "A/RES/76/177"
    assert kb.by_id["a-res-76-177"].date.text == "2021-12-16"


def test_hrc_and_chr_series(kb: KnowledgeBase) -> None:
    hrc = series(kb, "HRC")
    assert [r.date.year for r in hrc] == list(range(2008, 2026))
    assert hrc[0].id == "a-hrc-res-7-15" and votes(hrc[0]) == ("vote", 22, 7, 18)
    chr_ = series(kb, "CHR")
    assert [r.id for r in chr_] == [
        "e-cn-4-res-2003-10",
        "e-cn-4-res-2004-13",
        "e-cn-4-res-2005-11",
    ]
    assert chr_[0].symbol == "E/CN.4/RES/2003/10"
    assert votes(chr_[0]) == ("vote", 28, 10, 14)


def test_conflicting_counts_left_out(kb: KnowledgeBase) -> None:
    for rid in ("a-res-62-167", "a-res-64-175"):
        assert votes(kb.by_id[rid]) == ("vote", None, None, None)


def test_unverified_symbols_left_out(kb: KnowledgeBase) -> None:
    for rid in (
        "unga-2019-dprk",
        "unga-2025-dprk",
        "hrc-2010-dprk",
        "hrc-2011-dprk",
        "hrc-2025-dprk",
    ):
        assert kb.by_id[rid].symbol is None
    # the 2019 Council resolution's symbol is verified, its day is not
    hrc_2019 = kb.by_id["a-hrc-res-40-20"]
    assert (hrc_2019.symbol, hrc_2019.date.text, hrc_2019.adoption) == (
        "A/HRC/RES/40/20",
        "2019",
        None,
    )
    # dates inferred only from a weekday stay at the verified precision
    assert kb.by_id["a-res-78-218"].date.precision != "day"
    assert kb.by_id["hrc-2025-dprk"].date.text == "2025"


def test_without_vote_runs(kb: KnowledgeBase) -> None:
    assert votes(kb.by_id["a-hrc-res-19-13"])[0] == "without-vote"
    for rid in (
        "a-res-67-181",
        "a-res-71-202",
        "a-res-72-188",
        "a-res-73-180",
        "unga-2019-dprk",
        "a-res-79-181",
        "a-hrc-res-43-25",
        "a-hrc-res-46-17",
    ):
        assert votes(kb.by_id[rid]) == ("without-vote", None, None, None)
    assert votes(kb.by_id["a-res-70-172"]) == ("vote", 119, 19, 48)


def test_sanctions_resolutions(kb: KnowledgeBase) -> None:
    expected = {
        "s-res-1718": ("S/RES/1718 (2006)", "2006-10-14"),
        "s-res-2270": ("S/RES/2270 (2016)", "2016-03-02"),
        "s-res-2321": ("S/RES/2321 (2016)", "2016-11-30"),
        "s-res-2371": ("S/RES/2371 (2017)", "2017-08-05"),
        "s-res-2375": ("S/RES/2375 (2017)", "2017-09-11"),
        "s-res-2397": ("S/RES/2397 (2017)", "2017-12-22"),
    }
    for rid, (symbol, date) in expected.items():
        res = kb.by_id[rid]
        assert (res.symbol, res.date.text, res.forum) == (symbol, date, "UNSC")
        assert votes(res) == ("vote", 15, 0, 0)
        # one fact, one record: no event merely restates the adoption
        restating = [
            e.id for e in kb.events if rid in e.resolutions and e.type == "sanctions-decision"
        ]
        assert restating == (
            ["2017-09-11-unsc-lists-wpk-departments"] if rid == "s-res-2375" else []
        )


def test_special_rapporteurs_in_order(kb: KnowledgeBase) -> None:
    title = "Special Rapporteur on the situation of human rights in the DPRK"
    holders = []
    for actor in kb.actors:
        for role in actor.roles:
            if role.title == title:
                holders.append((role.start, actor.id))
    holders.sort()
    assert [a for _, a in holders] == [
        "vitit-muntarbhorn",
        "marzuki-darusman",
        "tomas-ojea-quintana",
        "elizabeth-salmon",
    ]
    salmon = kb.actor("elizabeth-salmon")
    assert salmon.name == "Elizabeth Salmón" and salmon.country == "PE"
    assert salmon.roles[0].start.text == "2022-08-01" and salmon.roles[0].end is None
    assert {"Elizabeth Salmén", "Elizabeth Salmon"} <= set(salmon.aliases)


def test_high_commissioners(kb: KnowledgeBase) -> None:
    pillay = kb.actor("navi-pillay")
    role = pillay.roles[0]
    assert (role.start.text, role.end.text) == ("2008-09-01", "2014-08-31")
    turk = kb.actor("volker-turk")
    assert turk.name == "Volker Türk" and "Volker Tirk" in turk.aliases
    assert turk.roles[0].start.text == "2022-10-17" and turk.roles[0].end is None
    terms = {
        "navi-pillay": ("2008-09-01", "2014-08-31"),
        "zeid-raad-al-hussein": ("2014-09-01", "2018-08-31"),
        "michelle-bachelet": ("2018-09-01", "2022-08-31"),
    }
    for actor_id, (start, end) in terms.items():
        role = kb.actor(actor_id).roles[0]
        assert (role.start.text, role.end.text) == (start, end), actor_id


@pytest.mark.parametrize(
    "title",
    [
        "United Nations High Commissioner for Human Rights",
        "Special Rapporteur on the situation of human rights in the DPRK",
        "UN Secretary-General",
        "President of the United States",
        "President of the Republic of Korea",
        "Prime Minister of Japan",
    ],
)
def test_single_holder_offices_are_dated_and_never_overlap(kb: KnowledgeBase, title: str) -> None:
    terms = sorted(
        (role.start, role.end, actor.id)
        for actor in kb.actors
        for role in actor.roles
        if role.title == title
    )
    assert terms, title
    for start, _end, actor_id in terms:
        assert start is not None, actor_id
    for (_s, end, actor_id), (start, _e, next_id) in itertools.pairwise(terms):
        assert end is not None and end.end < start.start, (actor_id, next_id)


def test_korean_names_in_hangul(kb: KnowledgeBase) -> None:
    expected = {
        "yoon-suk-yeol": "윤석열",
        "ban-ki-moon": "반기문",
        "dprk": "조선민주주의인민공화국",
        "republic-of-korea": "대한민국",
        "nkhr": "북한인권시민연합",
    }
    for actor_id, hangul in expected.items():
        assert kb.actor(actor_id).native_name == hangul
    assert {"Yoon Suk Yeol", "Yoon Suk-yeol"} <= set(kb.actor("yoon-suk-yeol").all_names())


def test_unsc_procedural_votes(kb: KnowledgeBase) -> None:
    def voters(event_id: str, role: str) -> set[str]:
        return {p.actor for p in kb.by_id[event_id].participants if p.role == role}

    assert "S/PV.7353" in kb.by_id["2014-12-22-unsc-dprk-agenda-vote"].documents
    assert voters("2014-12-22-unsc-dprk-agenda-vote", "voted-against") == {"china", "russia"}
    assert voters("2014-12-22-unsc-dprk-agenda-vote", "abstained") == {"chad", "nigeria"}
    assert voters("2015-12-10-unsc-dprk-meeting", "voted-against") == {
        "china",
        "russia",
        "venezuela",
        "angola",
    }
    assert voters("2016-12-09-unsc-dprk-meeting", "abstained") == {"senegal"}
    assert voters("2017-12-11-unsc-dprk-meeting", "voted-against") == {"china", "russia", "bolivia"}
    june = kb.by_id["2024-06-12-unsc-dprk-meeting"]
    assert not june.documents  # the meeting number was found on no page read
    assert voters("2024-06-12-unsc-dprk-meeting", "abstained") == {"mozambique"}
    assert voters("2024-06-12-unsc-dprk-meeting", "chair") == {"hwang-joon-kook"}
    aug = kb.by_id["2023-08-17-unsc-briefing"]
    assert not aug.documents  # S/PV symbol unverified
    assert voters("2023-08-17-unsc-briefing", "requester") == {
        "united-states",
        "albania",
        "japan",
        "republic-of-korea",
    }


def test_upr_cycles(kb: KnowledgeBase) -> None:
    reviews = [
        e for e in kb.events if e.forum == "UPR" and e.type == "review" and e.id.endswith("-review")
    ]
    dates = [e.date.text for e in reviews]
    assert dates == ["2009-12-07", "2014-05-01", "2019-05-09", "2024-11-07"]
    assert "A/HRC/13/13" in kb.by_id["2009-12-07-upr-dprk-first-review"].documents
    assert kb.by_id["2025-03-25-hrc-upr-dprk-fourth-outcome"].forum == "HRC"


def test_ohchr_seoul_office(kb: KnowledgeBase) -> None:
    event = kb.by_id["2015-06-23-ohchr-seoul-office-opens"]
    assert "a-hrc-res-25-25" in event.resolutions
    assert ("zeid-raad-al-hussein", "opener") in {(p.actor, p.role) for p in event.participants}
    assert votes(kb.by_id["a-hrc-res-25-25"]) == ("vote", 30, 6, 11)


def test_dissociations_and_sponsors(kb: KnowledgeBase) -> None:
    def dissociated(rid: str) -> set[str]:
        return set(kb.by_id[rid].adoption.dissociated)

    assert dissociated("a-res-71-202") == {"cuba", "venezuela", "china", "dprk"}
    assert dissociated("a-hrc-res-55-21") == {"china", "eritrea", "cuba"}
    # only consensus adoptions list dissociating states
    for res in kb.resolutions:
        if res.adoption is not None and res.adoption.dissociated:
            assert res.adoption.method.value == "without-vote", res.id
    assert {"european-union", "japan"} <= set(kb.by_id["a-hrc-res-25-25"].sponsors)
    assert "united-states" in kb.by_id["a-hrc-res-46-17"].sponsors


def test_udhr(kb: KnowledgeBase) -> None:
    udhr = kb.by_id["a-res-217-a-iii"]
    assert udhr.symbol == "A/RES/217 A (III)"
    assert udhr.date.text == "1948-12-10"
    assert (udhr.adoption.yes, udhr.adoption.abstain) == (48, 8)


def test_every_record_cites_and_documents_quoted(kb: KnowledgeBase) -> None:
    for record in kb.records:
        if isinstance(record, (Actor, Event, Resolution)):
            assert record.citations(), record.id
    documents = {
        "ijks-2024-un-and-nk-human-rights",
        "hrw-item4-accountability",
        "korea-herald-2024-seoul-forum",
        "nkhr-advocacy-at-the-un",
        "ohchr-seoul-2022-dual-approach",
    }
    for record in kb.records:
        for citation in record.citations():
            if citation.source in documents:
                assert citation.quote, (record.id, citation.source)


def test_dual_approach_tracks(kb: KnowledgeBase) -> None:
    def tagged(tag: str) -> set[str]:
        return {e.id for e in kb.events if tag in e.tags}

    accountability, engagement = tagged("accountability"), tagged("engagement")
    assert {
        "2013-03-21-hrc-establishes-coi",
        "2014-02-17-coi-report-published",
        "2015-06-23-ohchr-seoul-office-opens",
        "2025-ohchr-accountability-report",
    } <= accountability
    upr_reviews = {e.id for e in kb.events if e.type == "review" and e.forum == "UPR"}
    assert upr_reviews and upr_reviews <= engagement
    # the OHCHR Seoul session that set out the dual approach belongs to both tracks
    assert "2022-09-01-kgfp-dual-approach-session" in accountability & engagement


def test_treaty_body_reviews(kb: KnowledgeBase) -> None:
    reviews = {
        (e.date.text, p.actor)
        for e in kb.events
        if e.type == "review"
        for p in e.participants
        if p.role == "reviewing-body"
    }
    assert {
        ("2001-07-19", "human-rights-committee"),
        ("2003-11-19", "cescr-committee"),
        ("2005-07-18", "cedaw-committee"),
        ("2017-11-08", "cedaw-committee"),
        ("2017-09-20", "crc-committee"),
    } <= reviews


def test_dprk_laws_and_statements(kb: KnowledgeBase) -> None:
    laws = [
        e
        for e in kb.events
        if e.type == "legislation" and "dprk" in {p.actor for p in e.participants}
    ]
    assert len(laws) == 3
    assert all(e.resolutions == ["a-res-79-181"] for e in laws)
    statements = [
        e
        for e in kb.events
        if e.type == "statement"
        and ("dprk", "speaker") in {(p.actor, p.role) for p in e.participants}
    ]
    assert {"UNGA", "UNGA-C3", "HRC", "UNSC"} <= {e.forum for e in statements}
    assert all(c.quote for e in statements for c in e.sources)


def test_general_assembly_and_arria_meetings(kb: KnowledgeBase) -> None:
    hlm = kb.by_id["2025-05-20-unga-high-level-meeting"]
    assert hlm.forum == "UNGA" and hlm.resolutions == ["a-res-79-181"]
    arria = kb.by_id["2014-04-17-unsc-arria-coi"]
    hosts = {p.actor for p in arria.participants if p.role == "host"}
    assert hosts == {"united-states", "france", "australia"}
