"""Which items are the guiding questions, and what an editor should check in each."""

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from debateprep.debates.letter.items import _Item, _items, _mentions_questions, _split_label
from debateprep.debates.letter.lines import Block
from debateprep.debates.letter.result import GuidingQuestion
from debateprep.debates.letter.sections import _Section

_MIN_UNANNOUNCED_QUESTIONS = 2


def _runs(items: Sequence[_Item]) -> list[tuple[_Item | None, list[_Item]]]:
    """Each list with the item just before it (which may announce it).

    A list is a run of items of one style, its numbering going up one at a time.
    """
    runs: list[tuple[_Item | None, list[_Item]]] = []
    for index, item in enumerate(items):
        if runs:
            previous = runs[-1][1][-1]
            continues = (
                item.style == previous.style
                and not (item.is_plain and not (previous.is_question and item.is_question))
                and (item.ordinal is None or item.ordinal == (previous.ordinal or 0) + 1)
            )
            if continues:
                runs[-1][1].append(item)
                continue
        runs.append((items[index - 1] if index else None, [item]))
    return runs


def _announces(item: _Item | None) -> bool:
    return _mentions_questions(item) or (item is not None and item.body.endswith(":"))


def _is_list(run: Sequence[_Item]) -> bool:
    """Bullets or numbering from the start, unlike the annex's running paragraph numbers."""
    first = run[0]
    return not first.is_plain and first.ordinal in (None, 1)


def _mostly_asking(run: Sequence[_Item]) -> bool:
    return 2 * sum(item.asks for item in run) >= len(run)


def _questions_of_run(run: list[_Item], announced: bool) -> list[_Item]:
    if run[0].is_plain:
        return [item for item in run if item.is_question]
    if announced or (_is_list(run) and _mostly_asking(run)):
        return run
    if _mostly_asking(run):
        return [item for item in run if item.asks]
    return []


def _questions_in_section(items: Sequence[_Item]) -> list[_Item]:
    runs = _runs(items)
    # Under a questions heading every item of a list that asks is one of the questions, even
    # one whose question mark was forgotten: it is kept, and flagged, never dropped.
    found = [
        item
        for before, run in runs
        for item in (
            run
            if _is_list(run) and any(item.asks for item in run)
            else _questions_of_run(run, _announces(before))
        )
    ]
    # Under a questions heading a list of topics without "?" still is the list.
    return found or [item for _, run in runs if _is_list(run) for item in run]


def _announced_questions(items: Sequence[_Item]) -> list[_Item]:
    for before, run in _runs(items):
        # Outside a questions section a list after "... these issues." must ask something.
        if _mentions_questions(before) and (found := _questions_of_run(run, _announces(before))):
            return found
    return []


def _unannounced_questions(items: Sequence[_Item]) -> list[_Item]:
    return [
        item
        for _, run in _runs(items)
        if sum(item.asks for item in run) >= _MIN_UNANNOUNCED_QUESTIONS
        for item in _questions_of_run(run, announced=False)
    ]


def _find_questions(
    preamble: Sequence[Block], sections: Sequence[_Section]
) -> tuple[list[_Item], bool]:
    """By heading, else after a sentence announcing them, else any run of questions; and
    whether they stand under a questions heading."""
    in_sections = [
        item
        for section in sections
        if section.heading.kind == "questions"
        for item in _questions_in_section(_items(section.blocks))
    ]
    if in_sections:
        return in_sections, True
    segments = [_items(preamble)] + [_items(section.blocks) for section in sections]
    for segment in segments:
        if found := _announced_questions(segment):
            return found, False
    return [item for segment in segments for item in _unannounced_questions(segment)], False


def _guiding_question(number: int, item: _Item) -> GuidingQuestion:
    label, text = _split_label(item)
    return GuidingQuestion(number, item.marker, label, text, item.source)


_LONG_QUESTION_WORDS = 120
_SHORT_QUESTION_WORDS = 4


def question_warnings(text: str, *, page_break: bool = False) -> list[str]:
    """What an editor should look at again in one question: "does not end with a question
    mark", "spans a page break", "is very long (130 words)", "is very short (2 words)"."""
    found = [] if text.rstrip().endswith("?") else ["does not end with a question mark"]
    if page_break:
        found.append(_("spans a page break"))
    words = len(text.split())
    if words > _LONG_QUESTION_WORDS:
        found.append(_("is very long (%(words)s words)") % {"words": words})
    elif words < _SHORT_QUESTION_WORDS:
        found.append(
            ngettext("is very short (%(words)s word)", "is very short (%(words)s words)", words)
            % {"words": words}
        )
    return found


def _question_warnings(question: GuidingQuestion, item: _Item) -> list[str]:
    page_break = any(line.after_break for line in item.lines[1:])
    return [
        _("question %(number)s %(warning)s") % {"number": question.number, "warning": warning}
        for warning in question_warnings(question.text, page_break=page_break)
    ]
