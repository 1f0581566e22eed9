"""--force-exclude: sources named on the command line left out as a search of the
working folder leaves them out (hidden, muscle-convert's output, --exclude), as
pre-commit names the files it checks; and --exclude's character classes, held to what
git check-ignore does."""

from __future__ import annotations

import ast
import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import converter
from converter.cli import cli
from converter.diagnostics import MuscleError, printable
from converter.exclude import Exclusion, problem, searched_out
from converter.spellings import CONFIG_FILE, spelled
from tests.conftest import SEED, WAIT


@pytest.mark.parametrize(("path", "patterns", "left_out"), [
    ("content/README.md", ["README.md"], True),  # a name at any depth
    ("content/soleus.md", ["README.md"], False),
    ("content/drafts/x.md", ["drafts/"], True),  # below a folder left out
    ("content/drafts/x.md", ["drafts/", "!content/drafts/x.md"], True),  # (as in git)
    ("content/drafts/x.md", ["content/drafts/**", "!content/drafts/x.md"], False),
    ("content/drafts/x.md", ["/drafts/"], False),  # from the working folder's top
    ("content/x.md", ["/content/"], True),
    ("./content/../content/x.md", ["/content/x.md"], True),
    ("content/.hidden/x.md", [], True),  # as a search leaves them out: hidden ones,
    ("content/.x.md", [], True),
    ("content/export/x.md", [], True),  # and muscle-convert's output
    ("content/export", [], False),  # (a folder named is read, marker or not)
    ("../elsewhere/README.md", ["README.md"], False),  # outside the working folder
    ("/abs/README.md", ["README.md"], False),
])
def test_a_named_source_is_left_out_as_a_search_of_the_working_folder_leaves_it_out(
        path: str, patterns: list[str], left_out: bool, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site" / "content" / "export").mkdir(parents=True)
    (tmp_path / "site" / "content" / "export" / ".muscle-convert").touch()
    monkeypatch.chdir(tmp_path / "site")
    monkeypatch.setenv("PWD", str(tmp_path / "site"))
    exclude = Exclusion(patterns) if patterns else None
    assert searched_out(path, exclude, str(tmp_path / "site")) is left_out


def test_a_named_source_is_placed_as_the_file_system_finds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a symlinked folder, ``..`` goes up from where the link points, and a
    working folder reached through a link holds the files of the folder it names."""
    site = tmp_path / "site"
    (site / "content" / "sub").mkdir(parents=True)
    (site / "deep").symlink_to(site / "content" / "sub")
    (tmp_path / "link").symlink_to(site / "content")
    monkeypatch.chdir(site)
    monkeypatch.setenv("PWD", str(site))
    exclude = Exclusion(["/content/README.md"])
    assert searched_out("deep/../README.md", exclude, str(site))  # content/README.md
    monkeypatch.chdir(tmp_path / "link")
    monkeypatch.setenv("PWD", str(tmp_path / "link"))
    readme = str(site / "content" / "README.md")
    assert searched_out(readme, Exclusion(["README.md"]), str(tmp_path / "link"))


def _site(root: Path) -> Path:
    (root / "content" / "drafts").mkdir(parents=True)
    (root / "content" / "soleus.md").write_text(SEED.read_text("utf-8"), encoding="utf-8")
    (root / "content" / "README.md").write_text("# For the editors\n", encoding="utf-8")
    (root / "content" / "drafts" / "x.md").write_text("---\ntitle: 3\n---\n", "utf-8")
    return root


def _run(*args: str):
    uncached = [] if args[0] == "fmt" else ["--no-cache"]  # (fmt keeps no cache)
    return CliRunner().invoke(cli, [*args, *uncached], catch_exceptions=False)


def test_force_exclude_leaves_out_the_files_pre_commit_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path))
    monkeypatch.setenv("PWD", str(tmp_path))
    named = ["content/README.md", "content/soleus.md", "content/drafts/x.md"]
    patterns = ["--exclude", "README.md", "--exclude", "drafts/"]
    without = _run("validate", *named, *patterns)
    assert without.exit_code == 1  # a source named is read, as documented
    assert "content/README.md:1:1: error" in without.stderr
    forced = _run("validate", *named, *patterns, "--force-exclude")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr.splitlines()[-1] == "1 muscle valid: 0 errors, 0 warnings"
    fmt = _run("fmt", "--check", *named, *patterns, "--force-exclude")
    assert fmt.stdout == "would reformat content/soleus.md\n"  # (the seed's own layout)
    assert fmt.stderr.splitlines()[-1] == "1 would change, 0 unchanged"


def test_force_exclude_of_every_source_named_reads_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pre-commit run of a README alone: an empty report (JSON's ``[]``), an output
    left as it was, standard output's empty document, exit 0."""
    monkeypatch.chdir(_site(tmp_path))
    monkeypatch.setenv("PWD", str(tmp_path))
    out = tmp_path / "m.json"
    out.write_text("kept", encoding="utf-8")
    note = ("note: nothing to read: a search leaves out every source named "
            "(--force-exclude)")
    forced = ["content/README.md", "--exclude", "README.md", "--force-exclude"]
    for args in (["validate"], ["fmt"], ["convert", "--to", "json", "-o", str(out)]):
        result = _run(*args, *forced)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[0] == note
    assert out.read_text("utf-8") == "kept"
    report = _run("validate", *forced, "--format", "json")
    assert (report.exit_code, report.stdout, report.stderr) == (0, "[]\n", "")
    written = _run("convert", "--to", "json", "-o", "-", *forced)
    assert json.loads(written.stdout)["muscles"] == []


def test_force_exclude_comes_from_a_config_file_and_is_undone_on_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path))
    monkeypatch.setenv("PWD", str(tmp_path))
    (tmp_path / "muscle-convert.toml").write_text(
        'exclude = ["README.md"]\nforce-exclude = true\n', encoding="utf-8")
    assert _run("validate", "content/README.md").exit_code == 0
    assert _run("validate", "content/README.md", "--no-force-exclude").exit_code == 1


