"""One search box: debates, letters, guiding questions and answers, ranked, with the words found
marked and a link to each place; never another delegation's text. The same results on SQLite
(its stand-in) and on PostgreSQL (full-text search), which the suite runs on in turn."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from debateprep.debates.models import Debate
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.languages import Language
from tests.factories import make_debate, make_delegation, make_member, write_statement

pytestmark = pytest.mark.django_db

UNUSUAL = "zanzibarite"


def search(client, query: str, **headers):
    response = client.get(reverse("search:search"), {"q": query}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def sections(page: str) -> dict[str, list[str]]:
    """Each section's heading and the addresses of its results, in order."""
    found = {}
    for heading, body in re.findall(r"<h2>(.*?)</h2>(.*?)</section>", page, re.S):
        found[heading] = re.findall(r'<li>\s*<a href="([^"]+)"', body)
    return found


@pytest.fixture
def two_delegations(debate, romania, france):
    """Romania and France, each writing the same unusual word in their answer to question 1."""
    ours = write_statement(debate, romania, f"Romania's {UNUSUAL} position on mediation.")
    theirs = write_statement(debate, france, f"France's secret {UNUSUAL} reservation.")
    return ours, theirs


def test_a_delegate_finds_their_own_answer_and_never_another_delegations(
    client, drafter, two_delegations
):
    ours, theirs = two_delegations
    client.force_login(drafter)
    page = search(client, UNUSUAL)
    assert sections(page)["Answers"] == [ours.answers.get(question__order=1).get_absolute_url()]
    assert f"Romania&#x27;s <mark>{UNUSUAL}</mark> position" in page
    assert "France" not in page
    assert "secret" not in page
    assert theirs.get_absolute_url() not in page


def test_the_other_delegation_finds_only_theirs(client, other_drafter, two_delegations):
    _ours, theirs = two_delegations
    client.force_login(other_drafter)
    page = search(client, UNUSUAL)
    assert sections(page)["Answers"] == [theirs.answers.get(question__order=1).get_absolute_url()]
    assert "Romania" not in page
    assert "mediation" not in page


def test_an_editor_finds_every_delegations_answer(client, editor, two_delegations):
    client.force_login(editor)
    found = sections(search(client, UNUSUAL))["Answers"]
    assert sorted(found) == sorted(
        statement.answers.get(question__order=1).get_absolute_url() for statement in two_delegations
    )


def test_a_delegate_does_not_find_debates_they_may_not_read(client, drafter, romania):
    make_debate(title="Open debate on mediation")
    make_debate(title="Draft debate on mediation", status=Debate.Status.DRAFT)
    make_debate(title="Closed debate on mediation", invited_only=True)
    client.force_login(drafter)
    page = search(client, "mediation")
    assert "Open debate on <mark>mediation</mark>" in page
    assert "Draft debate" not in page
    assert "Closed debate" not in page


def test_debates_letters_and_questions_are_found_with_a_link_to_each(client, drafter):
    debate = make_debate(
        title="Peace and security in Africa",
        letter_text="The Council will consider the smooth transition from regional operations.",
    )
    debate.questions.filter(order=2).update(text="How can the transition be made smooth?")
    client.force_login(drafter)
    found = sections(search(client, "transition"))
    assert found["Letters"] == [f"{debate.get_absolute_url()}#letter"]
    assert found["Guiding questions"] == [f"{debate.get_absolute_url()}#question-2"]
    assert "Debates" not in found
    assert sections(search(client, "Africa"))["Debates"] == [debate.get_absolute_url()]


def test_the_answer_holding_the_words_most_comes_first(client, drafter, debate, romania):
    write_statement(
        debate,
        romania,
        "Capacity building matters, though other things matter more.",
        "Capacity, capacity and again capacity: regional capacity first.",
    )
    client.force_login(drafter)
    found = sections(search(client, "capacity"))["Answers"]
    assert [address.rsplit("#", 1)[1] for address in found] == [
        f"answer-question-{debate.questions.get(order=order).pk}" for order in (2, 1)
    ]


def test_a_word_is_found_in_other_forms_and_cases(client, drafter, debate, romania):
    write_statement(debate, romania, "Regional organizations and their TRANSITIONS.")
    client.force_login(drafter)
    assert "Answers" in sections(search(client, "transition"))
    assert "Answers" in sections(search(client, "regional organization"))


