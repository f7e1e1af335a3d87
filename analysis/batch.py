"""A briefing for every recipient in a region: ``briefing batch``.

    briefing batch [--recipients Africa] [--since 2010] [--workers N] [--formats html,pdf]
                   [--out reports/batch/] [--limit K] [--engine inprocess|papermill]

1. **Plan** (in this process, from the primary SIPRI release): the states in ``--recipients`` (a
   region, group or comma list of countries and regions) that SIPRI records as receiving
   deliveries of major arms since ``--since``. For each: the supplier is its largest *state*
   supplier by TIV over the release's last ten years (:func:`analysis.transfers.main_suppliers`;
   over ``--since`` to the last year when it received nothing in those ten), the peers are up to
   two other states of its sub-region with the largest imports over the same years (none if it
   has no such neighbour), and section 3 is about the supplier in Africa. Every briefing's
   parameters are checked as ``briefing build`` checks them.
2. **Run** the briefings on ``--workers`` warm worker processes (default: one per core; see
   :class:`analysis.render.WorkerPool`). A worker runs one country at a time, all of it: the
   three notebooks (in process), the conversion, the assembly, the PDF. It keeps its imports
   and the tidy tables between countries, and remembers a notebook's result for parameters it
   has already run (section 3 depends only on the supplier, so countries with the same main
   supplier share it). A progress bar goes to stderr.
3. **Publish** each country as soon as it is done, file by file with ``os.replace``:
   ``<out>/<country>.html``, ``<out>/<country>.pdf`` and ``<out>/key-figures/<country>/``; then
   ``<out>/index.html`` (atomically) links them all, with a one-line summary from each
   briefing's headline key figures, the data release, and the failures.

One country's failure does not stop the others. Failures are listed at the end (stderr, one line
each) and in index.html, and the command then exits with NotebookError's code.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis import render
from analysis.errors import BriefingError, NotebookError, ParameterError

DEFAULT_RECIPIENTS = "Africa"
DEFAULT_SINCE = 2010
OUT_DIR = render.REPORTS_DIR / "batch"
REGION = "Africa"          # what section 3 (the supplier in a region) is about
SUPPLIER_YEARS = 10        # the main supplier and the peers are chosen over the release's last ten years
MAX_PEERS = 2


# --------------------------------------------------------------------------- the plan
@dataclasses.dataclass(frozen=True)
class Country:
    """One briefing of the batch. Names are SIPRI's; ``years`` the delivery years over which
    the supplier and the peers were chosen."""

    recipient: str
    supplier: str
    peers: tuple[str, ...]
    years: tuple[int, int]

    @property
    def slug(self) -> str:
        return render.slugify(self.recipient)

    def params(self) -> render.BuildParams:
        # No particular agreement: notebook 01 describes the supplier's deals with the state.
        return render.BuildParams(recipient=self.recipient, supplier=self.supplier, region=REGION,
                                  peers=", ".join(self.peers), agreement_date="")


def recipient_states(t: Any, recipients: str | Sequence[str] = DEFAULT_RECIPIENTS, since: int = DEFAULT_SINCE) -> list[str]:
    """The states in ``recipients`` with at least one delivery of major arms recorded in ``t``
    from ``since`` on, by canonical SIPRI name, sorted."""
    from analysis import regions
    from analysis import transfers as tr

    lo, hi = tr.coverage(t)
    if isinstance(since, bool) or not isinstance(since, int) or not lo <= since <= hi:
        raise ParameterError(f"since must be a year inside the data's delivery years {lo}-{hi}, got {since!r}")
    names = regions.resolve_selection(recipients)
    states = {n for n in names if regions.kind(n) == "state"}
    if not states:
        raise ParameterError(f"recipients {recipients!r} hold no state: give a region, group or countries")
    delivered = set(t.loc[t["delivery_year"] >= since, "recipient"].unique()) & states
    return sorted({regions.canonical_name(n) for n in delivered})


def main_supplier(t: Any, recipient: str, years: tuple[int, int]) -> str | None:
    """The recipient's largest state supplier by TIV in ``years`` (not itself; SIPRI's
    'unknown supplier(s)', organisations and non-state actors are passed over), or None."""
    from analysis import regions
    from analysis import transfers as tr

    for s in tr.main_suppliers(t, recipient, years, n=1000):
        if regions.kind(s) == "state" and regions.canonical_name(s) != recipient:
            return regions.canonical_name(s)
    return None


def peers_of(t: Any, recipient: str, years: tuple[int, int], n: int = MAX_PEERS) -> list[str]:
    """Up to ``n`` other states of the recipient's sub-region with the largest imports of
    major arms (TIV) in ``years``, largest first; states that imported nothing are left out."""
    from analysis import regions
    from analysis import transfers as tr

    c = regions.countries()
    row = c[c["sipri_name"] == recipient]
    sub = str(row["subregion"].iloc[0]) if len(row) else ""
    if not sub or not regions.is_region(sub):
        return []
    neighbours = [m for m in regions.members(sub, include_non_state=False) if regions.canonical_name(m) != recipient]
    if not neighbours:
        return []
    s = tr.select(t, recipients=neighbours, years=years)
    tiv = s.groupby(s["recipient"].map(regions.canonical_name))["tiv_delivered"].sum()
    tiv = tiv[tiv > 0].sort_values(ascending=False, kind="mergesort")
    return [str(x) for x in tiv.index[:n]]


def plan(recipients: str | Sequence[str] = DEFAULT_RECIPIENTS, since: int = DEFAULT_SINCE,
         t: Any | None = None) -> tuple[list[Country], list[dict[str, str]]]:
    """The batch: a Country for each recipient state, and the states no briefing can be made
    for (``recipient`` and ``error``: no state supplier of record)."""
    from analysis import data
    from analysis import transfers as tr

    t = data.transfers() if t is None else t
    lo, hi = tr.coverage(t)
    recent = (max(lo, hi - SUPPLIER_YEARS + 1), hi)
    countries: list[Country] = []
    skipped: list[dict[str, str]] = []
    for r in recipient_states(t, recipients, since):
        years = recent
        supplier = main_supplier(t, r, years)
        if supplier is None:  # nothing from a state in the last ten years: look back to ``since``
            years = (since, hi)
            supplier = main_supplier(t, r, years)
        if supplier is None:
            skipped.append({"recipient": r, "supplier": "none",
                            "error": f"SIPRI names no state supplier of {r} in {since}-{hi} (only unknown suppliers)"})
            continue
        countries.append(Country(r, supplier, tuple(peers_of(t, r, years)), years))
    return countries, skipped


# --------------------------------------------------------------------------- one country (in a worker)
_MEMO: dict[tuple[Any, ...], tuple[str, str]] = {}  # notebook results by notebook file and parameters


def _memo_key(src: Path, stem: str, parameters: dict[str, Any], engine: str) -> tuple[Any, ...]:
    st = src.stat()
    return (stem, str(src.resolve()), st.st_mtime_ns, st.st_size, engine, json.dumps(parameters, sort_keys=True, default=str))


def summary_of(key_figures: dict[str, dict[str, Any]], p: render.BuildParams) -> str:
    """One line for the index from the briefing's headline key figures: "Russia supplied 43.6%
    of Mali's major-arms imports in 2020-24" (the notebook's own sentence where the supplier
    delivered nothing in those years)."""
    figures = [f for s in render.NOTEBOOKS for f in (key_figures.get(s, {}).get("figures") or []) if isinstance(f, dict)]
    share = next((f for f in figures if f.get("id") == "supplier_share_last_window"), None)
    if share is not None and isinstance(share.get("value"), (int, float)) and share["value"] > 0:
        s, r = render._display(p.supplier), render._display(p.recipient)
        return f"{s} supplied {share['value']:.1f}% of {r}'s major-arms imports in {share.get('years')}"
    if share is not None and share.get("text"):
        return str(share["text"])
    head = next((f for f in figures if f.get("headline") and f.get("text")), None)
    return str(head["text"]) if head else ""


def run_country(params: dict[str, Any], slug: str, notebooks_dir: str, work: str, out: str, formats: list[str],
                timeout: int = render.DEFAULT_TIMEOUT, engine: str = render.DEFAULT_ENGINE) -> dict[str, Any]:
    """Make one country's briefing and publish its files into ``out`` (a worker job).

    Returns ``ok``, ``slug``, ``files`` (kind -> file name), ``summary``, ``releases``,
    ``seconds`` and ``timings``; or ``ok`` False with a one-line ``error``."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {"execute": 0.0, "convert": 0.0, "reused": 0.0}
    p = render.BuildParams(**params)
    folder, nb_dir, dest = Path(work), Path(notebooks_dir), Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        nb_params = p.notebook_parameters()
        fragments: list[dict[str, str]] = []
        key_figures: dict[str, dict[str, Any]] = {}
        for stem in render.NOTEBOOKS:
            src = nb_dir / f"{stem}.ipynb"
            key = _memo_key(src, stem, nb_params[stem], engine)
            kf_path = folder / f"{stem}.json"
            if key in _MEMO:
                html, kf_text = _MEMO[key]
                kf_path.write_text(kf_text, encoding="utf-8")
                timings["reused"] += 1
            else:
                r = render.run_notebook(stem, str(src), str(folder / f"{stem}.ipynb"),
                                        {**nb_params[stem], "outputs": str(folder.resolve())}, str(nb_dir),
                                        str(folder / f"{stem}.fragment.html"), timeout, engine)
                if not r["ok"]:
                    raise render._failure({stem: r}) or NotebookError(f"notebook {stem}.ipynb failed")
                timings["execute"] += r["seconds"]
                timings["convert"] += r["convert_seconds"]
                html = (folder / f"{stem}.fragment.html").read_text(encoding="utf-8")
                render._load_key_figures(kf_path, stem)  # a notebook that wrote none fails here
                kf_text = kf_path.read_text(encoding="utf-8")
                _MEMO[key] = (html, kf_text)
            key_figures[stem] = render._load_key_figures(kf_path, stem)
            fragments.append({"stem": stem, "html": html})
        t1 = time.perf_counter()
        ledger = render._ledger() if render._ledger_applies(p) else None
        page = render.assemble(p, fragments, key_figures, ledger)
        stage = folder / "publish"
        stage.mkdir(exist_ok=True)
        staged: list[tuple[Path, Path]] = []
        files: dict[str, str] = {}
        for stem in render.NOTEBOOKS:
            shutil.copyfile(folder / f"{stem}.json", stage / f"{stem}.json")
            staged.append((stage / f"{stem}.json", dest / "key-figures" / slug / f"{stem}.json"))
        if "html" in formats:
            (stage / f"{slug}.html").write_text(page, encoding="utf-8")
            staged.append((stage / f"{slug}.html", dest / f"{slug}.html"))
            files["HTML"] = f"{slug}.html"
        timings["assemble"] = time.perf_counter() - t1
        pages = None
        if "pdf" in formats:
            pdf_timing: dict[str, float] = {}
            pages = render.write_pdf(page, stage / f"{slug}.pdf", stage, pdf_timing)
            staged.append((stage / f"{slug}.pdf", dest / f"{slug}.pdf"))
            files["PDF"] = f"{slug}.pdf"
            timings.update(pdf_layout=pdf_timing["layout"], pdf_write=pdf_timing["write"])
        render._publish(staged)
    except Exception as exc:
        msg = str(exc) if isinstance(exc, BriefingError) else f"{type(exc).__name__}: {exc}"
        return {"ok": False, "slug": slug, "error": render._one_line(msg), "seconds": time.perf_counter() - t0}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    releases = sorted({str(r) for kf in key_figures.values() for r in (kf.get("releases") or [])})
    return {"ok": True, "slug": slug, "files": files, "summary": summary_of(key_figures, p), "releases": releases,
            "pages": pages, "seconds": time.perf_counter() - t0, "timings": timings}


