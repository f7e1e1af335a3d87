"""Benchmarks: how long the data layer, the briefing and a batch of briefings take on this machine.

    python benchmarks/run.py                      # everything (loads, build, plain chain, batch)
    python benchmarks/run.py --only load          # just the tidy-table loads
    python benchmarks/run.py --only build --runs 5 --verbose
    python benchmarks/run.py --only batch --countries 6

Measures, each as the median of several runs in fresh processes (so nothing is warm that a
user's first command would not have warm):

- load, first: ``data.transfers()`` with an empty cache (import, parse, tidy, write Parquet);
- load, cached: ``data.transfers()`` when the Parquet cache exists (process start excluded);
- build: ``briefing build`` for the default briefing (HTML and PDF), the project's fast path
  (notebooks in warm worker processes) with an empty stage cache (``briefing cache clear``
  first), the same build again with nothing changed, then with only the recipient changed; and
  the cold build with ``--engine papermill`` (a Jupyter kernel per notebook); cold builds
  alternate with the plain chain; ``--verbose`` also prints the stage timings. One build before
  them, not timed, fills the data cache (tidy tables, calibrated registers, the method errors),
  which a code change may have emptied: a cold build is a cold stage cache, and the load rows
  time the data;
- plain chain: what a user would type without the project: ``papermill`` on each notebook,
  then ``jupyter nbconvert --to html --no-input`` on each, then ``weasyprint`` on each HTML;
- batch (once, not repeated, empty stage cache, 2 workers): ``briefing batch`` over every African recipient since 2010 (or the
  first ``--countries`` of them), HTML and PDF: seconds per country amortized over the run,
  and peak memory (VmHWM of each worker process, and the largest child process's ru_maxrss;
  and the peak of the whole process tree's PSS, sampled every 0.2 s, which counts each page the
  forked workers share once).

Prints a table with the targets beside the medians. Results depend on the machine and on what
else runs on it (the load average is printed): this is a measurement, not a test.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: The command line of this checkout (not whichever ``briefing`` an environment installed).
BRIEFING = [sys.executable, "-m", "analysis.cli"]
os.environ["PYTHONPATH"] = os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH", "")) if x)
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


def _build(out: str, *extra: str, engine: str = "inprocess") -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    r = subprocess.run([*BRIEFING, "build", "--out", out, "--engine", engine, "--verbose", *extra], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, [line for line in r.stderr.splitlines() if line.startswith("briefing:")]


def clear_cache() -> None:
    subprocess.run([*BRIEFING, "cache", "clear"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def bench_build(runs: int, engine: str = "inprocess", plain: bool = False) -> dict:
    """``briefing build`` (HTML and PDF, default briefing) with an empty stage cache, then the
    same again (nothing changed), then with only the recipient changed (Niger: section 3 is
    shared); with ``plain``, the plain chain alternates with the cold build. Medians, and the
    stage lines (``--verbose``) of the last cold build."""
    cold, again, recipient, chain, stages, rstages = [], [], [], [], [], []
    warm = tempfile.mkdtemp(prefix="bench-build-")
    _build(warm, engine=engine)  # not timed: fills the data cache (the load rows time that), not only the stages
    shutil.rmtree(warm, ignore_errors=True)
    for _ in range(runs):
        out = tempfile.mkdtemp(prefix="bench-build-")
        clear_cache()
        t, stages = _build(out, engine=engine)
        cold.append(t)
        again.append(_build(out, engine=engine)[0])
        t, rstages = _build(out, "--recipient", "Niger", engine=engine)
        recipient.append(t)
        shutil.rmtree(out, ignore_errors=True)
        if plain:
            chain.append(bench_plain(1))
    return {"cold": statistics.median(cold), "again": statistics.median(again), "recipient": statistics.median(recipient),
            "plain": statistics.median(chain) if chain else None, "stages": stages, "recipient_stages": rstages,
            "cold_all": cold, "plain_all": chain}


def bench_batch(countries: int | None, keep: str | None = None) -> dict:
    """One ``briefing batch`` (HTML and PDF) over every African recipient since 2010, or the
    first ``countries`` of them: wall time, briefings written and failed, peak memory. With
    ``keep``, the briefings are written there and kept."""
    out = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-batch-"))
    out.mkdir(parents=True, exist_ok=True)
    stats = out / "stats.json"
    clear_cache()
    cmd = [*BRIEFING, "batch", "--out", str(out / "batch"), "--stats-json", str(stats), "--quiet",
           "--workers", "2"]
    if countries:
        cmd += ["--limit", str(countries)]
    t0 = time.perf_counter()
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        pss = PssSampler(proc.pid)
        pss.start()
        stdout, stderr = proc.communicate()
        pss.stop()
    r = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    seconds = time.perf_counter() - t0
    if not stats.is_file():
        raise SystemExit(f"briefing batch wrote no statistics (exit {r.returncode}): {r.stderr[-500:]}")
    doc = json.loads(stats.read_text())
    failures = [line.split("failed: ", 1)[1] for line in r.stderr.splitlines() if line.startswith("briefing: failed: ")]
    stats.unlink()
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    n = doc["written"] + doc["failed"]
    workers = list(doc.get("peak_rss_mb_workers", {}).values())
    return {"seconds": seconds, "countries": n, "written": doc["written"], "failed": doc["failed"],
            "per_country": seconds / max(1, n), "workers": doc.get("workers"),
            "rss_worker_max": max(workers, default=0.0), "rss_workers_sum": sum(workers),
            "rss_parent": doc.get("peak_rss_mb_self", 0.0), "rss_child_max": doc.get("peak_rss_mb_largest_child", 0.0),
            "pss_peak": pss.peak_mb, "pss_samples": pss.samples, "failures": failures}


class PssSampler(threading.Thread):
    """Samples, every ``every`` seconds, the proportional set size (PSS) of a process and all
    its descendants, summed: the memory they take together, each shared page counted once
    (split between the processes that share it; forked workers share their imports). The
    largest sum is ``peak_mb``. Linux only (``/proc/<pid>/smaps_rollup``); 0 elsewhere."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mb, self.samples = pid, every, 0.0, 0
        self._done = threading.Event()

    @staticmethod
    def tree(pid: int) -> list[int]:
        out, todo = [], [pid]
        while todo:
            p = todo.pop()
            out.append(p)
            for task in Path(f"/proc/{p}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in task.read_text().split()]
        return out

    @staticmethod
    def pss_mb(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0.0

    def run(self) -> None:
        while not self._done.wait(self.every):
            total = sum(self.pss_mb(p) for p in self.tree(self.pid))
            self.samples += 1
            self.peak_mb = max(self.peak_mb, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


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
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is shown)")
    ap.add_argument("--only", choices=["load", "build", "batch"], help="run only one group")
    ap.add_argument("--countries", type=int, default=None, help="batch: only the first K countries (default: all)")
    ap.add_argument("--keep", metavar="DIR", help="batch: write the briefings into DIR/batch and keep them")
    ap.add_argument("--verbose", action="store_true", help="also the stage timings of the last build")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    notes: list[str] = []
    load_avg = os.getloadavg()[0]
    if args.only in (None, "load"):
        r = bench_load(args.runs)
        rows += [(f"load transfers, first ({r['rows']:,} rows)", f"{r['load_first_s']:.2f} s", "< 3 s"),
                 ("load transfers, cached (Parquet)", f"{r['load_cached_s']:.3f} s", "< 0.3 s"),
                 ("import analysis.data (pandas, pyarrow)", f"{r['import_s']:.2f} s", "")]
    if args.only in (None, "build"):
        b = bench_build(args.runs, plain=True)
        kernels = bench_build(1, engine="papermill")
        rows += [("briefing build (HTML + PDF), empty stage cache", f"{b['cold']:.1f} s", ""),
                 ("  the same build again, nothing changed", f"{b['again']:.2f} s", "< 0.5 s"),
                 ("  only the recipient changed (Niger)", f"{b['recipient']:.1f} s", ""),
                 ("briefing build --engine papermill, empty stage cache", f"{kernels['cold']:.1f} s", ""),
                 ("plain chain: papermill, nbconvert, weasyprint", f"{b['plain']:.1f} s", ""),
                 ("speed-up of briefing build (cold) on the plain chain", f"{b['plain'] / b['cold']:.2f}x", ">= 5x")]
        notes.append(f"alternating runs: cold builds {[round(x, 1) for x in b['cold_all']]} s, "
                     f"plain chains {[round(x, 1) for x in b['plain_all']]} s")
        if args.verbose:
            notes += ["stages of the last cold briefing build:", *(f"  {line}" for line in b["stages"])]
            notes += ["stages of the last build with only the recipient changed:",
                      *(f"  {line}" for line in b["recipient_stages"])]
    if args.only in (None, "batch"):
        b = bench_batch(args.countries, args.keep)
        rows += [(f"briefing batch, {b['countries']} countries ({b['written']} written, {b['failed']} failed), "
                  f"{b['workers']} workers", f"{b['seconds']:.0f} s", ""),
                 ("  per country, amortized", f"{b['per_country']:.2f} s", "< 1.5 s"),
                 ("  peak memory, largest worker (VmHWM)", f"{b['rss_worker_max']:.0f} MB", ""),
                 ("  peak memory, workers + parent (sum of each one's peak RSS)",
                  f"{b['rss_workers_sum'] + b['rss_parent']:.0f} MB", ""),
                 ("  peak memory, the whole process tree together (PSS)", f"{b['pss_peak']:.0f} MB", "< 1 GB")]
        notes.append(f"PSS sampled {b['pss_samples']} times (every 0.2 s); the sum of peak RSS counts every page "
                     "that forked workers share once per worker")
        notes += [f"batch failure: {f}" for f in b["failures"]]
        if args.keep:
            notes.append(f"batch kept in {Path(args.keep) / 'batch'}")
    width = max(len(r[0]) for r in rows)
    print(f"median of {args.runs} run(s) (batch: one run); {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
          f"load average at start {load_avg:.2f}")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>9}  {('target ' + target) if target else ''}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
