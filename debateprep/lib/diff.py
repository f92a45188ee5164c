"""Word-level differences between two texts, as a reader sees them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Words and the spaces between them: an added last word then shows as added, not as a change
# of the word before it.
WORDS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Change:
    kind: str  # "equal", "delete" or "insert"
    text: str


def word_diff(old: str, new: str) -> list[Change]:
    """What was deleted from `old` and inserted to make `new`, word by word."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    changes = []
    matcher = difflib.SequenceMatcher(None, before, after)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(Change("equal", "".join(before[i1:i2])))
            continue
        if i1 < i2:
            changes.append(Change("delete", "".join(before[i1:i2])))
        if j1 < j2:
            changes.append(Change("insert", "".join(after[j1:j2])))
    return changes