# --------------------------------------------------------------------------- the index
def write_index(path: Path, rows: list[dict[str, Any]], failures: list[dict[str, str]], releases: list[str],
                recipients: str, since: int, recent: tuple[int, int]) -> None:
    """``index.html``: every briefing with its files and summary, then the failures (atomic)."""
    from markupsafe import Markup

    from analysis import atomic

    d = render.BuildParams()
    built = render._build_time()
    label = ", ".join(render._display(x.strip()) for x in str(recipients).split(",") if x.strip())
    a, b = recent
    method = (f"Each briefing is about one recipient state and its main supplier: the state that delivered the most "
              f"major arms to it by TIV in {a}\u2013{b} (from {since} on where none did in those years). Its peers are "
              f"up to two states of its sub-region with the largest imports over the same years; section 3 is about "
              f"the supplier\u2019s arms transfers to {REGION}.")
    release_texts: list[str] = []
    for r in releases:
        text = render._release_text(r)
        if text and text not in release_texts:
            release_texts.append(text)
    css = (render.TEMPLATE_DIR / "briefing.css").read_text(encoding="utf-8")
    html = render._jinja().get_template("batch_index.html.j2").render(
        title=(f"Arms-transfer briefings: {label}" if "," in str(recipients)
               else f"Arms-transfer briefings: every recipient in {label} since {since}"),
        subtitle=(f"{len(rows)} briefings on the arms imports of the states SIPRI records as receiving major arms "
                  f"since {since}, each with its main supplier, {d.start}\u2013{d.end}"),
        built=f"{built.day} {built.strftime('%B %Y, %H:%M')} UTC", built_iso=built.isoformat(timespec="seconds"),
        parameters=[("Recipients", label), ("Deliveries since", str(since)), ("Main supplier chosen over", f"{a}\u2013{b}"),
                    ("Region of section 3", REGION), ("Years", f"{d.start}\u2013{d.end}")],
        releases=release_texts, rows=rows, failures=failures, method=method, supplier_years=f"{a}\u2013{b}",
        css=Markup(css),  # noqa: S704 - our own stylesheet
    )
    atomic.write_text(path, html)


