"""Slugs: the stable identity of a muscle, derived from its file name or ``slug`` key."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .languages import is_text_language
from .model import is_language_code

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    from .diagnostics import WorkingFolderGone

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: Slugs name output files (``<slug>.svg``, ``<slug>.md``, ...); ASCII, so this many
#: characters leave room for any ending within a file system's 255-byte names.
MAX_SLUG_LENGTH = 200

#: Latin letters that are not a letter with a mark, spelled in ASCII as their languages
#: do (``Lægmusklen`` -> ``laegmusklen``, ``Þórr`` -> ``thorr``), in both cases; and the
#: raised abbreviation us, ``ꝰ``, which NFKD would make the letter con it is drawn from.
_SPELLED = {"æ": "ae", "Æ": "ae", "ø": "oe", "Ø": "oe", "å": "aa", "Å": "aa", "œ": "oe",
            "Œ": "oe", "ß": "ss", "ẞ": "ss", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
            "ŋ": "ng", "Ŋ": "ng", "ĸ": "q", "\N{LATIN SMALL LETTER DOTLESS I}": "i",
            "\N{MODIFIER LETTER US}": "us"}
#: Latin Extended-B's letters that are no letter with a mark, as the languages that
#: write them spell them in ASCII, in both cases (the small letters of many are in IPA
#: Extensions: ``Ə``, ``ə``): schwa and open e (Azerbaijani, Pan-Nigerian, Akan) e, open o
#: o, gamma and gha (Berber, Ewe; Jaŋalif's Ƣ, whose Unicode name OI misreads it) gh,
#: Gothic hwair hw, esh sh, ezh z, wynn w, yogh y (the sound it has at a word's start,
#: where modern English spells it y, ``ȝe``, ``ȝeer`` -> ye, year; inside a word it
#: became gh, ``niȝt`` -> night, which one spelling cannot follow, and y keeps Middle
#: English names readable), and the digraphs as their letters. Letters with no usual
#: spelling are left out and dropped: tone letters, clicks, glottal stops and phonetic
#: symbols (``ƛ``, turned delta, ``Ɯ``, ``Ʌ``, ``Ƹ``).
_SPELLED_BOTH_CASES = {"ə": "e", "ǝ": "e", "ɛ": "e", "ɔ": "o", "\N{LATIN SMALL LETTER GAMMA}": "gh",
                       "ƣ": "gh", "ƕ": "hw", "\N{LATIN SMALL LETTER IOTA}": "i", "ʀ": "r",
                       "ʃ": "sh", "ʊ": "u", "ʉ": "u", "ʒ": "z", "ƺ": "z", "ƿ": "w", "ȝ": "y",
                       "\N{LATIN SMALL LETTER OU}": "ou", "ȷ": "j", "ȸ": "db", "ȹ": "qp"}
#: IPA Extensions' letters that are no letter with a mark, in both cases (their capitals
#: are in Latin Extended-B, -C and -D: ``Ɑ``, ``Ɪ``). A form of a letter that stands for
#: a sound of that letter is spelled as it: alpha and turned a a, the reversed, closed
#: and hooked e e (as schwa and open e), closed omega u (an old form of upsilon), phi f
#: (the sound Ewe writes ``ƒ``), script g, the small capitals and the turned r r; turned
#: alpha o, the English vowel of *lot* it stands for; turned w wh, the English spelling of
#: its sound. A digraph is spelled as its two letters written apart are, so that ``ʧ``
#: and ``tʃ`` (the same sound, written either way) give one slug: tesh tsh, not an
#: English ch, which would give ``tʃ`` another; dezh and lezh dz and lz (ezh is z).
#: Left out and dropped: a turned letter whose sound is another letter's (turned m, h,
#: v and y, ram's horn), clicks, glottal stops, pharyngeals, percussives, heng and the
#: sinological vowels.
_IPA_SPELLED = {"ɐ": "a", "\N{LATIN SMALL LETTER ALPHA}": "a",
                "\N{LATIN SMALL LETTER TURNED ALPHA}": "o", "ɘ": "e", "ɚ": "e", "ɜ": "e",
                "ɝ": "e", "ɞ": "e", "ʚ": "e", "ɟ": "j", "ʄ": "j",
                "\N{LATIN SMALL LETTER SCRIPT G}": "g", "ɢ": "g", "ʛ": "g", "ʜ": "h",
                "\N{LATIN LETTER SMALL CAPITAL I}": "i", "ʟ": "l", "ɴ": "n", "ʙ": "b",
                "\N{LATIN LETTER SMALL CAPITAL Y}": "y", "ɶ": "oe",
                "\N{LATIN SMALL LETTER CLOSED OMEGA}": "u", "\N{LATIN SMALL LETTER PHI}": "f",
                "ɹ": "r", "ɺ": "r", "ɻ": "r", "ʁ": "r", "ʆ": "sh", "ʓ": "z", "ʍ": "wh",
                "ʣ": "dz", "ʤ": "dz", "ʥ": "dz", "ʦ": "ts", "ʧ": "tsh", "ʨ": "tc",
                "ʩ": "fng", "ʪ": "ls", "ʫ": "lz", "ɮ": "lz"}
#: Latin Extended-C's phonetic letters that are no letter with a mark, as their IPA
#: Extensions kin: tailless phi f, turned r with tail r, small capital turned e e (as
#: turned e). Left out and dropped: the Claudian half h, a sound between i and u.
_EXTENDED_C_SPELLED = {"\N{LATIN SMALL LETTER TAILLESS PHI}": "f", "ⱹ": "r", "ⱻ": "e"}
#: Latin Extended-D's letters that are no letter with a mark, in both cases. A form of a
#: letter is spelled as it: small capitals, the insular, Visigothic, Middle Scots,
#: sigmoid, anglicana and epigraphic forms, broken l, r rotunda, closed insular g, vend
#: (Old Norse's w, which it normalises as v) v; Latin beta b, omega o and chi kh (gamma
#: being gh); ligatures and digraphs as their letters (``ꜳ`` aa, ``ꝏ`` oo, Volapük's
#: ``ꞛ`` ae as ``ä`` is), abbreviations as what they stand for (``ꝝ`` rum, ``ꝫ`` et,
#: ``ꝯ`` con, thorn with a stroke th); Egyptological alef and ain a, as Egyptologists
#: read both; the Mayan cuatrillo k, cuatrillo with comma tz and tresillo q, as Mayan
#: alphabets now write those sounds (k', tz', q'); the glottal a, i and u their vowel;
#: turned insular g ng, the sound Pryce's Cornish grammar wrote it for. Left out and
#: dropped: tone letters, saltillo (a glottal stop), heng, reversed c with dot, the
#: reversed half h, the sinological dot, and turned h, k and t and small capital turned
#: m as their IPA kin.
_EXTENDED_D_SPELLED = {
    "ꜣ": "a", "ꜥ": "a", "ꜩ": "tz", "ꜫ": "q", "ꜭ": "k", "ꜯ": "tz", "ꜰ": "f",
    "\N{LATIN LETTER SMALL CAPITAL S}": "s", "ꜳ": "aa", "ꜵ": "ao", "ꜷ": "au", "ꜹ": "av",
    "ꜻ": "av", "ꜽ": "ay", "ꝇ": "l", "ꝏ": "oo", "ꝛ": "r", "ꝝ": "rum", "ꝡ": "vy",
    "ꝣ": "z", "ꝥ": "th", "ꝧ": "th", "ꝩ": "v", "ꝫ": "et", "ꝭ": "is", "ꝯ": "con",
    "ꝱ": "dum", "ꝲ": "lum", "ꝳ": "mum", "ꝴ": "num", "ꝵ": "rum", "ꝶ": "rum", "ꝷ": "tum",
    "\N{LATIN SMALL LETTER UM}": "um", "ꝺ": "d", "ꝼ": "f",
    "\N{LATIN SMALL LETTER INSULAR G}": "g", "ꝿ": "ng", "ꞁ": "l", "ꞃ": "r", "ꞅ": "s",
    "ꞇ": "t", "ꞛ": "ae", "ꞝ": "oe", "\N{LATIN SMALL LETTER VOLAPUK UE}": "ue", "ꞯ": "q",
    "\N{LATIN SMALL LETTER CHI}": "kh", "\N{LATIN SMALL LETTER BETA}": "b",
    "\N{LATIN SMALL LETTER OMEGA}": "o", "ꞻ": "a", "ꞽ": "i", "ꞿ": "u", "ꟁ": "o",
    "ꟃ": "w", "ꟑ": "g", "ꟓ": "thth", "ꟕ": "ww", "ꟗ": "s", "ꟙ": "s", "ꟷ": "i",
    "ꟻ": "f", "ꟼ": "p", "ꟽ": "m", "ꟾ": "i", "ꟿ": "m"}
#: Phonetic Extensions' and their Supplement's letters that are no letter with a mark
#: (they have no case); the small capitals are spelled as their names say (``ᴀ`` a). A
#: form of a letter is spelled as it, as in IPA Extensions: small capital eth d (as eth
#: is), the turned, sideways, half and barred forms of a vowel (``ᴈ`` e, ``ᴒ`` o, ``ᴝ``
#: u), the letters with a stroke or hook whose names do not say they are one (iota and
#: upsilon with a stroke i and u; the schwa, open e and o, alpha, esh and ezh with a
#: retroflex or palatal hook as those letters), turned g g; ligatures and digraphs as
#: their letters (``ᴁ`` ae, ``ᵫ`` ue, th with strikethrough th); the modifier letters
#: that NFKD does not make a letter, barred b, reversed capital n and turned i, as their
#: letters (the others are spelled as the letter NFKD makes them: ``ᵃ`` a, ``ᶴ`` sh).
#: Left out and dropped: the Greek and Cyrillic small capitals and modifier letters (slugs
#: spell neither script), sideways turned m, the voiced laryngeal spirant and ain (a
#: pharyngeal, as ``ʕ``), and the modifier turned m, h and v, ain and theta as their
#: letters.
_PHONETIC_SPELLED = {
    "ᴁ": "ae", "ᴂ": "ae", "ᴃ": "b", "ᴆ": "d", "ᴈ": "e", "ᴉ": "i", "ᴎ": "n", "ᴐ": "o",
    "\N{LATIN SMALL LETTER SIDEWAYS O}": "o", "ᴒ": "o", "ᴓ": "o", "ᴔ": "oe", "ᴕ": "ou",
    "ᴖ": "o", "ᴗ": "o", "ᴙ": "r", "ᴚ": "r", "ᴝ": "u", "ᴞ": "u", "ᴣ": "z", "ᴯ": "b",
    "ᴻ": "n", "ᵎ": "i", "ᵫ": "ue", "ᵷ": "g", "ᵺ": "th", "ᵼ": "i", "ᵿ": "u", "ᶋ": "sh",
    "ᶐ": "a", "ᶓ": "e", "ᶔ": "e", "ᶕ": "e", "ᶗ": "o", "ᶘ": "sh", "ᶚ": "z"}
#: Latin Extended-E's letters that are no letter with a mark (they have no case; its chi
#: is Latin Extended-D's, with its capital). A form of a letter is spelled as it: barred
#: and inverted alpha a, blackletter, barred and stroked e and o e and o, lenis f f,
#: script g and script r g and r, the stirrup r, r without handle, turned r and r with
#: crossed tail r, baseline esh sh, chi with a ring or serif kh (as chi), eng with crossed
#: tail ng; ligatures and digraphs as their letters (``ꬱ``, a and reversed schwa, ae;
#: ``ꭀ`` oe, ``ꭃ`` oo, double r rr, ``ꭐ`` ui, ``ꭦ`` dz, ``ꭧ`` ts); Novgorodov's letters
#: for Sakha's four diphthongs as Sakha's Latin spelling writes them today: yat ia,
#: iotified e ie, uo and open oe uo. Left out and dropped: the Greek small capital omega,
#: and the modifier heng as heng.
_EXTENDED_E_SPELLED = {
    "ꬰ": "a", "ꬱ": "ae", "\N{LATIN SMALL LETTER BLACKLETTER E}": "e", "ꬳ": "e",
    "\N{LATIN SMALL LETTER LENIS F}": "f", "ꬶ": "g", "ꬼ": "ng",
    "\N{LATIN SMALL LETTER BLACKLETTER O}": "o", "ꬾ": "o", "ꬿ": "o", "ꭀ": "oe", "ꭁ": "oe",
    "ꭂ": "oe", "ꭃ": "oo", "ꭄ": "oo", "ꭅ": "r", "\N{LATIN SMALL LETTER R WITHOUT HANDLE}": "r",
    "\N{LATIN SMALL LETTER DOUBLE R}": "rr", "ꭉ": "r", "ꭊ": "rr", "ꭋ": "r", "ꭌ": "r",
    "ꭍ": "sh", "ꭏ": "u", "ꭐ": "ui", "ꭑ": "ui", "ꭔ": "kh", "ꭕ": "kh", "ꭠ": "ia", "ꭡ": "ie",
    "ꭢ": "uo", "ꭣ": "uo", "ꭤ": "a", "ꭦ": "dz", "ꭧ": "ts", "ꭨ": "r"}
#: Latin Extended-F's modifier letter that NFKD does not make a letter, small capital aa,
#: as its letters; the block's other letters are spelled as the letter NFKD makes them
#: (``𐞄`` small capital b b, ``𐞮`` tesh tsh). Left out and dropped: the length marks,
#: and the modifier ram's horn, heng with hook, turned y, glottal stops and clicks as
#: their letters.
_EXTENDED_F_SPELLED = {"\N{MODIFIER LETTER SMALL CAPITAL AA}": "aa"}
#: Latin Extended-G's letters that are no letter with a mark (they have no case), as their
#: IPA Extensions kin: reversed script g and small capital turned g g (as script and
#: turned g), reversed k k, reversed eng and eng with palatal hook ng, turned r with long
#: leg or palatal hook r, esh with double bar sh, ezh with palatal hook z, the digraphs
#: with a hook as their letters (feng with trill fng, lezh lz, dezh dz, tesh tsh). Left
#: out and dropped: turned y with belt, small capital turned k, turned t with curl and
#: stretched c with curl (clicks, as their IPA kin), the retroflex click and the inverted
#: glottal stop with curl.
_EXTENDED_G_SPELLED = {
    "\N{LATIN SMALL LETTER FENG DIGRAPH WITH TRILL}": "fng",
    "\N{LATIN SMALL LETTER REVERSED SCRIPT G}": "g",
    "\N{LATIN LETTER SMALL CAPITAL TURNED G}": "g", "\N{LATIN SMALL LETTER REVERSED K}": "k",
    "\N{LATIN SMALL LETTER LEZH WITH RETROFLEX HOOK}": "lz",
    "\N{LATIN SMALL LETTER REVERSED ENG}": "ng",
    "\N{LATIN SMALL LETTER TURNED R WITH LONG LEG AND RETROFLEX HOOK}": "r",
    "\N{LATIN SMALL LETTER ESH WITH DOUBLE BAR}": "sh",
    "\N{LATIN SMALL LETTER ESH WITH DOUBLE BAR AND CURL}": "sh",
    "\N{LATIN SMALL LETTER DEZH DIGRAPH WITH PALATAL HOOK}": "dz",
    "\N{LATIN SMALL LETTER ENG WITH PALATAL HOOK}": "ng",
    "\N{LATIN SMALL LETTER TURNED R WITH PALATAL HOOK}": "r",
    "\N{LATIN SMALL LETTER TESH DIGRAPH WITH PALATAL HOOK}": "tsh",
    "\N{LATIN SMALL LETTER EZH WITH PALATAL HOOK}": "z",
    "\N{LATIN SMALL LETTER DEZH DIGRAPH WITH RETROFLEX HOOK}": "dz",
    "\N{LATIN SMALL LETTER TESH DIGRAPH WITH RETROFLEX HOOK}": "tsh"}
#: The tables of letters spelled the same in either case, block by block.
_BOTH_CASES = (_SPELLED_BOTH_CASES, _IPA_SPELLED, _EXTENDED_C_SPELLED, _EXTENDED_D_SPELLED,
               _PHONETIC_SPELLED, _EXTENDED_E_SPELLED, _EXTENDED_F_SPELLED,
               _EXTENDED_G_SPELLED)
#: ``LATIN CAPITAL LETTER H WITH STROKE`` and the like, which NFKD leaves whole, and the
#: small capitals, ``LATIN LETTER SMALL CAPITAL A`` (with a mark or not).
_FORMS_OF_A_LETTER = (re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH "),
                      re.compile(r"LATIN (?:LETTER SMALL CAPITAL|SMALL CAPITAL LETTER) "
                                 r"([A-Z])(?: WITH |\Z)"))
#: The Latin blocks: Latin-1 Supplement to IPA Extensions (the small letters of some of
#: Latin Extended-B's capitals), Phonetic Extensions and their Supplement, Latin Extended
#: Additional, -C, -D, -E, -F and -G (whose letters with a mid-height left hook, new in
#: Unicode 15, are spelled by their names once Python's Unicode knows them).
_LATIN = (range(0xC0, 0x2B0), range(0x1D00, 0x1DC0), range(0x1E00, 0x1F00),
          range(0x2C60, 0x2C80), range(0xA720, 0xA800), range(0xAB30, 0xAB70),
          range(0x10780, 0x107C0), range(0x1DF00, 0x1E000))


@functools.cache
def _in_ascii() -> dict[int, str]:
    """The letters slugs spell in ASCII: :data:`_SPELLED`, the tables of
    :data:`_BOTH_CASES` and every Latin letter with a stroke, bar or hook that has no
    decomposition (``ł``, ``Ħ``) and every small capital (``ᴀ``) as its letter, in both
    cases; a letter NFKD decomposes is left to it (``Ǿ``: ``Ø`` and an accent). Made at
    the first name that is not a slug already (some 1,600 names looked up)."""
    table = {ord(c): ascii_ for c, ascii_ in _SPELLED.items()}
    for spelled in _BOTH_CASES:
        for letter, ascii_ in spelled.items():
            _spell(table, letter, ascii_)
    for block in _LATIN:
        for code in block:
            letter = _letter_named(unicodedata.name(chr(code), ""))
            if letter:
                _spell(table, chr(code), letter)
    return table


#: The slug a muscle whose own slug is bad is checked with by the readers, to find its
#: other problems in the same run (no lint looks at a slug).
STAND_IN_SLUG = "muscle"


def _letter_named(name: str) -> str:
    """The ASCII letter a Unicode ``name`` says a letter is a form of (``h`` for ``LATIN
    SMALL LETTER H WITH STROKE``, ``a`` for ``LATIN LETTER SMALL CAPITAL A``), else ``""``."""
    for pattern in _FORMS_OF_A_LETTER:
        found = pattern.match(name)
        if found:
            return found[1].lower()
    return ""


def _spell(table: dict[int, str], letter: str, ascii_: str) -> None:
    """Spell ``letter`` and its other case as ``ascii_`` in ``table``, each unless it has
    a decomposition or is spelled already."""
    for form in {letter, letter.lower(), letter.upper()}:
        if (len(form) == 1 and ord(form) > 0x7F and ord(form) not in table
                and not unicodedata.decomposition(form)):
            table[ord(form)] = ascii_


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens: ``Navn med mellemrum`` ->
    ``navn-med-mellemrum``, ``Lægmusklen`` -> ``laegmusklen``."""
    if SLUG_PATTERN.match(text):
        return text
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).translate(_in_ascii()))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_in_ascii()).lower()
    return _NOT_SLUG.sub("-", text).strip("-")


