"""Parse a Security Council presidency letter and its annexed concept paper.

The genre is loosely structured: a heading ("Letter dated ... from the Permanent
Representative of X ..."), a short letter announcing a debate, and an annex with
headed sections, one of which lists the guiding questions. Documents reach us as
plain text extracted from PDFs or Word, so the parser works on paragraphs and list
markers rather than on any fixed layout, and tolerates markdown emphasis, odd
whitespace and line endings. What PDF pages add around the text (headers, footers, page
numbers, footnotes, words broken at line ends) is removed first; see "cleaning".

Every step is linear in the length of the text: regular expressions are bounded or cannot
backtrack far, and no loop goes over the lines more than a fixed number of times.

The modules build on one another in this order: result, lines, dates, pages, cleaning,
items, sections, questions, fields, mail, refusal, parsing. Pure package: standard library
only, so it can be used outside Django.
"""

from debateprep.debates.letter.cleaning import normalise_text
from debateprep.debates.letter.decoding import decode_letter
from debateprep.debates.letter.parsing import parse_letter
from debateprep.debates.letter.questions import question_warnings
from debateprep.debates.letter.result import (
    NO_MEETING_DATE,
    NO_QUESTIONS,
    GuidingQuestion,
    Letter,
    LetterError,
    Section,
)

__all__ = [
    "NO_MEETING_DATE",
    "NO_QUESTIONS",
    "GuidingQuestion",
    "Letter",
    "LetterError",
    "Section",
    "decode_letter",
    "normalise_text",
    "parse_letter",
    "question_warnings",
]
