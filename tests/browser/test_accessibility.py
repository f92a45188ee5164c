"""WCAG 2.1 AA in a real browser: axe-core and the Nu HTML Checker on every page a delegate or
an editor reaches (the admin no worse than Django's own), the layout at a phone's, a tablet's
and a desktop's width, and the drafting page used with the keyboard alone."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import path, reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from debateprep.delegations import services
from debateprep.delegations.models import Membership
from debateprep.drafting.models import Answer, Statement
from debateprep.jobs.models import ExportJob, WorkerBeat
from debateprep.urls import urlpatterns as site_urlpatterns
from tests.browser.conftest import answer_box, log_in, unavailable
from tests.factories import (
    make_debate,
    make_delegation,
    make_editor,
    make_member,
    make_user,
    open_statement,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = [320, 768, 1280]

LETTER = (
    Path(settings.BASE_DIR)
    / "seeds"
    / "2004-07-20-romania-regional-organizations-stabilization.txt"
)
ANSWER = "We welcome the cooperation of the Council with regional organizations in Africa."

# Django's own admin, untouched, beside ours: what ours is measured against.
django_admin = admin.AdminSite(name="django_admin")
django_admin.register(User, UserAdmin)
django_admin.register(Group, GroupAdmin)
django_admin.register(Membership, autocomplete_fields=["user"])
urlpatterns = [path("django-admin/", django_admin.urls), *site_urlpatterns]


def axe_violations(page) -> dict[str, list]:
    """axe-core's WCAG 2.1 A and AA rules that the page breaks, with where."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = AXE.run(page, options=options).response
    return {
        rule["id"]: [node["target"] for node in rule["nodes"]] for rule in results["violations"]
    }


@pytest.fixture(scope="session")
def nu_checker():
    """Checks named HTML documents with the Nu HTML Checker, all in one run of Java: the
    errors of each document that has any, as "line: message"."""
    if not shutil.which("java") or not VNU_JAR.exists():
        unavailable(f"Java or {VNU_JAR} is missing: `make test` installs them")

    def check(documents: dict[str, str]) -> dict[str, list[str]]:
        with tempfile.TemporaryDirectory() as folder:
            files = {}
            for number, (name, html) in enumerate(documents.items()):
                files[f"{number}.html"] = name
                Path(folder, f"{number}.html").write_text(html)
            run = subprocess.run(
                ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
                + [str(Path(folder, file)) for file in files],
                capture_output=True,
                text=True,
                check=False,
            )
        try:
            messages = json.loads(run.stdout)["messages"]
        except ValueError:
            pytest.fail(f"The Nu HTML Checker did not run: {run.stderr}")
        errors: dict[str, list[str]] = {}
        for message in messages:
            name = files.get(Path(message.get("url", "")).name, "?")
            errors.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
        return errors

    return check


class Crawl:
    """Pages as a person reaches them: axe checks each as it is shown; the Nu checker checks
    them all at the end: the HTML as sent, or for a state reached by using the page, as the
    browser holds it then."""

    def __init__(self, page) -> None:
        self.page = page
        self.violations: dict[str, dict] = {}
        self.documents: dict[str, str] = {}

    def visit(self, name: str, url: str) -> None:
        response = self.page.goto(url)
        self.check(name, response.text())

    def check(self, name: str, html: str | None = None) -> None:
        if found := axe_violations(self.page):
            self.violations[name] = found
        self.documents[name] = self.page.content() if html is None else html

    def assert_clean(self, nu_checker) -> None:
        assert self.violations == {}
        assert nu_checker(self.documents) == {}

    def findings(self, nu_checker) -> dict[str, set[str]]:
        """Per page, the axe rules it breaks and the Nu checker's messages."""
        found = {name: set(rules) for name, rules in self.violations.items()}
        for name, errors in nu_checker(self.documents).items():
            found.setdefault(name, set()).update(error.split(": ", 1)[1] for error in errors)
        return found


@dataclass
class Site:
    """A debate with its letter, and Romania's statement on it written, in review, with
    comments, a suggestion, a history, an open invitation and exports under way."""

    url: str
    debate_url: str
    statement_url: str
    invitation_url: str
    pending_job_url: str
    done_job_url: str
    compendium_job_url: str
    statement: Statement