#: The character classes git's wildmatch knows.
CLASSES = ("alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print",
           "punct", "space", "upper", "xdigit")
#: Characters of names and of patterns: each class has some in and some out.
_CHARS = "aZf9_-.!]^[:\\ \t\x7f/~"


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty git repository with no configuration but its own."""
    repo = tmp_path_factory.mktemp("git")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=_git_env(repo), timeout=WAIT)
    return repo


def _git_env(repo: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
            "XDG_CONFIG_HOME": str(repo)}


def git_ignores(repo: Path, pattern: str, names: list[str]) -> set[str]:
    """Which of ``names`` (files) ``git check-ignore`` has ignored by ``pattern``."""
    (repo / ".gitignore").write_text(pattern + "\n", encoding="utf-8")
    done = subprocess.run(["git", "-c", "core.ignorecase=false", "check-ignore",
                           "--no-index", "--stdin", "-z"], cwd=repo, env=_git_env(repo),
                          input="\0".join(names).encode(), capture_output=True,
                          timeout=WAIT)
    assert done.returncode in (0, 1), done.stderr
    return set(done.stdout.decode().split("\0")) - {""}


def left_out(exclusion: Exclusion, name: str) -> bool:
    """Whether a search leaves out the file ``name``: it, or a folder above it."""
    parts = name.split("/")
    return any(exclusion("/".join(parts[:i]), True) for i in range(1, len(parts))) or (
        exclusion(name, False))


_ITEM = st.one_of(
    st.sampled_from(CLASSES).map(lambda name: f"[:{name}:]"),
    st.sampled_from(_CHARS.replace("]", "").replace("/", "")),
    st.sampled_from(_CHARS).map(lambda char: "\\" + char),
    st.sampled_from(["0-9", "a-f", "A-Z", "9-a", " -!"]))
#: A bracket expression that names a class (one that names none is pathspec's).
_BRACKET = st.builds(lambda negate, items: f"[{negate}{''.join(items)}]",
                     st.sampled_from(["", "!", "^"]), st.lists(_ITEM, min_size=1, max_size=3)
                     .filter(lambda items: any(item.startswith("[:") for item in items)))
_PATTERN = st.builds(
    "".join, st.tuples(st.sampled_from(["", "/", "**/"]), st.lists(
        st.one_of(_BRACKET, st.sampled_from(["*", "?", "a", "f", "9", "_", "x/"])),
        min_size=1, max_size=4).map("".join))).filter(
            lambda p: "[:" in p and not p.endswith((" ", "\t")))
_NAME = st.text(st.sampled_from(_CHARS.replace("/", "")), min_size=1, max_size=3).filter(
    lambda name: name not in (".", ".."))
#: A path as git check-ignore takes it (one starting with ":" is pathspec magic to it).
_PATH = st.builds("/".join, st.lists(_NAME, min_size=1, max_size=2)).filter(
    lambda path: not path.startswith(":"))


@settings(max_examples=60, deadline=None)  # (git is a process an example)
@given(_PATTERN, st.lists(_PATH, min_size=1, max_size=12, unique=True))
def test_character_classes_match_as_in_git(git_repo: Path, pattern: str,
                                           names: list[str]) -> None:
    """``[[:alpha:]]`` and the other POSIX classes, negated, beside characters, escapes
    and ranges, in names at any depth: what git check-ignore ignores, a search leaves out;
    a pattern refused (a class git does not know, a bracket not closed) is one with which
    git ignores nothing."""
    ignored = git_ignores(git_repo, pattern, names)
    if problem(pattern) is not None:
        assert ignored == set()
        return
    exclusion = Exclusion([pattern])
    assert {n for n in names if left_out(exclusion, n)} == ignored


@pytest.mark.parametrize(("pattern", "names", "matched"), [
    ("[[:alpha:]]*.md", ["soleus.md", "_index.md", "1a.md", "en/a.md"], ["soleus.md", "en/a.md"]),
    ("[[:digit:]][[:digit:]]-*", ["01-intro.md", "1-x.md", "ab-x.md"], ["01-intro.md"]),
    ("*[[:space:]]*", ["a b.md", "a\tb.md", "a\vb.md", "ab.md"], ["a b.md", "a\tb.md"]),
    ("[![:alnum:]]*", ["_x.md", "~x.md", "x.md", "9.md"], ["_x.md", "~x.md"]),
    ("[[:upper:]_]*", ["README.md", "_index.md", "readme.md"], ["README.md", "_index.md"]),
    ("[[:alpha:]-]", ["a", "-", "1"], ["a", "-"]),  # (a "-" after a class is itself)
    ("[[:al]", ["[", "a", "l", "p"], ["[", "a", "l"]),  # (no ":]": no class, "[" itself)
    ("[[:alpha:]/]x", ["ax", "d/ax"], ["ax"]),  # (a "/" in it: from the source folder)
])
def test_character_classes_match_what_git_matches(
        git_repo: Path, pattern: str, names: list[str], matched: list[str]) -> None:
    exclusion = Exclusion([pattern])
    assert [n for n in names if left_out(exclusion, n)] == matched
    assert git_ignores(git_repo, pattern, names) == set(matched)


@pytest.mark.parametrize(("pattern", "wrong"), [
    ("[[:alpah:]]*", "'[[:alpah:]]*' names [:alpah:], which is no character class (git's "
                     "are [:alnum:], [:alpha:], [:blank:], [:cntrl:], [:digit:], [:graph:], "
                     "[:lower:], [:print:], [:punct:], [:space:], [:upper:], [:xdigit:]), "
                     "so it matches nothing"),
    ("!x[[::]]", "'!x[[::]]' names [::], which is no character class"),
    ("[[:alpha:]", "'[[:alpha:]' is not a pattern that matches a path (gitignore style)"),
])
def test_a_class_git_does_not_know_is_a_pattern_that_matches_nothing(
        git_repo: Path, pattern: str, wrong: str) -> None:
    """As git has it (its pattern leaves nothing out), and so a usage error, as ``!`` is."""
    names = ["a", "alpah", "x:", "[", "xa"]
    assert git_ignores(git_repo, pattern.removeprefix("!"), names) == set()
    assert str(problem(pattern)).startswith(wrong)
    with pytest.raises(ValueError, match=r"no character class|not a pattern"):
        Exclusion([pattern])


def _advice(message: str) -> str:
    """What a ``#`` pattern's error says to write instead."""
    return message.split("write \\# before it: ")[1]


