from django import forms

from debateprep.drafting.models import MAX_ANSWER_CHARS, Statement


class AnswerForm(forms.Form):
    MINE, THEIRS, BOTH = "mine", "theirs", "both"

    # strip=False: what the delegate typed is saved exactly as typed.
    text = forms.CharField(
        required=False,
        strip=False,
        max_length=MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "data-answer-text": ""}),
        error_messages={
            "max_length": (
                "Too long to save: %(show_value)d characters, the limit is %(limit_value)d. "
                "Your text is still here; shorten it and it will be saved."
            )
        },
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Set by the conflict panel: the version saved elsewhere that the delegate has now seen.
    conflict_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    resolve = forms.ChoiceField(
        required=False,
        choices=[(MINE, "Keep mine"), (THEIRS, "Take theirs"), (BOTH, "Keep both")],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolve") and cleaned.get("conflict_version") is None:
            raise forms.ValidationError("This conflict has expired; reload the page.")
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A browser enforcing maxlength would silently cut pasted text; the server says why instead.
        self.fields["text"].widget.attrs.pop("maxlength", None)

    @property
    def base_version(self) -> int:
        if self.cleaned_data.get("resolve"):
            return self.cleaned_data["conflict_version"]
        return self.cleaned_data["version"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Statement.Status.choices)