@pytest.fixture
def site(live_server, settings) -> Site:
    settings.EXPORT_BACKGROUND_WORDS = 20
    debate = make_debate(questions=3, letter_text=LETTER.read_text())
    romania = make_delegation("Romania", "ROU")
    ana = make_member(romania, Membership.Role.DRAFTER, username="ana", email="ana@example.org")
    leo = make_member(romania, Membership.Role.LEAD, username="leo", email="leo@example.org")
    rita = make_member(romania, Membership.Role.REVIEWER, username="rita")
    make_editor()
    statement = open_statement(debate, romania)
    first, second, third = (statement.answers.get(question__order=order) for order in (1, 2, 3))
    first.save_text("We welcome the cooperation.", base_version=0, by=ana)
    second.save_text(ANSWER, base_version=0, by=ana)
    third.save_text(ANSWER, base_version=0, by=leo)
    statement.refresh_from_db()
    statement.set_status(Statement.Status.IN_REVIEW, by=leo, reason="Please read it.")
    first.refresh_from_db()
    first.save_text(ANSWER, base_version=1, by=ana)
    first.save_text(f"{ANSWER} And in Europe.", base_version=2, by=leo)
    thread = first.add_comment("Which organizations?", by=rita, quote="regional organizations")
    first.add_comment("The African Union and the European Union.", by=ana, thread=thread)
    first.add_suggestion(
        f"{ANSWER} And in Asia.",
        by=rita,
        base_version=3,
        base_text=f"{ANSWER} And in Europe.",
        note="Asia too.",
    )
    _, token = services.invite(
        delegation=romania, email="new@example.org", role=Membership.Role.DRAFTER, by=leo
    )
    WorkerBeat.objects.create(worker_id="test-worker", seen_at=timezone.now())
    job = {"debate": debate, "format": "pdf", "fingerprint": "test"}
    pending = [
        ExportJob.objects.create(
            kind=ExportJob.Kind.STATEMENT, delegation=romania, requested_by=ana, **job
        )
        for _ in range(2)
    ]
    done = ExportJob.objects.create(
        kind=ExportJob.Kind.STATEMENT,
        delegation=romania,
        requested_by=ana,
        status=ExportJob.Status.DONE,
        progress=1,
        content=b"%PDF-",
        filename="statement.pdf",
        display_name="Statement of Romania.pdf",
        **job,
    )
    compendium = ExportJob.objects.create(kind=ExportJob.Kind.COMPENDIUM, **job)
    url = live_server.url
    return Site(
        url=url,
        debate_url=f"{url}/debates/{debate.slug}/",
        statement_url=f"{url}/debates/{debate.slug}/ROU/",
        invitation_url=f"{url}{reverse('delegations:invitation', args=[token])}",
        pending_job_url=f"{url}{pending[0].get_absolute_url()}",
        done_job_url=f"{url}{done.get_absolute_url()}",
        compendium_job_url=f"{url}{compendium.get_absolute_url()}",
        statement=statement,
    )


def answer_article(page, number: int):
    return page.locator("article.answer").filter(has_text=f"Question {number}?")


def log_out(page) -> None:
    page.context.clear_cookies()


