"""The interface in the six UN languages: no text unmarked, every catalogue complete."""

import ast
import datetime
import html
import html.parser
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import base as template_base
from django.test import Client
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import override

from debateprep.delegations.models import Profile
from tests.factories import make_debate, open_statement

ROOT = Path(settings.BASE_DIR)
NATIVE_NAMES = {name for _code, name in settings.LANGUAGES}
OUR_APPS = [config for config in apps.get_app_configs() if config.name.startswith("debateprep.")]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
CATALOGUES = {
    code: ROOT / "locale" / code.replace("-hans", "_Hans") / "LC_MESSAGES" / "django.po"
    for code in TRANSLATED
}

# Text that reads the same in every language: the brand, typographic marks, and class names
# given in blocks (`{% block bodyclass %}change-form{% endblock %}`).
UNTRANSLATABLE = re.compile(r"^([\W\d_]*DebatePrep[\W\d_]*|[\W\d_]*|[a-z]+-[a-z-]*)$")
# Pieces of markup split by template tags (`<h{{ level }} class="…">`): not text.
MARKUP = re.compile(r"<|=\"|^\"")
# Attributes whose values people read or hear.
READ_ATTRIBUTES = {
    "title",
    "aria-label",
    "aria-description",
    "placeholder",
    "alt",
    "aria-roledescription",
}


