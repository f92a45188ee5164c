from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters nobody types, which would only come back into the page as they were sent.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A minus counts once, before a word: PostgreSQL cannot read dozens of them in a row.
MINUSES = re.compile(r"-[\s-]*-")
# How a query reads, as PostgreSQL's websearch does: words and "quoted phrases", each perhaps
# -left out, joined by "or".
TERM = re.compile(r'(-?)"([^"]+)"|(-?)([^\s"]+)')
OR = {"or", "OR"}
WORD = re.compile(r"\w")


def terms(query: str) -> tuple[list[str], list[str]]:
    """The words and phrases a query asks for, and those it leaves out."""
    wanted, unwanted = [], []
    for minus, phrase, minus_word, word in TERM.findall(query):
        term = phrase or word.strip(".,;:!?()[]{}'")
        if WORD.search(term) and term not in OR:
            (unwanted if minus or minus_word else wanted).append(term)
    return wanted, unwanted


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "aria-describedby": "search-help"}
        ),
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = MINUSES.sub("-", CONTROL.sub("", data["q"]))
        super().__init__(data, **kwargs)
        # A browser would cut a long paste short without a word: the server says why instead.
        self.fields["q"].widget.attrs.pop("maxlength", None)

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        # Searching only for what is absent would find everything.
        if not terms(query)[0]:
            raise ValidationError(_("Type a word to search for."))
        return query
