"""Word counts and speaking times, shared by the editor, the totals and the exports.

static/js/editor.js counts words the same way so that live counts match saved ones.
"""

import math
import re
from dataclasses import dataclass

# From the start of a run of non-space, through its first letter or digit, to its end; a run
# without one ("—", "«") never matches. One regular expression, as it runs on every save.
WORD = re.compile(r"\S*?[^\W_]\S*")


def count_words(text: str) -> int:
    """Runs of non-space with a letter or a digit: a dash or « » spoken as nothing is no word."""
    return len(WORD.findall(text))


def speaking_seconds(words: int, words_per_minute: int) -> int:
    return math.ceil(words * 60 / words_per_minute) if words else 0


def format_duration(seconds: int) -> str:
    """`2:05` for two minutes five seconds: how chairs and speakers read a clock."""
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class SpeakingTime:
    words: int
    seconds: int
    limit_seconds: int | None = None

    @classmethod
    def of(cls, words: int, words_per_minute: int, limit_seconds: int | None = None):
        return cls(words, speaking_seconds(words, words_per_minute), limit_seconds)

    @property
    def clock(self) -> str:
        return format_duration(self.seconds)

    @property
    def limit_clock(self) -> str:
        return format_duration(self.limit_seconds or 0)

    @property
    def over_limit(self) -> bool:
        return self.limit_seconds is not None and self.seconds > self.limit_seconds
