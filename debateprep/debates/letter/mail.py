"""Where a document pasted from an e-mail ends: before what the e-mail adds after it.

After the document an e-mail may carry the sender's sign-off and signature, "Sent from my
iPhone", a confidentiality notice or a disclaimer, often below a rule of underscores. These
are cut only at the end of the text, and only when every paragraph after the cut is of
these kinds: a paragraph that may be the letter's or the annex's is always kept. A block of
contact details without a sign-off or a notice is the e-mail's only if the text has an
e-mail's headers ("From:", "Sent:", "Subject:"); otherwise a concept note may end with it.
"""

import re
from collections.abc import Sequence

from debateprep.debates.letter.lines import _MAIL_HEADER, Block, _Line, _sentences, _squash

_RULE = re.compile(r"\s*[_\-=*~\u2013\u2014]{5,}\s*")
# "Sent from my iPhone", "Get Outlook for Android", "Envoyé de mon iPad".
_FROM_A_DEVICE = re.compile(
    r"\s*(?:(?:sent|envoy\w*|enviado)\s+(?:from|de|desde)\s+(?:my|mon|ma|mi)\s+\S+(?:\s+\S+){0,3}"
    r"|sent\s+from\s+(?:mail|outlook|yahoo\s+mail|gmail)\b[^\n]{0,40}"
    r"|get\s+outlook\s+for\s+\S+)\s*",
    re.IGNORECASE,
)
# A notice is told by how it starts, or by what its first sentence says about the message.
_NOTICE_START = re.compile(
    r"\s*(?:disclaimer|confidentiality\s+(?:notice|note|warning|statement)|legal\s+notice"
    r"|caution\s*:\s*(?:this\s+)?(?:e-?mail|message)|please\s+consider\s+the\s+environment"
    r"|(?:this|the)\s+(?:e-?mail|message|communication|transmission|information)\b)",
    re.IGNORECASE,
)
_NOTICE_WORDS = re.compile(
    r"\b(?:confidential\w*|privileged|intended\s+(?:solely|only|exclusively)|in\s+error"
    r"|unauthori[sz]ed|viruses|disclaimer|environment\s+before\s+printing|originated\s+outside"
    r"|external\s+sender)\b",
    re.IGNORECASE,
)
# "Best regards,", "Kind regards", "Thanks!", "Cheers": an e-mail's closing, never a letter's
# (a letter closes with "Accept, Excellency, the assurances..." or its "(Signed)" line).
_SIGN_OFF = re.compile(
    r"\s*(?:(?:with\s+)?(?:best|kind|kindest|warm|warmest|many)\s+(?:regards|wishes|thanks)"
    r"|regards|best|thanks(?:\s+(?:again|and\s+regards))?|thank\s+you|cheers|cordialement"
    r"|saludos(?:\s+cordiales)?|bien\s+cordialement)\s*[,.!]?\s*",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bwww\.|https?://"
    r"|(?:\b(?:tel|phone|mobile|mob|cell|fax|office)\b\.?\s*:?|(?<![\w/])\+)\s*\d[\d ().-]{6,}",
    re.IGNORECASE,
)
_SIGNED = re.compile(r"\(Signed\)", re.IGNORECASE)
_MIN_MAIL_HEADERS = 2
_MAX_SIGNATURE_LINES = 12
_MAX_SIGNATURE_LINE = 100

_NOTICE, _RULE_ONLY, _CONTACTS = range(3)


def _kind(block: Block) -> int | None:
    """What of an e-mail's furniture the paragraph is, or None if it may be the document's."""
    lines = [line.text for line in block]
    if any(_SIGNED.search(text) for text in lines):
        return None
    # "-- " starts a signature, by the convention of e-mail programs.
    if lines[0].strip() == "--" and len(lines) > 1 and _short(lines):
        return _NOTICE
    # A rule of underscores often stands right above the notice, without a blank line.
    while lines and _RULE.fullmatch(lines[0]):
        lines.pop(0)
    if not lines:
        return _RULE_ONLY
    first = _squash("\n".join(lines))
    if _FROM_A_DEVICE.fullmatch(lines[0]):
        return _NOTICE if _short(lines) else None
    if _NOTICE_START.match(first) and _NOTICE_WORDS.search(_sentences(first)[0]):
        return _NOTICE
    if _SIGN_OFF.fullmatch(lines[0]) and _short(lines):
        return _NOTICE
    if len(lines) >= 2 and _short(lines) and any(_CONTACT.search(text) for text in lines):
        return _CONTACTS
    return None


def _short(lines: Sequence[str]) -> bool:
    return len(lines) <= _MAX_SIGNATURE_LINES and all(
        len(text) <= _MAX_SIGNATURE_LINE and not text.rstrip().endswith("?") for text in lines
    )


def _document_end(blocks: Sequence[Block], lines: Sequence[_Line]) -> int:
    """How many of the paragraphs belong to the document: those before the e-mail's
    sign-off, signature and notices at the end of the text, if it has them."""
    headers = sum(1 for line in lines[:200] if _MAIL_HEADER.match(line.text))
    mailed = headers >= _MIN_MAIL_HEADERS
    end = len(blocks)
    for i in range(len(blocks) - 1, 0, -1):
        kind = _kind(blocks[i])
        if kind is None:
            break
        # A rule goes with the notice below it; contact details with a sign-off or notice
        # on either side, or with the e-mail's headers. A notice takes all below it.
        if kind == _NOTICE or (kind == _CONTACTS and mailed) or end < len(blocks):
            end = i
    return end
