"""The fields a letter names about its meeting, as new presidencies word them."""

import pytest

from debateprep.debates.letter import parse_letter
from tests.test_letter_shapes import LETTER, letter_with

ANNEX = "Guiding questions\n\n1. How can schools be protected?\n2. Who reports to the Council?"


def announcing(meeting: str) -> str:
    return letter_with(ANNEX).replace("will hold an open debate", f"will hold {meeting}")


@pytest.mark.parametrize(
    ("meeting", "kind"),
    [
        ("a ministerial-level open debate", "ministerial-level open debate"),
        ("a Ministerial-Level Open Debate", "ministerial-level open debate"),
        ("a high-level open debate", "high-level open debate"),
        ("a summit-level debate", "summit-level debate"),
        ("a ministerial open debate", "ministerial open debate"),
        ("a briefing followed by an open debate", "briefing followed by an open debate"),
        ("a briefing, followed by a debate", "briefing followed by a debate"),
        (
            "a briefing followed by a high-level open debate",
            "briefing followed by a high-level open debate",
        ),
        ("a briefing followed by an\nopen debate", "briefing followed by an open debate"),
        ("an open briefing", "briefing"),
        ("an Arria-formula meeting", "arria-formula meeting"),
    ],
)
def test_the_meeting_kind_keeps_its_level_and_both_meetings_announced(
    meeting: str, kind: str
) -> None:
    assert "will hold an open debate" in LETTER
    assert parse_letter(announcing(meeting)).meeting_kind == kind


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("No formal outcome is planned; the presidency will issue a summary.", "summary"),
        (
            "No formal outcome is planned, and the presidency will circulate a summary of the "
            "main recommendations.",
            "summary",
        ),
        ("There will be no negotiated outcome, but a summary will be circulated.", "summary"),
        ("There will be no presidential statement, only a chair's summary.", "chair's summary"),
        ("The presidency will circulate a Chair's summary of the debate.", "chair's summary"),
        ("A summary by the President will be circulated.", "chair's summary"),
        ("The Council is not expected, at this stage, to adopt a presidential statement.", ""),
        ("No presidential statement or resolution is envisaged.", ""),
        ("No summary will be issued.", ""),
        ("No formal outcome is envisaged.", ""),
        ("The presidency intends to propose a Presidential Statement.", "presidential statement"),
        ("A Press Statement may follow.", "press statement"),
        ("The presidency will table a draft Resolution.", "resolution"),
    ],
)
def test_the_expected_outcome_is_named_in_lower_case_unless_denied_in_its_own_clause(
    sentence: str, outcome: str
) -> None:
    annex = f"{ANNEX}\n\nExpected outcome\n\n{sentence}"

    assert parse_letter(letter_with(annex)).outcome == outcome


def test_a_summary_record_or_a_summary_in_the_background_is_no_outcome() -> None:
    annex = (
        "Background\n\nA summary of the last debate is in the summary record S/PV.9000.\n\n"
        f"{ANNEX}\n\nExpected outcome\n\nThe summary records of the meeting will be issued."
    )
    assert parse_letter(letter_with(annex)).outcome == ""


MAIL = (
    "From: Guyana Mission <pm.guyana@mission.example>\nSent: Friday, 1 March 2024 18:02\n"
    "To: SC-Affairs-All\nSubject: {subject}\n\nDear colleagues,\n\nPlease find the letter below."
    "\n\nBest regards,\nAna\n\n"
)


@pytest.mark.parametrize(
    ("subject", "symbol"),
    [
        ("S/2024/190 \u2013 Letter dated 1 March 2024", "S/2024/190"),
        ("RE: FW: Letter dated 1 March 2024 \u2013 S/2024/190", "S/2024/190"),
        ("Concept note for the open debate (S/2024/190/Corr.1)", "S/2024/190/Corr.1"),
        ("Follow-up to resolution 2601 (2021), S/RES/2601 (2021)", ""),
        ("Letter dated 1 March 2024", ""),
    ],
)
def test_the_symbol_in_the_e_mail_subject_is_used_when_the_document_has_none(
    subject: str, symbol: str
) -> None:
    text = MAIL.format(subject=subject) + letter_with(ANNEX)

    assert parse_letter(text).symbol == symbol


@pytest.mark.parametrize(
    "subject", ["Letter dated 1 March 2024 \u2013 S/2024/999", "Letter dated 1 March 2024"]
)
def test_the_document_s_own_symbol_comes_before_the_e_mail_subject(subject: str) -> None:
    document = letter_with(ANNEX).replace("Security Council\n", "United Nations S/2024/190\n", 1)
    text = MAIL.format(subject=subject) + document

    assert parse_letter(text).symbol == "S/2024/190"
