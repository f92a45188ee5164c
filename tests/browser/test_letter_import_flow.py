import html
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from debateprep.debates.models import Debate
from debateprep.delegations.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_delegation, make_editor, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROMANIA = (
    Path(settings.BASE_DIR)
    / "seeds"
    / "2004-07-20-romania-regional-organizations-stabilization.txt"
)
LINKAGE = "Does the former precede and facilitate the latter?"


def romania_pdf() -> bytes:
    """The Romania letter as a PDF, its Linkage question missing its final question mark so
    that the preview flags it."""
    import weasyprint

    text = ROMANIA.read_text().replace("**", "").replace(LINKAGE, LINKAGE.rstrip("?"))
    return weasyprint.HTML(string=f"<pre>{html.escape(text)}</pre>").write_pdf()


def test_editor_uploads_checks_splits_creates_and_publishes_a_letter(
    live_server, context, tmp_path, console_errors
):
    make_editor()
    make_member(make_delegation("Romania", "ROU"), Membership.Role.DRAFTER, username="ana")
    letter = tmp_path / "romania.pdf"
    letter.write_bytes(romania_pdf())

    page = context.new_page()
    load_url = f"{live_server.url}/admin/debates/debate/load-letter/"
    log_in(page, live_server, load_url, username="editor")
    page.get_by_label("Letter").set_input_files(letter)
    page.get_by_role("button", name="Read the letter").click()

    expect(page.get_by_label("Title")).to_have_value(
        "Cooperation between the United Nations and regional organizations in stabilization "
        "processes"
    )
    linkage = page.locator("#question-3")
    expect(linkage).to_contain_text("Question 3 does not end with a question mark")
    expect(page.locator('pre.letter-source mark[data-question="3"]')).to_contain_text("Linkage")
    expect(page.locator(".letter-question textarea:not(:empty)")).to_have_count(10)

    linkage.get_by_role("button", name="Split").click()
    expect(page.locator("#question-3 textarea")).to_have_value(
        "Given the economic purposes of many subregional and regional organizations, what is "
        "the relationship between regional economic integration and regional security?"
    )
    expect(page.locator("#question-4 textarea")).to_have_value(LINKAGE.rstrip("?"))
    page.locator("#question-4 textarea").fill(LINKAGE)

    page.get_by_role("button", name="Create the debate (unpublished)").click()
    expect(page.locator(".messagelist")).to_contain_text("11 guiding questions")
    debate = Debate.objects.get()
    assert debate.status == Debate.Status.DRAFT
    assert debate.questions.get(order=4).text == LINKAGE

    page.get_by_role("button", name="Publish to delegations").click()
    expect(page.locator(".messagelist")).to_contain_text("is published to delegations")
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
    assert console_errors == []

    delegate = context.browser.new_context()
    try:
        delegate_page = delegate.new_page()
        log_in(delegate_page, live_server, f"{live_server.url}/debates/")
        expect(delegate_page.get_by_text(debate.title).first).to_be_visible()
    finally:
        delegate.close()
