"""The CSV outputs as a real spreadsheet sees them: LibreOffice Calc, headless.

Each table is imported as a double click in LibreOffice imports it (comma, semicolon
and tab all separate cells), with formula evaluation switched on (stricter than the
default), and saved as a spreadsheet; then saved back as CSV, as a user re-saving the
file does, and read again. ``make test`` installs Debian's ``libreoffice-calc-nogui``;
the tests fail, not skip, without it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import converter
from converter.model import LocalizedText, Muscle
from tests.conftest import SAMPLES
from tests.formats.test_csv import HOSTILE, hostile_muscle

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
#: LibreOffice's CSV import: separators , ; and tab, " quotes, UTF-8, from line 1, no
#: special numbers, formulas evaluated.
IMPORT = "Text - txt - csv (StarCalc):44/59/9,34,76,1,,0,false,false,false,false,false,-1,true"
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1"
TABLES = ("muscles", "texts", "functions", "exercises", "regions")
#: Texts LibreOffice takes for numbers, dates and formulas when they are not kept text.
NUMBER_LIKE = ["007", "1,000", " 5", "1.50", "2001-1-1", "3:30", "50%", "TRUE", "1e5",
               "422,216,435,216,443,219"]


def soffice(tmp: Path, target: str, out: Path, *files: Path, infilter: str = "") -> None:
    """Convert ``files`` with LibreOffice (a profile of its own under ``tmp``)."""
    if not Path(SOFFICE).is_file():
        pytest.fail("LibreOffice is missing: install the Debian package "
                    "libreoffice-calc-nogui (make test does this)")
    args = [SOFFICE, "--headless", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target,
            "--outdir", str(out), *map(str, files)]
    subprocess.run(args, check=True, capture_output=True, timeout=300)


def formulas(ods: Path) -> list[str]:
    """The formulas of an OpenDocument spreadsheet's cells."""
    with zipfile.ZipFile(ods) as sheet:
        return re.findall(r'table:formula="([^"]*)"', sheet.read("content.xml").decode())


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The package and the flat sheet as written, as spreadsheets, and saved back."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    # (no tabs: LibreOffice drops a tab inside a cell when tab separates cells too, as
    # the README says)
    texts = [t for t in [*HOSTILE, *NUMBER_LIKE] if t and "\n" not in t and "\t" not in t]
    numbers = Muscle(slug="numbers", title="007", latin="1,000",
                     origin=LocalizedText({"da": "3:30", "en": "50%"}), exercises=tuple(texts))
    hostile = hostile_muscle()
    hostile = replace(hostile, insertion=LocalizedText({
        lang: text.replace("\t", " ") for lang, text in hostile.insertion.items()}))
    muscles = [*converter.read(SAMPLES), hostile, numbers]
    converter.write(muscles, tmp / "pkg", "csv")
    converter.write(muscles, tmp / "flat.csv", "csv", flat=True)
    (tmp / "raw.csv").write_text("slug,title\na,=1+1\n", encoding="utf-8")  # (a control)
    written = [*(tmp / "pkg" / f"{t}.csv" for t in TABLES), tmp / "flat.csv", tmp / "raw.csv"]
    soffice(tmp, "ods", tmp / "ods", *written, infilter=IMPORT)
    soffice(tmp, EXPORT, tmp / "back", *(tmp / "ods" / f"{p.stem}.ods" for p in written))
    (tmp / "back" / "pkg").mkdir()
    for table in TABLES:
        (tmp / "back" / f"{table}.csv").rename(tmp / "back" / "pkg" / f"{table}.csv")
    shutil.copy(tmp / "pkg" / "datapackage.json", tmp / "back" / "pkg")
    return {"tmp": tmp, "muscles": tmp / "pkg", "flat": tmp / "flat.csv"}


def test_no_cell_of_any_table_becomes_a_formula(resaved: dict[str, Path]) -> None:
    ods = resaved["tmp"] / "ods"
    assert formulas(ods / "raw.ods") == ["of:=1+1"]  # (the check can fail)
    for name in [*TABLES, "flat"]:
        assert formulas(ods / f"{name}.ods") == [], name


def test_the_flat_sheet_saved_again_by_the_spreadsheet_reads_as_written(
        resaved: dict[str, Path]) -> None:
    """Texts that look like numbers (007, a coords list) and formulas stay text."""
    back = converter.read(resaved["tmp"] / "back" / "flat.csv")
    assert back == converter.read(resaved["flat"])
    assert next(m for m in back if m.slug == "numbers").title == "007"


def test_the_package_saved_again_by_the_spreadsheet_keeps_its_columns(
        resaved: dict[str, Path]) -> None:
    """Texts with ; stay in their cells, formulas stay text; texts that look like
    numbers are the documented loss (the flat sheet is the one for spreadsheets)."""
    written = {m.slug: m for m in converter.read(resaved["muscles"])}
    back = {m.slug: m for m in converter.read(resaved["tmp"] / "back" / "pkg")}
    assert back.keys() == written.keys()
    for slug in sorted(set(written) - {"hostile", "numbers"}):
        assert back[slug] == written[slug], slug
    assert back["hostile"].title == written["hostile"].title  # =HYPERLINK(...), as text
    assert back["numbers"].title == "7"  # (the loss the README names)
