"""Sub-items complete the numbered item above them, whatever that item's sentence looks like,
and every numbered item of a list of questions is kept as a question."""

import pytest

from debateprep.debates.letter import parse_letter
from tests.test_letter_shapes import letter_with


def asked(annex: str) -> list[tuple[str, str]]:
    return [(q.marker, q.text) for q in parse_letter(letter_with(annex)).questions]


@pytest.mark.parametrize("indent", ["", "   ", "\t"], ids=["flush", "spaces", "tab"])
@pytest.mark.parametrize(
    ("sub_markers", "after"),
    [(["i.", "ii."], "2."), (["(a)", "(b)"], "2."), (["-", "-"], "2."), (["(i)", "(ii)"], "")],
    ids=["roman-dot", "letters", "dashes", "last-item"],
)
def test_a_stem_cut_mid_sentence_is_completed_by_its_sub_items(
    indent: str, sub_markers: list[str], after: str
) -> None:
    annex = (
        "Key questions\n\n"
        "1. Which experiences should guide the Council, in particular those of\n"
        f"{indent}{sub_markers[0]} the Mano River Union;\n"
        f"{indent}{sub_markers[1]} the Economic Community of Central African States?\n"
    )
    if after:
        annex += f"{after} Who should brief the Council?\n"
    stem = "Which experiences should guide the Council, in particular those of"

    assert asked(annex) == [
        (
            "1.",
            f"{stem} {sub_markers[0]} the Mano River Union; {sub_markers[1]} the Economic "
            "Community of Central African States?",
        ),
        *([(after, "Who should brief the Council?")] if after else []),
    ]


@pytest.mark.parametrize("indent", ["", "    "], ids=["flush", "indented"])
@pytest.mark.parametrize(
    "stem",
    [
        "Member States are invited to address the following:",
        "Speakers may wish to reflect on:",
        "In this context, participants could consider in particular:",
    ],
)
def test_an_item_of_a_question_list_ending_with_a_colon_keeps_its_sub_items(
    indent: str, stem: str
) -> None:
    annex = (
        "Guiding questions\n\n"
        "(1) How can the Council act earlier on early warning?\n"
        f"(2) {stem}\n"
        f"{indent}a. the role of regional organizations;\n"
        f"{indent}b. the financing of prevention; and\n"
        f"{indent}c. the protection of infrastructure.\n"
        "(3) Who should brief the Council?"
    )
    assert asked(annex) == [
        ("(1)", "How can the Council act earlier on early warning?"),
        (
            "(2)",
            f"{stem} a. the role of regional organizations; b. the financing of prevention; "
            "and c. the protection of infrastructure.",
        ),
        ("(3)", "Who should brief the Council?"),
    ]


def test_the_last_item_of_a_question_list_ending_with_a_colon_keeps_its_sub_items() -> None:
    annex = (
        "Guiding questions\n\n"
        "1. How can the Council act earlier?\n"
        "2. Member States are invited to address the following:\n"
        "   - the role of regional organizations;\n"
        "   - the financing of prevention.\n"
    )
    assert asked(annex) == [
        ("1.", "How can the Council act earlier?"),
        (
            "2.",
            "Member States are invited to address the following: - the role of regional "
            "organizations; - the financing of prevention.",
        ),
    ]


def test_questions_of_their_own_under_a_colon_stay_separate_questions() -> None:
    annex = (
        "Guiding questions\n\n"
        "1. How can the Council act earlier?\n"
        "2. The following questions may also be addressed:\n"
        "   (a) How can regional organizations help?\n"
        "   (b) Who pays for prevention?\n"
    )
    assert [marker for marker, _ in asked(annex)] == ["1.", "2.", "(a)", "(b)"]


def test_an_annex_paragraph_announcing_a_list_of_questions_is_not_completed_by_it() -> None:
    annex = (
        "Background\n\n1. The Council has discussed prevention since 2011.\n\n"
        "2. The debate may address the following:\n"
        "- How can regional organizations help?\n"
        "- Who pays for prevention?\n\n"
        "3. The presidency will circulate a summary.\n"
    )
    assert [marker for marker, _ in asked(annex)] == ["", ""]


@pytest.mark.parametrize(
    "markers",
    [["1.", "2.", "3."], ["(a)", "(b)", "(c)"], ["-", "-", "-"]],
    ids=["numbers", "letters", "dashes"],
)
def test_an_item_of_the_question_list_without_a_question_mark_is_kept_and_flagged(
    markers: list[str],
) -> None:
    annex = (
        "Guiding questions\n\n"
        f"{markers[0]} The role of the Council in prevention\n"
        f"{markers[1]} Should the Council request a report on prevention in the region\n"
        f"{markers[2]} How can the Council act earlier?\n\n"
        "Finally, who should report to the Council?\n"
    )
    letter = parse_letter(letter_with(annex))

    assert [q.text for q in letter.questions] == [
        "The role of the Council in prevention",
        "Should the Council request a report on prevention in the region",
        "How can the Council act earlier?",
        "Finally, who should report to the Council?",
    ]
    assert letter.warnings == (
        "question 1 does not end with a question mark",
        "question 2 does not end with a question mark",
    )


def test_a_list_of_briefers_under_the_questions_heading_is_not_taken() -> None:
    annex = (
        "Guiding questions\n\n1. How can the Council act earlier?\n2. Who pays for it?\n\n"
        "Briefers\n\n- the Secretary-General;\n- the Chair of the Peacebuilding Commission.\n"
    )
    assert [marker for marker, _ in asked(annex)] == ["1.", "2."]
