"""Whether the text is a presidency letter or concept note at all."""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from debateprep.debates.letter.fields import _Layout, _names_a_concept_note
from debateprep.debates.letter.items import _Item
from debateprep.debates.letter.lines import _ANNEX_HEADING, Block, _Line

# A speaker's turn in a verbatim record: "The President:", "Mr. Nebenzia (Russian Federation)
# (spoke in Russian):".
_SPEAKER = re.compile(
    r"\s*(?:The\s+(?:Acting\s+)?(?:President|Chair|Chairperson|Chairman|Secretary-General"
    r"|Deputy\s+Secretary-General)"
    r"|(?:Mr|Mrs|Ms|Miss|Mme|Dr|Sir|Dame|Lord|Lady|Baroness|Archbishop|Cardinal|Sheikh|Sheikha"
    r"|Prince|Princess|H\.\s?E)\.?\s+[A-Z][^\n:()]{0,60}?)"
    r"(?:\s*\([^()\n]{1,60}\))*\s*:"
)
# A concept note may name the president who chairs; a record gives the floor to speaker after
# speaker.
_MIN_SPEAKERS = 2
# A presidency letter asks a handful of questions; this many are not a letter's.
_MAX_QUESTIONS = 100


def _refusal(
    lines: Sequence[_Line],
    blocks: Sequence[Block],
    layout: _Layout,
    found: Sequence[_Item],
    under_heading: bool,
) -> str:
    """Why the document is no presidency letter or concept note, or "" if it is one."""
    speakers = [line.index for line in lines if _SPEAKER.match(line.text)]
    if not found and len(speakers) >= _MIN_SPEAKERS:
        return _(
            "speakers' turns and no guiding questions: this reads as a verbatim record, not a "
            "presidency letter or concept note"
        )
    if (
        found
        and speakers
        and not under_heading
        and all(item.lines[0].index >= speakers[0] for item in found)
    ):
        return _(
            "questions found only inside a speech: this reads as a verbatim record, not a "
            "presidency letter or concept note"
        )
    if layout.heading or under_heading:
        return ""
    if any(_names_a_concept_note(block) or _ANNEX_HEADING.match(block[0].text) for block in blocks):
        return ""
    return _(
        "no letter heading and no concept note found: this does not read as a presidency "
        "letter or concept note"
    )