# --------------------------------------------------------------------------- the batch
def run(recipients: str = DEFAULT_RECIPIENTS, since: int = DEFAULT_SINCE, formats: str | Sequence[str] = "html,pdf",
        out_dir: str | os.PathLike[str] = OUT_DIR, workers: int | None = None, *, limit: int | None = None,
        notebooks_dir: str | os.PathLike[str] = render.NOTEBOOKS_DIR, timeout: int = render.DEFAULT_TIMEOUT,
        engine: str = render.DEFAULT_ENGINE, progress: bool = True, verbose: bool = False) -> dict[str, Any]:
    """Make the batch; returns ``index`` (path), ``written`` (rows), ``failed`` (recipient,
    supplier, error), ``seconds``, ``workers`` and ``peak_rss_mb`` (of each worker process, by
    pid). A country that fails is listed in ``failed`` and does not stop the others."""
    t0 = time.perf_counter()
    log = render._Progress(progress, verbose)
    engine = render.check_engine(engine)
    fmts = render.check_formats(formats)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"workers must be a positive number of processes, got {workers!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ParameterError(f"limit must be a positive number of countries, got {limit!r}")
    nb_dir = Path(notebooks_dir).resolve()
    render.notebook_paths(nb_dir)
    size = max(1, workers or os.cpu_count() or 1)
    if limit is not None:
        size = min(size, limit)
    warm = ("notebooks", "pdf") if "pdf" in fmts else ("notebooks",)
    pool = render._start_pool(size, engine, warm=warm)  # warms up while the batch is planned
    try:
        result = _run(pool, log, recipients, since, fmts, Path(out_dir), limit, nb_dir, timeout, engine, t0)
    except BaseException:
        pool.stop()
        raise
    pool.close()
    result["peak_rss_mb"] = pool.peak_rss_mb
    result["workers"] = size
    return result


