"""`make bench`: muscle-convert against its baselines, in one run.

Corpora come from ../shared/bench/gen_corpus.py (seed 1, cached in bench/.corpus).
Every case runs ours and its baseline alternately, REPEAT times each, as separate
processes; the table gives median wall seconds and their ratio (what the targets are
set in), median CPU seconds (user and system, the process and the workers it waited
for) and their ratio, which say how much work a run is beside how long it takes, and
peak RSS (of the largest process, from wait4). On a shared machine both times drift
with the neighbours: compare two versions of the code by instruction counts
(callgrind), not by two benches. Results go to stdout and bench/RESULTS.md.

    python bench/run.py [--quick] [--repeat N] [--only TEXT]

It byte-compiles the project first (see :func:`compile_project`).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
CORPUS = HERE / ".corpus"
WORK = HERE / ".work"
CACHE = WORK / "cache"  # MUSCLE_CONVERT_CACHE_DIR of every run
BIN = Path(sys.executable).parent
PY = sys.executable


def corpus(count: int) -> Path:
    """The generated corpus of ``count`` files (made once, then reused)."""
    path = CORPUS / str(count)
    done = path / ".complete"
    if not done.exists():
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([PY, str(GEN), str(path), "--count", str(count), "--seed", "1"],
                       check=True)
        done.touch()
    return path


@dataclass
class Timing:
    seconds: float
    cpu_seconds: float
    rss_mb: float


def timed(cmd: list[str], before: list[str] | None = None) -> Timing:
    """Run ``cmd`` (after ``before``, untimed); wall and CPU seconds and peak RSS in MB.
    ``wait4`` reports the process with every child it waited for (pool workers)."""
    if before:  # (a warm-up conversion may exit 1 for invalid files: not checked)
        subprocess.run(before, capture_output=True)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def mc(*args: str) -> list[str]:
    return [str(BIN / "muscle-convert"), *args, "--quiet"]


def clean(*paths: Path) -> list[str]:
    return ["rm", "-rf", *map(str, paths)]


@dataclass
class Case:
    name: str
    ours: list[str]
    baseline: list[str]
    baseline_name: str
    target: float | None  # None: a reference row, no target
    ours_before: list[str] | None = None
    base_before: list[str] | None = None
    memory_target: float | None = None  # scaling rows: our RSS / baseline RSS


#: Puts an "x" before the file's first Danish text: one compared text changes.
RETEXT = ("import sys, pathlib; p = pathlib.Path(sys.argv[1]); "
          "p.write_text(p.read_text('utf-8').replace('\\n  da: ', '\\n  da: x', 1), 'utf-8')")


def shell(*commands: list[str]) -> list[str]:
    """One command line running ``commands`` in turn, whatever each exits with."""
    return ["sh", "-c", "; ".join(" ".join(map(shlex.quote, c)) for c in commands)]


def edit_copy(source: Path) -> Path:
    """A copy of a corpus whose first file the re-run cases edit."""
    path = WORK / f"edit-{source.name}"
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(source, path)
        (path / ".complete").touch()
    return path


def cases(quick: bool) -> list[Case]:
    c20 = corpus(20_000)
    out = WORK
    md2sql = str(BIN / "markdown-to-sqlite")
    naive = [PY, str(HERE / "baselines" / "naive.py"), str(c20), str(out / "naive.json")]
    cold = clean(CACHE)  # every first run starts with an empty cache

    def convert(source: Path, fmt: str, target: Path) -> list[str]:
        return mc("convert", str(source), "--to", fmt, "-o", str(target))

    json_run = convert(c20, "json", out / "m.json")
    sqlite_run = convert(c20, "sqlite", out / "m.db")
    found = [
        Case("convert --to json (20k)", json_run, naive, "naive", 0.5, cold),
        Case("validate (20k)", mc("validate", str(c20)), naive, "naive", 0.5, cold),
        Case("validate vs the parse floor (20k, reference)", mc("validate", str(c20)),
             [PY, str(HERE / "baselines" / "parse_floor.py"), str(c20)], "parse floor",
             None, cold),
        Case("convert --to sqlite, fresh db (20k)", sqlite_run,
             [md2sql, str(out / "base.db"), "muscles", *sorted(map(str, c20.glob("*.md")))],
             "markdown-to-sqlite", 0.1, clean(out / "m.db", CACHE), clean(out / "base.db")),
    ]
    for fmt, target_path in (("csv", out / "csv"), ("svg", out / "svg"),
                             ("html", out / "html"), ("anki", out / "m.apkg")):
        found.append(Case(f"convert --to {fmt} (20k)", convert(c20, fmt, target_path),
                          json_run, "our json", 2.0, cold, cold))
    # Re-runs: the untimed step before runs the conversion once (and edits one file);
    # the baseline is the same conversion as a first run.
    edited = edit_copy(c20)
    first_file = str(sorted(edited.glob("*.md"))[0])
    touch = ["sh", "-c", f"printf '\\n' >> {shlex.quote(first_file)}"]  # its body
    retext = [PY, "-c", RETEXT, first_file]  # a text the corpus lint compares
    for fmt, target, first_clean in (("json", out / "r.json", clean(CACHE)),
                                     ("sqlite", out / "r.db", clean(out / "r.db", CACHE))):
        again = convert(c20, fmt, target)
        found.append(Case(f"re-run, nothing changed: {fmt} (20k)", again, again,
                          "first run", 0.05, again, first_clean))
        changed = convert(edited, fmt, target)
        found.append(Case(f"re-run, one file changed: {fmt} (20k)", changed, changed,
                          "first run", 0.1, shell(changed, touch), first_clean))
        found.append(Case(f"re-run, one text changed: {fmt} (20k)", changed, changed,
                          "first run", 0.1, shell(changed, retext), first_clean))
    found.append(Case("fmt --check (20k)", mc("fmt", "--check", str(c20)),
                      [PY, str(HERE / "baselines" / "ruamel_load.py"), str(c20)],
                      "ruamel rt load", 0.6))
    found.append(Case("muscle-convert --help", [str(BIN / "muscle-convert"), "--help"],
                      [PY, "-c", "import click"], "import click", 1.5))
    if not quick:
        c10, c100 = corpus(10_000), corpus(100_000)
        for fmt in ("jsonl", "sqlite"):
            suffix = "jsonl" if fmt == "jsonl" else "db"
            big, small = out / f"big.{suffix}", out / f"small.{suffix}"
            found.append(Case(f"{fmt}: 100k vs 10k files", convert(c100, fmt, big),
                              convert(c10, fmt, small), "10k files", 11.0,
                              clean(big, CACHE), clean(small, CACHE), memory_target=1.3))
    return found


#: A case whose first run takes less than this many seconds (``--help``) is run
#: :data:`SHORT_REPEAT` times at least: three runs of 60 ms are at the mercy of one
#: slow start (a ratio of 1.3 measured as 1.8).
SHORT, SHORT_REPEAT = 1.0, 21


def _short(case: Case, first: Timing) -> bool:
    """Whether ``case`` is run :data:`SHORT_REPEAT` times: its first run was short, and
    it needs no step before each run (a re-run case's is a whole conversion)."""
    return first.seconds < SHORT and case.ours_before is None and case.base_before is None


def compile_project(root: Path = ROOT) -> None:
    """Byte-compile the project's own packages, as ``make compiled`` does: an editable
    install has no byte-code, and with ``PYTHONDONTWRITEBYTECODE`` set every process
    the bench starts would compile them again (and time that too)."""
    for package in ("converter", "formats"):
        if not compileall.compile_dir(root / package, quiet=1):
            sys.exit(f"bench: {root / package} does not compile")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10k/100k scaling cases")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", metavar="TEXT", help="run only the cases whose name has "
                        "TEXT (printed; bench/RESULTS.md is left as it is)")
    args = parser.parse_args()
    compile_project()
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["MUSCLE_CONVERT_CACHE_DIR"] = str(CACHE)
    rows = []
    for case in cases(args.quick):
        if args.only and args.only not in case.name:
            continue
        ours, base = [], []
        while len(ours) < (max(args.repeat, SHORT_REPEAT) if ours and _short(case, ours[0])
                           else args.repeat):
            ours.append(timed(case.ours, case.ours_before))
            base.append(timed(case.baseline, case.base_before))
        ours_s = statistics.median(t.seconds for t in ours)
        base_s = statistics.median(t.seconds for t in base)
        ours_cpu = statistics.median(t.cpu_seconds for t in ours)
        base_cpu = statistics.median(t.cpu_seconds for t in base)
        rss = max(t.rss_mb for t in ours)
        base_rss = max(t.rss_mb for t in base)
        ratio = ours_s / base_s
        met = case.target is None or ratio <= case.target
        target = "reference" if case.target is None else f"<= {case.target}"
        if case.memory_target is not None:
            met = met and rss / base_rss <= case.memory_target
            target += f", RSS <= {case.memory_target} (is {rss / base_rss:.2f})"
        row = (case.name, f"{ours_s:.3f}", f"{base_s:.3f} ({case.baseline_name})",
               f"{ratio:.3f}", target, "-" if case.target is None else "yes" if met else "NO",
               f"{ours_cpu:.3f} / {base_cpu:.3f}", f"{ours_cpu / base_cpu:.3f}",
               f"{rss:.0f} MB", f"{base_rss:.0f} MB")
        print(" | ".join(row), flush=True)
        rows.append(row)
    if args.only:
        return
    header = ("case", "ours s (median)", "baseline s (median)", "ratio", "target", "met",
              "CPU s, ours / baseline", "CPU ratio", "our peak RSS", "baseline peak RSS")
    lines = ["# Benchmark results", "",
             f"`make bench` on {os.cpu_count()} CPUs, {args.repeat} alternating runs each "
             f"({SHORT_REPEAT} for a case under {SHORT:g} s with no step before it), medians. "
             "Targets are set in wall time; CPU time (user and system, with the "
             "workers) is the work a run does. Scaling rows compare "
             "our 100k run (ours) with our 10k run (baseline); their RSS columns are the "
             "memory ratio's two sides.", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
