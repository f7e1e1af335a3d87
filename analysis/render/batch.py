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

In French (``lang="fr"``) every briefing and the index are French, named as ``build`` names a
French edition: ``<country>-fr.html``, ``key-figures/<country>-fr/``, ``index-fr.html``.

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

from analysis import fmt, i18n, params, paths
from analysis.errors import BriefingError, NotebookError, ParameterError
from analysis.fmt import Named as N
from analysis.i18n import _, ngettext
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

    @property
    def name(self) -> str:
        """The briefing's file stem: the slug, with the language as ``build`` names it
        (``mali``, ``mali-fr``)."""
        return index_stem(self.slug, self.params.lang)


def index_stem(stem: str, lang: str) -> str:
    """A batch file's stem in ``lang``: ``index`` -> ``index-fr`` in French (so the editions of
    one batch can share a folder), as :func:`analysis.params.output_name` names a build."""
    return stem if lang == "en" else f"{stem}-{lang}"


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
    recipients: str | Sequence[str] = DEFAULT_RECIPIENTS, since: int = DEFAULT_SINCE, t: Any | None = None, lang: str = "en"
) -> tuple[list[Country], list[dict[str, str]]]:
    """The batch: a Country for each recipient state (its briefing in ``lang``), and the states
    no briefing can be made for (``recipient``, ``supplier`` and ``error``: no state supplier of
    record, or parameters that do not check)."""
    from analysis import data
    from analysis import transfers as tr

    t = data.transfers() if t is None else t
    lo, hi = tr.coverage(t)
    recent = supplier_years(t)
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
            values = {"recipient": r, "supplier": supplier, "lang": lang}
            p = params.resolve(params.check(values, coverage=lambda: (lo, hi)), t)
        except BriefingError as exc:
            skipped.append({"recipient": r, "supplier": supplier, "error": str(exc)})
            continue
        countries.append(Country(p, years))
    return countries, skipped


def supplier_years(t: Any) -> tuple[int, int]:
    """The years over which a state's main supplier is chosen: the release's last
    :data:`SUPPLIER_YEARS` delivery years (fewer if it covers fewer)."""
    from analysis import transfers as tr

    lo, hi = tr.coverage(t)
    return (max(lo, hi - SUPPLIER_YEARS + 1), hi)


def plan_job(recipients: str | Sequence[str], since: int, lang: str) -> dict[str, Any]:
    """:func:`plan` as a worker job: ``countries``, ``skipped`` and ``recent``
    (:func:`supplier_years`), or ``ok`` False with the error's class name and message."""
    from analysis import data

    try:
        t = data.transfers()
        countries, skipped = plan(recipients, since, t, lang)
    except BriefingError as exc:
        return {"ok": False, "ename": type(exc).__name__, "evalue": str(exc)}
    return {"ok": True, "countries": countries, "skipped": skipped, "recent": supplier_years(t)}


def plan_apart(
    recipients: str | Sequence[str], since: int, lang: str = "en"
) -> tuple[list[Country], list[dict[str, str]], tuple[int, int]]:
    """:func:`plan`, made in a process of its own that ends with it, while the workers warm up:
    planning reads the tidy tables and resolves every state's parameters (about 140 MB), and
    the batch's own process then holds none of that beside its workers for the whole run.
    Returns the countries, the skipped states and the supplier years; the plan's error (a
    ParameterError for an unknown recipient) is raised here as it was there."""
    from analysis import errors
    from analysis.render.workers import WorkerPool

    with WorkerPool(1) as planner:
        r = planner.submit(plan_job, recipients, since, lang).result()
    if not r.get("ok"):
        cls = getattr(errors, str(r.get("ename")), None)
        if isinstance(cls, type) and issubclass(cls, BriefingError):
            raise cls(r.get("evalue", ""))
        raise BriefingError(f"planning the batch failed: {r.get('ename')}: {r.get('evalue')}")
    return r["countries"], r["skipped"], tuple(r["recent"])


