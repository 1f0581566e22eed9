"""An output folder's marker (``.muscle-convert``): a marker that cannot be understood
is never taken as leave to delete what someone else put in the folder."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.atomic_folder import atomic_directory
from converter.cli import cli
from converter.diagnostics import MuscleError
from converter.marker import (
    DIRECTORY_MARKER,
    check_no_folder_named,
    file_digest,
    marker_text,
    read_marker,
)
from tests.conftest import SAMPLES, WAIT


def _convert(out: Path) -> tuple[int, str]:
    """Convert the samples to an HTML site in ``out``: exit code and standard error."""
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", str(out),
                                      "--no-cache", "-j", "1"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def _site_with_my_files(tmp_path: Path) -> Path:
    """A site the tool wrote, with a page and a folder of notes of the user's."""
    site = tmp_path / "site"
    assert _convert(site)[0] == 0
    (site / "notes").mkdir()
    (site / "notes" / "plan.txt").write_text("plan")
    (site / "about.html").write_text("<p>about</p>")
    return site


def _commented(marker: Path) -> None:
    marker.write_text("# build output of the site\n" + marker.read_text())


def _emptied(marker: Path) -> None:
    marker.write_text("")


def _junk(marker: Path) -> None:
    marker.write_bytes(b"\xff\xfe\x00junk\x80\n")


def _folder(marker: Path) -> None:
    marker.unlink()
    marker.mkdir()
    (marker / "inside").write_text("mine")


def _linked(marker: Path) -> None:
    (marker.parent.parent / "elsewhere").write_text(marker.read_text())
    marker.unlink()
    marker.symlink_to(marker.parent.parent / "elsewhere")


@pytest.mark.parametrize("spoil, why", [
    (_commented, "does not begin with the two lines"), (_emptied, "is empty"),
    (_junk, "is not UTF-8 text"), (_folder, "is a folder"), (_linked, "is a symbolic link"),
], ids=["comment", "empty", "junk", "folder", "link"])
def test_a_marker_not_understood_refuses_the_run_and_deletes_nothing(
        tmp_path: Path, spoil: Callable[[Path], None], why: str) -> None:
    """A comment line added, an empty marker (``touch``), binary junk or a folder in its
    place: the run took every file for its own and deleted the user's page and notes."""
    site = _site_with_my_files(tmp_path)
    spoil(site / DIRECTORY_MARKER)
    code, stderr = _convert(site)
    assert code == 1 and "[output-not-ours]" in stderr
    assert f"its marker {site / DIRECTORY_MARKER} {why}" in stderr
    assert (site / "about.html").read_text() == "<p>about</p>"
    assert (site / "notes" / "plan.txt").read_text() == "plan"


def test_a_fifo_marker_refuses_the_run_without_waiting(tmp_path: Path) -> None:
    """A FIFO named .muscle-convert: the run waited for a writer, forever."""
    site = _site_with_my_files(tmp_path)
    (site / DIRECTORY_MARKER).unlink()
    os.mkfifo(site / DIRECTORY_MARKER)
    got: list[tuple[int, str]] = []
    run = threading.Thread(target=lambda: got.append(_convert(site)), daemon=True)
    run.start()
    run.join(WAIT)
    if run.is_alive():  # (let it end: a writer opens the FIFO, and closes it)
        os.close(os.open(site / DIRECTORY_MARKER, os.O_WRONLY | os.O_NONBLOCK))
        run.join(WAIT)
        pytest.fail("the run waited on the FIFO")
    code, stderr = got[0]
    assert code == 1 and f"its marker {site / DIRECTORY_MARKER} is a FIFO" in stderr
    assert (site / "about.html").read_text() == "<p>about</p>"


@pytest.mark.parametrize("name", ["notes", "../site", "/etc", ".", DIRECTORY_MARKER,
                                  "about.html/"])
