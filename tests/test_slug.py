"""Slugs: every Latin letter is spelled in ASCII, the same in either case; in Latin
Extended-B to -G, IPA Extensions and Phonetic Extensions and their Supplement, every
letter with a usual ASCII spelling. A page bundle's page and its Hugo translations take
their folder's name."""

from __future__ import annotations

import json
import ntpath
import os
import re
import types
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from converter.cli import cli
from converter.registry import get_format
from converter.run import convert_sources
from converter.slug import (
    as_opened,
    bundle_language,
    check_working_folder,
    device_name,
    gone_up,
    name_language,
    slug_hint,
    slugify,
)

#: Latin-1 Supplement and Latin Extended-A.
LATIN_LETTERS = [chr(code) for code in range(0xC0, 0x180)
                 if chr(code).isalpha() and "LATIN" in unicodedata.name(chr(code), "")]
#: Latin Extended-Additional's letters with a stroke, bar or hook.
MARKED_LETTERS = [chr(code) for code in range(0x1E00, 0x1F00)
                  if re.match(r"LATIN (SMALL|CAPITAL) LETTER [A-Z] WITH ",
                              unicodedata.name(chr(code), ""))]
#: Latin Extended-B's letters with no usual ASCII spelling, which slugs drop: tone
#: letters, clicks, glottal stops and phonetic symbols.
DROPPED = set("ƄƅƧƨƼƽ" "ǀǁǂǃ" "Ɂɂƾ" "ƍƛƜƪƸƹƻɅ")
#: Latin Extended-B, every letter but :data:`DROPPED`.
EXTENDED_B = [chr(code) for code in range(0x180, 0x250) if chr(code) not in DROPPED]
#: IPA Extensions' letters with no usual ASCII spelling, which slugs drop: turned letters
#: with another letter's sound (turned m, v, h and y, ram's horn), clicks, glottal stops
#: and pharyngeals, percussives, heng with hook and the sinological vowels.
IPA_DROPPED = set("ɯɰʌɥʎɤ" "ʇʞʗʘ" "ʔʕʖʡʢ" "ʬʭ" "ɧ" "ɿʅʮʯ")
#: IPA Extensions, every letter but :data:`IPA_DROPPED`.
IPA_EXTENSIONS = [chr(code) for code in range(0x250, 0x2B0) if chr(code) not in IPA_DROPPED]
#: Latin Extended-C's letters with no usual ASCII spelling: the Claudian half h.
C_DROPPED = set("Ⱶⱶ")
#: Latin Extended-C, every letter but :data:`C_DROPPED`.
EXTENDED_C = [chr(code) for code in range(0x2C60, 0x2C80) if chr(code) not in C_DROPPED]
#: Latin Extended-D's letters with no usual ASCII spelling: heng, reversed c with dot,
#: the tone letter, saltillo (a glottal stop), the sinological dot, the reversed half h,
#: turned h, k and t and small capital turned m (as their IPA kin); and Unicode 16's
#: capital ram's horn, lambda and capital lambda with stroke (``U+A7CB``, ``U+A7DA`` to
#: ``U+A7DC``, unassigned in this Python's Unicode), whose small letters are dropped too.
D_DROPPED = set("Ꜧꜧ" "Ꜿꜿ" "ꞈ" "Ꞌꞌ" "ꞏ" "Ꟶꟶ" "\ua78d\ua7b0\ua7b1" "ꟺ"
                "\ua7cb\ua7da\ua7db\ua7dc")
#: Latin Extended-D, every letter but :data:`D_DROPPED` (the block also holds modifier
#: symbols, the stress and tone marks, colon and equals sign, that are no letter).
EXTENDED_D = [chr(code) for code in range(0xA720, 0xA800)
              if chr(code).isalpha() and chr(code) not in D_DROPPED]
