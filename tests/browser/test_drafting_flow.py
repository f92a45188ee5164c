import pytest
from playwright.sync_api import expect

from debateprep.delegations.models import Delegation, Membership
from debateprep.drafting.models import Answer, Statement
from tests.browser.conftest import answer_box, log_in
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_answer_saves_by_itself_and_is_there_after_reload(
    live_server, context, statement_url, console_errors
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    box = answer_box(page, 1)
    box.press_sequentially("We welcome the focus on regional organizations.", delay=10)
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator(".answer-status")).to_contain_text("Saved at")
    expect(answer.locator("[data-word-count]")).to_have_text("7")
    expect(page.locator("[data-total-words]")).to_have_text("7")

    page.reload()
    expect(answer_box(page, 1)).to_have_value("We welcome the focus on regional organizations.")
    assert Answer.objects.get(question__order=1).version >= 1
    assert console_errors == []


def test_two_tabs_never_overwrite_each_other(live_server, context, statement_url):
    first = context.new_page()
    log_in(first, live_server, statement_url)
    second = context.new_page()
    second.goto(statement_url)

    answer_box(first, 2).fill("Text from the first tab.")
    expect(first.locator("article.answer").filter(has_text="Question 2?")).to_contain_text(
        "Saved at"
    )

    answer_box(second, 2).fill("Text from the second tab.")
    conflict = second.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("[data-their-text]")).to_have_value("Text from the first tab.")
    assert Answer.objects.get(question__order=2).text == "Text from the first tab."

    conflict.get_by_role("button", name="Keep both").click()
    expect(answer_box(second, 2)).to_have_value(
        "Text from the second tab.\n\nText from the first tab."
    )
    expect(second.locator(".conflict")).to_have_count(0)

    first.reload()
    expect(answer_box(first, 2)).to_have_value(
        "Text from the second tab.\n\nText from the first tab."
    )


def test_save_button_works_without_javascript(live_server, browser, statement_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, statement_url)
    answer_box(page, 3).fill("Saved by pressing the button.")
    page.locator("article.answer").filter(has_text="Question 3?").get_by_role(
        "button", name="Save"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    expect(answer_box(page, 3)).to_have_value("Saved by pressing the button.")
    context.close()


def test_text_typed_while_the_server_is_unreachable_survives_closing_the_tab(
    live_server, context, statement_url
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    page.route("**/answers/**", lambda route: route.abort())
    answer_box(page, 1).fill("Typed while the connection was down.")
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator(".note")).to_contain_text("could not be reached")
    page.close()

    page = context.new_page()
    page.goto(statement_url)
    expect(answer_box(page, 1)).to_have_value("Typed while the connection was down.")
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator(".answer-status")).to_contain_text("Saved")
    assert Answer.objects.get(question__order=1).text == "Typed while the connection was down."


def type_after_logging_out_elsewhere(live_server, context, statement_url):
    """Log in, log out in another tab, then type: the autosave meets an ended session.
    Returns the page, the other tab, and the answer typed in."""
    page = context.new_page()
    log_in(page, live_server, statement_url)
    elsewhere = context.new_page()
    elsewhere.goto(statement_url)
    elsewhere.get_by_role("button", name="Log out").click()
    elsewhere.wait_for_url("**/login/")
    answer_box(page, 1).fill("Typed after the session ended.")
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator(".note")).to_contain_text("your session has ended")
    return page, elsewhere, answer


def test_autosave_after_logging_out_elsewhere_keeps_the_text_and_says_why(
    live_server, context, statement_url
):
    page, _, _ = type_after_logging_out_elsewhere(live_server, context, statement_url)
    expect(answer_box(page, 1)).to_have_value("Typed after the session ended.")


def test_after_logging_in_again_elsewhere_save_keeps_the_typed_text(
    live_server, context, statement_url
):
    _, elsewhere, answer = type_after_logging_out_elsewhere(live_server, context, statement_url)
    log_in(elsewhere, live_server, statement_url)
    answer.get_by_role("button", name="Save").click()
    expect(answer.locator(".answer-status .saved")).to_be_visible()
    assert Answer.objects.get(question__order=1).text == "Typed after the session ended."


def test_lead_confirms_before_marking_the_statement_final(live_server, context, statement_url):
    Membership.objects.filter(user__username="ana").update(role=Membership.Role.LEAD)
    page = context.new_page()
    log_in(page, live_server, statement_url)
    # Every guiding question answered: the statement is ready to be made final.
    for number in (1, 2, 3):
        answer_box(page, number).fill(f"Our answer {number}.")
        expect(
            page.locator("article.answer").filter(has_text=f"Question {number}?")
        ).to_contain_text("Saved at")
    page.reload()

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Mark final").click()
    expect(page.locator(".statement-status")).to_have_text("Draft")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mark final").click()
    expect(page.locator(".statement-status")).to_contain_text("read-only until a lead reopens it")
    expect(answer_box(page, 1)).to_have_count(0)


def test_text_refused_because_the_statement_became_final_comes_back_when_it_reopens(
    live_server, context, statement_url
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    answer_box(page, 1).fill("Saved before it was made final.")
    expect(answer.locator(".answer-status .saved")).to_be_visible()
    Statement.objects.update(status=Statement.Status.FINAL)

    answer_box(page, 1).fill("Typed after it was made final.")
    expect(answer.locator(".answer-status .error")).to_contain_text("final")
    page.reload()
    expect(answer.locator(".note")).to_contain_text("kept in this browser")

    Statement.objects.update(status=Statement.Status.DRAFT)
    page.reload()
    expect(answer_box(page, 1)).to_have_value("Typed after it was made final.")
    expect(answer.locator(".answer-status .saved")).to_be_visible()
    assert Answer.objects.get(question__order=1).text == "Typed after it was made final."


def test_unsaved_text_comes_back_only_for_the_person_who_typed_it(
    live_server, context, statement_url
):
    make_member(Delegation.objects.get(code="ROU"), username="bob")
    page = context.new_page()
    log_in(page, live_server, statement_url)
    page.route("**/answers/**", lambda route: route.abort())
    answer_box(page, 1).fill("Ana's unsaved words.")
    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator(".note")).to_contain_text("could not be reached")
    page.close()

    page = context.new_page()
    log_in(page, live_server, statement_url, username="bob")
    expect(answer_box(page, 1)).to_have_value("")
    page.wait_for_timeout(1500)
    assert not Answer.objects.filter(text="Ana's unsaved words.").exists()

    log_in(page, live_server, statement_url)
    expect(answer_box(page, 1)).to_have_value("Ana's unsaved words.")
    expect(
        page.locator("article.answer").filter(has_text="Question 1?").locator(".saved")
    ).to_be_visible()
    assert Answer.objects.get(question__order=1).updated_by.username == "ana"
