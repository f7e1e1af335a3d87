"""A build's notebook stages: what each notebook reads (its stage-cache key), the warm workers
that run them, and one notebook run as a worker job: executed, converted to its HTML fragment,
through the stage cache (:mod:`analysis.render.cache`); then several run on a pool, and a
notebook's key figures read back.

:mod:`analysis.render.pipeline` puts these together into a briefing (:func:`build_one`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import functools
import io
import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import i18n, params, paths
from analysis.errors import NotebookError
from analysis.params import Params
from analysis.render import cache, convert, execute, page, pdf
from analysis.render.execute import DEFAULT_ENGINE, DEFAULT_TIMEOUT
from analysis.render.progress import Progress, one_line
from analysis.render.workers import WorkerPool

# --------------------------------------------------------------------------- what each notebook reads
#: The parameters each notebook reads (its ``P.<name>``): a notebook's stage-cache key holds
#: these and no other, so that, in a batch, states that share a supplier, a region, its
#: sub-regions and rivals share section 3. Every notebook still receives every parameter and
#: echoes them all in its key figures' ``parameters``: a cached stage gets the build's own
#: (:func:`stamp_parameters`). ``tests/test_render_cache.py`` checks these against the
#: notebooks' code and that section 3 is the same for two recipients.
NOTEBOOK_READS: dict[str, tuple[str, ...]] = {
    "01_the_deal": ("recipient", "supplier", "start", "end", "agreement_date", "lang"),
    "02_context": ("recipient", "supplier", "peers", "former_power", "start", "end", "lang"),
    # The recipient appears in section 3 only in the sentence that says why a region other
    # than Africa was chosen (prose.region_reason): it is in the key only then.
    "03_china_in_africa": ("supplier", "region", "subregions", "rivals", "start", "end", "lang", "recipient_if_not_africa"),
}
#: Values derived from the parameters for a key (name -> function of the notebook values).
DERIVED_READS: dict[str, Any] = {"recipient_if_not_africa": lambda v: v["recipient"] if v["region"] != "Africa" else ""}


def stage_reads(stem: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters (notebook values) that notebook ``stem`` reads, for its cache key."""
    reads = NOTEBOOK_READS.get(stem)
    if reads is None:  # a notebook nobody declared: every parameter
        return {k: v for k, v in values.items() if k != "outputs"}
    return {k: (DERIVED_READS[k](values) if k in DERIVED_READS else values[k]) for k in reads}


