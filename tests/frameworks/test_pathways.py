"""Pathway rules parse with field paths, round-trip, and tell a learner what is met and missing."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.errors import InvalidInput
from microcred.frameworks.credits import convert
from microcred.frameworks.pathways import (
    MAX_DEPTH,
    MAX_NODES,
    HeldCredential,
    HeldResult,
    TransferValue,
    evaluate,
    from_badgr,
    parse_pathway,
)
from tests.frameworks.badgr_pathway import EXPORT, badge

TODAY = date(2026, 6, 30)
ISSUER = "did:web:uni.example:orgs:uni"


def component(key: str, name: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "component",
        "key": key,
        "name": name or key.title(),
        "achievement": f"urn:achievement:{key}",
        **extra,
    }


def group(key: str, require: dict[str, Any], *children: dict[str, Any], **extra: Any):
    return {
        "kind": "group",
        "key": key,
        "name": extra.pop("name", key.title()),
        "require": require,
        "children": list(children),
        **extra,
    }


def held(key: str, **extra: Any) -> HeldCredential:
    """A credential of the component ``key``'s achievement (``achievement=`` to override)."""
    values: dict[str, Any] = {
        "id": f"urn:credential:{key}",
        "achievement_id": f"urn:achievement:{key}",
        "issuer_id": ISSUER,
        "name": key.title(),
        "awarded": date(2026, 1, 15),
    }
    values.update(extra)
    return HeldCredential(**values)


FULL = group(
    "analyst",
    {"all": True},
    group(
        "core",
        {"all": True},
        component("stats", "Statistics", issuer=ISSUER, credits={"ECTS": 5}),
        component(
            "viz",
            "Data Visualisation",
            achievementType="Course",
            minimumResult={
                "resultType": "LetterGrade",
                "requiredValue": "C",
                "allowedValue": ["E", "D", "C", "B", "A"],
            },
        ),
        alternatives=[component("core-exam", "Core exam")],
    ),
    group(
        "methods",
        {"atLeast": 1},
        component("sql", minimumResult={"resultType": "Percent", "requiredValue": "60"}),
        component("python"),
        minimumLevel=5,
    ),
    group(
        "electives",
        {"credits": {"value": 10, "system": "ECTS"}},
        component("ethics", credits={"UK": 10}),
        component("cloud"),
        within={"from": "2024-01-01", "until": "2026-12-31"},
    ),
    name="Data Analyst",
    within={"months": 60},
    minimumResult={"resultType": "Status", "requiredValue": "Completed"},
)


# -- parsing ---------------------------------------------------------------------------------


def test_every_rule_kind_round_trips() -> None:
    rule = parse_pathway(FULL)
    assert rule.to_json() == parse_pathway(rule.to_json()).to_json()
    assert parse_pathway(rule.to_json()) == rule
    assert [node.key for node in rule.walk()] == [
        "analyst",
        "core",
        "stats",
        "viz",
        "core-exam",
        "methods",
        "sql",
        "python",
        "electives",
        "ethics",
        "cloud",
    ]


def test_a_numeric_required_value_is_kept_as_text_as_ob3_writes_it() -> None:
    rule = parse_pathway(
        group(
            "g",
            {"all": True},
            component("a", minimumResult={"resultType": "Percent", "requiredValue": 70}),
        )
    )
    assert rule.to_json()["children"][0]["minimumResult"]["requiredValue"] == "70"