#: Phonetic Extensions' letters with no usual ASCII spelling: the Greek and Cyrillic
#: small capitals, sideways turned m, the voiced laryngeal spirant and ain; the modifier
#: letters of those (turned m, ain, Greek and Cyrillic letters, as NFKD makes them).
PHONETIC_DROPPED = set("ᴦᴧᴨᴩᴪ" "ᴫ" "ᴟ" "ᴤᴥ" "ᵚᵜ" "ᵝᵞᵟᵠᵡ" "ᵦᵧᵨᵩᵪ" "ᵸ")
#: Phonetic Extensions Supplement's: the modifier turned h, m with long leg and v, and
#: theta, as their letters.
SUPPLEMENT_DROPPED = set("ᶣᶭᶺ" "ᶿ")
#: Phonetic Extensions and their Supplement, every letter, modifier letters included, but
#: :data:`PHONETIC_DROPPED` and :data:`SUPPLEMENT_DROPPED`.
PHONETIC = [chr(code) for code in range(0x1D00, 0x1DC0)
            if chr(code) not in PHONETIC_DROPPED | SUPPLEMENT_DROPPED]
#: Latin Extended-E's letters with no usual ASCII spelling: the Greek small capital omega
#: and the modifier heng (as heng).
E_DROPPED = set("ꭥ" "ꭜ")
#: Latin Extended-E, every letter but :data:`E_DROPPED` (the block also holds modifier
#: symbols, a breve and two tacks, that are no letter).
EXTENDED_E = [chr(code) for code in range(0xAB30, 0xAB70)
              if chr(code).isalpha() and chr(code) not in E_DROPPED]
#: Latin Extended-F's letters (all modifier letters) with no usual ASCII spelling: the
#: length marks, and the modifier ram's horn, heng with hook, turned y (with belt or not),
#: glottal stops and clicks, as their letters.
F_DROPPED = set("𐞁𐞂" "𐞑𐞗𐞠𐞡" "𐞳𐞴" "𐞵𐞶𐞷𐞸𐞹")
#: Latin Extended-G's: turned y with belt, small capital turned k, the clicks (turned t
#: with curl, stretched c with curl, the retroflex click) and the inverted glottal stop.
G_DROPPED = set("𝼆𝼐" "𝼍𝼏𝼊" "𝼎")
#: Latin Extended-F and -G, every letter but :data:`F_DROPPED` and :data:`G_DROPPED` (of
#: -G, those this Python's Unicode knows: Unicode 15's letters with a mid-height left hook
#: are spelled by their names, d to t, where it knows them).
EXTENDED_F_G = [chr(code) for code in [*range(0x10780, 0x107C0), *range(0x1DF00, 0x1E000)]
                if chr(code).isalpha() and chr(code) not in F_DROPPED | G_DROPPED]


DOTLESS_I = "\N{LATIN SMALL LETTER DOTLESS I}"


def _cased(letter: str) -> set[str]:
    """``letter`` in both cases, each a single letter."""
    return {form for form in (letter.lower(), letter.upper()) if len(form) == 1}


@pytest.mark.parametrize("letter", LATIN_LETTERS + EXTENDED_B + IPA_EXTENSIONS + EXTENDED_C
                         + EXTENDED_D + PHONETIC + EXTENDED_E + EXTENDED_F_G
                         + MARKED_LETTERS)
def test_every_latin_letter_gives_a_slug_in_both_cases(letter: str) -> None:
    slugs = {slugify(form) for form in _cased(letter) | {letter}}
    assert len(slugs) == 1 and "" not in slugs, (letter, slugs)


@pytest.mark.parametrize("text, slug", [("Łydka", "lydka"), ("łydka", "lydka"),
                                        ("Þórr", "thorr"), ("þórr", "thorr"),
                                        ("Ðoður", "dodur"), ("Đakovo", "dakovo"),
                                        ("Œuvre", "oeuvre"), ("Cœur", "coeur"),
                                        ("ÆØÅ", "aeoeaa"), ("Ǿre", "oere"),
                                        ("Ħamrun", "hamrun"), (f"{DOTLESS_I}I", "ii"),
                                        ("Straße", "strasse"), ("STRAẞE", "strasse"),
                                        ("Ŋŋ", "ngng")])