def stem_text(path: str | Path) -> str:
    """A file name's stem as text, its bytes read as UTF-8 whatever the locale: Python
    decodes names with the locale's encoding, so under a C or Latin-1 locale
    ``Æble.md`` would be escapes or mojibake and its slug lose letters."""
    return os.fsencode(Path(path).stem).decode("utf-8", "surrogateescape")


#: The stem of a page bundle's page (Hugo's leaf bundle ``soleus/index.md``, with its
#: images beside it): its folder names it.
BUNDLE_PAGE = "index"


def slug_hint(path: str | Path, endings: tuple[str, ...]) -> str:
    """What the slug of the file at ``path`` comes from, unless it has a ``slug`` key:
    its stem (:func:`stem_text`), or for a page bundle's page (:func:`bundle_language`,
    such as ``soleus/index.md`` or its translation ``soleus/index.da.md``) the name of
    its folder with the page's language, as a leaf page's stem has it (``soleus``,
    ``soleus.da``), the folder found from the working folder when ``path`` names none
    (``index.md`` in ``soleus``). A name whose part before the language gives no slug
    is that part alone: ``σόλεος/index.da.md`` and ``σόλεος.da.md`` (:func:`name_language`)
    are as ``bad-slug`` as ``σόλεος/index.md`` and ``σόλεος.md``, not the slug ``da``
    of their language."""
    name = os.fsencode(Path(path).name).decode("utf-8", "surrogateescape")
    language = bundle_language(name, endings)
    if language is not None:
        whole = as_opened(path)
        folder = os.fsencode(os.path.basename(os.path.dirname(whole))).decode(
            "utf-8", "surrogateescape")
        if folder:  # (not the root of the file system)
            return FolderName(folder + language if slugify(folder) else folder)
    stem = stem_text(path)
    before, _, language = stem.rpartition(".")
    if before and is_language_code(language) and not slugify(before):
        return before  # (``σόλεος.da.md``: as ``bad-slug`` as ``σόλεος.md``)
    return stem


