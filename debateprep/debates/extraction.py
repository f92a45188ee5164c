"""The text of a letter file as editors receive it: a PDF, a Word (.docx) or a text file.

The file is recognised by its content, never by its name: a PDF saved as "letter.txt" or a
Word file named ".pdf" is read for what it is. Every failure is a LetterError whose message
tells an editor what to do; no exception of a library reaches the caller.

The text keeps the document's paragraphs apart with a blank line, and a PDF's pages with a
form feed ("\\f") at the start of each page after the first, as pdftotext writes them, so that
the parser can tell a page break from a paragraph break. A Word file has no pages: its page
headers and footers come once, before its text.

Pure module: no Django, so that it can be used outside the app.
"""

import codecs
import io
import re
import time
import zipfile
from collections.abc import Iterator

import docx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError

from debateprep.debates.letter import LetterError, decode_letter

__all__ = ["MAX_LETTER_BYTES", "check_size", "extract_text"]

# A concept paper runs to a few pages, a PDF of it to a few hundred KB; anything far larger is
# not a letter, and is not worth the time its extraction would take.
MAX_LETTER_BYTES = 1024 * 1024
# A .docx is a ZIP archive: a small file can unpack to gigabytes. Pictures are only copied;
# the XML is parsed, and a letter's runs to a few hundred KB.
_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_MAX_XML_BYTES = 4 * 1024 * 1024
# A letter with its annex runs to a handful of pages. A PDF of a thousand pages sharing one
# content stream fits in a few hundred KB and would take minutes to read, so the pages are
# counted first, each stream's unpacked size is bounded, and reading stops after a while.
_MAX_PDF_PAGES = 40
_PDF_LIMITS = {"zlib_maximum_output_length": 16 * 1024 * 1024}
_MAX_PDF_SECONDS = 10

_NOT_A_LETTER_FILE = gettext_lazy("this is not a text, PDF or Word file")
_ENCRYPTED = gettext_lazy("this PDF is encrypted: save it without a password and load it again")
_NO_TEXT_LAYER = gettext_lazy(
    "this PDF has no text layer (a scanned image?): load the Word or text version of the "
    "letter, or a PDF made from it"
)


