"""A briefing for every recipient in a region: the library behind ``briefing batch``.

1. **Plan** (in this process, from the primary SIPRI release): the states in ``recipients`` (a
   region, group or comma list of countries and regions) that SIPRI records as receiving
   deliveries of major arms since ``since``. For each, the batch chooses the supplier: its
   largest *state* supplier by TIV over the release's last ten years
   (:func:`analysis.transfers.main_suppliers`; over ``since`` to the last year when it received
   nothing in those ten). Every other parameter (region, sub-regions, peers, rivals, former
   power, agreement date, years) comes from ``params.resolve``, so ``briefing build --recipient
   X --supplier Y`` gives the same parameters as the batch's briefing of X.
2. **Run** the briefings on ``workers`` warm worker processes (default: one per core; see
   :class:`analysis.render.workers.WorkerPool`). A worker makes one country at a time, all of it,
   through :func:`analysis.render.pipeline.build_one`: the notebooks (in process), the
   conversion, the assembly, the PDF. It keeps its imports and the tidy tables between
   countries. A progress bar goes to stderr.
3. **Publish** each country as soon as it is done, file by file with ``os.replace``:
   ``<out>/<country>.html``, ``<out>/<country>.pdf`` and ``<out>/key-figures/<country>/``; then
   ``<out>/index.html`` (atomically) links them all, with a one-line summary from each
   briefing's headline key figures, the data release, and the failures.

One country's failure does not stop the others. Failures are listed at the end (stderr, one line
each) and in index.html; :func:`check` then raises NotebookError.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis import fmt, params, paths
from analysis.errors import BriefingError, NotebookError, ParameterError
from analysis.params import Params, slugify
from analysis.render import page, pipeline, publish
from analysis.render.execute import DEFAULT_ENGINE, DEFAULT_TIMEOUT, check_engine
from analysis.render.progress import Progress, one_line

DEFAULT_RECIPIENTS = "Africa"
DEFAULT_SINCE = 2010
OUT_DIR = paths.BATCH
SUPPLIER_YEARS = 10  # the main supplier is chosen over the release's last ten years


# --------------------------------------------------------------------------- the plan
@dataclasses.dataclass(frozen=True)
class Country:
    """One briefing of the batch: its resolved parameters, and the delivery years over which
    the supplier was chosen."""

    params: Params
    years: tuple[int, int]

    @property
    def recipient(self) -> str:
        return self.params.recipient

    @property
    def supplier(self) -> str:
        return self.params.supplier

    @property
    def peers(self) -> tuple[str, ...]:
        return self.params.peers or ()

    @property
    def slug(self) -> str:
        return slugify(self.recipient)


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


def since_year(value: Any) -> int:
    """``since`` as a year (the command line passes a string)."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"since must be a year such as 2010, got {value!r}")
    return value


def plan(
    recipients: str | Sequence[str] = DEFAULT_RECIPIENTS, since: int = DEFAULT_SINCE, t: Any | None = None
) -> tuple[list[Country], list[dict[str, str]]]:
    """The batch: a Country for each recipient state, and the states no briefing can be made
    for (``recipient``, ``supplier`` and ``error``: no state supplier of record, or parameters
    that do not check)."""
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
            skipped.append(
                {
                    "recipient": r,
                    "supplier": "none",
                    "error": f"SIPRI names no state supplier of {r} in {since}-{hi} (only unknown suppliers)",
                }
            )
            continue
        try:
            p = params.resolve(params.check({"recipient": r, "supplier": supplier}, coverage=lambda: (lo, hi)), t)
        except BriefingError as exc:
            skipped.append({"recipient": r, "supplier": supplier, "error": str(exc)})
            continue
        countries.append(Country(p, years))
    return countries, skipped