def as_opened(path: str | os.PathLike[str], paths: ModuleType = os.path) -> str:
    """``path`` made absolute from the :func:`working_folder` and rid of ``.`` and ``..``
    as opening it does: a ``..`` after a symlinked folder goes up from where the link
    points (``img/../index.md``, ``img`` a link to ``shared/gallery``, is
    ``shared/index.md``), after any other name it drops that name; the names kept are as
    given (a symlinked folder not left by ``..`` keeps its link's name). A path with no
    ``..`` (every path a search finds below a folder named without one) is only joined.
    ``paths`` is the system's path library (``ntpath`` on Windows, where ``/`` parts
    names too: see :func:`path_names`)."""
    whole = paths.join(working_folder(), os.fspath(path))
    anchor, names = path_names(whole, paths)
    if paths.pardir not in whole or paths.pardir not in names:
        return paths.normpath(whole)
    kept = anchor
    for name in names:
        if name == paths.pardir:
            kept = paths.dirname(paths.realpath(kept) if paths.islink(kept) else kept)
        elif name not in ("", paths.curdir):
            kept = paths.join(kept, name)
    return kept


def path_names(path: str, paths: ModuleType = os.path) -> tuple[str, list[str]]:
    """``path``'s anchor (its drive and root: ``/``, ``C:\\``, ``\\\\server\\share\\``;
    empty for a relative path) and the names after it, parted at each separator the path
    library ``paths`` knows (its ``sep`` and ``altsep``: on Windows ``\\`` and ``/``)."""
    drive, rest = paths.splitdrive(path)
    if paths.altsep:
        rest = rest.replace(paths.altsep, paths.sep)
    names = rest.split(paths.sep)
    if rest.startswith(paths.sep):
        return drive + paths.sep, names[1:]
    return drive, names