def _set(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


class _Delete:
    """Marks a field to remove; its repr names it the same in every process (pytest-xdist)."""

    def __repr__(self) -> str:
        return "deleted"


_DELETE = _Delete()

BAD = [
    # (what to change, the value, the field named, the error code)
    (["children", 1, "kind"], "module", "rules.children[1].kind", "pathway.unknown_kind"),
    (["children", 0, "minimumLevl"], 6, "rules.children[0].minimumLevl", "pathway.unknown_field"),
    (["children", 2, "key"], "core", "rules.children[2].key", "pathway.duplicate_key"),
    (
        ["children", 0, "children", 1, "key"],
        "stats",
        "rules.children[0].children[1].key",
        "pathway.duplicate_key",
    ),
    (["children", 0, "key"], "has space", "rules.children[0].key", "input.invalid"),
    (
        ["children", 1, "require"],
        {"atLeast": 3},
        "rules.children[1].require.atLeast",
        "input.invalid",
    ),
    (
        ["children", 1, "require"],
        {"atLeast": 0},
        "rules.children[1].require.atLeast",
        "input.invalid",
    ),
    (
        ["children", 1, "require"],
        {"atLeast": True},
        "rules.children[1].require.atLeast",
        "input.invalid",
    ),
    (
        ["children", 1, "require"],
        {"all": True, "atLeast": 1},
        "rules.children[1].require",
        "input.invalid",
    ),
    (
        ["children", 1, "require"],
        {"most": 1},
        "rules.children[1].require.most",
        "pathway.unknown_kind",
    ),
    (["children", 1, "require"], {"all": False}, "rules.children[1].require.all", "input.invalid"),
    (
        ["children", 2, "require", "credits", "system"],
        "QUID",
        "rules.children[2].require.credits.system",
        "credits.unknown_system",
    ),
    (
        ["children", 2, "require", "credits", "value"],
        -5,
        "rules.children[2].require.credits.value",
        "input.invalid",
    ),
    (
        ["children", 2, "require", "credits", "points"],
        5,
        "rules.children[2].require.credits.points",
        "pathway.unknown_field",
    ),
    (
        ["children", 2, "children", 0, "credits"],
        {"QUID": 5},
        "rules.children[2].children[0].credits.QUID",
        "credits.unknown_system",
    ),
    (
        ["children", 2, "children", 0, "credits"],
        {"UK": "ten"},
        "rules.children[2].children[0].credits.UK",
        "input.invalid",
    ),
    (["children", 1, "minimumLevel"], 9, "rules.children[1].minimumLevel", "input.invalid"),
    (["children", 1, "minimumLevel"], 0, "rules.children[1].minimumLevel", "input.invalid"),
    (["children", 1, "minimumLevel"], "6", "rules.children[1].minimumLevel", "input.invalid"),
    (["within"], {"months": 0}, "rules.within.months", "input.invalid"),
    (["within"], {"months": 12, "from": "2024-01-01"}, "rules.within", "input.invalid"),
    (["within"], {}, "rules.within", "input.invalid"),
    (["within"], {"from": "2025-13-01"}, "rules.within.from", "input.invalid"),
    (
        ["within"],
        {"from": "2026-01-01", "until": "2025-01-01"},
        "rules.within.until",
        "input.invalid",
    ),
    (["minimumResult", "requiredValue"], "", "rules.minimumResult.requiredValue", "input.invalid"),
    (
        ["minimumResult"],
        {"resultType": "Percent", "requiredValue": "most"},
        "rules.minimumResult.requiredValue",
        "input.invalid",
    ),
    (
        ["minimumResult"],
        {"resultType": "LetterGrade", "requiredValue": "F", "allowedValue": ["C", "B", "A"]},
        "rules.minimumResult.requiredValue",
        "input.invalid",
    ),
    (
        ["minimumResult"],
        {"resultType": "LetterGrade", "requiredValue": "A", "allowedValue": ["A", "A"]},
        "rules.minimumResult.allowedValue",
        "input.invalid",
    ),
    (["minimumResult", "resultType"], None, "rules.minimumResult.resultType", "input.invalid"),
    (
        ["children", 0, "children", 0, "achievement"],
        _DELETE,
        "rules.children[0].children[0].achievement",
        "input.invalid",
    ),
    (
        ["children", 0, "children", 0, "name"],
        " ",
        "rules.children[0].children[0].name",
        "input.invalid",
    ),
    (
        ["children", 0, "children", 0, "issuer"],
        42,
        "rules.children[0].children[0].issuer",
        "input.invalid",
    ),
    (["children", 0, "children"], [], "rules.children[0].children", "input.invalid"),
    (["children", 0, "children", 0], "stats", "rules.children[0].children[0]", "input.invalid"),
    (
        ["children", 0, "alternatives"],
        [group("alt", {"all": True}, component("x"))],
        "rules.children[0].alternatives[0].kind",
        "input.invalid",
    ),
    (
        ["children", 0, "alternatives"],
        "core-exam",
        "rules.children[0].alternatives",
        "input.invalid",
    ),
]


@pytest.mark.parametrize(
    ("where", "value", "field", "code"),
    BAD,
    ids=[case[2] + ":" + repr(case[1])[:30] for case in BAD],
)
def test_bad_input_names_the_field(where: list[Any], value: Any, field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_pathway(_set(where, value))
    assert raised.value.field == field
    assert raised.value.code == code
    assert raised.value.message


def test_the_root_must_be_a_group() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_pathway(component("a"))
    assert raised.value.field == "rules.kind"
    with pytest.raises(InvalidInput) as raised:
        parse_pathway([FULL])
    assert raised.value.field == "rules"


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    def nested(depth: int) -> dict[str, Any]:
        node = component("leaf")
        for level in range(depth, 0, -1):
            node = group(f"g{level}", {"all": True}, node)
        return node

    assert parse_pathway(nested(MAX_DEPTH))
    with pytest.raises(InvalidInput) as raised:
        parse_pathway(nested(MAX_DEPTH + 1))
    assert raised.value.code == "pathway.too_deep"
    assert raised.value.field == "rules" + ".children[0]" * MAX_DEPTH


def test_more_nodes_than_the_limit_are_refused() -> None:
    fits = group("g", {"atLeast": 1}, *(component(f"c{i}") for i in range(MAX_NODES - 1)))
    assert len(list(parse_pathway(fits).walk())) == MAX_NODES
    too_many = group("g", {"atLeast": 1}, *(component(f"c{i}") for i in range(MAX_NODES)))
    with pytest.raises(InvalidInput) as raised:
        parse_pathway(too_many)
    assert raised.value.code == "pathway.too_large"
    assert raised.value.field == f"rules.children[{MAX_NODES - 1}]"


# -- evaluation ------------------------------------------------------------------------------

ALL_THREE = group(
    "core",
    {"all": True},
    component("stats", "Statistics"),
    component("sql", "SQL"),
    component("viz", "Data Visualisation"),
)
TWO_OF_THREE = group(
    "methods",
    {"atLeast": 2},
    component("stats", "Statistics"),
    component("sql", "SQL"),
    component("viz", "Data Visualisation"),
)
CREDITS = group(
    "electives",
    {"credits": {"value": 14, "system": "ECTS"}},
    component("ethics", "Ethics"),
    component("cloud", "Cloud", credits={"ECTS": 5}),
    component("law", "Data Law"),
    component("ux", "UX"),
)
PERCENT = {"resultType": "Percent", "requiredValue": "70"}
LETTER = {"resultType": "LetterGrade", "requiredValue": "B", "allowedValue": ["D", "C", "B", "A"]}

EVALUATIONS = [
    # (case, rule, held credentials, met, the learner's message, fraction)
    (
        "all: every one held",
        ALL_THREE,
        [held("stats"), held("sql"), held("viz")],
        True,
        "Done: all 3 of Core.",
        1.0,
    ),
    (
        "all: one missing",
        ALL_THREE,
        [held("stats"), held("sql")],
        False,
        "2 of 3 done: still missing Data Visualisation.",
        2 / 3,
    ),
    (
        "all: two missing",
        ALL_THREE,
        [held("stats")],
        False,
        "1 of 3 done: still missing SQL and Data Visualisation.",
        1 / 3,
    ),
    (
        "all: nothing held",
        ALL_THREE,
        [],
        False,
        "0 of 3 done: still missing Statistics, SQL and Data Visualisation.",
        0.0,
    ),
    (
        "atLeast: enough",
        TWO_OF_THREE,
        [held("sql"), held("viz")],
        True,
        "Done: 2 of the 3 options (2 needed).",
        1.0,
    ),
    (
        "atLeast: one short",
        TWO_OF_THREE,
        [held("viz")],
        False,
        "1 of 2 done: choose 1 more from Statistics or SQL.",
        0.5,
    ),
    (
        "credits: mixed systems through hours",
        CREDITS,
        # 5 ECTS stated by the rule, 20 UK credits = 200 h = 7.27 ECTS, 55 h = 2 ECTS.
        [held("cloud"), held("ethics", credits={"UK": 20}), held("law", credits={"HOURS": 55})],
        True,
        "Done: 14.3 of 14 ECTS credits.",
        1.0,
    ),
    (
        "credits: the held credential's own value wins over the rule's",
        CREDITS,
        [held("cloud", credits={"ECTS": 3}), held("ethics", credits={"ECTS": 6})],
        False,
        "9 of 14 ECTS credits: 5 more needed, from Data Law or UX.",
        9 / 14,
    ),
    (
        "credits: counted in the group's system",
        group(
            "uk", {"credits": {"value": 15, "system": "UK"}}, component("a", credits={"ECTS": 6})
        ),
        [held("a")],
        True,
        "Done: 16.5 of 15 UK credits.",
        1.0,
    ),
    (
        "level: high enough",
        group("g", {"all": True}, component("a"), minimumLevel=6),
        [held("a", level=7)],
        True,
        "Done: G.",
        1.0,
    ),
    (
        "level: too low",
        group("g", {"all": True}, component("a", "Analytics"), minimumLevel=6),
        [held("a", name="Analytics", level=5)],
        False,
        "0 of 1 done: still missing Analytics.",
        0.0,
    ),
    (
        "time window in months: just inside",
        group("g", {"all": True}, component("a"), within={"months": 12}),
        [held("a", awarded=date(2025, 6, 30))],
        True,
        "Done: G.",
        1.0,
    ),
    (
        "time window in months: a day too old",
        group("g", {"all": True}, component("a"), within={"months": 12}),
        [held("a", awarded=date(2025, 6, 29))],
        False,
        "0 of 1 done: still missing A.",
        0.0,
    ),
    (
        "nested: 1 of 2 groups, one half done",
        group(
            "root",
            {"all": True},
            group("left", {"all": True}, component("a"), component("b")),
            group("right", {"atLeast": 1}, component("c"), component("d")),
        ),
        [held("a"), held("d")],
        False,
        "1 of 2 done: still missing Left.",
        0.75,
    ),
]


@pytest.mark.parametrize(
    ("case", "rule", "credentials", "met", "message", "fraction"),
    EVALUATIONS,
    ids=[e[0] for e in EVALUATIONS],
)
def test_each_rule_kind(
    case: str,
    rule: dict[str, Any],
    credentials: list[HeldCredential],
    met: bool,
    message: str,
    fraction: float,
) -> None:
    progress = evaluate(parse_pathway(rule), credentials, on=TODAY)
    assert progress.met is met
    assert progress.message == message
    assert progress.fraction == pytest.approx(fraction)


def test_credits_are_converted_and_reported_per_credential() -> None:
    progress = evaluate(
        parse_pathway(CREDITS),
        [held("cloud"), held("ethics", credits={"UK": 20}), held("law", credits={"HOURS": 55})],
        on=TODAY,
    )
    assert progress.root.credits == pytest.approx(5 + 200 / 27.5 + 2)
    assert progress.root.system == "ECTS"
    assert progress["ethics"].credits == pytest.approx(200 / 27.5)
    assert progress["ux"].met is False
    assert set(progress.root.credential_ids) == {
        "urn:credential:cloud",
        "urn:credential:ethics",
        "urn:credential:law",
    }


RESULTS = [
    # (minimumResult, the held result, counts, the reason given when it does not)
    (PERCENT, HeldResult("70", "Percent"), True, None),
    (PERCENT, HeldResult("85.5%"), True, None),
    (PERCENT, HeldResult("69.9", "Percent"), False, "has 69.9; 70% or more is needed"),
    (
        PERCENT,
        HeldResult("B", "LetterGrade"),
        False,
        "records a LetterGrade result, not the Percent needed",
    ),
    (PERCENT, HeldResult("good"), False, "has 'good', which is not a number"),
    (PERCENT, None, False, "records no result; 70% or better is needed"),
    (LETTER, HeldResult("A", "LetterGrade"), True, None),
    (LETTER, HeldResult("B"), True, None),
    (LETTER, HeldResult("C", "LetterGrade"), False, "has C; B or better is needed"),
    (LETTER, HeldResult("F", "LetterGrade"), False, "has F, which is not on the scale D, C, B, A"),
    (
        {"resultType": "Status", "requiredValue": "Completed"},
        HeldResult("Completed", "Status"),
        True,
        None,
    ),
    (
        {"resultType": "Status", "requiredValue": "Completed"},
        HeldResult("InProgress", "Status"),
        False,
        "has InProgress; Completed is needed",
    ),
]


@pytest.mark.parametrize(("minimum", "result", "counts", "reason"), RESULTS)
def test_minimum_results(
    minimum: dict[str, Any], result: HeldResult | None, counts: bool, reason: str | None
) -> None:
    rule = parse_pathway(
        group("g", {"all": True}, component("a", "Analytics", minimumResult=minimum))
    )
    outcome = evaluate(rule, [held("a", name="Analytics", result=result)], on=TODAY)["a"]
    assert outcome.met is counts
    if reason:
        assert outcome.message == f"Still to do: Analytics: your Analytics {reason}."


def test_a_group_minimum_result_applies_to_every_credential_beneath_it() -> None:
    rule = parse_pathway(
        group(
            "g",
            {"all": True},
            group("inner", {"all": True}, component("a"), component("b")),
            minimumResult=PERCENT,
        )
    )
    progress = evaluate(
        rule, [held("a", result=HeldResult("90")), held("b", result=HeldResult("50"))], on=TODAY
    )
    assert progress["a"].met
    assert progress["b"].message == "Still to do: B: your B has 50; 70% or more is needed."
    assert not progress.met


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (
            5,
            "Still to do: Analytics: your Analytics is at EQF level 5; "
            "level 6 or higher is needed.",
        ),
        (
            None,
            "Still to do: Analytics: your Analytics states no EQF level; "
            "level 6 or higher is needed.",
        ),
    ],
)
def test_levels_below_the_minimum_are_explained(level: int | None, message: str) -> None:
    # The stricter of two nested minimum levels applies.
    rule = parse_pathway(
        group(
            "g",
            {"all": True},
            group("inner", {"all": True}, component("a", "Analytics"), minimumLevel=6),
            minimumLevel=4,
        )
    )
    assert (
        evaluate(rule, [held("a", name="Analytics", level=level)], on=TODAY)["a"].message == message
    )


