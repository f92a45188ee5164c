from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from debateprep.delegations.models import Delegation
from debateprep.drafting.exports import ExportOptions, Marking
from debateprep.drafting.models import MAX_ANSWER_CHARS, MAX_COMMENT_CHARS, Answer, Statement
from debateprep.drafting.overview import State
from debateprep.lib.languages import Language

# The largest version the database keeps (a PositiveIntegerField): past it, a version is not
# stale but wrong, and refused here before it reaches the database.
MAX_VERSION = 2**31 - 1


class AnswerForm(forms.Form):
    MINE, THEIRS, BOTH = "mine", "theirs", "both"

    # strip=False: what the delegate typed is saved exactly as typed. The length limit is
    # Answer.save_text's: a browser enforcing maxlength would silently cut a long paste.
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-answer-text": ""}),
        label=_("Text"),
    )
    version = forms.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        widget=forms.HiddenInput,
        error_messages={
            "max_value": _(
                "This page does not know which version it shows: copy your text, then reload "
                "the page."
            )
        },
    )
    # Set by the conflict panel: the version saved elsewhere that the delegate has now seen.
    conflict_version = forms.IntegerField(
        min_value=0, max_value=MAX_VERSION, required=False, widget=forms.HiddenInput
    )
    resolve = forms.ChoiceField(
        required=False,
        choices=[(MINE, _("Keep mine")), (THEIRS, _("Take theirs")), (BOTH, _("Keep both"))],
        label=_("Resolve"),
    )

    def clean_text(self) -> str:
        # A form posted without JavaScript sends CRLF; autosave's and the database's text is LF.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolve") and cleaned.get("conflict_version") is None:
            raise forms.ValidationError(_("This conflict has expired; reload the page."))
        return cleaned

    @property
    def base_version(self) -> int:
        if self.cleaned_data.get("resolve"):
            return self.cleaned_data["conflict_version"]
        return self.cleaned_data["version"]


