"""The CSV outputs as a real spreadsheet sees them: LibreOffice Calc, headless.

Each table is imported as a double click in LibreOffice imports it (comma, semicolon
and tab all separate cells), with formula evaluation switched on (stricter than the
default), and saved as a spreadsheet; then saved back as CSV, as a user re-saving the
file does, and read again. A flat sheet written with ``--separator ';'`` is imported as
Danish Excel splits a double-clicked file: on ``;`` only. ``make test`` installs
Debian's ``libreoffice-calc-nogui``; the tests fail, not skip, without it.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from converter.cli import cli
from converter.model import LocalizedText, Muscle
from formats import csv as csv_format
from tests.conftest import SAMPLES, WAIT
from tests.formats.test_csv import HOSTILE, NUMBERS_ALONE, NUMBERS_IN_WORDS, hostile_muscle

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
#: LibreOffice's CSV import: separators , ; and tab, " quotes, UTF-8, from line 1, no
#: special numbers, formulas evaluated.
IMPORT = "Text - txt - csv (StarCalc):44/59/9,34,76,1,,0,false,false,false,false,false,-1,true"
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1"
#: As :data:`IMPORT`, and saved back, with ``;`` alone between cells (Danish Excel's list
#: separator).
SEMICOLON_IMPORT = IMPORT.replace(":44/59/9,", ":59,")
SEMICOLON_EXPORT = EXPORT.replace(":44,", ":59,")
TABLES = ("muscles", "texts", "functions", "exercises", "regions")
#: Texts LibreOffice takes for numbers, dates and formulas when they are not kept text.
NUMBER_LIKE = ["007", "1,000", " 5", "1.50", "2001-1-1", "3:30", "50%", "TRUE", "1e5",
               "422,216,435,216,443,219"]
#: Texts that make formulas of what follows a separator in them, where that separator
#: splits cells and the quotes around them are not read.
SEPARATED = ["a;=1+1;b", "a,=2+2,b", 'q";=3+3;"']


def soffice(tmp: Path, target: str, out: Path, *files: Path, infilter: str = "") -> None:
    """Convert ``files`` with LibreOffice (a profile of its own under ``tmp``)."""
    if not Path(SOFFICE).is_file():
        pytest.fail("LibreOffice is missing: install the Debian package "
                    "libreoffice-calc-nogui (make test does this)")
    args = [SOFFICE, "--headless", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target,
            "--outdir", str(out), *map(str, files)]
    subprocess.run(args, check=True, capture_output=True, timeout=WAIT)


def formulas(ods: Path) -> list[str]:
    """The formulas of an OpenDocument spreadsheet's cells."""
    with zipfile.ZipFile(ods) as sheet:
        return re.findall(r'table:formula="([^"]*)"', sheet.read("content.xml").decode())


def spreadsheet_muscles(*more: str) -> list[Muscle]:
    """The samples, the hostile muscle and one whose exercises are the hostile texts,
    the number-like ones and ``more`` (no line breaks or tabs, which LibreOffice drops
    in a cell, as the README says)."""
    texts = [t for t in [*HOSTILE, *NUMBER_LIKE, *more] if t and "\n" not in t
             and "\t" not in t]
    numbers = Muscle(slug="numbers", title="007", latin="1,000",
                     origin=LocalizedText({"da": "3:30", "en": "50%"}), exercises=tuple(texts))
    hostile = hostile_muscle()
    hostile = replace(hostile, insertion=LocalizedText({
        lang: text.replace("\t", " ") for lang, text in hostile.insertion.items()}))
    return [*converter.read(SAMPLES), hostile, numbers]


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The package and the flat sheet as written, as spreadsheets, and saved back."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    muscles = spreadsheet_muscles()
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