def _hashed_site(root: Path) -> Path:
    """A folder whose ``#x.md`` would fail: read, the run fails."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "soleus.md").write_text(SEED.read_text("utf-8"), encoding="utf-8")
    (root / "content" / "#x.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    return root


def test_a_comment_pattern_s_advice_works_in_the_shell(tmp_path: Path) -> None:
    """The advice was ``write \\#``: typed bare, the shell gave ``#x``, the same error."""
    _hashed_site(tmp_path)
    said = _run("validate", "content", "--exclude", "#x.md")
    assert said.exit_code == 2
    typed = _advice(said.stderr.splitlines()[-1]).split(" (")[0]
    assert typed == "--exclude '\\#x.md'"
    ran = subprocess.run(["bash", "-c", f'exec "$0" -m converter validate content '
                          f"--no-cache {typed}", sys.executable], cwd=tmp_path,
                         capture_output=True, text=True, timeout=WAIT)
    assert (ran.returncode, ran.stderr.splitlines()[-1]) == (
        0, "1 muscle valid: 0 errors, 0 warnings"), ran.stderr


def test_a_comment_pattern_s_advice_typed_with_a_newline_is_one_line_that_works(
        tmp_path: Path) -> None:
    """A pattern typed with a newline (``$'#x\\n.md'``) was quoted back with the newline
    in it, the advice split over two lines of the usage error; it is bash's
    ``$'...'`` now, one line, that the shell takes back as the pattern."""
    _hashed_site(tmp_path)
    (tmp_path / "content" / "#x.md").rename(tmp_path / "content" / "#x\n.md")
    said = _run("validate", "content", "--exclude", "#x\n.md")
    assert said.exit_code == 2
    last = said.stderr.splitlines()[-1]
    assert last.startswith("Error: Invalid value for '--exclude': '#x\\n.md' is a comment")
    typed = _advice(last).split(" (")[0]
    assert typed == "--exclude $'\\\\#x\\n.md'"
    ran = subprocess.run(["bash", "-c", f'exec "$0" -m converter validate content '
                          f"--no-cache {typed}", sys.executable], cwd=tmp_path,
                         capture_output=True, text=True, timeout=WAIT)
    assert (ran.returncode, ran.stderr.splitlines()[-1]) == (
        0, "1 muscle valid: 0 errors, 0 warnings"), ran.stderr


