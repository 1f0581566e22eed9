"""The anki format: decks the official Anki library imports, updates and never duplicates."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given

import converter
from converter.bodymap import fit_viewbox, focus_svg, screen_scale, under_a_pixel
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Function, LocalizedText, Muscle, Region
from converter.registry import ReadContext, Source, WriteContext, get_format
from converter.run import validate_sources
from formats import anki as anki_format
from formats.anki import AnkiFormat, media_name, note_guid, stable_id
from tests.browser.dots import DOTS, dots_corpus
from tests.conftest import SAMPLES, detailed_muscles
from tests.strategies import corpora

FMT = AnkiFormat()
DANISH_DECK = "Anatomi::Muskler"


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose note times themselves; an inherited SOURCE_DATE_EPOCH would hide them."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[object]:
    """A fresh, empty Anki collection (official library)."""
    from anki.collection import Collection

    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def _muscle(slug: str, title: str, **fields: object) -> Muscle:
    return Muscle(slug=slug, title=title, **fields)  # type: ignore[arg-type]


def _region(*points: tuple[int, int]) -> Region:
    return Region(tuple(points))


def _write(muscles: Iterable[Muscle], out: Path, times: dict[str, float] | None = None,
           **options: object) -> tuple[str, list[Diagnostic]]:
    """Write ``muscles`` with their sources' ``times`` (sources in no folder there is:
    only their own times count)."""
    reported: list[Diagnostic] = []
    sources = {slug: Source(f"/no-such-folder/{slug}.md", mtime)
               for slug, mtime in (times or {}).items()}
    ctx = WriteContext(options=dict(options), sources=sources, report=reported.append)
    return FMT.write(iter(muscles), out, ctx), reported


#: The collections an .apkg may hold, Anki's own (exported for older versions) first.
_COLLECTIONS = ("collection.anki21", "collection.anki2")


def _read(path: Path) -> tuple[list[Muscle], list[Diagnostic]]:
    reported: list[Diagnostic] = []
    return list(FMT.read(path, ReadContext(report=reported.append))), reported


def _import(col: object, path: Path) -> object:
    """Import with Anki's default choices: notes and note types updated only when newer."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as When

    options = ImportAnkiPackageOptions(
        merge_notetypes=False, with_scheduling=False, with_deck_configs=False,
        update_notes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER)
    return col.import_anki_package(  # type: ignore[attr-defined]
        ImportAnkiPackageRequest(package_path=str(path), options=options))


def _notes(col: object) -> dict[str, object]:
    """slug -> note of the collection."""
    notes = [col.get_note(nid) for nid in col.find_notes("")]  # type: ignore[attr-defined]
    return {note["Slug"]: note for note in notes}


def _stored(path: Path, sql: str) -> list[tuple]:
    """Run a query on the collection inside an .apkg (Anki's own, when it exported one
    beside the stub for older versions)."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = archive.read(next(n for n in _COLLECTIONS if n in names))
    db = path.with_suffix(".sqlite")
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
        db.unlink()


def _sample_times(sample_muscles: list[Muscle]) -> dict[str, float]:
    return {m.slug: (SAMPLES / f"{m.slug}.md").stat().st_mtime for m in sample_muscles}


# --- the official Anki library imports the deck ----------------------------------------------

def test_anki_imports_samples_with_counts_fields_deck_and_media(
        tmp_path: Path, collection: object, sample_muscles: list[Muscle]) -> None:
    out = tmp_path / "muscles.apkg"
    summary, _ = _write(sample_muscles, out, _sample_times(sample_muscles),
                        deck=DANISH_DECK, lang="da")
    _import(collection, out)

    mapped = [m for m in sample_muscles if m.regions]
    expected_cards = len(sample_muscles) + len(mapped) + sum(bool(m.latin)
                                                              for m in sample_muscles)
    assert collection.note_count() == len(sample_muscles)
    assert collection.card_count() == expected_cards
    assert f"{expected_cards} cards" in summary
    assert DANISH_DECK in {d.name for d in collection.decks.all_names_and_ids()}
    in_deck = collection.find_cards(f'"deck:{DANISH_DECK}"')
    assert len(in_deck) == expected_cards

    notes = _notes(collection)
    biceps = next(m for m in sample_muscles if m.slug == "biceps-brachii")
    note = notes["biceps-brachii"]
    assert note["Name"] == "Biceps Brachii"
    assert note["Latin"] == "Musculus biceps brachii"
    assert note["Origin"] == biceps.origin["da"]
    assert note["Insertion"] == biceps.insertion["da"]
    assert biceps.functions[0].short["da"] in note["Functions"]
    assert note["Functions"].startswith('<ol class="functions"><li>')
    assert all(f"<li>{e}</li>" in note["Exercises"] for e in biceps.exercises)
    assert note["Image"] == f'<img src="{media_name("biceps-brachii")}" alt="">'

    media = Path(collection.media.dir())
    viewbox = fit_viewbox(sample_muscles)
    for muscle in mapped:
        stored = (media / media_name(muscle.slug)).read_text(encoding="utf-8")
        assert stored == focus_svg(muscle, sample_muscles, viewbox)


#: Two long slugs (up to 200 characters is allowed) whose first 106 are the same.
_LONG_SLUGS = tuple(
    "musculus-flexor-digitorum-superficialis-caput-humeroulnare-et-caput-radiale-"
    f"pars-profunda-fibrae-distales-{side}" for side in ("sinistra", "dextra"))


def test_long_slugs_keep_their_own_focus_image_in_anki(tmp_path: Path, collection: object
                                                       ) -> None:
    """Anki cuts a media name to 119 bytes: two long slugs sharing their start were one
    file, and both notes showed the same muscle highlighted."""
    muscles = [_muscle(slug, f"M{i}", regions=(_region((100 + 500 * i, 100),
                                                       (200 + 500 * i, 100),
                                                       (200 + 500 * i, 200)),))
               for i, slug in enumerate(sorted(_LONG_SLUGS))]
    out = tmp_path / "long.apkg"
    _write(muscles, out, {m.slug: 1_700_000_000 for m in muscles})
    _import(collection, out)
    _import(collection, out)  # (again: the same media, nothing added)

    media = Path(collection.media.dir())
    notes = _notes(collection)
    viewbox = fit_viewbox(muscles)
    shown = {}
    for muscle in muscles:
        image = notes[muscle.slug]["Image"]
        assert image == f'<img src="{media_name(muscle.slug)}" alt="">'
        shown[muscle.slug] = (media / media_name(muscle.slug)).read_text(encoding="utf-8")
        assert shown[muscle.slug] == focus_svg(muscle, muscles, viewbox)
    assert len(set(shown.values())) == 2
    assert sorted(p.name for p in media.iterdir()) == sorted(map(media_name, _LONG_SLUGS))
    assert _read(out) == ([FMT.projected(m) for m in muscles], [])


@pytest.mark.parametrize(("slug", "name"), [
    ("soleus", "muscle-convert-soleus.svg"),  # (as it always was: the media users have)
    ("a" * 101, f"muscle-convert-{'a' * 101}.svg"),  # (120 bytes: Anki keeps it whole)
])
def test_a_focus_image_name_anki_keeps_whole_is_unchanged(slug: str, name: str) -> None:
    assert media_name(slug) == name


def test_a_long_slugs_focus_image_name_is_cut_with_a_digest_of_the_slug() -> None:
    names = {slug: media_name(slug) for slug in ("a" * 102, "a" * 200, *_LONG_SLUGS)}
    assert len(set(names.values())) == len(names)
    assert all(len(name.encode()) <= anki_format.MAX_MEDIA_NAME_BYTES for name in names.values())
    assert all(name.startswith(f"muscle-convert-{slug[:80]}") and name.endswith(".svg")
               for slug, name in names.items())
    assert names == {slug: media_name(slug) for slug in names}  # (stable)


@pytest.mark.parametrize("latin", [" ", "", "\u3000", "\u200b", " \t\n"])
def test_a_latin_name_that_shows_nothing_makes_no_card(tmp_path: Path, collection: object,
                                                       latin: str) -> None:
    muscles = [_muscle("a", "Alpha", latin=latin), _muscle("b", "Beta", latin="Musculus b")]
    out = tmp_path / "d.apkg"
    summary, _ = _write(muscles, out, {"a": 1_700_000_000, "b": 1_700_000_000})
    _import(collection, out)

    cards = [collection.get_card(cid) for cid in collection.find_cards("")]
    asked = [c.note()["Slug"] for c in cards if c.template()["name"] == "Latin → name"]
    assert asked == ["b"]
    assert collection.card_count() == 3 and "3 cards" in summary
    assert [m.latin for m in _read(out)[0]] == [None, "Musculus b"]


def test_card_templates_ask_the_three_questions(tmp_path: Path, collection: object) -> None:
    muscles = [
        _muscle("a-mapped", "Alpha", latin="Musculus alpha",
                origin=LocalizedText({"en": "Top of the bone"}),
                functions=(Function(LocalizedText({"en": "Lifts the arm"}),
                                    LocalizedText({"en": "Raises it sideways"})),),
                regions=(_region((0, 0), (10, 0), (10, 10)),)),
        _muscle("b-plain", "Beta"),
    ]
    out = tmp_path / "d.apkg"
    _write(muscles, out, {"a-mapped": 1_700_000_000, "b-plain": 1_700_000_000})
    _import(collection, out)

    cards = {}
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        cards[(card.note()["Slug"], card.template()["name"])] = card
    assert set(cards) == {("a-mapped", "Name → origin, insertion, functions"),
                          ("a-mapped", "Focus image → name"), ("a-mapped", "Latin → name"),
                          ("b-plain", "Name → origin, insertion, functions")}
    name_card = cards[("a-mapped", "Name → origin, insertion, functions")]
    assert "Alpha" in name_card.question() and "Top of the bone" not in name_card.question()
    assert "Top of the bone" in name_card.answer() and "Lifts the arm" in name_card.answer()
    image_card = cards[("a-mapped", "Focus image → name")]
    assert media_name("a-mapped") in image_card.question()
    assert "Alpha" not in image_card.question() and "Alpha" in image_card.answer()
    latin_card = cards[("a-mapped", "Latin → name")]
    assert "Musculus alpha" in latin_card.question() and "Alpha" not in latin_card.question()
    assert "Alpha" in latin_card.answer()
    css = name_card.render_output().css
    assert ".nightMode" in css and "@media (max-width" in css


def test_regenerated_deck_updates_changed_note_and_adds_one(
        tmp_path: Path, collection: object) -> None:
    first = [_muscle("soleus", "Soleus", origin=LocalizedText({"en": "Back of the tibia"})),
             _muscle("trapezius", "Trapezius", exercises=("Shrugs",))]
    times = {"soleus": 1_700_000_000, "trapezius": 1_700_000_000}
    _write(first, tmp_path / "v1.apkg", times)
    _import(collection, tmp_path / "v1.apkg")
    assert collection.note_count() == 2
    before = _notes(collection)
    reviewed = collection.get_card(before["trapezius"].card_ids()[0])
    reviewed.type, reviewed.queue, reviewed.ivl, reviewed.due = 2, 2, 12, 40
    collection.update_card(reviewed)

    second = [_muscle("soleus", "Soleus", origin=LocalizedText({"en": "Fibula and tibia"})),
              _muscle("trapezius", "Trapezius", exercises=("Shrugs",)),
              _muscle("deltoideus", "Deltoideus")]
    newer = {"soleus": 1_700_000_500, "trapezius": 1_700_000_000,
             "deltoideus": 1_700_000_600}
    _write(second, tmp_path / "v2.apkg", newer)
    _import(collection, tmp_path / "v2.apkg")

    assert collection.note_count() == 3
    after = _notes(collection)
    assert after["soleus"]["Origin"] == "Fibula and tibia"
    assert after["soleus"].id == before["soleus"].id
    assert after["soleus"].mod == 1_700_000_500
    assert after["trapezius"].id == before["trapezius"].id
    kept = collection.get_card(reviewed.id)
    assert (kept.ivl, kept.due, kept.queue) == (12, 40, 2)


def test_edited_text_with_an_old_time_is_not_taken_by_anki(
        tmp_path: Path, collection: object) -> None:
    """Why note times follow the sources: Anki ignores incoming notes that are not newer."""
    _write([_muscle("soleus", "Soleus", latin="Old")], tmp_path / "v1.apkg",
           {"soleus": 1_700_000_000})
    _import(collection, tmp_path / "v1.apkg")
    _write([_muscle("soleus", "Soleus", latin="New")], tmp_path / "v2.apkg",
           {"soleus": 1_700_000_000})
    _import(collection, tmp_path / "v2.apkg")
    assert _notes(collection)["soleus"]["Latin"] == "Old"


def test_a_deck_with_new_templates_updates_the_note_type_of_an_older_import(
        tmp_path: Path, collection: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The note type's time was its newest note's: a collection that had imported the
    deck before the MathJax guard kept the old templates, whatever was imported later."""
    muscle = _muscle("a", "Alpha")
    with monkeypatch.context() as old:
        old.setattr(anki_format.writing, "TEMPLATES_CHANGED", 0, raising=False)
        old.setattr(anki_format.writing, "_TEMPLATES", tuple(
            {k: v.replace(" tex2jax_ignore mathjax_ignore", "") for k, v in t.items()}
            for t in anki_format.writing._TEMPLATES))
        _write([muscle], tmp_path / "old.apkg", {"a": 1_700_000_000})
    _import(collection, tmp_path / "old.apkg")
    _write([muscle], tmp_path / "new.apkg", {"a": 1_700_000_000})  # (no note changed)
    _import(collection, tmp_path / "new.apkg")
    [notetype] = [m for m in collection.models.all()  # type: ignore[attr-defined]
                  if m["name"] == anki_format.NOTETYPE_NAME]
    assert all("tex2jax_ignore" in t["qfmt"] for t in notetype["tmpls"])


