"""Benchmarks: how long the data layer and the briefing take on this machine.

    python benchmarks/run.py                 # everything (loads, fast build, plain chain)
    python benchmarks/run.py --only load     # just the tidy-table loads
    python benchmarks/run.py --runs 5

Measures, each as the median of several runs in fresh processes (so nothing is warm that a
user's first command would not have warm):

- load, first: ``data.transfers()`` with an empty cache (import, parse, tidy, write Parquet);
- load, cached: ``data.transfers()`` when the Parquet cache exists (process start excluded);
- build: ``briefing build`` for the default briefing (HTML and PDF), the project's fast path;
- plain chain: what a user would type without the project: ``papermill`` on each notebook,
  then ``jupyter nbconvert --to html --no-input`` on each, then ``weasyprint`` on each HTML.

Prints a table with the targets beside the medians. Results depend on the machine: this is a
measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ["01_the_deal", "02_context", "03_china_in_africa"]

LOAD_SNIPPET = """
import json, time
t0 = time.perf_counter()
from analysis import data
t1 = time.perf_counter()
t = data.transfers()
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "rows": len(t)}))
"""


def _py(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_load(runs: int) -> dict[str, float]:
    first, cached, imports = [], [], []
    for _ in range(runs):
        cache = tempfile.mkdtemp(prefix="bench-cache-")
        env = {**os.environ, "BRIEFING_CACHE_DIR": cache}
        a = _py(LOAD_SNIPPET, env)
        b = _py(LOAD_SNIPPET, env)
        first.append(a["import"] + a["load"])
        cached.append(b["load"])
        imports.append(b["import"])
        shutil.rmtree(cache, ignore_errors=True)
    return {"load_first_s": statistics.median(first), "load_cached_s": statistics.median(cached),
            "import_s": statistics.median(imports), "rows": a["rows"]}


def _timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, env=env or os.environ.copy(), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench_build(runs: int) -> float:
    times = []
    for _ in range(runs):
        out = tempfile.mkdtemp(prefix="bench-build-")
        times.append(_timed([str(BIN / "briefing"), "build", "--out", out, "--quiet"]))
        shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times)


def bench_plain(runs: int) -> float:
    times = []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="bench-plain-"))
        t0 = time.perf_counter()
        for nb in NOTEBOOKS:
            _timed([str(BIN / "papermill"), f"{nb}.ipynb", str(work / f"{nb}.ipynb"), "-p", "outputs", str(work),
                    "--log-level", "ERROR"], cwd=ROOT / "notebooks")
        for nb in NOTEBOOKS:
            _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(work / f"{nb}.ipynb")])
        for nb in NOTEBOOKS:
            _timed([str(BIN / "weasyprint"), str(work / f"{nb}.html"), str(work / f"{nb}.pdf")])
        times.append(time.perf_counter() - t0)
        shutil.rmtree(work, ignore_errors=True)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["load", "build"], help="run only one group")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    if args.only in (None, "load"):
        r = bench_load(args.runs)
        rows += [(f"load transfers, first ({r['rows']:,} rows)", f"{r['load_first_s']:.2f} s", "< 3 s"),
                 ("load transfers, cached (Parquet)", f"{r['load_cached_s']:.3f} s", "< 0.3 s"),
                 ("import analysis.data (pandas, pyarrow)", f"{r['import_s']:.2f} s", "")]
    if args.only in (None, "build"):
        fast = bench_build(args.runs)
        plain = bench_plain(args.runs)
        rows += [("briefing build (HTML + PDF)", f"{fast:.1f} s", "< 20 s"),
                 ("plain chain: papermill, nbconvert, weasyprint", f"{plain:.1f} s", ""),
                 ("speed-up of briefing build", f"{plain / fast:.2f}x", ">= 2x")]
    width = max(len(r[0]) for r in rows)
    print(f"median of {args.runs} run(s); {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>9}  {('target ' + target) if target else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