def gone_up(sources: Iterable[str | os.PathLike[str]],
            paths: ModuleType = os.path) -> tuple[str, ...]:
    """:func:`as_opened` of each of ``sources`` that goes up (``..``): what the slugs of
    page bundles found from it depend on besides the paths as given and the working
    folder (where a link left by ``..`` points), for a cache's key. ``paths`` is the
    system's path library, as :func:`as_opened` takes it."""
    return tuple(as_opened(source, paths) for source in sources
                 if paths.pardir in path_names(os.fspath(source), paths)[1])


def bundle_language(name: str, endings: tuple[str, ...]) -> str | None:
    """For a page bundle's page, a file named ``index`` and one of ``endings`` in any
    case (``index.md``), or Hugo's translation of it, ``index.LANG`` and the ending
    (``index.da.md``), what its name adds to its folder's: nothing, or ``.`` and the
    language (``.da``, as in a leaf page's ``soleus.da.md``); None for any other name."""
    if name[:len(BUNDLE_PAGE)] != BUNDLE_PAGE:
        return None
    language, _, ending = name[len(BUNDLE_PAGE):].rpartition(".")
    if f".{ending}".lower() not in (known.lower() for known in endings):
        return None
    if not language:
        return ""
    return language if language[0] == "." and is_language_code(language[1:]) else None


