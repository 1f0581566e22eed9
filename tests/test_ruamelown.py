"""ruamel.yaml's round-trip classes of the tool's own: the tables ruamel's modules define,
which no caller's registration reaches (one made before the first write too:
tests/test_yamlown.py's subprocess)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel import yaml as ruamel_yaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter, SafeRepresenter

from converter import ruamelown
from tests.conftest import ROOT

_LETTERS = ([(1, 2), (1, 1)], "tag:yaml.org,2002:int", re.compile("^[a-z ]+$"),
            list("abcdefghijklmnopqrstuvwxyz"))


def _dumped(data: object, own: bool) -> str:
    """``data`` as a round-trip instance writes it: with :mod:`converter.ruamelown`'s
    classes (``own``), else ruamel's."""
    y = YAML(typ="rt")
    if own:
        y.Representer, y.Resolver = ruamelown.Representer, ruamelown.Resolver
    stream = io.StringIO()
    y.dump(data, stream)
    return stream.getvalue()


def _loaded(text: str, own: bool) -> object:
    """``text`` as a round-trip instance reads it (``own``: as :func:`_dumped`)."""
    y = YAML(typ="rt")
    if own:
        y.Constructor, y.Resolver = ruamelown.Constructor, ruamelown.Resolver
    return y.load(text)


def test_the_tables_are_ruamel_s_own_functions_in_tables_of_their_own() -> None:
    """As ruamel's module defines them, its functions (not its copy's, whose errors would
    be other classes), in no table ruamel's classes share."""
    for mine, theirs, names in (
            (ruamelown.Representer, RoundTripRepresenter,
             ("yaml_representers", "yaml_multi_representers")),
            (ruamelown.Constructor, RoundTripConstructor,
             ("yaml_constructors", "yaml_multi_constructors"))):
        for name in names:
            assert getattr(mine, name) == getattr(theirs, name)
            assert getattr(mine, name) is not getattr(theirs, name)
    assert ruamelown.Representer.yaml_representers[str] is SafeRepresenter.represent_str
    assert ruamelown.Constructor.yaml_constructors["tag:yaml.org,2002:str"] \
        is RoundTripConstructor.construct_yaml_str
    assert ruamelown.Resolver.yaml_path_resolvers == {}
    assert not any(name.endswith("._own") for name in sys.modules)  # (run apart)


def test_a_function_not_ruamel_s_as_defined_is_its_copy_s() -> None:
    """One ruamel's module has not under its name, or has with other code (a method a
    caller replaced), stays the copy's."""
    def represent_str() -> None:
        """Named as SafeRepresenter's, but no method of it."""

    represent_str.__qualname__ = "SafeRepresenter.represent_str"
    assert ruamelown._ruamel_s(represent_str, ruamel_yaml.representer) is represent_str
    assert ruamelown._ruamel_s(len, ruamel_yaml.representer) is len
    assert ruamelown._ruamel_s(SafeRepresenter.represent_str, ruamel_yaml.representer) \
        is SafeRepresenter.represent_str


