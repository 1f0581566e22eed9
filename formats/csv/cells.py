"""A cell's text: the package's ``\\N`` and formula prefix, the flat sheet's neutralised
cells and its list cells, one item a line."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: The package's missing-value marker (as in PostgreSQL's COPY).
NULL = "\\N"
#: Leading characters a spreadsheet may run as a formula, plus the marker itself.
INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
SAFE_PREFIX = "'"
#: The months' names and abbreviations, as LibreOffice's locales of these languages
#: write them (and abbreviations cut shorter: "fév", "aoû"). LibreOffice reads a month
#: as a whole word ("set 1" is a date in Italian, "sets 1", "Septe 1" and "Märzen 1" are
#: text in every locale). German has "Mrz" beside "Mär" and "Jän", "Jänner" (Austria's)
#: beside "Jan": LibreOffice reads both in every German locale, and "Sept" as English does.
_MONTHS = {
    "en": "jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
          "april june july august september october november december",
    "de": "jan jän feb mär mrz apr mai jun jul aug sep sept okt nov dez januar jänner "
          "februar märz april juni juli august september oktober november dezember",
    "fr": "jan janv fév févr mar avr mai juin juil aoû août sep sept oct nov déc janvier "
          "février mars avril juillet septembre octobre novembre décembre",
    "da": "jan feb mar apr maj jun jul aug sep okt nov dec januar februar marts april "
          "juni juli august september oktober november december",
    "sv": "jan feb mar apr maj jun jul aug sep okt nov dec januari februari mars april "
          "juni juli augusti september oktober november december",
    "nb": "jan feb mar apr mai jun jul aug sep okt nov des januar februar mars april juni "
          "juli august september oktober november desember",
    "nl": "jan feb maa mrt apr mei jun jul aug sep okt nov dec januari februari maart "
          "april juni juli augustus september oktober november december",
    "es": "ene feb mar abr may jun jul ago sep sept oct nov dic enero febrero marzo abril "
          "mayo junio julio agosto septiembre setiembre octubre noviembre diciembre",
    "it": "gen feb mar apr mag giu lug ago set ott nov dic gennaio febbraio marzo aprile "
          "maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "jan fev mar abr mai jun jul ago set out nov dez janeiro fevereiro março abril "
          "maio junho julho agosto setembro outubro novembro dezembro",
}
#: The days' names and abbreviations in these languages, as for :data:`_MONTHS`, whole
#: words too ("Donn 1.1." and "terça 2 set" are text, "terça-feira 2 set" a date in
#: Portuguese); Norwegian's are Danish's.
_DAYS = {
    "en": "sun mon tue tues wed thu thur thurs fri sat sunday monday tuesday wednesday "
          "thursday friday saturday",
    "de": "so mo di mi do fr sa sonntag montag dienstag mittwoch donnerstag freitag "
          "samstag sonnabend",
    "da": "søn man tir ons tor fre lør søndag mandag tirsdag onsdag torsdag fredag lørdag",
    "sv": "sön mån tis ons tor fre lör söndag måndag tisdag onsdag torsdag fredag lördag",
    "nl": "zo ma di wo do vr za zondag maandag dinsdag woensdag donderdag vrijdag zaterdag",
    "fr": "dim lun mar mer jeu ven sam dimanche lundi mardi mercredi jeudi vendredi samedi",
    "es": "dom lun mar mié jue vie sáb domingo lunes martes miércoles jueves viernes sábado",
    "it": "dom lun mar mer gio ven sab domenica lunedì martedì mercoledì giovedì venerdì "
          "sabato",
    "pt": "dom seg ter qua qui sex sáb domingo segunda-feira terça-feira quarta-feira "
          "quinta-feira sexta-feira sábado",
}
_DAYS["nb"] = _DAYS["da"]


def _words(*lists: str) -> str:
    """The words of ``lists`` as one pattern of whole words (no letter after one)."""
    words = sorted({w for ws in lists for w in ws.split()}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(map(re.escape, words)) + r")(?![^\W\d_])"


#: The marks of a time of day's half, before or after noon, that a spreadsheet reads
#: after it: LibreOffice's "AM"/"PM" (English, Danish, Dutch, French, Portuguese),
#: "a.m."/"p.m." (Italian, Norwegian), "fm"/"em" (Swedish), "vorm."/"nachm." (German);
#: and Excel's "a"/"p" ("10:00 p", as Excel's help says to type a time of the 12-hour
#: clock).
_HALVES = "am pm a.m p.m a p fm em vorm nachm"
_MONTH = _words(*_MONTHS.values())
#: A day of a language, then digits, date separators, that language's months and the
#: marks of :data:`_HALVES` alone, to the text's end (LibreOffice reads a day and a month
#: of one locale: "Do 1 März" is a date in German, "Do 2 set" text in every locale; and a
#: time after the date: "Mon Jan 1 2001 10:00 AM" in American English).
_DAY_DATE = "|".join(_words(_DAYS[lang]) + r"\.?,?(?:[\d\s./,:\-]|" + _words(months, _HALVES)
                     + ")+" for lang, months in _MONTHS.items())
#: Currency signs and words a spreadsheet of these languages takes before a number (a
#: "." may follow a word: Danish "kr. 5"): $ en-US, € de/es/fr/it/nl/pt, £ en-GB,
#: kr da/sv/nb, R$ pt-BR.
_CURRENCIES = ("$", "€", "£", "kr", "r$")
#: Texts a spreadsheet reads as a number, date, time or truth value: a digit first (after
#: spaces, "(" and signs, a currency of :data:`_CURRENCIES`, spaces, "(" and signs again,
#: "$ (5)" and "$ - 5" being money, then a decimal mark, "." or "," as Danish and German
#: spreadsheets write ",5"); a truth value in English or in the
#: language of a Danish, Norwegian, Swedish, German, Dutch, French, Spanish, Italian or
#: Portuguese spreadsheet (LibreOffice: " TRUE" and "falsk" in Danish, "WAHR" in German),
#: spaces around it or not; a month of :data:`_MONTHS`, then a digit ("Jan 1",
#: "March 2001", "Jan-2001", "ene 1" in Spanish, "mei 1" in Dutch are dates to LibreOffice);
#: or a day of :data:`_DAYS`, then digits, date separators, months of its language and
#: :data:`_HALVES` alone, a digit among them ("Mon Jan 1", "Mo 1.1.", "lun. 1 janv.",
#: "ma 1-1" in Dutch, "Mon Jan 1 2001 10:00 AM"). Each word is whole, so "Do 2-3 sets"
#: (German's Thursday, and "set", September in Italian, with an "s") is left as it is,
#: as LibreOffice leaves it.
_NUMBER_LIKE = re.compile(
    r"[\s(+\-]*(?i:(?:" + "|".join(map(re.escape, _CURRENCIES)) + r")\.?[\s(+\-]*)?[.,]?\d"
    r"|(?i:\s*(?:true|false|sand|falsk|sann|usann|sant|falskt|wahr|falsch|waar|onwaar|vrai"
    r"|faux|verdadero|verdadeiro|falso|vero)\s*\Z)"
    r"|(?i:\s*" + _MONTH + r"\.?[\s\-/.,]+\d)"
    r"|(?i:(?=\D*\d)\s*(?:" + _DAY_DATE + r")\Z)")
EMPTY_ITEM = "\\e"
_NULL_LIKE = re.compile(r"\\+N")
_ITEM_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r"}


def to_cell(value: str | None) -> str:
    """A package text cell: ``None`` -> ``\\N``; a text that looks like the marker gets
    one more leading backslash; a text a spreadsheet could run as a formula (or that
    starts with the prefix) gets a leading ``'``."""
    if value is None:
        return NULL
    if _NULL_LIKE.fullmatch(value):
        return "\\" + value
    return SAFE_PREFIX + value if value.startswith(INJECTION_STARTS) else value