@pytest.mark.parametrize(
    ("within", "awarded", "met", "reason"),
    [
        ({"from": "2025-01-01", "until": "2025-12-31"}, date(2025, 1, 1), True, None),
        ({"from": "2025-01-01", "until": "2025-12-31"}, date(2025, 12, 31), True, None),
        (
            {"from": "2025-01-01"},
            date(2024, 12, 31),
            False,
            "of 2024-12-31 is from before 2025-01-01",
        ),
        (
            {"until": "2025-12-31"},
            date(2026, 1, 1),
            False,
            "of 2026-01-01 is from after 2025-12-31",
        ),
        ({"months": 24}, date(2024, 6, 30), True, None),
        (
            {"months": 24},
            date(2024, 6, 29),
            False,
            "of 2024-06-29 is older than the 24 months this pathway accepts",
        ),
    ],
)
def test_time_windows(within: dict[str, str], awarded: date, met: bool, reason: str | None) -> None:
    rule = parse_pathway(group("g", {"all": True}, component("a"), within=within))
    outcome = evaluate(rule, [held("a", awarded=awarded)], on=TODAY)["a"]
    assert outcome.met is met
    if reason:
        assert outcome.message == f"Still to do: A: your A {reason}."


def test_months_count_back_to_the_end_of_a_shorter_month() -> None:
    rule = parse_pathway(group("g", {"all": True}, component("a"), within={"months": 1}))
    on = date(2026, 3, 31)
    assert evaluate(rule, [held("a", awarded=date(2026, 2, 28))], on=on).met
    assert not evaluate(rule, [held("a", awarded=date(2026, 2, 27))], on=on).met