def test_the_package_saved_again_with_semicolons_reads_with_one_warning_a_table(
        resaved: dict[str, Path]) -> None:
    """Saved back with ';' between cells (as Danish LibreOffice saves a CSV file), under
    the descriptor that says ',', the package reads as saved back with ','; each table
    is one delimiter-mismatch warning naming it (frictionless would split it on ',')."""
    tmp = resaved["tmp"]
    soffice(tmp, SEMICOLON_EXPORT, tmp / "semicolon",
            *(tmp / "ods" / f"{table}.ods" for table in TABLES))
    shutil.copy(tmp / "pkg" / "datapackage.json", tmp / "semicolon")
    assert (tmp / "semicolon" / "regions.csv").read_text(encoding="utf-8").startswith(
        '"slug";"region";"point";"x";"y"\n')
    with pytest.warns(UserWarning) as caught:
        back = converter.read(tmp / "semicolon")
    assert back == converter.read(tmp / "back" / "pkg")
    said = [re.search(r"\w+\.csv separates its cells with ';', not ','", str(w.message))
            for w in caught if "[delimiter-mismatch]" in str(w.message)]
    assert sorted(found[0] for found in said if found) == [
        f"{table}.csv separates its cells with ';', not ','" for table in sorted(TABLES)]
    assert len(said) == len(TABLES)


