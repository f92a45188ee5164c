"""Speech lengths and speaking times, shared by the editor, the totals and the exports.

A speech in a language written with spaces is counted in words; one in Chinese in characters
(punctuation excluded), as interpreters reckon its pace in syllables and a character is one.
static/js/editor.js counts with the same regular expressions (Unicode property escapes, which
both engines read alike), so that live counts match saved ones; tests/browser/test_languages.py
holds them to it.
"""

import math
from dataclasses import dataclass

import regex

from debateprep.lib.languages import Unit, facts

# A run of non-space, from its start (nothing but space or the text's start before it), with a
# letter or a digit somewhere in it; a run without one ("—", "«", "🙂") never matches. Each run
# is looked at once from its start, so a long run of dashes costs no more than its length.
WORD = regex.compile(
    r"(?<![^\p{White_Space}])(?=[^\p{White_Space}]*?[\p{L}\p{N}])[^\p{White_Space}]+"
)
# Each Chinese character (or Japanese kana) on its own, and any other run with a letter or a
# digit as one, as in WORD: "2030", "UN" or "COVID-19" in a Chinese text. Punctuation, spaces,
# symbols and emoji are not counted.
CJK = r"\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}"
CHARACTER = regex.compile(
    rf"[{CJK}]"
    rf"|(?<![^\p{{White_Space}}{CJK}])(?=[^\p{{White_Space}}{CJK}]*?(?![{CJK}])[\p{{L}}\p{{N}}])"
    rf"[^\p{{White_Space}}{CJK}]+"
)


CJK_CHARACTER = regex.compile(rf"[{CJK}]")


def likely_unit(text: str) -> Unit:
    """Characters if the text holds a Chinese character, else words: the unit a text is most
    likely counted in, for a save that checks it against its statement's language."""
    return Unit.CHARACTERS if CJK_CHARACTER.search(text) else Unit.WORDS


def count_words(text: str) -> int:
    """Runs of non-space with a letter or a digit: a dash or « » spoken as nothing is no word."""
    return len(WORD.findall(text))


def count_characters(text: str) -> int:
    """Chinese characters one by one, any other word as one."""
    return len(CHARACTER.findall(text))


def count(text: str, unit: str) -> int:
    """The text's length in the unit."""
    return count_characters(text) if unit == Unit.CHARACTERS else count_words(text)


def count_in(text: str, language: str) -> int:
    """The text's length as a speech in the language is counted."""
    return count(text, facts(language).unit)


def speaking_seconds(units: int, per_minute: int) -> int:
    return math.ceil(units * 60 / per_minute) if units else 0


def format_duration(seconds: int) -> str:
    """`2:05` for two minutes five seconds: how chairs and speakers read a clock."""
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class SpeakingTime:
    # The length, in `unit`: words, or characters for Chinese.
    words: int
    seconds: int
    limit_seconds: int | None = None
    unit: Unit = Unit.WORDS

    @classmethod
    def of(
        cls,
        units: int,
        per_minute: int,
        limit_seconds: int | None = None,
        unit: Unit = Unit.WORDS,
    ):
        return cls(units, speaking_seconds(units, per_minute), limit_seconds, Unit(unit))

    @property
    def length(self) -> str:
        """ "1 word", "240 characters"."""
        return self.unit.of(self.words)

    @property
    def unit_label(self) -> str:
        """The unit as it follows this count on screen: "word" after 1, else "words"."""
        return self.unit.label_for(self.words)

    @property
    def clock(self) -> str:
        return format_duration(self.seconds)

    @property
    def limit_clock(self) -> str:
        return format_duration(self.limit_seconds or 0)

    @property
    def over_limit(self) -> bool:
        return self.limit_seconds is not None and self.seconds > self.limit_seconds
