import re

from django import forms
from django.utils.translation import gettext_lazy as _

from debateprep.debates.extraction import MAX_LETTER_BYTES
from debateprep.debates.models import Debate


class LetterUploadForm(forms.Form):
    letter = forms.FileField(
        required=False,
        # Only a hint for the browser's file picker: the file is read by its content.
        widget=forms.FileInput(
            attrs={
                "accept": (
                    ".pdf,.docx,.txt,application/pdf,text/plain,application/"
                    "vnd.openxmlformats-officedocument.wordprocessingml.document"
                )
            }
        ),
        help_text=_("The letter with its annex: a PDF, a Word (.docx) or a text file."),
        label=_("Letter"),
    )
    pasted = forms.CharField(
        required=False,
        label=_("Or paste its text"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=_("E-mail headers and a covering note may stay in: the parser skips them."),
    )

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        if letter and letter.size > MAX_LETTER_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s KB; a letter is at most %(limit)s KB.")
                % {"size": -(-letter.size // 1024), "limit": MAX_LETTER_BYTES // 1024}
            )
        return letter

    def clean_pasted(self):
        pasted = self.cleaned_data["pasted"]
        if len(pasted.encode()) > MAX_LETTER_BYTES:
            raise forms.ValidationError(
                _("A letter is at most %(limit)s KB.") % {"limit": MAX_LETTER_BYTES // 1024}
            )
        return pasted

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("letter") and not cleaned.get("pasted", "").strip():
            raise forms.ValidationError(_("Choose a file or paste the letter's text."))
        return cleaned


class LetterFieldsForm(forms.Form):
    """The parsed letter as the editor corrects it; the source travels with it so that nothing
    is kept on the server between the preview and the creation."""

    source = forms.CharField(widget=forms.HiddenInput, max_length=MAX_LETTER_BYTES)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    # The debate the fields and questions below were drawn for: choosing another redraws them.
    prepared_for = forms.IntegerField(required=False, widget=forms.HiddenInput)
    debate = forms.ModelChoiceField(
        Debate.objects.all(),
        required=False,
        empty_label=_("A new debate, unpublished"),
        label=_("Load into"),
        help_text=_(
            "A debate this letter was loaded as before is chosen for you: a revised "
            "letter updates its questions and keeps every answer under its question."
        ),
    )
    # Not required here: loading names what a debate lacks, as it does for every source.
    title = forms.CharField(required=False, label=_("Title"))
    organ = forms.CharField(required=False, label=_("Organ"))
    meeting_kind = forms.CharField(required=False, label=_("Meeting kind"))
    meeting_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("Meeting date"),
    )
    presidency = forms.CharField(required=False, label=_("Presidency"))
    sender = forms.CharField(required=False, label=_("Sender"))
    letter_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("Letter date"),
    )
    distribution_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("Distribution date"),
    )
    signatory = forms.CharField(required=False, label=_("Signatory"))
    symbol = forms.CharField(required=False, label=_("Document symbol"))
    heading = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Heading")
    )
    outcome = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Outcome")
    )


class QuestionForm(forms.Form):
    order = forms.IntegerField(min_value=1, required=False, label=_("Order"))
    marker = forms.CharField(required=False, label=_("Marker"))
    label = forms.CharField(required=False, label=_("Label"))
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 60}), label=_("Text")
    )
    # Where the question stands in the source, to highlight it; not shown.
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput)
    # The letter's wording the question stands for, and the debate's question it updates.
    wording = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    question = forms.IntegerField(required=False, widget=forms.HiddenInput)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, can_delete=True)


ROW_FIELDS = ("marker", "label", "text", "paragraph", "wording", "question")


def question_rows(formset) -> list[dict]:
    """The questions the editor kept, in the order they gave, numbered again from 1; rows
    added without an order follow the others in the order they stand on the page."""
    kept = [
        (form.cleaned_data.get("order") or float("inf"), index, form.cleaned_data)
        for index, form in enumerate(formset.forms)
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("text", "").strip()
    ]
    rows = [
        {key: data.get(key, "") if key != "question" else data.get(key) for key in ROW_FIELDS}
        for _, _, data in sorted(kept, key=lambda entry: entry[:2])
    ]
    return renumbered(rows)


# What a question split off another may begin with: its marker ("c.", "(iii)") and its label
# ("Capacity-building:", "Prevention —"), which the new row then shows in their own fields.
_MARKER = re.compile(r"\s*(\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,5})[.)])\s+")
_LABEL = re.compile(r"([A-Z][^.?!:\n]{0,60}?)\s*(?::|\s[-\u2013\u2014]\s)\s*(?=\S)")
_MAX_LABEL_WORDS = 6


def _new_row(text: str) -> dict:
    text = text.strip()
    row = {"marker": "", "label": "", "text": text, "paragraph": text, "wording": ""}
    if marker := _MARKER.match(text):
        row["marker"], text = marker.group(1), text[marker.end() :]
    label = _LABEL.match(text)
    if label and len(label.group(1).split()) <= _MAX_LABEL_WORDS:
        row["label"], text = label.group(1), text[label.end() :]
    return {**row, "text": text, "question": None}


def split_row(rows: list[dict], number: int) -> str:
    """Split question `number` at each "||" the editor typed, else after its first question
    mark; returns why it cannot be split, or "". The first part stays the question it was;
    the others are new, with their marker and label taken from their first words."""
    row = rows[number - 1]
    text = row["text"]
    if "||" in text:
        pieces = text.split("||")
    elif "? " in text.strip():
        cut = text.index("? ") + 1
        pieces = [text[:cut], text[cut:]]
    else:
        return f"Question {number} has no “||” and no question mark to split at."
    if not all(piece.strip() for piece in pieces):
        return f"Question {number} would leave an empty question."
    rows[number - 1 : number] = [
        {**row, "text": pieces[0].strip()},
        *(_new_row(piece) for piece in pieces[1:]),
    ]
    return ""


def merge_row(rows: list[dict], number: int) -> str:
    """Merge question `number` with the next: the first stays the question it was and stands
    for the letter's wording of both."""
    if number >= len(rows):
        return f"Question {number} is the last: there is none to merge it with."
    first, second = rows[number - 1], rows[number]
    rows[number - 1 : number + 1] = [
        {
            **first,
            "text": f"{first['text'].strip()} {second['text'].strip()}",
            # Kept apart so that each part is still found in the source, and in a letter
            # loaded again.
            "paragraph": f"{first['paragraph']}\n\n{second['paragraph']}",
            "wording": "\n\n".join(w for w in (first["wording"], second["wording"]) if w),
        }
    ]
    return ""


def renumbered(rows: list[dict]) -> list[dict]:
    return [{**row, "order": number} for number, row in enumerate(rows, start=1)]
