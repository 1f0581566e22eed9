"""--exclude patterns on sources named on the command line (--force-exclude), as
pre-commit names the files it checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.cli import cli
from converter.exclude import Exclusion, named_left_out
from tests.conftest import SEED


@pytest.mark.parametrize(("path", "patterns", "left_out"), [
    ("content/README.md", ["README.md"], True),  # a name at any depth
    ("content/soleus.md", ["README.md"], False),
    ("content/drafts/x.md", ["drafts/"], True),  # below a folder left out
    ("content/drafts/x.md", ["drafts/", "!content/drafts/x.md"], True),  # (as in git)
    ("content/drafts/x.md", ["content/drafts/**", "!content/drafts/x.md"], False),
    ("content/drafts/x.md", ["/drafts/"], False),  # from the working folder's top
    ("content/x.md", ["/content/"], True),
    ("./content/../content/x.md", ["/content/x.md"], True),
    ("../elsewhere/README.md", ["README.md"], False),  # outside the working folder
    ("/abs/README.md", ["README.md"], False),
])
def test_a_named_source_is_matched_by_its_path_from_the_working_folder(
        path: str, patterns: list[str], left_out: bool) -> None:
    assert named_left_out(path, Exclusion(patterns), "/work/site") is left_out


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


def test_force_exclude_of_every_source_named_does_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path))
    monkeypatch.setenv("PWD", str(tmp_path))
    out = tmp_path / "m.json"
    out.write_text("kept", encoding="utf-8")
    for args in (["validate"], ["fmt"], ["convert", "--to", "json", "-o", str(out)]):
        result = _run(*args, "content/README.md", "--exclude", "README.md",
                      "--force-exclude")
        assert (result.exit_code, result.stderr) == (0, (
            "note: nothing to read: --exclude leaves out every source named "
            "(--force-exclude)\n"))
    assert out.read_text("utf-8") == "kept"


def test_force_exclude_comes_from_a_config_file_and_is_undone_on_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path))
    monkeypatch.setenv("PWD", str(tmp_path))
    (tmp_path / "muscle-convert.toml").write_text(
        'exclude = ["README.md"]\nforce-exclude = true\n', encoding="utf-8")
    assert _run("validate", "content/README.md").exit_code == 0
    assert _run("validate", "content/README.md", "--no-force-exclude").exit_code == 1
