"""Word-level differences between two texts, as a reader sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# Words, the punctuation after them and the spaces between them: an added last word then shows
# as added, not as a change of the word before it, nor of its full stop.
WORDS = re.compile(r"\s+|[\w\u2019'-]+|[^\w\s]")
KINDS = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_DELETE: "delete",
    diff_match_patch.DIFF_INSERT: "insert",
}
# Past this, the diff found so far is shown (correct, if less minimal): two answers built to be
# slow to compare must not hold a worker.
TIMEOUT_SECONDS = 0.5
# A plane of characters no text uses here, with room for every word of two answers at the
# length limit (at most 40,000 words and spaces).
PRIVATE_USE = 0xF0000


@dataclass(frozen=True)
class Change:
    kind: str  # "equal", "delete" or "insert"
    text: str


def word_diff(old: str, new: str) -> list[Change]:
    """What was deleted from `old` and inserted to make `new`, word by word."""
    # diff-match-patch compares characters: each distinct word stands for one character, the
    # way its line mode stands a character for each line.
    tokens: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str:
        encoded = []
        for token in WORDS.findall(text):
            if token not in tokens:
                tokens[token] = chr(PRIVATE_USE + len(words))
                words.append(token)
            encoded.append(tokens[token])
        return "".join(encoded)

    differ = diff_match_patch()
    differ.Diff_Timeout = TIMEOUT_SECONDS
    diffs = differ.diff_main(encode(old), encode(new), False)
    differ.diff_cleanupSemantic(diffs)
    return [
        Change(KINDS[operation], "".join(words[ord(char) - PRIVATE_USE] for char in chars))
        for operation, chars in diffs
    ]


def carry_over(base: str, changed: str, current: str) -> str | None:
    """The changes that made `changed` from `base`, made to `current` instead; None when some
    of them no longer fit, because the words they change or stand by were changed since."""
    differ = diff_match_patch()
    differ.Diff_Timeout = TIMEOUT_SECONDS
    # Only where the patch's context is found exactly, wherever it moved to.
    differ.Match_Threshold = 0.0
    differ.Match_Distance = len(current) + 1
    patches = differ.patch_make(base, changed)
    result, applied = differ.patch_apply(patches, current)
    return result if all(applied) else None