def test_letters_no_decomposition_reaches(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("block, dropped", [(range(0x180, 0x250), DROPPED),
                                            (range(0x250, 0x2B0), IPA_DROPPED),
                                            (range(0x2C60, 0x2C80), C_DROPPED),
                                            (range(0xA720, 0xA800), D_DROPPED),
                                            (range(0x1D00, 0x1D80), PHONETIC_DROPPED),
                                            (range(0x1D80, 0x1DC0), SUPPLEMENT_DROPPED),
                                            (range(0xAB30, 0xAB70), E_DROPPED),
                                            (range(0x10780, 0x107C0), F_DROPPED),
                                            (range(0x1DF00, 0x1E000), G_DROPPED)])
def test_a_block_drops_only_the_letters_listed(block: range, dropped: set[str]) -> None:
    assert {chr(code) for code in block} >= dropped
    assert {letter for letter in dropped if slugify(f"a{letter}b") != "a-b"} == set()


EZH, YOGH, OU = ("\N{LATIN CAPITAL LETTER EZH}", "\N{LATIN CAPITAL LETTER YOGH}",
                 "\N{LATIN SMALL LETTER OU}")


@pytest.mark.parametrize("text, slug", [("əbc", "ebc"), ("Əbc", "ebc"), ("ǝ", "e"),
                                        ("Ǝ", "e"), ("ɛ", "e"), ("Ɔɔ", "oo"), ("ʒ", "z"),
                                        (EZH, "z"), ("ǯ", "z"), ("ȝe", "ye"), (f"{YOGH}e", "ye"),
                                        ("ƿ", "w"), ("Ƿ", "w"), ("ƀ", "b"), ("ƈ", "c"),
                                        ("ɓ", "b"), ("ɗ", "d"), ("ƒ", "f"), ("ȥ", "z"),
                                        ("ɨ", "i"), ("Ɣ", "gh"), ("ʃ", "sh"), ("ƕ", "hw"),
                                        ("Ƕ", "hw"), ("ȸ", "db"), (OU, "ou")])
def test_extended_b_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    assert slugify(text) == slug


ALPHA, SCRIPT_G, PHI = ("\N{LATIN SMALL LETTER ALPHA}", "\N{LATIN SMALL LETTER SCRIPT G}",
                       "\N{LATIN SMALL LETTER PHI}")
SMALL_I, SMALL_Y = "\N{LATIN LETTER SMALL CAPITAL I}", "\N{LATIN LETTER SMALL CAPITAL Y}"


@pytest.mark.parametrize("text, slug", [(ALPHA, "a"), (ALPHA.upper(), "a"), ("ɐ", "a"),
                                        ("Ɐ", "a"), ("ɒ", "o"), ("ɘ", "e"), ("ɜ", "e"),
                                        ("ɜ".upper(), "e"), ("ɚɝ", "ee"), (SCRIPT_G, "g"),
                                        (SCRIPT_G.upper(), "g"), ("ɢʛ", "gg"),
                                        (f"{SMALL_I}ʙɴʟ{SMALL_Y}ʀ", "ibnlyr"),
                                        (SMALL_I.upper(), "i"), ("ʜ", "h"), ("ɶ", "oe"),
                                        ("ɹɺɻʁ", "rrrr"), ("ɟʄ", "jj"), (PHI, "f"),
                                        ("ɷ", "u"), ("ʆ", "sh"), ("ʓ", "z"), ("ʍ", "wh")])
def test_ipa_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("digraph, letters, slug", [
    ("ʣ", "dz", "dz"), ("ʤ", "dʒ", "dz"), ("ʥ", "dʑ", "dz"), ("ʦ", "ts", "ts"),
    ("ʧ", "tʃ", "tsh"), ("ʨ", "tɕ", "tc"), ("ʩ", "fŋ", "fng"), ("ʪ", "ls", "ls"),
    ("ʫ", "lz", "lz"), ("ɮ", "lʒ", "lz")])
def test_an_ipa_digraph_is_spelled_as_its_letters(digraph: str, letters: str, slug: str) -> None:
    assert (slugify(digraph), slugify(letters)) == (slug, slug)


@pytest.mark.parametrize("text, slug", [("\N{LATIN SMALL LETTER TAILLESS PHI}", "f"),
                                        ("ⱹ", "r"), ("ⱻ", "e"), ("Ɑ", "a"), ("Ɐ", "a"),
                                        ("Ɒ", "o"), ("Ɱ", "m"), ("Ⱬ", "z"), ("ⱼ", "j")])
def test_extended_c_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    assert slugify(text) == slug


US, CHI, BETA, OMEGA = ("\N{MODIFIER LETTER US}", "\N{LATIN CAPITAL LETTER CHI}",
                       "\N{LATIN SMALL LETTER BETA}", "\N{LATIN CAPITAL LETTER OMEGA}")


@pytest.mark.parametrize("text, slug", [("ꜭiche", "kiche"), ("Ꜭiche", "kiche"),
                                        ("ꜯ", "tz"), ("ꜫ", "q"), ("ꜩ", "tz"), ("ꜣ", "a"),
                                        ("Rꜥ", "ra"), ("Ꜳ", "aa"), ("ꜳ", "aa"), ("ꝏ", "oo"),
                                        ("ꜽ", "ay"), ("ꝡ", "vy"), ("ꞛ", "ae"), ("Ꞝ", "oe"),
                                        ("ꝛ", "r"), ("ꝺꝼᵹꞃꞅꞇ", "dfgrst"), ("ꝿ", "ng"),
                                        ("ꝇ", "l"), ("Ꝣ", "z"), ("ꝩ", "v"), ("ꝫ", "et"),
                                        ("ꝯ", "con"), (US, "us"), ("ꝝ", "rum"),
                                        ("ꝷ", "tum"), ("ꝥ", "th"), ("ꟓ", "thth"),
                                        ("ꟕ", "ww"), (CHI, "kh"), (BETA, "b"), (OMEGA, "o"),
                                        ("ꞻ", "a"), ("ꟁ", "o"), ("ꟃ", "w"), ("ꟑ", "g"),
                                        ("ꟗꟙ", "ss"), ("ꜰ", "f"), ("ꞯ", "q"),
                                        ("ꟻꟼꟽꟾꟿ", "fpmim")])
def test_extended_d_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text, slug", [("ᴀᴄᴅᴇ", "acde"), ("ᴊᴋᴍᴏᴘ", "jkmop"),
                                        ("ᴛᴜᴠᴡᴢ", "tuvwz"), ("ᴆ", "d"), ("ᴣ", "z"),
                                        ("ᴌ", "l"), ("ᴃ", "b"), ("ᴎᴙᴚ", "nrr"), ("ᴐ", "o"),
                                        ("ᴁ", "ae"), ("ᴂ", "ae"), ("ᴔ", "oe"), ("ᴕ", "ou"),
                                        ("ᵫ", "ue"), ("ᵺ", "th"), ("ᴈ", "e"), ("ᴉ", "i"),
                                        ("ᴑᴒᴓᴖᴗ", "ooooo"), ("ᴝᴞ", "uu"), ("ᵷ", "g"),
                                        ("ᵻᵼ", "ii"), ("ᵾᵿ", "uu"), ("ᵬᵭᵮ", "bdf"),
                                        ("ᵲᵳ", "rr"), ("ᶀᶁᶂᶃ", "bdfg"), ("ᶅᶆᶇ", "lmn"),
                                        ("ᶏᶐ", "aa"), ("ᶑ", "d"), ("ᶒᶓᶔᶕ", "eeee"),
                                        ("ᶖ", "i"), ("ᶗ", "o"), ("ᶋᶘ", "shsh"), ("ᶙ", "u"),
                                        ("ᶚ", "z"), ("ᴬᵇᶜ", "abc"), ("ᴯᴻᵎ", "bni"),
                                        ("ᵆ", "ae"), ("ᶧ", "i"), ("ᶪ", "l"), ("ᶸ", "u"),
                                        ("ᶴ", "sh"), ("ᵢᵣ", "ir")])
