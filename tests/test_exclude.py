"""--force-exclude: sources named on the command line left out as a search of the
working folder leaves them out (hidden, muscle-convert's output, --exclude), as
pre-commit names the files it checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.cli import cli
from converter.exclude import Exclusion, searched_out
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
