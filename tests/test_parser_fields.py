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
