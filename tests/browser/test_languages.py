"""Statements in the six languages in a real browser: the page counts as the server does, on
the same texts, and a change of language reaches every box at once."""

import pytest
from playwright.sync_api import expect

from debateprep.delegations.models import Membership
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.languages import Language, Unit
from debateprep.lib.speech import count
from tests.browser.conftest import answer_box, log_in
from tests.factories import make_debate, make_delegation, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Statements as delegations write them in each language, then what trips counting up:
# punctuation on its own, emoji, mixed scripts, the spaces of other scripts, marks and digits.
TEXTS = [
    # Arabic, with its comma, question mark, a tatweel and vowel marks.
    "السيد الرئيس، نشكركم على عقد هذه المناقشة المفتوحة. هل يمكن للمجلس أن يتحرك مبكرًا؟",
    "إنّ الأمــم المتحدة ، ونحن معها ، مستعدة.",
    # Chinese, with full-width punctuation, quotation marks, Latin words and numbers.
    "主席先生，我国感谢您召开这次公开辩论。我们支持“联合国”在2030年议程中发挥核心作用！",
    "安理会第1325（2000）号决议、UN Women和COVID-19疫情……",
    # English, French, Russian, Spanish.
    "Mr. President, we welcome the focus on regional organizations — and their role.",
    "Monsieur le Président, « l’ONU » doit agir aujourd’hui ; n’est-ce pas ?",
    "Господин Председатель, мы приветствуем эту дискуссию — и её итоги.",
    "Señor Presidente: ¿puede el Consejo actuar antes? ¡Sí, y con firmeza!",
    # Punctuation and symbols alone, emoji alone and against words.
    "— « » … ; : ! ? ¿ ¡ , . ， 。 、 ！ ？ ～ ·",
    "🙂 👍🏽 👨‍👩‍👧 🇺🇳 ❤️ ✓",
    "Thanks👍 merci🙂 谢谢👍 شكرا🙂",
    # Spaces of every kind: no-break, ideographic, tab, line and paragraph separators, NEL.
    "one\u00a0two\u3000three\tfour\u2028five\u2029six\u0085seven\n\neight",
    # What is not a space: zero-width space and joiner, the byte order mark.
    "one\u200btwo\u200dthree\ufefffour",
    # Digits and numbers of other kinds, Latin in full width, marks that combine.
    "1,000.50 ２０３０ ＵＮ Ⅻ ² ½ ① e\u0301te\u0301",
    # Japanese kana, Korean, a rare Chinese character outside the basic plane.
    "コーヒーを飲みます。 한국어 문장입니다 𠀀𠀁",
    # Addresses and hyphenated words.
    "https://www.un.org/securitycouncil S/2024/321 well-known co-operation",
    "",
    "   \n\t ",
]


@pytest.fixture
def chinese_statement_url(live_server):
    debate = make_debate(questions=2)
    china = make_delegation("China", "CHN", language=Language.CHINESE)
    make_member(china, Membership.Role.DRAFTER, username="li")
    return f"{live_server.url}/debates/{debate.slug}/CHN/"


@pytest.mark.parametrize("unit", [Unit.WORDS, Unit.CHARACTERS])
def test_the_browser_counts_every_text_as_the_server_does(
    live_server, context, chinese_statement_url, unit
):
    page = context.new_page()
    log_in(page, live_server, chinese_statement_url, username="li")

    counted = page.evaluate(
        "([texts, unit]) => texts.map((text) => window.debatePrep.countUnits(text, unit))",
        [TEXTS, unit.value],
    )

    assert counted == [count(text, unit) for text in TEXTS]


def test_a_chinese_answer_is_counted_in_characters_as_it_is_typed(
    live_server, context, chinese_statement_url, console_errors
):
    page = context.new_page()
    log_in(page, live_server, chinese_statement_url, username="li")
    box = answer_box(page, 1)
    expect(box).to_have_attribute("lang", "zh-hans")

    box.press_sequentially("我们支持联合国。", delay=10)

    answer = page.locator("article.answer").filter(has_text="Question 1?")
    expect(answer.locator("[data-word-count]")).to_have_text("7")
    expect(answer.locator("[data-unit-label]")).to_have_text("characters")
    expect(answer.locator(".answer-status")).to_contain_text("Saved at")
    expect(page.locator("#statement-totals [data-total-words]")).to_have_text("7")
    # 7 characters at 160 a minute: 2.625 seconds, rounded up.
    expect(page.locator("#statement-totals [data-total-time]")).to_have_text("0:03")
    assert Answer.objects.get(question__order=1).words == 7
    assert console_errors == []


def test_changing_the_language_turns_every_box_and_counts_again_keeping_unsaved_text(
    live_server, context, statement_url, console_errors
):
    page = context.new_page()
    log_in(page, live_server, statement_url)
    answer_box(page, 1).fill("السيد الرئيس، نشكركم.")
    expect(page.locator("article.answer").filter(has_text="Question 1?")).to_contain_text(
        "Saved at"
    )
    # Typed and not saved yet when the language changes.
    page.evaluate(
        """() => {
            const box = document.querySelectorAll("textarea[data-answer-text]")[2];
            box.value = "联合国安理会";
        }"""
    )

    page.get_by_label("Written in").select_option(label="Arabic")
    page.get_by_role("button", name="Change the language").click()

    expect(page.locator("#statement-language-status")).to_have_text(
        "The statement is now in Arabic: its length is counted in words."
    )
    boxes = page.locator("textarea[data-answer-text]")
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_have_attribute("dir", "rtl")
        expect(boxes.nth(index)).to_have_attribute("lang", "ar")
    expect(page.get_by_label("Written in")).to_be_focused()
    assert Statement.objects.get().language == Language.ARABIC

    page.get_by_label("Written in").select_option(label="Chinese")
    page.get_by_role("button", name="Change the language").click()

    expect(page.locator("#statement-language")).to_have_attribute("data-unit", "characters")
    expect(answer_box(page, 1)).to_have_attribute("dir", "ltr")
    # The unsaved text is still there and counted: 3 Arabic words and 6 characters.
    expect(boxes.nth(2)).to_have_value("联合国安理会")
    expect(page.locator("#statement-totals [data-total-words]")).to_have_text("9")
    expect(page.locator("#statement-totals [data-unit-label]")).to_have_text("characters")
    assert console_errors == []


def test_the_language_changes_without_javascript(live_server, browser, statement_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, statement_url)

    page.get_by_label("Written in").select_option(label="French")
    page.get_by_role("button", name="Change the language").click()

    expect(page.get_by_text("The statement is now in French")).to_be_visible()
    expect(answer_box(page, 1)).to_have_attribute("lang", "fr")
    assert Statement.objects.get().language == Language.FRENCH
    context.close()
