"""Render the briefing: run the notebooks, convert them, assemble one HTML page and an A4 PDF.

    briefing build [--recipient Mali] [--supplier China] [--region Africa] [--peers ...]
                   [--rivals ...] [--start 2000] [--end 2024] [--agreement-date 2024-09-02]
                   [--format html,pdf] [--out reports/] [--notebooks notebooks/]
                   [--engine inprocess|papermill] [--jobs N] [--quiet | --verbose]

Steps (one progress line each, on stderr, with timings; ``--verbose`` adds each stage's):

1. **Warm workers** start at once (:class:`WorkerPool`): one fresh interpreter imports the
   notebooks' libraries (pandas, matplotlib, IPython, papermill, nbconvert, the analysis
   modules) and forks one worker per notebook run at once (up to ``os.cpu_count()``), so the
   imports are paid once and shared. Meanwhile this process:
2. **Validates** every parameter before any notebook runs: names through :mod:`analysis.regions`
   (UnknownNameError with the closest matches), years inside the primary SIPRI release's
   coverage (ParameterError), the agreement date, the formats, and the notebooks' presence.
3. **Executes** the three notebooks on the workers, each writing its key figures to
   ``<work>/<notebook>.json``. Both engines go through ``papermill.execute_notebook``, so the
   parameters are injected as papermill injects them (a cell tagged ``injected-parameters``
   after the ``parameters`` cell) and failures are reported alike: ``inprocess`` (the default)
   runs the cells in the worker's own IPython shell, with a fresh namespace per notebook;
   ``papermill`` starts a Jupyter kernel per notebook (the reference, slower). The claim ledger
   is computed meanwhile in this process. A failing cell raises NotebookError naming the
   notebook, the cell and its error.
4. **Converts** each executed notebook, in its worker, to an HTML fragment with nbconvert and
   the template in ``analysis/templates/briefing/`` (no code, no prompts, no stderr, no
   tracebacks, no scripts; images as data: URIs).
5. **Assembles** one self-contained HTML page (Jinja, autoescaped): cover, key findings, claim
   ledger, the three sections, and the appendix on sources, licences and methods, with one
   embedded print stylesheet (``briefing.css``).
6. **PDF** with WeasyPrint from the same HTML; its URL fetcher refuses every URL that is not a
   ``data:`` URI, so nothing is fetched.
7. **Publish** atomically: everything is rendered in ``<out>/.tmp-<pid>-<random>/`` and each
   finished file is moved into place with ``os.replace``. A failed or interrupted build leaves
   the previous briefing untouched and removes its temporary folder. ``<out>/.build.lock``
   serialises builds into one folder (the second waits, and says so).

Output names: ``briefing.html`` and ``briefing.pdf`` for the default parameters,
``briefing-<recipient>-<supplier>[-<region>][-<start>-<end>].html`` otherwise, and the key-figure
JSON files in ``key-figures/`` (``key-figures/<name>/`` for non-default builds).
``briefing batch`` (:mod:`analysis.batch`) uses the same workers for many briefings.

Heavy modules (papermill, nbconvert, WeasyPrint, pandas) are imported inside functions so
that ``briefing --help`` stays fast.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import datetime as dt
import functools
import io
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
    ``peers`` and ``rivals`` are comma-separated lists of countries (``peers`` may be empty)."""

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


