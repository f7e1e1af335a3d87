"""What a notebook needs to show a section: a :class:`Section` that displays paragraphs,
tables and charts and collects their key figures, and safe display helpers.

Notebooks only narrate and plot: their parameters are checked by :mod:`analysis.params`, their
sentences are built by :mod:`analysis.prose`, their figures by :mod:`analysis.transfers` and
friends. A section writes its key figures as ``<outputs>/<notebook>.json``; ``outputs`` is the
folder the caller names, or a temporary folder (never the working directory).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import atomic, fmt, paths
from analysis.i18n import _


# --------------------------------------------------------------------------- key figures
def outputs_dir(value: Any) -> Path:
    """The folder for key figures: the given path, or a new temporary folder when empty."""
    if value:
        p = Path(str(value))
        p.mkdir(parents=True, exist_ok=True)
        return p
    return Path(tempfile.mkdtemp(prefix="briefing-outputs-"))


def write_key_figures(
    stem: str, title: str, parameters: dict[str, Any], figures: Sequence[dict[str, Any]], releases: Iterable[str], outputs: Path
) -> Path:
    """Write ``<outputs>/<stem>.json`` atomically and return its path."""
    doc = {
        "notebook": stem,
        "title": title,
        "parameters": parameters,
        "releases": sorted(set(releases)),
        "figures": list(figures),
    }
    path = Path(outputs) / f"{stem}.json"
    atomic.write_json(path, doc)
    return path


def read_key_figures(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


class Section:
    """One notebook's section: shows each block, table and chart, and collects the key figures
    the blocks state, to write them at the end with :meth:`write`."""

    def __init__(self, stem: str, outputs: Any = "") -> None:
        self.stem = stem
        self.outputs = outputs
        self.figures: list[dict[str, Any]] = []
        self.charts = 0
        self._dir: Path | None = None

    @property
    def folder(self) -> Path:
        """Where this section writes its key figures and chart data (made once)."""
        if self._dir is None:
            self._dir = outputs_dir(self.outputs)
        return self._dir

    def say(self, block: Any) -> None:
        """Display a :class:`analysis.prose.Block` (nothing when it is empty) and keep its figures."""
        from IPython.display import display

        if block:
            display(md(block.md))
        self.figures.extend(getattr(block, "figures", ()))

    def table(
        self,
        df: pd.DataFrame,
        columns: dict[str, str] | None = None,
        *,
        number_formats: dict[str, str] | None = None,
        caption: str | None = None,
    ) -> None:
        """Display a table; nothing when it has no rows (never an empty header)."""
        from IPython.display import HTML, display

        if len(df):
            display(HTML(table(df, columns, number_formats=number_formats, caption=caption)))

    def chart(self, fig: Any) -> None:
        """Display a chart as a figure: the image (title and credit left out of it) with its alt
        text, then the title and the credit line as text and a link to the data it plots, written
        as ``<outputs>/<notebook>-chart-<n>.csv`` (the link's ``briefing-data:`` prefix is the
        folder the build publishes those files into). Nothing for None."""
        if fig is None:
            return
        from IPython.display import HTML, display

        self.charts += 1
        name = f"{self.stem}-chart-{self.charts}.csv"
        display(HTML(figure_html(fig, DATA_PREFIX + name, self.folder / name)))

    def write(self, title: str, parameters: Any, releases: Iterable[str]) -> Path:
        """Write the key figures; ``parameters`` is the notebook's resolved Params."""
        import dataclasses

        values = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(parameters).items()}
        return write_key_figures(self.stem, title, values, self.figures, [r for r in releases if r], self.folder)


# --------------------------------------------------------------------------- display
def table(
    df: pd.DataFrame,
    columns: dict[str, str] | None = None,
    *,
    number_formats: dict[str, str] | None = None,
    caption: str | None = None,
    classes: str = "data",
) -> str:
    """An HTML table with every cell escaped (text from SIPRI comments or parameters is shown as
    text, never markup). ``columns`` maps source columns to headings, in order."""
    d = df[list(columns)] if columns else df
    d = d.copy()
    for c, f in (number_formats or {}).items():
        if c not in d:
            continue
        d[c] = d[c].map(lambda x, f=f: "" if pd.isna(x) else f.format(x))
    d = d.astype(object).where(d.notna(), "")
    if columns:
        d = d.rename(columns=columns)
    html = d.to_html(index=False, escape=True, classes=classes, border=0)
    if caption:
        html = html.replace("<thead>", f"<caption>{fmt.esc_html(caption)}</caption><thead>", 1)
    return html


def md(text: str) -> Any:
    """Markdown for display in a notebook (IPython's Markdown object)."""
    from IPython.display import Markdown

    return Markdown(text)


DATA_PREFIX = paths.DATA_PREFIX


def figure_html(fig: Any, href: str, csv_path: Path | None = None, dpi: int = 200) -> str:
    """A chart as an HTML ``<figure>``: a PNG at the page's width (legible at 390 px) without
    its title and credit, alt text that states the finding, the title and credit as text, and a
    link to the data behind it (written to ``csv_path`` when given). Releases the figure."""
    import base64

    import matplotlib.pyplot as plt

    from analysis import charts

    info = charts.info(fig)
    if csv_path is not None:
        atomic.write_bytes(csv_path, info.data.to_csv(index=False).encode("utf-8"))
    png = charts.to_png(fig, text=False, width=charts.PAGE_WIDTH, dpi=dpi)
    plt.close(fig)
    b64 = base64.b64encode(png).decode("ascii")
    e = fmt.esc_html
    link = _("Download the data (CSV)")
    return (
        f'<figure class="chart"><p class="chart-title">{e(info.title)}</p>'
        f'<img src="data:image/png;base64,{b64}" alt="{e(info.alt)}">'
        f'<figcaption class="credit">{e(info.credit)} <a class="data-link" href="{e(href)}">{e(link)}</a>'
        f"</figcaption></figure>"
    )
