"""Where a file's time goes: microseconds per file for each stage of reading one
Markdown file, in one process, with the cyclic GC paused as in a real run.

    python bench/stages.py CORPUS_DIR [--limit N]

The stages are those a worker runs for every file (stat and read, decode, split the front
matter, load the YAML (the line-by-line fast path, or libyaml's node tree), validate
into the model, locate the fields the corpus lints name, per-muscle lints, the corpus-lint
fingerprint, the JSON record, pickling result, muscles and records for the main
process) and what the main process unpickles for a JSON conversion (the result and the
records, not the muscles). Compare with ``yaml.load`` per file (the parse floor)
printed last.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import time
from pathlib import Path

import yaml

from converter import canonical, yamlsafe
from converter.authoring import muscle_from_front_matter
from converter.lint import check_muscle, fingerprint, located_fields
from converter.registry import ReadContext, read_at_most
from formats.markdown import decode, split

MAX_BYTES = ReadContext().max_bytes  # the default --max-bytes
STAGES = ("read", "decode", "split", "load", "validate", "locate", "lint",
          "fingerprint", "json", "pickle", "unpickle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=5000)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.corpus.rglob("*.md"))[:args.limit]
    spent = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter
    gc.disable()
    for path in files:
        t0 = clock()
        raw = read_at_most(path, os.stat(path).st_size, MAX_BYTES)  # as a worker reads
        t1 = clock()
        text = decode(raw, path)
        t2 = clock()
        front, body = split(text, path)
        t3 = clock()
        data, node = yamlsafe.load_with_nodes(front)
        t5 = clock()
        muscle = muscle_from_front_matter(data, path=path, slug_hint=Path(path).stem,
                                          body=body)
        t6 = clock()
        where = {f: yamlsafe.find(node, yamlsafe.steps(f)) for f in located_fields(muscle)}
        t7 = clock()
        check_muscle(muscle, path)
        t8 = clock()
        print_ = fingerprint(muscle, where)
        t9 = clock()
        record = canonical.dumps(muscle)
        t10 = clock()
        blobs = [pickle.dumps(part, pickle.HIGHEST_PROTOCOL)
                 for part in (([muscle.slug], [print_]), [muscle], [record])]
        t11 = clock()
        pickle.loads(blobs[0])
        pickle.loads(blobs[2])
        t12 = clock()
        for stage, took in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t5 - t3, t6 - t5, t7 - t6,
                                        t8 - t7, t9 - t8, t10 - t9,
                                        t11 - t10, t12 - t11), strict=True):
            spent[stage] += took
    per_file = {stage: spent[stage] / len(files) * 1e6 for stage in STAGES}
    for stage in STAGES:
        print(f"{stage:12} {per_file[stage]:7.0f} us")
    print(f"{'total':12} {sum(per_file.values()):7.0f} us per file, {len(files)} files")
    t0 = clock()
    for path in files:
        yaml.load(split(decode(Path(path).read_bytes(), path), path)[0],
                  Loader=yaml.CSafeLoader)
    print(f"{'parse floor':12} {(clock() - t0) / len(files) * 1e6:7.0f} us (read, split, "
          "yaml.load with CSafeLoader)")


if __name__ == "__main__":
    main()
