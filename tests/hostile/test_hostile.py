"""Hostile and broken input: one file per case, each with its one expected diagnostic.

Every bad file must give exactly one error (not a flood, never a traceback) with a
stable code, a line where the file has a place to point at, and the run must go on
with the other files. Cases that could hang or eat memory also run in a subprocess
under a time and address-space limit, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import converter
from converter.cli import cli
from converter.model import thaw
from tests.conftest import WAIT

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SIZE = "1000x1000"

#: file -> (code, file line or None when the problem has no place in the file, field)
BAD: dict[str, tuple[str, int | None, str]] = {
    "billion-laughs.md": ("yaml-alias", 3, "lol1"),
    "python-tag.md": ("yaml-unsafe-tag", 2, "title"),
    "binary-tag.md": ("yaml-unsafe-tag", 3, "photo"),
    "local-tag.md": ("yaml-unsafe-tag", 2, "title"),
    "binary.md": ("binary-file", 2, ""),  # (at its first NUL byte)
    "utf16-no-bom.md": ("not-utf8", 1, ""),  # (every other byte NUL: a "binary file")
    "latin1.md": ("not-utf8", 2, ""),
    "utf16.md": ("not-utf8", 1, ""),  # (its NUL bytes made it a "binary file")
    "duplicate-key.md": ("duplicate-key", 4, "title"),
    "duplicate-nested-key.md": ("duplicate-key", 5, "origin.da"),
    "deep-nesting.md": ("yaml-too-deep", 3, ""),
    "deep-block-nesting.md": ("yaml-too-deep", 4, ""),
    "not-a-mapping.md": ("front-matter-not-mapping", 1, ""),
    "scalar-front-matter.md": ("front-matter-not-mapping", 1, ""),
    "empty-front-matter.md": ("front-matter-not-mapping", 1, ""),
    "no-front-matter.md": ("no-front-matter", 1, ""),
    "empty.md": ("no-front-matter", 1, ""),
    "unterminated.md": ("unterminated-front-matter", 1, ""),
    "delimiter-four-dashes.md": ("front-matter-delimiter", 1, ""),
    "delimiter-with-text.md": ("front-matter-delimiter", 1, ""),
    # Not closed by its 5 dashes: an error there, not YAML read up to the later ---.
    "delimiter-closing-dashes.md": ("front-matter-delimiter", 4, ""),
    "yaml-syntax.md": ("yaml-syntax", 3, "latin"),  # where its [ opens, not the closing ---
    "complex-key.md": ("yaml-syntax", 3, ""),
    "huge-number.md": ("yaml-number-too-large", 3, "score"),
    "control-character.md": ("control-character", 2, "title"),
    "missing-title.md": ("missing-field", 2, "title"),
    "empty-title.md": ("empty-field", 2, "title"),
    "wrong-type-title.md": ("wrong-type", 2, "title"),
    "wrong-type-latin.md": ("wrong-type", 3, "latin"),
    "wrong-type-origin.md": ("wrong-type", 3, "origin"),
    "wrong-type-origin-text.md": ("wrong-type", 4, "origin.da"),
    "wrong-type-insertion.md": ("wrong-type", 3, "insertion"),
    "wrong-type-function.md": ("wrong-type", 3, "function"),
    "wrong-type-function-item.md": ("wrong-type", 4, "function[0]"),
    "wrong-type-short.md": ("wrong-type", 4, "function[0].short"),
    "wrong-type-extended.md": ("wrong-type", 5, "function[0].extended"),
    "wrong-type-exercises.md": ("wrong-type", 3, "exercises"),
    "wrong-type-exercise-item.md": ("wrong-type", 4, "exercises[0]"),
    "wrong-type-image.md": ("wrong-type", 3, "image"),
    "wrong-type-image-focus.md": ("wrong-type", 3, "image_focus"),
    "wrong-type-coords.md": ("wrong-type", 3, "coords"),
    "wrong-type-coords-item.md": ("wrong-type", 4, "coords[0]"),
    "wrong-type-slug.md": ("bad-slug", 2, "slug"),
    "wrong-type-field-name.md": ("wrong-type", 3, "1"),
    "wrong-type-extra-key.md": ("wrong-type", 4, "notes.2024"),
    "wrong-type-extra-value.md": ("wrong-type", 3, "score"),
    "bad-language.md": ("bad-language", 4, "origin.Danish"),
    "unknown-function-key.md": ("unknown-key", 5, "function[0].long"),
    "missing-short.md": ("missing-field", 4, "function[0].short"),
    "unsafe-image.md": ("unsafe-link", 3, "image"),
    "coords-odd.md": ("coords-odd", 5, "coords[1]"),
    "coords-too-few.md": ("coords-too-few", 5, "coords[1]"),
    "coords-negative.md": ("coords-negative", 5, "coords[1]"),
    "coords-not-number.md": ("coords-not-number", 5, "coords[1]"),
    "coords-empty.md": ("coords-empty", 5, "coords[1]"),
    "coords-zero-area.md": ("polygon-zero-area", 5, "coords[1]"),
    "coords-self-intersecting.md": ("polygon-self-intersecting", 5, "coords[1]"),
    "coords-outside.md": ("polygon-outside", 5, "coords[1]"),
    "coords-huge-coordinate.md": ("coords-too-large", 5, "coords[1]"),
    # More digits than Python turns into an int: must be a diagnostic, not a ValueError.
    "coords-too-many-digits.md": ("coords-not-number", 5, "coords[1]"),
}
VALID = ("bom.md", "crlf.md", "bom-crlf.md", "norwegian.md", "plain-scalars.md")


def invoke(*args: str) -> Result:
    """The CLI in-process; it must end by exiting, never by an exception."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exc_info
    return result


