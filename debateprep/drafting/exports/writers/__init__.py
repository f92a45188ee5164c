"""One writer per format; each renders any document (document.py) and runs no query.

A writer is a module with `render(document, progress) -> bytes`.
"""

# Word has Times New Roman; LibreOffice and Typst substitute the metric-compatible Liberation
# Serif, so lines break in the same places everywhere.
FONT = "Times New Roman"
# The reading copy's paragraph number and running time hang in this much room left of the text.
MARGIN_NOTE_CM = 3
# A table's type: the compendium's coverage table holds a column for each question.
TABLE_PT = 9