class _VisibleText(html.parser.HTMLParser):
    """Collects the text of a template's HTML that a person reads, outside scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def _untranslated_text(source):
    """Text of a template left outside {% translate %} and {% blocktranslate %}."""
    pieces, inside_translation, inside_comment = [], 0, 0
    for token in template_base.Lexer(source).tokenize():
        if token.token_type == template_base.TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans"}:
                inside_translation += 1
            elif name in {"endblocktranslate", "endblocktrans"}:
                inside_translation -= 1
            elif name == "comment":
                inside_comment += 1
            elif name == "endcomment":
                inside_comment -= 1
            # A tag stands in for a value, so that the HTML around it still parses.
            pieces.append("\x00")
        elif token.token_type == template_base.TokenType.TEXT:
            pieces.append("\x00" if inside_translation or inside_comment else token.contents)
        else:
            pieces.append("\x00")
    text = "".join(pieces)
    if not text.lstrip("\x00 \n").startswith("<") and "<" not in text:
        found = [text]
    else:
        parser = _VisibleText()
        parser.feed(text)
        found = parser.found
    loose = []
    for chunk in found:
        for part in chunk.split("\x00"):
            part = " ".join(part.split())
            if (
                re.search(r"[^\W\d_]", part)
                and not UNTRANSLATABLE.match(part)
                and not MARKUP.search(part)
            ):
                loose.append(part)
    return loose


def _our_templates():
    for folder in [ROOT / "templates", *(Path(c.path) / "templates" for c in OUR_APPS)]:
        if folder.exists():
            yield from sorted(p for p in folder.rglob("*") if p.suffix in {".html", ".txt"})


def test_every_text_in_our_templates_is_marked_for_translation():
    loose = {
        str(path.relative_to(ROOT)): found
        for path in _our_templates()
        if (found := _untranslated_text(path.read_text()))
    }
    assert loose == {}


def test_the_scanner_finds_loose_text_and_passes_marked_text():
    assert _untranslated_text('<p title="Close">Save {{ x }}</p>') == ["Close", "Save"]
    assert (
        _untranslated_text(
            '{% load i18n %}<p title="{% translate "Close" %}">{% translate "Save" %} {{ x }}</p>'
            "{% blocktranslate trimmed with n=x %}Saved {{ n }}{% endblocktranslate %}"
        )
        == []
    )
    assert _untranslated_text("Dear {{ name }},\nyou are invited.") == [
        "Dear",
        ", you are invited.",
    ]


def _is_marked(text):
    return text is None or text == "" or isinstance(text, Promise)


def test_every_model_field_and_choice_of_ours_has_a_marked_name():
    unmarked = []
    for config in OUR_APPS:
        for model in config.get_models():
            label = model._meta.label
            for attribute in ("verbose_name", "verbose_name_plural"):
                if not isinstance(model._meta.original_attrs.get(attribute), Promise):
                    unmarked.append(f"{label} Meta.{attribute}")
            for field in model._meta.get_fields(include_hidden=True):
                if field.auto_created or not field.concrete:
                    continue
                if not isinstance(field.verbose_name, Promise):
                    unmarked.append(f"{label}.{field.name}")
                for _value, choice_label in field.flatchoices or ():
                    # The language menu names each language in itself, in every language.
                    if not _is_marked(choice_label) and choice_label not in NATIVE_NAMES:
                        unmarked.append(f"{label}.{field.name} choice {choice_label!r}")
    assert unmarked == []


def _our_form_classes():
    for config in OUR_APPS:
        for module_name in ("forms", "admin"):
            try:
                module = __import__(f"{config.name}.{module_name}", fromlist=["*"])
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    yield value


def test_every_form_field_of_ours_has_a_marked_label_and_help():
    unmarked = []
    for form_class in _our_form_classes():
        for name, field in form_class.base_fields.items():
            # Without a label Django makes one from the field's name, in English.
            if (
                field.label is None
                and not field.widget.is_hidden
                and not issubclass(form_class, forms.ModelForm)
            ):
                unmarked.append(f"{form_class.__qualname__}.{name}.label")
            for attribute in ("label", "help_text"):
                if not _is_marked(getattr(field, attribute)):
                    unmarked.append(f"{form_class.__qualname__}.{name}.{attribute}")
            for message in field.error_messages.values():
                if not _is_marked(message):
                    unmarked.append(f"{form_class.__qualname__}.{name} error {message!r}")
    assert unmarked == []


# Calls and keywords whose string argument a person reads.
READ_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "description",
    "empty_label",
    "title",
}
READ_CALLS = {
    "success",
    "error",
    "warning",
    "info",
    "ValidationError",
    "add_error",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseForbidden",
    "PermissionDenied",
    "Refused",
    "StatementLocked",
    "SuggestionClosed",
    "LetterError",
}


def _literal_text(node) -> bool:
    """A string written out, f-strings included, with words in it."""
    if isinstance(node, ast.JoinedStr):
        return any(_literal_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(re.search(r"[^\W\d_]{2}", node.value))
    )


def _loose_strings_in(path):
    tree = ast.parse(path.read_text())
    loose = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        arguments = [k.value for k in node.keywords if k.arg in READ_KEYWORDS]
        if name in READ_CALLS:
            # add_error(field, message): the field's name is not read.
            arguments += node.args[1:] if name == "add_error" else node.args
        loose += [
            f"{path.relative_to(ROOT)}:{a.lineno} {ast.unparse(a)[:80]}"
            for a in arguments
            if _literal_text(a)
        ]
    return loose


def test_no_text_a_person_reads_is_passed_unmarked_in_our_python():
    loose = []
    for config in OUR_APPS:
        for path in sorted(Path(config.path).rglob("*.py")):
            # Commands speak to the terminal; exports' frame is written in English (exports/).
            if not {"migrations", "management", "exports"} & set(path.parts):
                loose += _loose_strings_in(path)
    assert loose == []


# --- The catalogues ------------------------------------------------------------------------


def _catalogue(code):
    path = CATALOGUES[code]
    assert path.exists(), f"no catalogue for {code}: run `make messages`"
    return polib.pofile(str(path))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_text_is_translated_in_every_catalogue(code):
    catalogue = _catalogue(code)
    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert missing == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalogue_compiles_with_its_placeholders_intact(code):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(CATALOGUES[code])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_catalogues_hold_every_text_marked_in_the_code(tmp_path):
    """makemessages on a copy of the code finds nothing the committed catalogues lack."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "media", "staticfiles", "*.mo", "__pycache__"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--all",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=tests",
            "--ignore=bench",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    for code in TRANSLATED:
        fresh = {
            entry.msgid for entry in polib.pofile(str(copy / CATALOGUES[code].relative_to(ROOT)))
        }
        committed = {entry.msgid for entry in _catalogue(code) if not entry.obsolete}
        assert fresh - committed == set(), code
        assert committed - fresh == set(), code


