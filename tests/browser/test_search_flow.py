import pytest
from playwright.sync_api import expect

from debateprep.delegations.models import Delegation
from debateprep.drafting.models import Answer, Statement
from tests.browser.conftest import answer_box, log_in
from tests.factories import make_delegation, write_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_delegate_finds_what_they_typed_and_goes_to_it(
    live_server, context, statement_url, console_errors
):
    """Typed and saved a moment ago, found from the header's box, narrowed as they type on the
    search page (whose address follows), opened at the answer; another delegation's answer
    holding the same word is never shown."""
    page = context.new_page()
    log_in(page, live_server, statement_url)
    box = answer_box(page, 2)
    box.press_sequentially("Our zanzibarite proposal on early warning.", delay=5)
    answer = page.locator("article.answer").filter(has_text="Question 2?")
    expect(answer.locator(".answer-status")).to_contain_text("Saved at")
    debate = Statement.objects.get().debate
    write_statement(debate, make_delegation("France", "FRA"), "", "A zanzibarite reservation.")

    page.get_by_placeholder("Search debates and statements").fill("zanzibarite")
    page.get_by_placeholder("Search debates and statements").press("Enter")
    results = page.locator("#search-results")
    expect(results.locator("mark")).to_have_text(["zanzibarite"])
    expect(results).not_to_contain_text("reservation")

    search = page.get_by_label("Words to find in debates, letters, guiding questions and your")
    search.fill("zanzibarite elephants")
    expect(results).to_contain_text("Nothing found for “zanzibarite elephants”.")
    expect(page).to_have_url(f"{live_server.url}/search/?q=zanzibarite%20elephants")
    search.fill("zanzibarite proposal")
    expect(results.locator("mark")).to_have_count(2)

    results.get_by_role("link", name="Romania: Label 2").click()
    romania = Delegation.objects.get(code="ROU")
    place = Answer.objects.get(statement__delegation=romania, question__order=2)
    expect(page).to_have_url(f"{live_server.url}{place.get_absolute_url()}")
    expect(answer_box(page, 2)).to_have_value("Our zanzibarite proposal on early warning.")
    assert console_errors == []
