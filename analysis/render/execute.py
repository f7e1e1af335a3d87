"""Execute one notebook: papermill's injection of parameters, and the in-process engine.

Both engines go through ``papermill.execute_notebook``, so parameters are injected as papermill
injects them (a cell tagged ``injected-parameters`` after the ``parameters`` cell) and failures
are reported alike (papermill's PapermillExecutionError with the cell's execution count):

* ``inprocess`` (the default; ``fast`` is another name for it) runs each code cell in an
  IPython shell inside this process, with a fresh namespace per notebook (:class:`ShellRunner`):
  the imports and the data caches of one notebook are warm for the next;
* ``papermill`` starts a Jupyter kernel per notebook (the reference, slower).

Heavy modules (papermill, IPython, matplotlib, nbformat) are imported inside functions.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from analysis.errors import ParameterError

ENGINES: tuple[str, ...] = ("inprocess", "papermill")
#: Other names accepted for an engine (the README's ``--engine fast``).
ENGINE_ALIASES: dict[str, str] = {"fast": "inprocess"}
#: What the command line accepts for ``--engine``.
ENGINE_CHOICES: tuple[str, ...] = (*ENGINES, *ENGINE_ALIASES)
DEFAULT_ENGINE = "inprocess"
INPROCESS_ENGINE = "briefing-inprocess"  # its name in papermill's engine registry
KERNEL = "python3"
DEFAULT_TIMEOUT = 1800  # seconds per cell
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": sys.version.split()[0],
}


def check_engine(engine: str) -> str:
    """``engine`` as one of :data:`ENGINES` (an alias such as ``fast`` gives its engine)."""
    e = str(engine or "").strip().lower()
    e = ENGINE_ALIASES.get(e, e)
    if e not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}: choose {', '.join(ENGINE_CHOICES)}")
    return e


def mime_bundle(data: dict[str, Any] | None) -> dict[str, Any]:
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


class CellOutputs:
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

    def display(
        self, data: dict[str, Any], metadata: dict[str, Any] | None, transient: dict[str, Any] | None, update: bool
    ) -> None:
        import nbformat

        display_id = str((transient or {}).get("display_id") or "")
        if update:
            for out in self.display_ids.get(display_id, []):
                out["data"], out["metadata"] = mime_bundle(data), dict(metadata or {})
            return
        outs = self._outputs()
        if outs is None:
            return
        out = nbformat.v4.new_output("display_data", data=mime_bundle(data), metadata=dict(metadata or {}))
        if display_id:
            self.display_ids.setdefault(display_id, []).append(out)
        outs.append(out)

    def result(self, data: dict[str, Any], metadata: dict[str, Any] | None, count: int) -> None:
        import nbformat

        outs = self._outputs()
        if outs is not None:
            outs.append(
                nbformat.v4.new_output(
                    "execute_result", data=mime_bundle(data), metadata=dict(metadata or {}), execution_count=count
                )
            )

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


class CellStream(io.TextIOBase):
    """sys.stdout / sys.stderr while a cell runs: text goes into the cell's outputs."""

    def __init__(self, name: str, sink: CellOutputs) -> None:
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


