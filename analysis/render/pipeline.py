"""One briefing, from parameters to published files: :func:`build_one`; and :func:`build`, the
library call behind ``briefing build``.

:func:`build` checks everything before any notebook runs (the workers warm up meanwhile):
the formats, the engine, the notebooks' presence, and the parameters through
``params.resolve(params.check(values))``; then :func:`build_one` runs the notebooks with
``params.notebook_values(p, outputs=...)`` (every notebook takes the same full set), converts
them, assembles the page, renders the PDF and publishes. ``briefing batch``
(:mod:`analysis.render.batch`) calls :func:`build_one` for each state, in its workers.

The notebook stages a build runs (what each notebook reads for its stage-cache key, the warm
workers, one notebook executed and converted as a worker job) are in
:mod:`analysis.render.stages`; their names are importable from here too.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import i18n, params, paths
from analysis.errors import ParameterError
from analysis.params import Params
from analysis.render import cache, datafiles, execute, page, pdf, publish
from analysis.render.execute import DEFAULT_ENGINE, DEFAULT_TIMEOUT
from analysis.render.inputs import (
    FORMATS,
    NOTEBOOKS,
    check_claims,
    check_count,
    check_formats,
    check_name,
    key_figures_dir,
    ledger_for,
    notebook_paths,
    parameters,
)
from analysis.render.progress import Progress
from analysis.render.stages import (  # noqa: F401 - the stages' names, re-exported: callers used them from here
    DERIVED_READS,
    NOTEBOOK_READS,
    load_key_figures,
    notebook_failure,
    restore_stage,
    run_notebook,
    run_on_pool,
    stage_files,
    stage_keys,
    stage_reads,
    stamp_parameters,
    start_pool,
    warm,
)
from analysis.render.workers import WorkerPool


# --------------------------------------------------------------------------- one briefing
@dataclasses.dataclass
class Built:
    """What :func:`build_one` wrote: ``files`` by kind (``html``, ``pdf``, ``key_figures`` - the
    folder of the notebooks' JSON), the notebooks' ``key_figures`` by stem, the PDF's ``pages``
    and the stages' ``timings`` in seconds."""

    files: dict[str, Path]
    key_figures: dict[str, dict[str, Any]]
    pages: int | None = None
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


def cache_enabled(value: bool | None = None) -> bool:
    """Whether builds use the stage cache: ``value``, else not when ``BRIEFING_NO_CACHE`` is set
    (``--no-cache`` sets it, so that batch workers bypass the cache too)."""
    if value is not None:
        return bool(value)
    return os.environ.get("BRIEFING_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def build_one(
    p: Params,
    *,
    formats: str | Sequence[str] = FORMATS,
    out_dir: str | os.PathLike[str] = paths.REPORTS,
    name: str | None = None,
    notebooks_dir: str | os.PathLike[str] = paths.NOTEBOOKS,
    pool: WorkerPool | None = None,
    close_pool: bool = False,
    work: str | os.PathLike[str] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
    log: Progress | None = None,
    claims: Sequence[Path] | None = None,
    use_cache: bool | None = None,
    fingerprint: cache.Fingerprint | None = None,
    memo_key: str | None = None,
) -> Built:
    """Build one briefing for the resolved parameters ``p`` and publish it into ``out_dir``:
    ``<name>.html``, ``<name>.pdf`` and the key figures (:func:`key_figures_dir`).

    ``name``: the file stem (default: ``params.output_name(p)``). ``pool``: warm workers that run
    the notebooks at once (``close_pool``: let them go once the notebooks ran, so the PDF has the
    cores); without one the notebooks run one after the other in this process (as in a batch
    worker). ``work``: a private folder to build in, when the caller already holds ``out_dir``'s
    build lock (a batch); by default the build takes the lock and a staging folder itself.
    ``claims``: the claims files for the ledger (see :func:`ledger_for`; None: those that
    concern the recipient). ``use_cache``: use the stage cache (:mod:`analysis.render.cache`;
    default: unless ``BRIEFING_NO_CACHE`` is set); ``fingerprint``: the inputs' digests if the
    caller has them; ``memo_key``: also store the published files as that build entry."""
    log = log or Progress(False)
    fmts = check_formats(formats)
    engine = execute.check_engine(engine)
    sources = notebook_paths(notebooks_dir)
    if not p.is_resolved():
        raise ParameterError("build_one needs resolved parameters: call params.resolve first")
    stem = check_name(name or params.output_name(p))
    out = Path(out_dir)
    keys: dict[str, str] | None = None
    if cache_enabled(use_cache):
        fp = fingerprint or cache.fingerprint(sources)
        keys = stage_keys(p, NOTEBOOKS, fp, engine)
    args = (p, fmts, sources, stem, out, pool, close_pool, timeout, engine, log, claims, keys, memo_key)
    if work is None:
        with publish.session(out, log) as tmp:
            return _build_in(tmp, *args)
    Path(work).mkdir(parents=True, exist_ok=True)
    return _build_in(Path(work), *args)


def _build_in(
    tmp: Path,
    p: Params,
    fmts: tuple[str, ...],
    sources: list[Path],
    stem: str,
    out: Path,
    pool: WorkerPool | None,
    close_pool: bool,
    timeout: int,
    engine: str,
    log: Progress,
    claims: Sequence[Path] | None = None,
    keys: Mapping[str, str] | None = None,
    memo_key: str | None = None,
) -> Built:
    work = tmp / "work"
    work.mkdir()
    values = params.notebook_values(p, outputs=str(work.resolve()))
    stamp = stamp_parameters(p)
    jobs: list[dict[str, Any]] = [
        {
            "stem": s,
            "source": str(src),
            "executed": str(work / f"{s}.ipynb"),
            "parameters": values,
            "cwd": str(src.parent.resolve()),
            "fragment": str(work / f"{s}.fragment.html"),
            "timeout": timeout,
            "engine": engine,
            "cache_key": keys.get(s) if keys else None,
            "stamp": stamp,
        }
        for s, src in zip(NOTEBOOKS, sources)
    ]
    timings: dict[str, float] = {}
    t_run = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    for job in jobs:  # hits are copied here, before any worker is asked
        if job["cache_key"] and restore_stage(job["cache_key"], job["stem"], work, Path(job["fragment"]), stamp):
            results[job["stem"]] = {"stem": job["stem"], "ok": True, "cached": True, "seconds": 0.0, "convert_seconds": 0.0}
    hits = [s for s in NOTEBOOKS if s in results]
    if hits:
        log.step(f"stage cache: {len(hits)} of {len(jobs)} notebooks unchanged ({', '.join(hits)})", since=t_run)
    todo = [j for j in jobs if j["stem"] not in results]
    if pool is None or not todo:
        for job in todo:
            results[job["stem"]] = r = run_notebook(**job)
            if not r["ok"]:
                raise notebook_failure(r)
        if pool is not None and close_pool:
            pool.close(wait=False)
        ledger = ledger_for(p, claims)
    else:
        log.note(f"running {len(todo)} notebooks, {pool.size} at a time ({engine} engine)")
        with cf.ThreadPoolExecutor(max_workers=1) as side:
            ledger_future = side.submit(ledger_for, p, claims)  # ledger_for sets the briefing language in its thread
            if "pdf" in fmts:
                side.submit(pdf.preload)  # import WeasyPrint while the notebooks run (build has already)
            # Longest first: the last notebook (a whole region, with a map) takes about as
            # long as the other two together, so it starts at once on its own worker.
            results.update(run_on_pool(todo[::-1], pool, log))
            failed = [results[s] for s in NOTEBOOKS if s in results and not results[s]["ok"]]
            if failed:
                ledger_future.cancel()
                raise notebook_failure(failed[0])
            if close_pool:
                pool.close(wait=False)  # free the cores for the PDF
            log.step("notebooks executed and converted", since=t_run)
            t_l = time.perf_counter()
            ledger = ledger_future.result()
            if ledger is not None:
                log.step(f"claim ledger ({len(ledger)} claims)", since=t_l)
    timings["execute"] = sum(r["seconds"] for r in results.values())
    timings["convert"] = sum(r.get("convert_seconds", 0.0) for r in results.values())
    timings["cached_stages"] = float(sum(1 for r in results.values() if r.get("cached")))

    t1 = time.perf_counter()
    key_figures = {s: load_key_figures(work / f"{s}.json", s) for s in NOTEBOOKS}
    fragments = [
        {"stem": s, "html": datafiles.link_fragment((work / f"{s}.fragment.html").read_text(encoding="utf-8"), stem)}
        for s in NOTEBOOKS
    ]
    html = page.assemble(p, fragments, key_figures, ledger, data_folder=datafiles.folder_name(stem))
    html_tmp = tmp / f"{stem}.html"
    html_tmp.write_text(html, encoding="utf-8")
    timings["assemble"] = time.perf_counter() - t1
    log.step(f"assembled HTML ({len(html.encode('utf-8')) / 1e6:.1f} MB)")

    kf_dir = key_figures_dir(out, stem)
    staged: list[tuple[Path, Path]] = []
    kf_tmp = tmp / "key-figures"
    kf_tmp.mkdir()
    for s in NOTEBOOKS:
        shutil.copyfile(work / f"{s}.json", kf_tmp / f"{s}.json")
        staged.append((kf_tmp / f"{s}.json", kf_dir / f"{s}.json"))
    with i18n.use(p.lang):  # the data folder's README in the briefing's language
        written = datafiles.write(work, tmp, stem, page.title_of(p), key_figures, page.catalogue_rows())
    for src, rel in written:
        staged.append((src, out / rel))
    files: dict[str, Path] = {"key_figures": kf_dir, "data": out / datafiles.folder_name(stem)}
    pages = None
    if "pdf" in fmts:
        pdf_out = tmp / f"{stem}.pdf"
        t_pdf = time.perf_counter()
        pkey = cache.pdf_key(html) if keys is not None else None
        meta = cache.restore(pkey, tmp, {"briefing.pdf": pdf_out.name}) if pkey else None
        if meta is not None:
            pages = int(meta["pages"])
            timings.update(pdf_layout=0.0, pdf_write=time.perf_counter() - t_pdf)
            log.step(f"PDF, {pages} A4 pages (from the cache: same HTML)")
        else:
            pdf_timing: dict[str, float] = {}
            pages = pdf.write_pdf(html, pdf_out, pdf_timing)
            if pkey:
                cache.store(pkey, {"briefing.pdf": pdf_out}, "pdf", pages=pages)
            timings.update(pdf_layout=pdf_timing["layout"], pdf_write=pdf_timing["write"])
            log.step(f"PDF, {pages} A4 pages")
            log.detail(f"WeasyPrint: layout {pdf_timing['layout']:.1f} s, writing the PDF {pdf_timing['write']:.1f} s")
        staged.append((pdf_out, out / f"{stem}.pdf"))
        files["pdf"] = out / f"{stem}.pdf"
    if "html" in fmts:
        staged.append((html_tmp, out / f"{stem}.html"))
        files["html"] = out / f"{stem}.html"
    if memo_key:
        cache.store(
            memo_key,
            {str(dest.relative_to(out)): src for src, dest in staged},
            "build",
            outputs={k: str(v.relative_to(out)) for k, v in files.items()},
            pages=pages,
        )
    publish.publish(staged)
    log.step("published " + ", ".join(str(v) for k, v in files.items() if k != "key_figures"))
    return Built(files=files, key_figures=key_figures, pages=pages, timings=timings)


# --------------------------------------------------------------------------- briefing build
def request_of(
    values: Mapping[str, Any] | Params | None,
    fmts: tuple[str, ...],
    name: str | None,
    engine: str,
    claims: str | Sequence[str] | None,
) -> dict[str, Any] | None:
    """A build as asked for, for the build and parameter memos: None when it cannot be keyed
    (values that are not plain data)."""
    if isinstance(values, Params):
        values = {k: v for k, v in dataclasses.asdict(values).items() if v is not None}
    raw = {str(k): (list(v) if isinstance(v, tuple) else v) for k, v in (values or {}).items() if v is not None}
    if not all(isinstance(v, (str, int, float, bool, list)) for v in raw.values()):
        return None
    if claims is None or claims == "":
        files: Any = claims
    else:
        items = [x.strip() for x in claims.split(",")] if isinstance(claims, str) else [str(x).strip() for x in claims]
        files = []
        for item in (x for x in items if x):
            path = Path(item)
            if not path.is_file():
                return None  # check_claims says what is wrong
            files.append([str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()])
    return {"values": raw, "formats": list(fmts), "name": name, "engine": engine, "claims": files}


def publish_memo(key: str, out: Path, log: Progress) -> dict[str, Path] | None:
    """Publish a cached build's files into ``out``; their paths by kind, or None on a miss."""
    if cache.lookup(key) is None:
        return None
    with publish.session(out, log) as tmp:
        meta = cache.restore(key, tmp)
        if meta is None:
            return None
        publish.publish([(tmp / f, out / f) for f in meta["files"]])
    files = {k: out / v for k, v in meta["outputs"].items()}
    log.step("nothing changed since a build with the same parameters and inputs: published its files again")
    log.step("published " + ", ".join(str(v) for k, v in files.items() if k != "key_figures"))
    return files


def build(
    values: Mapping[str, Any] | Params | None = None,
    formats: str | Sequence[str] = FORMATS,
    out_dir: str | os.PathLike[str] = paths.REPORTS,
    progress: bool = True,
    *,
    notebooks_dir: str | os.PathLike[str] = paths.NOTEBOOKS,
    name: str | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
    verbose: bool = False,
    claims: str | Sequence[str] | None = None,
    use_cache: bool | None = None,
) -> dict[str, Path]:
    """Render the briefing into ``out_dir``; returns the written files by kind (``html``,
    ``pdf``, ``key_figures`` - the folder of the notebooks' JSON files).

    ``values``: the parameters (names of params.NAMES; a missing or None one comes from the
    data), as a dict or a Params. ``name`` overrides the file stem (default:
    ``params.output_name``); ``jobs`` the number of notebooks run at once (default: up to
    ``os.cpu_count()``); ``timeout`` is per cell, in seconds; ``engine`` is ``inprocess`` (warm
    workers, the default; ``fast`` is the same) or ``papermill`` (a Jupyter kernel per
    notebook); ``verbose`` adds the timing of each stage; ``claims`` names the claims files of
    the ledger (default: those that concern the recipient; "" for none); ``use_cache``: the
    stage cache (default: unless ``BRIEFING_NO_CACHE`` is set). Every parameter is checked
    before any notebook runs (the worker processes start warming up meanwhile).

    With the cache, a build whose request and inputs are those of an earlier build publishes
    that build's files again (nothing is imported or run); otherwise the notebooks whose
    stage is cached are copied, and workers start only if a notebook must run."""
    log = Progress(progress, verbose)
    engine = execute.check_engine(engine)
    check_count(jobs, "jobs (notebooks run at once)")
    fmts = check_formats(formats)
    sources = notebook_paths(notebooks_dir)
    workers = max(1, min(len(NOTEBOOKS), jobs or os.cpu_count() or 1))
    fp = memo = request = None
    known: Params | None = None
    if cache_enabled(use_cache):
        fp = cache.fingerprint(sources)
        request = request_of(values, fmts, name, engine, claims)
        if request is not None:
            memo = cache.build_key(request, fp)
            files = publish_memo(memo, Path(out_dir), log)
            if files is not None:
                return files
            known = cached_parameters(request, fp)
        if known is not None and all(cache.lookup(k) for k in stage_keys(known, NOTEBOOKS, fp, engine).values()):
            workers = 0  # every notebook is cached: no worker to start
    pool = start_pool(workers, engine=engine, log=log) if workers else None
    try:
        p = parameters(values)
        if request is not None and fp is not None and known is None:
            remember_parameters(request, fp, p)
        claims_files = check_claims(claims)
        stem = check_name(name or params.output_name(p))
        log.step(f"checked parameters ({p.recipient}, {p.supplier}, {p.region}, {p.start}-{p.end})")
        if pool is not None and "pdf" in fmts:
            # Import WeasyPrint now, while the workers still import (this process is otherwise
            # idle until they are warm), rather than beside two notebooks on two cores.
            pdf.preload()
        built = build_one(
            p,
            formats=fmts,
            out_dir=out_dir,
            name=stem,
            notebooks_dir=Path(notebooks_dir).resolve(),
            pool=pool,
            close_pool=True,
            timeout=timeout,
            engine=engine,
            log=log,
            claims=claims_files,
            use_cache=fp is not None,
            fingerprint=fp,
            memo_key=memo,
        )
    except BaseException:
        if pool is not None:
            pool.stop()
        raise
    if pool is not None:
        pool.close()
    return built.files


def cached_parameters(request: Mapping[str, Any], fp: cache.Fingerprint) -> Params | None:
    """The resolved parameters of an earlier build of ``request`` with the same inputs, or None."""
    meta = cache.lookup(cache.params_key(request, fp))
    if meta is None:
        return None
    try:
        v = meta["params"]
        fields: dict[str, Any] = {k: (tuple(x) if isinstance(x, list) else x) for k, x in v.items()}
        return Params(**fields)
    except (KeyError, TypeError):
        return None


def remember_parameters(request: Mapping[str, Any], fp: cache.Fingerprint, p: Params) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "params.json"
        f.write_text(json.dumps(stamp_parameters(p)), encoding="utf-8")
        cache.store(cache.params_key(request, fp), {"params.json": f}, "params", params=stamp_parameters(p))
