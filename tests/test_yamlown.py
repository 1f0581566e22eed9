"""PyYAML's loader and resolver of the tool's own: a caller's registrations on PyYAML's
classes (and on ruamel.yaml's: :mod:`converter.ruamelown`) do not reach what it reads,
writes or formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import converter
from converter import yamlown, yamlsafe
from converter.diagnostics import MuscleError
from converter.registry import ReadContext, get_format
from tests.conftest import ROOT, SAMPLES

#: Broken front matter whose advice reads a quoted text again (a key's, a text's over
#: lines) and words the Markdown writer quotes or not by what YAML 1.1 resolves.
TEXTS = ['title: "a\n  b": c\n', "title: 'Soleus': the calf'\n", "'Farmer's walk': 1\n",
         'x:\n  - "a\n    b" c # d\n']
WORDS = ["soleus", "yes", "=", "0x1F", "calf muscle"]
#: Files with comments, which fmt rewrites (read with ruamel.yaml, round trip).
FORMATTED = ["---\n# c\ntitle: Soleus  # t\nx: soleus # y\nn1: 1.5 # n\n"
             "m: {a: [1, b]}  # m\n---\nbody\n",
             "---\ntitle: Soleus\nx: \"7\" # y\nd: '2020-01-01' # d\nlist:\n- a   # a\n"
             "- 31\n---\n",
             "---\ntitle: Soleus\nx: ! a # y\nf: !!float 1 # z\nz: !!int 0x1F # q\n---\n"]

#: What the caller registers before using the API: each kind of PyYAML's registration,
#: on the loader this tool reads with and on the resolver every loader inherits, and of
#: ruamel.yaml's, on the round-trip classes the Markdown writer and fmt use (ruamel
#: imported first).
_REGISTERED = """
import re, yaml
letters = list("abcdefghijklmnopqrstuvwxyz")
for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
    yaml.add_constructor("tag:yaml.org,2002:str", lambda l, n: "X", Loader=loader)
    yaml.add_constructor("!x", lambda l, n: "X", Loader=loader)
    yaml.add_implicit_resolver("tag:yaml.org,2002:int", re.compile("^[a-z ]+$"), letters,
                               Loader=loader)
    yaml.add_path_resolver("!x", [], str, Loader=loader)
yaml.resolver.Resolver.add_implicit_resolver("tag:yaml.org,2002:int",
                                             re.compile("^[a-z ]+$"), letters)
yaml.add_implicit_resolver("tag:yaml.org,2002:int", re.compile("^[a-z ]+$"), letters)

from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
RoundTripRepresenter.add_representer(
    str, lambda r, v: r.represent_scalar("tag:yaml.org,2002:str", v.upper()))
RoundTripRepresenter.add_representer(
    int, lambda r, v: r.represent_scalar("tag:yaml.org,2002:int", str(v + 1)))
VersionedResolver.add_implicit_resolver("tag:yaml.org,2002:int", re.compile("^[a-z ]+$"),
                                        letters)