def test_phonetic_extensions_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    """Modifier letters included: the letter NFKD makes of one, or its own spelling."""
    assert slugify(text) == slug


BLACKLETTER_E, BLACKLETTER_O, LENIS_F, DOUBLE_R, Y_SHORT_LEG = (
    "\N{LATIN SMALL LETTER BLACKLETTER E}", "\N{LATIN SMALL LETTER BLACKLETTER O}",
    "\N{LATIN SMALL LETTER LENIS F}", "\N{LATIN SMALL LETTER DOUBLE R}",
    "\N{LATIN SMALL LETTER Y WITH SHORT RIGHT LEG}")


@pytest.mark.parametrize("text, slug", [("ꬰꭤ", "aa"), ("ꬱ", "ae"), (BLACKLETTER_E, "e"),
                                        ("ꬳꬴ", "ee"), (LENIS_F, "f"), ("ꬶ", "g"),
                                        ("ꬷꬸꬹ", "lll"), ("ꬺꬻ", "mn"), ("ꬼ", "ng"),
                                        (BLACKLETTER_O, "o"), ("ꬾꬿ", "oo"), ("ꭀꭁꭂ", "oeoeoe"),
                                        ("ꭃꭄ", "oooo"), ("ꭅꭆꭉꭋꭌꭨ", "rrrrrr"),
                                        (DOUBLE_R, "rr"), ("ꭊ", "rr"), ("ꭍ", "sh"),
                                        ("ꭎꭏꭒ", "uuu"), ("ꭐꭑ", "uiui"), ("ꭓꭔꭕ", "khkhkh"),
                                        ("ꭖꭗꭘꭙ", "xxxx"), (Y_SHORT_LEG, "y"), ("ꭦ", "dz"),
                                        ("ꭧ", "ts"), ("ꭠ", "ia"), ("ꭡ", "ie"), ("ꭢꭣ", "uouo"),
                                        ("ꭝꭞꭟ", "llu"), ("ꭩ", "wh")])