# UN terminology, checked wherever the English text uses the term: one of the forms (stems,
# for languages that decline them) must be in the translation.
GLOSSARY = {
    "security council": {
        "fr": ["Conseil de sécurité"],
        "es": ["Consejo de Seguridad"],
        "ru": [
            "Совет Безопасности",
            "Совета Безопасности",
            "Совете Безопасности",
            "Советом Безопасности",
        ],
        "ar": ["مجلس الأمن"],
        "zh-hans": ["安全理事会", "安理会"],
    },
    "delegation": {
        "fr": ["délégation"],
        "es": ["delegaci"],
        "ru": ["делегаци"],
        "ar": ["وفد", "الوفد", "وفود"],
        "zh-hans": ["代表团"],
    },
    "concept paper": {
        "fr": ["note de cadrage", "document de réflexion"],
        "es": ["nota conceptual", "documento de concepto"],
        "ru": ["концептуальн"],
        "ar": ["الورقة المفاهيمية", "ورقة مفاهيمية", "ورقتها المفاهيمية", "المذكرة المفاهيمية"],
        "zh-hans": ["概念文件", "概念说明"],
    },
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_un_terms_are_translated_as_the_un_writes_them(code):
    wrong = []
    for entry in _catalogue(code):
        for term, translations in GLOSSARY.items():
            translated = " ".join([entry.msgstr, *entry.msgstr_plural.values()]).lower()
            if term in entry.msgid.lower() and not any(
                form.lower() in translated for form in translations[code]
            ):
                wrong.append((entry.msgid, translated))
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_django_finds_our_catalogue_for(code):
    from django.utils.translation import gettext

    with override(code):
        assert gettext("Log out") != "Log out"


# --- Choosing the language ------------------------------------------------------------------


def _html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_the_browsers_language_is_the_default(client, drafter):
    client.force_login(drafter)
    response = client.get(
        reverse("drafting:debate-list"), headers={"accept-language": "fr-CH,fr;q=0.9"}
    )
    assert _html_tag(response) == '<html lang="fr" dir="ltr">'
    assert response["Content-Language"] == "fr"


def test_any_english_browser_gets_the_uns_english(client, db):
    response = client.get(reverse("login"), headers={"accept-language": "en-US"})
    assert _html_tag(response) == '<html lang="en-gb" dir="ltr">'


def test_arabic_reads_right_to_left_in_our_pages_and_in_the_admin(client, editor):
    client.force_login(editor)
    headers = {"accept-language": "ar"}
    assert (
        _html_tag(client.get(reverse("drafting:debate-list"), headers=headers))
        == '<html lang="ar" dir="rtl">'
    )
    admin_page = client.get(reverse("admin:index"), headers=headers).content.decode()
    assert 'dir="rtl"' in re.search(r"<html[^>]*>", admin_page).group(0)
    assert "admin/css/rtl.css" in admin_page


def test_a_chosen_language_is_remembered_on_every_device_the_person_logs_in_from(client, drafter):
    client.force_login(drafter)
    response = client.post(reverse("delegations:language"), {"language": "es", "next": "/debates/"})
    assert response.status_code == 302
    assert response["Location"] == "/debates/"
    assert Profile.objects.get(user=drafter).language == "es"
    assert _html_tag(client.get(reverse("drafting:debate-list"))) == '<html lang="es" dir="ltr">'

    elsewhere = Client(headers={"accept-language": "en"})
    elsewhere.post(
        reverse("login"), {"username": drafter.username, "password": "pw-" + drafter.username}
    )
    page = elsewhere.get(reverse("drafting:debate-list"))
    assert _html_tag(page) == '<html lang="es" dir="ltr">'


def test_one_persons_choice_is_not_anothers(client, drafter, other_drafter):
    client.force_login(drafter)
    client.post(reverse("delegations:language"), {"language": "ru"})
    other = Client(headers={"accept-language": "fr"})
    other.post(
        reverse("login"),
        {"username": other_drafter.username, "password": "pw-" + other_drafter.username},
    )
    assert _html_tag(other.get(reverse("drafting:debate-list"))) == '<html lang="fr" dir="ltr">'


def test_a_visitor_on_the_login_page_chooses_a_language_for_this_browser(client, db):
    response = client.post(
        reverse("delegations:language"), {"language": "zh-hans", "next": reverse("login")}
    )
    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert _html_tag(client.get(reverse("login"))) == '<html lang="zh-hans" dir="ltr">'
    assert not Profile.objects.exists()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_the_language_menu_never_sends_a_person_to_another_site(client, db, elsewhere):
    response = client.post(reverse("delegations:language"), {"language": "fr", "next": elsewhere})
    assert response["Location"] == reverse("home")


def test_a_language_we_do_not_speak_changes_nothing(client, drafter):
    client.force_login(drafter)
    response = client.post(reverse("delegations:language"), {"language": "de", "next": "/debates/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not Profile.objects.exists()


def test_dates_and_numbers_are_written_as_each_language_writes_them(client, drafter, romania):
    debate = make_debate(questions=1, meeting_date=datetime.date(2010, 1, 13))
    statement = open_statement(debate, romania)
    statement.answers.get(question__order=1).save_text("word " * 1234, base_version=0, by=drafter)
    client.force_login(drafter)
    url = reverse("drafting:statement", args=[debate.slug, romania.code])
    french = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert "13 janvier 2010" in french
    assert re.search("1[\u00a0\u202f]234", french)  # a (narrow) no-break space between thousands
    english = client.get(url, headers={"accept-language": "en-gb"}).content.decode()
    assert "13 January 2010" in english
    assert "1,234" in english


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_page_a_delegate_reads_is_in_their_language(client, code, drafter, romania):
    """No sentence of the interface is left in English on the main pages, in any language."""
    debate = make_debate(questions=2)
    statement = open_statement(debate, romania)
    answer = statement.answers.get(question__order=1)
    answer.save_text("Our position.", base_version=0, by=drafter)
    sentences = {
        entry.msgid
        for entry in polib.pofile(str(CATALOGUES[code]))
        if len(entry.msgid.split()) >= 3
        and "%" not in entry.msgid
        and "{" not in entry.msgid
        and "<" not in entry.msgid
    }
    client.force_login(drafter)
    client.post(reverse("delegations:language"), {"language": code})
    pages = [
        reverse("drafting:debate-list"),
        statement.get_absolute_url(),
        reverse("drafting:answer-history", args=answer.url_args),
        reverse("drafting:answer-review", args=answer.url_args),
        reverse("delegations:members", args=[romania.code]),
    ]
    for url in pages:
        text = _visible_text(client.get(url).content.decode())
        assert [sentence for sentence in sentences if sentence in text] == [], url


@pytest.mark.parametrize("code", [*TRANSLATED, settings.LANGUAGE_CODE])
def test_the_texts_the_browser_shows_arrive_in_each_language_with_their_placeholders(
    client, drafter, code
):
    client.force_login(drafter)
    page = client.get(reverse("drafting:debate-list"), headers={"accept-language": code})
    raw = re.search(
        r'<script type="application/json" id="interface-text">(.*?)</script>',
        page.content.decode(),
        re.S,
    ).group(1)
    texts = json.loads(raw)
    assert "%(status)s" in texts["failed"]
    assert "%(passage)s" in texts["aboutPassage"]
    with override(code):
        from django.utils.translation import gettext

        assert texts["offline"] == gettext(
            "Not saved: the server could not be reached. Your text is kept here; trying again…"
        )
