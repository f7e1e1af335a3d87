"""Convert one executed notebook to an HTML fragment of the briefing, with nbconvert.

The fragment has no code, no prompts, no stderr, no tracebacks and no scripts; images are data:
URIs. The template is ``analysis/templates/nbconvert/briefing/`` (:data:`analysis.paths.NBCONVERT_TEMPLATES`);
every HTML output written by a notebook goes through :func:`sanitize_fragment`, and the whole
fragment through :func:`polish_fragment` (print typography).
"""

from __future__ import annotations

import base64
import functools
import itertools
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.i18n import _
from analysis.params import slugify
from analysis.render.progress import ANSI

#: Text outputs that are only an object's repr (a Figure, an Axes, a Line2D list).
OBJECT_REPR = re.compile(r"at 0x[0-9a-fA-F]{6,}>|^\s*\[?\s*<(Figure|Axes|matplotlib)\b|^\s*\[?\s*(Text|Line2D)\(")
_DROP_TAGS = (
    "script",
    "style",
    "link",
    "meta",
    "base",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "noscript",
    "template",
)


def sanitize_fragment(html: str) -> Any:
    """Remove what a briefing must not carry from HTML written by a notebook: scripts,
    stylesheets, frames, forms, event handlers, javascript: links and external resources."""
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    soup: Any = BeautifulSoup(str(html), "html.parser")  # bs4's stubs are stricter than its use here
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            value = " ".join(tag[attr]) if isinstance(tag[attr], list) else str(tag[attr])
            low = value.strip().lower()
            if attr.lower().startswith("on") or attr.lower() in ("srcset", "formaction"):
                del tag[attr]
            elif attr.lower() in ("href", "src", "xlink:href", "action", "poster", "background") and (
                low.startswith(("javascript:", "vbscript:")) or (attr.lower() != "href" and not low.startswith("data:"))
            ):
                del tag[attr]  # only data: URIs may be loaded; links may point anywhere but javascript:
            elif attr.lower() == "style" and ("url(" in low or "expression(" in low):
                del tag[attr]
    return Markup(str(soup))


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
    alt = meta.get("alt") or _("Chart")
    size = ""
    if isinstance(meta.get("width"), (int, float)) and meta["width"] > 0:
        size = f' width="{int(meta["width"])}"'
    return Markup(f'<img src="data:{mime};base64,{b64}" alt="{escape(alt)}"{size}>')


@functools.lru_cache(maxsize=1)
def exporter() -> Any:
    """The nbconvert exporter for briefing fragments (built once per process and reused)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(paths.NBCONVERT_TEMPLATES)]
    c.HTMLExporter.template_name = paths.NBCONVERT_TEMPLATE
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.anchor_link_text = ""
    c.HTMLExporter.sanitize_html = False  # our own sanitiser runs on every HTML output
    c.NbConvertBase.display_data_priority = [
        "text/html",
        "text/markdown",
        "image/svg+xml",
        "image/png",
        "image/jpeg",
        "text/plain",
    ]
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell", "hide", "hide-cell"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "remove_output", "hide-output"}
    c.TagRemovePreprocessor.remove_single_output_tags = {"remove-output", "remove_output"}
    ex = HTMLExporter(config=c)
    ex.register_filter("sanitize_fragment", sanitize_fragment)
    ex.register_filter("img_tag", _img_tag)
    ex.register_filter("strip_ansi", lambda s: ANSI.sub("", str(s)))
    ex.register_filter("is_object_repr", lambda s: bool(OBJECT_REPR.search(str(s))))
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
                for mime in (
                    "application/javascript",
                    "application/vnd.jupyter.widget-view+json",
                    "application/vnd.jupyter.widget-state+json",
                ):
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
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"path": str(resources_dir), "name": name}})
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
    * such a table (without merged cells) gets its column widths (:func:`column_widths`) as a
      ``<colgroup>`` and the class ``sized``: the PDF lays it out as fixed, without WeasyPrint's
      automatic sizing;
    * ``<img src=...>`` comes first again (BeautifulSoup sorts attributes)."""
    from bs4 import BeautifulSoup, Tag

    soup: Any = BeautifulSoup(html, "html.parser")  # bs4's stubs are stricter than its use here
    blocks: list[Any] = [
        el
        for el in soup.find_all(["div", "figure"], recursive=True)
        if isinstance(el, Tag)
        and (el.name == "figure" or {"nb-markdown", "nb-html", "nb-text"} & set(el.get("class") or []))
        and not el.find_parent(class_=["nb-markdown", "nb-html"])
    ]
    for a, b in itertools.pairwise(blocks):
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
        est = sum(
            max([1] + [len(c.get_text(" ", strip=True)) // 60 + 1 for c in tr.find_all(["td", "th"])])
            for tr in table.find_all("tr")
        )
        if est > LONG_TABLE_LINES:
            wrapper = table.find_parent(class_="nb-html")
            for el in (table, wrapper):
                if el is not None:
                    el["class"] = [*el.get("class", []), "long"]
        if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
            continue
        rows = [tr.find_all(["td", "th"], recursive=False) for tr in table.find_all("tr")]
        size_columns(soup, table, rows)
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


#: A notebook table's width in the PDF (A4 less 18 mm margins each side: 174 mm) and type size,
#: and a cell's padding (0.4 em each side), in points.
TABLE_WIDTH_PT = 174 / 25.4 * 72
TABLE_TYPE_PT = 7.5
CELL_PADDING_PT = 0.8 * TABLE_TYPE_PT
#: A word is given 2 % more than its measured width (Pango and Pillow may differ by a hair).
WORD_SLACK = 1.02
_BREAKS = re.compile(r"\s+|(?<=/)")  # a link's text breaks after its slashes (<wbr>)


@functools.lru_cache(maxsize=2)
def _font(bold: bool) -> Any:
    """DejaVu Sans (the tables' face), as matplotlib ships it, at 100 pt."""
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), 100)


