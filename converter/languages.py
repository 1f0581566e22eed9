"""Which language codes a file's name gives its texts: a real language, an ISO 639-1
code and its BCP 47 subtags (``da``, ``pt-br``, ``zh-hans``, ``sr-latn``), not any two
or three letters (``soleus.old.md``, ``m.bak.md``, ``gastro.fig.md`` hold no language).
Hugo likewise takes a name's unknown language for part of the name, the page in the
site's default language."""

from __future__ import annotations

import re

#: The 184 two-letter codes of ISO 639-1: each ``alpha_2`` of the ISO 639-2 list kept
#: by its Registration Authority (the Library of Congress,
#: https://www.loc.gov/standards/iso639-2/php/code_list.php), as Debian's iso-codes 4.15
#: holds it (``/usr/share/iso-codes/json/iso_639-2.json``).
_ISO_639_1 = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha
    he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn
    ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
    nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
    se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw
    ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"""
ISO_639_1 = frozenset(_ISO_639_1.split())

#: BCP 47's subtags after the language (RFC 5646, 2.1), in any case: up to three
#: extended languages (``zh-yue``), a script (``Hans``, ``latn``), a region (``BR``,
#: ``419``) and variants (``1901``, ``valencia``).
_SUBTAGS = re.compile(r"(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
                      r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*\Z", re.IGNORECASE)


def is_text_language(code: str) -> bool:
    """Whether ``code``, a language code by the slug's rule
    (:func:`converter.model.is_language_code`: ``da`` of ``soleus.da.md``), names a
    language a file's texts can be in: an ISO 639-1 code in lower case, then BCP 47
    subtags (``pt-br``, ``pt-BR``, ``zh-hans``); not ``old``, ``bak``, ``xx``, ``da-x``."""
    return code[:2] in ISO_639_1 and _SUBTAGS.match(code, 2) is not None