def test_every_page_a_delegate_reaches_passes_axe_and_the_nu_checker(
    live_server, context, site, nu_checker, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    page = context.new_page()
    crawl = Crawl(page)
    statement = site.statement_url

    crawl.visit("log-in page", f"{site.url}/login/")
    for name in ("log-in refused", "log-in paused"):
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        crawl.check(name)
    AccessAttempt.objects.all().delete()
    crawl.visit("invitation, to make an account", site.invitation_url)
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Novak")
    page.get_by_label("Password:", exact=True).fill("a long passphrase")
    page.get_by_label("Password confirmation").fill("another passphrase")
    page.get_by_role("button", name="Make my account and join").click()
    crawl.check("invitation refused")
    crawl.visit("page not found", f"{site.url}/no-such-page/")

    # A drafter.
    log_in(page, live_server, statement)
    crawl.check("statement, to a drafter")
    one = answer_article(page, 1)
    one.get_by_role("link", name="History").click()
    expect(one.locator(".history")).to_be_focused()
    crawl.check("statement, a history opened in place")
    one.get_by_role("link", name="Comments and suggestions").click()
    expect(one.locator(".review")).to_be_focused()
    crawl.check("statement, comments and suggestions opened in place")
    two = answer_article(page, 2)
    Answer.objects.get(statement=site.statement, question__order=2).save_text(
        "Saved elsewhere.", base_version=1, by=User.objects.get(username="leo")
    )
    answer_box(page, 2).fill("Typed here.")
    expect(two.locator(".conflict")).to_be_visible()
    crawl.check("statement, a conflict")
    crawl.visit("debates", f"{site.url}/debates/")
    crawl.visit("history", f"{statement}answers/question-1/history/")
    crawl.visit(
        "history, two versions compared", f"{statement}answers/question-1/history/?old=1&new=3"
    )
    crawl.visit("comments and suggestions", f"{statement}answers/question-1/review/")
    crawl.visit("preview", f"{statement}preview/")
    crawl.visit("preview of the reading copy", f"{statement}preview/?reading_copy=1")
    crawl.visit("members, to a drafter", f"{site.url}/delegations/ROU/members/")
    crawl.visit("search", f"{site.url}/search/")
    crawl.visit("search, what was found", f"{site.url}/search/?q=question")
    crawl.visit("search, nothing found", f"{site.url}/search/?q=elephants")
    crawl.visit("search, a query that cannot be searched", f"{site.url}/search/?q=%3F%21")
    crawl.visit("invitation, to a member", site.invitation_url)
    crawl.visit("export under way", site.pending_job_url)
    crawl.visit("export done", site.done_job_url)
    crawl.visit(
        "too many exports",
        f"{site.url}/exports/debates/{site.statement.debate.slug}/ROU/statement.pdf",
    )

    # A lead.
    log_out(page)
    log_in(page, live_server, statement, "leo")
    crawl.check("statement, to a lead")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mark final").click()
    expect(page.locator(".not-ready")).to_be_visible()
    crawl.check("statement, not ready to be final")
    page.goto(f"{site.url}/delegations/ROU/members/")
    page.get_by_label("E-mail address").fill("colleague@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_label("Invitation link, to copy")).to_be_visible()
    crawl.check("members, to a lead, with a new link")

    # A reviewer, and the statement once final.
    log_out(page)
    log_in(page, live_server, statement, "rita")
    crawl.check("statement, to a reviewer")
    Statement.objects.filter(pk=site.statement.pk).update(status=Statement.Status.FINAL)
    crawl.visit("statement, final", statement)

    crawl.assert_clean(nu_checker)


def test_every_page_an_editor_reaches_passes_axe_and_the_nu_checker(
    live_server, context, site, nu_checker
):
    page = context.new_page()
    crawl = Crawl(page)
    log_in(page, live_server, f"{site.url}/debates/", "editor")
    crawl.check("debates and compendiums")
    crawl.visit("debate as circulated", site.debate_url)
    crawl.visit("statement, read-only", site.statement_url)
    crawl.visit("history", f"{site.statement_url}answers/question-1/history/")
    crawl.visit("preview", f"{site.statement_url}preview/")
    crawl.visit("compendium under way", site.compendium_job_url)
    crawl.visit("overview", f"{site.debate_url}overview/")
    crawl.visit("search, what was found", f"{site.url}/search/?q=question")
    crawl.visit("invitation, refused to staff", site.invitation_url)
    crawl.assert_clean(nu_checker)


@pytest.mark.urls(__name__)
def test_the_admin_breaks_no_rule_that_djangos_own_admin_does_not_break(
    live_server, context, site, nu_checker
):
    make_user("root", is_staff=True, is_superuser=True)
    delegate = User.objects.get(username="ana")
    page = context.new_page()

    log_in(page, live_server, f"{site.url}/django-admin/", "root")
    djangos = Crawl(page)
    for name, url in {
        "index": "/django-admin/",
        "users": "/django-admin/auth/user/",
        "user": f"/django-admin/auth/user/{delegate.pk}/change/",
        "new user": "/django-admin/auth/user/add/",
        "groups": "/django-admin/auth/group/",
        "new group": "/django-admin/auth/group/add/",
        "new membership, a person to pick": "/django-admin/delegations/membership/add/",
    }.items():
        djangos.visit(name, f"{site.url}{url}")

    log_out(page)
    log_in(page, live_server, f"{site.url}/admin/", "editor")
    ours = Crawl(page)
    statement = site.statement
    for name, url in {
        "index": "/admin/",
        "debates": "/admin/debates/debate/",
        "debate with its questions": f"/admin/debates/debate/{statement.debate_id}/change/",
        "delegation with its members": (
            f"/admin/delegations/delegation/{statement.delegation_id}/change/"
        ),
        "new membership": "/admin/delegations/membership/add/",
        "person with their delegations": f"/admin/auth/user/{delegate.pk}/change/",
        "statements": "/admin/drafting/statement/",
        "statement with its answers": f"/admin/drafting/statement/{statement.pk}/change/",
        "invitations": "/admin/delegations/invitation/",
        "audit log": "/admin/delegations/auditentry/",
        "load a letter": "/admin/debates/debate/load-letter/",
    }.items():
        ours.visit(name, f"{site.url}{url}")
    page.get_by_label("Letter").set_input_files(LETTER)
    page.get_by_role("button", name="Read the letter").click()
    expect(page.get_by_role("button", name="Split").first).to_be_visible()
    ours.check("letter checked before loading")

    baseline = set().union(*djangos.findings(nu_checker).values())
    worse = {
        name: found - baseline
        for name, found in ours.findings(nu_checker).items()
        if found - baseline
    }
    assert worse == {}


def overlapping(page, selector: str) -> list[str]:
    """Pairs of the visible elements the selector matches that are drawn over each other,
    neither holding the other (a wrapped link by each of its lines' boxes)."""
    return page.evaluate(
        """selector => {
            const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + [...el.classList].map(each => "." + each).join("");
            const boxes = el => [...el.getClientRects()].filter(box => box.width && box.height);
            const shown = [...document.querySelectorAll(selector)].filter(
                el => boxes(el).length && getComputedStyle(el).visibility !== "hidden"
            );
            const cross = (p, q) => Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1
                && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1;
            const found = [];
            shown.forEach((a, i) => shown.slice(i + 1).forEach(b => {
                if (a.contains(b) || b.contains(a)) return;
                if (boxes(a).some(p => boxes(b).some(q => cross(p, q)))) {
                    found.push(name(a) + " × " + name(b));
                }
            }));
            return found;
        }""",
        selector,
    )


def sticking_out(page) -> list[str]:
    """When the page scrolls sideways, the innermost elements that reach past its edges (the
    left one too, where a right-to-left page overflows)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = el => {
                const box = el.getBoundingClientRect();
                return box.right > width + 1 || box.left < -1;
            };
            return [...document.body.querySelectorAll("*")]
                .filter(el => out(el) && ![...el.children].some(out))
                .map(el => el.tagName.toLowerCase() + [...el.classList].map(c => "." + c).join(""));
        }"""
    )


def covered(locator) -> bool:
    """Whether something else is drawn over the middle of the element."""
    return not locator.evaluate(
        """el => {
            const box = el.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const top = document.elementFromPoint(x, y);
            return top !== null && (top === el || el.contains(top));
        }"""
    )


STATEMENT_BLOCKS = (
    "header.site-header nav > *, .statement-bar, .export-options > *, .exports p > button, "
    ".letter, article.answer, article.answer h3, article.answer textarea, .answer-status, "
    "article.answer button.save, article.answer .history-link, article.answer .review-link"
)


@pytest.mark.parametrize("language", ["en-gb", "ar"])
@pytest.mark.parametrize("width", WIDTHS)
def test_at_every_width_nothing_overlaps_and_nothing_scrolls_sideways(
    live_server, browser, site, width, language
):
    """Left to right, and right to left in Arabic."""
    context = browser.new_context(viewport={"width": width, "height": 720})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server, site.statement_url, "leo")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.reload()
    assert page.locator("html").get_attribute("lang") == language

    assert sticking_out(page) == []
    assert overlapping(page, STATEMENT_BLOCKS) == []
    # Each Save button, reached by keyboard, is in sight: no letter is drawn over it.
    with translation.override(language):
        save_name = translation.gettext("Save")
    for number in (1, 2, 3):
        save = answer_article(page, number).get_by_role("button", name=save_name)
        save.focus()
        assert not covered(save), f"the Save button of answer {number} is covered"

    for url, blocks in [
        (f"{site.url}/debates/", "main h1, main h2, table.debates tr, .delegation-links"),
        (f"{site.url}/delegations/ROU/members/", "main h1, main h2, table.debates tr, form"),
        (site.pending_job_url, "main h1, main p, #export-progress > *"),
    ]:
        page.goto(url)
        assert sticking_out(page) == [], url
        assert overlapping(page, blocks) == [], url
    context.close()


