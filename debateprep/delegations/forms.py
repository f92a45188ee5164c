from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from debateprep.delegations.models import Membership


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        choices=Membership.Role, initial=Membership.Role.DRAFTER, label=_("Role")
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role, label=_("Role"))


class JoinForm(UserCreationForm):
    """The account a visitor makes with an invitation: its address is the invited one."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name")

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Before validation, so that a password close to the address is refused too.
        self.instance.email = email
        self.fields["username"].initial = re.sub(r"[^\w.@+-]", "", email.partition("@")[0])
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