def name_language(path: str | Path, endings: tuple[str, ...]) -> str | None:
    """The language a file's name gives the texts of the page it holds, as a translation
    is named by its language before the ending (``da`` of ``soleus.da.md``, ``pt-br`` of
    ``soleus/index.pt-br.md``, ``da`` of a section's ``_index.da.md``): the last part of
    its stem (:func:`stem_text`) after a ``.``, when a name comes before it and it is a
    language code by the slug's rule (``soleus-da``) that names a real language
    (:func:`converter.languages.is_text_language`: ISO 639-1 and BCP 47 subtags); None
    for a name that gives none (``soleus.md``, ``index.md``, ``.da.md``, and
    ``soleus.old.md`` or ``m.bak.md``, whose slugs are ``soleus-old`` and ``m-bak``)."""
    if os.path.basename(os.fspath(path)).count(".") < 2:  # (no NAME.LANG.ending: most
        return None                                      # files, read once each)
    name = os.fsencode(Path(path).name).decode("utf-8", "surrogateescape")
    bundled = bundle_language(name, endings)
    if bundled is not None:
        language = bundled[1:]
    else:
        before, _, language = stem_text(path).rpartition(".")
        if not (before and is_language_code(language)):
            return None
    return language if language and is_text_language(language) else None


class FolderName(str):
    """A :func:`slug_hint` that is a page bundle's folder's name, not its file's (what
    a diagnostic of a slug that cannot be made of it says to rename)."""

    __slots__ = ()