def test_extended_e_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    """Modifier letters included: the letter NFKD makes of one."""
    assert slugify(text) == slug


@pytest.mark.parametrize("text, slug", [("𐞀", "aa"), ("𐞃", "ae"), ("𐞄𐞒𐞖𐞪𐞲", "bghry"),
                                        ("𐞅𐞌𐞓", "bdg"), ("𐞇𐞈𐞉𐞊", "dzdzdzdz"), ("𐞍", "d"),
                                        ("𐞎𐞏", "ee"), ("𐞐", "fng"), ("𐞕", "h"), ("𐞘", "j"),
                                        ("𐞙𐞚𐞞𐞟", "lslzlzlz"), ("𐞛𐞜𐞝", "lll"),
                                        ("𐞢𐞣", "oeoe"), ("𐞤", "u"), ("𐞥", "q"),
                                        ("𐞦𐞧𐞨𐞩", "rrrr"), ("𐞫", "tc"), ("𐞬𐞭", "tsts"),
                                        ("𐞮", "tsh"), ("𐞯", "t"), ("𐞰", "v"), ("𐞺", "s")])
def test_extended_f_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    """Its modifier letters as the letter NFKD makes them, small capital aa as its own."""
    assert slugify(text) == slug


@pytest.mark.parametrize("text, slug", [("𝼀", "fng"), ("𝼁𝼂", "gg"), ("𝼃", "k"),
                                        ("𝼄𝼑𝼓", "lll"), ("𝼅", "lz"), ("𝼇𝼔", "ngng"),
                                        ("𝼈𝼕𝼖", "rrr"), ("𝼉", "t"), ("𝼋𝼌", "shsh"),
                                        ("𝼒𝼙", "dzdz"), ("𝼗𝼜", "tshtsh"), ("𝼘", "z"),
                                        ("𝼚", "i"), ("𝼛", "o"), ("𝼝", "c"), ("𝼞", "s")])
