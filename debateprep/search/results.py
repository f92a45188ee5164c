"""What a search finds, best first, with the words found marked: the debates, letters and
guiding questions a person may read, and the answers of the statements they may open (the
policy decides both: a delegate never finds another delegation's text).

On PostgreSQL this is full-text search on GIN indexes: debates, letters and questions in
English, the language they are circulated in; answers in their statement's language, whose
lexemes the database keeps beside each text (drafting migration 0008), so the query is read in
each of the six languages at once. Elsewhere (SQLite) a simpler stand-in: every word asked for
must appear in the text, in any case, and what holds them most often comes first.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQueryField,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Expression,
    F,
    Func,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from debateprep.debates.models import LETTER_SEARCH_CONFIG, Debate, Question
from debateprep.delegations import policy
from debateprep.drafting.models import Answer
from debateprep.lib.languages import Language
from debateprep.search.forms import terms

VECTOR = SearchVectorField()
# An answer's language is its statement's.
LANGUAGE = "statement__language"
# Of each kind; one more is read to know whether there are more.
SHOWN = 10
# A word found in most answers would have each of them ranked: only the newest this many
# matches of a kind are, and the page says that more were found.
CANDIDATES = 300
# Around the words found, as the database's headlines and the stand-in's excerpts mark them
# and `marked` turns into HTML: characters nobody types.
START, STOP = "\x02", "\x03"
# The database puts one after each Chinese character so that each is a word of its own.
ZERO_WIDTH_SPACE = "\u200b"
EXCERPT_WORDS = {"max_words": 35, "min_words": 15}
EXCERPT_CHARACTERS = 240


@dataclass(frozen=True)
class Hit:
    title: SafeString
    url: str
    where: str
    excerpt: SafeString


@dataclass(frozen=True)
class Section:
    name: str
    hits: list[Hit]
    # More were found than are shown: a narrower search shows them.
    more: bool


@dataclass(frozen=True)
class Kind:
    """One kind of thing searched: its fields, the one whose words are shown around what was
    found (whole, for a title), and the column of their lexemes on PostgreSQL."""

    name: str
    fields: tuple[str, ...]
    shown: str
    whole: bool
    hit: Callable[[Model, SafeString], Hit]
    vector: str = "search"
    # Where each is, read with it, and of that what is not shown (a letter, lexemes).
    places: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()

    def shown_with_places(self, rows: QuerySet) -> QuerySet:
        return rows.select_related(*self.places).defer(*self.unread) if self.places else rows


UNREAD_DEBATE = ("letter_text", "search", "letter_search")


def _debate_hit(debate: Debate, marked_title: SafeString) -> Hit:
    return Hit(marked_title, debate.get_absolute_url(), debate.meeting_line, SafeString())


def _letter_hit(debate: Debate, excerpt: SafeString) -> Hit:
    where = " ".join(part for part in [debate.meeting_line, debate.symbol] if part)
    return Hit(escape(debate.title), f"{debate.get_absolute_url()}#letter", where, excerpt)


def _question_hit(question: Question, excerpt: SafeString) -> Hit:
    debate = question.debate
    return Hit(escape(question.heading), question.get_absolute_url(), str(debate), excerpt)


def _answer_hit(answer: Answer, excerpt: SafeString) -> Hit:
    statement = answer.statement
    title = f"{statement.delegation.name}: {answer.heading}"
    where = f"{statement.debate} · {statement.get_status_display()}"
    return Hit(escape(title), answer.get_absolute_url(), where, excerpt)


DEBATES = Kind(
    _("Debates"), ("title", "presidency", "symbol", "letter_heading"), "title", True, _debate_hit
)
LETTERS = Kind(_("Letters"), ("letter_text",), "letter_text", False, _letter_hit, "letter_search")
QUESTIONS = Kind(
    _("Guiding questions"),
    ("label", "text"),
    "text",
    False,
    _question_hit,
    places=("debate",),
    unread=tuple(f"debate__{field}" for field in UNREAD_DEBATE),
)
ANSWERS = Kind(
    _("Answers"),
    ("text",),
    "text",
    False,
    _answer_hit,
    places=("question", "statement__debate", "statement__delegation"),
    unread=("question__search", *(f"statement__debate__{field}" for field in UNREAD_DEBATE)),
)


@dataclass(frozen=True)
class Results:
    query: str
    sections: list[Section]

    @property
    def found(self) -> bool:
        return any(section.hits for section in self.sections)

    @classmethod
    def of(cls, user, query: str) -> Results:
        debates = Debate.objects.filter(policy.debates_listed(user))
        questions = Question.objects.filter(debate__in=debates)
        answers = Answer.objects.for_user(user)
        Answer.objects.index_for_search()
        search = FullText(query) if connection.vendor == "postgresql" else StandIn(query)
        with search.planned():
            sections = [
                search.section(DEBATES, debates),
                search.section(LETTERS, debates),
                search.section(QUESTIONS, questions),
                search.section(ANSWERS, answers),
            ]
        return cls(query, sections)


class FullText:
    def __init__(self, query: str):
        self.query = query
        self.letters_query: Expression | None = None
        # Each reading of the query, with the languages that read it so.
        self.readings: dict[str, list[str]] = {}
        self.any_language: Expression | None = None

    @contextmanager
    def planned(self) -> Iterator[None]:
        """A transaction whose queries are planned for the words asked (the same query run
        five times is prepared once for any words, DATABASE_PREPARE_THRESHOLD: a plan that
        reads every answer when a word is in most of them), run by one process (starting
        parallel workers costs more than they save on a search this size) with room to sort
        thousands of matches in memory; and the query as each language reads it, worked out
        once for all the searches."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _READINGS,
                {
                    "query": self.query,
                    "letters": LETTER_SEARCH_CONFIG,
                    "languages": Language.values,
                },
            )
            *_, letters, readings = cursor.fetchone()
            self.letters_query = _tsquery(letters)
            for language, reading in zip(Language.values, readings, strict=True):
                if reading:
                    self.readings.setdefault(reading, []).append(language)
            # Any language's reading: what the GIN index looks up, and what ranks and marks.
            self.any_language = _tsquery(" | ".join(f"( {text} )" for text in self.readings))
            yield

    def section(self, kind: Kind, queryset: QuerySet) -> Section:
        if kind is ANSWERS:
            query, config, shown = self.any_language, _config(F(LANGUAGE)), _readable()
            if query is not None:
                # The answers in reach are picked first, so that the rows read after are only
                # those.
                newest = queryset.filter(self.answers_matched()).order_by("-pk").values("pk")
                queryset = Answer.objects.filter(pk__in=newest[:CANDIDATES])
        else:
            query, config, shown = self.letters_query, LETTER_SEARCH_CONFIG, F(kind.shown)
            if query is not None:
                queryset = queryset.filter(_Matches(F(kind.vector), query))
        if query is None:
            # Only words every language passes over ("the", "and"): nothing to look for.
            return Section(kind.name, [], more=False)
        options = {"highlight_all": True} if kind.whole else EXCERPT_WORDS
        rows = list(
            kind.shown_with_places(queryset)
            .annotate(
                # Answers saved a moment ago have no lexemes yet: their text's are worked out.
                rank=SearchRank(Coalesce(kind.vector, _lexemes_now()), query)
                if kind is ANSWERS
                else SearchRank(F(kind.vector), query),
                excerpt=SearchHeadline(
                    shown, query, config=config, start_sel=START, stop_sel=STOP, **options
                ),
            )
            .order_by("-rank", "-pk")[: SHOWN + 1]
        )
        hits = [kind.hit(row, marked(row.excerpt)) for row in rows[:SHOWN]]
        return Section(kind.name, hits, more=len(rows) > SHOWN)

    def answers_matched(self) -> Q:
        """Answers that hold the words asked for, read in the answer's own language: by their
        lexemes, or for those saved since their lexemes were last worked out (none, unless
        saved a moment ago), by their text's. First, what the GIN index finds for the query
        read in any language (or what has no lexemes yet): the few rows the exact test reads.
        """
        if [len(languages) for languages in self.readings.values()] == [len(Language)]:
            # Every language reads the query alike (a name, a number, a rare term).
            return _matched(self.any_language)
        # An answer's lexemes are in its statement's language, and so is the query it is
        # matched against: "-word" must leave out the word as that language stems it.
        exact = (
            Q(**{f"{LANGUAGE}__in": languages}) & _matched(_tsquery(reading))
            for reading, languages in self.readings.items()
        )
        candidates = Q(_Matches(F("search"), self.any_language)) | Q(search=None)
        return candidates & reduce(operator.or_, exact)