def named_slug(hint: str, slug: str) -> str:
    """What a diagnostic about ``slug``, made of the :func:`slug_hint` ``hint`` (no
    ``slug`` key gave it), says it is: ``the file name gives the slug 'map'``, or ``the
    folder name`` for a page bundle's page."""
    made_of = "folder" if isinstance(hint, FolderName) else "file"
    return f"the {made_of} name gives the slug {slug!r}"


def working_folder() -> str:
    """The working folder as the shell names it (``$PWD``: through a symlink, the link's
    name, as a path through it names it), else as the system does."""
    logical = os.environ.get("PWD", "")
    try:
        if os.path.isabs(logical) and os.path.samefile(logical, os.curdir):
            return logical
    except OSError:
        pass
    return os.getcwd()


def check_working_folder() -> None:
    """A ``working-folder-gone`` :class:`~converter.diagnostics.WorkingFolderGone` when
    the working folder no longer exists (deleted under this process, by anything): no
    path relative to it can be found, and an absolute one not made real."""
    gone = folder_gone()
    if gone is not None:
        raise gone


def folder_gone() -> WorkingFolderGone | None:
    """The ``working-folder-gone`` error when the working folder no longer exists, else
    None: what a run that met a system error (``OSError``) ends with when it is."""
    from .diagnostics import Diagnostic, WorkingFolderGone

    try:
        os.getcwd()
    except FileNotFoundError:
        return WorkingFolderGone(Diagnostic(
            _gone_folder(), None, None, "", "working-folder-gone", "the working folder no "
            "longer exists (it was deleted while this process was in it): cd to a folder "
            "that does"))
    return None