# --------------------------------------------------------------------------- one country (in a worker)
def summary_of(key_figures: dict[str, dict[str, Any]], p: Params) -> str:
    """One line for the index from the briefing's headline key figures: "Russia supplied 43.6%
    of Mali's major-arms imports in 2020-24" (the notebook's own sentence where the supplier
    delivered nothing in those years)."""
    figures = [f for s in pipeline.NOTEBOOKS for f in (key_figures.get(s, {}).get("figures") or []) if isinstance(f, dict)]
    share = next((f for f in figures if f.get("id") == "supplier_share_last_window"), None)
    if share is not None and isinstance(share.get("value"), (int, float)) and share["value"] > 0:
        return (
            f"{fmt.the(p.supplier, capital=True)} supplied {share['value']:.1f}% of "
            f"{fmt.possessive(p.recipient)} major-arms imports in {share.get('years')}"
        )
    if share is not None and share.get("text"):
        return str(share["text"])
    head = next((f for f in figures if f.get("headline") and f.get("text")), None)
    return str(head["text"]) if head else ""


def run_country(
    p: Params,
    slug: str,
    notebooks_dir: str,
    work: str,
    out: str,
    formats: Sequence[str],
    timeout: int = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
) -> dict[str, Any]:
    """Make one country's briefing with :func:`pipeline.build_one` and publish its files into
    ``out``, whose build lock the batch holds (a worker job).

    Returns ``ok``, ``slug``, ``files`` (kind -> file name), ``summary``, ``releases``,
    ``pages``, ``seconds`` and ``timings``; or ``ok`` False with a one-line ``error``."""
    t0 = time.perf_counter()
    try:
        built = pipeline.build_one(
            p, formats=formats, out_dir=out, name=slug, notebooks_dir=notebooks_dir, work=work, timeout=timeout, engine=engine
        )
    except Exception as exc:
        msg = str(exc) if isinstance(exc, BriefingError) else f"{type(exc).__name__}: {exc}"
        return {"ok": False, "slug": slug, "error": one_line(msg), "seconds": time.perf_counter() - t0}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = {label: built.files[kind].name for kind, label in (("html", "HTML"), ("pdf", "PDF")) if kind in built.files}
    releases = sorted({str(r) for kf in built.key_figures.values() for r in (kf.get("releases") or [])})
    return {
        "ok": True,
        "slug": slug,
        "files": files,
        "summary": summary_of(built.key_figures, p),
        "releases": releases,
        "pages": built.pages,
        "seconds": time.perf_counter() - t0,
        "timings": built.timings,
    }


# --------------------------------------------------------------------------- the index
def write_index(
    path: Path,
    rows: list[dict[str, Any]],
    failures: list[dict[str, str]],
    releases: list[str],
    recipients: str,
    since: int,
    recent: tuple[int, int],
) -> None:
    """``index.html``: a map of the recipients (each a link to its briefing, shaded by its main
    supplier), every briefing with its files and summary, then the failures (atomic)."""
    from analysis import atomic

    d = Params()
    built = page.build_time()
    label = ", ".join(fmt.name(x.strip()) for x in str(recipients).split(",") if x.strip())
    a, b = recent
    end = max((r["end"] for r in rows), default=b)
    shown_in = fmt.listing(sorted({fmt.the(r["region"]) for r in rows})) or "the recipient's region"
    method = (
        f"Each briefing is about one recipient state and its main supplier: the state that delivered the most "
        f"major arms to it by TIV in {a}\u2013{b} (from {since} on where none did in those years). Its other "
        f"parameters come from the data as for `briefing build`: its peers are up to two other states of its "
        f"smallest curated group or else of its sub-region with the largest imports over the release's last "
        f"ten years; section 3 is about the supplier\u2019s arms transfers to {shown_in}."
    )
    html = (
        page.jinja()
        .get_template("batch_index.html.j2")
        .render(
            title=(
                f"Arms-transfer briefings: {label}"
                if "," in str(recipients)
                else f"Arms-transfer briefings: every recipient in {label} since {since}"
            ),
            subtitle=(
                f"{len(rows)} briefings on the arms imports of the states SIPRI records as receiving major arms "
                f"since {since}, each with its main supplier, {d.start}\u2013{end}"
            ),
            built=page.built_text(built),
            built_iso=built.isoformat(timespec="seconds"),
            parameters=[
                ("Recipients", label),
                ("Deliveries since", str(since)),
                ("Main supplier chosen over", f"{a}\u2013{b}"),
                ("Region of section 3", shown_in),
                ("Years", f"{d.start}\u2013{end}"),
            ],
            releases=page.release_texts(releases),
            rows=rows,
            failures=failures,
            method=method,
            supplier_years=f"{a}\u2013{b}",
            css=page.stylesheet(),
            **index_map(rows, f"{a}\u2013{b}"),
        )
    )
    atomic.write_text(path, html)


