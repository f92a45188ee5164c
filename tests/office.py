"""LibreOffice, as editors and delegates use it: to open our Word and ODT files and to turn
Word files into PDFs. CI installs it; elsewhere the tests that need it are skipped."""

import shutil
import subprocess
from pathlib import Path

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(*sources: Path, folder: Path) -> None:
    """Save each source as a PDF beside it in `folder`, as LibreOffice's "Export as PDF"."""
    result = subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for source in sources:
        assert (folder / f"{source.stem}.pdf").exists(), result.stdout + result.stderr
