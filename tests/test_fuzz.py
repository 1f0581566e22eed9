"""Fuzzing the reader: random bytes and random YAML documents never crash it.

Whatever goes in, only the project's own error type comes out
(:class:`~converter.diagnostics.MuscleError` holding :class:`Diagnostic` objects with a
code), and what does come out as a muscle passes through the lints without crashing.
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import converter
from converter import yamlsafe
from converter.diagnostics import Diagnostic, MuscleError
from converter.lint import CorpusLint, check_muscle
from converter.model import Muscle
from converter.registry import ReadContext
from converter.run import validate_sources
from formats.markdown import parse, read_path

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
_counter = itertools.count()

FIELDS = ["title", "latin", "origin", "insertion", "function", "short", "extended",
          "exercises", "image", "image_focus", "coords", "slug", "da", "en", "no", "on"]
KEYS = st.one_of(st.sampled_from(FIELDS), st.sampled_from(
    ["yes", "1", "~", "true", "1.5", "<<", "'q'", '"d\\x01"', "title"]),
    st.text(string.ascii_letters + "_-", min_size=1, max_size=8))
#: Keys that usually break the YAML: used now and then.
ODD_KEYS = st.sampled_from(["? x", "[a, b]", "{a: 1}", "-", "", "? [a]\n: b", "a: b",
                           "&k key", "*k"])
VALUES = st.one_of(st.sampled_from([
    "no", "on", "yes", "Off", "~", "null", "true", "True", "1:30", "010", "0x_", "0b_", "1e5",
    "1.5e+3", ".inf", "-.inf", ".nan", "._", "2024-01-02", "2024-01-02 10:00:00", "=", "<<",
    "'quoted'", "'it''s'", '"dq \\x07"', '"\\U0001F600"',
    "!!python/object/apply:os.system [x]", "!!binary aGk=", "!!set {a}", "!!int abc",
    "!!map [1]", "!!str", "!foo bar", "!", "1" * 4400, "0,0,10,0,5,5", '"0,0,10,0,5,5"',
    '"1,2,3"', '"-1,0,5,5,0,5"', '"0,0,5,5,10,10"', '"0,0,9,9,9,0,0,9"', '"0,0,5e3,0,5,5"',
    "javascript:alert(1)", "Ø", "Lægmusklen", "''", '""']),
    st.text(st.characters(exclude_categories=("Cc", "Cs"),
                          exclude_characters="\u2028\u2029:#[]{},&*!|>'\"%@`?-"),
            max_size=12),
    st.integers().map(str), st.floats().map(str))
#: Tokens that usually break the YAML: used now and then.
BREAKERS = st.sampled_from(['"\\ud800"', "|", ">", "|-\n  x", "[", "]", "{", "}", ",", ":",
                            "- ", "? ", "# c", "%YAML 1.1", "---", "...", "\t", "\u2028", "\x85",
                            "\ufeff", "\x00", "\x1b", "\ud800", "\x9f", "x: y", "- x",
                            "&a x", "*a", "*missing", "&a [&b x, *b]"])


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """YAML-like text from a small grammar (maps, lists, flow, tags, anchors, quotes),
    with indentation mistakes and stray characters mixed in."""
    lines: list[str] = []
    sloppy = draw(st.integers(0, 4)) == 0  # one document in five has layout mistakes
    scalars = st.one_of(VALUES, BREAKERS) if sloppy else VALUES
    keys = st.one_of(KEYS, ODD_KEYS) if sloppy else KEYS

    def indent(depth: int) -> str:
        if not sloppy:
            return "  " * depth
        return draw(st.sampled_from(["  " * depth] * 6 + [" " * (2 * depth + 1), "\t",
                                                          " " * max(0, 2 * depth - 1)]))

    def key(used: set[str]) -> str:
        """A key, unique in its map unless the document is sloppy."""
        found = draw(keys if sloppy else keys.filter(lambda k: k not in used))
        used.add(found)
        return found

    def flow(depth: int) -> str:
        if depth > 3 or draw(st.booleans()):
            return draw(scalars)
        count = draw(st.integers(0, 3))
        if draw(st.booleans()):
            return "[" + ", ".join(flow(depth + 1) for _ in range(count)) + "]"
        used: set[str] = set()
        return "{" + ", ".join(f"{key(used)}: {flow(depth + 1)}" for _ in range(count)) + "}"

    def block(depth: int, used: set[str]) -> None:
        sequence = draw(st.booleans()) and depth > 0
        for _ in range(draw(st.integers(0 if depth else 1, 4))):
            head = indent(depth) + ("- " if sequence else f"{key(used)}:")
            if depth < 4 and draw(st.integers(0, 3)) == 0:
                lines.append(head.rstrip())
                block(depth + 1, set())
            else:
                lines.append(f"{head} {flow(depth)}")

    top: set[str] = set()
    if draw(st.booleans()):
        lines.append(f"title: {draw(VALUES)}")
        top.add("title")
    block(0, top)
    for _ in range(draw(st.integers(0, 2)) if sloppy else 0):  # stray mutations
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = draw(st.sampled_from([lines[i][1:], " " + lines[i], lines[i] + ":",
                                         lines[i] + " #", lines[i] * 2, ""]))
    return "\n".join(lines) + "\n"


def check_error(exc: MuscleError, path: str) -> None:
    assert exc.diagnostics, "a MuscleError must carry diagnostics"
    for d in exc.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.code and d.message and d.path == path
        assert d.severity in ("error", "warning")
        assert d.line is None or d.line >= 1
        assert d.column is None or d.column >= 1
        str(d)
        d.as_dict()


def check_muscle_ok(muscle: Muscle, path: str) -> None:
    for d in check_muscle(muscle, path, (1000, 1000)):
        assert isinstance(d, Diagnostic) and d.code
    corpus = CorpusLint()
    corpus.add(muscle, path)
    corpus.add(muscle, path + ".copy")
    assert all(isinstance(d, Diagnostic) for d in corpus.finish())


def parse_only_muscle_error(text: str) -> None:
    try:
        muscle = parse(text, "fuzz.md", "fuzz", "en")
    except MuscleError as exc:
        check_error(exc, "fuzz.md")
    else:
        assert isinstance(muscle, Muscle)
        check_muscle_ok(muscle, "fuzz.md")


def write_case(directory: Path, raw: bytes) -> Path:
    path = directory / f"case-{next(_counter)}.md"
    path.write_bytes(raw)
    return path


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_through_read_path(fuzz_dir: Path, raw: bytes) -> None:
    path = write_case(fuzz_dir, raw)
    try:
        muscle = read_path(path, ReadContext(max_bytes=1500))
    except MuscleError as exc:
        check_error(exc, str(path))
    else:
        check_muscle_ok(muscle, str(path))


@FUZZ
@given(st.binary(max_size=600).map(lambda b: b"---\n" + b + b"\n---\n"))
def test_random_bytes_as_front_matter_through_converter_read(fuzz_dir: Path,
                                                             raw: bytes) -> None:
    path = write_case(fuzz_dir, raw)
    try:
        muscles = converter.read(path)
    except MuscleError as exc:
        check_error(exc, str(path))
    else:
        assert len(muscles) == 1 and isinstance(muscles[0], Muscle)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_through_parse(text: str) -> None:
    parse_only_muscle_error(text)
    parse_only_muscle_error("---\n" + text + "\n---\n")


@FUZZ
@given(yaml_documents(), st.text(max_size=40))
def test_random_yaml_documents_through_parse(document: str, body: str) -> None:
    parse_only_muscle_error(f"---\n{document}---\n{body}")


@FUZZ
@given(yaml_documents())
def test_random_yaml_documents_through_the_yaml_loader(document: str) -> None:
    try:
        yamlsafe.load(document)
    except yamlsafe.YamlProblem as problem:
        assert problem.code and problem.message
        assert problem.line is None or problem.line >= 0


# (surrogatepass: a generated lone surrogate becomes bytes that are not UTF-8.)
document_files = yaml_documents().map(lambda d: f"---\n{d}---\n".encode("utf-8",
                                                                        "surrogatepass"))


@settings(FUZZ, max_examples=40)
@given(st.lists(st.one_of(document_files, st.binary(max_size=300)), min_size=1, max_size=4))
def test_random_directories_through_validate(tmp_path_factory: pytest.TempPathFactory,
                                             files: list[bytes]) -> None:
    directory = tmp_path_factory.mktemp("corpus")
    for raw in files:
        write_case(directory, raw)
    result = validate_sources([directory], size="1000x1000")
    assert all(isinstance(d, Diagnostic) and d.code for d in result.diagnostics)
    # Every file is either a checked muscle or a failed file, never both, never lost.
    assert result.count + result.failed == len(files)