def test_a_comment_pattern_s_advice_works_in_a_config_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The advice was ``write \\#``: ``exclude = ["\\#x"]`` is no TOML."""
    monkeypatch.chdir(_hashed_site(tmp_path))
    config = tmp_path / "muscle-convert.toml"
    config.write_text('exclude = ["#x.md"]\n', encoding="utf-8")
    said = _run("validate", "content")
    assert said.exit_code == 2
    advice = _advice(said.stderr.splitlines()[-1]).removesuffix(" [config-bad-value]")
    assert advice == "exclude = ['\\#x.md'] (or [\"\\\\#x.md\"])"
    literal, basic = advice.removesuffix(")").split(" (or ")
    for line in (literal, f"exclude = {basic}"):
        config.write_text(line + "\n", encoding="utf-8")
        ran = _run("validate", "content")
        assert (ran.exit_code, ran.stderr.splitlines()[-1]) == (
            0, "1 muscle valid: 0 errors, 0 warnings"), ran.stderr


#: A name a line cannot show as it is: line and paragraph separators, a bidirectional
#: override, C1 controls (NEL; CSI, which a terminal takes for an escape) and DEL; and
#: a letter a line shows, which the advice keeps as it is.
_UNSHOWN = "#x\u2028y\u2029z\u202e\x85\x9b\x7fé.md"


