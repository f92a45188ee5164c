"""Uploaded bytes to text."""

import codecs

from django.utils.translation import gettext as _

from debateprep.debates.letter.result import LetterError

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_letter(raw: bytes) -> str:
    """Decode an uploaded file: UTF-8 (BOM optional) or UTF-16 with a BOM."""
    # UTF-32 LE's BOM begins with UTF-16 LE's, so it must be ruled out first.
    if raw.startswith(_UTF32_BOMS):
        raise LetterError(_("UTF-32 text is not supported; save the file as UTF-8"))
    if raw.startswith(_UTF16_BOMS):
        text = _decode_or_explain(raw, "utf-16", "UTF-16")
    elif raw.startswith(codecs.BOM_UTF8):
        text = _decode_or_explain(raw, "utf-8", "UTF-8", start=len(codecs.BOM_UTF8))
    else:
        text = _decode_or_explain(raw, "utf-8", "UTF-8")
    if "\x00" in text:
        raise LetterError(
            _("not a text file (it contains NUL bytes; UTF-16 needs a byte-order mark)")
        )
    if not text.lstrip("\ufeff").strip():
        raise LetterError(_("the file is empty"))
    return text


def _decode_or_explain(raw: bytes, codec: str, name: str, start: int = 0) -> str:
    """Decode raw[start:], reporting a bad byte by its position in the whole file."""
    try:
        return raw[start:].decode(codec)
    except UnicodeDecodeError as error:
        position = start + error.start
        raise LetterError(
            _("not %(encoding)s text (invalid byte 0x%(byte)02x at position %(position)s)")
            % {"encoding": name, "byte": raw[position], "position": position}
        ) from None