def test_every_word_must_appear_and_a_minus_leaves_one_out(client, drafter, debate, romania):
    write_statement(debate, romania, f"{UNUSUAL} and mediation.", f"{UNUSUAL} and finance.")
    client.force_login(drafter)
    assert len(sections(search(client, f"{UNUSUAL} mediation"))["Answers"]) == 1
    assert len(sections(search(client, f"{UNUSUAL} -mediation"))["Answers"]) == 1
    assert "Answers" not in sections(search(client, f"{UNUSUAL} elephants"))


def test_a_phrase_in_quotes_is_found_as_written(client, drafter, debate, romania):
    write_statement(debate, romania, "A smooth transition.", "A transition that is smooth.")
    client.force_login(drafter)
    assert len(sections(search(client, '"smooth transition"'))["Answers"]) == 1


def test_the_text_found_never_becomes_markup(client, drafter, debate, romania):
    """(PostgreSQL's excerpts leave out what looks like a tag; SQLite's show it escaped.)"""
    write_statement(debate, romania, f"<script>alert(1)</script> <b>{UNUSUAL}</b> \x02 x < y")
    client.force_login(drafter)
    page = search(client, UNUSUAL)
    excerpt = re.search(r'<p class="excerpt" dir="auto">(.*?)</p>', page, re.S).group(1)
    assert "<script>" not in page
    assert "<b>" not in excerpt
    assert "alert(1)" in excerpt
    assert f"<mark>{UNUSUAL}</mark>" in excerpt
    assert "x &lt; y" in excerpt
    assert excerpt.count("<mark>") == excerpt.count("</mark>")


def test_a_long_answer_is_shown_around_the_words_found(client, drafter, debate, romania):
    filler = " ".join(["preamble"] * 400)
    write_statement(debate, romania, f"{filler} the {UNUSUAL} clause {filler}")
    client.force_login(drafter)
    page = search(client, UNUSUAL)
    excerpt = re.search(r'<p class="excerpt" dir="auto">(.*?)</p>', page, re.S).group(1)
    assert f"<mark>{UNUSUAL}</mark>" in excerpt
    assert len(excerpt.split()) < 60


@pytest.mark.parametrize(
    ("language", "text", "query", "found"),
    [
        (Language.CHINESE, "我们支持区域组织发挥比较优势。", "区域组织", True),
        (Language.CHINESE, "我们支持区域组织发挥比较优势。", "组织区域", False),
        (
            Language.FRENCH,
            "Les organisations régionales ont un rôle.",
            "organisations régionales",
            True,
        ),
        (Language.RUSSIAN, "Региональные организации играют роль.", "региональные", True),
        (Language.SPANISH, "Las organizaciones regionales.", "organizaciones", True),
        (Language.ARABIC, "المنظمات الإقليمية", "الإقليمية", True),
    ],
)
def test_answers_are_found_in_their_statements_language(
    client, drafter, debate, romania, language, text, query, found
):
    statement = write_statement(debate, romania)
    statement.set_language(language, by=drafter)
    write_statement(debate, romania, text)
    client.force_login(drafter)
    page = search(client, query)
    assert ("Answers" in sections(page)) is found
    if found:
        assert "<mark>" in page


def test_a_change_of_language_is_followed_by_search(client, drafter, debate, romania):
    """PostgreSQL keeps each answer's lexemes in its statement's language: they are made again
    when the language changes, or a French answer stemmed as English would be missed."""
    write_statement(debate, romania, "Les négociations continuent.")
    Statement.objects.get(delegation=romania).set_language(Language.FRENCH, by=drafter)
    client.force_login(drafter)
    assert "Answers" in sections(search(client, "négociation"))


def test_an_answer_saved_a_moment_ago_is_found_before_search_indexes_it(
    client, drafter, debate, romania, monkeypatch
):
    write_statement(debate, romania, f"Typed a moment ago: {UNUSUAL}.")
    monkeypatch.setattr(Answer.objects, "index_for_search", lambda: None)
    client.force_login(drafter)
    assert f"<mark>{UNUSUAL}</mark>" in search(client, UNUSUAL)