def map_states(rows: list[dict[str, Any]]) -> list[Any]:
    """The index rows as :class:`analysis.render.sitemap.MapState` (rows whose recipient has no
    ISO3 code are left out), each linking to the row's HTML briefing (or its first file)."""
    from analysis import regions
    from analysis.render import sitemap

    out = []
    for r in rows:
        try:
            code = regions.iso3(r["recipient"])
        except BriefingError:
            code = None
        files = dict(r.get("files") or [])
        href = files.get("HTML") or next(iter(files.values()), "")
        if code and href:
            out.append(sitemap.MapState(code, r["recipient"], r["supplier"], href))
    return out


def index_map(rows: list[dict[str, Any]], years: str) -> dict[str, Any]:
    """The map, its legend and the states it cannot show, for the index template (no map, and a
    note why, when the Natural Earth file is not held)."""
    from markupsafe import Markup

    from analysis.render import sitemap

    states = map_states(rows)
    title = f"Map of Africa: the {len(states)} recipients with a briefing, shaded by their main supplier in {years}"
    try:
        base = sitemap.shapes()
    except BriefingError as exc:
        return {"map_svg": "", "map_note": f"No map: {one_line(str(exc))}", "legend": [], "off_map": []}
    svg = Markup(sitemap.map_svg(states, base, title=title))
    return {
        "map_svg": svg,
        "map_note": "",
        "legend": sitemap.legend(states),
        "off_map": [s.name for s in sitemap.missing(states, base)],
    }


# --------------------------------------------------------------------------- the batch
def run(
    recipients: str = DEFAULT_RECIPIENTS,
    since: int = DEFAULT_SINCE,
    formats: str | Sequence[str] = "html,pdf",
    out_dir: str | os.PathLike[str] = OUT_DIR,
    workers: int | None = None,
    *,
    limit: int | None = None,
    notebooks_dir: str | os.PathLike[str] = paths.NOTEBOOKS,
    timeout: int = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
    progress: bool = True,
    verbose: bool = False,
) -> dict[str, Any]:
    """Make the batch; returns ``index`` (path), ``written`` (rows), ``failed`` (recipient,
    supplier, error), ``seconds``, ``workers`` and ``peak_rss_mb`` (of each worker process, by
    pid). A country that fails is listed in ``failed`` and does not stop the others."""
    t0 = time.perf_counter()
    log = Progress(progress, verbose)
    engine = check_engine(engine)
    fmts = pipeline.check_formats(formats)
    pipeline.check_count(workers, "workers (processes)")
    pipeline.check_count(limit, "limit (countries)")
    since = since_year(since)
    nb_dir = Path(notebooks_dir).resolve()
    pipeline.notebook_paths(nb_dir)
    size = max(1, workers or os.cpu_count() or 1)
    if limit is not None:
        size = min(size, limit)
    kinds = ("notebooks", "pdf") if "pdf" in fmts else ("notebooks",)
    pool = pipeline.start_pool(size, engine=engine, kinds=kinds)  # warms up while the batch is planned
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
        raise NotebookError(
            f"{len(failed)} of {len(failed) + len(result['written'])} briefings failed ({names}); "
            f"the others were written, see {result['index']}"
        )


