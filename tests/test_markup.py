"""Pages validate as HTML: htmx's attributes are written data-hx-*, which HTML allows, in every
template and script, fragments included (tests/browser/test_accessibility.py checks the pages
as the browser shows them)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_HTMX_ATTRIBUTE = re.compile(r"(?<![\w-])hx-[a-z]")


def test_htmx_attributes_are_written_as_data_attributes():
    sources = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static" / "js").rglob("*.js")]
    bare = [
        f"{source.relative_to(ROOT)}:{number}"
        for source in sources
        for number, line in enumerate(source.read_text().splitlines(), start=1)
        if BARE_HTMX_ATTRIBUTE.search(line)
    ]
    assert bare == []