def check_size(size: int) -> None:
    if size > MAX_LETTER_BYTES:
        raise LetterError(
            _("this file is %(size)s KB; a letter is at most %(limit)s KB")
            % {"size": -(-size // 1024), "limit": MAX_LETTER_BYTES // 1024}
        )


def extract_text(raw: bytes, name: str = "") -> str:
    """The text of a PDF, Word (.docx) or text file, with "\\n" line ends.

    `name`, the file's name, only tells an editor that a file is not what its name says: the
    content decides how the file is read.
    """
    check_size(len(raw))
    # The PDF header may follow some bytes of junk, which readers accept.
    if b"%PDF-" in raw[:1024]:
        text = _pdf_text(raw)
    elif raw.startswith(b"PK\x03\x04"):
        text = _docx_text(raw)
    elif raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise LetterError(
            _("this is an old Word (.doc) file: save it as .docx or PDF and load it again")
        )
    elif raw.lstrip().startswith(b"{\\rtf"):
        raise LetterError(_("this is an RTF file: save it as .docx or PDF and load it again"))
    else:
        try:
            text = _decoded(raw)
        except LetterError as error:
            raise _misnamed(error, name) from None
    return _clean(text)


def _misnamed(error: LetterError, name: str) -> LetterError:
    """The error, saying so when the name promised a PDF or a Word file."""
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in ("pdf", "docx") and str(error).startswith(str(_NOT_A_LETTER_FILE)):
        return LetterError(
            (
                _("%(error)s; its name ends in .pdf, but it is not a PDF")
                if suffix == "pdf"
                else _("%(error)s; its name ends in .docx, but it is not a Word file")
            )
            % {"error": error}
        )
    return error


# --------------------------------------------------------------------------- text files

_BYTE_ORDER_MARKS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
)
# Control characters never typed in a letter; a few stray ones survive copying from Word.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decoded(raw: bytes) -> str:
    """UTF-8 (BOM optional), UTF-16 with a BOM, else Windows-1252: what Windows editors save."""
    if raw.startswith(_BYTE_ORDER_MARKS):
        return _text_or_refuse(decode_letter(raw))
    if b"\x00" in raw:
        raise LetterError(
            _("%(reason)s (it contains NUL bytes; UTF-16 text needs a byte-order mark)")
            % {"reason": _NOT_A_LETTER_FILE}
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _text_or_refuse(decode_letter(raw))
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise LetterError(
            _(
                "%(reason)s (byte 0x%(byte)02x at position %(position)s is neither UTF-8 nor "
                "Windows-1252 text)"
            )
            % {"reason": _NOT_A_LETTER_FILE, "byte": raw[error.start], "position": error.start}
        ) from None
    if not text.strip():
        raise LetterError(_("the file is empty"))
    return _text_or_refuse(text)


def _text_or_refuse(text: str) -> str:
    # Text has next to no control characters; any binary file read as text is full of them.
    if len(_CONTROLS.findall(text)) * 100 > len(text):
        raise LetterError(
            _("%(reason)s (it is full of control characters)") % {"reason": _NOT_A_LETTER_FILE}
        )
    return text


_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)


def _clean(text: str) -> str:
    """One kind of line end, and no character the parser would take for text by mistake."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    # A soft hyphen at a line end is where a word was broken, shown as a hyphen.
    text = text.replace("\u00ad\n", "-\n").replace("\u00ad", "")
    return _CONTROLS.sub(" ", text.translate(_LIGATURES))


# --------------------------------------------------------------------------- PDF


def _pdf_text(raw: bytes) -> str:
    try:
        with apply_configuration(**_PDF_LIMITS):
            pages = _pdf_pages(raw)
    except LetterError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise LetterError(_ENCRYPTED) from None
    # pypdf raises whatever a damaged file leads it to: its own errors, but also ValueError,
    # KeyError, TypeError, RecursionError...
    except Exception as error:
        raise LetterError(
            _("this PDF cannot be read (is it damaged?): %(reason)s") % {"reason": _reason(error)}
        ) from None
    if not any(_CONTROLS.sub("", page).strip() for page in pages):
        raise LetterError(_NO_TEXT_LAYER)
    return "\f".join(page.strip("\n") + "\n" for page in pages)


def _pdf_pages(raw: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(raw))
    # Many PDFs are encrypted only to restrict printing or copying, with an empty password
    # for opening them.
    if reader.is_encrypted and not reader.decrypt(""):
        raise LetterError(_ENCRYPTED)
    count = len(reader.pages)
    if not count:
        raise LetterError(_("this PDF cannot be read (is it damaged?): it has no pages"))
    if count > _MAX_PDF_PAGES:
        raise LetterError(
            _("this PDF has %(count)s pages; a letter with its annex has at most %(limit)s")
            % {"count": count, "limit": _MAX_PDF_PAGES}
        )
    deadline = time.monotonic() + _MAX_PDF_SECONDS
    pages = []
    for page in reader.pages:
        if time.monotonic() > deadline:
            raise LetterError(
                _("this PDF takes too long to read to be a letter: load its Word or text version")
            )
        pages.append(_page_text(page))
    return pages


# Word's bullets are drawn from symbol fonts, in Unicode's private use area.
_SYMBOL_BULLET = re.compile(r"^(\s*)[\ue000-\uf8ff](?=\s)", re.MULTILINE)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _page_text(page) -> str:
    """The page's lines with a blank line where a paragraph ends.

    pypdf's layout mode keeps the vertical gaps between paragraphs, which its plain mode
    loses, and which the parser needs; plain mode is kept for pages layout mode cannot read.
    """
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:
        text = page.extract_text()
    return _SYMBOL_BULLET.sub("\\1\u2022", _TRAILING_SPACE.sub("", text))


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


# --------------------------------------------------------------------------- Word

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Text of a paragraph that is not its own: text boxes (drawn over the page, and repeated in a
# fallback for older readers), and deletions kept by tracked changes.
_NOT_THE_PARAGRAPHS = {
    f"{_W}txbxContent",
    f"{_MC}Fallback",
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}instrText",
    f"{_W}delText",
}
_RUN_TEXT = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
_MARKER_CELL = re.compile(r"\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,6})[.)]")
_LEADING_MARKER = re.compile(r"\s*(?:\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,6})[.)]|-)\s+(?=\S)")


def _docx_text(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    # zipfile too raises more than BadZipFile, e.g. NotImplementedError for a version byte.
    except Exception:
        raise LetterError(
            _("this file cannot be read: a damaged ZIP archive (a Word file?)")
        ) from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        what = _("an OpenDocument file") if "content.xml" in names else _("a ZIP archive")
        raise LetterError(
            _("%(reason)s (%(what)s, not a Word document): save it as .docx or PDF")
            % {"reason": _NOT_A_LETTER_FILE, "what": what}
        )
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if sum(member.file_size for member in members) > _MAX_UNPACKED_BYTES or xml > _MAX_XML_BYTES:
        raise LetterError(_("this Word file is too large once unpacked to be a letter"))
    try:
        document = docx.Document(io.BytesIO(raw))
        paragraphs = list(_blocks(document.element.body, _Numbering(document)))
        furniture = _page_furniture(document)
    # python-docx and lxml raise whatever a damaged file leads them to.
    except Exception as error:
        raise LetterError(
            _("this Word file cannot be read (is it damaged, or not a .docx?): %(reason)s")
            % {"reason": _reason(error)}
        ) from None
    if not "".join(paragraphs).strip():
        raise LetterError(_("this Word file has no text (only pictures?)"))
    return "\n\n".join([*furniture, *paragraphs])


_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _page_furniture(document) -> list[str]:
    """The paragraphs of the page headers, then of the page footers, each text once.

    Word repeats them on every page, where a PDF of the letter has them; once, above the
    text, they stand where the parser looks for the header lines (the document symbol, the
    job number) and drops what is page furniture.
    """
    # Their lists are numbered apart from the body's.
    numbering = _Numbering(document)
    sections = list(document.element.body.iter(f"{_W}sectPr"))
    found: list[str] = []
    for reference_tag in (f"{_W}headerReference", f"{_W}footerReference"):
        for section in sections:
            for reference in section.iter(reference_tag):
                part = document.part.related_parts.get(reference.get(f"{_R}id"))
                if part is not None:
                    found.extend(_blocks(part.element, numbering))
    return list(dict.fromkeys(paragraph for paragraph in found if paragraph.strip()))


def _blocks(container, numbering: "_Numbering") -> Iterator[str]:
    """The paragraphs of a body or table cell, in order, each as one string."""
    for element in container:
        if element.tag == f"{_W}p":
            # An empty numbered paragraph still takes its number, as Word shows it.
            marker, text = numbering.marker(element), _paragraph_text(element)
            if text.strip():
                yield (marker + text).rstrip()
        elif element.tag == f"{_W}tbl":
            yield from _table(element, numbering)
        elif element.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = element.find(f"{_W}sdtContent")
            yield from _blocks(element if content is None else content, numbering)


def _table(table, numbering: "_Numbering") -> Iterator[str]:
    """Each row as a paragraph, its cells apart by a tab as a table copied from a PDF keeps
    them: a question stands one to a row, after its number and its label if the table has
    columns for them ("1. Resilience<tab>How can ...?"). A cell of several paragraphs ends
    the row's paragraph with its first, its others following as paragraphs of their own."""
    for row in table.findall(f"{_W}tr"):
        cells = [list(_blocks(cell, numbering)) for cell in row.findall(f"{_W}tc")]
        line = ""
        for paragraphs in filter(None, cells):
            # A cell holding only a list marker numbers the question in the next cell.
            if len(paragraphs) == 1 and _MARKER_CELL.fullmatch(paragraphs[0].strip()):
                line += paragraphs[0].strip() + " "
                continue
            first = paragraphs[0]
            if line and not line.endswith(" "):
                # A question Word numbers in its cell, beside its label, is numbered first:
                # "1. Label<tab>Question".
                if marker := _LEADING_MARKER.match(first):
                    line, first = marker[0].lstrip() + line, first[marker.end() :]
                first = "\t" + first
            line += first
            if len(paragraphs) > 1:
                yield line
                yield from paragraphs[1:]
                line = ""
        if line.strip():
            yield line.rstrip()


def _paragraph_text(paragraph) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _NOT_THE_PARAGRAPHS:
                continue  # comments and processing instructions have a non-string tag
            if child.tag == f"{_W}t":
                parts.append(child.text or "")
            elif child.tag in _RUN_TEXT:
                parts.append(_RUN_TEXT[child.tag])
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


class _Numbering:
    """The numbers Word draws before numbered paragraphs, which the file does not hold as text.

    Only the common cases: counters per list and level, restarted below a higher level, in
    the list's formats ("1.", "(a)", "iv)"), and bullets shown as "-". A number is indented
    as far as Word draws it, so that sub-items stand under their question as in typed text:
    Word nests a list by indenting it, often with a list of its own at its first level
    ("List Bullet 2") rather than a deeper level of the question's list.
    """

    _DEPTH = 9
    # A quarter of an inch in twips, the step of Word's own list styles: four spaces each.
    _INDENT_STEP = 360

    def __init__(self, document) -> None:
        self._styles = self._style_numbering(document.styles.element)
        self._style_indents = self._indents_of_styles(document.styles.element)
        self._levels = self._level_definitions(document.part.numbering_part.element)
        self._counters: dict[str, list[int | None]] = {}

    @staticmethod
    def _style_numbering(styles) -> dict[str, tuple[str | None, str | None, str | None]]:
        """For each paragraph style: its list, its level and the style it is based on."""
        found = {}
        for style in styles.iter(f"{_W}style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            based_on = style.find(f"{_W}basedOn")
            found[style.get(f"{_W}styleId")] = (
                _val(num_pr, "numId"),
                _val(num_pr, "ilvl"),
                None if based_on is None else based_on.get(f"{_W}val"),
            )
        return found

    @staticmethod
    def _indents_of_styles(styles) -> dict[str, int | None]:
        """For each paragraph style, its left indent, or that of the style it is based on."""
        own, based_on = {}, {}
        for style in styles.iter(f"{_W}style"):
            own[style.get(f"{_W}styleId")] = _left_indent(style)
            based_on[style.get(f"{_W}styleId")] = _val(style, "basedOn")

        def inherited(name: str | None) -> int | None:
            seen = set()
            while name in own and name not in seen and own[name] is None:
                seen.add(name)
                name = based_on[name]
            return own.get(name) if name not in seen else None

        return {name: inherited(name) for name in own}

    @staticmethod
    def _level_definitions(numbering) -> dict[str, dict[int, tuple[int, str, str, int | None]]]:
        """For each list (numId): for each level, its start, format, text ("%1.") and indent."""

        def levels(parent) -> dict[int, tuple[int, str, str, int | None]]:
            return {
                int(lvl.get(f"{_W}ilvl", "0")): (
                    int(_val(lvl, "start") or 1),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    _left_indent(lvl),
                )
                for lvl in parent.findall(f"{_W}lvl")
            }

        abstract = {
            element.get(f"{_W}abstractNumId"): levels(element)
            for element in numbering.findall(f"{_W}abstractNum")
        }
        lists = {}
        for num in numbering.findall(f"{_W}num"):
            defined = dict(abstract.get(_val(num, "abstractNumId"), {}))
            for override in num.findall(f"{_W}lvlOverride"):
                level = int(override.get(f"{_W}ilvl", "0"))
                defined.update(levels(override))
                start = _val(override, "startOverride")
                if start is not None and level in defined:
                    defined[level] = (int(start), *defined[level][1:])
            lists[num.get(f"{_W}numId")] = defined
        return lists

    def _list_of(self, paragraph) -> tuple[str | None, int]:
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        num_id, level = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        style = _val(paragraph.find(f"{_W}pPr"), "pStyle")
        seen = set()
        while num_id is None and style is not None and style not in seen:
            seen.add(style)
            style_num_id, style_level, style = self._styles.get(style, (None, None, None))
            num_id, level = style_num_id, level or style_level
        return num_id, min(int(level or 0), self._DEPTH - 1)

    def marker(self, paragraph) -> str:
        """The paragraph's number or bullet and a space, or "" if it has none."""
        num_id, level = self._list_of(paragraph)
        levels = self._levels.get(num_id or "0")
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [None] * self._DEPTH)
        current = counters[level]
        counters[level] = levels[level][0] if current is None else current + 1
        counters[level + 1 :] = [None] * (self._DEPTH - level - 1)
        _, style, template, level_indent = levels[level]
        indent = "    " * self._depth(paragraph, level, level_indent)
        if style == "bullet":
            return indent + "- "
        if style == "none" or not template:
            return ""

        def number(match: re.Match[str]) -> str:
            shown = int(match.group(1)) - 1
            if shown not in levels:
                return ""
            value = counters[shown] if counters[shown] is not None else levels[shown][0]
            return _formatted(value, levels[shown][1])

        return indent + re.sub(r"%([1-9])", number, template) + " "

    def _depth(self, paragraph, level: int, level_indent: int | None) -> int:
        """How many steps in Word draws the paragraph: its own indent before its list level's,
        before its style's; its level in the list if none says."""
        style = _val(paragraph.find(f"{_W}pPr"), "pStyle")
        for indent in (_left_indent(paragraph), level_indent, self._style_indents.get(style or "")):
            if indent is not None:
                return max(0, round(indent / self._INDENT_STEP) - 1)
        return level


def _left_indent(element) -> int | None:
    """The left indent in twips of a paragraph, style or list level, if it sets one."""
    found = element.find(f"{_W}pPr/{_W}ind")
    value = None if found is None else found.get(f"{_W}left") or found.get(f"{_W}start")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _val(element, child: str) -> str | None:
    """The w:val of a child element, as in <w:numId w:val="3"/>."""
    if element is None:
        return None
    found = element.find(f"{_W}{child}")
    return None if found is None else found.get(f"{_W}val")


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _formatted(value: int, style: str) -> str:
    if style in ("lowerLetter", "upperLetter") and value > 0:
        # Word goes on with "aa", "bb"... after "z".
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if style == "lowerLetter" else letters.upper()
    if style in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        numeral = ""
        for amount, digits in _ROMAN:
            count, value = divmod(value, amount)
            numeral += digits * count
        return numeral if style == "lowerRoman" else numeral.upper()
    if style == "decimalZero":
        return f"{value:02d}"
    return str(value)
