import pytest
from playwright.sync_api import expect

from debateprep.drafting.models import Answer
from tests.browser.conftest import answer_box, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_over_an_answer_then_restoring_it_from_its_history(
    live_server, context, statement_url, console_errors
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    box = answer_box(page, 1)
    box.fill("Our considered position on subsidiarity.")
    expect(answer.locator(".answer-status .saved")).to_be_visible()

    box.press("Control+A")
    box.press_sequentially("oops")
    expect(answer.locator(".answer-status .saved")).to_be_visible()
    expect(box).to_have_value("oops")

    answer.get_by_role("link", name="History").click()
    history = answer.locator(".history")
    expect(history).to_be_focused()
    expect(history.locator(".diff del")).to_contain_text("considered position")
    expect(history.locator(".diff ins")).to_contain_text("oops")

    history.locator(".revision").filter(has_text="Version 1").get_by_role(
        "button", name="Restore this version"
    ).click()
    expect(answer_box(page, 1)).to_have_value("Our considered position on subsidiarity.")
    expect(answer_box(page, 1)).to_be_focused()
    saved = Answer.objects.get(question__order=1)
    assert saved.text == "Our considered position on subsidiarity."
    assert list(saved.revisions.order_by("version").values_list("text", flat=True)) == [
        "Our considered position on subsidiarity.",
        "oops",
        "Our considered position on subsidiarity.",
    ]
    assert console_errors == []