def test_title_with_script_is_stored_escaped(tmp_path: Path, collection: object) -> None:
    title = "<script>alert(1)</script>"
    muscle = _muscle("evil", title, latin='"quoted" & <b>bold</b>', exercises=("<img src=x>",))
    out = tmp_path / "evil.apkg"
    _write([muscle], out, {"evil": 1_700_000_000})
    _import(collection, out)
    note = _notes(collection)["evil"]
    assert note["Name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert note["Latin"] == "&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert "<img src=x>" not in note["Exercises"]
    card = collection.get_card(note.card_ids()[0])
    assert "<script>" not in card.question() and "&lt;script&gt;" in card.question()
    assert _read(out)[0] == [muscle]


def _imported_with_every_text(slug: str, text: str, tmp_path: Path, collection: object
                              ) -> tuple[Muscle, Path, object]:
    """A muscle with ``text`` in every text field, written as a Danish deck and imported:
    (the muscle, the deck, its note)."""
    muscle = _muscle(
        slug, f"T{text}", latin=f"L{text}", origin=LocalizedText({"da": f"O{text}"}),
        insertion=LocalizedText({"da": f"I{text}"}),
        functions=(Function(LocalizedText({"da": f"S{text}"}),
                            LocalizedText({"da": f"E{text}"})),),
        exercises=(f"X{text}",), regions=(_region((0, 0), (10, 0), (0, 10)),))
    out = tmp_path / f"{slug}.apkg"
    _write([muscle], out, {slug: 1_700_000_000}, lang="da")
    _import(collection, out)
    return muscle, out, _notes(collection)[slug]


def test_every_text_field_is_escaped_in_every_card(tmp_path: Path, collection: object) -> None:
    muscle, out, note = _imported_with_every_text(
        "evil", '<img src=x onerror="alert(1)">', tmp_path, collection)
    for field in ("Name", "Latin", "Origin", "Insertion", "Functions", "Exercises"):
        assert "<img" not in note[field] and "&lt;img" in note[field], field
    for card_id in note.card_ids():
        card = collection.get_card(card_id)
        for side in (card.question(), card.answer()):
            assert "onerror=" not in side.replace('onerror=&quot;', "")  # only as text
            assert '<img src=x' not in side
    assert _read(out)[0] == [FMT.projected(muscle)]


def test_media_tags_in_texts_are_shown_not_played(tmp_path: Path, collection: object) -> None:
    muscle, out, note = _imported_with_every_text(
        "tagged", " [sound:calf.mp3] [latex]x^2[/latex] [anki:tts lang=da_DK]læg[/anki:tts]",
        tmp_path, collection)
    for card_id in note.card_ids():
        card = collection.get_card(card_id)
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
        for side in (card.question(), card.answer()):
            assert "anki:play" not in side and "latex-" not in side
    assert collection.media.check().missing == []
    assert _read(out)[0] == [FMT.projected(muscle)]


# --- stable identity ------------------------------------------------------------------------

def test_identity_depends_on_slug_and_names_only(tmp_path: Path) -> None:
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    _write([_muscle("soleus", "Soleus")], a, {"soleus": 100}, deck="X")
    _write([_muscle("soleus", "Calf muscle", latin="Musculus soleus")], b, {"soleus": 900},
           deck="X")
    sql = "SELECT guid, mid FROM notes"
    assert _stored(a, sql) == _stored(b, sql) == [(note_guid("soleus"),
                                                  stable_id("muscle-convert muscle"))]
    assert note_guid("soleus") != note_guid("trapezius")
    decks = json.loads(_stored(a, "SELECT decks FROM col")[0][0])
    ours = [d for d in decks.values() if d["name"] == "X"]
    assert [d["id"] for d in ours] == [stable_id("muscle-convert deck X")]
    assert stable_id("muscle-convert deck X") != stable_id("muscle-convert deck Y")
    assert all((1 << 30) <= stable_id(name) < (1 << 31) for name in ("a", "b", "Æøå"))


# --- note times and byte-identical output ---------------------------------------------------

def test_note_times_come_from_sources(tmp_path: Path) -> None:
    out = tmp_path / "t.apkg"
    muscles = [_muscle("a", "A"), _muscle("b", "B")]
    _write(muscles, out, {"a": 1_600_000_000.9, "b": 1_650_000_000.2})
    notes = _stored(out, "SELECT guid, mod FROM notes ORDER BY guid")
    assert sorted(notes) == sorted([(note_guid("a"), 1_600_000_000),
                                    (note_guid("b"), 1_650_000_000)])
    cards = _stored(out, "SELECT n.guid, c.mod FROM cards c JOIN notes n ON n.id = c.nid")
    assert sorted(cards) == sorted(notes)


def test_a_table_edited_in_place_updates_the_note_of_a_deck_made_from_its_package(
        tmp_path: Path, collection: object) -> None:
    """A deck made from a CSV data package took its notes' times from the package's
    folder, which a table rewritten in place (an editor, pandas) leaves as it was: the
    new deck's notes were no newer and Anki kept the old texts. The newest of the
    files the reader reads is the muscles' time now."""
    package, deck = tmp_path / "pkg", tmp_path / "deck.apkg"
    runner = CliRunner()
    for args in (["convert", str(SAMPLES / "soleus.md"), "--to", "csv", "-o", str(package)],
                 ["convert", str(package), "--to", "anki", "-o", str(deck), "--no-cache"]):
        assert runner.invoke(cli, args).exit_code == 0
    _import(collection, deck)
    folder_time = os.stat(package).st_mtime_ns
    table = package / "texts.csv"
    old = _notes(collection)["soleus"]["Insertion"]
    table.write_text(table.read_text(encoding="utf-8").replace(old, "Calcaneus, edited"),
                     encoding="utf-8")
    os.utime(table, ns=(folder_time + 5 * 10**9,) * 2)
    os.utime(package, ns=(folder_time, folder_time))  # (as a rewrite in place leaves it)
    assert runner.invoke(cli, ["convert", str(package), "--to", "anki", "-o", str(deck),
                               "--no-cache"]).exit_code == 0
    _import(collection, deck)
    assert _notes(collection)["soleus"]["Insertion"] == "Calcaneus, edited"


def test_a_deck_converted_into_itself_keeps_the_times_of_the_notes_it_reads_back(
        tmp_path: Path, collection: object) -> None:
    """``convert m.apkg --to anki -o m.apkg`` gave every note the deck file's own time
    (its source's), so Anki took each as changed (updated, not a duplicate) though none
    was. A note read back whole keeps its time now, the deck byte for byte as it was,
    and Anki sees no change; one the lossy read changed (an origin lost) keeps its time
    too, so Anki keeps the fuller text it holds, as from a deck converted into
    another."""
    deck = tmp_path / "m.apkg"
    kept = [_muscle("soleus", "Soleus", latin="Musculus soleus", exercises=("Calf raise",)),
            _muscle("trapezius", "Trapezius")]
    _write(kept, deck, {"soleus": 1_700_000_000, "trapezius": 1_700_000_100})
    os.utime(deck, (1_750_000_000, 1_750_000_000))
    _import(collection, deck)
    before = deck.read_bytes()
    runner = CliRunner()
    args = ["convert", str(deck), "--to", "anki", "-o", str(deck), "--no-cache"]
    assert runner.invoke(cli, args).exit_code == 0
    assert deck.read_bytes() == before
    log = _import(collection, deck).log  # type: ignore[attr-defined]
    assert (len(log.updated), len(log.duplicate)) == (0, 2)
    assert {slug: note.mod for slug, note in _notes(collection).items()} == {
        "soleus": 1_700_000_000, "trapezius": 1_700_000_100}

    lossy = [kept[0], _muscle("trapezius", "Trapezius",
                              origin=LocalizedText({"en": "Occipital bone"}))]
    _write(lossy, deck, {"soleus": 1_700_000_000, "trapezius": 1_800_000_000})
    os.utime(deck, (1_750_000_000, 1_750_000_000))
    _import(collection, deck)
    assert runner.invoke(cli, args).exit_code == 0
    log = _import(collection, deck).log  # type: ignore[attr-defined]
    assert (len(log.updated), len(log.duplicate)) == (0, 2)
    notes = _notes(collection)
    assert (notes["trapezius"]["Origin"], notes["trapezius"].mod) == (
        "Occipital bone", 1_800_000_000)
    assert notes["soleus"].mod == 1_700_000_000


def test_a_deck_converted_into_another_keeps_each_notes_own_time(
        tmp_path: Path, collection: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert m.apkg --to anki -o n.apkg`` gave every note ``m.apkg``'s file time
    (its source's), so importing ``n.apkg`` after ``m.apkg`` updated each note though
    its fields were the same. The reader gives each muscle its note's own time now, as
    its source's: the note keeps it (a run replayed keeps the deck as it is), and Anki
    sees no change; ``SOURCE_DATE_EPOCH`` still sets every time."""
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_text("---\ntitle: Soleus\nlatin: Musculus soleus\n---\n",
                            encoding="utf-8")
    os.utime("m.md", (1_704_067_200, 1_704_067_200))
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", "m.md", "--to", "anki", "-o", "m.apkg"]
                         ).exit_code == 0
    os.utime("m.apkg", (1_750_000_000, 1_750_000_000))
    _import(collection, Path("m.apkg"))
    for replayed in (False, True):
        result = runner.invoke(cli, ["convert", "m.apkg", "--to", "anki", "-o", "n.apkg"])
        assert (result.exit_code, "up to date" in result.output) == (0, replayed)
        assert _stored(Path("n.apkg"), "SELECT mod FROM notes") == [(1_704_067_200,)]
    log = _import(collection, Path("n.apkg")).log  # type: ignore[attr-defined]
    assert (len(log.updated), len(log.duplicate)) == (0, 1)
    assert _notes(collection)["m"].mod == 1_704_067_200  # type: ignore[attr-defined]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert runner.invoke(cli, ["convert", "m.apkg", "--to", "anki", "-o", "n.apkg"]
                         ).exit_code == 0
    assert _stored(Path("n.apkg"), "SELECT mod FROM notes") == [(1_800_000_000,)]


def test_a_file_added_beside_a_source_is_not_replayed_over(tmp_path: Path) -> None:
    """The times of notes with a focus image follow the folders holding the sources and
    the deck written last, which the cache does not watch: after a picture was added to
    a page bundle, a cached run was replayed with the old times, unlike a run without
    the cache. (The images are those of the deck there: the times are kept.)"""
    from converter.run import convert_sources

    bundle = tmp_path / "content" / "soleus"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
    os.utime(bundle / "index.md", (1_700_000_000, 1_700_000_000))
    os.utime(bundle, (1_700_000_000, 1_700_000_000))
    deck, cache = tmp_path / "deck.apkg", tmp_path / "cache"

    def run() -> bool:
        return convert_sources([tmp_path / "content"], get_format("anki"), deck, jobs=1,
                               cache_dir=cache).replayed

    assert not run()
    (bundle / "photo.jpg").write_bytes(b"")
    os.utime(bundle, (1_700_000_100, 1_700_000_100))
    assert not run()
    cached = deck.read_bytes()
    convert_sources([tmp_path / "content"], get_format("anki"), deck, jobs=1)
    assert deck.read_bytes() == cached
    deck.unlink()  # (no deck there to keep the times of: the folder's is the newest)
    assert not run()
    assert _stored(deck, "SELECT mod FROM notes") == [(1_700_000_100,)]


def test_source_date_epoch_sets_every_time(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    out = tmp_path / "t.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1_600_000_000})
    assert {mod for (mod,) in _stored(out, "SELECT mod FROM notes")} == {1234567890}
    models = json.loads(_stored(out, "SELECT models FROM col")[0][0])
    assert [m["mod"] for m in models.values()] == [1234567890]


#: Digits to Python's str.isdigit that int() refuses, or that are no ASCII digits.
_NOT_ASCII_DIGITS = ["\N{SUPERSCRIPT TWO}",
                     "\N{ARABIC-INDIC DIGIT ONE}" + "\N{ARABIC-INDIC DIGIT ZERO}" * 9]


@pytest.mark.parametrize("epoch", ["yesterday", "-1", "10000000000000000", *_NOT_ASCII_DIGITS])
def test_malformed_source_date_epoch_is_an_error(epoch: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(MuscleError) as caught:
        _write([_muscle("a", "A")], tmp_path / "t.apkg")
    assert caught.value.diagnostics[0].code == "bad-source-date-epoch"


def test_a_file_time_far_in_the_future_is_the_latest_note_time(tmp_path: Path) -> None:
    out = tmp_path / "t.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1e16, "b": -5})
    notes = dict(_stored(out, "SELECT guid, mod FROM notes"))
    assert notes == {note_guid("a"): anki_format.LATEST_TIME, note_guid("b"): 0}
    assert _read(out)[0] == [_muscle("a", "A"), _muscle("b", "B")]


def test_unknown_source_time_in_standard_output_names_it_so(
        capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """The format's own writer, asked (from Python) to write ``-``, warned
    ``-: warning: 1 note without a source file time ...``, where every other diagnostic
    about the output says standard output."""
    _, reported = _write([_muscle("a", "A")], Path("-"))
    assert [str(d) for d in reported] == [
        "standard output: warning: 1 note without a source file time: time 0, so "
        "re-importing will not update it in Anki; set SOURCE_DATE_EPOCH [no-source-time]"]
    assert capfdbinary.readouterr().out.startswith(b"PK")


def test_unknown_source_time_is_reported(tmp_path: Path) -> None:
    _, reported = _write([_muscle("a", "A"), _muscle("b", "B")], tmp_path / "t.apkg",
                         {"a": 1_600_000_000})
    assert [(d.code, d.severity) for d in reported] == [("no-source-time", "warning")]
    assert "1 note without" in reported[0].message
    assert "will not update it in Anki" in reported[0].message
    _, reported = _write([_muscle("a", "A"), _muscle("b", "B")], tmp_path / "u.apkg")
    assert "2 notes without a source file time: time 0, so re-importing will not update " \
           "them in Anki" in reported[0].message


def test_same_input_gives_identical_bytes(tmp_path: Path, sample_muscles: list[Muscle],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    times = _sample_times(sample_muscles)
    one, two, three = tmp_path / "1.apkg", tmp_path / "2.apkg", tmp_path / "3.apkg"
    _write(sample_muscles, one, times, deck=DANISH_DECK)
    _write(list(reversed(sample_muscles)), two, times, deck=DANISH_DECK)
    assert one.read_bytes() == two.read_bytes()
    touched = {**times, "soleus": max(times.values()) + 60}  # (edited: the newest file)
    _write(sample_muscles, three, touched, deck=DANISH_DECK)
    assert three.read_bytes() != one.read_bytes()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _write(sample_muscles, one, times, deck=DANISH_DECK)
    _write(sample_muscles, two, touched, deck=DANISH_DECK)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        entries = archive.infolist()
        media = json.loads(archive.read("media"))
    assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert list(media.values()) == sorted(media.values())
    assert [e.filename for e in entries] == ["collection.anki2", "media", *media]


def test_failed_write_leaves_previous_deck(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "deck.apkg"
    _write([_muscle("a", "A")], out, {"a": 100})
    previous = out.read_bytes()
    written = []

    def failing(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        written.append(name)
        if len(written) == 2:
            raise OSError("disk full")
        archive.writestr(name, data)

    monkeypatch.setattr(anki_format.writing, "_zip_entry", failing)
    with pytest.raises(OSError, match="disk full"):
        _write([_muscle("a", "A changed"), _muscle("b", "B")], out, {"a": 200, "b": 200})
    assert out.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg"]


def _muscles_alive(prefix: str) -> int:
    """How many muscles whose slug starts with ``prefix`` are still in memory."""
    gc.collect()
    return sum(isinstance(o, Muscle) and o.slug.startswith(prefix) for o in gc.get_objects())


def test_a_deck_keeps_no_muscle_while_the_others_are_read(tmp_path: Path) -> None:
    """The writer sorted the muscles whole: 20,000 of them held 195 MB of its 420 MB
    peak (their texts, functions and points) until the deck was written. It keeps only
    each note's fields and what its focus image draws now, the deck unchanged."""
    def muscle(i: int) -> Muscle:
        return _muscle(f"kept-{i:02}", f"K{i}", latin=f"Musculus k{i}",
                       origin=LocalizedText({"en": "o" * 50}), exercises=("squat",),
                       functions=(Function(LocalizedText({"en": "f"})),),
                       regions=(_region((i, 0), (i + 5, 9), (i, 9)),) if i % 3 else ())

    alive = []

    def arriving() -> Iterator[Muscle]:
        for i in range(30):
            yield muscle(i)
        alive.append(_muscles_alive("kept-"))

    _write(arriving(), tmp_path / "streamed.apkg", dict.fromkeys(
        (f"kept-{i:02}" for i in range(30)), 1_700_000_000))
    assert alive == [1]  # (the last one, still named by the writer's loop)
    _write([muscle(i) for i in range(30)], tmp_path / "listed.apkg", dict.fromkeys(
        (f"kept-{i:02}" for i in range(30)), 1_700_000_000))
    assert (tmp_path / "streamed.apkg").read_bytes() == (tmp_path / "listed.apkg").read_bytes()


def test_a_deck_writes_its_notes_one_at_a_time(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every genanki note was made before the first was written (20,000 notes and
    their fields: 60 MB more at the peak); each is made and written in turn now, each
    with its own time, and Anki reads them as before."""
    import genanki

    live: list[int] = []
    write_note = genanki.Note.write_to_db

    def counting(note: genanki.Note, *args: object) -> None:
        gc.collect()
        live.append(sum(isinstance(o, genanki.Note) for o in gc.get_objects()))
        write_note(note, *args)

    monkeypatch.setattr(genanki.Note, "write_to_db", counting)
    out = tmp_path / "deck.apkg"
    times = {f"n{i:02}": 1_600_000_000 + i for i in range(20)}
    _write([_muscle(slug, slug.upper()) for slug in times], out, times)
    assert live == [1] * len(times)
    assert _stored(out, "SELECT n.guid, n.mod, c.mod FROM notes n JOIN cards c "
                   "ON c.nid = n.id ORDER BY n.id") == [
        (note_guid(slug), time, time) for slug, time in times.items()]


# --- field HTML -------------------------------------------------------------------------------

def test_language_choice_and_marked_fallback() -> None:
    muscle = _muscle(
        "m", "M", origin=LocalizedText({"da": "Skulderbladet", "en": "The scapula"}),
        insertion=LocalizedText({"en": "The humerus"}),
        functions=(Function(LocalizedText({"da": "Løfter armen"}),
                            LocalizedText({"en": "Up to the side"})),))
    fields = dict(zip(anki_format.FIELD_NAMES, anki_format.note_fields(muscle, "da", None),
                      strict=True))
    assert fields["Origin"] == "Skulderbladet"
    assert fields["Insertion"] == ('<span lang="en" dir="auto">The humerus</span>'
                                   '<span class="lang-fallback">(en)</span>')
    assert '<span class="short">Løfter armen</span>' in fields["Functions"]
    assert ('<span class="extended"><span lang="en" dir="auto">Up to the side</span>'
            '<span class="lang-fallback">(en)</span></span>') in fields["Functions"]
    assert fields["Lang"] == "da" and fields["Image"] == ""
    english = anki_format.note_fields(muscle, "en", None)
    assert english[2] == "The scapula" and "lang-fallback" not in english[3]
    # A variant of a language is that language (every text was marked "(da)" for da-DK);
    # a missing one is taken in the default language first (it was the first there is).
    regional = anki_format.note_fields(muscle, "da-DK", None)
    assert regional[2] == "Skulderbladet"
    german = anki_format.note_fields(muscle, "de", None, prefer="en")
    assert german[2] == ('<span lang="en" dir="auto">The scapula</span>'
                         '<span class="lang-fallback">(en)</span>')
    assert anki_format.note_fields(muscle, "de", None, prefer="da")[2].startswith(
        '<span lang="da" dir="auto">Skulderbladet</span>')
    assert LocalizedText({"da-DK": "x", "en": "y"}).pick("da") == ("da-DK", "x")
    assert LocalizedText({"da": "x", "de-AT": "y"}).pick("fr", "de") == ("de-AT", "y")


@pytest.mark.parametrize("lang, text", [("pt-br", "Brasil"), ("pt-bR", "Brasil"),
                                        ("pt-pt", "Portugal"), ("pt-BR", "Brasil"),
                                        ("PT-BR", "Brasil"), ("Pt-Pt", "Portugal"),
                                        ("PT", "Portugal antigo"), ("EN", "England")])
def test_lang_matches_a_language_code_in_any_case(tmp_path: Path, collection: object,
                                                  lang: str, text: str) -> None:
    """``--lang pt-br`` took the ``pt`` text of a muscle with ``pt-BR`` (and ``pt-pt``
    the ``pt-BR`` one): codes were matched in their case before their language. And
    ``--lang PT-BR``, its first part in capitals, was refused (bad-language)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.md").write_text("---\ntitle: M\norigin:\n  pt: Portugal antigo\n"
                              "  pt-BR: Brasil\n  pt-PT: Portugal\n  en: England\n---\n",
                              encoding="utf-8")
    deck = tmp_path / "m.apkg"
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "anki", "-o", str(deck),
                                      "--lang", lang])
    assert result.exit_code == 0, result.output
    _import(collection, deck)
    assert _notes(collection)["m"]["Origin"] == text  # type: ignore[index]
    other = LocalizedText({"pt-br": "Brasil", "pt": "Portugal antigo", "en": "England"})
    assert other.pick("pt-BR") == ("pt-br", "Brasil")
    assert other.pick("de", "PT-BR") == ("pt-br", "Brasil")


def test_multiline_text_becomes_line_breaks_and_reads_back(tmp_path: Path) -> None:
    muscle = _muscle("m", "Two\nlines", latin="a\tb", exercises=("x\ny", "&amp;"))
    assert anki_format.note_fields(muscle, "en", None)[0] == "Two<br>lines"
    out = tmp_path / "m.apkg"
    _write([muscle], out, {"m": 1})
    assert _read(out)[0] == [muscle]


def test_muscles_without_regions_get_no_image(tmp_path: Path) -> None:
    out = tmp_path / "n.apkg"
    summary, _ = _write([_muscle("a", "A"), _muscle("b", "B", regions=(
        _region((1, 1), (5, 1), (5, 5)),))], out, {"a": 1, "b": 1})
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("media")) == {"0": media_name("b")}
        assert archive.read("0").decode().startswith("<?xml")
    assert "(3 cards, 1 image)" in summary


