"""Render the briefing: run the notebooks, convert them, assemble one HTML page and an A4 PDF.

    briefing build [--recipient Mali] [--supplier China] [--region Africa] [--peers ...]
                   [--rivals ...] [--start 2000] [--end 2024] [--agreement-date 2024-09-02]
                   [--format html,pdf] [--out reports/] [--notebooks notebooks/]

Steps (one progress line each, on stderr, with timings):

1. **Validate** every parameter before any kernel starts: names through :mod:`analysis.regions`
   (UnknownNameError with the closest matches), years inside the primary SIPRI release's
   coverage (ParameterError), the agreement date, the formats, and the notebooks' presence.
2. **Execute** the three notebooks with papermill, in parallel (a process pool; one worker per
   notebook up to ``os.cpu_count()``), each writing its key figures to
   ``<work>/<notebook>.json``. The claim ledger is computed meanwhile in this process.
   A failing cell raises NotebookError naming the notebook, the cell and its error.
3. **Convert** each executed notebook to an HTML fragment with nbconvert and the template in
   ``analysis/templates/briefing/`` (no code, no prompts, no stderr, no tracebacks, no scripts;
   images as data: URIs).
4. **Assemble** one self-contained HTML page (Jinja, autoescaped): cover, key findings, claim
   ledger, the three sections, and the appendix on sources, licences and methods, with one
   embedded print stylesheet (``briefing.css``).
5. **PDF** with WeasyPrint from the same HTML; its URL fetcher refuses every URL that is not a
   ``data:`` URI, so nothing is fetched.
6. **Publish** atomically: everything is rendered in ``<out>/.tmp-<pid>-<random>/`` and each
   finished file is moved into place with ``os.replace``. A failed or interrupted build leaves
   the previous briefing untouched and removes its temporary folder. ``<out>/.build.lock``
   serialises builds into one folder (the second waits, and says so).

Output names: ``briefing.html`` and ``briefing.pdf`` for the default parameters,
``briefing-<recipient>-<supplier>[-<region>][-<start>-<end>].html`` otherwise, and the key-figure
JSON files in ``key-figures/`` (``key-figures/<name>/`` for non-default builds).

Heavy modules (papermill, nbconvert, WeasyPrint, pandas) are imported inside functions so
that ``briefing --help`` stays fast.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from analysis.errors import BriefingError, NotebookError, ParameterError, UnknownNameError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "briefing"
TEMPLATE_DIR = TEMPLATES_DIR / TEMPLATE_NAME

#: The notebooks, in the order their sections appear.
NOTEBOOKS: tuple[str, ...] = ("01_the_deal", "02_context", "03_china_in_africa")
FORMATS: tuple[str, ...] = ("html", "pdf")
KERNEL = "python3"
MIN_YEARS = 5  # the notebooks compare five-year windows ending at ``end``
DEFAULT_TIMEOUT = 1800  # seconds per cell

VERDICT_CLASSES = {
    "supported": "v-supported",
    "partly supported": "v-partly",
    "contradicted": "v-contradicted",
    "not checkable with these data": "v-unchecked",
}
VERDICT_LEGEND = (
    ("supported", "v-supported", "the data or curated sources state it;"),
    ("partly supported", "v-partly", "it holds for part of what is claimed;"),
    ("contradicted", "v-contradicted", "the data say otherwise;"),
    ("not checkable with these data", "v-unchecked", "the evidence says what would settle it."),
)


# --------------------------------------------------------------------------- parameters
@dataclasses.dataclass(frozen=True)
class BuildParams:
    """The briefing's parameters. Names are matched forgivingly (see analysis.regions);
    ``peers`` and ``rivals`` are comma-separated lists of countries."""

    recipient: str = "Mali"
    supplier: str = "China"
    region: str = "Africa"
    peers: str = "Burkina Faso, Niger"
    rivals: str = "Russia, United States, France, Turkiye"
    start: int = 2000
    end: int = 2024
    agreement_date: str = "2024-09-02"

    def notebook_parameters(self) -> dict[str, dict[str, Any]]:
        """The papermill parameters of each notebook (``outputs`` is added by the build)."""
        return {
            "01_the_deal": {"recipient": self.recipient, "supplier": self.supplier,
                            "agreement_date": self.agreement_date},
            "02_context": {"country": self.recipient, "peers": self.peers,
                           "start": self.start, "end": self.end},
            "03_china_in_africa": {"supplier": self.supplier, "region": self.region, "rivals": self.rivals,
                                   "start": self.start, "end": self.end},
        }


def _coverage() -> tuple[int, int]:
    """First and last delivery year of the primary SIPRI release."""
    from analysis import data
    from analysis import transfers as tr

    return tr.coverage(data.transfers())


def _one_name(value: object, what: str) -> str:
    from analysis import regions

    try:
        return regions.resolve(value)  # type: ignore[arg-type]
    except UnknownNameError as exc:
        raise UnknownNameError(f"{what}: {exc}") from None
    except ParameterError as exc:
        raise ParameterError(f"{what}: {exc}") from None


def _name_list(value: object, what: str) -> str:
    if not isinstance(value, str):
        if isinstance(value, Iterable):
            value = ", ".join(str(v) for v in value)
        else:
            raise ParameterError(f"{what} must be a comma-separated list of countries, got {type(value).__name__}")
    items = [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
    if not items:
        raise ParameterError(f"{what} is empty: give one or more countries separated by commas")
    out: list[str] = []
    for item in items:
        name = _one_name(item, what)
        if name not in out:
            out.append(name)
    return ", ".join(out)


def _region(value: object) -> str:
    from analysis import regions

    if not isinstance(value, str) or not value.strip():
        raise ParameterError("region is empty: give a SIPRI region or group such as Africa or West Africa")
    if regions.is_region(value):
        return regions.display_name(value)
    try:
        name = regions.resolve(value)
    except UnknownNameError as exc:
        raise UnknownNameError(f"region: {exc}") from None
    raise ParameterError(f"region: {value!r} is a country ({name}); give a region or group such as Africa, "
                         f"Sub-Saharan Africa or West Africa (see `briefing data countries`)")


def _year(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise ParameterError(f"{what} must be a year such as 2000, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    raise ParameterError(f"{what} must be a year such as 2000, got {value!r}")


def _date(value: object) -> str:
    text = str(value).strip() if value is not None else ""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ParameterError(f"agreement date must be a date written YYYY-MM-DD, such as 2024-09-02; got {value!r}") from None


def check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Normalise ``formats`` ("html,pdf" or a sequence) to a tuple in FORMATS order."""
    items = re.split(r"[,\s]+", formats) if isinstance(formats, str) else list(formats)
    wanted = {str(f).strip().lower().lstrip(".") for f in items if str(f).strip()}
    if not wanted:
        raise ParameterError(f"no output format given: choose from {', '.join(FORMATS)}")
    bad = sorted(wanted - set(FORMATS))
    if bad:
        raise ParameterError(f"unknown output format(s) {', '.join(bad)}: choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in wanted)


def validate(params: BuildParams, coverage: Callable[[], tuple[int, int]] | None = None) -> BuildParams:
    """Check every parameter and return them normalised (SIPRI names, ints, ISO date).

    Raises UnknownNameError for a name that is not a country or region (with close matches)
    and ParameterError for years outside the data's coverage, a bad date or a bad list."""
    recipient = _one_name(params.recipient, "recipient")
    supplier = _one_name(params.supplier, "supplier")
    if recipient == supplier:
        raise ParameterError(f"recipient and supplier are both {recipient}: give two different countries")
    region = _region(params.region)
    peers = _name_list(params.peers, "peers")
    rivals = _name_list(params.rivals, "rivals")
    start, end = _year(params.start, "start"), _year(params.end, "end")
    if start > end:
        raise ParameterError(f"start {start} is after end {end}: give start <= end")
    lo, hi = (coverage or _coverage)()
    if start < lo or end > hi:
        raise ParameterError(f"years {start}-{end} lie outside the data's delivery years {lo}-{hi}; choose years inside them")
    if end - start + 1 < MIN_YEARS:
        raise ParameterError(f"years {start}-{end} are shorter than one {MIN_YEARS}-year window; "
                             f"give at least {MIN_YEARS} years (e.g. --start {end - MIN_YEARS + 1})")
    date = _date(params.agreement_date)
    return BuildParams(recipient=recipient, supplier=supplier, region=region, peers=peers, rivals=rivals,
                       start=start, end=end, agreement_date=date)


def slugify(text: object) -> str:
    """'Côte d'Ivoire' -> 'cote-divoire'."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"['\u2019`]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def output_name(params: BuildParams, defaults: BuildParams | None = None) -> str:
    """``briefing`` for the default parameters, ``briefing-<recipient>-<supplier>...`` otherwise.
    Both arguments must be normalised (see :func:`validate`)."""
    d = defaults if defaults is not None else validate_defaults()
    if params == d:
        return "briefing"
    parts = ["briefing", slugify(params.recipient), slugify(params.supplier)]
    if params.region != d.region:
        parts.append(slugify(params.region))
    if (params.start, params.end) != (d.start, d.end):
        parts += [str(params.start), str(params.end)]
    return "-".join(parts)


def validate_defaults() -> BuildParams:
    """The default parameters, normalised (no coverage check: they are the project's own)."""
    return validate(BuildParams(), coverage=lambda: (BuildParams.start, BuildParams.end))


def _check_stem(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name or ""):
        raise ParameterError(f"output name {name!r} must be letters, digits, '.', '_' or '-'")
    return name


def notebook_paths(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """The three notebooks in ``notebooks_dir``, in order; NotebookError if one is missing."""
    folder = Path(notebooks_dir)
    paths = [folder / f"{stem}.ipynb" for stem in NOTEBOOKS]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise NotebookError(f"notebook(s) {', '.join(missing)} not found in {folder}; the briefing needs {', '.join(NOTEBOOKS)}")
    return paths


# --------------------------------------------------------------------------- progress
class _Progress:
    """One line per step on stderr, with the step's time and the time since the start."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.t0 = self.last = time.perf_counter()

    def step(self, message: str, since: float | None = None) -> None:
        now = time.perf_counter()
        took = now - (self.last if since is None else since)
        self.last = now
        if self.enabled:
            print(f"briefing: {message} ({took:.1f} s; {now - self.t0:.1f} s in all)", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        if self.enabled:
            print(f"briefing: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- notebooks (workers)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_REPR = re.compile(r"at 0x[0-9a-fA-F]{6,}>|^\s*\[?\s*<(Figure|Axes|matplotlib)\b|^\s*\[?\s*(Text|Line2D)\(")


def _one_line(text: object, limit: int = 300) -> str:
    s = " ".join(_ANSI.sub("", str(text)).split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


RESULT_MARK = "@@briefing-notebook-result@@ "


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run_notebook(stem: str, source: str, executed: str, parameters: dict[str, Any], cwd: str,
                 fragment: str, timeout: int = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Execute one notebook with papermill and write its HTML fragment to ``fragment``.

    Returns a JSON-able dict: ``ok``, ``seconds``, ``convert_seconds`` or, on failure,
    ``ename``, ``evalue`` (one line) and ``cell`` (the execution count)."""
    import papermill as pm

    t0 = time.perf_counter()
    try:
        pm.execute_notebook(source, executed, parameters=parameters, kernel_name=KERNEL, cwd=cwd,
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            execution_timeout=timeout)
    except pm.PapermillExecutionError as exc:
        return {"stem": stem, "ok": False, "ename": exc.ename, "evalue": _one_line(exc.evalue),
                "cell": exc.exec_count, "seconds": time.perf_counter() - t0}
    except Exception as exc:  # kernel died, timeout, unreadable notebook...
        return {"stem": stem, "ok": False, "ename": type(exc).__name__, "evalue": _one_line(exc),
                "cell": None, "seconds": time.perf_counter() - t0}
    t1 = time.perf_counter()
    try:
        Path(fragment).write_text(notebook_fragment(executed, resources_dir=cwd), encoding="utf-8")
    except Exception as exc:
        return {"stem": stem, "ok": False, "ename": f"conversion failed: {type(exc).__name__}",
                "evalue": _one_line(exc), "cell": None, "seconds": time.perf_counter() - t0}
    return {"stem": stem, "ok": True, "seconds": t1 - t0, "convert_seconds": time.perf_counter() - t1}


def _worker_main() -> None:
    """Entry point of a worker process: one job (JSON) on stdin, its result on stdout.

    The build process decides when to stop: Ctrl-C is ignored here, and the build stops a worker with
    SIGTERM, which unwinds papermill so that the kernel is shut down cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    job = json.loads(sys.stdin.read())
    result = run_notebook(**job)
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- conversion
_DROP_TAGS = ("script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed",
              "applet", "form", "input", "button", "textarea", "select", "noscript", "template")


def sanitize_fragment(html: str) -> Any:
    """Remove what a briefing must not carry from HTML written by a notebook: scripts,
    stylesheets, frames, forms, event handlers, javascript: links and external resources."""
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    soup = BeautifulSoup(str(html), "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            value = " ".join(tag[attr]) if isinstance(tag[attr], list) else str(tag[attr])
            low = value.strip().lower()
            if attr.lower().startswith("on") or attr.lower() in ("srcset", "formaction"):
                del tag[attr]
            elif attr.lower() in ("href", "src", "xlink:href", "action", "poster", "background") and (
                    low.startswith(("javascript:", "vbscript:"))
                    or (attr.lower() != "href" and not low.startswith("data:"))):
                del tag[attr]  # only data: URIs may be loaded; links may point anywhere but javascript:
            elif attr.lower() == "style" and ("url(" in low or "expression(" in low):
                del tag[attr]
    return Markup(str(soup))  # noqa: S704 - sanitised above


def _img_tag(output: dict[str, Any], mime: str) -> Any:
    from markupsafe import Markup, escape

    data = output.get("data", {}).get(mime, "")
    if isinstance(data, list):
        data = "".join(data)
    if mime == "image/svg+xml":
        b64 = base64.b64encode(str(data).encode("utf-8")).decode("ascii")
    else:
        b64 = re.sub(r"\s+", "", str(data))
    meta = (output.get("metadata") or {}).get(mime, {}) or {}
    alt = meta.get("alt") or "Chart"
    size = ""
    if isinstance(meta.get("width"), (int, float)) and meta["width"] > 0:
        size = f' width="{int(meta["width"])}"'
    return Markup(f'<img src="data:{mime};base64,{b64}" alt="{escape(alt)}"{size}>')  # noqa: S704


def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.anchor_link_text = ""
    c.HTMLExporter.sanitize_html = False  # our own sanitiser runs on every HTML output
    c.NbConvertBase.display_data_priority = ["text/html", "text/markdown", "image/svg+xml", "image/png",
                                             "image/jpeg", "text/plain"]
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell", "hide", "hide-cell"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "remove_output", "hide-output"}
    c.TagRemovePreprocessor.remove_single_output_tags = {"remove-output", "remove_output"}
    ex = HTMLExporter(config=c)
    ex.register_filter("sanitize_fragment", sanitize_fragment)
    ex.register_filter("img_tag", _img_tag)
    ex.register_filter("strip_ansi", lambda s: _ANSI.sub("", str(s)))
    ex.register_filter("is_object_repr", lambda s: bool(_REPR.search(str(s))))
    ex.register_filter("slug", slugify)
    return ex


def _drop_noise(nb: Any) -> None:
    """Strip what never belongs in a briefing: errors, stderr (warnings) and widget/JS outputs."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        keep = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error" or (kind == "stream" and out.get("name") != "stdout"):
                continue
            if kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                for mime in ("application/javascript", "application/vnd.jupyter.widget-view+json",
                             "application/vnd.jupyter.widget-state+json"):
                    data.pop(mime, None)
                if not data:
                    continue
                if kind == "execute_result" and set(data) == {"text/plain"}:
                    continue  # a cell's stray last value (a count, a repr): the narrative is Markdown
            keep.append(out)
        cell["outputs"] = keep


def notebook_fragment(path: str | os.PathLike[str], resources_dir: str | os.PathLike[str] | None = None) -> str:
    """An executed notebook as an HTML fragment for the briefing (no code, no prompts)."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    _drop_noise(nb)
    folder = str(resources_dir or Path(path).parent)
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"path": folder, "name": Path(path).stem}})
    return polish_fragment(body)


LONG_TABLE_LINES = 45
_NUMBER = re.compile(r"^[\u2212+-]?(\d[\d,\u202f\u00a0]*(\.\d+)?|\.\d+)\s*%?$")
_URL = re.compile(r"^https?://\S+$", re.I)


def _short_url(url: str, limit: int = 40) -> str:
    from urllib.parse import unquote, urlsplit

    u = urlsplit(url)
    text = unquote(u.netloc.removeprefix("www.") + u.path).rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def polish_fragment(html: str) -> str:
    """Print typography for a converted notebook:

    * a Markdown block directly followed by a table or a chart gets ``lead-in`` (the stylesheet
      keeps it on the same page as what it introduces: no stranded headings or intros);
    * in tables written by the notebooks, columns of numbers are right-aligned (``num``) and a
      cell holding only a URL becomes a short link (host and path), so URLs do not take half
      the page width;
    * ``<img src=...>`` comes first again (BeautifulSoup sorts attributes)."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    blocks = [el for el in soup.find_all(["div", "figure"], recursive=True)
              if isinstance(el, Tag) and (el.name == "figure" or {"nb-markdown", "nb-html", "nb-text"} & set(el.get("class", [])))
              and not el.find_parent(class_=["nb-markdown", "nb-html"])]
    for a, b in zip(blocks, blocks[1:]):
        if "nb-markdown" in a.get("class", []) and (b.name == "figure" or ("nb-html" in b.get("class", []) and b.find("table"))):
            a["class"] = [*a.get("class", []), "lead-in"]
    for table in soup.select(".nb-html table"):
        for td in table.find_all("td"):
            text = td.get_text(strip=True)
            if _URL.match(text) and not td.find(True):
                td.clear()
                link = soup.new_tag("a", href=text)
                for k, part in enumerate(_short_url(text).split("/")):
                    if k:
                        link.append("/")
                        link.append(soup.new_tag("wbr"))  # break after slashes, not inside words
                    link.append(part)
                td.append(link)
        # A table longer than about a page may break between rows (its header repeats); a
        # shorter one is kept whole. Height is estimated in lines: a row is as tall as its
        # longest cell, at about 60 characters a line.
        est = sum(max([1] + [len(c.get_text(" ", strip=True)) // 60 + 1 for c in tr.find_all(["td", "th"])])
                  for tr in table.find_all("tr"))
        if est > LONG_TABLE_LINES:
            wrapper = table.find_parent(class_="nb-html")
            for el in (table, wrapper):
                if el is not None:
                    el["class"] = [*el.get("class", []), "long"]
        if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
            continue
        rows = [tr.find_all(["td", "th"], recursive=False) for tr in table.find_all("tr")]
        body = [r for r in rows if r and all(c.name == "td" for c in r[1:])]
        width = max((len(r) for r in rows), default=0)
        for i in range(width):
            cells = [r[i] for r in body if i < len(r) and r[i].name == "td"]
            values = [c.get_text(strip=True) for c in cells]
            filled = [v for v in values if v and v not in ("-", "\u2013", "n/a")]
            if filled and all(_NUMBER.match(v) for v in filled):
                for r in rows:
                    if i < len(r):
                        r[i]["class"] = [*r[i].get("class", []), "num"]
    out = str(soup)
    return re.sub(r'<img alt="([^"]*)" src="(data:[^"]*)"', r'<img src="\2" alt="\1"', out)


# --------------------------------------------------------------------------- running
WORKER_CMD = "from analysis.render import _worker_main; _worker_main()"


def _run_all(jobs: list[dict[str, Any]], workers: int, progress: _Progress) -> dict[str, dict[str, Any]]:
    """Run the notebooks, ``workers`` at a time, each in its own worker process (a fresh
    interpreter running :func:`run_notebook`); results by stem.

    Worker processes rather than multiprocessing: nothing is forked from a process with
    threads, and no script's ``__main__`` is imported again, so ``build()`` can be called from
    any script, notebook or REPL. On Ctrl-C or SIGTERM the workers are stopped (SIGTERM, then
    SIGKILL after 15 s) and their kernels shut down."""
    import concurrent.futures as cf
    import subprocess

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (str(ROOT), env.get("PYTHONPATH", "")) if x)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    stop = threading.Event()
    running: dict[str, subprocess.Popen[str]] = {}
    guard = threading.Lock()

    def one(job: dict[str, Any]) -> dict[str, Any]:
        stem = job["stem"]
        if stop.is_set():
            return {"stem": stem, "ok": False, "ename": "Interrupted", "evalue": "the build was stopped", "cell": None, "seconds": 0.0}
        t0 = time.perf_counter()
        with guard:
            proc = subprocess.Popen([sys.executable, "-c", WORKER_CMD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
            running[stem] = proc
        try:
            out, err = proc.communicate(json.dumps(job))
        finally:
            with guard:
                running.pop(stem, None)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK):])
        last = [x for x in err.splitlines() if x.strip()][-1:] or [f"exit code {proc.returncode}"]
        return {"stem": stem, "ok": False, "ename": "worker process failed", "evalue": _one_line(last[0]),
                "cell": None, "seconds": time.perf_counter() - t0}

    results: dict[str, dict[str, Any]] = {}
    with cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook") as pool:
        try:
            futures = [pool.submit(one, job) for job in jobs]
            for fut in cf.as_completed(futures):
                r = fut.result()
                results[r["stem"]] = r
                if r["ok"]:
                    progress.note(f"{r['stem']}: executed in {r['seconds']:.1f} s, converted in {r['convert_seconds']:.1f} s")
                else:
                    progress.note(f"{r['stem']}: failed after {r['seconds']:.1f} s ({r['ename']})")
        except BaseException:
            stop.set()
            with guard:
                procs = list(running.values())
            for proc in procs:
                with contextlib.suppress(OSError):
                    proc.terminate()
            deadline = time.monotonic() + 15
            for proc in procs:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except Exception:
                    with contextlib.suppress(OSError):
                        proc.kill()
            raise
    return results


def _failure(results: dict[str, dict[str, Any]]) -> NotebookError | None:
    for stem in NOTEBOOKS:
        r = results.get(stem)
        if r is not None and not r["ok"]:
            where = f"cell {r['cell']}" if r.get("cell") is not None else "a cell"
            return NotebookError(f"notebook {stem}.ipynb failed in {where}: {r['ename']}: {r['evalue']} "
                                 f"(nothing was written; run it in Jupyter to see the traceback)")
    return None


def _ledger() -> Any:
    from analysis import claims

    return claims.ledger()


def _ledger_applies(p: BuildParams) -> bool:
    """The claim ledger checks news claims about Mali's agreement with a Chinese maker."""
    return p.recipient == "Mali" and p.supplier == "China"


def _load_key_figures(path: Path, stem: str) -> dict[str, Any]:
    if not path.is_file():
        raise NotebookError(f"notebook {stem}.ipynb wrote no key figures: expected {path.name} in the `outputs` folder "
                            f"(write <outputs>/{stem}.json from the notebook)")
    try:
        kf = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NotebookError(f"notebook {stem}.ipynb wrote unreadable key figures {path.name}: {_one_line(exc)}") from None
    if not isinstance(kf, dict) or not isinstance(kf.get("figures", []), list):
        raise NotebookError(f"notebook {stem}.ipynb: {path.name} must be an object with a list of figures")
    return kf


# --------------------------------------------------------------------------- assembly
def _display(name: str) -> str:
    from analysis import regions

    try:
        return regions.display_name(name)
    except BriefingError:
        return name


def _possessive(name: str) -> str:
    return f"{name}\u2019" if name.endswith("s") else f"{name}\u2019s"


def _maker(p: BuildParams) -> str | None:
    """The maker named by a curated agreement of ``recipient`` with ``supplier`` on the
    agreement date (e.g. Norinco), from data/curated/events.csv and systems.csv."""
    import csv

    from analysis import regions

    curated = regions.CURATED_DIR
    try:
        with open(curated / "systems.csv", encoding="utf-8", newline="") as fh:
            makers = sorted({r["maker"].strip() for r in csv.DictReader(fh) if r.get("maker", "").strip()}, key=len, reverse=True)
        with open(curated / "events.csv", encoding="utf-8", newline="") as fh:
            events = [r for r in csv.DictReader(fh)
                      if r.get("date", "").startswith(p.agreement_date) and r.get("category") == "agreement"
                      and r.get("country") in (p.recipient, _display(p.recipient))]
    except (OSError, KeyError):
        return None
    for e in events:
        text = f"{e.get('title', '')} {e.get('event_id', '')}".lower()
        for m in makers:
            if m.lower() in text:
                return m
    return None


def title_of(p: BuildParams) -> str:
    """"Mali, Norinco and China's arms in Africa" for the default parameters."""
    r, s, region = _display(p.recipient), _display(p.supplier), p.region
    maker = _maker(p)
    return f"{r}, {maker} and {_possessive(s)} arms in {region}" if maker else f"{r} and {_possessive(s)} arms in {region}"


def _long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _years_text(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value[0]}\u2013{value[1]}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _release_text(r: Any) -> str:
    if isinstance(r, dict):
        from analysis import sources

        sid = str(r.get("source", ""))
        src = sources.catalogue().get(sid)
        head = src.title.split(":")[0] if src else (sid or str(r.get("title", "")))
        rel = r.get("release") or r.get("label") or ""
        gen = r.get("generated")
        text = f"{head}: {rel} release" if rel else head
        return f"{text}, data generated {gen}" if gen else text
    label = str(r)
    from analysis import sources

    for src in sources.catalogue().values():  # "March 2025" -> the register release's full title
        if src.format.startswith("sipri_register") and f"({label} release" in src.title:
            return src.title
    return label


def _source_items(text: str) -> list[dict[str, str]]:
    from urllib.parse import urlsplit

    items = []
    for s in (x.strip() for x in str(text or "").split(";")):
        if not s:
            continue
        if re.match(r"https?://", s, re.I):
            u = urlsplit(s)
            short = (u.netloc.removeprefix("www.") + u.path).rstrip("/")
            short = short if len(short) <= 48 else short[:47] + "\u2026"
            items.append({"href": s, "text": short})
        else:
            items.append({"href": "", "text": s})
    return items


def _ledger_rows(frame: Any) -> list[dict[str, Any]]:
    rows = []
    for r in frame.to_dict("records"):
        verdict = str(r.get("verdict", ""))
        rows.append({"id": r.get("id", ""), "claim": str(r.get("claim", "")), "verdict": verdict,
                     "verdict_class": VERDICT_CLASSES.get(verdict, "v-unchecked"),
                     "evidence": str(r.get("evidence", "")), "sources": _source_items(r.get("sources", ""))})
    return rows


def _jinja() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def _build_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def assemble(p: BuildParams, sections: list[dict[str, Any]], key_figures: dict[str, dict[str, Any]],
             ledger: Any | None, built: dt.datetime | None = None) -> str:
    """The briefing as one self-contained HTML page.

    ``sections``: dicts with stem and html (nbconvert fragments, trusted); ``key_figures``:
    the notebooks' JSON by stem; ``ledger``: claims.ledger() or None. Every other value is
    escaped by the template."""
    from markupsafe import Markup

    built = built or _build_time()
    title = title_of(p)
    r, s = _display(p.recipient), _display(p.supplier)
    parameters = [
        ("Recipient", r), ("Supplier", s), ("Region", p.region),
        ("Peers", ", ".join(_display(x.strip()) for x in p.peers.split(","))),
        ("Rivals", ", ".join(_display(x.strip()) for x in p.rivals.split(","))),
        ("Years", f"{p.start}\u2013{p.end}"), ("Agreement date", _long_date(p.agreement_date)),
    ]
    releases: list[str] = []
    findings: list[dict[str, str]] = []
    for stem in NOTEBOOKS:
        kf = key_figures.get(stem, {})
        for rel in kf.get("releases", []) or []:
            t = _release_text(rel)
            if t and t not in releases:
                releases.append(t)
        for f in kf.get("figures", []) or []:
            if not isinstance(f, dict) or not f.get("headline"):
                continue
            text = f.get("text") or f"{f.get('label', '')}: {f.get('value', '')} {f.get('unit', '')}".strip()
            meta = " \u00b7 ".join(x for x in (str(f.get("region") or ""), _years_text(f.get("years")),
                                                 (f"{f['release']} release" if f.get("release") else "")) if x)
            findings.append({"text": str(text), "meta": meta})
    secs = []
    for sec in sections:
        kf = key_figures.get(sec["stem"], {})
        html = str(sec["html"])
        secs.append({"stem": sec["stem"], "id": f"section-{slugify(sec['stem'])}",
                     "title": str(kf.get("title") or sec["stem"]), "has_h1": bool(re.search(r"<h1[\s>]", html)),
                     "html": Markup(html)})  # noqa: S704 - nbconvert output, sanitised per cell
    toc = [("key-findings", "Key findings")]
    if ledger is not None:
        toc.append(("claim-ledger", "Claim ledger"))
    toc += [(x["id"], x["title"]) for x in secs]
    toc.append(("appendix", "Sources, licences and methods"))
    from analysis import sources as src_mod

    srcs = [{"title": x.title, "publisher": x.publisher, "role": x.role, "url": x.url if re.match(r"https?://", x.url) else "",
             "licence": x.licence, "credit": x.credit} for x in src_mod.catalogue().values()]
    ledger_intro = (f"News claims about {r}\u2019s agreement of {_long_date(p.agreement_date)}, each checked against the data "
                    "and the curated press sources. Verdicts are computed, so they change when the data do.")
    css = (TEMPLATE_DIR / "briefing.css").read_text(encoding="utf-8")
    return _jinja().get_template("briefing.html.j2").render(
        title=title,
        subtitle=(f"{_possessive(r)} arms imports and {_possessive(s)} arms transfers to {p.region}, "
                  f"{p.start}\u2013{p.end}: a sourced briefing from SIPRI data and curated press sources"),
        built=f"{built.day} {built.strftime('%B %Y, %H:%M')} UTC",
        built_iso=built.isoformat(timespec="seconds"),
        parameters=parameters, releases=releases, toc=toc, findings=findings,
        ledger=_ledger_rows(ledger) if ledger is not None else None, ledger_intro=ledger_intro,
        verdict_legend=VERDICT_LEGEND, sections=secs, sources=srcs,
        window_example=f"{p.end - 4}\u2013{p.end} against {p.end - 9}\u2013{p.end - 5}",
        css=Markup(css),  # noqa: S704 - our own stylesheet
    )


# --------------------------------------------------------------------------- PDF
def _offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that loads data: URIs only and refuses everything else."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):
        class OfflineFetcher(weasyprint.URLFetcher):  # type: ignore[misc, name-defined]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not url.lower().startswith("data:"):
                    raise ValueError(f"the briefing fetches nothing: refused {url[:80]}")
                return super().fetch(url, headers)

        return OfflineFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # WeasyPrint < 66
        if not url.lower().startswith("data:"):
            raise ValueError(f"the briefing fetches nothing: refused {url[:80]}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


def write_pdf(html: str, path: Path, base_dir: Path) -> int:
    """Render ``html`` to an A4 PDF at ``path``; returns the number of pages."""
    import logging

    import weasyprint

    # WeasyPrint logs every refused URL and unsupported property as a warning; keep errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=_offline_fetcher()).render()
    doc.write_pdf(str(path))
    return len(doc.pages)


# --------------------------------------------------------------------------- build
@contextlib.contextmanager
def _build_lock(out_dir: Path, progress: _Progress) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(out_dir / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"briefing: another build is writing to {out_dir}; waiting for it to finish (lock {lock.lock_file})",
              file=sys.stderr, flush=True)
        lock.acquire()
        progress.step("the other build finished")
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds the build like Ctrl-C, so that its temporary folder is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _publish(staged: list[tuple[Path, Path]]) -> None:
    for src, dest in staged:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(src, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(src, dest)


def build(params: BuildParams | None = None, formats: str | Sequence[str] = FORMATS,
          out_dir: str | os.PathLike[str] = REPORTS_DIR, progress: bool = True, *,
          notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR, name: str | None = None,
          jobs: int | None = None, timeout: int = DEFAULT_TIMEOUT) -> dict[str, Path]:
    """Render the briefing into ``out_dir``; returns the written files by kind
    (``html``, ``pdf``, ``key_figures`` - the folder of the notebooks' JSON files).

    ``name`` overrides the file stem (default: :func:`output_name`); ``jobs`` the number of
    notebooks run at once (default: up to ``os.cpu_count()``); ``timeout`` is per cell, in
    seconds. Every parameter is checked before any notebook runs."""
    log = _Progress(progress)
    raw = params or BuildParams()
    p = validate(raw)
    fmts = check_formats(formats)
    nb_dir = Path(notebooks_dir).resolve()
    sources_nb = notebook_paths(nb_dir)
    defaults = validate_defaults()
    stem = _check_stem(name or output_name(p, defaults))
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise ParameterError(f"jobs must be a positive number of notebooks run at once, got {jobs!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log.step(f"checked parameters ({p.recipient}, {p.supplier}, {p.region}, {p.start}-{p.end})")

    kf_dir = out / "key-figures" if stem == "briefing" else out / "key-figures" / stem
    with _sigterm_as_interrupt(), _build_lock(out, log):
        for stale in out.glob(".tmp-*"):  # left by a killed build: no other build holds the lock
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        tmp = out / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            work = tmp / "work"
            work.mkdir()
            nb_params = p.notebook_parameters()
            jobs_ = [{"stem": s, "source": str(src), "executed": str(work / f"{s}.ipynb"),
                      "parameters": {**nb_params[s], "outputs": str(work.resolve())}, "cwd": str(nb_dir),
                      "fragment": str(work / f"{s}.fragment.html"), "timeout": timeout} for s, src in zip(NOTEBOOKS, sources_nb)]
            workers = max(1, min(len(jobs_), jobs or os.cpu_count() or 1))
            log.note(f"running {len(jobs_)} notebooks, {workers} at a time")
            t_run = time.perf_counter()
            import concurrent.futures as cf

            with cf.ThreadPoolExecutor(max_workers=1) as side:
                ledger_future = side.submit(_ledger) if _ledger_applies(p) else None
                results = _run_all(jobs_, workers, log)
                err = _failure(results)
                if err is not None:
                    if ledger_future is not None:
                        ledger_future.cancel()
                    raise err
                log.step("notebooks executed and converted", since=t_run)
                t_l = time.perf_counter()
                ledger = ledger_future.result() if ledger_future is not None else None
                if ledger is not None:
                    log.step(f"claim ledger ({len(ledger)} claims)", since=t_l)

            key_figures = {s: _load_key_figures(work / f"{s}.json", s) for s in NOTEBOOKS}
            fragments = [{"stem": s, "html": (work / f"{s}.fragment.html").read_text(encoding="utf-8")} for s in NOTEBOOKS]
            html = assemble(p, fragments, key_figures, ledger)
            html_tmp = tmp / f"{stem}.html"
            html_tmp.write_text(html, encoding="utf-8")
            log.step(f"assembled HTML ({len(html.encode('utf-8')) / 1e6:.1f} MB)")

            staged: list[tuple[Path, Path]] = []
            kf_tmp = tmp / "key-figures"
            kf_tmp.mkdir()
            for s in NOTEBOOKS:
                shutil.copyfile(work / f"{s}.json", kf_tmp / f"{s}.json")
                staged.append((kf_tmp / f"{s}.json", kf_dir / f"{s}.json"))
            written: dict[str, Path] = {"key_figures": kf_dir}
            if "pdf" in fmts:
                pages = write_pdf(html, tmp / f"{stem}.pdf", tmp)
                staged.append((tmp / f"{stem}.pdf", out / f"{stem}.pdf"))
                written["pdf"] = out / f"{stem}.pdf"
                log.step(f"PDF, {pages} A4 pages")
            if "html" in fmts:
                staged.append((html_tmp, out / f"{stem}.html"))
                written["html"] = out / f"{stem}.html"
            _publish(staged)
            log.step("published " + ", ".join(str(v) for k, v in written.items() if k != "key_figures"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return written


# --------------------------------------------------------------------------- command line
def add_build_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``briefing build``."""
    d = BuildParams()
    p.description = ("Run the notebooks with the parameters given and render the briefing as self-contained HTML "
                     "and an A4 PDF. Every parameter is checked before any notebook runs.")
    p.formatter_class = argparse.ArgumentDefaultsHelpFormatter
    g = p.add_argument_group("parameters")
    g.add_argument("--recipient", default=d.recipient, help="recipient country (notebooks 01 and 02)")
    g.add_argument("--supplier", default=d.supplier, help="supplier country (notebooks 01 and 03)")
    g.add_argument("--region", default=d.region, help="SIPRI region or group (notebook 03)")
    g.add_argument("--peers", default=d.peers, help="comma-separated countries compared with the recipient")
    g.add_argument("--rivals", default=d.rivals, help="comma-separated suppliers compared with the supplier")
    g.add_argument("--start", default=str(d.start), help="first year")
    g.add_argument("--end", default=str(d.end), help="last year")
    g.add_argument("--agreement-date", default=d.agreement_date, help="date of the agreement (YYYY-MM-DD)")
    o = p.add_argument_group("output")
    o.add_argument("--format", "--formats", dest="formats", default="html,pdf", help="html, pdf or html,pdf")
    o.add_argument("--out", default=None,
                   help="output folder, or a file path ending in .html/.pdf to choose the name "
                        "(default: reports/, briefing.* for the default parameters, briefing-<recipient>-<supplier>.* otherwise)")
    o.add_argument("--notebooks", default=str(NOTEBOOKS_DIR), help="folder of the notebooks")
    o.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: up to the number of CPUs)")
    o.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds allowed per notebook cell")
    o.add_argument("--quiet", action="store_true", help="no progress lines")


def build_from_args(args: argparse.Namespace) -> int:
    """``briefing build``: build from parsed arguments, print the files written."""
    params = BuildParams(recipient=args.recipient, supplier=args.supplier, region=args.region, peers=args.peers,
                         rivals=args.rivals, start=args.start, end=args.end, agreement_date=args.agreement_date)
    out_dir, name = REPORTS_DIR, None
    if args.out:
        target = Path(args.out)
        if target.suffix.lower() in (".html", ".pdf"):
            out_dir, name = target.parent, target.stem
        else:
            out_dir = target
    written = build(params, formats=args.formats, out_dir=out_dir, progress=not args.quiet,
                    notebooks_dir=args.notebooks, name=name, jobs=args.jobs, timeout=args.timeout)
    for kind in ("html", "pdf"):
        if kind in written:
            print(written[kind])
    return 0