class ShellRunner:
    """Executes notebooks in this process: one IPython shell, a fresh namespace per notebook.

    The shell's display publisher, display hook and traceback printer write nbformat outputs
    (display_data, execute_result, error) instead of printing; stdout and stderr become stream
    outputs. matplotlib uses the inline backend (Agg-based, as in a Jupyter kernel), so a figure
    left open at the end of a cell is shown as a PNG, exactly as in Jupyter. Between notebooks
    the namespace, matplotlib's rcParams, its open figures and the warning filters are reset;
    imported modules and the analysis caches are kept (that is the point: warm imports, warm data).
    Each notebook runs inside :func:`analysis.charts.page_charts`, so its charts are made at the
    page's width once instead of being redrawn for the page (the same pictures)."""

    def __init__(self) -> None:
        os.environ.setdefault("MPLBACKEND", "agg")
        import matplotlib
        from IPython.core.display_trap import DisplayTrap
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        sink = self.sink = CellOutputs()

        class Publisher(DisplayPublisher):
            def publish(
                self,
                data: Any,
                metadata: Any = None,
                source: Any = None,
                *,
                transient: Any = None,
                update: bool = False,
                **kwargs: Any,
            ) -> None:
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
            raise RuntimeError(
                "an IPython shell already runs in this process; the in-process engine needs its own (use --engine papermill)"
            )
        c = Config()
        c.HistoryManager.enabled = False
        self.shell = Shell.instance(config=c)
        self.shell.enable_matplotlib("inline")
        self.rc = matplotlib.rcParams.copy()
        self._clean = False  # True while the namespace holds nothing of a notebook

    def _reset(self) -> None:
        import warnings

        import matplotlib
        import matplotlib.pyplot as plt

        if not self._clean:  # the last run left its namespace reset already (a reset collects garbage: 0.1 s)
            self.shell.reset(new_session=False)
        self._clean = False
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

        from analysis.charts import page_charts

        self._reset()
        stdout, stderr = CellStream("stdout", self.sink), CellStream("stderr", self.sink)
        # Charts are made at the page's width at once (figure_html would redraw them otherwise).
        with page_charts(), warnings.catch_warnings(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            for index, cell in enumerate(nb_man.nb.cells):
                try:
                    nb_man.cell_start(cell, index)
                    if not self._cell(cell, timeout):
                        nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(nb_man.nb.cells[index], cell_index=index)
        nb_man.nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        self.shell.reset(new_session=False)  # release the notebook's objects now, not at the next run
        self._clean = True

    def _cell(self, cell: Any, timeout: float | None) -> bool:
        if cell.get("cell_type") != "code" or not cell.source.strip():
            return True
        cell.outputs = []
        cell.execution_count = None
        count = self.shell.execution_count
        self.sink.cell, self.sink.clear_pending = cell, False
        try:
            with cell_alarm(timeout):
                result = self.shell.run_cell(cell.source, store_history=True)
        finally:
            self.sink.cell = None
        cell.execution_count = count
        return bool(result.success) or "raises-exception" in cell.metadata.get("tags", [])


@contextlib.contextmanager
def cell_alarm(seconds: float | None) -> Iterator[None]:
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


_RUNNER: ShellRunner | None = None


def runner() -> ShellRunner:
    """This process's shell for the in-process engine (made on first use)."""
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = ShellRunner()
    return _RUNNER


@functools.lru_cache(maxsize=1)
def register_engine() -> str:
    """Register the in-process engine with papermill (once per process); return its name."""
    from papermill.engines import Engine, papermill_engines

    class InProcessEngine(Engine):
        """papermill engine: the cells run in this process's IPython shell (see ShellRunner)."""

        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, execution_timeout: float | None = None, **kwargs: Any
        ) -> Any:
            runner().run(nb_man, execution_timeout)
            return nb_man.nb

    papermill_engines.register(INPROCESS_ENGINE, InProcessEngine)
    return INPROCESS_ENGINE


def execute_notebook(
    source: str | os.PathLike[str],
    executed: str | os.PathLike[str],
    parameters: dict[str, Any],
    cwd: str | os.PathLike[str],
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = DEFAULT_ENGINE,
) -> Any:
    """Execute one notebook with papermill (parameters injected as papermill does) and the
    engine asked for; write it to ``executed`` and return it. Raises papermill's
    PapermillExecutionError when a cell fails."""
    import papermill as pm

    engine_name = register_engine() if check_engine(engine) == "inprocess" else None
    return pm.execute_notebook(
        str(source),
        str(executed),
        parameters=parameters,
        engine_name=engine_name,
        kernel_name=KERNEL,
        cwd=str(cwd),
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
    )