def test_a_region_under_a_pixel_of_its_cards_focus_image_is_warned_of(
        tmp_path: Path) -> None:
    """A 16-pixel square on a diagram 40000 pixels tall is 0.4 of a pixel of its card's
    focus image (drawn 1000 pixels tall): the card asks which muscle is highlighted and
    shows a speck. The svg and html writers warned of such a region at its coords; the
    deck said nothing. It is the same warning now, worded for the card, the deck written."""
    corpus = dots_corpus(tmp_path)
    deck = tmp_path / "dots.apkg"
    result = CliRunner().invoke(cli, ["convert", str(corpus), "--to", "anki", "-o",
                                      str(deck), "--no-cache"])
    assert result.exit_code == 0, result.output
    for slug in ("alone", "on-big"):
        assert (f"{corpus / slug}.md:4:5: warning: coords[0]: the region is 16 x 16 pixels "
                "of the diagram, 0.4 x 0.4 of the focus image on its card (376 x 1000, the "
                "diagram's 15058 x 40040 pixels scaled down to fit 1000): the card shows it "
                "as a dot of its 2-pixel outline, hard to see") in result.output
    assert result.output.count("[region-under-a-pixel]") == 2
    with zipfile.ZipFile(deck) as archive:
        assert sorted(json.loads(archive.read("media")).values()) == sorted(
            map(media_name, DOTS))