class CompareForm(forms.Form):
    """Which two versions of an answer the history compares; absent or unknown versions fall
    back to the last save's changes."""

    old = forms.IntegerField(min_value=0, required=False, label=_("Old"))
    new = forms.IntegerField(min_value=0, required=False, label=_("New"))
    page = forms.IntegerField(min_value=1, required=False, label=_("Page"))

    @property
    def options(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


class RestoreForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)
    # The answer's version when its history was opened: restoring over a newer save is refused.
    base_version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def __init__(self, *args, answer: Answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if version is not None and self.answer.pk:
            cleaned["revision"] = self.answer.revisions.filter(version=version).first()
        if cleaned.get("revision") is None:
            raise forms.ValidationError(_("That version of this answer does not exist."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Statement.Status.choices, label=_("Status"))
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Why (recorded with the change)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # A lead approving a statement that is not ready; the reason is then required.
    override = forms.BooleanField(required=False, label=_("Override"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("override") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the statement is approved as it is."))
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("noun", "Comment"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment first.")},
    )
    # The passage of the answer the comment is about, as selected in its box.
    quote = forms.CharField(
        required=False, strip=False, max_length=MAX_ANSWER_CHARS, label=_("Quote")
    )
    thread = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        # The length is checked on the server, with a message: a browser would cut a paste.
        self.fields["text"].widget.attrs.pop("maxlength", None)


class SuggestionForm(forms.Form):
    """Replacement text for the whole answer, or for the passage selected in its box (`quote`,
    found at `start` in the text the suggester saw)."""

    text = forms.CharField(
        label=_("Suggested text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    base_version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def __init__(self, *args, answer: Answer, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["note"].widget.attrs.pop("maxlength", None)
        self.answer = answer

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        seen = None
        if self.answer.pk:
            seen = self.answer.revisions.filter(version=cleaned["base_version"]).first()
        seen_text = seen.text if seen else ""
        if seen is None and cleaned["base_version"] != 0:
            raise forms.ValidationError(_("That version of this answer does not exist."))
        quote, replacement = cleaned["quote"], cleaned["text"]
        if quote:
            start = cleaned["start"]
            if start is None or seen_text[start : start + len(quote)] != quote:
                start = seen_text.find(quote)
            if start < 0:
                raise forms.ValidationError(
                    _("The selected passage is not in the answer any more: select it again.")
                )
            whole = seen_text[:start] + replacement + seen_text[start + len(quote) :]
        else:
            whole = replacement
        if whole == seen_text:
            raise forms.ValidationError(_("This suggestion changes nothing."))
        if len(whole) > MAX_ANSWER_CHARS:
            raise forms.ValidationError(
                _("Too long: the answer would be %(length)s characters, the limit is %(limit)s.")
                % {"length": len(whole), "limit": MAX_ANSWER_CHARS}
            )
        cleaned["whole"], cleaned["seen_text"] = whole, seen_text
        return cleaned


class DecisionForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))], label=_("Decision")
    )


class ResolveForm(forms.Form):
    resolved = forms.BooleanField(required=False, label=_("Resolved"))


class NoPositionForm(forms.Form):
    no_position = forms.BooleanField(required=False, label=_("No position"))


class LanguageForm(forms.Form):
    """The language a statement is written in."""

    language = forms.ChoiceField(choices=Language.choices, label=_("Written in"))


class FlagField(forms.Field):
    """An on/off option in a URL. Absent means its default, so that a bare URL gives the
    defaults (an unticked checkbox sends nothing, so it cannot mean "off" here)."""

    ON, OFF = {"1", "yes", "true", "on"}, {"0", "no", "false", "off"}

    def __init__(self, *, default: bool, **kwargs):
        super().__init__(required=False, **kwargs)
        self.default = default

    def to_python(self, value) -> bool:
        if value in self.empty_values:
            return self.default
        value = str(value).strip().lower()
        if value in self.ON:
            return True
        if value in self.OFF:
            return False
        raise forms.ValidationError(_("Use 1 for yes or 0 for no."), code="invalid")


class FlagCheckbox(forms.CheckboxInput):
    """A checkbox on the page that hands FlagField the query's own value, so that a URL with
    a wrong one is told so instead of being read as ticked."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class ExportForm(forms.Form):
    """How a statement is exported, from the query string of an export or preview URL."""

    marking = forms.ChoiceField(
        choices=Marking.choices, required=False, initial=Marking.CHECK, label=_("Marking")
    )
    headings = FlagField(
        default=True,
        label=_("Headings"),
        initial="1",
        widget=forms.RadioSelect(
            choices=[("1", _("Question labels as headings")), ("0", _("No headings"))]
        ),
    )
    reading_copy = FlagField(
        default=False,
        label=_("Reading copy for the lectern"),
        widget=FlagCheckbox(attrs={"value": "1"}),
    )

    def clean_marking(self) -> str:
        return self.cleaned_data["marking"] or Marking.CHECK

    @property
    def options(self) -> ExportOptions:
        return ExportOptions(**self.cleaned_data)

    @property
    def problem(self) -> str:
        """Each bad option by name, for a plain-text answer."""
        return (
            gettext("Invalid export options.")
            + " "
            + " ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())
        )


class PulseForm(forms.Form):
    """Where a member is on the statement's page: the answer they are in, whether they typed
    since their page last asked."""

    slot = forms.SlugField(required=False, max_length=40, label=_("Slot"))
    typing = forms.BooleanField(required=False, label=_("Typing"))


class EarlierPositionForm(AnswerForm):
    """An earlier position of the delegation inserted into the answer, with the answer's text as
    the page has it (typing not yet saved included) and the version it was loaded at."""

    source = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)


class OverviewFilterForm(forms.Form):
    """Which delegations the editors' overview of a debate shows."""

    kind = forms.ChoiceField(
        label=_("Kind of delegation"),
        required=False,
        choices=[("", _("All")), *Delegation.Kind.choices],
    )
    state = forms.ChoiceField(
        label=_("Statement"), required=False, choices=[("", _("All")), *State.choices]
    )
    invited = forms.BooleanField(label=_("Invited delegations only"), required=False)