def _name_list(value: object, what: str, allow_empty: bool = False) -> str:
    """Comma-separated names -> their SIPRI names, joined by ", ". With ``allow_empty`` an
    empty string means none (a list of only separators is still an error)."""
    if allow_empty and isinstance(value, str) and not value.strip():
        return ""
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
    if text == "":
        return ""  # no particular agreement: notebook 01 then describes the deals only
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
    peers = _name_list(params.peers, "peers", allow_empty=True)
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

    def __init__(self, enabled: bool, verbose: bool = False) -> None:
        self.enabled = enabled
        self.verbose = enabled and verbose
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

    def detail(self, message: str) -> None:
        """A stage timing, shown with --verbose only."""
        if self.verbose:
            print(f"briefing:   {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- notebooks: engines
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_REPR = re.compile(r"at 0x[0-9a-fA-F]{6,}>|^\s*\[?\s*<(Figure|Axes|matplotlib)\b|^\s*\[?\s*(Text|Line2D)\(")

#: How notebooks are executed. ``inprocess`` (the default) runs each code cell in an IPython shell
#: inside a warm worker process; ``papermill`` starts a Jupyter kernel per notebook (the reference).
#: Both go through ``papermill.execute_notebook``, so parameters are injected identically (a cell
#: tagged ``injected-parameters`` after the ``parameters`` cell) and failures are reported the same way.
ENGINES: tuple[str, ...] = ("inprocess", "papermill")
DEFAULT_ENGINE = "inprocess"
INPROCESS_ENGINE = "briefing-inprocess"  # its name in papermill's engine registry
_LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                  "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                  "pygments_lexer": "ipython3", "version": sys.version.split()[0]}


def _one_line(text: object, limit: int = 300) -> str:
    s = " ".join(_ANSI.sub("", str(text)).split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


def check_engine(engine: str) -> str:
    e = str(engine or "").strip().lower()
    if e not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}: choose {' or '.join(ENGINES)}")
    return e


def _mime_bundle(data: dict[str, Any] | None) -> dict[str, Any]:
    """A display bundle as Jupyter stores it: binary data (PNG, JPEG, PDF) base64-encoded."""
    out: dict[str, Any] = {}
    for mime, value in (data or {}).items():
        if isinstance(value, (bytes, bytearray)):
            if mime.startswith("text/") or mime.endswith(("+xml", "+json", "/json")):
                value = bytes(value).decode("utf-8", "replace")
            else:
                value = base64.b64encode(bytes(value)).decode("ascii")
        out[mime] = value
    return out


class _CellOutputs:
    """Collects one cell's outputs in the order they are produced, as nbformat outputs, the way
    nbclient records a kernel's messages: consecutive stream text of one name is merged,
    ``clear_output(wait=True)`` clears before the next output, ``update_display`` updates
    every earlier output with the same display id."""

    def __init__(self) -> None:
        self.cell: Any = None
        self.clear_pending = False
        self.display_ids: dict[str, list[Any]] = {}

    def _outputs(self) -> list[Any] | None:
        if self.cell is None:
            return None  # output outside a cell (e.g. at shutdown) belongs to nothing
        if self.clear_pending:
            self.cell.outputs = []
            self.clear_pending = False
        return self.cell.outputs

    def stream(self, name: str, text: str) -> None:
        outs = self._outputs() if text else None
        if outs is None:
            return
        if outs and outs[-1].get("output_type") == "stream" and outs[-1].get("name") == name:
            outs[-1]["text"] += text
        else:
            import nbformat

            outs.append(nbformat.v4.new_output("stream", name=name, text=text))

    def display(self, data: dict[str, Any], metadata: dict[str, Any] | None, transient: dict[str, Any] | None,
                update: bool) -> None:
        import nbformat

        display_id = (transient or {}).get("display_id")
        if update:
            for out in self.display_ids.get(display_id, []):
                out["data"], out["metadata"] = _mime_bundle(data), dict(metadata or {})
            return
        outs = self._outputs()
        if outs is None:
            return
        out = nbformat.v4.new_output("display_data", data=_mime_bundle(data), metadata=dict(metadata or {}))
        if display_id:
            self.display_ids.setdefault(display_id, []).append(out)
        outs.append(out)

    def result(self, data: dict[str, Any], metadata: dict[str, Any] | None, count: int) -> None:
        import nbformat

        outs = self._outputs()
        if outs is not None:
            outs.append(nbformat.v4.new_output("execute_result", data=_mime_bundle(data), metadata=dict(metadata or {}),
                                               execution_count=count))

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        import nbformat

        outs = self._outputs()
        if outs is not None:
            outs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=list(traceback)))

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        elif self.cell is not None:
            self.cell.outputs = []


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr while a cell runs: text goes into the cell's outputs."""

    def __init__(self, name: str, sink: _CellOutputs) -> None:
        super().__init__()
        self._name, self._sink = name, sink

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self._sink.stream(self._name, s)
        return len(s)

    def flush(self) -> None:
        pass