def test_extended_g_letters_have_their_usual_spelling(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(("leaves", "bundle", "slugs"), [
    (["Łydka.md", "Œuvre.md"], "Þórr", ["lydka", "oeuvre", "thorr"]),
    (["əbc.md", "ȝard.md"], "ƿ", ["ebc", "w", "yard"]),
    ([f"{SCRIPT_G}astrocnemius.md", f"{ALPHA}bductor.md"], "ʧ",
     ["abductor", "gastrocnemius", "tsh"]),
    (["ꝛectus femoris.md", "Ꜭiche.md"], "Ꜳ", ["aa", "kiche", "rectus-femoris"]),
    (["ᴛʀᴀᴘᴇᴢɪᴜꜱ.md", "ᴅᶒltoid.md"], "ᴁ", ["ae", "deltoid", "trapezius"]),
    ([f"{BLACKLETTER_O}rbicularis.md", "bꭣs.md"], "ꭐ", ["buos", "orbicularis", "ui"]),
    (["𝼝ostal.md", "𐞀.md"], "𝼀", ["aa", "costal", "fng"])])
def test_a_name_and_a_bundle_folder_give_the_spelling(
        tmp_path: Path, leaves: list[str], bundle: str, slugs: list[str]) -> None:
    """In Latin Extended-A, -B, IPA Extensions, Latin Extended-D, Phonetic Extensions
    and Latin Extended-E, -F and -G."""
    for name in leaves:
        (tmp_path / name).write_text("---\ntitle: T\n---\n", encoding="utf-8")
    (tmp_path / bundle).mkdir()
    (tmp_path / bundle / "index.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    assert sorted(m.slug for m in converter.read(tmp_path)) == slugs


def test_a_slug_key_is_spelled_as_a_name(tmp_path: Path) -> None:
    (tmp_path / "Œuvre.md").write_text("---\ntitle: Work\nslug: Cœur\n---\n", encoding="utf-8")
    assert [m.slug for m in converter.read(tmp_path)] == ["coeur"]


#: A Hugo site's pages, two bundles and a leaf each with its Danish translation, and the
#: slug each takes: a bundle's translation as a leaf's.
TRANSLATED = {"soleus/index.md": "soleus", "soleus/index.da.md": "soleus-da",
              "gastrocnemius/index.md": "gastrocnemius",
              "gastrocnemius/index.da.md": "gastrocnemius-da",
              "gastrocnemius/index.pt-br.markdown": "gastrocnemius-pt-br",
              "plantaris.md": "plantaris", "plantaris.da.md": "plantaris-da"}


def test_a_bundles_translations_are_named_as_a_leaf_pages(tmp_path: Path) -> None:
    """Hugo's ``soleus/index.da.md`` and ``gastrocnemius/index.da.md`` were both
    ``index-da``, a duplicate-slug error, while a leaf ``plantaris.da.md`` is
    ``plantaris-da``; a cached run names them as the first did."""
    site = tmp_path / "content"
    for name in TRANSLATED:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"---\ntitle: {name}\n---\n", encoding="utf-8")
    for out, parsed in [("first.json", len(TRANSLATED)), ("cached.json", 0)]:
        result = convert_sources([site], get_format("json"), tmp_path / out, jobs=1,
                                 cache_dir=tmp_path / "cache", options={"default_lang": "en"})
        assert (result.parsed, list(result.diagnostics)) == (parsed, [])
        assert {m.title: m.slug for m in converter.read(tmp_path / out)} == TRANSLATED


def test_a_translation_whose_name_gives_no_slug_is_a_bad_slug_as_its_page(
        tmp_path: Path) -> None:
    """``σόλεος/index.md`` was a ``bad-slug`` but its translation ``σόλεος/index.da.md``
    took the slug ``da`` of its language alone (so did ``γαστροκνήμιος/index.da.md``: a
    duplicate-slug error saying the folder name gives ``da``), and a leaf's
    ``σόλεος.da.md`` too: each is the ``bad-slug`` of the name before the language."""
    names = ["σόλεος/index.md", "σόλεος/index.da.md", "γαστροκνήμιος/index.da.md",
             "κνήμη.md", "κνήμη.da.md", "plantaris.da.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: T\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache", "-j", "1",
                                      "--format", "json"])
    assert result.exit_code == 1
    said = sorted((Path(d["path"]).relative_to(tmp_path).as_posix(), d["line"], d["field"],
                   d["code"], d["message"]) for d in json.loads(result.stdout))
    made_of = {"σόλεος": "folder", "γαστροκνήμιος": "folder", "κνήμη": "file"}
    assert said == sorted(
        (name, None, "", "bad-slug", f"cannot make a slug (letters and digits) from "
         f"{part!r}, the {made_of[part]} name: rename it, or add a slug: field")
        for name in names[:-1] for part in [name.split("/")[0].split(".")[0]])