def _run(
    pool: Any,
    log: Progress,
    recipients: str,
    since: int,
    fmts: tuple[str, ...],
    out: Path,
    limit: int | None,
    nb_dir: Path,
    timeout: int,
    engine: str,
    t0: float,
) -> dict[str, Any]:
    import concurrent.futures as cf

    from tqdm import tqdm

    from analysis import data
    from analysis import transfers as tr

    t = data.transfers()
    lo, hi = tr.coverage(t)
    recent = (max(lo, hi - SUPPLIER_YEARS + 1), hi)
    countries, skipped = plan(recipients, since, t)
    if limit is not None:
        countries = countries[:limit]
    failures: list[dict[str, str]] = [{**s, "recipient": fmt.name(s["recipient"])} for s in skipped]
    log.step(f"planned {len(countries)} briefings ({recipients}, deliveries since {since}), {pool.size} workers")

    rows: list[dict[str, Any]] = []
    releases: set[str] = set()
    with publish.session(out, log) as tmp:
        futures = {
            pool.submit(run_country, c.params, c.slug, str(nb_dir), str(tmp / c.slug), str(out), list(fmts), timeout, engine): c
            for c in countries
        }
        bar = tqdm(
            total=len(futures),
            desc="briefing batch",
            unit="briefing",
            file=sys.stderr,
            disable=not log.enabled,
            dynamic_ncols=True,
            leave=True,
        )
        with bar:
            for fut in cf.as_completed(futures):
                c = futures[fut]
                r = fut.result()
                name = fmt.name(c.recipient)
                if r.get("ok"):
                    rows.append(
                        {
                            "slug": c.slug,
                            "recipient": name,
                            "supplier": fmt.name(c.supplier),
                            "supplier_years": "" if c.years == recent else f"{c.years[0]}\u2013{c.years[1]}",
                            "peers": ", ".join(fmt.name(x) for x in c.peers),
                            "end": c.params.end,
                            "region": str(c.params.region),
                            "summary": r.get("summary", ""),
                            "files": list(r.get("files", {}).items()),
                        }
                    )
                    releases.update(r.get("releases") or [])
                    if log.verbose:
                        tm = r.get("timings", {})
                        bar.write(
                            f"briefing:   {name}: {r['seconds']:.1f} s (notebooks {tm.get('execute', 0):.1f} s, "
                            f"conversion {tm.get('convert', 0):.1f} s; "
                            f"PDF {tm.get('pdf_layout', 0) + tm.get('pdf_write', 0):.1f} s)",
                            file=sys.stderr,
                        )
                else:
                    err = r.get("error") or one_line(f"{r.get('ename', 'error')}: {r.get('evalue', '')}")
                    failures.append({"recipient": name, "supplier": fmt.name(c.supplier), "error": err})
                    bar.write(f"briefing: {name} failed: {err}", file=sys.stderr)
                bar.set_postfix_str(name, refresh=False)
                bar.update(1)
        rows.sort(key=lambda r: slugify(r["recipient"]))
        failures.sort(key=lambda f: slugify(f["recipient"]))
        if not releases:
            releases.add(data.release_of()["release"])
        index = out / "index.html"
        write_index(index, rows, failures, sorted(releases), recipients, since, recent)
    seconds = time.perf_counter() - t0
    log.step(f"{len(rows)} briefings written, {len(failures)} failed; index {index}")
    for f in failures:  # listed even with --quiet: they are errors
        print(f"briefing: failed: {f['recipient']}: {f['error']}", file=sys.stderr, flush=True)
    return {"index": index, "written": rows, "failed": failures, "seconds": seconds}


def write_stats(path: str | os.PathLike[str], result: dict[str, Any], seconds: float) -> None:
    """The run's timings and memory as JSON (``briefing batch --stats-json``)."""
    import resource

    from analysis import atomic

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    doc: dict[str, Any] = {
        "seconds": seconds,
        "peak_rss_mb_largest_child": children,
        "peak_rss_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    doc.update(
        written=len(result["written"]),
        failed=len(result["failed"]),
        workers=result.get("workers"),
        peak_rss_mb_workers={str(k): v for k, v in result.get("peak_rss_mb", {}).items()},
    )
    atomic.write_json(path, doc)