def validate_json(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    result = invoke("validate", "-j", "1", "--size", SIZE, "--format", "json", *extra,
                    *map(str, paths))
    return result.exit_code, json.loads(result.stdout)


def limited_run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``muscle-convert`` in a subprocess with 1 GiB of address space; one that hangs
    fails the test once :data:`~tests.waits.WAIT` seconds have passed."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "converter", *args], cwd=ROOT,
                          capture_output=True, timeout=WAIT, preexec_fn=limit, check=False)


def test_every_case_file_is_in_the_table() -> None:
    on_disk = {p.name for p in HERE.glob("*.md")}
    assert on_disk == set(BAD) | set(VALID)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_one_located_diagnostic(name: str) -> None:
    code, line, field = BAD[name]
    exit_code, found = validate_json(HERE / name)
    assert exit_code == 1
    assert [(d["path"], d["severity"], d["code"], d["field"]) for d in found] == [
        (str(HERE / name), "error", code, field)]
    assert found[0]["line"] == line
    assert (found[0]["column"] is None) == (line is None)
    assert found[0]["column"] is None or found[0]["column"] >= 1
    assert found[0]["message"].strip()


#: The plain texts of extra that YAML 1.1 readers (Jekyll, Hugo) read as no text: valid,
#: each a yaml11-ambiguous warning.
YAML11_TRAPS = {"norwegian.md": ["yes", "off"],
                "plain-scalars.md": ["reviewed", "reviewed_at", "duration", "room", "colour",
                                     "count"]}


@pytest.mark.parametrize("name", VALID)
def test_valid_file_has_no_errors(name: str) -> None:
    exit_code, found = validate_json(HERE / name)
    assert exit_code == 0
    assert [(d["code"], d["field"]) for d in found] == [
        ("yaml11-ambiguous", key) for key in YAML11_TRAPS.get(name, [])]


def test_whole_directory_goes_on_after_each_bad_file() -> None:
    result = invoke("validate", "-j", "1", "--size", SIZE, str(HERE))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (f"{len(VALID)} muscles valid, {len(BAD)} files failed: {len(BAD)} errors"
            in result.stderr)
    found = validate_json(HERE)[1]
    errors = sorted((Path(d["path"]).name, d["code"]) for d in found if d["severity"] == "error")
    assert errors == sorted((name, case[0]) for name, case in BAD.items())


def test_text_output_names_file_line_and_code() -> None:
    result = invoke("validate", str(HERE / "wrong-type-title.md"))
    assert f"{HERE / 'wrong-type-title.md'}:2:8: error: title: must be text, not a list " \
        "[wrong-type]" in result.stderr


@pytest.mark.parametrize("name", ["billion-laughs.md", "deep-nesting.md"])
def test_bombs_finish_fast_in_little_memory(name: str) -> None:
    done = limited_run("validate", "-j", "1", "--format", "json", str(HERE / name))
    assert done.returncode == 1, done.stderr.decode()
    assert [d["code"] for d in json.loads(done.stdout)] == [BAD[name][0]]


