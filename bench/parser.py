"""How long the letter parser takes on a megabyte of text, shape by shape.

    python bench/parser.py

Not a test. Each input is a megabyte (or as many lines as a letter may have) built from a shape
that once made the parser slow, or could; each is parsed three times. It prints the best time
and whether the text was read as a letter or refused. The target is under a second for each.
"""

from __future__ import annotations

import sys
import time

from workspace import ROOT

sys.path.insert(0, str(ROOT))
from debateprep.debates.letter import LetterError, parse_letter

MEGABYTE = 1_000_000
ROMANIA = (
    ROOT / "seeds" / "2004-07-20-romania-regional-organizations-stabilization.txt"
).read_text()


def megabyte_of(piece: str) -> str:
    return (piece * (MEGABYTE // len(piece) + 1))[:MEGABYTE]


SHAPES = {
    "the Romania letter, repeated": megabyte_of(ROMANIA),
    "emphasis that never closes": megabyte_of("*a "),
    "headings and questions": megabyte_of("Guiding questions\n\nWhat now?\n"),
    "symbols and headings": megabyte_of("\nS/2024/1Guiding questions"),
    # The heaviest lines there are, as many as a letter may have.
    "the same, just under 15,000 lines": "\nS/2024/1Guiding questions" * 7_400,
    "bullets": "Guiding questions\n\n" + megabyte_of("- How can the Council act earlier?\n"),
    "one line of questions": megabyte_of("Is this a question? "),
    "list markers alone": megabyte_of("- \n"),
    "short lines": megabyte_of("a\n"),
    "job numbers and barcodes": megabyte_of("19-07288 (E) 100519 *1907288*\n"),
    "footnotes and page breaks": megabyte_of("text1 more\n1 See it.\f"),
    "broken hyphens": ROMANIA + megabyte_of("gov-\nern and "),
    "letter headings": megabyte_of("Letter dated 1 May from the Representative of A of B "),
}


def main() -> None:
    print(f"{'input (1 MB)':<32}{'best s':>8}  outcome")
    for name, text in SHAPES.items():
        timings, outcome = [], ""
        for _ in range(3):
            started = time.perf_counter()
            try:
                letter = parse_letter(text)
                outcome = f"read: {len(letter.questions)} questions"
            except LetterError as error:
                outcome = f"refused: {str(error)[:60]}"
            timings.append(time.perf_counter() - started)
        print(f"{name:<32}{min(timings):>8.2f}  {outcome}")


if __name__ == "__main__":
    main()