def test_issuer_and_achievement_type_must_match_when_named() -> None:
    rule = parse_pathway(
        group("g", {"all": True}, component("a", issuer=ISSUER, achievementType="Course"))
    )
    assert evaluate(rule, [held("a", achievement_type="Course")], on=TODAY).met
    assert not evaluate(
        rule, [held("a", achievement_type="Course", issuer_id="did:web:other.example")], on=TODAY
    ).met
    assert not evaluate(rule, [held("a", achievement_type="Badge")], on=TODAY).met


def test_a_credential_counts_once_under_a_group() -> None:
    # Two components of the same achievement (say, a module taken twice): one credential is
    # not enough for both.
    rule = parse_pathway(
        group(
            "g",
            {"all": True},
            component("first", "Part one", achievement="urn:achievement:module"),
            component("second", "Part two", achievement="urn:achievement:module"),
        )
    )
    one = held("module", name="Module")
    progress = evaluate(rule, [one], on=TODAY)
    assert progress["first"].credential_ids == (one.id,)
    assert progress["second"].message == (
        "Still to do: Part two: your Module already counts for another rule here."
    )
    two = held("module", id="urn:credential:module-again", name="Module", awarded=date(2025, 1, 1))
    assert evaluate(rule, [one, two], on=TODAY).met