def _case(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bigger_bombs_under_the_size_limit(tmp_path: Path) -> None:
    laughs = ["---", "title: Laughs", "a0: &a0 [" + ", ".join(["ha"] * 50) + "]"]
    laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 50) + "]" for i in range(1, 30)]
    files = [
        _case(tmp_path, "laughs.md", "\n".join(laughs) + "\n---\n"),
        _case(tmp_path, "flow.md", "---\ntitle: Deep\nx: " + "[" * 1_000_000 + "\n---\n"),
        _case(tmp_path, "maps.md", "---\ntitle: Deep\nx: " + "{a: " * 300_000 + "\n---\n"),
        _case(tmp_path, "dashes.md", "---\ntitle: Deep\nx:\n" + "- " * 900 + "z\n---\n"),
        _case(tmp_path, "keys.md", "---\ntitle: Deep\nx:\n" + "? " * 900 + "z\n---\n"),
        _case(tmp_path, "indent.md", "---\ntitle: Deep\n" + "".join(
            " " * i + f"k{i}:\n" for i in range(600)) + "---\n"),
        _case(tmp_path, "wide.md", "---\ntitle: Wide\nx: [" + "1," * 1_900_000 + "1]\n---\n"),
        _case(tmp_path, "long.md", "---\ntitle: Long\nx:\n" + "- a\n" * 900_000 + "---\n"),
    ]
    done = limited_run("validate", "-j", "1", "--format", "json", *map(str, files))
    assert done.returncode == 1, done.stderr.decode()
    found = {Path(d["path"]).name: d["code"] for d in json.loads(done.stdout)}
    assert found == {"laughs.md": "yaml-alias", "flow.md": "yaml-too-deep",
                     "maps.md": "yaml-too-deep", "dashes.md": "yaml-too-deep",
                     "keys.md": "yaml-too-deep", "indent.md": "yaml-too-deep",
                     "wide.md": "yaml-too-large", "long.md": "yaml-too-large"}


def test_many_problems_in_one_json_line_do_not_hang(tmp_path: Path) -> None:
    # 20,000 extra keys of one record, each a problem: each was placed by comparing
    # the path with every key (and each column by a search back to the line's start).
    keys = ", ".join(f'"k{i}": 1e999' for i in range(20_000))
    path = _case(tmp_path, "wide.json", '{"muscles": [{"slug": "a", "title": "A", '
                 f'"extra": {{{keys}}}}}]}}')
    done = limited_run("validate", "-j", "1", "--format", "json", str(path))
    assert done.returncode == 1, done.stderr.decode()
    found = json.loads(done.stdout)
    assert len(found) == 20_000
    last = path.read_text(encoding="utf-8").rindex("1e999") + 1
    assert (found[-1]["field"], found[-1]["line"], found[-1]["column"]) == (
        "muscles[0].extra.k19999", 1, last)


def test_huge_polygons_and_many_problems_do_not_hang(tmp_path: Path) -> None:
    # A comb: 150 000 points whose edges all span the diagram, simple, then the same
    # comb with one tooth pushed through its neighbour.
    points = [f"{(i % 2) * 1000},{i + 1}" for i in range(150_000)] + ["2000,0", "0,0"]
    crossed = list(points)
    crossed[50_000] = "1000,50003"
    flood = "".join("  - 1\n" for _ in range(50_000))
    files = [
        _case(tmp_path, "comb.md", f'---\ntitle: Comb\ncoords:\n  - "{",".join(points)}"\n---\n'),
        _case(tmp_path, "crossed.md", f'---\ntitle: Crossed\ncoords:\n  - "{",".join(crossed)}"'
              "\n---\n"),
        _case(tmp_path, "flood.md", f"---\ntitle: Flood\nexercises:\n{flood}---\n"),
    ]
    done = limited_run("validate", "-j", "1", "--format", "json", *map(str, files))
    assert done.returncode == 1, done.stderr.decode()
    found = json.loads(done.stdout)
    assert {(Path(d["path"]).name, d["code"]) for d in found} == {
        ("crossed.md", "polygon-self-intersecting"), ("flood.md", "wrong-type")}


def test_oversize_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("---\ntitle: Big\n---\n")
        fh.write(("Lægmusklen er stor. " * 50 + "\n") * 5500)
    assert big.stat().st_size > 5 * 1024 * 1024
    small = shutil.copy(HERE / "norwegian.md", tmp_path / "small.md")
    exit_code, found = validate_json(big, small)
    assert exit_code == 1
    assert [(Path(d["path"]).name, d["code"], d["line"]) for d in found
            if d["severity"] == "error"] == [("big.md", "file-too-large", None)]


def test_max_bytes_option(tmp_path: Path) -> None:
    path = Path(shutil.copy(HERE / "norwegian.md", tmp_path / "n.md"))
    size = path.stat().st_size
    exit_code, found = validate_json(path, extra=("--max-bytes", str(size - 1)))
    assert (exit_code, [d["code"] for d in found]) == (1, ["file-too-large"])
    assert str(size) in found[0]["message"]
    exit_code, found = validate_json(path, extra=("--max-bytes", str(size)))
    assert (exit_code, [d["code"] for d in found]) == (0, ["yaml11-ambiguous"] * 2)


