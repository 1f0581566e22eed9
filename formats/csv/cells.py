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
#: A month of :data:`_MONTHS`, then a digit: how a date such as "Jan 1" starts.
_MONTH_FIRST = re.compile(r"(?i:\s*" + _words(*_MONTHS.values()) + r"\.?[\s\-/.,]+\d)")
#: A day of :data:`_DAYS`, a digit after it (in any language: see :func:`_day_first`).
_DAY_FIRST = re.compile(r"(?i:(?=\D*\d)\s*(" + _words(*_DAYS.values()) + r")\.?,?)")
#: Currency signs and words a spreadsheet of these languages takes before a number (a
#: "." may follow a word: Danish "kr. 5"): $ en-US, € de/es/fr/it/nl/pt, £ en-GB,
#: kr da/sv/nb, R$ pt-BR.
_CURRENCIES = ("$", "€", "£", "kr", "r$")
#: A number's start: a digit (after spaces, "(" and signs, a currency of
#: :data:`_CURRENCIES`, spaces, "(" and signs again, "$ (5)" and "$ - 5" being money,
#: then a decimal mark, "." or "," as Danish and German spreadsheets write ",5").
_DIGIT_FIRST = re.compile(
    r"[\s(+\-]*(?i:(?:" + "|".join(map(re.escape, _CURRENCIES)) + r")\.?[\s(+\-]*)?[.,]?\d")
#: A truth value in English or in the language of a Danish, Norwegian, Swedish, German,
#: Dutch, French, Spanish, Italian or Portuguese spreadsheet (LibreOffice: " TRUE" and
#: "falsk" in Danish, "WAHR" in German), spaces around it or not.
_TRUTH = re.compile(
    r"(?i:\s*(?:true|false|sand|falsk|sann|usann|sant|falskt|wahr|falsch|waar|onwaar|vrai"
    r"|faux|verdadero|verdadeiro|falso|vero)\s*\Z)")
#: One part of what follows the start of a number or date: a run of digits, spaces and
#: marks of numbers, dates, times and money (``marks``); an exponent's "e" after a digit,
#: a space, ".", "," or "/", then spaces, a sign, spaces and a digit (LibreOffice reads
#: "1e5", "1 E5", "1E 5", "1 E + 5", "1.e5" and "1.5/E5" in English and "1,e5" in German
#: as numbers; the spaces are matched possessively, so a failed look is one pass over
#: them); ISO 8601's "T" after a digit ("2001-01-01T10:00"); "R$"; or a word (``word``:
#: letters, a "." or "-" between them, as "a.m" and "terça-feira").
_PART = re.compile(r"(?P<marks>[\d\s.,:/\-+()%'\u2019$€£]+)"
                   r"|(?<=[\d\s.,/])(?i:e)(?=\s*+[+\-]?\s*+\d)|(?<=\d)(?i:t)(?=\d)"
                   r"|(?i:r\$)|(?P<word>[^\W\d_]+(?:[.\-][^\W\d_]+)*)")
#: The marks a date after a day's name holds: digits, spaces and date separators.
_DATE_MARKS = re.compile(r"[\d\s./,:\-]+")


def _lower_words(*lists: str) -> frozenset[str]:
    return frozenset(w.lower() for ws in lists for w in ws.split())


#: The words a number, date, time or money may hold after its start: months, days,
#: :data:`_HALVES` and currencies ("5 kr.", "1 Jan Mon" a date in British English).
_NUMBER_WORDS = _lower_words(*_MONTHS.values(), *_DAYS.values(), _HALVES, "kr")
#: The words a date after a day's name may hold, by language: its months and
#: :data:`_HALVES` (LibreOffice reads a day and a month of one locale: "Do 1 März" is a
#: date in German, "Do 2 set" text in every locale).
_DATE_WORDS = {lang: _lower_words(months, _HALVES) for lang, months in _MONTHS.items()}
_DAY_LANGUAGES = {day: [lang for lang, days in _DAYS.items() if day in days.split()]
                  for day in _lower_words(*_DAYS.values())}


def _only_parts(text: str, at: int, words: frozenset[str],
                marks: re.Pattern[str] | None = None) -> bool:
    """Whether ``text`` from ``at`` on is nothing but :data:`_PART`'s parts, each word
    one of ``words`` and each run of marks all ``marks`` (any, if None): one walk."""
    while at < len(text):
        part = _PART.match(text, at)
        if part is None or (part["word"] is not None and part["word"].lower() not in words
                            ) or (marks and part["marks"] and not marks.fullmatch(part[0])):
            return False
        at = part.end()
    return True


def _day_first(text: str) -> bool:
    """Whether ``text`` is a day of :data:`_DAYS`, then digits, date separators and
    months of the day's language (one of them) and :data:`_HALVES` alone, a digit among
    them ("Mon Jan 1", "Mo 1.1.", "lun. 1 janv.", "ma 1-1" in Dutch, "Mon Jan 1 2001
    10:00 AM"; "Do 2-3 sets" and "Do 2 set", German's Thursday and Italian's September,
    are text to LibreOffice)."""
    day = _DAY_FIRST.match(text)
    return day is not None and any(
        _only_parts(text, day.end(), _DATE_WORDS[lang], _DATE_MARKS)
        for lang in _DAY_LANGUAGES[day[1].lower()])


def _number_like(text: str) -> bool:
    """Whether a spreadsheet may read ``text`` as a number, date, time, money or truth
    value: its start a number's (:data:`_DIGIT_FIRST`) or a month then a digit ("Jan 1",
    "March 2001", "ene 1" in Spanish), and the rest nothing but digits, marks of
    numbers, dates, times and money, months, days and :data:`_HALVES` ("1 1/2", "1e5",
    "5 %", "5 kr.", "1 Jan 2001 10:00 AM"); a day then a date (:func:`_day_first`); or a
    truth value (:data:`_TRUTH`). LibreOffice reads a text whole, so a word of any other
    kind after the number keeps it text ("3 sets of 10", "2-3 sets", "Mar 2 sets"), and
    each word is whole ("Septe 1", "Märzen 1"). Time in proportion to ``text``."""
    start = _DIGIT_FIRST.match(text) or _MONTH_FIRST.match(text)
    if start is not None:
        return _only_parts(text, start.end(), _NUMBER_WORDS)
    return _TRUTH.match(text) is not None or _day_first(text)


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
    if value == "" or value.startswith(INJECTION_STARTS) or _number_like(value):
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