def test_an_alternative_satisfies_the_whole_group_by_itself() -> None:
    rule = parse_pathway(FULL)
    credentials = [
        held("core-exam", name="Core exam", result=HeldResult("Completed", "Status")),
        held("python", level=6, result=HeldResult("Completed", "Status")),
        held("cloud", credits={"ECTS": 10}, result=HeldResult("Completed", "Status")),
    ]
    progress = evaluate(rule, credentials, on=TODAY)
    core = progress["core"]
    assert core.met
    assert core.alternative_used == "core-exam"
    assert core.credential_ids == ("urn:credential:core-exam",)
    assert core.message == "Done: Core, through Core exam, which stands for the whole group."
    assert [child.met for child in core.children] == [False, False]
    assert progress.met
    assert progress.fraction == 1.0


def test_alternatives_are_not_used_when_the_children_are_met() -> None:
    rule = parse_pathway(
        group("g", {"all": True}, component("a"), alternatives=[component("exam")])
    )
    progress = evaluate(rule, [held("a"), held("exam")], on=TODAY)
    assert progress.met
    assert progress.root.alternative_used is None


def test_a_transfer_value_counts_as_a_component() -> None:
    rule = parse_pathway(
        group(
            "g",
            {"all": True},
            component("stats", "Statistics"),
            minimumLevel=6,
            minimumResult=PERCENT,
        )
    )
    # A statistics course from another university, recognised as this pathway's Statistics:
    # the recognition decision judged its level and result, so neither is asked again.
    external = held(
        "ext",
        achievement_id="https://other.example/achievements/stat101",
        issuer_id="did:web:other.example",
        name="STAT 101",
    )
    transfer = TransferValue(
        achievement="https://other.example/achievements/stat101",
        issuer="did:web:other.example",
        counts_as=("stats",),
    )
    assert not evaluate(rule, [external], on=TODAY).met
    progress = evaluate(rule, [external], on=TODAY, transfer_values=[transfer])
    assert progress.met
    assert progress["stats"].transfer_used
    assert progress.root.transfer_used
    assert progress["stats"].message == "Done: Statistics, recognised from your STAT 101."
    # A transfer value names its issuer: the same achievement from elsewhere does not count.
    impostor = held(
        "ext", achievement_id=transfer.achievement, issuer_id="did:web:impostor.example"
    )
    assert not evaluate(rule, [impostor], on=TODAY, transfer_values=[transfer]).met