# --------------------------------------------------------------------------- one country (in a worker)
def summary_of(key_figures: dict[str, dict[str, Any]], p: Params) -> str:
    """One line for the index from the briefing's headline key figures, in the current
    language: "Russia supplied 43.6% of Mali's major-arms imports in 2020-24" (the notebook's
    own sentence where the supplier delivered nothing in those years)."""
    figures = [f for s in pipeline.NOTEBOOKS for f in (key_figures.get(s, {}).get("figures") or []) if isinstance(f, dict)]
    share = next((f for f in figures if f.get("id") == "supplier_share_last_window"), None)
    if share is not None and isinstance(share.get("value"), (int, float)) and share["value"] > 0:
        return _("{supplier:The} supplied {share} of {recipient:poss} major-arms imports in {years}").format(
            supplier=N(p.supplier), recipient=N(p.recipient), share=fmt.pct(float(share["value"])), years=share.get("years")
        )
    if share is not None and share.get("text"):
        return str(share["text"])
    head = next((f for f in figures if f.get("headline") and f.get("text")), None)
    return str(head["text"]) if head else ""


def summary_in(key_figures: dict[str, dict[str, Any]], p: Params) -> str:
    """:func:`summary_of` in the briefing's language."""
    with i18n.use(p.lang):
        return summary_of(key_figures, p)


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
        "summary": summary_in(built.key_figures, p),
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
    lang: str = "en",
) -> None:
    """``index.html``: a map of the recipients (each a link to its briefing, shaded by its main
    supplier), every briefing with its files and summary, then the failures (atomic); in
    ``lang``, with its typography. ``rows`` and ``failures`` name states in English (the
    batch's own names); the index shows them in ``lang``."""
    from analysis import atomic

    lang = i18n.check_language(lang)
    with i18n.use(lang):
        html = page.typeset(_index_html(rows, failures, releases, recipients, since, recent, lang), lang)
    atomic.write_text(path, html)


def _index_html(
    rows: list[dict[str, Any]],
    failures: list[dict[str, str]],
    releases: list[str],
    recipients: str,
    since: int,
    recent: tuple[int, int],
    lang: str,
) -> str:
    """The index page's HTML in the current language (the arguments of :func:`write_index`)."""
    d = Params()
    built = page.build_time()
    names = [x.strip() for x in str(recipients).split(",") if x.strip()]
    label = ", ".join(fmt.name(x) for x in names)
    a, b = recent
    window = f"{a}\u2013{b}"
    end = max((r["end"] for r in rows), default=b)
    shown_in = fmt.listing(sorted({fmt.the(r["region"]) for r in rows})) or _("the recipient's region")
    region_cell = shown_in if lang == "en" else fmt.listing(sorted({fmt.name(r["region"]) for r in rows})) or shown_in
    method = _(
        "Each briefing is about one recipient state and its main supplier: the state that delivered the most "
        "major arms to it by TIV in {window} (from {since} on where none did in those years). Its other "
        "parameters come from the data as for `briefing build`: its peers are up to two other states of its "
        "smallest curated group or else of its sub-region with the largest imports over the release's last "
        "ten years; section 3 is about the supplier\u2019s arms transfers to {regions}."
    ).format(window=window, since=since, regions=shown_in)
    if "," in str(recipients) or not names:
        title = _("Arms-transfer briefings: {recipients}").format(recipients=label)
    else:
        title = _("Arms-transfer briefings: every recipient {region:a} since {since}").format(region=N(names[0]), since=since)
    subtitle = ngettext(
        "{n} briefing on the arms imports of the states SIPRI records as receiving major arms since {since}, "
        "each with its main supplier, {years}",
        "{n} briefings on the arms imports of the states SIPRI records as receiving major arms since {since}, "
        "each with its main supplier, {years}",
        len(rows),
    ).format(n=len(rows), since=since, years=f"{d.start}\u2013{end}")
    return (
        page.jinja()
        .get_template("batch_index.html.j2")
        .render(
            lang=lang,
            title=title,
            subtitle=subtitle,
            built=page.built_text(built),
            built_iso=built.isoformat(timespec="seconds"),
            parameters=[
                (_("Recipients"), label),
                (_("Deliveries since"), str(since)),
                (_("Main supplier chosen over"), window),
                (_("Region of section 3"), region_cell),
                (_("Years"), f"{d.start}\u2013{end}"),
            ],
            releases=page.release_texts(releases),
            rows=[shown_row(r) for r in rows],
            failures=[shown_failure(f) for f in failures],
            method=method,
            supplier_years=window,
            css=page.stylesheet(),
            **index_map(rows, window),
        )
    )


