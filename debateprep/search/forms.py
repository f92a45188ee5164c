from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WORD = re.compile(r"\w")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "aria-describedby": "search-help"}
        ),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if not WORD.search(query):
            raise ValidationError(_("Type a word to search for."))
        return query