def test_a_decks_focus_images_of_a_detailed_corpus_show_their_own_muscle_only(
        tmp_path: Path) -> None:
    """Each card's focus image copied every other muscle's points faintly up to 1,000
    muscles: 400 muscles of 500 points took 53 s and 992 MB. Past FAINT_POINTS points
    in all each draws its own muscle alone, and the deck says so."""
    from defusedxml.ElementTree import fromstring

    from converter.bodymap import FAINT_POINTS

    muscles = detailed_muscles(3, FAINT_POINTS // 3 + 1)
    deck = tmp_path / "detailed.apkg"
    _, reported = _write(muscles, deck, {m.slug: 1e9 for m in muscles})
    with zipfile.ZipFile(deck) as archive:
        names = json.loads(archive.read("media"))
        images = {name: fromstring(archive.read(number)) for number, name in names.items()}
    for mine in muscles:
        polygons = images[media_name(mine.slug)].iter("{http://www.w3.org/2000/svg}polygon")
        assert [p.get("points") for p in polygons] == [mine.regions[0].coords]
    assert [(d.path, d.code) for d in reported] == [(str(deck), "focus-without-context")]
    assert "points in all" in reported[0].message


def test_a_deck_holds_no_more_than_one_focus_image_at_a_time(tmp_path: Path) -> None:
    """The deck drew every focus image before zipping any, all of them held at once: 1,000
    muscles of 20 points each (their context under FAINT_POINTS) took 306 MB for 260 MB
    of images. Each is drawn as it is needed now, and the deck is the same."""
    import tracemalloc

    muscles = detailed_muscles(100, 150)
    deck = tmp_path / "held.apkg"
    _write(muscles[:1], tmp_path / "first.apkg")  # (what the writer imports is no image)
    tracemalloc.start()
    try:
        _write(muscles, deck, {m.slug: 1e9 for m in muscles})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(deck) as archive:
        drawn = sum(archive.getinfo(number).file_size
                    for number in json.loads(archive.read("media")))
    assert peak < drawn / 2  # (every image held: over all of them)


def test_a_deck_warns_of_the_regions_under_a_pixel_its_images_draw(tmp_path: Path) -> None:
    """Without --size a deck's focus images fit the muscles, as a map does: the regions
    warned of are those the svg writer's map of the same muscles warns of, named by
    muscle and region (from Python, at the deck: no source file is known)."""
    muscles = [_muscle("huge", "Huge", regions=(_region((0, 0), (5000, 0), (0, 5000)),)),
               _muscle("speck", "Speck", regions=(
                   _region((10, 10), (40, 10), (40, 40)), _region((900, 900), (903, 900),
                                                                  (903, 903))))]
    _, reported = _write(muscles, tmp_path / "d.apkg")
    dots = [d for d in reported if d.code == "region-under-a-pixel"]
    scale = screen_scale(fit_viewbox(muscles))
    assert [(d.path, d.field, d.severity) for d in dots] == [
        (str(tmp_path / "d.apkg"), f"muscles[{m.slug}].coords[{i}]", "warning")
        for m in muscles for i, r in enumerate(m.regions) if under_a_pixel(r, scale)]
    assert [d.field for d in dots] == ["muscles[speck].coords[1]"]


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_decks_warnings_of_its_images_into_standard_output_name_it_so(
        output: str, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """The format's own writer, asked (from Python) to write ``-`` or ``/dev/stdout``,
    warned ``-: warning: ...`` of focus images without context and of a region under a
    pixel of a muscle whose source is not known, where every other diagnostic about the
    output says standard output."""
    from converter.faint import FAINT_NEAR

    muscles = [*detailed_muscles(3, FAINT_NEAR // 3 + 1), _muscle("speck", "Speck", regions=(
        _region((10, 10), (11, 10), (11, 11)),))]
    _, reported = _write(muscles, Path(output), {m.slug: 1e9 for m in muscles[:3]})
    assert [(d.path, d.field, d.code) for d in reported] == [
        ("standard output", "muscles[speck].coords[0]", "region-under-a-pixel"),
        ("standard output", "", "no-source-time"),
        ("standard output", "", "focus-without-context")]
    assert all(d.stream for d in reported)  # (a stream: a GitHub annotation names no file)
    assert capfdbinary.readouterr().out.startswith(b"PK")


def test_a_deck_warns_of_a_region_under_a_pixel_along_a_slant(tmp_path: Path) -> None:
    """A long diagonal sliver 0.71 of a pixel across, its bounding box 301 x 300, is a
    red line on its card, hard to see: the deck said nothing of it (its box is large both
    ways). It is measured at its narrowest now, and warned of as the map warns of it."""
    muscles = [_muscle("huge", "Huge", regions=(_region((0, 0), (700, 0), (0, 700)),)),
               _muscle("sliver", "Sliver", regions=(
                   _region((100, 100), (101, 100), (401, 400), (400, 400)),))]
    _, reported = _write(muscles, tmp_path / "d.apkg")
    assert [(d.field, d.code, d.severity, d.message) for d in reported
            if d.code == "region-under-a-pixel"] == [
        ("muscles[sliver].coords[0]", "region-under-a-pixel", "warning",
         "the region is 301 x 300 pixels of the diagram but 0.7071067812 across at its "
         "narrowest, 0.71 of the focus image on its card (740 x 740): the card shows it "
         "as a line of its 2-pixel outline, hard to see; draw it larger, or the diagram "
         "smaller")]


# --- options ------------------------------------------------------------------------------

@pytest.mark.parametrize(("deck", "expected"), [(" Anatomi :: Muskler ", "Anatomi::Muskler"),
                                                ("Muscles", "Muscles")])
def test_deck_names_are_normalized(tmp_path: Path, deck: str, expected: str) -> None:
    summary, _ = _write([_muscle("a", "A")], tmp_path / "d.apkg", {"a": 1}, deck=deck)
    assert repr(expected) in summary


#: The id of Anki's own deck, Default, which every collection has.
_ANKI_OWN_DECK = 1
#: Fresh collections a deck named Default is imported into: Anki opened a package holding
#: two decks of that name (genanki's own, id 1, and ours) in random order, renaming the
#: second ``Default_``, so each import had a chance in two of landing there.
_FRESH_IMPORTS = 5


@pytest.mark.parametrize("deck", ["Default", "default", "DEFAULT", " Default "])
def test_a_deck_named_default_in_any_case_is_ankis_own_default_deck(
        tmp_path: Path, deck: str) -> None:
    """``--deck Default`` put the cards in a new deck ``Default_`` in most imports (the
    package held Anki's Default deck and a second one of that name, which Anki renamed,
    case-insensitively). The cards go to Anki's own Default deck (id 1) now, in every
    import, and the summary names it so."""
    from anki.collection import Collection

    out = tmp_path / "d.apkg"
    summary, _ = _write([_muscle("a", "A", latin="Musculus a")], out, {"a": 1}, deck=deck)
    assert summary.endswith(f"to deck 'Default' in {out}")
    (decks,) = _stored(out, "SELECT decks FROM col")[0]
    assert [(d["id"], d["name"]) for d in json.loads(decks).values()] == [(1, "Default")]
    for number in range(_FRESH_IMPORTS):
        folder = tmp_path / f"anki{number}"
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        try:
            _import(col, out)
            assert [(d.id, d.name) for d in col.decks.all_names_and_ids()] == [(1, "Default")]
            assert {col.get_card(cid).did for cid in col.find_cards("")} == {1}
            assert col.card_count() == 2
        finally:
            col.close()


def test_a_deck_named_default_goes_to_ankis_own_deck_however_it_is_named_there(
        tmp_path: Path, collection: object) -> None:
    """Anki's own deck renamed in the collection still takes the cards: Anki imports the
    package's deck 1 into its own deck 1, whatever its name, keeping its description."""
    own = collection.decks.get(_ANKI_OWN_DECK)  # type: ignore[attr-defined]
    own["desc"] = "my own words"
    collection.decks.save(own)  # type: ignore[attr-defined]
    collection.decks.rename(_ANKI_OWN_DECK, "Misc")  # type: ignore[attr-defined]
    out = tmp_path / "d.apkg"
    _write([_muscle("a", "A")], out, {"a": 1}, deck="default")
    _import(collection, out)
    assert [(d.id, d.name) for d in collection.decks.all_names_and_ids()  # type: ignore[attr-defined]
            ] == [(1, "Misc")]
    assert {collection.get_card(cid).did  # type: ignore[attr-defined]
            for cid in collection.find_cards("")} == {1}  # type: ignore[attr-defined]
    assert collection.decks.get(_ANKI_OWN_DECK)["desc"] == "my own words"  # type: ignore[attr-defined]


@pytest.mark.parametrize("deck", ["DEFAULT::Muskler", "default :: Muskler", "Default::Muskler"])
def test_a_subdeck_of_default_in_any_case_is_named_as_anki_shows_it(
        tmp_path: Path, collection: object, deck: str) -> None:
    """``--deck DEFAULT::Muskler``: Anki puts the cards below its own Default deck (it
    matches the parent's name in any case), in ``Default::Muskler``, but the summary
    said 'DEFAULT::Muskler'. The parent is written ``Default`` now, as Anki shows it."""
    out = tmp_path / "d.apkg"
    summary, _ = _write([_muscle("a", "A")], out, {"a": 1}, deck=deck)
    assert summary.endswith(f"to deck 'Default::Muskler' in {out}")
    _import(collection, out)
    shown = {collection.decks.name(collection.get_card(cid).did)  # type: ignore[attr-defined]
             for cid in collection.find_cards("")}  # type: ignore[attr-defined]
    assert shown == {"Default::Muskler"}
    assert collection.decks.name(_ANKI_OWN_DECK) == "Default"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("option", "value", "code"), [
    ("deck", "Anatomi::", "bad-deck"), ("deck", "  ", "bad-deck"), ("deck", "A\nB", "bad-deck"),
    ("deck", "A\tB", "bad-deck"),
    ("lang", "Dansk!", "bad-language")])
def test_bad_options_are_errors(tmp_path: Path, option: str, value: str, code: str) -> None:
    with pytest.raises(MuscleError) as caught:
        _write([_muscle("a", "A")], tmp_path / "d.apkg", {"a": 1}, **{option: value})
    assert caught.value.diagnostics[0].code == code
    assert not (tmp_path / "d.apkg").exists()


def test_duplicate_slugs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MuscleError) as caught:
        _write([_muscle("a", "A"), _muscle("a", "Other")], tmp_path / "d.apkg")
    assert caught.value.diagnostics[0].code == "duplicate-slug"


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_duplicate_slugs_into_standard_output_name_it_so(output: str) -> None:
    """The format's own writer, asked (from Python) to write ``-`` or ``/dev/stdout``
    muscles of one slug, said ``-: error: two muscles share the slug 'a'``, where every
    other diagnostic about the output says standard output."""
    with pytest.raises(MuscleError) as caught:
        _write([_muscle("a", "A"), _muscle("a", "Other")], Path(output))
    assert [str(d) for d in caught.value.diagnostics] == [
        "standard output: error: two muscles share the slug 'a'; their notes would have "
        "the same identity in Anki [duplicate-slug]"]


# --- the reader -------------------------------------------------------------------------------

@given(corpora())
def test_round_trip_keeps_carried_fields(muscles: list[Muscle]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "deck.apkg"
        _write(muscles, out, {m.slug: 1_700_000_000 for m in muscles}, lang="da")
        back, problems = _read(out)
    assert problems == []
    assert back == [FMT.projected(m) for m in muscles]


def test_format_declares_what_it_carries() -> None:
    fmt = get_format("anki")
    assert isinstance(fmt, AnkiFormat) and not fmt.lossless
    assert fmt.carries == {"slug", "title", "latin", "exercises"}
    assert fmt.can_read and fmt.can_write and fmt.extensions == (".apkg",)
    assert {o.name for o in fmt.options} == {"deck", "lang"}


def test_reader_reads_ankis_own_export(tmp_path: Path, collection: object,
                                       sample_muscles: list[Muscle]) -> None:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    _write(sample_muscles, tmp_path / "ours.apkg", _sample_times(sample_muscles),
           deck=DANISH_DECK)
    _import(collection, tmp_path / "ours.apkg")
    deck_id = collection.decks.id_for_name(DANISH_DECK)
    exported = tmp_path / "exported.apkg"
    collection.export_anki_package(
        out_path=str(exported), limit=DeckIdLimit(deck_id),
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                         with_media=True, legacy=True))
    back, problems = _read(exported)
    assert problems == []
    assert back == [FMT.projected(m) for m in sorted(sample_muscles, key=lambda m: m.slug)]


#: Texts NFC changes: a combining accent, the ohm sign (Omega), a CJK compatibility
#: ideograph (its unified one).
_NOT_NFC = ("Cafe\u0301 soleus", "\u2126 musculus", "\uf900 exercise")