class _ShellRunner:
    """Executes notebooks in this process: one IPython shell, a fresh namespace per notebook.

    The shell's display publisher, display hook and traceback printer write nbformat outputs
    (display_data, execute_result, error) instead of printing; stdout and stderr become stream
    outputs. matplotlib uses the inline backend (Agg-based, as in a Jupyter kernel), so a figure
    left open at the end of a cell is shown as a PNG, exactly as in Jupyter. Between notebooks
    the namespace, matplotlib's rcParams, its open figures and the warning filters are reset;
    imported modules and the analysis caches are kept (that is the point: warm imports, warm data)."""

    def __init__(self) -> None:
        os.environ.setdefault("MPLBACKEND", "agg")
        import matplotlib

        from IPython.core.display_trap import DisplayTrap
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        sink = self.sink = _CellOutputs()

        class Publisher(DisplayPublisher):
            def publish(self, data: Any, metadata: Any = None, source: Any = None, *, transient: Any = None,
                        update: bool = False, **kwargs: Any) -> None:
                sink.display(data, metadata, transient, update)

            def clear_output(self, wait: bool = False) -> None:
                sink.clear(wait)

        class Hook(DisplayHook):
            def write_output_prompt(self) -> None:
                pass

            def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
                sink.result(format_dict, md_dict, self.prompt_count)

            def finish_displayhook(self) -> None:
                self._is_active = False

        class Shell(InteractiveShell):
            def init_display_pub(self) -> None:
                self.display_pub = Publisher(parent=self, shell=self)
                self.configurables.append(self.display_pub)

            def init_displayhook(self) -> None:
                self.displayhook = Hook(parent=self, shell=self, cache_size=self.cache_size)
                self.configurables.append(self.displayhook)
                self.display_trap = DisplayTrap(hook=self.displayhook)

            def enable_gui(self, gui: Any = None) -> None:
                pass  # no event loop: figures are rendered by the inline backend

            def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
                sink.error(getattr(etype, "__name__", str(etype)), str(evalue), list(stb))

        if InteractiveShell.initialized():
            raise RuntimeError("an IPython shell already runs in this process; the in-process engine needs its own "
                               "(use --engine papermill)")
        c = Config()
        c.HistoryManager.enabled = False
        self.shell = Shell.instance(config=c)
        self.shell.enable_matplotlib("inline")
        self.rc = matplotlib.rcParams.copy()

    def _reset(self) -> None:
        import warnings

        import matplotlib
        import matplotlib.pyplot as plt

        self.shell.reset(new_session=False)
        self.shell.execution_count = 1
        self.sink.display_ids.clear()
        plt.close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(self.rc)

    def run(self, nb_man: Any, timeout: float | None) -> None:
        """Execute every code cell of ``nb_man.nb`` (papermill's NotebookExecutionManager),
        stopping at the first error, as papermill's nbclient engine does."""
        import warnings

        self._reset()
        stdout, stderr = _Stream("stdout", self.sink), _Stream("stderr", self.sink)
        with warnings.catch_warnings(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            for index, cell in enumerate(nb_man.nb.cells):
                try:
                    nb_man.cell_start(cell, index)
                    if not self._cell(cell, timeout):
                        nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(nb_man.nb.cells[index], cell_index=index)
        nb_man.nb.metadata["language_info"] = dict(_LANGUAGE_INFO)
        self.shell.reset(new_session=False)  # release the notebook's objects now, not at the next run

    def _cell(self, cell: Any, timeout: float | None) -> bool:
        if cell.get("cell_type") != "code" or not cell.source.strip():
            return True
        cell.outputs = []
        cell.execution_count = None
        count = self.shell.execution_count
        self.sink.cell, self.sink.clear_pending = cell, False
        try:
            with _cell_alarm(timeout):
                result = self.shell.run_cell(cell.source, store_history=True)
        finally:
            self.sink.cell = None
        cell.execution_count = count
        return bool(result.success) or "raises-exception" in cell.metadata.get("tags", [])


@contextlib.contextmanager
def _cell_alarm(seconds: float | None) -> Iterator[None]:
    """Raise TimeoutError inside a cell that runs longer than ``seconds`` (main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the cell ran longer than {seconds:g} s (raise --timeout)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_RUNNER: _ShellRunner | None = None


def _runner() -> _ShellRunner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = _ShellRunner()
    return _RUNNER


@functools.lru_cache(maxsize=1)
def _register_engine() -> str:
    """Register the in-process engine with papermill (once per process); return its name."""
    from papermill.engines import Engine, papermill_engines

    class InProcessEngine(Engine):
        """papermill engine: the cells run in this process's IPython shell (see _ShellRunner)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, execution_timeout: float | None = None,
                                     **kwargs: Any) -> Any:
            _runner().run(nb_man, execution_timeout)
            return nb_man.nb

    papermill_engines.register(INPROCESS_ENGINE, InProcessEngine)
    return INPROCESS_ENGINE


def execute_notebook(source: str | os.PathLike[str], executed: str | os.PathLike[str], parameters: dict[str, Any],
                     cwd: str | os.PathLike[str], timeout: float | None = DEFAULT_TIMEOUT,
                     engine: str = DEFAULT_ENGINE) -> Any:
    """Execute one notebook with papermill (parameters injected as papermill does) and the
    engine asked for; write it to ``executed`` and return it. Raises papermill's
    PapermillExecutionError when a cell fails."""
    import papermill as pm

    engine_name = _register_engine() if check_engine(engine) == "inprocess" else None
    return pm.execute_notebook(str(source), str(executed), parameters=parameters, engine_name=engine_name,
                               kernel_name=KERNEL, cwd=str(cwd), progress_bar=False, log_output=False,
                               request_save_on_cell_execute=False, execution_timeout=timeout)


def run_notebook(stem: str, source: str, executed: str, parameters: dict[str, Any], cwd: str,
                 fragment: str, timeout: int = DEFAULT_TIMEOUT, engine: str = DEFAULT_ENGINE) -> dict[str, Any]:
    """Execute one notebook and write its HTML fragment to ``fragment``.

    Returns a JSON-able dict: ``ok``, ``seconds``, ``convert_seconds`` or, on failure,
    ``ename``, ``evalue`` (one line) and ``cell`` (the execution count)."""
    import papermill as pm

    t0 = time.perf_counter()
    try:
        nb = execute_notebook(source, executed, parameters, cwd, timeout, engine)
    except pm.PapermillExecutionError as exc:
        return {"stem": stem, "ok": False, "ename": exc.ename, "evalue": _one_line(exc.evalue),
                "cell": exc.exec_count, "seconds": time.perf_counter() - t0}
    except Exception as exc:  # kernel died, timeout, unreadable notebook...
        return {"stem": stem, "ok": False, "ename": type(exc).__name__, "evalue": _one_line(exc),
                "cell": None, "seconds": time.perf_counter() - t0}
    t1 = time.perf_counter()
    try:
        Path(fragment).write_text(fragment_of(nb, resources_dir=cwd, name=stem), encoding="utf-8")
    except Exception as exc:
        return {"stem": stem, "ok": False, "ename": f"conversion failed: {type(exc).__name__}",
                "evalue": _one_line(exc), "cell": None, "seconds": time.perf_counter() - t0}
    return {"stem": stem, "ok": True, "seconds": t1 - t0, "convert_seconds": time.perf_counter() - t1}


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


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """The nbconvert exporter for briefing fragments (built once per process and reused)."""
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
    return fragment_of(nb, resources_dir or Path(path).parent, Path(path).stem)