def test_a_transfer_value_for_credits_counts_in_credit_groups() -> None:
    rule = parse_pathway(CREDITS)
    external = held(
        "ext", achievement_id="https://other.example/achievements/ml", name="Machine learning"
    )
    transfer = TransferValue(
        achievement="https://other.example/achievements/ml", credits={"UK": 20}
    )
    progress = evaluate(
        rule,
        [held("cloud"), held("ethics", credits={"ECTS": 2}), external],
        on=TODAY,
        transfer_values=[transfer],
    )
    assert progress.root.credits == pytest.approx(5 + 2 + 200 / 27.5)
    assert progress.met
    assert progress.root.transfer_used
    assert external.id in progress.root.credential_ids
    # A credit transfer still respects the time window.
    dated = parse_pathway({**CREDITS, "within": {"months": 6}})
    late = evaluate(
        dated,
        [
            held("cloud"),
            held("ethics", credits={"ECTS": 2}),
            held("ext", achievement_id=transfer.achievement, awarded=date(2020, 1, 1)),
        ],
        on=TODAY,
        transfer_values=[transfer],
    )
    assert not late.met
    assert late.root.credits_missing == pytest.approx(7)


NESTED_CREDITS = group(
    "programme",
    {"credits": {"value": 20, "system": "ECTS"}},
    group(
        "inner",
        {"credits": {"value": 5, "system": "ECTS"}},
        component("cloud", credits={"ECTS": 5}),
    ),
    component("ethics", credits={"ECTS": 5}),
)
GRANTED = [
    # (case, rule, held, granted credits, met, the credit rule's key, the learner's message)
    (
        "granted credits complete a credit group",
        CREDITS,
        ["cloud"],
        {"ECTS": 9},
        True,
        "electives",
        "Done: 14 of 14 ECTS credits (9 of them granted through recognition of your "
        "prior learning).",
    ),
    (
        "granted credits fall short and say how many more",
        CREDITS,
        ["cloud"],
        {"ECTS": 4},
        False,
        "electives",
        "9 of 14 ECTS credits (4 of them granted through recognition of your prior "
        "learning): 5 more needed, from Ethics, Data Law or UX.",
    ),
    (
        "granted credits in another system are converted through notional hours",
        CREDITS,
        ["cloud"],
        {"UK": 55},
        True,
        "electives",
        "Done: 25 of 14 ECTS credits (20 of them granted through recognition of your "
        "prior learning).",
    ),
    (
        "granted credits count in the outermost credit group only, once",
        NESTED_CREDITS,
        ["cloud", "ethics"],
        {"ECTS": 10},
        True,
        "programme",
        "Done: 20 of 20 ECTS credits (10 of them granted through recognition of your "
        "prior learning).",
    ),
    (
        "no granted credits: the message is as before",
        CREDITS,
        ["cloud"],
        {},
        False,
        "electives",
        "5 of 14 ECTS credits: 9 more needed, from Ethics, Data Law or UX.",
    ),
]


@pytest.mark.parametrize(
    ("rule", "holding", "granted", "met", "key", "message"),
    [case[1:] for case in GRANTED],
    ids=[case[0] for case in GRANTED],
)
def test_credits_granted_by_recognition_count_in_credit_rules(
    rule: dict[str, Any],
    holding: list[str],
    granted: dict[str, float],
    met: bool,
    key: str,
    message: str,
) -> None:
    progress = evaluate(
        parse_pathway(rule), [held(k) for k in holding], on=TODAY, granted_credits=granted
    )
    assert progress.met is met
    assert progress[key].message == message
    total = sum(convert(value, system, "ECTS") for system, value in granted.items())
    assert progress[key].credits_granted == pytest.approx(total)
    assert progress.to_json()["creditsGranted"] == pytest.approx(
        total if key == progress.root.key else 0
    )


def test_granted_credits_never_count_twice_in_nested_credit_groups() -> None:
    progress = evaluate(
        parse_pathway(NESTED_CREDITS), [held("ethics")], on=TODAY, granted_credits={"ECTS": 10}
    )
    # The inner group still needs its own credential: granted credits went to the whole.
    assert not progress["inner"].met
    assert progress["inner"].credits_granted == 0
    assert progress["programme"].credits == pytest.approx(15)


def test_granted_credits_without_a_credit_rule_change_nothing() -> None:
    progress = evaluate(
        parse_pathway(TWO_OF_THREE), [held("viz")], on=TODAY, granted_credits={"ECTS": 30}
    )
    assert not progress.met
    assert progress.root.credits_granted == 0


