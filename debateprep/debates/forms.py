from django import forms

# A concept paper runs to a few pages; anything far larger is not a letter.
MAX_LETTER_BYTES = 1024 * 1024


class LetterUploadForm(forms.Form):
    letter = forms.FileField(help_text="The letter with its annex, as a UTF-8 text file.")
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
                f"This file is {letter.size // 1024} KB; a letter is at most "
                f"{MAX_LETTER_BYTES // 1024} KB of text."
            )
        return letter