@pytest.fixture(scope="module")
def semicolon_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A flat sheet written with ``--separator ';'`` and one written with commas, opened
    split on ``;`` alone; the first saved back so."""
    tmp = tmp_path_factory.mktemp("libreoffice-semicolon")
    converter.write(spreadsheet_muscles(*SEPARATED), tmp / "all.json", "json")
    for name, given in (("semicolon", ["--separator", ";"]), ("comma", [])):
        result = CliRunner().invoke(cli, ["convert", str(tmp / "all.json"), "--to", "csv",
                                          "--flat", *given, "-o", str(tmp / f"{name}.csv"),
                                          "-q", "--no-config"])
        assert result.exit_code == 0, result.output
    soffice(tmp, "ods", tmp / "ods", tmp / "semicolon.csv", tmp / "comma.csv",
            infilter=SEMICOLON_IMPORT)
    soffice(tmp, SEMICOLON_EXPORT, tmp / "back", tmp / "ods" / "semicolon.ods")
    soffice(tmp, "ods", tmp / "comma-only", tmp / "semicolon.csv",
            infilter=IMPORT.replace(":44/59/9,", ":44,"))
    return tmp


def test_a_semicolon_sheet_split_on_semicolon_only_makes_no_formula(
        semicolon_only: Path) -> None:
    """The comma sheet, split so, makes formulas of what follows a ';' in a text (the
    check can fail), as the ';' sheet split on ',' alone does of what follows a ','
    (the README: the separator must be the spreadsheet's); the ';' sheet none."""
    assert "of:=1+1" in formulas(semicolon_only / "ods" / "comma.ods")
    assert "of:=2+2" in formulas(semicolon_only / "comma-only" / "semicolon.ods")
    assert formulas(semicolon_only / "ods" / "semicolon.ods") == []


def test_a_semicolon_sheet_split_on_semicolon_only_keeps_every_cell_in_its_place(
        semicolon_only: Path) -> None:
    """Saved back as the spreadsheet splits it, it reads as written: every text (with
    its ';', ',' and quotes) in its own cell, texts that look like numbers kept text."""
    written = converter.read(semicolon_only / "semicolon.csv")
    back = converter.read(semicolon_only / "back" / "semicolon.csv")
    assert back == written
    numbers = next(m for m in back if m.slug == "numbers")
    assert numbers.title == "007" and set(SEPARATED) <= set(numbers.exercises)


#: Texts LibreOffice takes for numbers, dates, money and truth values when it detects
#: special numbers (as a user may set it), in the locales of :data:`LOCALES`, that began
#: with no digit ("Jan 1", " TRUE", "WAHR", "falsk", "ene 1" in Spanish, "kr. 5" in
#: Danish, "R$ 5" in Brazilian, money in parentheses after its currency, "$ (5)", "€ (5)"
#: and "kr. (5)" as -5, "Mrz 1" and Austrian "Jän 1" in German, dates after a day's
#: name, "Mon Jan 1", "Mo 1.1." in German, "ma 1-1" in Dutch, with a time after it too,
#: "Mon Jan 1 2001 10:00 AM" in American English), and some that did, among them
#: (through NUMBERS_ALONE) test_csv.EXPONENTS, numbers whose exponent's "e" is not right
#: between two digits ("1 E5", "1E 5", "(1 E5)" as -100000, "1.e5" in English, "1,5 E3"
#: in German), which were written bare.
SPECIAL = ["1-2", "3/4", "1e5", "0012", "12:30", " 5", "TRUE", " TRUE", "TRUE ", "true",
           "Jan 1", "March 2001", "Jan-2001", "WAHR", "FALSCH", "SAND", "falsk", "ene 1",
           "kr. 5", "Kr. 5", "kr.5", "kr. 1.000,50", "gen 1", "mag 1", "giu 1", "lug 1",
           "set 1", "ott 1", "ago 1", "dic 1", "abr 1", "out 1", "fev 1", "R$ 5", "mei 1",
           "mrt 1", "kr 5", "kr5", "(€ 5)", "$ (5)", "$(5)", "$ - 5", " -$5", " +5", " - 5",
           "€ (5)", "€ +5", "kr. (5)", "kr (5)", "£ (5)", "R$ (5)", "Mrz 1", "Mrz. 2001",
           "Jän 1", "Jän-2001", "Jänner 1", "mrz-1", "Mon Jan 1", "Tue 1/2", "Fri 1 Jan",
           "Mo 1.1.", "Montag, 1. Januar 2001", "lun. 1 janv.", "lunedì 1 gennaio", "ma 1-1",
           "søn 1-1", "seg 1-1", "sáb 1-1", "set 2", "3 set 2024", "set. 2", "Sept 1",
           "Do 1 März", "terça-feira 2 set", "ter 2 set", "Mon Jan 1 2001 10:00 AM",
           "Monday, January 1, 2001 10:00 PM", "Mon 1/2/2001 10:00 AM",
           "Mo 1.1.2001 10:00 vorm.",
           *(n for n in NUMBERS_ALONE if n not in ("1-2", "3/4", "12:30"))]
#: Texts that were given the ' prefix (a day's or month's letters with any letters
#: after them, of any two languages, were taken for a date; a digit first, or a month
#: then a digit, whatever followed: "3 sets of 10", "Mar 2 sets"), and that LibreOffice
#: leaves text in every locale of :data:`LOCALES`: written as they are now.
ORDINARY = ["Do 2-3 sets", "Do 1-2 sets", "sets 2", "Do 2 set", "Sa 2 set", "Septe 1",
            "Märzen 1", "Donn 1.1.", "terça 2 set", "Do 1 Mar", *NUMBERS_IN_WORDS]
#: LibreOffice's language codes of the locales the import is tried in: en-US, de, da,
#: es, it, pt, pt-BR, nl, sv, nb, fr, en-GB, de-AT.
LOCALES = (1033, 1031, 1030, 3082, 1040, 2070, 1046, 1043, 1053, 1044, 1036, 2057, 3079)


def cell_types(ods: Path, column: int) -> dict[str, str]:
    """The text shown in ``column`` of each row but the header, and the type of value
    the spreadsheet made of it (string, float, date, boolean ...)."""
    with zipfile.ZipFile(ods) as sheet:
        content = sheet.read("content.xml").decode()
    found = {}
    for row in re.findall(r"<table:table-row[^>]*>(.*?)</table:table-row>", content)[1:]:
        attributes, text = re.findall(
            r"<table:table-cell([^>]*)>(.*?)</table:table-cell>", row)[column]
        kind = re.search(r'office:value-type="([^"]*)"', attributes)
        found[html.unescape(re.sub("<[^>]+>", "", text))] = kind[1] if kind else ""
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_texts_a_spreadsheet_takes_for_dates_or_truth_values_stay_text(
        tmp_path: Path, locale: int) -> None:
    """With special numbers detected, LibreOffice made dates of "Jan 1", "March 2001" and
    "Jan-2001" and truth values of " TRUE" and "TRUE " in a --excel flat sheet ("WAHR"
    in German, "falsk" in Danish, dates of "ene 1" in Spanish and "mei 1" in Dutch,
    money of "kr. 5" in Danish and "R$ 5" in Brazilian, -5 of "$ (5)", "€ (5)" in French
    and "£ (5)" in British, dates of "Mrz 1" and "Jän 1" in German and of a day's name
    and a date, "Mon Jan 1", "Mo 1.1."), and saved them back changed:
    each gets the ' prefix now, stays text and reads back as written; the package, for
    programs, has them as given. Texts it leaves text, "Do 2-3 sets" (German's Thursday,
    and "set", September in Italian, with an "s"), are written as they are, and stay
    text."""
    muscles = [Muscle(slug=f"m{n:03}", title=text)
               for n, text in enumerate([*SPECIAL, *ORDINARY])]
    converter.write(muscles, tmp_path / "pkg", "csv")
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "pkg"), "--to", "csv",
                                      "--flat", "--excel", "-o", str(tmp_path / "flat.csv"),
                                      "-q", "--no-config", "--no-cache"])
    assert result.exit_code == 0, result.output
    special = IMPORT.replace(",0,false,false,", f",{locale},false,true,")
    soffice(tmp_path, "ods", tmp_path / "ods", tmp_path / "flat.csv", infilter=special)
    assert cell_types(tmp_path / "ods" / "flat.ods", 1) == {
        **{f"'{text}": "string" for text in SPECIAL}, **dict.fromkeys(ORDINARY, "string")}
    soffice(tmp_path, EXPORT, tmp_path / "back", tmp_path / "ods" / "flat.ods")
    assert converter.read(tmp_path / "back" / "flat.csv") == converter.read(
        tmp_path / "flat.csv") == muscles
    with open(tmp_path / "pkg" / "muscles.csv", encoding="utf-8", newline="") as table:
        titles = [row["title"] for row in csv.DictReader(table)]
    assert titles == [*SPECIAL, *ORDINARY]


