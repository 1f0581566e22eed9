"""Baseline for fmt --check: a one-process ruamel.yaml round-trip load of every file's
front matter. Usage: ruamel_load.py CORPUS_DIR"""

import pathlib
import sys

from ruamel.yaml import YAML

yaml = YAML(typ="rt")
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    _, front, _body = path.read_text(encoding="utf-8").split("---\n", 2)
    yaml.load(front)