def _matched(query: Expression) -> Q:
    return Q(_Matches(F("search"), query)) | Q(search=None) & Q(_Matches(_lexemes_now(), query))


# Planning for the words asked, in one process; and the query as letters and as each language
# read it (websearch syntax: "a phrase", -word, or).
_READINGS = """
SELECT
    set_config('plan_cache_mode', 'force_custom_plan', true),
    set_config('max_parallel_workers_per_gather', '0', true),
    set_config('work_mem', '32MB', true),
    websearch_to_tsquery(%(letters)s::regconfig, %(query)s)::text,
    array(
        SELECT websearch_to_tsquery(
            drafting_search_config(language), drafting_search_query(%(query)s)
        )::text
        FROM unnest(%(languages)s::varchar[]) WITH ORDINALITY AS reading (language, position)
        ORDER BY position
    )
"""


class _Matches(Func):
    """`vector @@ query`: Django's lookup would read a query it did not make as plain words."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _tsquery(text: str) -> Expression | None:
    return Cast(Value(text), output_field=SearchQueryField()) if text else None


def _readable() -> Func:
    """An answer's text as the database reads it (each Chinese character a word)."""
    return Func(F("text"), function="drafting_search_text", output_field=TextField())


def _lexemes_now() -> Func:
    return Func(_config(F(LANGUAGE)), _readable(), function="to_tsvector", output_field=VECTOR)