def test_a_registration_on_ruamel_s_classes_does_not_reach_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A str representer, a str constructor and an implicit type (lowercase letters a
    number) registered on ruamel's classes change what ruamel's write and read, not
    what these do."""
    monkeypatch.setitem(RoundTripRepresenter.yaml_representers, str, lambda r, v: (
        r.represent_scalar("tag:yaml.org,2002:str", v.upper())))
    monkeypatch.setitem(RoundTripConstructor.yaml_constructors, "tag:yaml.org,2002:str",
                        lambda c, n: "X")
    monkeypatch.setattr(ruamel_yaml.resolver, "implicit_resolvers",
                        [*ruamel_yaml.resolver.implicit_resolvers, _LETTERS])
    assert _dumped({"Soleus": "calf"}, own=False) == "SOLEUS: CALF\n"
    assert _dumped({"Soleus": "calf"}, own=True) == "Soleus: calf\n"
    assert _dumped({"a": "Calf"}, own=True) == "a: Calf\n"
    assert _loaded("Soleus: Calf\n", own=False) == {"X": "X"}
    assert _loaded("Soleus: Calf\nn: 1\n", own=True) == {"Soleus": "Calf", "n": 1}
    with pytest.raises(ValueError, match="invalid literal"):
        _loaded("soleus: 1\n", own=False)
    assert _loaded("soleus: calf\n", own=True) == {"soleus": "calf"}


def test_the_resolver_reads_yaml_1_2_and_1_1_as_ruamel_s_does() -> None:
    """yes is text to YAML 1.2, true to 1.1 (a document that says ``%YAML 1.1``); 0x1F a
    number to both."""
    def resolved(version: tuple[int, int] | None, word: str) -> str:
        tag = ruamelown.Resolver(version=version).resolve(ScalarNode, word, (True, False))
        return str(tag).rsplit(":", 1)[1]

    assert [resolved(None, word) for word in ("yes", "0x1F", "soleus", "1.5", "~")] \
        == ["str", "int", "str", "float", "null"]
    assert [resolved((1, 1), word) for word in ("yes", "0x1F", "soleus")] \
        == ["bool", "int", "str"]
    assert _loaded("%YAML 1.1\n---\na: yes\n", own=True) == {"a": True}



@pytest.mark.parametrize("text", [
    "a:\n- - \n# c\nb: 1\n", "a:\n- - x\n  - \n  # c\n- 1\n",
    "a:\n- - - \n# c1\n# c2\nb: 1\n", "a:\n- - k:\n# c\nb: 1\n",
    "a:\n- &x\n  - \n  # c\n- *x\n"],
    ids=["after-the-list", "before-the-next-item", "deeper", "a-map-item", "an-alias"])
def test_the_constructor_keeps_the_comment_lines_after_a_list_item_s_end(text: str) -> None:
    """The comment lines after a list (or map) that is a list's item and ends in an empty
    item, ``- -`` then ``# c``: ruamel's reader dropped them, so its writer wrote the
    file without them (fmt refused a file, or one it had written, for it); they are
    written back where they were, once for an item that is an alias of another."""
    y = YAML(typ="rt")
    y.Constructor, y.Resolver = ruamelown.Constructor, ruamelown.Resolver
    stream = io.StringIO()
    y.dump(y.load(text), stream)
    assert stream.getvalue() == text

#: A process in which ruamel's modules cannot be run again from their source (as in a
#: zip or a frozen program), then imports :mod:`converter.ruamelown` and writes.
_NO_SOURCE = """
import importlib.util, io, sys
from ruamel.yaml import YAML, constructor, representer, resolver
sys.path.insert(0, sys.argv[1])
{hide}
from converter import ruamelown
assert ruamelown.Representer.yaml_representers == \\
    representer.RoundTripRepresenter.yaml_representers
assert ruamelown.Representer.yaml_representers is not \\
    representer.RoundTripRepresenter.yaml_representers
assert ruamelown.Constructor.yaml_constructors is not \\
    constructor.RoundTripConstructor.yaml_constructors
y = YAML(typ="rt")
y.Representer, y.Constructor, y.Resolver = (ruamelown.Representer, ruamelown.Constructor,
                                            ruamelown.Resolver)
stream = io.StringIO()
y.dump(y.load("a: yes\\nb: 0x1F\\n"), stream)
print(stream.getvalue(), end="")
"""


@pytest.mark.parametrize("hide", [
    "for m in (constructor, representer, resolver): "
    "m.__file__ = sys.argv[1] + '/no-such-folder.zip/' + m.__name__ + '.py'",
    "importlib.util.spec_from_file_location = lambda *args, **kwds: None",
    "for m in (constructor, representer, resolver): m.__file__ = None"])
def test_a_ruamel_whose_source_cannot_be_run_again_is_copied(tmp_path: Path,
                                                             hide: str) -> None:
    """ruamel in a zip, or a frozen program's bytecode alone, has no source to run
    again: importing converter.ruamelown raised, and every Markdown write and fmt failed.
    Its tables are copies of ruamel's classes' then."""
    done = subprocess.run([sys.executable, "-c", _NO_SOURCE.format(hide=hide), str(ROOT)],
                          capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (done.stderr, done.stdout) == ("", "a: yes\nb: 0x1F\n")