@pytest.mark.parametrize(("normalize", "expected"), [
    (True, ("Caf\xe9 soleus", "\u03a9 musculus", "\u8c48 exercise")), (False, _NOT_NFC)])
def test_a_deck_anki_exported_gives_back_its_texts_as_anki_normalised_them(
        tmp_path: Path, collection: object, normalize: bool,
        expected: tuple[str, str, str]) -> None:
    """Anki normalises a note's fields to NFC as it imports them (unless its
    normalize_note_text setting is off), so a deck it exported gives back NFC text,
    not the text written; the deck as written gives it back exactly."""
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions
    from anki.config import Config

    collection.set_config_bool(Config.Bool.NORMALIZE_NOTE_TEXT,  # type: ignore[attr-defined]
                               normalize)
    title, latin, exercise = _NOT_NFC
    muscle = _muscle("soleus", title, latin=latin, exercises=(exercise,))
    ours = tmp_path / "ours.apkg"
    _write([muscle], ours, {"soleus": 1})
    assert _read(ours) == ([muscle], [])
    _import(collection, ours)
    exported = tmp_path / "exported.apkg"
    collection.export_anki_package(  # type: ignore[attr-defined]
        out_path=str(exported), limit=DeckIdLimit(
            collection.decks.id_for_name("Muscles")),  # type: ignore[attr-defined]
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                         with_media=True, legacy=True))
    title, latin, exercise = expected
    assert _read(exported) == ([_muscle("soleus", title, latin=latin,
                                        exercises=(exercise,))], [])


def test_reader_reports_bad_notes_and_keeps_good_ones(tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B"), _muscle("c", "C")], out,
           {"a": 1, "b": 1, "c": 1})
    edited = tmp_path / "edited.apkg"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "collection.anki2":
                db = tmp_path / "c.sqlite"
                db.write_bytes(data)
                conn = sqlite3.connect(db)
                for slug, field, value in (("b", "Slug", "a"), ("c", "Name", "  ")):
                    (flds,) = conn.execute("SELECT flds FROM notes WHERE guid = ?",
                                           (note_guid(slug),)).fetchone()
                    values = flds.split("\x1f")
                    values[anki_format.FIELD_NAMES.index(field)] = value
                    conn.execute("UPDATE notes SET flds = ? WHERE guid = ?",
                                 ("\x1f".join(values), note_guid(slug)))
                conn.commit()
                conn.close()
                data = db.read_bytes()
            target.writestr(info, data)
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["a"]
    # (named by the Slug field, as Anki's browser finds a note, and as the note names
    # its fields)
    assert sorted((d.field, d.code) for d in problems) == [  # (a slug twice: by place)
        ("notes[1].Slug", "duplicate-slug"), ("notes[c].Name", "empty-field")]


def _edit_collection(source: Path, target: Path, sql: str, *params: object) -> None:
    """Copy the .apkg ``source`` to ``target`` with ``sql`` run on its collections (and
    on the stub Anki exports beside its own, for older versions)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in _COLLECTIONS:
                db = target.with_suffix(".sqlite")
                db.write_bytes(data)
                with contextlib.closing(sqlite3.connect(db)) as conn:
                    conn.execute(sql, params)
                    conn.commit()
                data = db.read_bytes()
                db.unlink()
            new.writestr(info, data)


def test_a_collection_in_wal_mode_is_read(tmp_path: Path) -> None:
    """A collection whose header says WAL (as Anki's own are) is read from its bytes in
    memory, where SQLite opens no WAL, as from a file."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="Musculus a")], out, {"a": 1})
    _edit_collection(out, edited, "PRAGMA journal_mode = WAL")
    with zipfile.ZipFile(edited) as deck:
        assert deck.read("collection.anki2")[18:20] == b"\x02\x02"
    assert _read(edited) == ([_muscle("a", "A", latin="Musculus a")], [])


def _with_fields_renamed(out: Path, edited: Path, renamed: dict[str, str]) -> None:
    """Copy the deck ``out`` to ``edited`` with its note type's fields renamed."""
    with zipfile.ZipFile(out) as deck, contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize(deck.read("collection.anki2"))
        (models,) = conn.execute("SELECT models FROM col").fetchone()
    models = json.loads(models)
    for model in models.values():
        for field in model["flds"]:
            field["name"] = renamed.get(field["name"], field["name"])
    _edit_collection(out, edited, "UPDATE col SET models = ?", json.dumps(models))


def test_fields_renamed_in_anki_are_named_and_read_by_their_place(tmp_path: Path) -> None:
    """Latin and Exercises renamed (into Danish, say) came back empty, without a word;
    then named, and still not read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    muscle = _muscle("a", "A", latin="Musculus a", exercises=("Squat",))
    _write([muscle], out, {"a": 1})
    _with_fields_renamed(out, edited, {"Latin": "Latinsk navn", "Exercises": "Øvelser"})
    back, problems = _read(edited)
    assert back == [muscle]
    assert [(d.field, d.code, d.severity, d.message) for d in problems] == [
        ("", "missing-field", "warning", f"note type 'muscle-convert muscle' has no field "
         f"{field}: its field {name!r}, in {field}'s place, is read as {field} (renamed in "
         "Anki?)") for field, name in (("Latin", "Latinsk navn"), ("Exercises", "Øvelser"))]


def _fields_changed(renamed: dict[str, str], moved: dict[str, int] | None = None
                    ) -> Callable[[object], None]:
    """An edit of the muscle note type in Anki: fields ``renamed``, then ``moved``."""
    def edit(col: object) -> None:
        models = col.models  # type: ignore[attr-defined]
        notetype = models.by_name(anki_format.NOTETYPE_NAME)
        for field in list(notetype["flds"]):
            if field["name"] in renamed:
                models.rename_field(notetype, field, renamed[field["name"]])
        for name, place in (moved or {}).items():
            field = next(f for f in notetype["flds"] if f["name"] == name)
            models.reposition_field(notetype, field, place)
        models.update_dict(notetype)
    return edit


@pytest.mark.parametrize("renamed", [
    {"Name": "Navn"}, {"Slug": "Kode"},
    {"Name": "Navn", "Latin": "Latinsk navn", "Exercises": "Øvelser", "Slug": "Kode",
     "Origin": "Udspring"}])
def test_a_deck_whose_name_or_slug_field_was_renamed_in_anki_is_read(
        renamed: dict[str, str], tmp_path: Path, collection: object) -> None:
    """Renaming Name (into Danish, say) made the deck "not a muscle deck"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    muscles = [_muscle("a", "A", latin="Musculus a", exercises=("Squat",)), _muscle("b", "B")]
    _write(muscles, out, {"a": 1, "b": 1})
    _edited_in_anki(collection, out, edited, _fields_changed(renamed))
    back, problems = _read(edited)
    assert back == muscles
    read = [f for f in anki_format.FIELD_NAMES if f in renamed and f != "Origin"]
    assert [(d.code, d.severity, d.message) for d in problems] == [
        ("missing-field", "warning", f"note type 'muscle-convert muscle' has no field "
         f"{field}: its field {renamed[field]!r}, in {field}'s place, is read as {field} "
         "(renamed in Anki?)") for field in read]


def test_a_field_renamed_and_moved_in_anki_is_not_guessed(tmp_path: Path,
                                                          collection: object) -> None:
    """Once a field is moved, the places tell nothing: a renamed field is not read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="Musculus a", exercises=("Squat",))], out, {"a": 1})
    _edited_in_anki(collection, out, edited,
                    _fields_changed({"Exercises": "Øvelser"}, {"Øvelser": 1}))
    back, problems = _read(edited)
    assert back == [_muscle("a", "A", latin="Musculus a")]
    assert [(d.code, d.message) for d in problems] == [
        ("missing-field", "note type 'muscle-convert muscle' has no field Exercises "
         "(renamed in Anki?): its notes are read without it")]
    _edited_in_anki(collection, out, edited, _fields_changed({"Name": "Navn"}))
    with pytest.raises(MuscleError) as caught:  # (Name renamed too: not found)
        _read(edited)
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [(
        "not-a-muscle-deck", "its note type 'muscle-convert muscle' (muscle-convert's) has "
        "no field Name, which was renamed and moved in Anki, or deleted: its notes cannot "
        "be read; give the note type its field back (Anki: Tools > Manage Note Types > "
        "Fields)")]  # (it said the deck was not written by muscle-convert)


@pytest.mark.parametrize(("field", "typed", "read"), [
    # Anki's editor makes a <div> of each new line (and may leave a <br> before it).
    ("Name", "<div>Alpha</div><div>major</div>", "Alpha\nmajor"),
    ("Latin", "Musculus<div>alpha</div>", "Musculus\nalpha"),
    ("Latin", "Musculus<p class='x'>alpha</p>", "Musculus\nalpha"),
    ("Latin", "Musculus<div><br></div><div>alpha</div>", "Musculus\n\nalpha"),  # (a line)
    ("Exercises", "Squat<div>Lunge</div><div>Step-up</div>", ["Squat", "Lunge", "Step-up"]),
    ("Exercises", '<ul class="exercises"><li>Squat</li>\n<li>a<br>b</li></ul>Lunge',
     ["Squat", "a\nb", "Lunge"]),
    ("Exercises", "Plank<ul><li>Squat</li></ul><div>Lunge</div>", ["Plank", "Squat", "Lunge"]),
])
def test_lines_typed_in_ankis_editor_stay_lines(field: str, typed: str, read: object,
                                               tmp_path: Path) -> None:
    """They ran together ("AlphaMajor", one exercise "SquatLungeStep-up")."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="L", exercises=("E",))], out, {"a": 1})
    with zipfile.ZipFile(out) as deck, contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize(deck.read("collection.anki2"))
        (flds,) = conn.execute("SELECT flds FROM notes").fetchone()
    values = flds.split("\x1f")
    values[anki_format.FIELD_NAMES.index(field)] = typed
    _edit_collection(out, edited, "UPDATE notes SET flds = ?", "\x1f".join(values))
    back, problems = _read(edited)
    assert problems == []
    got = {"Name": back[0].title, "Latin": back[0].latin, "Exercises": list(back[0].exercises)}
    assert got[field] == read


def _edited_in_anki(collection: object, deck: Path, exported: Path,
                    edit: Callable[[object], None]) -> None:
    """Import ``deck`` into Anki, ``edit`` the collection there as a user would, and
    export it to ``exported`` as Anki does with "Support older Anki versions" ticked."""
    from anki.collection import ExportAnkiPackageOptions

    _import(collection, deck)
    edit(collection)
    collection.export_anki_package(  # type: ignore[attr-defined]
        out_path=str(exported), limit=None,
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                         with_media=False, legacy=True))


def _typed(**fields: str) -> Callable[[object], None]:
    """An edit that types each field's HTML into that field of every note."""
    def edit(col: object) -> None:
        for nid in col.find_notes(""):  # type: ignore[attr-defined]
            note = col.get_note(nid)  # type: ignore[attr-defined]
            for name, html in fields.items():
                note[name] = html
            col.update_note(note)  # type: ignore[attr-defined]
    return edit


def _exercises_typed(html: str) -> Callable[[object], None]:
    """An edit that types ``html`` into every note's Exercises field."""
    return _typed(Exercises=html)


@pytest.mark.parametrize("item", ["<li><br></li>", "<li></li>", "<li>&nbsp;</li>",
                                  "<li> <br> </li>"])
def test_an_empty_list_item_typed_in_anki_is_no_exercise(item: str, tmp_path: Path,
                                                         collection: object) -> None:
    """Enter after the last exercise leaves an empty item: it read as an exercise "\\n"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", exercises=("Squat",))], out, {"a": 1})
    typed = f'<ul class="exercises"><li>Squat</li>{item}<li>Lunge</li>{item}</ul>'
    _edited_in_anki(collection, out, edited, _exercises_typed(typed))
    back, problems = _read(edited)
    assert problems == []
    assert back[0].exercises == ("Squat", "Lunge")


@pytest.mark.parametrize("typed", [
    "<ul><li>Squat<ul><li>Front squat</li><li>Back squat</li></ul></li><li>Lunge</li></ul>",
    # (a browser's indent: the nested list beside its item)
    "<ul><li>Squat</li><ul><li>Front squat</li><li>Back squat</li></ul><li>Lunge</li></ul>",
    "<ol><li>Squat<ol><li>Front squat<ul><li>Back squat</li></ul></li></ol></li></ol>Lunge",
    "<ul><li>Squat<ul><li>Front squat</li></ul>Back squat</li><li>Lunge<ul></ul></li></ul>",
])
def test_nested_lists_typed_in_anki_are_an_exercise_an_item(typed: str, tmp_path: Path,
                                                           collection: object) -> None:
    """An item and the items of its own list ran together: "SquatFront squat"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", exercises=("Squat",))], out, {"a": 1})
    _edited_in_anki(collection, out, edited, _exercises_typed(typed))
    back, problems = _read(edited)
    assert problems == []
    assert back[0].exercises == ("Squat", "Front squat", "Back squat", "Lunge")


