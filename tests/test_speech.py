import time

import pytest

from debateprep.lib.languages import FACTS, Language, Unit, guess_from_script
from debateprep.lib.speech import SpeakingTime, count, count_characters, count_in, count_words


def test_words_are_runs_with_a_letter_or_digit_so_punctuation_alone_is_not_counted():
    assert count_words("Monsieur le Président — « Citation » 2024 l\u2019ONU.") == 6
    assert count_words("") == 0


def test_speaking_time_rounds_up_to_the_second_and_reads_as_a_clock():
    time = SpeakingTime.of(121, 120, limit_seconds=60)
    assert (time.seconds, time.clock, time.limit_clock, time.over_limit) == (
        61,
        "1:01",
        "1:00",
        True,
    )


@pytest.mark.parametrize(
    ("text", "characters"),
    [
        ("主席先生，我们欢迎这次辩论。", 12),  # full-width punctuation is not counted
        ("“联合国”！", 3),
        ("安理会第1325号决议", 8),  # a number counts once
        ("UN Women和COVID-19疫情", 6),  # so does any other word
        ("好🙂👍", 1),  # emoji are not counted
        ("コーヒーを飲みます", 9),  # Japanese kana and the long-vowel mark
        ("𠀀𠀁", 2),  # beyond the basic plane
        ("。，、……", 0),
        ("", 0),
    ],
)
def test_chinese_is_counted_character_by_character_without_punctuation(text, characters):
    assert count_characters(text) == characters


def test_text_without_chinese_counts_the_same_in_words_and_characters():
    for text in ["Mr. President, we agree — fully.", "السيد الرئيس، نشكركم.", "Да — 2024 г."]:
        assert count_characters(text) == count_words(text)


def test_each_language_counts_in_its_unit():
    text = "我们支持联合国。"
    assert count_in(text, Language.CHINESE) == 7
    for language in (Language.ENGLISH, Language.ARABIC, Language.FRENCH):
        assert count_in(text, language) == 1


def test_a_speaking_time_names_its_unit():
    assert SpeakingTime.of(1, 120).length == "1 word"
    time = SpeakingTime.of(240, 160, unit=Unit.CHARACTERS)
    assert (time.length, time.unit_label, time.clock) == ("240 characters", "characters", "1:30")


def test_every_default_rate_has_a_source_or_says_it_is_an_estimate():
    assert FACTS[Language.ENGLISH].rate == 120
    assert FACTS[Language.CHINESE].rate == 160
    for language, known in FACTS.items():
        assert known.is_estimate or "jostrans.org" in known.source, language
        assert ("estimate" in known.rate_note) == known.is_estimate
    assert {FACTS[language].direction for language in Language} == {"ltr", "rtl"}
    assert [language for language in Language if FACTS[language].rtl] == [Language.ARABIC]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("主席先生，我们支持UN。", Language.CHINESE),
        ("السيد الرئيس، نشكركم على UN.", Language.ARABIC),
        ("Господин Председатель, мы за ООН.", Language.RUSSIAN),
        ("Monsieur le Président", None),
        ("We quote 和谐 once.", None),
        ("", None),
    ],
)
def test_the_script_tells_arabic_chinese_and_russian_apart(text, language):
    assert guess_from_script(text) == language


@pytest.mark.parametrize("unit", [Unit.WORDS, Unit.CHARACTERS])
def test_a_long_run_without_a_word_is_counted_in_linear_time(unit):
    # A pattern that tried every start inside a run of 20,000 dashes took seconds a save, with
    # a worker held; counted once from the run's start it takes milliseconds.
    started = time.perf_counter()
    assert count("—" * 20_000, unit) == 0
    assert count("-" * 20_000 + "a", unit) == 1
    assert time.perf_counter() - started < 0.5
