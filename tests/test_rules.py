"""Every rule: its documented examples, and exact codes and lines for each failure mode."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import MakeData, write

from dprkhr.dataset import load_dataset
from dprkhr.kb import KnowledgeBase
from dprkhr.lint import LintConfig, lint_dataset, lint_paths
from dprkhr.lint.rules import RULES
from dprkhr.problems import Problem

TODAY = dt.date(2026, 1, 1)


def run(root: Path, archive: Path | None = None, only: list[Path] | None = None) -> list[Problem]:
    dataset = load_dataset(root, extra=only or ())
    config = LintConfig(archive=archive)
    return lint_dataset(dataset, config, only=only, today=TODAY).problems


def found(problems: list[Problem]) -> list[tuple[str, str, int]]:
    return [(p.code, Path(p.path).name, p.line) for p in problems]


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_is_documented(rule):
    assert rule.code.startswith("DPK") and len(rule.code) == 6
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary
    assert len(rule.description()) > 40
    examples = rule.examples()
    assert examples["fails"] and examples["passes"], f"{rule.code} needs both examples"


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documented_examples(rule, make_data: MakeData, archive: Path):
    """The failing example triggers the rule; the passing one triggers nothing. An
    example of several files (a cross-record rule's) is one dataset: the files are
    written together and checked together."""
    for outcome, examples in rule.examples().items():
        root = make_data()
        paths = [write(root, e.path.removeprefix("data/"), e.text) for e in examples]
        problems = run(root, archive=archive, only=paths)
        codes = [p.code for p in problems]
        if outcome == "fails":
            assert rule.code in codes, f"{rule.code} fails example: {problems}"
        else:
            assert codes == [], f"{rule.code} passes example: {problems}"
        shutil.rmtree(root)


def test_base_dataset_is_clean(make_data: MakeData, archive: Path):
    assert run(make_data(), archive=archive) == []


EVENT = """
    id: 2023-08-17-unsc-briefing
    date: "2023-08-17"
    type: briefing
    forum: UNSC
    title: Security Council briefing
    participants:
      - actor: volker-turk
        role: briefer
      - actor: elizabeth-salmon
        role: briefer
    sources:
      - source: ijks-2024-un-and-nk-human-rights
        quote: both addressed the Security Council during the briefing
"""


def test_schema_errors_point_at_the_field(make_data: MakeData):
    broken = EVENT.replace("title:", "titel:").replace(
        "        role: briefer\n    sources", "        rol: briefer\n    sources"
    )
    root = make_data({"events/2023-08-17-unsc-briefing.yaml": broken})
    problems = run(root)
    messages = {(p.code, p.line, p.message, p.suggestion) for p in problems}
    assert ("DPK004", 5, "unknown field `titel`", "did you mean `title`?") in messages
    assert ("DPK004", 10, "unknown field `rol`", "did you mean `role`?") in messages
    missing = next(p for p in problems if p.message == "missing required field `title`")
    assert missing.suggestion == "rename `titel` to `title`"


def test_wrong_types_and_enums(make_data: MakeData):
    root = make_data(
        {
            "actors/x.yaml": """
                id: x
                name: [not, a, string]
                kind: persn
                country: Norway
                sources: [{source: ijks-2024-un-and-nk-human-rights}]
            """
        }
    )
    problems = run(root)
    assert [(p.code, p.line) for p in problems] == [
        (
            "DPK004",
            2,
        ),
        ("DPK004", 3),
        ("DPK004", 4),
    ]
    assert "person" in problems[1].message


def test_invalid_id_suggests_a_slug(make_data: MakeData):
    root = make_data({"actors/Volker Türk.yaml": "id: Volker Türk\nname: V\nkind: person\n"})
    problem = next(p for p in run(root) if p.code == "DPK004")
    assert problem.suggestion == "use `volker-turk`"


def test_invalid_date(make_data: MakeData):
    root = make_data(
        {"events/2023-08-17-unsc-briefing.yaml": EVENT.replace('"2023-08-17"', '"2023-02-30"')}
    )
    (problem,) = run(root)
    assert (problem.code, problem.line, problem.rule) == ("DPK005", 2, "invalid-date")
    assert "February 2023 has 28 days" in problem.message


def test_dangling_references_of_every_kind(make_data: MakeData):
    event = (
        EVENT.replace("actor: volker-turk", "actor: volker-turkk")
        .replace("type: briefing", "type: briefng")
        .replace("forum: UNSC", "forum: Security Council")
        .replace("source: ijks-2024-un-and-nk-human-rights", "source: ijks-2024")
        + "    resolutions: [a-hrc-res-22-13]\n    tags: [acountability]\n"
    )
    root = make_data({"events/2023-08-17-unsc-briefing.yaml": event})
    problems = {p.line: (p.message, p.suggestion) for p in run(root) if p.code == "DPK201"}
    assert problems[3] == ("unknown event type `briefng`", "did you mean `briefing`?")
    assert problems[4] == (
        "unknown forum `Security Council`",
        "use the code `UNSC` (United Nations Security Council)",
    )
    assert problems[7] == ("unknown actor `volker-turkk`", "did you mean `volker-turk`?")
    assert problems[12][0] == "unknown source `ijks-2024`"
    assert problems[14][0] == "unknown resolution `a-hrc-res-22-13`"
    assert problems[15] == ("unknown tag `acountability`", "did you mean `accountability`?")


def test_reference_to_a_record_of_the_wrong_type(make_data: MakeData):
    root = make_data(
        {
            "events/2023-08-17-unsc-briefing.yaml": EVENT.replace(
                "actor: volker-turk", "actor: korea-herald-2024-seoul-forum"
            )
        }
    )
    (problem,) = run(root)
    assert problem.message == "`korea-herald-2024-seoul-forum` is a source, not an actor"


def test_dangling_references_reported_even_with_schema_errors(make_data: MakeData):
    root = make_data(
        {
            "events/2023-08-17-unsc-briefing.yaml": EVENT.replace("title:", "titel:").replace(
                "volker-turk", "volker-turkk"
            )
        }
    )
    codes = {p.code for p in run(root)}
    assert {"DPK004", "DPK201"} <= codes


def test_duplicate_id_across_types(make_data: MakeData):
    root = make_data({"sources/volker-turk.yaml": "id: volker-turk\ntitle: T\nkind: news\n"})
    problems = [p for p in run(root) if p.code == "DPK101"]
    assert {Path(p.path).parent.name for p in problems} == {"actors", "sources"}


def test_id_must_match_file_name(make_data: MakeData):
    root = make_data(
        {
            "actors/volker.yaml": "id: volker-tuerk\nname: V\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: remarks by Volker Turk}]\n"
        }
    )
    (problem,) = run(root)
    assert (problem.code, problem.line) == ("DPK102", 1)
    assert problem.suggestion == "rename the file to `volker-tuerk.yaml`, or set `id: volker`"


RESOLUTION = """
    id: s-res-2397
    symbol: S/RES/2397 (2017)
    forum: UNSC
    date: "2017-12-22"
    adoption: {method: vote, yes: 15, no: 0, abstain: 0}
    sources:
      - source: ijks-2024-un-and-nk-human-rights
        quote: called for the repatriation of all
"""


@pytest.mark.parametrize(
    ("change", "code", "line"),
    [
        (("    forum: UNSC\n", ""), "DPK301", 1),
        (('    date: "2017-12-22"\n', ""), "DPK302", 1),
        (("S/RES/2397 (2017)", "A/RES/2397"), "DPK303", 2),
        (("yes: 15, no: 0", "yes: 8, no: 0"), "DPK304", 5),
        (("yes: 15, no: 0, abstain: 0", "yes: 15, no: 5, abstain: 3"), "DPK304", 5),
        (
            ("method: vote, yes: 15, no: 0, abstain: 0", "method: without-vote, yes: 15"),
            "DPK304",
            5,
        ),
        (('"2017-12-22"', '"1940"'), "DPK305", 4),
        (("abstain: 0}", "abstain: 0, dissociated: [volker-turk]}"), "DPK304", 5),
    ],
)
def test_resolution_rules(make_data: MakeData, change: tuple[str, str], code: str, line: int):
    text = RESOLUTION.replace(*change)
    root = make_data({"resolutions/s-res-2397.yaml": text})
    problems = run(root)
    assert (code, "s-res-2397.yaml", line) in found(problems), problems


def test_resolution_clean(make_data: MakeData):
    assert run(make_data({"resolutions/s-res-2397.yaml": RESOLUTION})) == []


CONSENSUS = RESOLUTION.replace(
    "adoption: {method: vote, yes: 15, no: 0, abstain: 0}",
    "adoption:\n      method: without-vote\n      dissociated: [volker-turk, cuba]",
)


def test_dissociated_states_are_references(make_data: MakeData):
    """A state that dissociated itself from a consensus is an actor reference: an unknown
    one is reported on its line, a known one is a backlink of the actor."""
    root = make_data({"resolutions/s-res-2397.yaml": CONSENSUS})
    problems = [p for p in run(root) if p.code == "DPK201"]
    assert [(p.line, p.message) for p in problems] == [(7, "unknown actor `cuba`")]
    fixed = make_data({"resolutions/s-res-2397.yaml": CONSENSUS.replace(", cuba]", "]")})
    # a person is no state: only DPK312 (roll-member-not-state) is left to say so
    assert [(p.code, p.line) for p in run(fixed)] == [("DPK312", 7)]
    kb = KnowledgeBase.from_dataset(load_dataset(fixed))
    assert kb.by_id["s-res-2397"].adoption.dissociated == ["volker-turk"]
    assert [(b.source_id, b.field) for b in kb.pointing_at("volker-turk")] == [
        ("s-res-2397", "adoption.dissociated")
    ]


def test_hrc_before_june_2006_and_chr_after(make_data: MakeData):
    hrc = (
        RESOLUTION.replace("S/RES/2397 (2017)", "A/HRC/RES/1/1")
        .replace("UNSC", "HRC")
        .replace('"2017-12-22"', '"2006-03"')
        .replace(
            "adoption: {method: vote, yes: 15, no: 0, abstain: 0}",
            "adoption: {method: without-vote}",
        )
        .replace("s-res-2397", "hrc-x")
    )
    chr_ = (
        RESOLUTION.replace("S/RES/2397 (2017)", "E/CN.4/RES/2007/1")
        .replace("UNSC", "CHR")
        .replace('"2017-12-22"', '"2007-04-01"')
        .replace(
            "adoption: {method: vote, yes: 15, no: 0, abstain: 0}",
            "adoption: {method: without-vote}",
        )
        .replace("s-res-2397", "chr-x")
    )
    root = make_data({"resolutions/hrc-x.yaml": hrc, "resolutions/chr-x.yaml": chr_})
    problems = {Path(p.path).stem: p for p in run(root) if p.code == "DPK305"}
    assert "before HRC was established" in problems["hrc-x"].message
    assert "did you mean CHR?" in (problems["hrc-x"].suggestion or "")
    assert "after CHR was abolished" in problems["chr-x"].message
    assert "did you mean HRC?" in (problems["chr-x"].suggestion or "")


def test_end_before_start_and_future_dates(make_data: MakeData):
    event = EVENT + '    end_date: "2023-08-16"\n'
    future = EVENT.replace("2023-08-17", "2032-08-17")
    root = make_data(
        {
            "events/2023-08-17-unsc-briefing.yaml": event,
            "events/2032-08-17-unsc-briefing.yaml": future,
        }
    )
    problems = found(run(root))
    assert ("DPK401", "2023-08-17-unsc-briefing.yaml", 14) in problems
    assert ("DPK402", "2032-08-17-unsc-briefing.yaml", 2) in problems


def test_future_warning_does_not_fail_unless_strict(make_data: MakeData):
    root = make_data(
        {"events/2032-08-17-unsc-briefing.yaml": EVENT.replace("2023-08-17", "2032-08-17")}
    )
    result = lint_paths(root, config=LintConfig())
    assert result.warnings == 1 and result.errors == 0 and result.exit_code == 0
    strict = lint_paths(root, config=LintConfig(strict=True))
    assert strict.exit_code == 1


def test_possible_duplicate_actor_ignores_order_case_and_accents(make_data: MakeData):
    root = make_data(
        {
            "actors/turk-volker.yaml": "id: turk-volker\nname: TURK, Volker\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights}]\n",
            "actors/volker-turk-state.yaml": "id: volker-turk-state\nname: Volker Turk\nkind: state\nsources: [{source: ijks-2024-un-and-nk-human-rights}]\n",
        }
    )
    problems = [p for p in run(root) if p.code == "DPK501"]
    assert len(problems) == 1  # the state of the same name is a different kind
    assert problems[0].message == (
        "`volker-turk` (Volker Türk) may be the same person as `turk-volker` (TURK, Volker)"
    )


def test_possible_duplicate_actor_knows_states_by_their_codes(make_data: MakeData):
    """`Republic of Mali` and `Republic of Malawi` match closely, but states with two
    different codes are two states; without a code, or with the same one, they are flagged."""

    def state(sid: str, name: str, formal: str, country: str | None) -> str:
        code = f"country: {country}\n" if country else ""
        return (
            f"id: {sid}\nname: {name}\nkind: state\naliases: [{formal}]\n{code}"
            "sources: [{source: ijks-2024-un-and-nk-human-rights}]\n"
        )

    def flagged(malawi_code: str | None, mali_code: str | None) -> list[str]:
        root = make_data(
            {
                "actors/malawi.yaml": state("malawi", "Malawi", "Republic of Malawi", malawi_code),
                "actors/mali.yaml": state("mali", "Mali", "Republic of Mali", mali_code),
            }
        )
        return [p.message for p in run(root) if p.code == "DPK501"]

    assert flagged("MW", "ML") == []
    both = ["`mali` (Mali) may be the same state as `malawi` (Malawi)"]
    assert flagged("MW", None) == both  # one code is not enough to tell them apart
    assert flagged("ML", "ML") == both


def test_role_dates_order(make_data: MakeData):
    actor = "id: x\nname: X\nkind: person\nroles:\n  - title: T\n    start: '2010'\n    end: '2004'\nsources: [{source: ijks-2024-un-and-nk-human-rights, quote: The Special Rapporteur}]\n"
    (problem,) = run(make_data({"actors/x.yaml": actor}))
    assert (problem.code, problem.line) == ("DPK502", 7)


def test_missing_citation(make_data: MakeData):
    (problem,) = run(make_data({"actors/x.yaml": "id: x\nname: X\nkind: person\n"}))
    assert (problem.code, problem.message) == ("DPK601", "actor `x` cites no source")


def test_source_without_url_and_record_without_quote(make_data: MakeData):
    root = make_data(
        {
            "sources/hrw-2019.yaml": "id: hrw-2019\ntitle: Strong Measures\nkind: statement\n",
            "actors/x.yaml": "id: x\nname: X\nkind: person\nsources:\n  - source: hrw-2019\n  - source: ijks-2024-un-and-nk-human-rights\n    note: no quote either\n",
        }
    )
    problems = {(p.code, Path(p.path).name, p.line): p for p in run(root)}
    assert set(problems) == {("DPK604", "hrw-2019.yaml", 1), ("DPK605", "x.yaml", 4)}
    assert problems["DPK605", "x.yaml", 4].message == "actor `x` cites 2 source(s) but quotes none"
    assert all(p.severity.value == "warning" for p in problems.values())


def test_a_suppression_with_its_reason_silences_the_completeness_rules(make_data: MakeData):
    source = "id: hrw-2019\ntitle: T\nkind: statement\nlint:\n  ignore: [source-without-url]\n  reason: printed only\n"
    actor = "id: x\nname: X\nkind: person\nsources: [{source: hrw-2019}]\nlint: {ignore: [DPK605], reason: no page to quote}\n"
    root = make_data({"sources/hrw-2019.yaml": source, "actors/x.yaml": actor})
    assert run(root) == []


def test_quote_check_is_tolerant_of_whitespace_quotes_and_case(make_data: MakeData, archive: Path):
    quotes = [
        "which opened with remarks by Volker Turk",
        "WHICH OPENED   with remarks\nby volker turk",
        "Council during the briefing, which opened ... Dr. Elizabeth Salmén",
    ]
    for quote in quotes:
        actor = f'id: x\nname: X\nkind: person\nsources:\n  - source: ijks-2024-un-and-nk-human-rights\n    quote: "{quote}"\n'
        root = make_data({"actors/x.yaml": actor.replace(chr(10) + "by", " by")})
        assert run(root, archive=archive) == [], quote


def test_quote_not_found_shows_the_closest_passage(make_data: MakeData, archive: Path):
    actor = "id: x\nname: X\nkind: person\nsources:\n  - source: ijks-2024-un-and-nk-human-rights\n    quote: which opened with remarks by Volker Türk\n"
    (problem,) = run(make_data({"actors/x.yaml": actor}), archive=archive)
    assert (problem.code, problem.line) == ("DPK602", 6)
    assert "which opened with remarks by volker turk" in (problem.suggestion or "")


def test_quotes_are_not_checked_without_archive(make_data: MakeData):
    actor = "id: x\nname: X\nkind: person\nsources:\n  - source: ijks-2024-un-and-nk-human-rights\n    quote: invented words\n"
    assert run(make_data({"actors/x.yaml": actor})) == []


def test_suppression_and_unused_suppression(make_data: MakeData):
    future = (
        EVENT.replace("2023-08-17", "2032-08-17")
        + "    lint:\n      ignore: [future-date, DPK401]\n"
    )
    root = make_data({"events/2032-08-17-unsc-briefing.yaml": future})
    (problem,) = run(root)
    assert (problem.code, problem.line, problem.severity.value) == ("DPK901", 15, "warning")
    assert "`DPK401`" in problem.message


def test_select_and_ignore_by_prefix_and_name(make_data: MakeData):
    root = make_data({"actors/x.yaml": "id: y\nname: X\nkind: person\n"})
    everything = {p.code for p in lint_paths(root).problems}
    assert everything == {"DPK102", "DPK601"}
    only6 = lint_paths(root, config=LintConfig().merged(select=["DPK6"])).problems
    assert {p.code for p in only6} == {"DPK601"}
    no_id = lint_paths(root, config=LintConfig().merged(ignore=["id-file-name"])).problems
    assert {p.code for p in no_id} == {"DPK601"}
    # the longer selector wins: ignore DPK, but select DPK102
    config = LintConfig(select=["DPK102"], ignore=["DPK"])
    assert {p.code for p in lint_paths(root, config=config).problems} == {"DPK102"}


def test_a_broken_file_does_not_stop_the_others(make_data: MakeData):
    root = make_data(
        {"actors/broken.yaml": "id: [x\n", "actors/x.yaml": "id: x\nname: X\nkind: person\n"}
    )
    problems = found(run(root))
    assert ("DPK001", "broken.yaml", 2) in problems
    assert ("DPK601", "x.yaml", 1) in problems


def test_files_outside_the_record_folders(make_data: MakeData, tmp_path: Path):
    root = make_data()
    stray = write(root, "misc/x.yaml", "id: x\n")
    yml = write(
        root,
        "actors/x.yml",
        "id: x\nname: X\nkind: person\nsources: [{source: ijks-2024-un-and-nk-human-rights}]\n",
    )
    problems = run(root, only=[stray, yml])
    assert ("DPK006", "x.yaml", 1) in found(problems)
    assert any(p.code == "DPK006" and "`.yml`" in p.message for p in problems)


def test_vocabulary_errors(make_data: MakeData):
    root = make_data()
    forums = (root / "forums.yaml").read_text()
    (root / "forums.yaml").write_text(
        forums + "  - code: HRC\n    name: Again\n    parent: UNGAA\n"
    )
    problems = [p for p in run(root) if p.path.endswith("forums.yaml")]
    assert {p.code for p in problems} == {"DPK101", "DPK201"}
    (root / "tags.yaml").write_text("tags:\n  - id: x\n    nme: X\n")
    problems = [p for p in run(root) if p.path.endswith("tags.yaml")]
    assert {p.code for p in problems} == {"DPK004"}


def test_lint_never_writes(make_data: MakeData):
    root = make_data({"actors/x.yaml": "id: y\nname: X\nkind: person\n"})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    lint_paths(root)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_a_record_that_fails_validation_still_gets_its_id_references_and_quotes_checked(
    make_data: MakeData, archive: Path
):
    event = (
        EVENT.replace('"2023-08-17"', '"2023-09-31"', 1)
        .replace("volker-turk", "volker-turkk")
        .replace("during the briefing\n", "during the briefing that never was\n")
    )
    root = make_data({"events/2023-09-01-typo.yaml": event})
    codes = {p.code for p in run(root, archive=archive)}
    assert codes == {"DPK005", "DPK102", "DPK201", "DPK602"}