@pytest.mark.parametrize(
    ("granted", "field"),
    [
        ({"ECTZ": 5}, "granted_credits.ECTZ"),
        ({"ECTS": 0}, "granted_credits.ECTS"),
        ({"ECTS": -3}, "granted_credits.ECTS"),
        ({"ECTS": float("nan")}, "granted_credits.ECTS"),
        ({"ECTS": "5"}, "granted_credits.ECTS"),
        ([("ECTS", 5)], "granted_credits"),
    ],
)
def test_bad_granted_credits_name_the_field(granted: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate(parse_pathway(CREDITS), [], on=TODAY, granted_credits=granted)
    assert caught.value.field == field


def test_progress_as_json_and_by_key() -> None:
    progress = evaluate(parse_pathway(TWO_OF_THREE), [held("viz")], on=TODAY)
    data = progress.to_json()
    assert data["met"] is False
    assert data["fraction"] == 0.5
    assert data["missing"] == ["Statistics", "SQL"]
    assert data["children"][2] == {
        "key": "viz",
        "name": "Data Visualisation",
        "kind": "component",
        "met": True,
        "message": "Done: Data Visualisation (2026-01-15).",
        "credits": {"value": 0, "system": "ECTS"},
        "credentialIds": ["urn:credential:viz"],
        "missing": [],
        "creditsMissing": 0,
        "creditsGranted": 0.0,
        "transferUsed": False,
        "alternativeUsed": None,
        "fraction": 1.0,
        "children": [],
    }
    with pytest.raises(KeyError):
        progress["nope"]


# -- Badgr -----------------------------------------------------------------------------------


def test_a_badgr_export_converts_to_rules() -> None:
    rules = from_badgr(EXPORT, names={badge("sql"): "SQL"})
    assert rules["key"] == "data-analyst"
    assert rules["require"] == {"all": True}
    foundations, methods, capstone = rules["children"]
    assert foundations["require"] == {"all": True}
    assert [child["achievement"] for child in foundations["children"]] == [
        badge("intro-statistics"),
        badge("spreadsheets"),
    ]
    assert foundations["alternatives"] == [
        {
            "kind": "component",
            "key": "foundations-placement",
            "name": "Foundations placement",
            "achievement": badge("foundations-placement"),
        }
    ]
    assert methods["require"] == {"atLeast": 2}
    assert [child["name"] for child in methods["children"]] == [
        "Data visualisation",
        "SQL",
        "Python for data",
    ]
    assert "alternatives" not in methods
    assert capstone == {
        "kind": "component",
        "key": "capstone-project",
        "name": "Capstone project",
        "achievement": badge("capstone-project"),
    }
    # The optional element is not required by anything, so it is not a rule.
    assert "further-reading" not in str(rules)
    assert parse_pathway(rules).to_json() == rules


def badgr_held(slug: str) -> HeldCredential:
    return HeldCredential(
        id=f"urn:assertion:{slug}",
        achievement_id=badge(slug),
        issuer_id="https://badgr.example.org/issuers/uni-data",
        name=slug,
        awarded=date(2025, 5, 1),
    )


@pytest.mark.parametrize(
    ("badges", "met", "message"),
    [
        (
            ["intro-statistics", "spreadsheets", "sql", "python-for-data", "capstone-project"],
            True,
            "Done: all 3 of Data Analyst.",
        ),
        # The placement badge is a shortcut for the foundations.
        (
            ["foundations-placement", "sql", "data-visualisation", "capstone-project"],
            True,
            "Done: all 3 of Data Analyst.",
        ),
        (
            ["intro-statistics", "sql", "capstone-project"],
            False,
            "1 of 3 done: still missing Foundations and Methods.",
        ),
    ],
)
def test_a_converted_badgr_pathway_evaluates(badges: list[str], met: bool, message: str) -> None:
    progress = evaluate(
        parse_pathway(from_badgr(EXPORT)), [badgr_held(slug) for slug in badges], on=TODAY
    )
    assert progress.met is met
    assert progress.message == message


def _badgr(index: int, **requirements: Any) -> dict[str, Any]:
    export = copy.deepcopy(EXPORT)
    export["elements"][index]["requirements"].update(requirements)
    return export


@pytest.mark.parametrize(
    ("export", "field"),
    [
        ({"rootElement": "x"}, "elements"),
        ({**EXPORT, "rootElement": "https://elsewhere.example/x"}, "rootElement"),
        (_badgr(1, **{"@type": "SkillJunction"}), "elements[1].requirements.@type"),
        (
            _badgr(2, junctionConfig={"@type": "Disjunction"}),
            "elements[2].requirements.junctionConfig.requiredNumber",
        ),
        (
            _badgr(2, junctionConfig={"@type": "Sometimes"}),
            "elements[2].requirements.junctionConfig.@type",
        ),
        (_badgr(2, badges=[]), "elements[2].requirements.badges"),
        (_badgr(2, badges=[badge("sql"), 7]), "elements[2].requirements.badges[1]"),
        (
            _badgr(0, elements=[EXPORT["elements"][1]["@id"], "https://elsewhere.example/e"]),
            "elements[0].requirements.elements[1]",
        ),
        (_badgr(0, elements=[EXPORT["elements"][4]["@id"]]), "elements[4].requirements"),
    ],
)
def test_a_badgr_export_that_cannot_convert_names_the_element(
    export: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        from_badgr(export)
    assert raised.value.field == field


def test_a_required_number_written_as_text_is_read_as_badgr_reads_it() -> None:
    rules = from_badgr(_badgr(2, junctionConfig={"@type": "Disjunction", "requiredNumber": "2"}))
    assert rules["children"][1]["require"] == {"atLeast": 2}
    with pytest.raises(InvalidInput) as raised:
        from_badgr(_badgr(2, junctionConfig={"@type": "Disjunction", "requiredNumber": "two"}))
    assert raised.value.field == "elements[2].requirements.junctionConfig.requiredNumber"


def test_a_converted_disjunction_beyond_its_badges_is_refused_by_the_parser() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_pathway(
            from_badgr(_badgr(2, junctionConfig={"@type": "Disjunction", "requiredNumber": 4}))
        )
    assert raised.value.field == "rules.children[1].require.atLeast"


# -- invariants over random pathways ---------------------------------------------------------

ACHIEVEMENTS = ["a", "b", "c", "d", "e"]


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """A random rule tree over a few achievements (keys are made unique afterwards)."""
    children = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.booleans()):
            children.append(draw(trees(depth + 1)))
        else:
            achievement = draw(st.sampled_from(ACHIEVEMENTS))
            children.append(
                component(achievement, credits={draw(st.sampled_from(["ECTS", "UK", "HOURS"])): 5})
            )
    require = draw(
        st.one_of(
            st.just({"all": True}),
            st.integers(1, len(children)).map(lambda n: {"atLeast": n}),
            st.integers(1, 20).map(lambda n: {"credits": {"value": n, "system": "ECTS"}}),
        )
    )
    alternatives = draw(st.lists(st.sampled_from(ACHIEVEMENTS).map(component), max_size=1))
    return group("g", require, *children, alternatives=alternatives)


def _unique_keys(rule: dict[str, Any]) -> dict[str, Any]:
    counter = iter(range(10_000))

    def rename(item: dict[str, Any]) -> dict[str, Any]:
        item = {**item, "key": f"{item['key']}-{next(counter)}"}
        for name in ("children", "alternatives"):
            if name in item:
                item[name] = [rename(child) for child in item[name]]
        return item

    return rename(rule)


@settings(max_examples=150, deadline=None)
@given(trees(), st.sets(st.sampled_from(ACHIEVEMENTS)))
def test_progress_is_consistent_for_any_pathway(tree: dict[str, Any], holding: set[str]) -> None:
    rule = parse_pathway(_unique_keys(tree))
    assert parse_pathway(rule.to_json()) == rule
    progress = evaluate(rule, [held(name) for name in sorted(holding)], on=TODAY)
    for outcome in progress.root.walk():
        assert 0 <= outcome.fraction <= 1
        # A rule is met exactly when its progress bar is full.
        assert outcome.met is (outcome.fraction == 1)
        assert outcome.message
        assert len(set(outcome.credential_ids)) == len(outcome.credential_ids)
        assert set(outcome.credential_ids) <= {f"urn:credential:{name}" for name in holding}
    # Holding more credentials never undoes a met pathway.
    if progress.met:
        assert evaluate(rule, [held(name) for name in ACHIEVEMENTS], on=TODAY).met


def test_a_rule_gives_up_a_credential_another_rule_needs() -> None:
    """Found by the property test above: the first option of G took A, which the pathway
    also needs by itself, so holding C as well undid a pathway that A and B met."""
    tree = group(
        "root",
        {"all": True},
        group(
            "either",
            {"atLeast": 1},
            group("all3", {"all": True}, *map(component, "abc")),
            component("b2", achievement="urn:achievement:b"),
        ),
        component("a2", achievement="urn:achievement:a"),
    )
    rule = parse_pathway(tree)
    assert evaluate(rule, [held("a"), held("b")], on=TODAY).met
    progress = evaluate(rule, [held("a"), held("b"), held("c")], on=TODAY)
    assert progress.met
    assert progress["a2"].credential_ids == ("urn:credential:a",)
    assert not progress["all3"].met
    assert "already counts for another rule here" in progress["a"].message