def fragment_of(nb: Any, resources_dir: str | os.PathLike[str], name: str) -> str:
    """An executed notebook (a NotebookNode, changed in place) as an HTML fragment."""
    _drop_noise(nb)
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"path": str(resources_dir), "name": name}})
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


# --------------------------------------------------------------------------- warm workers
RESULT_MARK = "@@briefing-notebook-result@@ "
WORKER_CMD = "from analysis.render import _worker_group; _worker_group()"
_STOP_GRACE = 15.0  # seconds a stopped worker gets before SIGKILL
_TERMINATED = False


def _raise_interrupt(signum: int, frame: Any) -> None:
    global _TERMINATED
    _TERMINATED = True
    raise KeyboardInterrupt(f"signal {signum}")


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory (VmHWM) of a process in MB, from /proc; None where unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def warm_worker(kinds: Iterable[str], engine: str = DEFAULT_ENGINE, stage: str = "all") -> None:
    """Do once per worker what its jobs would otherwise each do.

    ``stage`` ``imports`` (before the worker group forks; starts no thread): the notebooks'
    libraries and the analysis modules, the in-process shell, the nbconvert exporter and a first
    chart (matplotlib's font lookup). ``data`` (in each worker after the fork): the tidy tables
    the notebooks read (pyarrow starts threads) and, for ``pdf``, WeasyPrint (Pango may start
    threads). ``all``: both."""
    kinds = set(kinds)
    if "notebooks" in kinds and stage in ("imports", "all"):
        # jsonschema (imported by nbformat) builds an IRI grammar at import when rfc3987-syntax is
        # installed: a second per process, for a string format no notebook schema uses.
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
        os.environ.setdefault("MPLBACKEND", "agg")
        import matplotlib.pyplot as plt
        import nbformat  # noqa: F401
        import papermill  # noqa: F401
        import pandas  # noqa: F401

        from analysis import briefing, charts, context, data, deals, fmt, regions, transfers  # noqa: F401

        with contextlib.suppress(ImportError):
            import geopandas  # noqa: F401  (the map in notebook 03)
        if engine == "inprocess":
            _register_engine()
            _runner()
        _exporter()
        _jinja()
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title("warm-up")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    if stage in ("data", "all"):
        if "notebooks" in kinds:
            from analysis import data

            data.transfers()
            data.release_of()
        if "pdf" in kinds:
            import weasyprint  # noqa: F401

            _offline_fetcher()


def _worker_group() -> None:
    """Entry point of a group of warm workers (one process started by :class:`WorkerPool`).

    The process imports everything once, then forks one worker per pipe pair it was given, so
    that the workers start warm and share the imported code's memory; with one pair it is the
    worker itself. Fork happens before any thread exists (checked: if a library started one,
    each worker starts a fresh interpreter instead). Ctrl-C is ignored: the parent decides
    when to stop, with SIGTERM, which this process passes on to its workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    os.dup2(2, 1)  # whatever is printed to fd 1 goes to stderr, never into a protocol pipe
    t0 = time.perf_counter()
    pairs = [tuple(int(x) for x in p.split(":")) for p in os.environ.get("BRIEFING_WORKER_FDS", "").split(",") if p]
    kinds = [k for k in os.environ.get("BRIEFING_WORKER_WARM", "notebooks").split(",") if k]
    engine = os.environ.get("BRIEFING_WORKER_ENGINE", DEFAULT_ENGINE)
    warm_error: BaseException | None = None
    try:
        warm_worker(kinds, engine, stage="imports")
    except KeyboardInterrupt:
        os._exit(143)
    except BaseException as exc:
        warm_error = exc
    if len(pairs) == 1:
        _worker_serve(pairs[0], kinds, engine, t0, warm_error)
    fork = _threads() == 1
    children: list[int] = []
    for i, pair in enumerate(pairs):
        pid = os.fork()
        if pid == 0:
            for j, other in enumerate(pairs):
                if j != i:
                    for fd in other:
                        os.close(fd)
            if not fork:  # threads exist: a forked copy is unsafe, start a fresh worker instead
                os.environ["BRIEFING_WORKER_FDS"] = f"{pair[0]}:{pair[1]}"
                for fd in pair:
                    os.set_inheritable(fd, True)
                os.execv(sys.executable, [sys.executable, "-c", WORKER_CMD])
            _worker_serve(pair, kinds, engine, t0, warm_error)
        children.append(pid)
    for pair in pairs:
        for fd in pair:
            os.close(fd)

    def forward(signum: int, frame: Any) -> None:
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)

    signal.signal(signal.SIGTERM, forward)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except ChildProcessError:
                break
            except InterruptedError:
                continue
    os._exit(0)


def _worker_serve(pair: tuple[int, ...], kinds: list[str], engine: str, t0: float,
                  warm_error: BaseException | None) -> None:
    """One worker: finish warming up, say so, run jobs until the parent closes the job pipe.

    A job is one JSON line, ``{"call": "module:function", "kwargs": {...}}``; the function's
    JSON-able dict goes back as one line after RESULT_MARK. SIGTERM ends the worker after the
    job it is running (and unwinds papermill, so that a kernel is shut down)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    jobs = os.fdopen(pair[0], "r", encoding="utf-8")
    proto = os.fdopen(pair[1], "w", encoding="utf-8")

    def send(obj: dict[str, Any]) -> None:
        proto.write(RESULT_MARK + json.dumps(obj, default=str) + "\n")
        proto.flush()

    try:
        try:
            if warm_error is not None:
                raise warm_error
            warm_worker(kinds, engine, stage="data")
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            send({"ready": False, "ename": type(exc).__name__, "evalue": _one_line(exc)})
        else:
            send({"ready": True, "pid": os.getpid(), "seconds": time.perf_counter() - t0})
            _serve_jobs(jobs, send)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    with contextlib.suppress(Exception):
        proto.flush()
        sys.stderr.flush()
    os._exit(0)  # skip tearing down the interpreter's modules: nothing is left to write