@functools.lru_cache(maxsize=8192)
def text_width(text: str, bold: bool = False, size: float = TABLE_TYPE_PT) -> float:
    """The width of ``text`` on one line in DejaVu Sans (bold or not) at ``size``, in points."""
    return float(_font(bold).getlength(text)) * size / 100


def column_widths(
    rows: Sequence[Sequence[str]],
    line: float = TABLE_WIDTH_PT,
    padding: float = CELL_PADDING_PT,
    bold_rows: int = 0,
    measure: Callable[[str, bool], float] | None = None,
) -> list[float]:
    """The width of each column of a table whose cells (headings included) read ``rows``, in
    percent of the table's width, summing to 100 (one decimal), shared as CSS's automatic table
    layout shares a line ``line`` wide: a column needs at least its widest word (a link breaks
    after its slashes; :data:`WORD_SLACK` more) and would take its widest cell on one line,
    each with ``padding``; the room above the words goes in proportion to what each would take
    beyond them. The first
    ``bold_rows`` rows (the headings) are in bold. ``measure(text, bold)`` gives a text's width
    (default: :func:`text_width`, in points, as the PDF sets the tables). An empty list for no
    columns. Measured against WeasyPrint's own automatic layout of the 26 tables in the
    briefings of Mali, Nigeria, Egypt, Cabo Verde and Burkina Faso (see the README)."""
    width = measure or text_width
    n = max((len(r) for r in rows), default=0)
    if n == 0:
        return []
    least = [padding] * n
    most = [padding] * n
    for k, r in enumerate(rows):
        bold = k < bold_rows
        for i, text in enumerate(r):
            words = [w for w in _BREAKS.split(text) if w]
            least[i] = max(least[i], max((width(w, bold) for w in words), default=0.0) * WORD_SLACK + padding)
            most[i] = max(most[i], width(text, bold) + padding)
    most = [max(a, b) for a, b in zip(least, most)]  # a cell takes at least its widest word
    lo, hi = sum(least), sum(most)
    if hi <= line:  # every cell fits on one line: the spare room goes by what each takes
        raw = list(most)
    elif lo >= line:  # even the words do not fit: by the words
        raw = list(least)
    else:
        share = (line - lo) / (hi - lo)
        raw = [a + (b - a) * share for a, b in zip(least, most)]
    total = sum(raw)
    if total <= 0:
        return [round(100 / n, 1)] * n
    # to one decimal, rounded up so that no word loses its room; the widest column gives it back
    widths = [math.ceil(1000 * x / total - 1e-9) / 10 for x in raw]
    widest = widths.index(max(widths))
    widths[widest] = round(widths[widest] + 100 - sum(widths), 1)
    return widths


def size_columns(soup: Any, table: Any, rows: Sequence[Sequence[Any]]) -> None:
    """Give ``table``, whose rows of cells (``td``/``th`` tags) are ``rows``, a ``<colgroup>`` of
    :func:`column_widths` (its leading rows of ``th`` in bold) after its caption, and the class
    ``sized``; nothing for a table without cells."""
    heads = next((k for k, r in enumerate(rows) if not r or not all(c.name == "th" for c in r)), len(rows))
    widths = column_widths([[" ".join(c.get_text().split()) for c in r] for r in rows], bold_rows=heads)
    if not widths:
        return
    group = soup.new_tag("colgroup")
    for w in widths:
        group.append(soup.new_tag("col", style=f"width: {w:g}%"))
    caption = table.find("caption", recursive=False)
    if caption is not None:
        caption.insert_after(group)
    else:
        table.insert(0, group)
    table["class"] = [*table.get("class", []), "sized"]
