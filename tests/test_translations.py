"""Two files that look like translations of one page: what their duplicate-slug says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from converter.cli import cli
from converter.diagnostics import MuscleError, worded
from converter.spellings import PYTHON_API, spelled
from converter.translations import translated

MD = (".md", ".markdown")
PAGE = "---\ntitle: Soleus\n---\n"
KEYED = "---\ntitle: Soleus\nslug: soleus\n---\n"


def _write(top: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(text, encoding="utf-8")


def _said(top: Path, *args: str) -> list[tuple[str, int | None, str, list[str]]]:
    result = CliRunner().invoke(cli, ["validate", str(top), "--no-cache", "-j", "1",
                                      "--format", "json", *args])
    assert result.exit_code == 1, result.output
    return [(Path(d["path"]).relative_to(top).as_posix(), d["line"], d["message"], d["code"])
            for d in json.loads(result.stdout)]


def test_pages_in_language_folders_are_said_to_look_like_translations(tmp_path: Path) -> None:
    """``content/en/muscles/soleus.md`` and ``content/da/muscles/soleus.md`` (a site's
    folder for each language) were a bare duplicate-slug, one language dropped: it now
    says they look like translations and to convert each language's folder alone, as
    that run does."""
    _write(tmp_path, {"content/en/muscles/soleus.md": PAGE,
                      "content/da/muscles/soleus.md": PAGE})
    da, en = tmp_path / "content" / "da", tmp_path / "content" / "en"
    assert _said(tmp_path) == [(
        "content/en/muscles/soleus.md", None, "the file name gives the slug 'soleus', which "
        f"is already used by {da}/muscles/soleus.md; the two look like translations of "
        "one page (in the folders of da and en): a run holds a slug once, so convert each "
        f"language on its own, naming its folder ({da}, {en})", "duplicate-slug")]
    for folder in (da, en):
        alone = CliRunner().invoke(cli, ["validate", str(folder), "--no-cache"])
        assert alone.exit_code == 0, alone.output


@pytest.mark.parametrize("default_lang", ["en", "fr"])
def test_translations_by_name_with_one_slug_are_said_to_be_so(
        tmp_path: Path, default_lang: str) -> None:
    """``soleus.md`` and ``soleus.da.md`` both ``slug: soleus`` (one address in each
    language) said only ``slug 'soleus' is already used by soleus.da.md``: it now says
    which language each name gives (none: the run's) and how to convert each alone, and
    those options do."""
    _write(tmp_path, {"soleus.md": KEYED, "soleus.da.md": KEYED})
    assert _said(tmp_path, "--default-lang", default_lang) == [(
        "soleus.md", 3, f"slug 'soleus' is already used by {tmp_path}/soleus.da.md; the two "
        "look like translations of one page (that file's name gives the language da; this "
        "one's gives none, so its texts are in the run's --default-lang, "
        f"{default_lang}): a run holds a slug once, so convert each language on its own: "
        "leave da's files out (--exclude '*.da.md') or read them alone (--exclude '*.md' "
        "--exclude '!*.da.md')", "duplicate-slug")]
    for patterns in (["*.da.md"], ["*.md", "!*.da.md"]):
        alone = CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache",
                                         *(f"--exclude={p}" for p in patterns)])
        assert alone.exit_code == 0 and alone.output.startswith("1 muscle valid"), \
            alone.output


@pytest.mark.parametrize("first", ["soleus.md", "soleus.da.md"])
def test_translations_named_as_sources_are_told_to_name_one_language_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str) -> None:
    """``validate soleus.md soleus.da.md --exclude '*.da.md'`` was told to leave da's
    files out with ``--exclude '*.da.md'``, which leaves out no file named: the same
    error again. Files named are told to name one language's files only, or to add
    ``--force-exclude`` to the options, which then do read one language alone; one
    named beside a folder searched likewise. The Python API, which has no
    ``force_exclude``, is told to name one language's files."""
    _write(tmp_path, {"soleus.md": KEYED.replace("Soleus", "en"),
                      "soleus.da.md": KEYED.replace("Soleus", "da")})
    monkeypatch.chdir(tmp_path)
    second = "soleus.md" if first == "soleus.da.md" else "soleus.da.md"
    told = ("convert each language on its own: name one language's files only (--exclude "
            "leaves out no file named), or leave da's files out (--force-exclude --exclude "
            "'*.da.md') or read them alone (--force-exclude --exclude '*.md' --exclude "
            "'!*.da.md')")
    for sources in ([first, second], [".", "soleus.da.md"]):
        result = CliRunner().invoke(cli, ["validate", *sources, "--no-cache", "-j", "1",
                                          "--exclude", "*.da.md"])
        assert result.exit_code == 1, result.output
        assert result.output.count("[duplicate-slug]") == 1
        assert f"a run holds a slug once, so {told} [duplicate-slug]" in result.output
    for patterns, title in ((["*.da.md"], "en"), (["*.md", "!*.da.md"], "da")):
        alone = CliRunner().invoke(cli, [
            "convert", first, second, "--no-cache", "--force-exclude", "--to", "json",
            "-o", "m.json", *(f"--exclude={p}" for p in patterns)])
        assert alone.exit_code == 0, alone.output
        assert [m.title for m in converter.read("m.json")] == [title]
    with pytest.raises(MuscleError) as caught:
        converter.read([first, second], exclude="*.da.md")
    [said] = caught.value.diagnostics
    assert said.message.endswith(
        "convert each language on its own: name one language's files only (exclude "
        "leaves out no file named)")


def test_the_python_api_is_told_its_exclude_and_two_named_languages_both(
        tmp_path: Path) -> None:
    _write(tmp_path, {"b/index.en.md": KEYED, "b/index.da.md": KEYED})
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path)
    [said] = caught.value.diagnostics
    assert (Path(said.path).name, said.message.split("; ")[1]) == (
        "index.en.md", "the two look like translations of one page (that file's name gives "
        "the language da, this one's en): a run holds a slug once, so convert each language "
        "on its own: leave da's files out (exclude='*.da.md') or read them alone "
        "(exclude=['*.md', '!*.da.md'])")