def stamp_parameters(p: Params) -> dict[str, Any]:
    """The ``parameters`` a notebook writes in its key figures for ``p`` (as Section.write)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(p).items()}


def stage_keys(p: Params, stems: Sequence[str], fp: cache.Fingerprint, engine: str) -> dict[str, str]:
    """The stage-cache key of each notebook for the resolved parameters ``p``."""
    values = params.notebook_values(p)
    return {s: cache.stage_key(s, fp, stage_reads(s, values), engine) for s in stems}


# --------------------------------------------------------------------------- the workers
def warm(stage: str, kinds: Sequence[str] = ("notebooks",), engine: str = DEFAULT_ENGINE) -> None:
    """Do once per worker what its jobs would otherwise each do (a pool's ``warm`` callable).

    ``imports`` (before the worker group forks; starts no thread): the notebooks' libraries and
    the analysis modules, the in-process shell, the nbconvert exporter and a first chart
    (matplotlib's font lookup). ``data`` (in each worker after the fork): the tidy tables the
    notebooks read (pyarrow starts threads) and, for ``pdf``, WeasyPrint (Pango may start threads)."""
    if "notebooks" in kinds and stage == "imports":
        # jsonschema (imported by nbformat) builds an IRI grammar at import when rfc3987-syntax is
        # installed: a second per process, for a string format no notebook schema uses.
        import sys

        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
        os.environ.setdefault("MPLBACKEND", "agg")
        import matplotlib.pyplot as plt
        import nbformat  # noqa: F401
        import pandas  # noqa: F401
        import papermill  # noqa: F401

        from analysis import briefing, charts, context, data, deals, fmt, regions, transfers  # noqa: F401

        with contextlib.suppress(ImportError):
            import geopandas  # noqa: F401  (the map in notebook 03)
        if execute.check_engine(engine) == "inprocess":
            execute.register_engine()
            execute.runner()
        convert.exporter()
        # One dummy conversion: nbconvert loads and compiles its templates, mistune, pygments
        # and BeautifulSoup on the first call; done here, before the fork, no worker pays it.
        import nbformat as nbf

        dummy = nbf.v4.new_notebook(cells=[nbf.v4.new_markdown_cell("# Warm-up\n\nText.")])
        dummy.cells.append(
            nbf.v4.new_code_cell(
                "", outputs=[nbf.v4.new_output("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>"})]
            )
        )
        convert.fragment_of(dummy, resources_dir=str(paths.NOTEBOOKS), name="warm-up")
        page.jinja()
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title("warm-up")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    if stage == "data":
        if "notebooks" in kinds:
            from analysis import data

            data.transfers()
            data.release_of()
        if "pdf" in kinds:
            pdf.preload()


#: What a batch's workers are started with: pyarrow's jemalloc, which gives freed memory back.
#: With pyarrow's default here (mimalloc) a batch worker peaked at 639 MB over four briefings,
#: with jemalloc at 527 MB, and a batch of 50 stays under 1 GB; it costs about a tenth of the
#: batch's time (farm-bench, 12 states, A/B 1.05 against 0.93 with mimalloc), so a single build,
#: whose two workers live for seconds, keeps the default. ARROW_DEFAULT_MEMORY_POOL=mimalloc in
#: the environment chooses speed for a batch too.
LEAN_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}


def start_pool(
    size: int,
    *,
    engine: str = DEFAULT_ENGINE,
    kinds: Sequence[str] = ("notebooks",),
    log: Progress | None = None,
    lean: bool = False,
) -> WorkerPool:
    """A pool of ``size`` warm workers for notebooks (and, with ``pdf`` in ``kinds``, PDFs);
    ``lean``: workers that give memory back (:data:`LEAN_ENV`), for long runs."""

    def ready(info: dict[str, Any]) -> None:
        if log is not None and log.verbose:
            log.detail(f"worker {info.get('pid')} warm in {float(info.get('seconds', 0)):.1f} s (ready at {log.elapsed():.1f} s)")

    return WorkerPool(
        size,
        warm=functools.partial(warm, kinds=tuple(kinds), engine=execute.check_engine(engine)),
        on_ready=ready,
        env=LEAN_ENV if lean else None,
    )


# --------------------------------------------------------------------------- one notebook
def stage_files(stem: str, outputs: Path, fragment: Path) -> dict[str, Path]:
    """What a notebook wrote: its fragment, key figures and chart data (entry name -> file)."""
    files = {"fragment.html": fragment, f"{stem}.json": outputs / f"{stem}.json"}
    files.update({f.name: f for f in sorted(outputs.glob(f"{stem}-chart-*.csv"))})
    return files


def restore_stage(key: str, stem: str, outputs: Path, fragment: Path, stamp: Mapping[str, Any] | None) -> bool:
    """Copy a cached stage into the build's folder (the key figures get ``stamp`` as their
    parameters); False on a miss."""
    meta = cache.restore(
        key, outputs, {"fragment.html": str(fragment.relative_to(outputs))} if fragment.parent == outputs else None
    )
    if meta is None:
        return False
    if fragment.parent != outputs:
        shutil.copyfile(meta["dir"] / "fragment.html", fragment)
    if stamp is not None:
        kf_path = outputs / f"{stem}.json"
        kf = json.loads(kf_path.read_text(encoding="utf-8"))
        if kf.get("parameters") != stamp:
            kf["parameters"] = dict(stamp)
            from analysis import atomic

            atomic.write_json(kf_path, kf)
    return True


def run_notebook(
    stem: str,
    source: str,
    executed: str,
    parameters: dict[str, Any],
    cwd: str,
    fragment: str,
    timeout: int = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
    cache_key: str | None = None,
    stamp: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Execute one notebook and write its HTML fragment to ``fragment`` (a worker job).

    With ``cache_key``, the stage cache first: another process computing the same key is
    waited for, a hit is copied (``cached`` True), a result is stored.

    Returns a picklable dict: ``ok``, ``seconds``, ``convert_seconds`` or, on failure,
    ``ename``, ``evalue`` (one line) and ``cell`` (the execution count)."""
    if cache_key is None:
        return _run_notebook(stem, source, executed, parameters, cwd, fragment, timeout, engine)
    t0 = time.perf_counter()
    outputs, frag = Path(parameters["outputs"]), Path(fragment)
    with cache.computing(cache_key):
        if restore_stage(cache_key, stem, outputs, frag, stamp):
            return {"stem": stem, "ok": True, "cached": True, "seconds": time.perf_counter() - t0, "convert_seconds": 0.0}
        r = _run_notebook(stem, source, executed, parameters, cwd, fragment, timeout, engine)
        if r["ok"]:
            files = stage_files(stem, outputs, frag)
            if all(f.is_file() for f in files.values()):
                cache.store(cache_key, files, "stage", stem=stem)
    return r


def _run_notebook(
    stem: str, source: str, executed: str, parameters: dict[str, Any], cwd: str, fragment: str, timeout: int, engine: str
) -> dict[str, Any]:
    import papermill as pm

    t0 = time.perf_counter()
    try:
        nb = execute.execute_notebook(source, executed, parameters, cwd, timeout, engine)
    except pm.PapermillExecutionError as exc:
        return {
            "stem": stem,
            "ok": False,
            "ename": exc.ename,
            "evalue": one_line(exc.evalue),
            "cell": exc.exec_count,
            "seconds": time.perf_counter() - t0,
        }
    except Exception as exc:  # kernel died, timeout, unreadable notebook...
        return {
            "stem": stem,
            "ok": False,
            "ename": type(exc).__name__,
            "evalue": one_line(exc),
            "cell": None,
            "seconds": time.perf_counter() - t0,
        }
    t1 = time.perf_counter()
    try:
        with i18n.use(str(parameters.get("lang") or "en")):  # the notebook's language (a fallback alt text)
            Path(fragment).write_text(convert.fragment_of(nb, resources_dir=cwd, name=stem), encoding="utf-8")
    except Exception as exc:
        return {
            "stem": stem,
            "ok": False,
            "ename": f"conversion failed: {type(exc).__name__}",
            "evalue": one_line(exc),
            "cell": None,
            "seconds": time.perf_counter() - t0,
        }
    return {"stem": stem, "ok": True, "seconds": t1 - t0, "convert_seconds": time.perf_counter() - t1}


def notebook_failure(r: Mapping[str, Any]) -> NotebookError:
    """The one-line error for a failed :func:`run_notebook` result."""
    where = f"cell {r['cell']}" if r.get("cell") is not None else "a cell"
    return NotebookError(
        f"notebook {r['stem']}.ipynb failed in {where}: {r['ename']}: {r['evalue']} "
        f"(nothing was written; run it in Jupyter to see the traceback)"
    )


def run_on_pool(jobs: list[dict[str, Any]], pool: WorkerPool, log: Progress) -> dict[str, dict[str, Any]]:
    """Run notebook jobs (:func:`run_notebook`'s arguments) on ``pool``; results by stem. On
    Ctrl-C or SIGTERM the workers are stopped."""
    results: dict[str, dict[str, Any]] = {}
    try:
        futures = {pool.submit(run_notebook, **job): job["stem"] for job in jobs}
        for fut in cf.as_completed(futures):
            r = fut.result()
            r.setdefault("stem", futures[fut])
            results[r["stem"]] = r
            if r["ok"] and r.get("cached"):
                log.note(f"{r['stem']}: from the stage cache (another process had it computing)")
            elif r["ok"]:
                at = f" (done at {log.elapsed():.1f} s)" if log.verbose else ""
                log.note(f"{r['stem']}: executed in {r['seconds']:.1f} s, converted in {r['convert_seconds']:.1f} s{at}")
            else:
                log.note(f"{r['stem']}: failed after {r.get('seconds', 0.0):.1f} s ({r['ename']})")
    except BaseException:
        pool.stop()
        raise
    return results


def load_key_figures(path: Path, stem: str) -> dict[str, Any]:
    """A notebook's key figures (``<outputs>/<stem>.json``); NotebookError if missing or malformed."""
    if not path.is_file():
        raise NotebookError(
            f"notebook {stem}.ipynb wrote no key figures: expected {path.name} in the `outputs` folder "
            f"(write <outputs>/{stem}.json from the notebook)"
        )
    try:
        kf = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NotebookError(f"notebook {stem}.ipynb wrote unreadable key figures {path.name}: {one_line(exc)}") from None
    if not isinstance(kf, dict) or not isinstance(kf.get("figures", []), list):
        raise NotebookError(f"notebook {stem}.ipynb: {path.name} must be an object with a list of figures")
    return kf