def test_a_comment_pattern_s_config_advice_is_one_line_that_gives_the_pattern(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The config file's advice was ``json.dumps(ensure_ascii=False)``: U+2028, U+202E
    and C1 controls raw in the message (printed, ``\\x85``, which is no TOML escape);
    each is ``\\u`` and four hex digits now, as :func:`printable` escapes it, and ``é``
    stays."""
    monkeypatch.chdir(_hashed_site(tmp_path))
    (tmp_path / "content" / "#x.md").rename(tmp_path / "content" / _UNSHOWN)
    config = tmp_path / "muscle-convert.toml"
    config.write_text('exclude = ["#x\\u2028y\\u2029z\\u202e\\u0085\\u009b\\u007fé.md"]\n',
                      encoding="utf-8")
    assert tomllib.loads(config.read_text("utf-8"))["exclude"] == [_UNSHOWN]
    with spelled(CONFIG_FILE):
        message = problem(_UNSHOWN)
    assert message is not None
    hint = _advice(message)
    assert hint.isprintable() and "é" in hint and hint == printable(hint)
    said = _run("validate", "content")
    assert said.exit_code == 2
    advice = _advice(said.stderr.splitlines()[-1]).removesuffix(" [config-bad-value]")
    assert advice == hint
    config.write_text(advice + "\n", encoding="utf-8")
    assert tomllib.loads(config.read_text("utf-8"))["exclude"] == ["\\" + _UNSHOWN]
    ran = _run("validate", "content")
    assert (ran.exit_code, ran.stderr.splitlines()[-1]) == (
        0, "1 muscle valid: 0 errors, 0 warnings"), ran.stderr


def test_a_comment_pattern_s_advice_works_in_python(tmp_path: Path) -> None:
    content = _hashed_site(tmp_path) / "content"
    with pytest.raises(MuscleError) as raised:
        converter.read(content, exclude="#x.md")
    keyword = _advice(raised.value.diagnostics[0].message)
    assert keyword == "exclude='\\\\#x.md'"
    muscles = converter.read(content, exclude=ast.literal_eval(keyword.split("=", 1)[1]))
    assert [m.slug for m in muscles] == ["soleus"]


def test_force_exclude_leaves_out_what_a_search_takes_for_no_muscle_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Hugo site's section pages and a page bundle's resources, named as pre-commit
    names them, are left out with the note a search gives, with no pattern; its muscle
    pages are read. Without --force-exclude they are read, as every source named."""
    (tmp_path / "hugo.toml").write_text('baseURL = "/"\n', encoding="utf-8")
    muscles = tmp_path / "content" / "muscles"
    (muscles / "soleus").mkdir(parents=True)
    for name in ("_index.md", "_index.da.md", "soleus/credits.md"):
        (muscles / name).write_text("---\ntitle: List\n---\n", encoding="utf-8")
    (muscles / "soleus" / "index.md").write_text(SEED.read_text("utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    named = ["content/muscles/_index.md", "content/muscles/_index.da.md",
             "content/muscles/soleus/credits.md", "content/muscles/soleus/index.md"]
    read = _run("validate", *named)  # (three pages taken for muscles)
    assert read.stderr.splitlines()[-1] == "4 muscles valid: 0 errors, 0 warnings"
    note = ("note: 3 files left out: their formats do not take them for their own "
            "(such as content/muscles/_index.da.md, a Hugo section page: name one to read "
            "it)")
    forced = _run("validate", *named, "--force-exclude")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr.splitlines() == [note, "1 muscle valid: 0 errors, 0 warnings"]
    fmt = _run("fmt", "--check", *named, "--force-exclude")
    assert fmt.stderr.splitlines() == [note, "1 would change, 0 unchanged"]
    alone = _run("validate", named[0], "--force-exclude", "--from", "markdown")
    assert alone.exit_code == 0, alone.stderr
    assert alone.stderr.splitlines()[-2] == ("note: nothing to read: a search leaves out "
                                             "every source named (--force-exclude)")


def test_readmes_pre_commit_hook_reads_only_the_muscle_pages_it_is_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README's hook, given a commit's files of a Hugo site (a README, section pages, a
    muscle), reads the muscle alone."""
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    entry = next(line.split("entry: ", 1)[1] for line in readme.splitlines()
                 if line.strip().startswith("entry: muscle-convert"))
    command = shlex.split(entry)
    assert command[:2] == ["muscle-convert", "validate"]
    (tmp_path / "hugo.toml").write_text('baseURL = "/"\n', encoding="utf-8")
    muscles = tmp_path / "content" / "muscles"
    muscles.mkdir(parents=True)
    for name in ("_index.md", "_index.pt-br.md", "README.md"):
        (muscles / name).write_text("---\ntitle: List\n---\n", encoding="utf-8")
    (muscles / "soleus.md").write_text(SEED.read_text("utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    named = [f"content/muscles/{n}" for n in ("README.md", "_index.md", "_index.pt-br.md",
                                               "soleus.md")]
    result = _run(*command[1:], *named)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "1 muscle valid: 0 errors, 0 warnings"
