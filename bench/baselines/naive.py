"""Baseline "naive": python-frontmatter loads every file, all metadata and bodies are
dumped to one JSON file. No validation. Usage: naive.py CORPUS_DIR OUT.json"""

import json
import pathlib
import sys

import frontmatter

posts = []
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    post = frontmatter.load(path)
    posts.append({"path": str(path), "metadata": post.metadata, "content": post.content})
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump(posts, fh, ensure_ascii=False, default=str)