def _config(language: Expression) -> Func:
    return Func(language, function="drafting_search_config")


class StandIn:
    def __init__(self, query: str):
        self.wanted, self.unwanted = terms(query)
        self.pattern = re.compile(
            "|".join(re.escape(term) for term in sorted(self.wanted, key=len, reverse=True)),
            re.IGNORECASE,
        )

    planned = staticmethod(nullcontext)

    def section(self, kind: Kind, queryset: QuerySet) -> Section:
        if not self.wanted:
            return Section(kind.name, [], more=False)
        matched = reduce(operator.and_, (self._anywhere(kind, term) for term in self.wanted))
        for term in self.unwanted:
            matched &= ~self._anywhere(kind, term)
        rows = list(kind.shown_with_places(queryset).filter(matched).order_by("-pk")[:CANDIDATES])
        rows.sort(key=lambda row: -self._score(" ".join(_texts(row, kind.fields))))
        hits = [
            kind.hit(row, marked(self._excerpt(getattr(row, kind.shown), whole=kind.whole)))
            for row in rows[:SHOWN]
        ]
        return Section(kind.name, hits, more=len(rows) > SHOWN)

    @staticmethod
    def _anywhere(kind: Kind, term: str) -> Q:
        # Not icontains: SQLite's LIKE ignores the case of ASCII letters only; Django runs its
        # regular expressions in Python, which knows every alphabet's.
        pattern = re.escape(term)
        return reduce(operator.or_, (Q(**{f"{field}__iregex": pattern}) for field in kind.fields))

    def _score(self, text: str) -> int:
        return len(self.pattern.findall(text))

    def _excerpt(self, text: str, *, whole: bool) -> str:
        """The text, or for a long one the part around the first word found, with the words
        found between marks."""
        first = self.pattern.search(text)
        start, end = 0, len(text)
        if not whole and len(text) > EXCERPT_CHARACTERS:
            start = 0 if first is None else max(0, first.start() - EXCERPT_CHARACTERS // 3)
            start = _word_boundary(text, start)
            end = _word_boundary(text, start + EXCERPT_CHARACTERS)
        shown = self.pattern.sub(lambda found: f"{START}{found.group()}{STOP}", text[start:end])
        return f"{'… ' if start else ''}{shown.strip()}{' …' if end < len(text) else ''}"


def _texts(row: Model, fields: Iterable[str]) -> list[str]:
    return [getattr(row, field) or "" for field in fields]


def _word_boundary(text: str, at: int) -> int:
    """`at`, moved on to the next space if one is near (Chinese has none)."""
    space = text.find(" ", at, at + 20)
    return min(len(text), at if space == -1 else space)


def marked(excerpt: str) -> SafeString:
    """An excerpt as HTML: its text escaped, the words found between marks in <mark>, always
    closed, whatever the text held."""
    excerpt = excerpt.replace(ZERO_WIDTH_SPACE, "").replace(STOP + START, "")
    html, open_mark = [], False
    for piece in re.split(f"([{START}{STOP}])", excerpt):
        if piece in (START, STOP):
            if (piece == START) != open_mark:
                html.append("<mark>" if piece == START else "</mark>")
                open_mark = not open_mark
        else:
            html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))
