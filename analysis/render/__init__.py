"""Render the briefing: run the notebooks, convert them, assemble one HTML page and an A4 PDF.

    from analysis import render
    render.build({"recipient": "Niger", "supplier": "Russia"}, formats="html")

One module per stage; every name below is public and re-exported here:

* :mod:`~analysis.render.execute`: one notebook through ``papermill.execute_notebook``, with the
  in-process IPython engine (``inprocess``, also called ``fast``; the default) or a Jupyter
  kernel (``papermill``);
* :mod:`~analysis.render.convert`: nbconvert, the executed notebook -> a sanitised, polished HTML
  fragment (template ``analysis/templates/nbconvert/briefing/``);
* :mod:`~analysis.render.workers`: the pool of warm, forked worker processes that run callables;
* :mod:`~analysis.render.page`: the page (title, subtitle, parameters, findings, claim ledger,
  sections, appendix) with the templates in ``analysis/templates/page/``;
* :mod:`~analysis.render.pdf`: the PDF with WeasyPrint, fetching nothing;
* :mod:`~analysis.render.publish`: one build at a time per folder, a staging folder, atomic moves;
* :mod:`~analysis.render.stages`: a build's notebook stages: what each notebook reads (its
  stage-cache key), the warm workers, one notebook executed and converted as a worker job;
* :mod:`~analysis.render.pipeline`: :func:`build_one` (one briefing from resolved parameters)
  and :func:`build` (``briefing build``: check everything, then :func:`build_one`);
* :mod:`~analysis.render.batch`: ``briefing batch``, a briefing per state of a region, each made
  by :func:`build_one` in a worker.

Parameters are :class:`analysis.params.Params`: ``params.resolve(params.check(values))``, and
every notebook gets ``params.notebook_values(p, outputs=...)``.

Steps of a build (one progress line each on stderr, with timings; ``verbose`` adds each stage's):

1. **Warm workers** start at once: one fresh interpreter imports the notebooks' libraries and
   forks one worker per notebook run at once (up to ``os.cpu_count()``). Meanwhile this process
2. **checks** every parameter, the formats and the notebooks' presence;
3. **executes** the notebooks on the workers, each writing its key figures to
   ``<work>/<notebook>.json`` (the claim ledger is computed meanwhile here, where there is one:
   :func:`ledger_for`); a failing cell raises NotebookError naming the notebook, the cell and
   its error;
4. **converts** each executed notebook, in its worker, to an HTML fragment;
5. **assembles** one self-contained HTML page (Jinja, autoescaped);
6. **PDF** with WeasyPrint from the same HTML;
7. **publishes** atomically from ``<out>/.tmp-<pid>-<random>/``, under ``<out>/.build.lock``.

Output names: ``briefing.html`` and ``briefing.pdf`` for the default parameters,
``briefing-<recipient>-<supplier>[-<region>][-<start>-<end>].html`` otherwise
(:func:`analysis.params.output_name`), and the key-figure JSON files in ``key-figures/``
(``key-figures/<name>/`` for non-default builds).

Heavy modules (papermill, nbconvert, WeasyPrint, pandas) are imported inside functions so that
``briefing --help`` stays fast.
"""

from __future__ import annotations

from analysis.render.convert import fragment_of, notebook_fragment, polish_fragment, sanitize_fragment
from analysis.render.execute import (
    DEFAULT_ENGINE,
    DEFAULT_TIMEOUT,
    ENGINE_CHOICES,
    ENGINES,
    ShellRunner,
    check_engine,
    execute_notebook,
)
from analysis.render.page import assemble, title_of
from analysis.render.pdf import offline_fetcher, write_pdf
from analysis.render.pipeline import (
    FORMATS,
    NOTEBOOKS,
    Built,
    build,
    build_one,
    check_formats,
    ledger_for,
    notebook_paths,
    parameters,
)
from analysis.render.progress import Progress
from analysis.render.publish import build_lock, staging
from analysis.render.stages import run_notebook, start_pool
from analysis.render.workers import WorkerPool, peak_rss_mb

__all__ = [
    "DEFAULT_ENGINE",
    "DEFAULT_TIMEOUT",
    "ENGINES",
    "ENGINE_CHOICES",
    "FORMATS",
    "NOTEBOOKS",
    "Built",
    "Progress",
    "ShellRunner",
    "WorkerPool",
    "assemble",
    "build",
    "build_lock",
    "build_one",
    "check_engine",
    "check_formats",
    "execute_notebook",
    "fragment_of",
    "ledger_for",
    "notebook_fragment",
    "notebook_paths",
    "offline_fetcher",
    "parameters",
    "peak_rss_mb",
    "polish_fragment",
    "run_notebook",
    "sanitize_fragment",
    "staging",
    "start_pool",
    "title_of",
    "write_pdf",
]