def check(result: dict[str, Any]) -> None:
    """Raise NotebookError (one line) if any briefing of the batch failed."""
    failed = result["failed"]
    if failed:
        names = ", ".join(f["recipient"] for f in failed[:5]) + (", ..." if len(failed) > 5 else "")
        raise NotebookError(f"{len(failed)} of {len(failed) + len(result['written'])} briefings failed ({names}); "
                            f"the others were written, see {result['index']}")


def _run(pool: render.WorkerPool, log: Any, recipients: str, since: int, fmts: tuple[str, ...], out: Path,
         limit: int | None, nb_dir: Path, timeout: int, engine: str, t0: float) -> dict[str, Any]:
    import concurrent.futures as cf

    from tqdm import tqdm

    from analysis import data
    from analysis import transfers as tr

    t = data.transfers()
    lo, hi = tr.coverage(t)
    recent = (max(lo, hi - SUPPLIER_YEARS + 1), hi)
    since = render._year(since, "since")
    countries, skipped = plan(recipients, since, t)
    if limit is not None:
        countries = countries[:limit]
    failures: list[dict[str, str]] = list(skipped)
    jobs: list[tuple[Country, render.BuildParams]] = []
    for c in countries:
        try:
            jobs.append((c, render.validate(c.params(), coverage=lambda: (lo, hi))))
        except BriefingError as exc:
            failures.append({"recipient": c.recipient, "supplier": c.supplier, "error": str(exc)})
    log.step(f"planned {len(jobs)} briefings ({recipients}, deliveries since {since}), {pool.size} workers")

    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    releases: set[str] = set()
    with render._sigterm_as_interrupt(), render._build_lock(out, log), render.staging(out) as tmp:
        futures = {}
        for c, p in jobs:
            fut = pool.submit("analysis.batch:run_country", params=dataclasses.asdict(p), slug=c.slug,
                              notebooks_dir=str(nb_dir), work=str(tmp / c.slug), out=str(out), formats=list(fmts),
                              timeout=timeout, engine=engine)
            futures[fut] = (c, p)
        bar = tqdm(total=len(futures), desc="briefing batch", unit="briefing", file=sys.stderr,
                   disable=not log.enabled, dynamic_ncols=True, leave=True)
        with bar:
            for fut in cf.as_completed(futures):
                c, p = futures[fut]
                r = fut.result()
                name = render._display(c.recipient)
                if r.get("ok"):
                    rows.append({"slug": c.slug, "recipient": name, "supplier": render._display(c.supplier),
                                 "supplier_years": "" if c.years == recent else f"{c.years[0]}\u2013{c.years[1]}",
                                 "peers": ", ".join(render._display(x) for x in c.peers),
                                 "summary": r.get("summary", ""), "files": list(r.get("files", {}).items())})
                    releases.update(r.get("releases") or [])
                    if log.verbose:
                        tm = r.get("timings", {})
                        bar.write(f"briefing:   {name}: {r['seconds']:.1f} s (notebooks {tm.get('execute', 0):.1f} s, "
                                  f"{int(tm.get('reused', 0))} reused; conversion {tm.get('convert', 0):.1f} s; "
                                  f"PDF {tm.get('pdf_layout', 0) + tm.get('pdf_write', 0):.1f} s)", file=sys.stderr)
                else:
                    err = r.get("error") or render._one_line(f"{r.get('ename', 'error')}: {r.get('evalue', '')}")
                    failures.append({"recipient": name, "supplier": render._display(c.supplier), "error": err})
                    bar.write(f"briefing: {name} failed: {err}", file=sys.stderr)
                bar.set_postfix_str(name, refresh=False)
                bar.update(1)
        rows.sort(key=lambda r: render.slugify(r["recipient"]))
        failures.sort(key=lambda f: render.slugify(f["recipient"]))
        if not releases:
            releases.add(data.release_of()["release"])
        index = out / "index.html"
        write_index(index, rows, failures, sorted(releases), recipients, since, recent)
    seconds = time.perf_counter() - t0
    log.step(f"{len(rows)} briefings written, {len(failures)} failed; index {index}")
    for f in failures:  # listed even with --quiet: they are errors
        print(f"briefing: failed: {f['recipient']}: {f['error']}", file=sys.stderr, flush=True)
    return {"index": index, "written": rows, "failed": failures, "seconds": seconds}


