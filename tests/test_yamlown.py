"""PyYAML's loader and resolver of the tool's own: a caller's registrations on PyYAML's
classes do not reach what it reads or writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

import converter
from converter import yamlown, yamlsafe
from tests.conftest import ROOT, SAMPLES

#: Broken front matter whose advice reads a quoted text again (a key's, a text's over
#: lines) and words the Markdown writer quotes or not by what YAML 1.1 resolves.
TEXTS = ['title: "a\n  b": c\n', "title: 'Soleus': the calf'\n", "'Farmer's walk': 1\n",
         'x:\n  - "a\n    b" c # d\n']
WORDS = ["soleus", "yes", "=", "0x1F", "calf muscle"]

#: What the caller registers before using the API: each kind of PyYAML's registration,
#: on the loader this tool reads with and on the resolver every loader inherits.
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
"""


def _said(text: str) -> str:
    """The problem the loader says of ``text``."""
    try:
        yamlsafe.load(text)
    except yamlsafe.YamlProblem as problem:
        return problem.message
    return ""


def _outcome(out: Path) -> dict[str, object]:
    """What this process reads, writes and says: the samples read, written as Markdown
    into ``out``, the advice for :data:`TEXTS`, the quoting of :data:`WORDS`."""
    muscles = converter.read(SAMPLES)
    converter.write(muscles, out, "markdown")
    return {"read": [repr(m) for m in muscles],
            "written": {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())},
            "said": [_said(text) for text in TEXTS],
            "quoted": [yamlsafe.plain_misread(word) for word in WORDS]}


def test_a_caller_s_pyyaml_registrations_do_not_reach_what_is_read_or_written(
        tmp_path: Path) -> None:
    """A str constructor or an implicit resolver registered on CSafeLoader changed the
    advice for a quote closed early (its text read again with PyYAML's loader), and one
    on PyYAML's Resolver which words the Markdown writer quotes (soleus, resolved as a
    number, written "soleus")."""
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


def test_scalar_text_is_the_text_a_quoted_scalar_holds() -> None:
    assert yamlown.scalar_text("'a\n  b''s'") == "a b's"
    assert yamlown.scalar_text('"a\\tb\n\n  c"') == "a\tb\nc"
    assert yamlown.scalar_text("!x 'a'") == "a"  # (a tag: no constructor asked)
    assert yamlown.scalar_text("[a]") is None
    assert yamlown.scalar_text("'a") is None