def from_cell(cell: str) -> str | None:
    """Inverse of :func:`to_cell` for a cell whose ``'`` prefix is already removed
    (see :func:`_table`)."""
    if cell == NULL:
        return None
    return cell[1:] if _NULL_LIKE.fullmatch(cell) else cell


def neutralise(value: str | None) -> str:
    """A flat-sheet cell: ``None`` -> empty; the empty text, texts a spreadsheet could
    run as a formula (or that start with the marker) and texts it would take for a
    number, date or truth value (and write back changed: ``007`` as 7, a coords list as
    one large number) get a leading ``'``, which keeps them text there."""
    if value is None:
        return ""
    if value == "" or value.startswith(INJECTION_STARTS) or _NUMBER_LIKE.match(value):
        return SAFE_PREFIX + value
    return value


def restore(cell: str) -> str | None:
    """Inverse of :func:`neutralise`: strips exactly one leading ``'``."""
    if cell == "":
        return None
    return cell[1:] if cell.startswith(SAFE_PREFIX) else cell


def encode_items(items: Sequence[str | None]) -> str | None:
    """A list as one cell text, one item per line (``None`` items as empty lines);
    ``None`` when no item is present."""
    if all(item is None for item in items):
        return None
    return "\n".join("" if item is None else _escape(item) for item in items)


def decode_items(text: str | None) -> list[str | None]:
    """Inverse of :func:`encode_items` (unknown escapes are kept as written)."""
    if not text:
        return []
    return [None if line == "" else _unescape(line) for line in text.split("\n")]


def _escape(item: str) -> str:
    if item == "":
        return EMPTY_ITEM
    return item.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(line: str) -> str:
    if line == EMPTY_ITEM:
        return ""
    return _ITEM_ESCAPE.sub(lambda m: _UNESCAPES.get(m[1], m[0]), line)