def test_a_name_in_the_marker_that_is_no_file_of_the_folder_is_kept(tmp_path: Path,
                                                                   name: str) -> None:
    """A marker line naming a folder: it was deleted, with all it held."""
    site = _site_with_my_files(tmp_path)
    marker = site / DIRECTORY_MARKER
    marker.write_text(marker.read_text() + f"{name}\n")
    assert _convert(site)[0] == 0
    assert (site / "notes" / "plan.txt").read_text() == "plan"
    assert (site / "about.html").read_text() == "<p>about</p>"
    assert marker.read_text().startswith("written by muscle-convert, which replaces")


def test_a_link_named_in_the_marker_is_kept(tmp_path: Path) -> None:
    site = _site_with_my_files(tmp_path)
    (site / "shortcut").symlink_to("about.html")
    marker = site / DIRECTORY_MARKER
    marker.write_text(marker.read_text() + "shortcut\n")
    assert _convert(site)[0] == 0
    assert os.readlink(site / "shortcut") == "about.html"


def test_an_older_versions_marker_gives_up_its_files_but_never_a_folder(tmp_path: Path
                                                                        ) -> None:
    """A folder of the versions whose marker listed no files: their old files are
    replaced (they wrote no other kind), what is not a file is kept."""
    out = tmp_path / "svg"
    out.mkdir()
    (out / DIRECTORY_MARKER).write_text("written by muscle-convert; safe to replace\r\n")
    (out / "soleus.svg").write_text("old")
    (out / "notes").mkdir()
    (out / "notes" / "plan.txt").write_text("plan")
    (out / "link").symlink_to("notes")
    with atomic_directory(out) as folder:
        (folder / "map.svg").write_text("new")
    assert sorted(os.listdir(out)) == [DIRECTORY_MARKER, "link", "map.svg", "notes"]
    assert (out / "notes" / "plan.txt").read_text() == "plan"