def test_a_cell_longer_than_libreoffice_keeps_is_cut_there_as_the_writer_warned(
        tmp_path: Path) -> None:
    """LibreOffice keeps 65,535 characters of a cell (UTF-16 code units: an emoji is
    two) and cuts a longer one on import, so the sheet saved again lacks the rest; the
    writer, which wrote them whole without a word, warns of each cell so cut (and of
    one that Excel alone cuts)."""
    most = csv_format.LIBREOFFICE_CELL
    texts = {"a": "o" * most, "b": "o" * (most + 1), "c": "\U0001f600" * (most // 2 + 1)}
    muscles = [Muscle(slug=slug, title=slug.upper(), origin=LocalizedText({"en": text}))
               for slug, text in texts.items()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        converter.write(muscles, tmp_path / "flat.csv", "csv", flat=True)
    said = {found[1]: found[2] for w in caught
            if (found := re.search(r"muscles\[(\w)\]\.origin\.en: .* (Excel|a spreadsheet) "
                                   r"cuts it on opening.*\[cell-too-long\]", str(w.message)))}
    assert said == {"a": "Excel", "b": "a spreadsheet", "c": "a spreadsheet"}
    soffice(tmp_path, "ods", tmp_path / "ods", tmp_path / "flat.csv", infilter=IMPORT)
    soffice(tmp_path, EXPORT, tmp_path / "back", tmp_path / "ods" / "flat.ods")
    back = {m.slug: m.origin["en"] for m in converter.read(tmp_path / "back" / "flat.csv")}
    assert back == {"a": texts["a"], "b": "o" * most, "c": "\U0001f600" * (most // 2)}
    assert converter.read(tmp_path / "flat.csv") == muscles