# --------------------------------------------------------------------------- command line
def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``briefing batch``."""
    p.description = ("A briefing for every state in a region that SIPRI records as receiving major arms since a year, "
                     "each with its main supplier, its sub-regional peers and an index page linking them all.")
    p.formatter_class = argparse.ArgumentDefaultsHelpFormatter
    p.add_argument("--recipients", default=DEFAULT_RECIPIENTS,
                   help="a region or group (Africa, West Africa, Sahel...) or a comma-separated list of countries and regions")
    p.add_argument("--since", default=str(DEFAULT_SINCE), help="only states with deliveries recorded from this year on")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (each makes one briefing at a time)")
    p.add_argument("--format", "--formats", dest="formats", default="html,pdf", help="html, pdf or html,pdf")
    p.add_argument("--out", default=str(OUT_DIR), help="output folder")
    p.add_argument("--limit", type=int, default=None, help="only the first N countries (alphabetical), e.g. for a trial")
    p.add_argument("--notebooks", default=str(render.NOTEBOOKS_DIR), help="folder of the notebooks")
    p.add_argument("--engine", choices=render.ENGINES, default=render.DEFAULT_ENGINE,
                   help="how notebooks run: inprocess (warm worker processes) or papermill (a Jupyter kernel per notebook)")
    p.add_argument("--timeout", type=int, default=render.DEFAULT_TIMEOUT, help="seconds allowed per notebook cell")
    p.add_argument("--stats-json", default=None, help="also write the run's timings and memory to this JSON file")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="also each briefing's timings")


def run_from_args(args: argparse.Namespace) -> int:
    """``briefing batch``: run from parsed arguments, print the index's path."""
    t0 = time.perf_counter()
    result = run(args.recipients, render._year(args.since, "since"), args.formats, args.out, args.workers,
                 limit=args.limit, notebooks_dir=args.notebooks, timeout=args.timeout, engine=args.engine,
                 progress=not args.quiet, verbose=args.verbose)
    _stats(args, result, t0)
    print(result["index"])
    check(result)
    return 0


def _stats(args: argparse.Namespace, result: dict[str, Any], t0: float) -> None:
    if not getattr(args, "stats_json", None):
        return
    import resource

    from analysis import atomic

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    doc: dict[str, Any] = {"seconds": time.perf_counter() - t0, "peak_rss_mb_largest_child": children,
                           "peak_rss_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    doc.update(written=len(result["written"]), failed=len(result["failed"]), workers=result.get("workers"),
               peak_rss_mb_workers={str(k): v for k, v in result.get("peak_rss_mb", {}).items()})
    atomic.write_json(args.stats_json, doc)