VersionedResolver.add_path_resolver("!x", [], dict)
RoundTripConstructor.add_constructor("tag:yaml.org,2002:str", lambda c, n: "X")
"""


def _said(text: str) -> str:
    """The problem the loader says of ``text``."""
    try:
        yamlsafe.load(text)
    except yamlsafe.YamlProblem as problem:
        return problem.message
    return ""


def _formatted(text: str) -> object:
    """What fmt makes of the file ``text``: its layout, or what it says refusing it."""
    try:
        return get_format("markdown").reformat(text.encode(), "m.md", ReadContext())
    except MuscleError as refused:
        return [d.message for d in refused.diagnostics]


def _outcome(out: Path) -> dict[str, object]:
    """What this process reads, writes and says: the samples read, written as Markdown
    into ``out``, the advice for :data:`TEXTS`, the quoting of :data:`WORDS`, fmt's
    layout of :data:`FORMATTED`."""
    muscles = converter.read(SAMPLES)
    converter.write(muscles, out, "markdown")
    return {"read": [repr(m) for m in muscles],
            "written": {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())},
            "said": [_said(text) for text in TEXTS],
            "quoted": [yamlsafe.plain_misread(word) for word in WORDS],
            "formatted": [_formatted(text) for text in FORMATTED]}


def test_a_caller_s_yaml_registrations_do_not_reach_what_is_read_written_or_formatted(
        tmp_path: Path) -> None:
    """A str constructor or an implicit resolver registered on CSafeLoader changed the
    advice for a quote closed early (its text read again with PyYAML's loader), and one
    on PyYAML's Resolver which words the Markdown writer quotes (soleus, resolved as a
    number, written "soleus"). ruamel.yaml's, made before the first write: a str
    representer on RoundTripRepresenter changed every text written (TITLE: SOLEUS), an
    implicit resolver on VersionedResolver which texts it quotes, and fmt's read of the
    front matter (the key title resolved as a number: ValueError), as did a str
    constructor on RoundTripConstructor (every text X)."""
    script = _REGISTERED + (
        "import json, sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\n"
        "from tests.test_yamlown import _outcome\n"
        "print(json.dumps(_outcome(Path(sys.argv[2]))))\n")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path / "theirs")],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(done.stdout) == _outcome(tmp_path / "ours")


def test_the_resolver_s_types_are_pyyaml_s_own_in_tables_of_its_own() -> None:
    """YAML 1.1's implicit types as PyYAML defines them, in no table PyYAML's classes
    share, and no constructor or path resolver."""
    assert yamlown.Resolver.yaml_implicit_resolvers \
        == yaml.resolver.Resolver.yaml_implicit_resolvers
    assert yamlown.Resolver.yaml_implicit_resolvers \
        is not yaml.resolver.Resolver.yaml_implicit_resolvers
    assert yamlown.Loader.yaml_implicit_resolvers is yamlown.Resolver.yaml_implicit_resolvers
    assert (yamlown.Loader.yaml_constructors, yamlown.Loader.yaml_path_resolvers) == ({}, {})
    resolver = yamlown.Resolver()
    assert [resolver.resolve(yaml.ScalarNode, word, (True, False)).rsplit(":", 1)[1]
            for word in ("yes", "0x1F", "=", "soleus")] == ["bool", "int", "value", "str"]


#: A process in which PyYAML's resolver module cannot be run again from its source (as
#: in a zip or a frozen program), then imports :mod:`converter.yamlown` and reads.
_NO_SOURCE = """
import importlib.util, sys, yaml
sys.path.insert(0, sys.argv[1])
{hide}
from converter import yamlown
own = yamlown.Resolver.yaml_implicit_resolvers
theirs = yaml.resolver.Resolver.yaml_implicit_resolvers
assert own == theirs and own is not theirs
assert all(own[first] is not theirs[first] for first in own)
print(yamlown.scalar_text("'a''s'"), yamlown.Resolver().resolve(yaml.ScalarNode, "yes",
                                                                (True, False)))
"""


@pytest.mark.parametrize("hide", [
    "yaml.resolver.__file__ = sys.argv[1] + '/no-such-folder.zip/yaml/resolver.py'",
    "importlib.util.spec_from_file_location = lambda *args, **kwds: None",
    "yaml.resolver.__file__ = None"])
def test_a_pyyaml_whose_resolver_s_source_cannot_be_run_again_is_copied(
        tmp_path: Path, hide: str) -> None:
    """PyYAML in a zip, or a frozen program's bytecode alone, has no resolver source to
    run again: importing converter.yamlown raised, and every YAML read failed to import.
    Its tables are a copy of PyYAML's Resolver's then, lists and all."""
    done = subprocess.run([sys.executable, "-c", _NO_SOURCE.format(hide=hide), str(ROOT)],
                          capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (done.stderr, done.stdout) == ("", "a's tag:yaml.org,2002:bool\n")


def test_scalar_text_is_the_text_a_quoted_scalar_holds() -> None:
    assert yamlown.scalar_text("'a\n  b''s'") == "a b's"
    assert yamlown.scalar_text('"a\\tb\n\n  c"') == "a\tb\nc"
    assert yamlown.scalar_text("!x 'a'") == "a"  # (a tag: no constructor asked)
    assert yamlown.scalar_text("[a]") is None
    assert yamlown.scalar_text("'a") is None
