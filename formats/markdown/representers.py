"""The writer's ruamel.yaml representers: floats as YAML 1.1 readers read them, numbers
of ``extra`` as their source wrote them, subclasses of text and numbers as their base's
value."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from converter.model import (
    YAML_FLOAT,
    YAML_INT,
    ExactNumber,
    TaggedFloat,
    TaggedInt,
    WrittenFloat,
    WrittenInt,
    exact_text,
    in_decimal_reach,
)

from .styles import _AS_WRITTEN, _TAGGED_PLAIN, _AsWritten


@cache
def _representer() -> type:
    """ruamel's round-trip representer with this writer's representers. They go into a
    subclass of its own: ``add_representer`` is a classmethod, and one added to
    ``RoundTripRepresenter`` would change every ruamel dump of the process, a caller's
    own too (NaN written ``!!float 'nan.0'``); a subclass of ruamel's own tables
    (:mod:`converter.ruamelown`), not of ``RoundTripRepresenter``'s, which hold what a
    caller added (``str`` written otherwise)."""
    from converter.ruamelown import Representer as RuamelRepresenter

    class Representer(RuamelRepresenter):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return isinstance(data, Decimal) or bool(super().ignore_aliases(data))

    Representer.add_representer(float, _represent_float)
    Representer.add_representer(WrittenFloat, _represent_written)
    Representer.add_representer(ExactNumber, _represent_exact)
    Representer.add_multi_representer(Decimal, _represent_exact)  # (one given by hand)
    Representer.add_representer(WrittenInt, _represent_written_int)
    Representer.add_representer(TaggedInt, _represent_tagged)
    Representer.add_representer(TaggedFloat, _represent_tagged)
    Representer.add_representer(_AsWritten, lambda representer, value: (
        representer.represent_scalar("tag:yaml.org,2002:str", str(value),
                                     style=_AS_WRITTEN)))
    for base in _PLAIN_BASES:  # (a subclass not given a representer above: StrEnum)
        Representer.add_multi_representer(base, _represent_as_base)
    return Representer


#: The types whose subclasses (``enum.StrEnum``, ``enum.IntEnum``, a ``class S(str)``)
#: are written as their base's value, byte for byte, as every other writer writes them.
_PLAIN_BASES: tuple[type, ...] = (str, int, float)


def _represent_as_base(representer: Any, value: Any) -> Any:
    """``value``, of a subclass of a :data:`_PLAIN_BASES` type, as that type's value (its
    ``str``, ``int`` or ``float`` methods, not the subclass's: an enum's name is not its
    value)."""
    plain = (str.__str__(value) if isinstance(value, str) else
             int.__int__(value) if isinstance(value, int) else float.__float__(value))
    return representer.represent_data(plain)


def _represent_float_text(representer: Any, text: str) -> Any:
    """A float written ``text``: plain, and tagged when YAML reads it as a whole number
    untagged (``!!float 12``)."""
    style = _TAGGED_PLAIN if YAML_INT.match(text) else None
    return representer.represent_scalar("tag:yaml.org,2002:float", text, style=style)


def _represent_written(representer: Any, value: WrittenFloat) -> Any:
    """A float of ``extra`` as its source wrote it (``0.10`` stays ``0.10``, and
    ``!!float 12`` so), where YAML reads that as the float (not JSON's ``1E5``); one
    whose exponent is past a ``Decimal``'s, which no float holds (JSON's
    ``1e-99999999999999999999``, 0.0 as a float), as YAML writes that text
    (``1.0e-99999999999999999999``)."""
    if YAML_FLOAT.match(value.text) or YAML_INT.match(value.text):
        return _represent_float_text(representer, value.text)
    if in_decimal_reach(value.text) != value.text:
        mantissa, _, exponent = value.text.lower().partition("e")
        return _represent_float_text(representer, (
            f"{mantissa if '.' in mantissa else mantissa + '.0'}e"
            f"{exponent if exponent[:1] in '+-' else '+' + exponent}"))
    return _represent_float(representer, value)


def _represent_written_int(representer: Any, value: WrittenInt) -> Any:
    """A whole number of ``extra`` as its source wrote it (``+1`` stays ``+1``)."""
    return representer.represent_scalar("tag:yaml.org,2002:int", value.text)


def _represent_tagged(representer: Any, value: TaggedInt | TaggedFloat) -> Any:
    """A number of ``extra`` as its source wrote it after its tag (``!!int 0x1F``,
    ``!!float 1_000``), which YAML reads untagged as text."""
    tag = "int" if isinstance(value, TaggedInt) else "float"
    return representer.represent_scalar(f"tag:yaml.org,2002:{tag}", value.text,
                                        style=_TAGGED_PLAIN)


def _represent_exact(representer: Any, value: Decimal) -> Any:
    """A number no float holds, exactly (as written, when YAML reads that as it; a
    whole one but ``-0`` was a float, ``!!float 12345678901234567890``)."""
    text = exact_text(value, yaml=True)
    if text == "-0":
        return representer.represent_scalar("tag:yaml.org,2002:int", text)
    return _represent_float_text(representer, text)


def _represent_float(representer: Any, value: float) -> Any:
    """Floats as YAML 1.1 readers (PyYAML) recognise them: ``1e-09`` -> ``1.0e-09``."""
    text = repr(value)
    if "." not in text:
        text = text.replace("e", ".0e", 1) if "e" in text else text + ".0"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)