def shown_row(row: dict[str, Any]) -> dict[str, Any]:
    """An index row with its names in the current language (the row keeps English ones)."""
    peers = ", ".join(fmt.name(x.strip()) for x in str(row.get("peers") or "").split(",") if x.strip())
    return {**row, "recipient": fmt.name(row["recipient"]), "supplier": fmt.name(row["supplier"]), "peers": peers}


def shown_failure(f: dict[str, str]) -> dict[str, str]:
    """A failure with its names in the current language; its error stays as written (English)."""
    supplier = _("none") if f.get("supplier") == "none" else fmt.name(f.get("supplier", ""))
    return {**f, "recipient": fmt.name(f["recipient"]), "supplier": supplier}


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
    title = ngettext(
        "Map of Africa: the {n} recipient with a briefing, shaded by its main supplier in {years}",
        "Map of Africa: the {n} recipients with a briefing, shaded by their main supplier in {years}",
        len(states),
    ).format(n=len(states), years=years)
    try:
        base = sitemap.shapes()
    except BriefingError as exc:
        return {"map_svg": "", "map_note": _("No map: {error}").format(error=one_line(str(exc))), "legend": [], "off_map": []}
    svg = Markup(sitemap.map_svg(states, base, title=title))
    return {
        "map_svg": svg,
        "map_note": "",
        "legend": sitemap.legend(states),
        "off_map": [fmt.name(s.name) for s in sitemap.missing(states, base)],
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
    lang: str = "en",
) -> dict[str, Any]:
    """Make the batch; returns ``index`` (path), ``written`` (rows), ``failed`` (recipient,
    supplier, error), ``seconds``, ``workers`` and ``peak_rss_mb`` (of each worker process, by
    pid). A country that fails is listed in ``failed`` and does not stop the others.

    ``lang``: the language of every briefing and of the index (``en`` or ``fr``); a French
    batch writes ``<country>-fr.*`` and ``index-fr.html``, so it may share a folder with the
    English one."""
    t0 = time.perf_counter()
    lang = i18n.check_language(lang)
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
    pool = pipeline.start_pool(size, engine=engine, kinds=kinds, lean=True)  # warms up while the batch is planned
    try:
        result = _run(pool, log, recipients, since, fmts, Path(out_dir), limit, nb_dir, timeout, engine, t0, lang)
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
    lang: str = "en",
) -> dict[str, Any]:
    import concurrent.futures as cf

    from tqdm import tqdm

    from analysis import data

    countries, skipped, recent = plan_apart(recipients, since, lang)
    if limit is not None:
        countries = countries[:limit]
    failures: list[dict[str, str]] = [{**s, "recipient": fmt.name(s["recipient"])} for s in skipped]
    log.step(f"planned {len(countries)} briefings ({recipients}, deliveries since {since}), {pool.size} workers")

    rows: list[dict[str, Any]] = []
    releases: set[str] = set()
    with publish.session(out, log) as tmp:
        futures = {
            pool.submit(run_country, c.params, c.name, str(nb_dir), str(tmp / c.name), str(out), list(fmts), timeout, engine): c
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
        index = out / f"{index_stem('index', lang)}.html"
        write_index(index, rows, failures, sorted(releases), recipients, since, recent, lang)
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
