import pytest
from playwright.sync_api import expect

from debateprep.delegations.models import Membership
from debateprep.drafting.models import Answer, Revision, Statement
from tests.browser.conftest import log_in, wait_for_the_live_server
from tests.factories import make_debate, make_delegation, make_member, open_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_ANSWER = "We support regional organizations in early warning."


def answer(page, number):
    return page.locator("article.answer").filter(has_text=f"Question {number}?")


def test_a_team_reviews_and_approves_a_statement(live_server, browser, settings):
    # Presence is asked for every 2 seconds here, instead of every 12, to keep the test short.
    settings.PRESENCE_POLL_SECONDS = 2
    debate = make_debate(questions=3)
    romania = make_delegation("Romania", "ROU")
    make_member(romania, Membership.Role.REVIEWER, username="rita")
    ana = make_member(romania, Membership.Role.DRAFTER, username="ana")
    make_member(romania, Membership.Role.LEAD, username="leo")
    first = open_statement(debate, romania).answers.get(question__order=1)
    first.save_text(FIRST_ANSWER, base_version=0, by=ana)
    url = f"{live_server.url}/debates/{debate.slug}/ROU/"
    contexts = [browser.new_context() for _ in range(3)]
    for context in contexts:
        context.set_default_timeout(10_000)
    reviewer, drafter, lead = (context.new_page() for context in contexts)

    # The reviewer cannot type in the answer; she selects a passage and suggests for it alone,
    # then comments.
    log_in(reviewer, live_server, url, "rita")
    one = answer(reviewer, 1)
    one.get_by_role("link", name="Comments and suggestions").click()
    one.locator("textarea[data-answer-readonly]").evaluate(
        """box => {
            const start = box.value.indexOf("early warning");
            box.focus();
            box.setSelectionRange(start, start + "early warning".length);
            box.dispatchEvent(new Event("select", {bubbles: true}));
        }"""
    )
    expect(one.locator(".new-suggestion [data-quote-preview]")).to_contain_text("early warning")
    one.get_by_label("Replace the selected passage with").fill("early warning and mediation")
    one.get_by_role("button", name="Suggest", exact=True).click()
    expect(one.locator(".suggestion ins")).to_have_text(" and mediation")
    one.get_by_label("Comment", exact=True).fill("Which organizations?")
    one.get_by_role("button", name="Comment", exact=True).click()
    expect(one.locator(".comment-thread")).to_contain_text("Which organizations?")

    # The drafter sees both, replies, and accepts the suggestion.
    log_in(drafter, live_server, url, "ana")
    mine = answer(drafter, 1)
    expect(mine.locator(".review-link")).to_contain_text("1 open comment, 1 suggestion")
    mine.get_by_role("link", name="Comments and suggestions").click()
    mine.get_by_label("Reply", exact=True).fill("The AU and the EU.")
    mine.get_by_role("button", name="Reply", exact=True).click()
    expect(mine.locator(".comment-thread")).to_contain_text("The AU and the EU.")
    mine.get_by_role("button", name="Accept").click()
    accepted = "We support regional organizations in early warning and mediation."
    expect(answer(drafter, 1).locator("textarea[data-answer-text]")).to_have_value(accepted)
    revision = Answer.objects.get(pk=first.pk).revisions.first()
    assert (revision.kind, revision.author.username, revision.accepted_by) == (
        Revision.Kind.SUGGESTION,
        "rita",
        ana,
    )

    # While the drafter types in the second answer, the reviewer sees it beside that answer.
    answer(drafter, 2).locator("textarea[data-answer-text]").press_sequentially(
        "Our view is that the Council should hear regional organizations early.", delay=60
    )
    expect(answer(reviewer, 2).locator(".typing")).to_contain_text("ana is typing here")
    expect(reviewer.locator(".presence")).to_contain_text("Also here: ana")
    expect(answer(drafter, 2).locator(".answer-status")).to_contain_text("Saved at")

    # The lead marks the third question "no position" and approves.
    log_in(lead, live_server, url, "leo")
    third = answer(lead, 3)
    third.get_by_role("button", name="Mark: no position on this question").click()
    expect(answer(lead, 3)).to_contain_text("No position on this question")
    lead.once("dialog", lambda dialog: dialog.accept())
    lead.get_by_role("button", name="Mark final").click()
    expect(lead.locator(".statement-status")).to_contain_text("Final")
    assert Statement.objects.get().status == Statement.Status.FINAL
    expect(lead.locator(".trail")).to_contain_text("Draft → Final")

    # Final: every box is read-only, and looks it.
    boxes = lead.locator("article.answer textarea")
    expect(boxes).to_have_count(5)
    for index in range(5):
        expect(boxes.nth(index)).to_have_attribute("readonly", "")
    assert boxes.first.evaluate("box => getComputedStyle(box).borderTopStyle") == "dashed"
    expect(lead.locator("button.save")).to_have_count(0)
    for context in contexts:
        context.close()
    wait_for_the_live_server()
