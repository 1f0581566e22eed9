"""Baseline "parse floor": split the front matter and load it with PyYAML's C safe
loader, one process, no output. Usage: parse_floor.py CORPUS_DIR"""

import pathlib
import sys

import yaml

for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    _, front, _body = path.read_text(encoding="utf-8").split("---\n", 2)
    yaml.load(front, Loader=yaml.CSafeLoader)
