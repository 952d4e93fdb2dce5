"""The roll-call rules (DPK310-DPK316): each failure mode, with its file, line, message and
suggestion, on the small votes dataset (which lints clean)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_votes import write_dataset

from dprkhr.dataset import load_dataset
from dprkhr.lint import LintConfig, lint_dataset
from dprkhr.problems import Problem

RES_2014 = "resolutions/res-2014.yaml"
RES_2015 = "resolutions/res-2015.yaml"
RES_2016 = "resolutions/res-2016.yaml"
VOTE_EVENT = "events/2014-12-22-unsc-agenda-vote.yaml"


def lint(root: Path) -> list[Problem]:
    return lint_dataset(load_dataset(root), LintConfig()).problems


def edited(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    root = write_dataset(tmp_path)
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def only(problems: list[Problem], code: str) -> list[tuple[str, int, str, str | None]]:
    return [
        (Path(p.path).name, p.line, p.message, p.suggestion) for p in problems if p.code == code
    ]


def line_of(root: Path, relative: str, text: str) -> int:
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_clean(tmp_path: Path) -> None:
    assert lint(write_dataset(tmp_path)) == []


def test_complete_roll_short_of_its_count(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2014, "abstain: [indonesia]", "abstain: []")
    [(name, line, message, suggestion)] = only(lint(root), "DPK310")
    assert name == "res-2014.yaml" and line == line_of(root, RES_2014, "abstain: []")
    assert message == (
        "the complete roll names 0 states abstaining (`votes.abstain`), but `abstain: 1`"
    )
    assert suggestion is not None and "roll: partial" in suggestion


def test_complete_roll_leaving_out_a_group_with_votes(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2014, "    abstain: [indonesia]\n", "")
    [(_, line, message, _)] = only(lint(root), "DPK310")
    assert line == line_of(root, RES_2014, "adoption:")
    assert "names 0 states abstaining" in message


def test_partial_roll_longer_than_its_count(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2015, "no: [china, russia]", "no: [china, russia, cuba]")
    [(_, line, message, _)] = only(lint(root), "DPK310")
    assert line == line_of(root, RES_2015, "no: [china")
    assert message == "the roll names 3 states against (`votes.no`), more than `no: 2`"


def test_partial_roll_shorter_than_its_count_is_fine(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2015, "no: [china, russia]", "no: [china]")
    assert only(lint(root), "DPK310") == []


def test_a_state_twice_in_a_roll(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2015, "no: [china, russia]", "no: [china, china]")
    [(_, _, message, _)] = only(lint(root), "DPK311")
    assert message == "`china` is named twice in the roll call (`votes.no`)"


def test_a_state_in_two_groups(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2014, "abstain: [indonesia]", "abstain: [china]")
    [(_, line, message, _)] = only(lint(root), "DPK311")
    assert line == line_of(root, RES_2014, "abstain: [china]")
    assert message == "`china` is named in `no` and in `abstain` in the roll call (`votes.abstain`)"


def test_a_state_in_the_roll_and_dissociated(tmp_path: Path) -> None:
    root = edited(
        tmp_path,
        VOTE_EVENT,
        "    no: [china, russia]\n",
        "    no: [china, russia]\n  dissociated: [china]\n",
    )
    [(_, _, message, _)] = only(lint(root), "DPK311")
    assert message == "`china` is in the roll call (`votes.no`) and in `dissociated`"


@pytest.mark.parametrize(
    ("actor", "kind"),
    [("european-union", "an organization"), ("volker-turk", "a person")],
)
def test_only_states_vote(tmp_path: Path, actor: str, kind: str) -> None:
    root = edited(tmp_path, RES_2014, "absent: [dprk]", f"absent: [dprk, {actor}]")
    [(_, line, message, suggestion)] = only(lint(root), "DPK312")
    assert line == line_of(root, RES_2014, "absent: [dprk")
    assert message == f"`{actor}` is {kind}, not a state: only states vote or dissociate"
    assert suggestion is not None and "ignore: [DPK312]" in suggestion


def test_only_states_dissociate_and_the_rule_can_be_suppressed(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2016, "[china, cuba]", "[china, european-union]")
    assert [m for _, _, m, _ in only(lint(root), "DPK312")] == [
        "`european-union` is an organization, not a state: only states vote or dissociate"
    ]
    path = root / RES_2016
    path.write_text(path.read_text() + "lint:\n  ignore: [DPK312]\n  reason: the page shows it\n")
    assert lint(root) == []


def test_a_roll_on_an_adoption_without_a_vote(tmp_path: Path) -> None:
    root = edited(
        tmp_path,
        RES_2016,
        "  dissociated: [china, cuba]\n",
        "  roll: partial\n  roll_source: press-ga-2016\n  votes:\n    no: [china]\n",
    )
    found = only(lint(root), "DPK313")
    assert [m for _, _, m, _ in found] == [
        "adopted without a vote, yet `roll` is given: there is no roll call",
        "adopted without a vote, yet `roll_source` is given: there is no roll call",
        "adopted without a vote, yet `votes` is given: there is no roll call",
    ]


def test_a_roll_needs_roll_and_roll_source(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2015, "  roll: partial\n  roll_source: press-ga-2015\n", "")
    found = only(lint(root), "DPK313")
    assert sorted(m for _, _, m, _ in found) == [
        "a roll call (`votes`) without `roll_source`",
        "a roll call (`votes`) without `roll`",
    ]
    assert found[0][1] == line_of(root, RES_2015, "votes:")


def test_roll_without_votes(tmp_path: Path) -> None:
    root = edited(tmp_path, RES_2015, "  votes:\n    no: [china, russia]\n", "")
    assert [m for _, _, m, _ in only(lint(root), "DPK313")] == [
        "`roll` is given without a roll call (`votes`)",
        "`roll_source` is given without a roll call (`votes`)",
    ]


def test_a_security_council_roll_names_at_most_15(tmp_path: Path) -> None:
    many = ", ".join(f"s{i}" for i in range(1, 15))
    root = edited(
        tmp_path, VOTE_EVENT, "yes: [france, united-kingdom, united-states]", f"yes: [{many}]"
    )
    [(_, _, message, _)] = only(lint(root), "DPK314")
    assert message == "the roll call names 16 states, but UNSC has 15 members"


def test_roll_source_and_sponsor_source_must_be_cited(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    path = root / RES_2014
    text = path.read_text()
    path.write_text(
        text.replace("roll_source: press-ga-2014", "roll_source: press-ga-2015").replace(
            "    role: co-sponsor\n", "    role: co-sponsor\n    source: press-c3-2014\n"
        )
    )
    found = only(lint(root), "DPK315")
    assert [m for _, _, m, _ in found] == [
        "`press-ga-2015` is not cited in the record's `sources`",
        "`press-c3-2014` is not cited in the record's `sources`",
    ]
    assert found[0][1] == line_of(root, RES_2014, "roll_source:")
    assert found[0][3] is not None and "- source: press-ga-2015" in found[0][3]


def test_participant_roles_agree_with_the_roll(tmp_path: Path) -> None:
    root = edited(
        tmp_path,
        VOTE_EVENT,
        "  - actor: china\n    role: voted-against",
        "  - actor: china\n    role: abstained",
    )
    [(_, line, message, _)] = only(lint(root), "DPK316")
    assert line == line_of(root, VOTE_EVENT, "role: abstained")
    assert message == "`china` has the role `abstained`, but the roll lists it in `votes.no`"


def test_a_voter_the_complete_roll_leaves_out(tmp_path: Path) -> None:
    root = edited(tmp_path, VOTE_EVENT, "  - actor: france\n", "  - actor: japan\n")
    [(_, _, message, _)] = only(lint(root), "DPK316")
    assert message == "`japan` has the role `voted-for`, but the roll call does not name it"


def test_a_partial_roll_may_leave_a_participant_out(tmp_path: Path) -> None:
    root = edited(tmp_path, VOTE_EVENT, "roll: complete", "roll: partial")
    path = root / VOTE_EVENT
    path.write_text(
        path.read_text().replace("    yes: [france, united-kingdom, united-states]\n", "")
    )
    assert only(lint(root), "DPK316") == []
    # ...unless the group it stands for is fully named
    path.write_text(path.read_text().replace("actor: china\n    role", "actor: cuba\n    role"))
    assert [m for _, _, m, _ in only(lint(root), "DPK316")] == [
        "`cuba` has the role `voted-against`, but the roll call does not name it"
    ]


def test_vote_counts_of_a_vote_event(tmp_path: Path) -> None:
    """DPK304 checks a vote event's counts against its forum too (not the votes needed
    to adopt: a vote event may record a motion that failed)."""
    root = edited(tmp_path, VOTE_EVENT, "yes: 3\n", "yes: 14\n")
    [(_, _, message, _)] = only(lint(root), "DPK304")
    assert message == "16 votes counted, but UNSC has 15 members"


def test_roll_source_may_name_several_pages_each_cited(tmp_path: Path) -> None:
    """Names gathered from two pages: `roll_source` lists both, and each must be cited."""
    root = edited(
        tmp_path,
        RES_2015,
        "roll_source: press-ga-2015",
        "roll_source: [press-ga-2015, press-c3-2014]",
    )
    found = only(lint(root), "DPK315")
    assert [m for _, _, m, _ in found] == ["`press-c3-2014` is not cited in the record's `sources`"]
    path = root / RES_2015
    path.write_text(
        path.read_text().replace(
            "sources:\n",
            "sources:\n  - source: press-c3-2014\n    quote: China and Russia voted against\n",
        )
    )
    assert only(lint(root), "DPK315") == []
    assert only(lint(root), "DPK201") == []