def test_a_marker_of_its_first_lines_lets_a_run_write_into_a_folder_of_your_own(
        tmp_path: Path) -> None:
    """As README says: it lists nothing, so all that is there is kept."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "about.html").write_text("<p>about</p>")
    (site / DIRECTORY_MARKER).write_text("written by muscle-convert, which replaces the "
                                         "files it wrote (listed below)\nand keeps any "
                                         "others put here\n")
    assert _convert(site)[0] == 0
    assert (site / "about.html").read_text() == "<p>about</p>"
    assert (site / "index.html").is_file()


def test_a_marker_keeps_the_digest_of_each_file_it_lists(tmp_path: Path) -> None:
    """A name with its digest after a tab is read as the name, its digest kept; one
    with none (an older run's, or a name that ends in a tab and other text) has none."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("a")
    digest = file_digest(site / "a.html")
    assert digest == ("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee"
                      "48bb")
    text = marker_text(["a.html", "b.html"], {"a.html": digest})
    assert text.endswith(f"\na.html\t{digest}\nb.html\n")
    (site / DIRECTORY_MARKER).write_text(text + "c.html\tsha256:nothex\n")
    marker = read_marker(site)
    assert marker.names == {"a.html", "b.html", "c.html\tsha256:nothex"}
    assert marker.digests == {"a.html": digest}
    assert (file_digest(site / "gone.html"), file_digest(site)) == (None, None)


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "swapped"])
@pytest.mark.parametrize("edited", ["index.html", "soleus.md"])
def test_a_file_of_the_tools_you_changed_since_it_wrote_it_is_left_as_it_is(
        edited: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A file the last run wrote and the user changed since (a page fixed by hand) was
    replaced, or removed as no longer written, the run exiting 0: the change was lost.
    The marker keeps the digest of what the run wrote: the run is refused, one
    ``cannot-write`` naming the file, and the folder is left as it was."""
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    first = "html" if edited == "index.html" else "markdown"
    assert CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", first, "-o", "site",
                                    "--no-cache", "-q"]).exit_code == 0
    (site / edited).write_text("fixed by hand")
    before = {path.name: path.read_bytes() for path in site.iterdir()}
    if in_place:
        monkeypatch.chdir(site)
    named = "." if in_place else "site"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", named,
                                      "--no-cache", "-j", "1", "-q"])
    assert result.exit_code == 1
    assert result.stderr.count("error:") == 1, result.stderr
    assert (f"{named}: error: cannot write here: {edited} was changed since muscle-convert "
            "wrote it (not the bytes its marker .muscle-convert says), and this run would "
            "replace or remove it; it is left as it is, and this run wrote nothing there: "
            "move it away (or remove it) for the run to write its own again, or write "
            "elsewhere [cannot-write]") in result.stderr
    assert {path.name: path.read_bytes() for path in site.iterdir()} == before
    (site / edited).unlink()  # (moved away: the run writes again)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", named,
                                      "--no-cache", "-j", "1", "-q"])
    assert result.exit_code == 0, result.stderr


def test_a_name_the_run_writes_is_refused_where_it_is_a_folder_not_a_link_to_one(
        tmp_path: Path) -> None:
    """Of the names a run writes, those that are folders in the output (found in one
    listing of it) are refused, in the order written; a link to a folder, a file and a
    name not there are not."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("b.svg", "a.svg"):
        (out / name).mkdir()
    (out / "link.svg").symlink_to("a.svg")
    (out / "file.svg").write_text("x")
    with pytest.raises(MuscleError) as refused:
        check_no_folder_named(out, ["a.svg", "file.svg", "link.svg", "new.svg", "b.svg"],
                              "out")
    assert refused.value.diagnostics[0].message.startswith(
        "cannot write here: a.svg, b.svg are folders of yours")
    check_no_folder_named(out, ["file.svg", "link.svg", "new.svg"], "out")
    check_no_folder_named(tmp_path / "none", ["a.svg"], "none")


def test_a_marker_read_again_unchanged_is_understood_once_and_a_changed_one_anew(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run reads its folder's marker several times: the same bytes are understood
    once; bytes changed since are understood anew, and what cannot be understood is
    said each time."""
    import converter.marker as marker_module

    parsed: list[bytes] = []
    real = marker_module._parsed
    monkeypatch.setattr(marker_module, "_LAST", {})  # (none understood before)
    monkeypatch.setattr(marker_module, "_parsed",
                        lambda raw, name: parsed.append(raw) or real(raw, name))
    (tmp_path / DIRECTORY_MARKER).write_text(marker_text(["a.svg"]), encoding="utf-8")
    first, again = read_marker(tmp_path), read_marker(tmp_path)
    assert first == again and first.names == {"a.svg"} and len(parsed) == 1
    (tmp_path / DIRECTORY_MARKER).write_text(marker_text(["b.svg"]), encoding="utf-8")
    assert read_marker(tmp_path).names == {"b.svg"} and len(parsed) == 2
    (tmp_path / DIRECTORY_MARKER).write_text("not a marker", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(MuscleError):
            read_marker(tmp_path)
    assert len(parsed) == 4


def test_a_file_saved_as_written_gives_its_digest_unread_and_one_changed_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer's file saved with save_text is not read again for the marker's digest
    while it is as written; one written again since (by other means) is read, and a
    file of 200 kB (read in parts) has the digest of its bytes."""
    import hashlib

    import converter.marker as marker_module
    from converter.atomic_folder import save_text

    read: list[str] = []
    real = marker_module.file_digest
    monkeypatch.setattr(marker_module, "file_digest",
                        lambda path: read.append(Path(path).name) or real(path))
    big = "é" * 100_000
    for name, text in (("a.svg", "<svg/>\n"), ("b.svg", "<svg>b</svg>\n"), ("big.svg", big)):
        save_text(tmp_path / name, text)
    (tmp_path / "b.svg").write_text("<svg>bb</svg>\n", encoding="utf-8")
    found = marker_module.digests_of(tmp_path, ["a.svg", "b.svg", "big.svg"])
    assert found == {name: "sha256:" + hashlib.sha256((tmp_path / name).read_bytes())
                     .hexdigest() for name in ("a.svg", "b.svg", "big.svg")}
    assert read == ["b.svg"]
    assert real(tmp_path / "big.svg") == found["big.svg"]
    save_text(tmp_path / "a.svg", "<svg/>\n")
    marker_module.forget_saved(tmp_path)
    read.clear()
    marker_module.digests_of(tmp_path, ["a.svg"])
    assert read == ["a.svg"]