@pytest.mark.parametrize(("field", "typed", "read"), [
    # A field Anki's editor leaves holding only a line break or a space is empty.
    ("Latin", "<br>", None), ("Latin", " <br> ", None), ("Latin", "&nbsp;", None),
    ("Latin", "<div><br></div>", None), ("Latin", "<br><br>\n", None),
    # What it leaves at the end of a line is no text.
    ("Name", "Soleus<br>", "Soleus"), ("Name", "Soleus&nbsp;", "Soleus"),
    ("Name", "Soleus&nbsp; <br>", "Soleus"), ("Name", "<div>Soleus</div><div><br></div>",
                                              "Soleus"),
    ("Exercises", '<ul class="exercises"><li>A<br></li>\n<li>B&nbsp;</li></ul>', ("A", "B")),
    ("Exercises", "<div>Lunge&nbsp;</div><div>Squat<br></div>", ("Lunge", "Squat")),
    # Within the text, a line break and a no-break space are the text's.
    ("Name", "Soleus<br>major", "Soleus\nmajor"), ("Latin", "a&nbsp;b", "a\u00a0b"),
    ("Exercises", '<ul><li>A<br>B&nbsp;C</li><li> D</li></ul>', ("A\nB\u00a0C", " D")),
])
def test_what_ankis_editor_leaves_at_a_fields_end_is_not_read(
        field: str, typed: str, read: object, tmp_path: Path, collection: object) -> None:
    """A Latin field holding only <br> read as a Latin name "\\n" (Anki makes no card
    of it: empty), a Name "Soleus<br>" as "Soleus\\n", an exercise "B&nbsp;" as
    "B\\u00a0"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="L", exercises=("E",))], out, {"a": 1})
    _edited_in_anki(collection, out, edited, _typed(**{field: typed}))
    back, problems = _read(edited)
    assert problems == []
    got = {"Name": back[0].title, "Latin": back[0].latin, "Exercises": back[0].exercises}
    assert got[field] == read


def test_texts_ending_in_spaces_or_line_breaks_come_back_through_anki(
        tmp_path: Path, collection: object) -> None:
    """The writer keeps a text's own end: what Anki's editor leaves there is not read."""
    muscle = _muscle("a", "Soleus ", latin="a\n", exercises=(
        "A\n", "B\u00a0", "C \n\t", "D\u3000", " E", "&nbsp;", "F&nbsp;"))
    out, exported = tmp_path / "d.apkg", tmp_path / "exported.apkg"
    _write([muscle], out, {"a": 1})
    assert _read(out) == ([muscle], [])
    _edited_in_anki(collection, out, exported, _typed())
    assert _read(exported) == ([muscle], [])


@pytest.mark.parametrize(("stored", "text"), [
    ("../../x", "../../x"), ("../b", "../b"), ("Gluteus Medius", "Gluteus Medius"),
    ("æble", "æble"), ("a ", "a "), ("a<br>", "a\n"), ("x&amp;y", "x&y"), ("", ""),
    ("a--b", "a--b")])
def test_a_slug_field_that_is_not_a_slug_is_reported_not_normalised(
        stored: str, text: str, tmp_path: Path) -> None:
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    with zipfile.ZipFile(out) as deck:
        collection = deck.read("collection.anki2")
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize(collection)
        (flds,) = conn.execute("SELECT flds FROM notes WHERE guid = ?",
                               (note_guid("a"),)).fetchone()
    values = flds.split("\x1f")
    values[anki_format.FIELD_NAMES.index("Slug")] = stored
    _edit_collection(out, edited, "UPDATE notes SET flds = ? WHERE guid = ?",
                     "\x1f".join(values), note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.path, d.field, d.code, d.message) for d in problems] == [
        (str(edited), "notes[0].Slug", "bad-slug",
         f"{text!r} is not a slug (lowercase letters, digits and single hyphens)")]


@pytest.mark.parametrize("change", [1, -1], ids=["a field more", "a field less"])
def test_a_note_whose_fields_are_not_its_types_is_named_so(change: int, tmp_path: Path
                                                           ) -> None:
    """Its fields were read as others: "notes[0].Slug: '' is not a slug"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    with zipfile.ZipFile(out) as deck, contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize(deck.read("collection.anki2"))
        (flds,) = conn.execute("SELECT flds FROM notes WHERE guid = ?",
                               (note_guid("a"),)).fetchone()
    values = flds.split("\x1f")
    values = ["x", *values] if change > 0 else values[1:]
    _edit_collection(out, edited, "UPDATE notes SET flds = ? WHERE guid = ?",
                     "\x1f".join(values), note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    count = len(anki_format.FIELD_NAMES)
    assert [(d.field, d.code, d.message) for d in problems] == [
        ("notes[0]", "bad-note", f"has {count + change} fields, its note type {count}; "
         "the note is left out")]


@pytest.mark.parametrize("models", ["[" * 5000 + "]" * 5000, '{"1": ' + "9" * 5000 + "}",
                                    "[1]", '{"1": 5}', '{"1": {"flds": [3]}}'],
                         ids=["deep nesting", "huge integer", "a list", "a number",
                              "fields not maps"])
def test_unreadable_note_types_are_one_diagnostic(models: str, tmp_path: Path) -> None:
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A")], out, {"a": 1})
    _edit_collection(out, edited, "UPDATE col SET models = ?", models)
    with pytest.raises(MuscleError) as caught:
        _read(edited)
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == (str(edited), "bad-apkg")
    assert "col.models" in d.message


def test_unreadable_deck_leaves_the_other_inputs_converted(tmp_path: Path) -> None:
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A")], out, {"a": 1})
    _edit_collection(out, edited, "UPDATE col SET models = ?", "[" * 5000 + "]" * 5000)
    other = tmp_path / "b.md"
    other.write_text("---\ntitle: B\n---\n", encoding="utf-8")
    back = tmp_path / "back.json"
    result = CliRunner().invoke(cli, ["convert", str(edited), str(other), "--to", "json",
                                      "-o", str(back), "--no-cache", "-j", "1"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "[bad-apkg]" in result.output
    assert [m["slug"] for m in json.loads(back.read_text(encoding="utf-8"))["muscles"]] == ["b"]


def test_a_deck_whose_compressed_collection_is_damaged_is_one_diagnostic(
        tmp_path: Path) -> None:
    """Bytes flipped inside a deflated collection ended validate, convert and a write
    over the deck in a traceback (zlib.error: invalid distance too far back)."""
    out, damaged = tmp_path / "d.apkg", tmp_path / "damaged.apkg"
    _write([_muscle(f"m{i}", f"Muscle {i}") for i in range(40)], out, {})
    with zipfile.ZipFile(out) as archive:
        collection = archive.read("collection.anki2")
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", "{}")
    raw = bytearray(damaged.read_bytes())
    start = raw.find(b"collection.anki2") + len("collection.anki2") + 200
    raw[start:start + 50] = bytes(b ^ 0x55 for b in raw[start:start + 50])
    damaged.write_bytes(bytes(raw))
    result = CliRunner().invoke(cli, ["validate", str(damaged), "--no-cache"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "[bad-apkg]" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "anki", "-o",
                                      str(damaged), "--no-cache", "-q"])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert len(_read(damaged)[0]) == len(list(SAMPLES.glob("*.md")))


def test_a_deck_whose_collection_schema_is_damaged_says_what_sqlite_says(
        tmp_path: Path) -> None:
    """SQLite's message of a damaged schema quotes its text, which sqlite3 cannot decode
    when it is not UTF-8: the deck's bad-apkg said Python's "'utf-8' codec can't
    decode byte 0xf2" in place of it. It says SQLite's, the byte shown as U+FFFD."""
    out, damaged = tmp_path / "d.apkg", tmp_path / "damaged.apkg"
    _write([_muscle("a", "A")], out, {})
    with zipfile.ZipFile(out) as old, zipfile.ZipFile(damaged, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in _COLLECTIONS:
                db = tmp_path / "collection.sqlite"
                db.write_bytes(data)
                with contextlib.closing(sqlite3.connect(db)) as conn:
                    conn.execute("PRAGMA writable_schema = ON")
                    conn.execute("UPDATE sqlite_master SET sql = CAST(replace(sql, 'CREATE', "
                                 "CAST(X'4352F2415445' AS TEXT)) AS TEXT) WHERE name = 'notes'")
                    conn.commit()
                data = db.read_bytes()
            new.writestr(info, data)
    with pytest.raises(MuscleError) as caught:
        _read(damaged)
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == (str(damaged), "bad-apkg")
    assert d.message.startswith("holds an unreadable Anki collection: malformed database "
                                "schema (notes) - near \"CR\ufffdATE\"")


@pytest.mark.parametrize("offset, value, said", [
    (10, 99, "is packed with compression method 99, which is not read here"),
    (8, 1, "is encrypted"),
])
def test_a_deck_whose_collection_cannot_be_unpacked_here_says_why(
        tmp_path: Path, offset: int, value: int, said: str) -> None:
    """A collection packed with a method Python lacks, or encrypted, is one bad-apkg
    that says so, told from the zip's directory before its bytes are read."""
    out = tmp_path / "d.apkg"
    _write([_muscle("a", "A")], out, {})
    raw = bytearray(out.read_bytes())
    entry = raw.find(b"PK\x01\x02")  # (the central directory's first entry)
    while raw[entry + 46:entry + 46 + len("collection.anki2")] != b"collection.anki2":
        entry = raw.find(b"PK\x01\x02", entry + 4)
        assert entry != -1, "no entry of the zip's directory names collection.anki2"
    raw[entry + offset:entry + offset + 2] = value.to_bytes(2, "little")
    out.write_bytes(bytes(raw))
    with pytest.raises(MuscleError) as caught:
        _read(out)
    (d,) = caught.value.diagnostics
    assert (d.code, d.message) == ("bad-apkg", f"is not a readable .apkg: its "
                                               f"collection.anki2 {said}" + (
        " (only stored, deflate, bzip2, LZMA)" if value == 99 else ""))


def test_reader_rejects_what_is_not_a_muscle_deck(tmp_path: Path) -> None:
    import genanki

    not_zip = tmp_path / "plain.apkg"
    not_zip.write_text("hello")
    empty = tmp_path / "empty.apkg"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("media", "{}")
    newer = tmp_path / "newer.apkg"
    with zipfile.ZipFile(newer, "w") as archive:
        archive.writestr("collection.anki21b", b"zstd")
    other = tmp_path / "other.apkg"
    deck = genanki.Deck(123456789, "Words")
    deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["hund", "dog"], guid="g"))
    genanki.Package(deck).write_to_file(str(other), timestamp=1)
    expected = {not_zip: "bad-apkg", empty: "unsupported-apkg", newer: "unsupported-apkg",
                other: "not-a-muscle-deck"}
    for path, code in expected.items():
        with pytest.raises(MuscleError) as caught:
            _read(path)
        assert caught.value.diagnostics[0].code == code, path
    with pytest.raises(MuscleError) as caught:
        _read(newer)
    assert "Support older Anki versions" in caught.value.diagnostics[0].message


def test_a_deck_anki_exported_in_its_newer_format_is_named_so(
        tmp_path: Path, sample_muscles: list[Muscle], collection: object) -> None:
    """Anki puts a stub collection.anki2 ("please update") beside collection.anki21b:
    reading the stub said the deck was not ours. The legacy export reads back."""
    from anki.collection import ExportAnkiPackageOptions

    deck = tmp_path / "ours.apkg"
    _write(sample_muscles, deck)
    _import(collection, deck)
    for legacy in (False, True):
        collection.export_anki_package(  # type: ignore[attr-defined]
            out_path=str(tmp_path / f"legacy-{legacy}.apkg"), limit=None,
            options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                             with_media=False, legacy=legacy))
    with pytest.raises(MuscleError) as caught:
        _read(tmp_path / "legacy-False.apkg")
    assert [d.code for d in caught.value.diagnostics] == ["unsupported-apkg"]
    assert "Support older Anki versions" in caught.value.diagnostics[0].message
    muscles, _ = _read(tmp_path / "legacy-True.apkg")
    assert [m.slug for m in muscles] == sorted(m.slug for m in sample_muscles)


# --- command line and Python API -------------------------------------------------------------

def test_cli_writes_and_reads_back(tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    deck = tmp_path / "muscles.apkg"
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(SAMPLES), "--to", "anki", "-o", str(deck),
                                 "--deck", DANISH_DECK, "--lang", "da"])
    assert result.exit_code == 0, result.output
    note_times = dict(_stored(deck, "SELECT guid, mod FROM notes"))
    own = {note_guid(slug): int(t) for slug, t in _sample_times(sample_muscles).items()}
    drawn = anki_format.drawing_time(Source(str(SAMPLES / f"{m.slug}.md"), own[note_guid(
        m.slug)]) for m in sample_muscles)
    assert note_times == {guid: max(t, drawn) if m.regions else t for m in sample_muscles
                          for guid, t in ((note_guid(m.slug), own[note_guid(m.slug)]),)}
    fields = _stored(deck, "SELECT flds FROM notes")
    assert all(flds.split("\x1f")[-1] == "da" for (flds,) in fields)

    back = tmp_path / "back.json"
    result = runner.invoke(cli, ["convert", str(deck), "--from", "anki", "--to", "json",
                                 "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert converter.read(back) == sorted((FMT.projected(m) for m in sample_muscles),
                                          key=lambda m: m.slug)


def test_cli_edited_file_updates_its_note_on_reimport(tmp_path: Path,
                                                      collection: object) -> None:
    """The whole loop a user runs: edit a source file, regenerate, import again."""
    import shutil

    src = tmp_path / "src"
    src.mkdir()
    for name in ("soleus.md", "trapezius.md"):
        shutil.copy(SAMPLES / name, src / name)
        os.utime(src / name, (1_700_000_000, 1_700_000_000))
    os.utime(src, (1_700_000_000, 1_700_000_000))  # (its time is the focus images' too)

    def convert(out: Path, *options: str) -> None:
        result = CliRunner().invoke(cli, ["convert", str(src), "--to", "anki", "-o",
                                          str(out), "-q", *options])
        assert result.exit_code == 0, result.output
        _import(collection, out)

    convert(tmp_path / "v1.apkg")
    before = _notes(collection)
    assert sorted(before) == ["soleus", "trapezius"]

    soleus = src / "soleus.md"
    assert "title: Soleus\n" in soleus.read_text(encoding="utf-8")
    soleus.write_text(soleus.read_text(encoding="utf-8").replace(
        "title: Soleus\n", 'title: "Soleus <edited>"\n'), encoding="utf-8")
    os.utime(soleus, (1_700_000_500, 1_700_000_500))
    shutil.copy(SAMPLES / "deltoideus.md", src / "deltoideus.md")
    os.utime(src / "deltoideus.md", (1_690_000_000, 1_690_000_000))  # older, still new
    os.utime(src, (1_700_000_100, 1_700_000_100))  # (a file was added)
    convert(tmp_path / "v2.apkg")
    after = _notes(collection)
    assert collection.note_count() == 3
    assert after["soleus"]["Name"] == "Soleus &lt;edited&gt;"
    assert after["soleus"].id == before["soleus"].id
    assert after["trapezius"]["Origin"] == before["trapezius"]["Origin"]

    # Only --lang changes: the README's advice (touch the file) works, cache and all.
    trapezius = src / "trapezius.md"
    os.utime(trapezius, (1_700_000_900, 1_700_000_900))
    convert(tmp_path / "v3.apkg", "--lang", "da")
    danish = converter.read(trapezius)[0].origin["da"]
    assert _notes(collection)["trapezius"]["Origin"] == danish
    assert collection.note_count() == 3


def _polygons_shown(collection: object, note: object) -> int:
    """The polygons of the focus image Anki shows for ``note`` (from its media folder)."""
    import re

    image = re.fullmatch(r'<img src="([^"]+)" alt="">', note["Image"])  # type: ignore[index]
    assert image is not None
    media = Path(collection.media.dir())  # type: ignore[attr-defined]
    return (media / image[1]).read_text(encoding="utf-8").count("<polygon")


def test_a_focus_image_another_file_changes_is_updated_in_anki(tmp_path: Path,
                                                             collection: object) -> None:
    """Each focus image is fitted to every muscle and draws the others faintly: a muscle
    added or deleted elsewhere changes it, and Anki takes it although its own file is
    as old as before. A note without an image keeps its own time."""

    src = tmp_path / "src"
    src.mkdir()
    old = (1_700_000_000, 1_700_000_000)

    def muscle(slug: str, coords: str | None) -> None:
        lines = f'coords:\n  - "{coords}"\n' if coords else ""
        (src / f"{slug}.md").write_text(f"---\ntitle: {slug.title()}\n{lines}---\n",
                                        encoding="utf-8")
        os.utime(src / f"{slug}.md", old)

    def convert(name: str, folder_time: int) -> dict[str, object]:
        os.utime(src, (folder_time, folder_time))
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["convert", str(src), "--to", "anki", "-o",
                                          str(out), "-q"])
        assert result.exit_code == 0, result.output
        _import(collection, out)
        return _notes(collection)

    muscle("alpha", "0,0,100,0,100,100")
    muscle("beta", "200,0,300,0,300,100")
    muscle("delta", None)
    first = convert("v1.apkg", old[0])
    assert _polygons_shown(collection, first["alpha"]) == 2
    muscle("gamma", "400,0,500,0,500,100")
    added = convert("v2.apkg", old[0] + 100)
    assert [_polygons_shown(collection, added[slug]) for slug in ("alpha", "gamma")] == [3, 3]
    assert added["alpha"].mod == old[0] + 100  # type: ignore[attr-defined]
    assert added["delta"].mod == old[0]  # type: ignore[attr-defined]
    (src / "gamma.md").unlink()
    removed = convert("v3.apkg", old[0] + 200)
    assert [_polygons_shown(collection, removed[slug]) for slug in ("alpha", "beta")] == [2, 2]