def _serve_jobs(jobs: Any, send: Callable[[dict[str, Any]], None]) -> None:
    import importlib

    for line in jobs:
        if _TERMINATED:
            return
        if not line.strip():
            continue
        t1 = time.perf_counter()
        try:
            job = json.loads(line)
            module, _, func = str(job["call"]).partition(":")
            result = dict(getattr(importlib.import_module(module), func)(**job.get("kwargs", {})))
        except KeyboardInterrupt:
            return
        except BaseException as exc:
            result = {"ok": False, "ename": type(exc).__name__, "evalue": _one_line(exc), "cell": None,
                      "seconds": time.perf_counter() - t1}
        result["worker"] = {"pid": os.getpid(), "peak_rss_mb": peak_rss_mb()}
        send(result)
        if _TERMINATED:
            return


@dataclasses.dataclass
class _Worker:
    group: Any          # the Popen of the worker group process
    send: Any           # job pipe (text, write end)
    recv: Any           # result pipe (text, read end)
    err: Any            # the group's stderr (a temporary file)
    pid: int | None = None


class WorkerPool:
    """Warm worker processes for notebook (and batch) jobs.

    One group process is started (a fresh interpreter running :func:`_worker_group`): it imports
    the notebooks' libraries once and forks the workers, so they start warm. Jobs (``call``,
    ``kwargs``) go to whichever worker is free; :meth:`submit` returns a Future for the job's
    result dict. A worker that dies fails its job (with the last line of stderr) and is
    replaced. Nothing is forked from the calling process (which may have threads) and no
    script's ``__main__`` is imported again, so builds can run from any script, notebook or
    REPL. :meth:`stop` ends the workers (SIGTERM, then SIGKILL after 15 s); leaving the
    ``with`` block on an exception stops them too."""

    def __init__(self, size: int, warm: Sequence[str] = ("notebooks",), engine: str = DEFAULT_ENGINE,
                 on_ready: Callable[[dict[str, Any]], None] | None = None) -> None:
        import queue

        self.size = max(1, int(size))
        self.engine = check_engine(engine)
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(x for x in (str(ROOT), self.env.get("PYTHONPATH", "")) if x)
        self.env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # One thread per worker process: the workers already use every core, and a process that
        # starts no thread while importing can fork its workers safely (see _worker_group).
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            self.env.setdefault(var, "1")
        self.env.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")  # pyarrow's jemalloc
        self.env["BRIEFING_WORKER_WARM"] = ",".join(warm)
        self.env["BRIEFING_WORKER_ENGINE"] = self.engine
        self.on_ready = on_ready
        self.jobs: Any = queue.Queue()
        self.stopping = threading.Event()
        self.closed = False
        self.guard = threading.Lock()
        self.groups: list[Any] = []
        self.workers: list[_Worker] = []
        self.peaks: dict[int, float] = {}
        self.ready_seconds: list[float] = []
        try:
            first = self._spawn(self.size)
        except OSError as exc:
            first, self.broken = [], _one_line(exc)
        self.threads = [threading.Thread(target=self._serve, args=(first[i] if i < len(first) else None,),
                                         name=f"briefing-worker-{i}", daemon=True) for i in range(self.size)]
        for t in self.threads:
            t.start()

    # -- parent side -------------------------------------------------------------------
    def submit(self, call: str, **kwargs: Any) -> Any:
        import concurrent.futures as cf

        fut: cf.Future[dict[str, Any]] = cf.Future()
        if self.stopping.is_set():
            fut.set_result(self._failed("Interrupted", "the build was stopped"))
        else:
            self.jobs.put((fut, {"call": call, "kwargs": kwargs}))
        return fut

    def close(self, wait: bool = True) -> None:
        """Let the workers finish their jobs, then end them (``wait``: until they have exited).
        Calling it again is harmless."""
        if not self.closed:
            self.closed = True
            for _ in self.threads:
                self.jobs.put(None)
        if wait:
            for t in self.threads:
                t.join()
            self._reap(self.groups, _STOP_GRACE)

    def stop(self) -> None:
        """Stop now: pending jobs fail, running workers get SIGTERM, then SIGKILL after 15 s."""
        import queue

        self.stopping.set()
        while True:
            try:
                item = self.jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].set_result(self._failed("Interrupted", "the build was stopped"))
        with self.guard:
            groups, pids = list(self.groups), [w.pid for w in self.workers if w.pid]
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        for g in groups:
            with contextlib.suppress(OSError):
                g.terminate()
        if not self.closed:
            self.closed = True
            for _ in self.threads:
                self.jobs.put(None)
        if not self._reap(groups, _STOP_GRACE):
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            for g in groups:
                with contextlib.suppress(OSError):
                    g.kill()
            self._reap(groups, 5)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, etype: Any, exc: Any, tb: Any) -> None:
        if etype is None:
            self.close()
        else:
            self.stop()

    @property
    def peak_rss_mb(self) -> dict[int, float]:
        """Peak resident memory (VmHWM) of each worker process seen so far, by pid. Forked
        workers share their imported code, so the sum over-counts what they used together."""
        return dict(self.peaks)

    # -- processes -----------------------------------------------------------------------
    @staticmethod
    def _failed(ename: str, evalue: str) -> dict[str, Any]:
        return {"ok": False, "ename": ename, "evalue": evalue, "cell": None, "seconds": 0.0}

    @staticmethod
    def _reap(groups: list[Any], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        for g in groups:
            try:
                g.wait(timeout=max(0.05, deadline - time.monotonic()))
            except Exception:
                return False
        return True

    def _spawn(self, n: int) -> list[_Worker]:
        """Start a group process with ``n`` workers; their pipes, ready to use."""
        import subprocess
        import tempfile

        with self.guard:
            if self.stopping.is_set():
                raise InterruptedError("stopped")
            pairs = [(os.pipe(), os.pipe()) for _ in range(n)]  # (jobs r, w), (results r, w)
            child_fds = [fd for (jr, _), (_, rw) in pairs for fd in (jr, rw)]
            env = {**self.env, "BRIEFING_WORKER_FDS": ",".join(f"{jr}:{rw}" for (jr, _), (_, rw) in pairs)}
            err = tempfile.TemporaryFile()
            try:
                group = subprocess.Popen([sys.executable, "-c", WORKER_CMD], stdin=subprocess.DEVNULL, stdout=err,
                                         stderr=err, env=env, cwd=str(ROOT), pass_fds=child_fds)
            finally:
                for fd in child_fds:
                    os.close(fd)
            self.groups.append(group)
            workers = [_Worker(group, os.fdopen(jw, "w", encoding="utf-8"), os.fdopen(rr, "r", encoding="utf-8"), err)
                       for (_, jw), (rr, _) in pairs]
            self.workers += workers
        return workers

    def _read(self, w: _Worker) -> dict[str, Any] | None:
        try:
            for line in w.recv:
                if line.startswith(RESULT_MARK):
                    return json.loads(line[len(RESULT_MARK):])
        except (OSError, ValueError):
            pass
        return None  # end of file: the worker died

    def _last_error(self, w: _Worker) -> str:
        if w.pid is None:
            with contextlib.suppress(Exception):
                w.group.wait(timeout=5)
        time.sleep(0.05)
        try:
            w.err.seek(0)
            lines = [x for x in w.err.read().decode("utf-8", "replace").splitlines() if x.strip()]
        except (OSError, ValueError):
            lines = []
        return _one_line(lines[-1] if lines else "the worker process ended without a word")

    def _retire(self, w: _Worker) -> None:
        for f in (w.send, w.recv):
            with contextlib.suppress(OSError, ValueError):
                f.close()

    def _start(self, w: _Worker | None) -> tuple[_Worker | None, str]:
        """Wait until a worker is warm: (worker, "") or (None, why it failed)."""
        if w is None:
            try:
                w = self._spawn(1)[0]
            except InterruptedError:
                return None, "the build was stopped"
            except OSError as exc:
                return None, _one_line(exc)
        ready = self._read(w)
        if not ready or not ready.get("ready"):
            why = f"{ready['ename']}: {ready['evalue']}" if ready else self._last_error(w)
            self._retire(w)
            return None, why
        w.pid = int(ready["pid"])
        self.ready_seconds.append(float(ready.get("seconds", 0.0)))
        if self.on_ready:
            self.on_ready(ready)
        return w, ""

    def _serve(self, first: _Worker | None) -> None:
        """One worker thread: waits for its worker to be warm, then feeds it jobs one at a time."""
        w, broken = self._start(first) if first is not None else (None, getattr(self, "broken", ""))
        try:
            while True:
                item = self.jobs.get()
                if item is None:
                    return
                fut, job = item
                if self.stopping.is_set():
                    fut.set_result(self._failed("Interrupted", "the build was stopped"))
                    continue
                if w is None and not broken:
                    w, broken = self._start(None)
                if w is None:
                    fut.set_result(self._failed("worker process failed to start", broken))
                    continue
                t0 = time.perf_counter()
                try:
                    w.send.write(json.dumps(job) + "\n")
                    w.send.flush()
                    result = self._read(w)
                except (OSError, ValueError):
                    result = None
                if result is None:
                    why = "the build was stopped" if self.stopping.is_set() else self._last_error(w)
                    fut.set_result({**self._failed("worker process failed", why), "seconds": time.perf_counter() - t0})
                    self._retire(w)
                    w = None
                    continue
                info = result.get("worker") or {}
                if info.get("peak_rss_mb") is not None:
                    self.peaks[int(info["pid"])] = float(info["peak_rss_mb"])
                fut.set_result(result)
        finally:
            if w is not None:
                self._retire(w)


def _start_pool(size: int, engine: str, warm: Sequence[str] = ("notebooks",), log: _Progress | None = None) -> WorkerPool:
    def ready(info: dict[str, Any]) -> None:
        if log is not None and log.verbose:
            log.detail(f"worker {info.get('pid')} warm in {float(info.get('seconds', 0)):.1f} s "
                       f"(ready at {time.perf_counter() - log.t0:.1f} s)")

    return WorkerPool(size, warm=warm, engine=engine, on_ready=ready)


def _run_all(jobs: list[dict[str, Any]], workers: int | WorkerPool, progress: _Progress) -> dict[str, dict[str, Any]]:
    """Run the notebooks on warm workers (a :class:`WorkerPool`, or a number of them to start);
    results by stem. On Ctrl-C or SIGTERM the workers are stopped."""
    import concurrent.futures as cf

    own = not isinstance(workers, WorkerPool)
    pool = _start_pool(int(workers), jobs[0].get("engine", DEFAULT_ENGINE) if jobs else DEFAULT_ENGINE,
                       log=progress) if own else workers
    results: dict[str, dict[str, Any]] = {}
    try:
        futures = {pool.submit("analysis.render:run_notebook", **job): job["stem"] for job in jobs}
        for fut in cf.as_completed(futures):
            r = fut.result()
            r.setdefault("stem", futures[fut])
            results[r["stem"]] = r
            if r["ok"]:
                at = f" (done at {time.perf_counter() - progress.t0:.1f} s)" if progress.verbose else ""
                progress.note(f"{r['stem']}: executed in {r['seconds']:.1f} s, converted in {r['convert_seconds']:.1f} s{at}")
            else:
                progress.note(f"{r['stem']}: failed after {r.get('seconds', 0.0):.1f} s ({r['ename']})")
    except BaseException:
        pool.stop()
        raise
    if own:
        pool.close()
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
    agreement date (e.g. Norinco), from data/curated/events.csv and systems.csv. Only an
    agreement with the supplier counts, and only a maker from the supplier's country."""
    import csv

    from analysis import regions

    if not p.agreement_date:
        return None
    curated = regions.CURATED_DIR
    supplier = {p.supplier, _display(p.supplier)}
    try:
        with open(curated / "systems.csv", encoding="utf-8", newline="") as fh:
            makers = sorted({r["maker"].strip() for r in csv.DictReader(fh)
                             if r.get("maker", "").strip() and (r.get("supplier_country") or "").strip() in supplier | {""}},
                            key=len, reverse=True)
        with open(curated / "events.csv", encoding="utf-8", newline="") as fh:
            events = [r for r in csv.DictReader(fh)
                      if r.get("date", "").startswith(p.agreement_date) and r.get("category") == "agreement"
                      and r.get("country") in (p.recipient, _display(p.recipient))
                      and (r.get("supplier") or "").strip() in supplier | {""}]
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
    if not iso:
        return "none"
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
        ("Peers", ", ".join(_display(x.strip()) for x in p.peers.split(",") if x.strip()) or "none"),
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


def write_pdf(html: str, path: Path, base_dir: Path, timing: dict[str, float] | None = None) -> int:
    """Render ``html`` to an A4 PDF at ``path``; returns the number of pages. ``timing``, if
    given, receives the seconds spent on ``layout`` and on ``write`` (fonts, images, file)."""
    import logging

    import weasyprint

    # WeasyPrint logs every refused URL and unsupported property as a warning; keep errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    doc = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=_offline_fetcher()).render()
    t1 = time.perf_counter()
    doc.write_pdf(str(path))
    if timing is not None:
        timing.update(layout=t1 - t0, write=time.perf_counter() - t1)
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
def staging(out: Path) -> Iterator[Path]:
    """A private temporary folder inside ``out`` for one build, removed when the build ends,
    whatever happens. Call it while holding ``out``'s build lock: stale temp folders left by a
    killed build are removed first, since no other build can be using them."""
    for stale in out.glob(".tmp-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = out / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
          jobs: int | None = None, timeout: int = DEFAULT_TIMEOUT, engine: str = DEFAULT_ENGINE,
          verbose: bool = False) -> dict[str, Path]:
    """Render the briefing into ``out_dir``; returns the written files by kind
    (``html``, ``pdf``, ``key_figures`` - the folder of the notebooks' JSON files).

    ``name`` overrides the file stem (default: :func:`output_name`); ``jobs`` the number of
    notebooks run at once (default: up to ``os.cpu_count()``); ``timeout`` is per cell, in
    seconds; ``engine`` is ``inprocess`` (warm workers, the default) or ``papermill`` (a
    Jupyter kernel per notebook); ``verbose`` adds the timing of each stage. Every parameter
    is checked before any notebook runs (the worker processes start warming up meanwhile)."""
    log = _Progress(progress, verbose)
    engine = check_engine(engine)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ParameterError(f"jobs must be a positive number of notebooks run at once, got {jobs!r}")
    workers = max(1, min(len(NOTEBOOKS), jobs or os.cpu_count() or 1))
    pool = _start_pool(workers, engine, log=log)
    try:
        written = _build(pool, workers, log, params, formats, out_dir, notebooks_dir, name, timeout, engine)
    except BaseException:
        pool.stop()
        raise
    pool.close()
    return written


def _build(pool: WorkerPool, workers: int, log: _Progress, params: BuildParams | None, formats: str | Sequence[str],
           out_dir: str | os.PathLike[str], notebooks_dir: str | os.PathLike[str], name: str | None, timeout: int,
           engine: str) -> dict[str, Path]:
    raw = params or BuildParams()
    p = validate(raw)
    fmts = check_formats(formats)
    nb_dir = Path(notebooks_dir).resolve()
    sources_nb = notebook_paths(nb_dir)
    defaults = validate_defaults()
    stem = _check_stem(name or output_name(p, defaults))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log.step(f"checked parameters ({p.recipient}, {p.supplier}, {p.region}, {p.start}-{p.end})")

    kf_dir = out / "key-figures" if stem == "briefing" else out / "key-figures" / stem
    with _sigterm_as_interrupt(), _build_lock(out, log), staging(out) as tmp:
        work = tmp / "work"
        work.mkdir()
        nb_params = p.notebook_parameters()
        jobs_ = [{"stem": s, "source": str(src), "executed": str(work / f"{s}.ipynb"),
                  "parameters": {**nb_params[s], "outputs": str(work.resolve())}, "cwd": str(nb_dir),
                  "fragment": str(work / f"{s}.fragment.html"), "timeout": timeout, "engine": engine}
                 for s, src in zip(NOTEBOOKS, sources_nb)]
        log.note(f"running {len(jobs_)} notebooks, {workers} at a time ({engine} engine)")
        t_run = time.perf_counter()
        import concurrent.futures as cf

        with cf.ThreadPoolExecutor(max_workers=1) as side:
            ledger_future = side.submit(_ledger) if _ledger_applies(p) else None
            if "pdf" in fmts:
                side.submit(_preload_pdf)  # import WeasyPrint while the notebooks run
            # Longest first: the last notebook (a whole region, with a map) takes about as
            # long as the other two together, so it starts at once on its own worker.
            results = _run_all(jobs_[::-1], pool, log)
            err = _failure(results)
            if err is not None:
                if ledger_future is not None:
                    ledger_future.cancel()
                raise err
            pool.close(wait=False)  # free the cores for the PDF
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
            timing: dict[str, float] = {}
            pages = write_pdf(html, tmp / f"{stem}.pdf", tmp, timing)
            staged.append((tmp / f"{stem}.pdf", out / f"{stem}.pdf"))
            written["pdf"] = out / f"{stem}.pdf"
            log.step(f"PDF, {pages} A4 pages")
            log.detail(f"WeasyPrint: layout {timing['layout']:.1f} s, writing the PDF {timing['write']:.1f} s")
        if "html" in fmts:
            staged.append((html_tmp, out / f"{stem}.html"))
            written["html"] = out / f"{stem}.html"
        _publish(staged)
        log.step("published " + ", ".join(str(v) for k, v in written.items() if k != "key_figures"))
    return written


def _preload_pdf() -> None:
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401

        _offline_fetcher()



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
    g.add_argument("--peers", default=d.peers, help="comma-separated countries compared with the recipient (\"\" for none)")
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
    o.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help="how notebooks run: inprocess (warm worker processes) or papermill (a Jupyter kernel per notebook)")
    o.add_argument("--quiet", action="store_true", help="no progress lines")
    o.add_argument("--verbose", action="store_true", help="also the timing of each stage")


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
                    notebooks_dir=args.notebooks, name=name, jobs=args.jobs, timeout=args.timeout,
                    engine=args.engine, verbose=args.verbose)
    for kind in ("html", "pdf"):
        if kind in written:
            print(written[kind])
    return 0