@pytest.mark.parametrize("files", [
    {"a/soleus.md": KEYED, "b/soleus.md": KEYED},  # (no language)
    {"old/soleus.md": PAGE, "new/soleus.md": PAGE},  # (words of three letters)
    {"soleus.md": KEYED, "soleus.en.md": KEYED},  # (one language: the run's)
    {"en/soleus.md": PAGE, "EN/soleus.md": PAGE}])  # (one language in two cases)
def test_files_not_in_two_languages_keep_the_bare_duplicate_slug(
        tmp_path: Path, files: dict[str, str]) -> None:
    _write(tmp_path, files)
    [(_, _, message, code)] = _said(tmp_path)
    assert code == "duplicate-slug" and "translation" not in message
    assert message.endswith(tuple(f"{tmp_path}/{name}" for name in files))


def test_a_translation_is_named_with_the_folders_to_name() -> None:
    parts = translated("site/content/da/m/soleus.md", "site/content/pt-br/soleus.md", MD,
                       MD, "en")
    message, named = worded(*parts)
    assert message == (
        "; the two look like translations of one page (in the folders of pt-br and da): "
        "a run holds a slug once, so convert each language on its own, naming its folder "
        "(site/content/pt-br, site/content/da)")
    assert [message[start:end] for start, end in zip(named[::2], named[1::2], strict=True)
            ] == ["site/content/pt-br", "site/content/da"]
    assert worded(*translated("/da/soleus.md", "/en/soleus.md", MD, MD, "en"))[0].endswith(
        "naming its folder (/en, /da)")


def test_a_language_code_in_capitals_or_a_bundle_s_page_alone_gives_no_language() -> None:
    assert translated("soleus.md", "soleus.DA.md", MD, MD, "en") == ()
    assert translated("a/index.md", "b/index.md", MD, MD, "en") == ()
    assert translated("soleus.md", "soleus.da.md", MD, MD, "da") == ()


def test_the_options_are_named_as_the_caller_names_them() -> None:
    with spelled(PYTHON_API):
        [note] = translated("a.md", "a.da.md", MD, MD, "en")
    assert note.endswith("(exclude='*.da.md') or read them alone "
                         "(exclude=['*.md', '!*.da.md'])")