def test_the_drawing_time_counts_the_folders_between_the_sources(tmp_path: Path) -> None:
    """A folder of sources removed whole changes only the time of the folder above it,
    which held no source itself."""
    for name in ("s/front/a.md", "s/front/b.md", "s/deep/er/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    for folder, when in (("s/front", 100), ("s/deep/er", 100), ("s/deep", 300), ("s", 200),
                         ("", 900)):
        os.utime(tmp_path / folder, (when, when))
    sources = [Source(str(tmp_path / name), 50) for name in ("s/front/a.md", "s/front/b.md")]
    assert anki_format.drawing_time(sources) == 100  # (s/front holds them all: not s)
    deeper = [*sources, Source(str(tmp_path / "s/deep/er/c.md"), 50)]
    assert anki_format.drawing_time(deeper) == 300


def test_a_muscle_deleted_where_no_time_shows_it_still_updates_the_images(
        tmp_path: Path, collection: object) -> None:
    """The last file of a folder deleted: no source or folder left has a newer time,
    and the notes' times went back, so Anki kept the images that drew it. The deck
    written at the same place before says what its drawing was."""

    src = tmp_path / "src"
    for folder, slug, coords in (("arms", "arm", "10,10,60,10,60,60"),
                                 ("legs", "leg", "300,300,400,300,400,400")):
        (src / folder).mkdir(parents=True)
        (src / folder / f"{slug}.md").write_text(
            f'---\ntitle: {slug.title()}\ncoords:\n  - "{coords}"\n---\n', encoding="utf-8")
    for path, when in ((src / "arms" / "arm.md", 1_600_000_000), (src / "arms", 1_600_000_000),
                       (src / "legs" / "leg.md", 1_650_000_000), (src / "legs", 1_650_000_000),
                       (src, 1_650_000_000)):
        os.utime(path, (when, when))
    deck = tmp_path / "deck.apkg"

    def convert() -> dict[str, object]:
        result = CliRunner().invoke(cli, ["convert", str(src), "--to", "anki", "-o",
                                          str(deck), "-q", "--no-cache"])
        assert result.exit_code == 0, result.output
        _import(collection, deck)
        return _notes(collection)

    first = convert()
    assert _polygons_shown(collection, first["arm"]) == 2 and first["arm"].mod == 1_650_000_000  # type: ignore[attr-defined]
    (src / "legs" / "leg.md").unlink()
    os.utime(src / "legs", (1_700_000_000, 1_700_000_000))  # (no source is there now)
    after = convert()
    assert after["arm"].mod == 1_650_000_001  # type: ignore[attr-defined]
    assert _polygons_shown(collection, after["arm"]) == 1
    again = deck.read_bytes()
    convert()  # (nothing changed: the same deck, the times kept)
    assert deck.read_bytes() == again


def test_a_deck_written_among_its_sources_is_the_same_the_next_time(
        tmp_path: Path) -> None:
    """A deck written into the folder of its sources changes that folder's time (its
    temporary renamed in), which a focus image's note took as a change: every run made
    a newer deck of the same input. Its images are the same as the deck's there: the
    times are kept, and the deck is byte-identical."""
    src = tmp_path / "src"
    src.mkdir()
    for sample in ("soleus.md", "trapezius.md"):
        (src / sample).write_bytes((SAMPLES / sample).read_bytes())
        os.utime(src / sample, (1_700_000_000, 1_700_000_000))
    deck = src / "deck.apkg"

    def convert(folder_time: int) -> bytes:
        os.utime(src, (folder_time, folder_time))
        result = CliRunner().invoke(cli, ["convert", str(src), "--to", "anki", "-o",
                                          str(deck), "-q", "--no-cache"])
        assert result.exit_code == 0, result.output
        return deck.read_bytes()

    first = convert(1_750_000_000)
    assert convert(1_750_000_100) == first
    assert {mod for (mod,) in _stored(deck, "SELECT mod FROM notes")} == {1_750_000_000}


def test_cli_bad_deck_name_fails_without_output(tmp_path: Path) -> None:
    deck = tmp_path / "muscles.apkg"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "anki", "-o",
                                      str(deck), "--deck", "::"])
    assert result.exit_code == 2  # a usage error, before any file is read
    assert "--deck: deck name '::' has an empty part" in result.output
    assert not deck.exists()