def test_more_languages_than_a_machine_word(tmp_path: Path) -> None:
    codes = [f"{a}{b}" for a in "abc" for b in "abcdefghijklmnopqrstuvwxyz"][:70]
    lines = "".join(f"  {code}: Tekst nummer {i} om udspringet.\n" for i, code in enumerate(codes))
    many = _case(tmp_path, "many.md", f"---\ntitle: Many\norigin:\n{lines}---\n")
    one = _case(tmp_path, "one.md", "---\ntitle: One\norigin:\n  da: Kun dansk her.\n---\n")
    exit_code, found = validate_json(many, one)
    assert exit_code == 0
    assert [(Path(d["path"]).name, d["code"], d["field"], d["severity"]) for d in found] == [
        ("many.md", "missing-language", "origin", "warning"),
        ("one.md", "missing-language", "origin", "warning")]
    assert "no text in da " in found[0]["message"]
    assert found[1]["message"] == (f"no text in {len(codes)} languages that other muscles "
                                   f"have ({', '.join(codes[:5])}, ...)")


# ---- the valid files read as intended --------------------------------------------

def _read(name: str) -> converter.Muscle:
    (muscle,) = converter.read(HERE / name)
    return muscle


def test_bom_and_crlf_files_read_like_plain_ones() -> None:
    assert (HERE / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")
    assert b"\r\n" in (HERE / "crlf.md").read_bytes()
    assert (HERE / "bom-crlf.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    titles = {}
    for name in ("bom.md", "crlf.md", "bom-crlf.md"):
        muscle = _read(name)
        titles[name] = muscle.title
        assert muscle.latin == "Musculus biceps brachii"
        assert dict(muscle.origin) == {"da": "Skulderbladets ledskålskant og "
                                             "ravnenæbsfremspring."}
        assert muscle.exercises == ("Biceps curl",)
        assert muscle.regions[0].coords == "100,100,140,100,140,180,100,180"
        assert muscle.body == "Bøjer albuen.\n"
    assert titles == {"bom.md": "Bom", "crlf.md": "Crlf", "bom-crlf.md": "Both"}


def test_yaml_11_words_stay_text() -> None:
    muscle = _read("norwegian.md")
    assert list(muscle.origin) == ["no", "on"]
    assert thaw(muscle.extra) == {"yes": "kept as a text key", "off": "also a text key"}


def test_plain_scalars_keep_what_was_written() -> None:
    extra: dict[str, Any] = thaw(_read("plain-scalars.md").extra)
    assert extra == {"reviewed": "2024-05-01", "reviewed_at": "2024-05-01 10:30:00",
                     "duration": "1:30", "room": "010", "colour": "0x1F", "count": "1_000",
                     "enabled": True, "level": 3, "weight": 2.5, "nothing": None}
    assert type(extra["level"]) is int and type(extra["enabled"]) is bool


# ---- the other readable text formats get the same treatment ------------------------

JSON_RECORD = '{"slug": "a", "title": "A", "extra": {"n": %s}}'
#: file -> (content, code); each must give exactly one error and no traceback.
OTHER_FORMATS: dict[str, tuple[bytes, str]] = {
    # (read shallow past the parser's depth: its first muscle is an array, no object)
    "deep.json": (('{"muscles": ' + "[" * 100_000 + "]" * 100_000 + "}").encode(),
                  "wrong-type"),
    "huge-number.json": (('{"muscles": [' + JSON_RECORD % ("1" + "0" * 5000) + "]}").encode(),
                         "wrong-type"),
    "surrogate.json": (b'{"muscles": [{"slug": "a", "title": "A\\ud800"}]}',
                       "control-character"),
    "latin1.json": ('{"muscles": [{"slug": "a", "title": "Læg"}]}'.encode("latin-1"),
                    "not-utf8"),  # (as every format says it)
    "utf16.json": ('{"muscles": []}'.encode("utf-16"), "not-utf8"),
    "deep.jsonl": (("[" * 100_000 + "]" * 100_000 + "\n").encode(), "wrong-type"),
    "huge-number.jsonl": ((JSON_RECORD % ("1" + "0" * 5000) + "\n").encode(), "wrong-type"),
    "surrogate.jsonl": (b'{"slug": "a", "title": "A\\udc00"}\n', "control-character"),
    "latin1.jsonl": ('{"slug": "a", "title": "Læg"}\n'.encode("latin-1"), "not-utf8"),
}


@pytest.mark.parametrize("name", sorted(OTHER_FORMATS))
def test_hostile_json_and_jsonl(tmp_path: Path, name: str) -> None:
    content, code = OTHER_FORMATS[name]
    path = tmp_path / name
    path.write_bytes(content)
    exit_code, found = validate_json(path)
    assert exit_code == 1
    assert [(d["path"], d["severity"], d["code"]) for d in found] == [(str(path), "error", code)]