def test_a_bundles_translation_named_alone_takes_its_folders_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "soleus").mkdir()
    (tmp_path / "soleus" / "index.da.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    assert [m.slug for m in converter.read(tmp_path / "soleus" / "index.da.md")] == ["soleus-da"]
    monkeypatch.chdir(tmp_path / "soleus")
    monkeypatch.setenv("PWD", str(tmp_path / "soleus"))
    assert [m.slug for m in converter.read("index.da.md")] == ["soleus-da"]


def _bundle_behind_a_link(top: Path) -> Path:
    """``site/soleus/index.md`` and ``shared/index.md``, with ``site/soleus/img`` a link
    to ``shared/gallery``: ``img/..`` is ``shared``, as opening a path through it finds."""
    (top / "shared" / "gallery").mkdir(parents=True)
    (top / "site" / "soleus").mkdir(parents=True)
    (top / "site" / "soleus" / "index.md").write_text("---\ntitle: Soleus\n---\n",
                                                      encoding="utf-8")
    (top / "shared" / "index.md").write_text("---\ntitle: Shared\n---\n", encoding="utf-8")
    img = top / "site" / "soleus" / "img"
    img.symlink_to(Path("..", "..", "shared", "gallery"))
    return img


@pytest.mark.parametrize("named", ["../index.md", "..", "ABSOLUTE/../index.md"])
def test_a_bundle_reached_by_going_up_out_of_a_symlinked_folder_takes_the_folder_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    """``..`` out of ``img`` (a link to ``shared/gallery``) reads ``shared/index.md``,
    which took the slug ``soleus``, the folder the path named textually."""
    img = _bundle_behind_a_link(tmp_path)
    monkeypatch.chdir(img)
    monkeypatch.setenv("PWD", str(img))  # (as the shell that went there)
    muscles = converter.read(named.replace("ABSOLUTE", str(img)))
    assert [(m.title, m.slug) for m in muscles] == [("Shared", "shared")]
    monkeypatch.chdir(tmp_path / "site")  # (a link not left by .. keeps its name)
    monkeypatch.setenv("PWD", str(tmp_path / "site"))
    assert [m.slug for m in converter.read("soleus/img/../index.md")] == ["shared"]
    assert [m.slug for m in converter.read("soleus/img/../../site/soleus/index.md")] == ["soleus"]


@pytest.mark.parametrize(("path", "opened"), [
    ("C:\\work\\img/../index.md", "C:\\work\\index.md"),
    ("C:\\work\\img\\..\\index.md", "C:\\work\\index.md"),
    ("C:/work/./img/../index.md", "C:\\work\\index.md"),
    ("\\\\server\\share\\img/../index.md", "\\\\server\\share\\index.md")])
def test_a_windows_path_goes_up_at_either_separator_and_keeps_its_drive(
        path: str, opened: str) -> None:
    """On Windows ``/`` parts names as ``\\`` does, but a path was parted at ``\\``
    alone: ``img/../index.md`` was taken for a path that does not go up, its ``..`` taken
    away as text (a link ``img`` not followed), and :func:`gone_up` left it out of the
    cache's key; one that went up at ``\\`` lost its root, ``C:\\work\\img\\..\\
    index.md`` becoming ``C:work\\index.md`` (relative to the drive's working folder).
    Windows' own path library (``ntpath``) is asked here, whether ``img`` is a link too."""
    asked: list[str] = []

    def islink(name: str) -> bool:
        asked.append(name)
        return ntpath.islink(name)

    windows = types.SimpleNamespace(**{**vars(ntpath), "islink": islink})
    assert as_opened(path, windows) == opened  # type: ignore[arg-type]
    assert [ntpath.basename(name) for name in asked] == ["img"]
    assert ntpath.normcase(asked[0]) == ntpath.normcase(ntpath.join(
        ntpath.dirname(opened), "img"))
    assert gone_up([path, "C:/work/a..b/index.md", "img"], ntpath) == (opened,)


@pytest.mark.parametrize("name, language", [
    ("index.md", ""), ("index.MARKDOWN", ""), ("index.da.md", ".da"),
    ("index.pt-br.Md", ".pt-br"), ("index.notes.md", None), ("Index.da.md", None),
    ("_index.da.md", None), ("indexes.md", None), ("index.da.txt", None), ("index..md", None)])
def test_a_bundles_page_is_index_or_its_translation(name: str, language: str | None) -> None:
    assert bundle_language(name, (".md", ".markdown")) == language


@pytest.mark.parametrize("path, language", [
    ("soleus.da.md", "da"), ("a/soleus.pt-BR.markdown", "pt-BR"), ("soleus/index.da.md", "da"),
    ("soleus/index.pt-br.Md", "pt-br"), ("_index.da.md", "da"), ("Soleus.DA.md", None),
    ("soleus.md", None), ("soleus/index.md", None), ("da/soleus.md", None), (".da.md", None),
    ("soleus.notes.md", None), ("soleus.v2.md", None), ("soleus..md", None),
    ("soleus.zh-hans.md", "zh-hans"), ("soleus.sr-Latn.md", "sr-Latn"),
    ("soleus.es-419.md", "es-419"), ("soleus/index.zh-Hant-TW.md", "zh-Hant-TW"),
    ("soleus.old.md", None), ("m.bak.md", None), ("gastro.fig.md", None),
    ("soleus.xx.md", None), ("soleus/index.old.md", None), ("_index.bak.md", None),
    ("soleus.en-us-gb.md", None), ("soleus.sr-latn-cyrl.md", None)])
def test_a_translation_s_name_gives_its_language(path: str, language: str | None) -> None:
    """The language of the plain texts of a file named as a translation: the language
    code before its ending, as its slug has it (``soleus.da.md``: ``soleus-da``), when it
    is a real language's, ISO 639-1 and BCP 47 subtags: ``old`` of ``soleus.old.md``,
    ``bak`` of a backup ``m.bak.md`` were taken for languages, and fmt relabelled the
    file's texts ``origin: {bak: ...}``."""
    assert name_language(path, (".md", ".markdown")) == language


def test_a_name_of_no_real_language_keeps_the_slug_its_code_shape_gives(
        tmp_path: Path) -> None:
    """The slug's rule takes any language code's shape, as before, so no slug moves:
    ``soleus/index.old.md`` is a bundle's page (``soleus-old``), ``σόλεος.bak.md`` the
    ``bad-slug`` of ``σόλεος``, and a leaf's backup ``soleus.bak.md`` is ``soleus-bak``
    as its stem gives it; their texts are in the run's ``--default-lang``."""
    assert slug_hint("soleus/index.old.md", (".md",)) == "soleus.old"
    assert slug_hint("σόλεος.bak.md", (".md",)) == "σόλεος"
    names = {"soleus/index.old.md": "soleus-old", "soleus.bak.md": "soleus-bak",
             "gastro.fig.md": "gastro-fig"}
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"---\ntitle: {name}\norigin: Bag.\n---\n",
                                     encoding="utf-8")
    read = converter.read(tmp_path, default_lang="da")
    assert {m.title: (m.slug, dict(m.origin)) for m in read} == {
        name: (slug, {"da": "Bag."}) for name, slug in names.items()}