def test_python_api_writes_a_deck(tmp_path: Path, sample_muscles: list[Muscle],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "api.apkg"
    converter.write(sample_muscles, out, deck="Anatomi")
    again = tmp_path / "again.apkg"
    converter.write(sample_muscles, again, "anki", deck="Anatomi")
    assert out.read_bytes() == again.read_bytes()
    assert len(converter.read(out)) == len(sample_muscles)
    assert os.path.getsize(out) > 0


def test_a_decks_corpus_lint_warnings_name_fields_as_the_note_does(tmp_path: Path) -> None:
    """The reader said notes[...].Exercises, the corpus lints muscles[...].exercises[1]."""
    out = tmp_path / "d.apkg"
    _write([_muscle("a", "A", exercises=("Squat",)),
            _muscle("b", "B", exercises=("Lunge", "squat"))], out, {"a": 1, "b": 1})
    result = CliRunner().invoke(cli, ["validate", str(out), "--no-cache"])
    spelling = [line for line in result.stderr.splitlines() if "[exercise-spelling]" in line]
    assert spelling == [f"{out}: warning: muscles[b].Exercises[1]: exercise 'squat' differs "
                        f"only by case or spacing from 'Squat' in {out} (muscles[a]) "
                        "[exercise-spelling]"]


@pytest.mark.parametrize("field, label", [("Name", "notes[a]"), ("Slug", "notes[0]")])
def test_a_note_text_that_is_not_utf8_loses_that_note_alone(field: str, label: str,
                                                            tmp_path: Path) -> None:
    """One byte that is not UTF-8 in a note's fields lost the whole deck (bad-apkg:
    "Could not decode to UTF-8 column 'flds'"), naming no note: it is a not-utf8 error
    naming the note and the field, the other notes are read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    (flds,) = _stored(out, "SELECT flds FROM notes WHERE guid = "
                      f"'{note_guid('a')}'")[0]
    values = [value.encode() for value in flds.split("\x1f")]
    place = anki_format.FIELD_NAMES.index(field)
    values[place] += b"\xff"
    _edit_collection(out, edited, "UPDATE notes SET flds = CAST(? AS TEXT) WHERE guid = ?",
                     b"\x1f".join(values), note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.field, d.code, d.message) for d in problems] == [
        (f"{label}.{field}", "not-utf8", "is not UTF-8 (byte 0xff)")]


def _with_field(out: Path, edited: Path, slug: str, field: str, value: str) -> None:
    """Copy the deck ``out`` to ``edited`` with the ``field`` of the note of ``slug``
    holding the HTML ``value``."""
    (flds,) = _stored(out, f"SELECT flds FROM notes WHERE guid = '{note_guid(slug)}'")[0]
    values = flds.split("\x1f")
    values[anki_format.FIELD_NAMES.index(field)] = value
    _edit_collection(out, edited, "UPDATE notes SET flds = ? WHERE guid = ?",
                     "\x1f".join(values), note_guid(slug))


@pytest.mark.parametrize(("reference", "read"), [
    ("&#" + "9" * 5000 + ";", "\ufffd"), ("&#" + "0" * 5000 + "65;", "A")],
    ids=["past the last character", "leading zeros"])
def test_a_character_reference_of_many_digits_is_read(reference: str, read: str,
                                                      tmp_path: Path) -> None:
    """A decimal character reference of over 4300 digits in a note's field ended the
    run in a traceback (ValueError from html.unescape: "Exceeds the limit (4300 digits)
    for integer string conversion"): it is read as a browser (Anki) shows it, one past
    the last character as U+FFFD, one of leading zeros as the character it names."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    _with_field(out, edited, "a", "Name", f"x{reference}y")
    assert _read(edited) == ([_muscle("a", f"x{read}y"), _muscle("b", "B")], [])


@pytest.mark.parametrize(("reference", "read"), [
    ("&#xFFFE;", "\ufffe"), ("&#65535;", "\uffff"), ("&#xfdd0;", "\ufdd0"),
    ("&#xFDEF;", "\ufdef"), ("&#x1FFFE;", "\U0001fffe"), ("&#x10FFFF;", "\U0010ffff"),
    ("&#x11FFFE;", "\ufffd")])
def test_a_character_reference_to_a_noncharacter_is_that_character(
        reference: str, read: str, tmp_path: Path) -> None:
    """A note field's character reference that names a Unicode noncharacter (U+FFFE,
    U+FDD0, the last two of each plane) was read as nothing, without a word (as
    html.unescape drops it), where Anki shows it and the other readers keep it: it is
    that character; one past the last code point is still U+FFFD."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="L"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    _with_field(out, edited, "a", "Name", f"x{reference}y")
    assert _read(edited) == ([_muscle("a", f"x{read}y", latin="L"), _muscle("b", "B")], [])


@pytest.mark.parametrize(("field", "value", "place", "code", "message"), [
    ("Name", "x&#0;y", "notes[a].Name", "control-character",
     "contains a control character (U+0000)"),
    ("Latin", "x&#x1;y", "notes[a].Latin", "control-character",
     "contains a control character (U+0001)"),
    ("Exercises", "<ul><li>x&#127;y</li></ul>", "notes[a].Exercises[0]",
     "control-character", "contains a control character (U+007F)"),
    ("Name", "x&#xD800;y", "notes[a].Name", "control-character",
     "contains U+D800, a lone surrogate, which no UTF-8 file can hold"),
    ("Slug", "a&#1;", "notes[0].Slug", "bad-slug",
     "'a\\x01' is not a slug (lowercase letters, digits and single hyphens)")],
    ids=["NUL", "control", "DEL", "surrogate", "in the slug"])
def test_a_character_reference_to_a_control_character_is_refused_as_the_character(
        field: str, value: str, place: str, code: str, message: str,
        tmp_path: Path) -> None:
    """A note field's character reference that names NUL or a lone surrogate was read
    as U+FFFD, one naming another control character as nothing (a Slug ``a&#1;`` was
    the slug ``a``), without a word, where the character itself, as JSON's ``\\u0000``,
    is refused: so is the reference, naming the note and the field."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="L", exercises=("Squat",)), _muscle("b", "B")], out,
           {"a": 1, "b": 1})
    _with_field(out, edited, "a", field, value)
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.field, d.code, d.message) for d in problems] == [(place, code, message)]


def test_a_collection_without_its_row_says_so(tmp_path: Path) -> None:
    """An empty col table said "cannot unpack non-iterable NoneType object"."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A")], out, {"a": 1})
    _edit_collection(out, edited, "DELETE FROM col")
    with pytest.raises(MuscleError) as caught:
        _read(edited)
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [
        ("bad-apkg", "holds an unreadable Anki collection: its col table has no row (the "
         "collection's settings and note types)")]


def test_a_note_too_large_is_named_by_its_exercises_field(tmp_path: Path) -> None:
    """A diagnostic of the whole note (too many values) was named "notes[a]." with no
    field: its Exercises, the one field that holds many."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", exercises=("Squat",)), _muscle("b", "B")], out,
           {"a": 1, "b": 1})
    (flds,) = _stored(out, f"SELECT flds FROM notes WHERE guid = '{note_guid('a')}'")[0]
    values = flds.split("\x1f")
    place = anki_format.FIELD_NAMES.index("Exercises")
    values[place] = "<ul>" + "<li>Squat</li>" * 100_001 + "</ul>"
    _edit_collection(out, edited, "UPDATE notes SET flds = ? WHERE guid = ?",
                     "\x1f".join(values), note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.field, d.code) for d in problems] == [("notes[a].Exercises", "too-large")]


@pytest.mark.parametrize(("column", "message"), [
    ("flds", "has fields that are binary data, not text; the note is left out"),
    ("mid", "has a note type id (notes.mid) that is binary data, not a number; the note is "
            "left out")])
def test_a_note_stored_as_binary_data_is_a_bad_note(column: str, message: str,
                                                    tmp_path: Path) -> None:
    """A damaged or hand-edited collection whose notes.flds is a BLOB raised a TypeError
    traceback, and the run's other inputs were not converted; a note whose notes.mid is
    one was left out without a word (it named no note type). Each is a bad-note, and
    the other notes are read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    _edit_collection(out, edited, f"UPDATE notes SET {column} = CAST({column} AS BLOB) "
                     "WHERE guid = ?", note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.field, d.code, d.message) for d in problems] == [("notes[0]", "bad-note",
                                                                  message)]


def test_a_note_of_a_note_type_the_collection_lacks_is_a_bad_note(tmp_path: Path) -> None:
    """A note whose notes.mid names no note type of the collection (a damaged one) was
    left out without a word, and the run succeeded: it is a bad-note error naming the
    note by its id and first field, and the note type id; the other notes are read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A" * 70), _muscle("b", "B")], out, {"a": 1, "b": 1})
    (nid,) = _stored(out, f"SELECT id FROM notes WHERE guid = '{note_guid('a')}'")[0]
    _edit_collection(out, edited, "UPDATE notes SET mid = 42 WHERE guid = ?", note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.path, d.field, d.code, d.severity, d.message) for d in problems] == [
        (str(edited), f"notes[id {nid}]", "bad-note", "error",
         "has note type id 42 (notes.mid), which is no note type of the collection, so "
         "damaged (Anki's Tools > Check Database gives such a note a new note type); its "
         f"first field is {'A' * 60 + '...'!r}; the note is left out")]
    result = CliRunner().invoke(cli, ["validate", str(edited), "--no-cache"])
    assert result.exit_code == 1 and "[bad-note]" in result.output, result.output


def test_a_note_of_no_note_type_whose_fields_are_binary_data_says_so(tmp_path: Path
                                                                     ) -> None:
    """A note of a note type id the collection lacks, whose notes.flds is a BLOB, was
    said to have the first field '': its fields are said to be binary data."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    (nid,) = _stored(out, f"SELECT id FROM notes WHERE guid = '{note_guid('a')}'")[0]
    _edit_collection(out, edited, "UPDATE notes SET mid = 42, flds = CAST(flds AS BLOB) "
                     "WHERE guid = ?", note_guid("a"))
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["b"]
    assert [(d.field, d.code, d.message) for d in problems] == [
        (f"notes[id {nid}]", "bad-note",
         "has note type id 42 (notes.mid), which is no note type of the collection, so "
         "damaged (Anki's Tools > Check Database gives such a note a new note type); its "
         "fields are binary data, not text; the note is left out")]


def _with_other_notes(out: Path, edited: Path, counts: dict[str, int]) -> None:
    """Copy the deck ``out`` to ``edited`` with a note type (fields Front and Back) of
    each name of ``counts`` added, and that many notes of it."""
    with zipfile.ZipFile(out) as deck, contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize(deck.read("collection.anki2"))
        (models,) = conn.execute("SELECT models FROM col").fetchone()
    models = json.loads(models)
    notes: list[object] = []
    for mid, (name, count) in enumerate(counts.items(), 1):
        models[str(mid)] = {"name": name, "flds": [{"name": "Front", "ord": 0},
                                                   {"name": "Back", "ord": 1}]}
        for _ in range(count):
            notes += [len(notes) // 4 + 1, f"other-{len(notes)}", mid, "hund\x1fdog"]
    typed = edited.with_suffix(".types.apkg")
    _edit_collection(out, typed, "UPDATE col SET models = ?", json.dumps(models))
    _edit_collection(typed, edited, "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, "
                     "sfld, csum, flags, data) VALUES " + ", ".join(
                         ["(?, ?, ?, 0, 0, '', ?, '', 0, 0, '')"] * (len(notes) // 4)), *notes)


@pytest.mark.parametrize(("counts", "said"), [
    ({"Cloze": 1, "Basic": 2}, "3 notes of other note types ignored (not muscle notes): "
                               "'Basic' (2), 'Cloze' (1)"),
    ({"Basic": 1}, "1 note of another note type ignored (not muscle notes): 'Basic' (1)"),
    ({f"Type {n:02}": 1 for n in range(12)},
     "12 notes of other note types ignored (not muscle notes): " + ", ".join(
         f"'Type {n:02}' (1)" for n in range(10)) + ", and 2 other note types")],
    ids=["two note types", "one note", "twelve note types"])
def test_notes_of_other_note_types_are_counted_in_one_warning(
        counts: dict[str, int], said: str, tmp_path: Path) -> None:
    """Notes of other note types than the muscle ones (a deck of words beside the
    muscles) were ignored without a word: one warning per deck counts them by note
    type; the muscle notes are read."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A"), _muscle("b", "B")], out, {"a": 1, "b": 1})
    _with_other_notes(out, edited, counts)
    assert len(_stored(edited, "SELECT id FROM notes")) == 2 + sum(counts.values())
    back, problems = _read(edited)
    assert [m.slug for m in back] == ["a", "b"]
    assert [(d.path, d.field, d.code, d.severity, d.message) for d in problems] == [
        (str(edited), "", "other-note-types", "warning", said)]


def test_a_notes_valid_fields_are_linted_beside_its_errors(tmp_path: Path,
                                                          collection: object) -> None:
    """A note whose Name was emptied in Anki said only that; a Latin name that shows
    nothing (a blank card) was said a run later, once the Name was given again."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="Musculus a")], out, {"a": 1})
    _edited_in_anki(collection, out, edited, _typed(Name="", Latin="\u200b"))
    found = validate_sources([edited]).diagnostics
    assert [(d.field, d.code, d.severity) for d in found] == [
        ("notes[a].Name", "empty-field", "error"),
        ("notes[a].Latin", "empty-text", "warning")]


def test_a_note_with_a_bad_slug_says_its_other_problems_and_lints(tmp_path: Path,
                                                                 collection: object) -> None:
    """A note whose Slug was edited into no slug in Anki said only that: its emptied
    Name and a Latin name that shows nothing (a blank card) were said a run later."""
    out, edited = tmp_path / "d.apkg", tmp_path / "edited.apkg"
    _write([_muscle("a", "A", latin="Musculus a")], out, {"a": 1})
    _edited_in_anki(collection, out, edited, _typed(Slug="Not A", Name="", Latin="\u200b"))
    found = validate_sources([edited]).diagnostics
    assert [(d.field, d.code, d.severity) for d in found] == [
        ("notes[0].Slug", "bad-slug", "error"), ("notes[0].Name", "empty-field", "error"),
        ("notes[0].Latin", "empty-text", "warning")]


def test_a_note_with_a_byte_not_utf8_says_its_other_problems_and_lints(
        tmp_path: Path, collection: object) -> None:
    """A note with a byte that is not UTF-8 in its Name said only that: a Slug edited
    into no slug in Anki and a Latin name that shows nothing (a blank card) were said a
    run later, once the byte was fixed. The Name has no other problem of its own."""
    out, typed, edited = tmp_path / "d.apkg", tmp_path / "typed.apkg", tmp_path / "e.apkg"
    _write([_muscle("a", "A", latin="Musculus a")], out, {"a": 1})
    _edited_in_anki(collection, out, typed, _typed(Slug="Not A", Latin="\u200b"))
    (flds,) = _stored(typed, f"SELECT flds FROM notes WHERE guid = '{note_guid('a')}'")[0]
    values = [value.encode() for value in flds.split("\x1f")]
    values[anki_format.FIELD_NAMES.index("Name")] = b"\xff"
    _edit_collection(typed, edited, "UPDATE notes SET flds = CAST(? AS TEXT) WHERE guid = ?",
                     b"\x1f".join(values), note_guid("a"))
    assert _read(edited)[0] == []
    found = validate_sources([edited]).diagnostics
    assert [(d.field, d.code, d.severity) for d in found] == [
        ("notes[0].Name", "not-utf8", "error"), ("notes[0].Slug", "bad-slug", "error"),
        ("notes[0].Latin", "empty-text", "warning")]
