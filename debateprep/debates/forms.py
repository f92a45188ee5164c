from django import forms

from debateprep.debates.extraction import MAX_LETTER_BYTES


class LetterUploadForm(forms.Form):
    letter = forms.FileField(
        # Only a hint for the browser's file picker: the file is read by its content.
        widget=forms.FileInput(
            attrs={
                "accept": (
                    ".pdf,.docx,.txt,application/pdf,text/plain,application/"
                    "vnd.openxmlformats-officedocument.wordprocessingml.document"
                )
            }
        ),
        help_text="The letter with its annex: a PDF, a Word (.docx) or a text file.",
    )
    publish = forms.BooleanField(
        required=False,
        initial=True,
        label="Publish to delegations now",
        help_text=(
            "Untick to check the parsed questions first; a new debate then stays a draft. "
            "A letter without a meeting date always does."
        ),
    )
    force = forms.BooleanField(
        required=False,
        label="Force the letter's wording",
        help_text=(
            "If the debate exists, questions an editor reworded take the letter's wording, and "
            "so do questions delegations have answered."
        ),
    )

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        if letter.size > MAX_LETTER_BYTES:
            raise forms.ValidationError(
                f"This file is {-(-letter.size // 1024)} KB; a letter is at most "
                f"{MAX_LETTER_BYTES // 1024} KB."
            )
        return letter
