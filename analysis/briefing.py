"""What the notebooks need beyond analysis: parameter checks, key figures, and safe display.

Notebooks only narrate and plot; everything they compute or validate lives in ``analysis/``.

Parameter checks run in each notebook's first cell, after papermill has injected the values.
Papermill guesses types from the command line (``-p year 2020`` gives an int, ``-p country 007``
gives the int 7), so each check accepts a value only if it can be read as what it must be, and
raises ParameterError or UnknownNameError with a one-line message otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import atomic, fmt, regions
from analysis.errors import ParameterError

NAME_RE = re.compile(r"^[\w .,'’()*\-éèêëïîôöüçñåÅÉ]+$", re.UNICODE)


# --------------------------------------------------------------------------- parameters
def name(value: Any, what: str = "country", allow_region: bool = False) -> str:
    """A country or supplier name (or, with ``allow_region``, a region or group) -> its
    canonical SIPRI name. Raises ParameterError for a non-string (e.g. papermill's int 7 for
    '007') or a region where a country is needed, and UnknownNameError, with the closest
    matches, for an unknown name."""
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{what} must be a country or region name, got {value!r}; quote it, e.g. -p {what} Mali")
    v = value.strip()
    if regions.is_region(v):
        if not allow_region:
            raise ParameterError(f"{what} must be one country, got the region {v!r}")
        return v
    return regions.resolve(v)


def names(value: Any, what: str = "countries") -> list[str]:
    """A comma-separated string or a list of names -> canonical names (empty string -> [])."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str):
        items = [x.strip() for x in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise ParameterError(f"{what} must be comma-separated names like 'Burkina Faso, Niger', got {value!r}")
    return [name(x, what, allow_region=True) for x in items if str(x).strip()]


def year(value: Any, what: str = "year", lo: int = 1950, hi: int | None = None) -> int:
    """An int year (papermill may pass '2020' or 2020 or 2020.0) inside lo..hi."""
    hi = hi or dt.date.today().year
    y: int | None = None
    if isinstance(value, bool):
        y = None
    elif isinstance(value, int):
        y = value
    elif isinstance(value, float) and value.is_integer():
        y = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        y = int(value)
    if y is None:
        raise ParameterError(f"{what} must be a year like 2020, got {value!r}")
    if not lo <= y <= hi:
        raise ParameterError(f"{what} {y} is outside {lo}-{hi}; choose a year inside the data")
    return y


def year_range(start: Any, end: Any, lo: int, hi: int) -> tuple[int, int]:
    """Two years inside the data's coverage lo..hi, start <= end."""
    a, b = year(start, "start", lo, hi), year(end, "end", lo, hi)
    if a > b:
        raise ParameterError(f"start {a} is after end {b}")
    return a, b


def date(value: Any, what: str = "date", optional: bool = False) -> dt.date | None:
    """An ISO date (2024-09-02); papermill may pass a str or a date. With ``optional``, an
    empty value means "no date" and gives None."""
    if isinstance(value, dt.date):
        return value
    if optional and (value is None or str(value).strip() == ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(f"{what} must be a date like 2024-09-02, got {value!r}") from None


def outputs_dir(value: Any) -> Path:
    """The folder for key figures: the given path, or a new temporary folder when empty (never
    the working directory: a notebook run by hand writes nothing into the checkout)."""
    if not value:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="briefing-outputs-"))
    p = Path(str(value))
    p.mkdir(parents=True, exist_ok=True)
    return p


# --------------------------------------------------------------------------- key figures
def figure(id: str, label: str, value: float | int | str | None, unit: str, text: str, *,
           years: str = "", region: str = "", release: str = "", headline: bool = False) -> dict[str, Any]:
    """One key figure: a value with its unit, years, region and release, and the sentence
    that states it (used for the briefing's key findings when ``headline``)."""
    if isinstance(value, float) and pd.isna(value):
        value = None
    elif hasattr(value, "item"):
        value = value.item()
    return {"id": id, "label": label, "value": value, "unit": unit, "years": years, "region": region,
            "release": release, "text": text, "headline": headline}


def write_key_figures(stem: str, title: str, parameters: dict[str, Any], figures: Sequence[dict[str, Any]],
                      releases: Iterable[str], outputs: Path) -> Path:
    """Write ``<outputs>/<stem>.json`` atomically and return its path."""
    doc = {"notebook": stem, "title": title, "parameters": parameters, "releases": sorted(set(releases)),
           "figures": list(figures)}
    path = Path(outputs) / f"{stem}.json"
    atomic.write_json(path, doc)
    return path


def read_key_figures(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- display
def table(df: pd.DataFrame, columns: dict[str, str] | None = None, *, number_formats: dict[str, str] | None = None,
          caption: str | None = None, classes: str = "data") -> str:
    """An HTML table with every cell escaped (text from SIPRI comments or parameters is shown as
    text, never markup). ``columns`` maps source columns to headings, in order."""
    d = df[list(columns)] if columns else df
    d = d.copy()
    for c, f in (number_formats or {}).items():
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


def esc(text: object) -> str:
    """Escape data-derived text before it goes into Markdown: markup characters (<, >, &)
    become entities and Markdown's own (`*_[]#|\\) are backslashed, so a SIPRI comment or a
    parameter shows as text. Quotes stay as they are (they are not markup in Markdown text)."""
    import html

    s = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", s)


def show(fig: Any, dpi: int = 150) -> None:
    """Display a matplotlib Figure as an embedded PNG and release it (works whether or not the
    figure was made through pyplot)."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png"))