@pytest.mark.parametrize("name, language", [
    ("index.TITLES", ""), ("index.titles", ""), ("index.da.Titles", ".da")])
def test_a_bundles_page_is_told_by_an_ending_spelled_in_capitals(
        name: str, language: str) -> None:
    """A plugin whose ending is spelled in capitals (.TITLES) never had a page bundle:
    index.titles was no bundle's page, as the ending was matched as spelled. It is in
    any case, as a file of that ending is read in any case."""
    assert bundle_language(name, (".TITLES",)) == language


def test_a_deleted_working_folder_is_one_diagnostic_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was a FileNotFoundError from wherever the working folder was asked for first."""
    check_working_folder()
    gone = tmp_path / "site"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    with pytest.raises(converter.MuscleError) as caught:
        check_working_folder()
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{gone}: error: the working folder no longer exists (it was deleted while this "
        "process was in it): cd to a folder that does [working-folder-gone]"]


@pytest.mark.parametrize("slug", ["con", "prn", "aux", "nul", "com1", "com0", "lpt9"])
def test_a_windows_device_s_name_is_said_to_name_no_file(slug: str) -> None:
    assert device_name(slug, f"{slug}.md") == (
        f"it names a device on Windows ({slug.upper()}): no file {slug}.md can be made "
        "there, so it is not written; give the muscle another slug")


@pytest.mark.parametrize("slug", ["console", "con-1", "com10", "lpt", "nula", "a-con"])
def test_other_slugs_name_files(slug: str) -> None:
    assert device_name(slug, f"{slug}.svg") is None

