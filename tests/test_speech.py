from debateprep.lib.speech import SpeakingTime, count_words


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