def tab_to(page, locator, presses: int = 40) -> None:
    """Press Tab until the element has the focus, as a keyboard user moves through the page."""
    for _ in range(presses):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{presses} presses of Tab never reached {locator}")


def test_a_delegate_drafts_and_resolves_conflicts_with_the_keyboard_alone(
    live_server, context, statement_url
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    page.locator("body").focus()
    for number in (1, 2, 3):
        tab_to(page, answer_box(page, number))
        page.keyboard.type(f"Our answer {number}.")
        page.keyboard.press("Tab")
        save = answer_article(page, number).get_by_role("button", name="Save")
        expect(save).to_be_focused()
        page.keyboard.press("Enter")
        expect(answer_article(page, number).locator("[role=status]")).to_contain_text("Saved at")
    expect(page.locator("[data-total-words]")).to_have_text("9")

    lead = make_member(Statement.objects.get().delegation, Membership.Role.LEAD)
    for number, choice, kept in [
        (1, "Keep mine", "Mine 1."),
        (2, "Take theirs", "Theirs 2."),
        (3, "Keep both", "Mine 3.\n\nTheirs 3."),
    ]:
        answer = Answer.objects.get(question__order=number)
        answer.save_text(f"Theirs {number}.", base_version=answer.version, by=lead)
        box = answer_box(page, number)
        tab_to(page, box)
        page.keyboard.press("Control+A")
        page.keyboard.type(f"Mine {number}.")
        article = answer_article(page, number)
        expect(article.get_by_role("alert")).to_contain_text("saved this answer")
        tab_to(page, article.get_by_role("button", name=choice))
        page.keyboard.press("Enter")
        expect(article.locator(".conflict")).to_have_count(0)
        expect(answer_box(page, number)).to_be_focused()
        expect(answer_box(page, number)).to_have_value(kept)
        expect(article.locator("[role=status]")).to_contain_text("Saved at")
        answer.refresh_from_db()
        assert answer.text == kept


def test_saved_at_is_announced_by_a_live_region_that_stays_while_counts_stay_quiet(
    live_server, context, statement_url
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    article = answer_article(page, 1)
    region = article.get_by_role("status")
    region.evaluate("el => { window.region = el; }")
    for text in ("We welcome the debate.", " We thank the presidency."):
        answer_box(page, 1).press_sequentially(text)
        expect(region).to_contain_text("Saved at")
        # The same element throughout: a screen reader reads what changes inside it.
        assert region.evaluate("el => el === window.region")
    expect(article.locator("[data-word-count]")).to_have_text("8")
    # What changes with every keystroke is outside every live region.
    for counter in ("[data-word-count]", "[data-speaking-time]", "[data-total-words]"):
        assert page.locator(counter).first.evaluate(
            "el => el.closest('[aria-live], [role=status], [role=alert], [role=log]') === null"
        ), counter


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two computed colours, "rgb(r, g, b)"."""

    def luminance(colour: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(first), luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


BACKGROUND_BEHIND = """el => {
    for (let up = el.parentElement; up; up = up.parentElement) {
        const colour = getComputedStyle(up).backgroundColor;
        if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
}"""


def test_answer_boxes_and_the_keyboard_focus_stand_out_from_the_page(
    live_server, context, statement_url
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    box = answer_box(page, 1)
    border = box.evaluate("el => getComputedStyle(el).borderTopColor")
    assert contrast(border, box.evaluate(BACKGROUND_BEHIND)) >= 3
    assert contrast(border, box.evaluate("el => getComputedStyle(el).backgroundColor")) >= 3

    page.locator("body").focus()
    article = answer_article(page, 1)
    for control in [
        page.get_by_role("link", name="Debates", exact=True),
        page.get_by_role("button", name="Log out"),
        page.get_by_label("Marking"),
        page.get_by_role("button", name="Preview"),
        box,
        article.get_by_role("button", name="Save"),
        article.get_by_role("link", name="History"),
        page.locator(".letter summary"),
    ]:
        tab_to(page, control)
        style, width, colour = control.evaluate(
            """el => { const ring = getComputedStyle(el);
                return [ring.outlineStyle, parseFloat(ring.outlineWidth), ring.outlineColor]; }"""
        )
        assert style != "none", control
        assert width >= 2, control
        assert contrast(colour, control.evaluate(BACKGROUND_BEHIND)) >= 3, control
