"""The six official languages of the United Nations, in which delegations deliver their
statements, and what the app needs to know of each: which way it is written, how a speech's
length is counted (words, or characters for Chinese), how fast it is comfortably delivered and
on whose word, and the tags the export formats know it by.

The default rates are each debate's until an editor changes them (Debate.rate_*). Where no
published figure was found for a language the rate is an estimate and says so: editors should
set it for their debates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Language(models.TextChoices):
    # Django's codes (LANGUAGES), which are also valid HTML `lang` values.
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh-hans", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


class Unit(models.TextChoices):
    """What a speech's length is counted in."""

    WORDS = "words", _("words")
    CHARACTERS = "characters", _("characters")

    @property
    def singular(self) -> str:
        return self.value.removesuffix("s")

    def of(self, count: int) -> str:
        """ "1 word", "240 characters": in English, as the exports' frame is written."""
        return f"{count} {self.singular if count == 1 else self.value}"

    # For the browser, which relabels counts as the delegate types: after one, and after many
    # (a language with more plural forms is put right by the next save's reply).
    @property
    def label_one(self) -> str:
        return self.label_for(1)

    @property
    def label_other(self) -> str:
        return self.label_for(5)

    def label_for(self, count: int) -> str:
        """The unit as it follows this count on screen, in the reader's language."""
        if self == Unit.CHARACTERS:
            return ngettext("character", "characters", count)
        return ngettext("word", "words", count)


LI_2010 = (
    "Changshuan Li, “Coping Strategies for Fast Delivery in Simultaneous Interpretation”, "
    "The Journal of Specialised Translation, issue 13 (January 2010), "
    "https://www.jostrans.org/issue13/art_li.php"
)


@dataclass(frozen=True)
class Facts:
    unit: Unit
    # Units a minute at a pace interpreters can follow: each debate's default.
    rate: int
    # As Word and LibreOffice tag a text's language (language-REGION), for their spelling
    # and hyphenation; Typst takes the same two parts.
    office_tag: str
    rtl: bool = False
    # What the source says, and the source; none for an estimate.
    basis: str = ""
    source: str = ""

    @property
    def is_estimate(self) -> bool:
        return not self.source

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def rate_note(self) -> str:
        """Where the default rate comes from, in a sentence."""
        if self.is_estimate:
            return format_lazy(
                _(
                    "Default {rate}, an estimate: the English rate, standing in until a "
                    "published figure for this language is found."
                ),
                rate=self.rate,
            )
        return format_lazy(_("Default {rate}: {basis}."), rate=self.rate, basis=self.basis)


FACTS: dict[str, Facts] = {
    Language.ARABIC: Facts(Unit.WORDS, 120, "ar-SA", rtl=True),
    Language.CHINESE: Facts(
        Unit.CHARACTERS,
        160,
        "zh-CN",
        basis=_(
            "Li (2010) gives 150 to 180 syllables a minute as the optimal speed for Chinese "
            "speeches, and a character is one syllable"
        ),
        source=LI_2010,
    ),
    Language.ENGLISH: Facts(
        Unit.WORDS,
        120,
        "en-GB",
        basis=_("Li (2010) gives 100 to 120 words a minute as optimal for English speeches"),
        source=LI_2010,
    ),
    Language.FRENCH: Facts(Unit.WORDS, 120, "fr-FR"),
    Language.RUSSIAN: Facts(Unit.WORDS, 120, "ru-RU"),
    Language.SPANISH: Facts(Unit.WORDS, 120, "es-ES"),
}
DEFAULT = Language.ENGLISH


def facts(language: str) -> Facts:
    return FACTS[language]


def guess_from_script(text: str) -> str | None:
    """Arabic, Chinese or Russian when most of the text's letters are in that language's
    script; None otherwise (the Latin-script languages cannot be told apart this way). For
    statements written before a statement had a language of its own."""
    scripts = {Language.ARABIC: 0, Language.CHINESE: 0, Language.RUSSIAN: 0, None: 0}
    for char in text:
        if not char.isalpha():
            continue
        point = ord(char)
        if 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFEFF:
            scripts[Language.ARABIC] += 1
        elif 0x3400 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or point >= 0x20000:
            scripts[Language.CHINESE] += 1
        elif 0x0400 <= point <= 0x052F:
            scripts[Language.RUSSIAN] += 1
        else:
            scripts[None] += 1
    letters = sum(scripts.values())
    language, most = max(scripts.items(), key=lambda item: item[1])
    return language if language and most * 2 > letters else None