def test_a_save_or_a_change_of_language_leaves_no_stale_lexemes(client, drafter, debate, romania):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL keeps lexemes")
    statement = write_statement(debate, romania, "First words.")
    client.force_login(drafter)
    search(client, "words")
    answer = statement.answers.filter(part="question", question__order=1)
    assert answer.filter(search__isnull=False).exists()
    statement.set_language(Language.FRENCH, by=drafter)
    assert answer.filter(search__isnull=True).exists()
    search(client, "words")
    answer.update(text="Second words.")
    assert answer.filter(search__isnull=True).exists()


def test_typing_in_the_box_draws_the_results_alone(client, drafter, two_delegations):
    client.force_login(drafter)
    page = search(client, UNUSUAL, HTTP_HX_REQUEST="true")
    assert page.lstrip().startswith('<div id="search-results"')
    assert "<html" not in page
    assert f"<mark>{UNUSUAL}</mark>" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?!", "Type a word to search for."),
        # Only what is left out: it would find everything.
        (f"-{UNUSUAL} -mediation", "Type a word to search for."),
        ("x" * 201, "Search for at most 200 characters."),
        ("", "This field is required."),
    ],
)
def test_a_query_that_cannot_be_searched_says_why(client, drafter, query, message):
    client.force_login(drafter)
    page = search(client, query)
    assert message in page
    assert 'value="' + query[:20] in page or not query


def test_a_run_of_minus_signs_counts_as_one(client, drafter, debate, romania):
    """PostgreSQL cannot read 33 minus signs in a row: it failed with a server error."""
    write_statement(debate, romania, f"{UNUSUAL} and mediation.", f"{UNUSUAL} and finance.")
    client.force_login(drafter)
    page = search(client, f"{UNUSUAL} {'-' * 40}mediation")
    assert len(sections(page)["Answers"]) == 1
    assert "finance" in page
    assert len(sections(search(client, f"{UNUSUAL} {'- ' * 40}mediation"))["Answers"]) == 1


def test_characters_nobody_types_are_left_out_of_the_search_and_the_page(
    client, drafter, debate, romania
):
    write_statement(debate, romania, f"The {UNUSUAL} clause.")
    client.force_login(drafter)
    page = search(client, f"{UNUSUAL}\x02\x00\x1b")
    assert f"<mark>{UNUSUAL}</mark>" in page
    assert not any(character in page for character in "\x00\x02\x03\x1b")


def test_the_page_without_a_query_shows_the_box(client, drafter):
    client.force_login(drafter)
    page = client.get(reverse("search:search")).content.decode()
    assert 'name="q"' in page
    assert "required" in page
    assert 'role="alert"' not in page
    # A long paste is not cut short by the browser: the server says what the limit is.
    assert "maxlength" not in page


def test_nothing_found_says_so(client, drafter, two_delegations):
    client.force_login(drafter)
    assert "Nothing found for “elephants”." in search(client, "elephants")


@pytest.mark.parametrize("who", ["drafter", "editor"])
def test_the_search_reads_the_same_few_queries_however_much_it_finds(
    client, django_assert_num_queries, debate, romania, france, who, request
):
    user = request.getfixturevalue(who)
    for number in range(12):
        delegation = make_delegation(f"Delegation {number}", f"D{number:02}")
        make_member(delegation, username=f"member-{number}")
        write_statement(make_debate(), delegation, f"{UNUSUAL} {number}")
    write_statement(debate, romania, f"{UNUSUAL} ours", f"{UNUSUAL} again")
    client.force_login(user)
    search(client, UNUSUAL)
    # The session with its user, the editors' group for an editor, then one query a kind; on
    # PostgreSQL also the lexemes of answers saved since the last search, and the searches'
    # transaction (begun, set to plan for the words asked, ended).
    expected = 5 + (who == "editor") + 4 * (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        page = search(client, UNUSUAL)
    if who == "editor":
        assert len(sections(page)["Answers"]) == 10
        assert "More were found than are shown here" in page


def test_the_indexes_serve_the_search_on_postgresql(editor):
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING gin%' ORDER BY 1"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == ["answer_search", "debate_letter_search", "debate_search", "question_search"]