def check_relative(path: str | os.PathLike[str]) -> None:
    """:func:`check_working_folder` for a ``path`` relative to the working folder (an
    absolute one needs none): what went wrong with it may be the folder's, not its own."""
    if not os.path.isabs(path):
        check_working_folder()


def _gone_folder() -> str:
    """The name of a working folder that is gone: the system's (Linux's
    ``/proc/self/cwd``, less its `` (deleted)``), else the shell's (``$PWD``), else
    ``.``."""
    try:
        return os.readlink("/proc/self/cwd").removesuffix(" (deleted)")
    except OSError:
        logical = os.environ.get("PWD", "")
        return logical if os.path.isabs(logical) else os.curdir


def relative_below(path: str, folder: str) -> list[str] | None:
    """The parts of ``path`` (relative to the working folder, or absolute) below
    ``folder``, as the file system finds them: folders resolved (symlinks first, then
    ``..``, as opening the path does), its own name kept (a symlink named as itself);
    None when it is not below ``folder``. An absolute path needs no working folder (one
    deleted: ``working-folder-gone`` names it so)."""
    whole = path if os.path.isabs(path) else os.path.join(working_folder(), path)
    full = whole.rstrip(os.sep) or os.sep
    parent, name = os.path.split(full)
    real = (os.path.realpath(full) if name in ("", os.curdir, os.pardir)
            else os.path.join(os.path.realpath(parent), name))
    relative = os.path.relpath(real, os.path.realpath(folder))
    parts = relative.split(os.sep)
    return None if relative == os.curdir or parts[0] == os.pardir else parts


#: The names Windows keeps for its devices: no file or folder there is named so, with
#: or without an ending (``con.md``, ``com1.svg``), in any case.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                             *(f"lpt{n}" for n in range(10))})


def device_name(slug: str, file: str) -> str | None:
    """The ``reserved-name`` message of a writer that names the file ``file`` by the
    muscle's ``slug`` when the slug is a Windows device's name (:data:`WINDOWS_DEVICES`),
    which no file on Windows can have; else None."""
    if slug.lower() not in WINDOWS_DEVICES:
        return None
    return (f"it names a device on Windows ({slug.upper()}): no file {file} can be made "
            "there, so it is not written; give the muscle another slug")


def is_slug(text: str) -> bool:
    """True when ``text`` is already a normalized slug."""
    return bool(SLUG_PATTERN.match(text))


def not_a_slug(text: str) -> str:
    """The ``bad-slug`` message for a stored slug that is not one: formats that store
    slugs report it, never normalise it into another muscle's name."""
    return f"{text!r} is not a slug (lowercase letters, digits and single hyphens)"
