"""Saving and embedding: files on disk, SVG and PNG for the page (with or without the chart's own text).

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text

from analysis import atomic
from analysis.charts.style import DPI, PAGE_FONT_SCALE, PAGE_WIDTH, PROFILE, WIDTH
from analysis.errors import ParameterError


# --------------------------------------------------------------------------- output
def save(fig: Figure, path: str | os.PathLike[str], dpi: int = DPI) -> Path:
    """Write ``fig`` atomically (a temporary file renamed into place) at ``dpi``. PNG unless the
    name ends in .svg or .pdf. Returns the path. No ``bbox_inches="tight"``: constrained layout
    already keeps every chart inside its figure (checked for the default briefing's charts), and
    the tight box cost 15-35% of the PNG time."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "png"
    if fmt not in ("png", "svg", "pdf"):
        raise ParameterError(f"save charts as .png, .svg or .pdf, not {target.suffix!r}")
    with atomic.atomic_open(target, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=dpi, facecolor="white")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(target, 0o666 & ~umask)  # the temporary file was private (0600); give it the usual mode
    return target


# --------------------------------------------------------------------------- for the page
@contextlib.contextmanager
def _without_text(fig: Figure):
    """Hide the chart's title and credit line while the figure is rendered. The figure is made
    shorter by the height they took, so the plot keeps its size; everything is restored after."""
    texts = [t for t in fig.findobj(Text) if t.get_gid() in ("chart-title", "credit") and t.get_visible()]
    engine = cast(ConstrainedLayoutEngine, fig.get_layout_engine())  # used only when it is one
    constrained = type(engine).__name__ == "ConstrainedLayoutEngine"
    rect = tuple(engine.get()["rect"]) if constrained else None
    size = tuple(fig.get_size_inches())
    freed = 0.0
    for t in texts:
        if t is getattr(
            fig, "_suptitle", None
        ):  # private, so not in the stubs; always set on a Figure  # the figure's own title: its height plus the layout's padding
            freed += t.get_window_extent().height / fig.dpi + 2 * 0.04
        elif t.get_gid() == "credit" and rect is not None:
            freed += rect[1] * size[1]
    try:
        for t in texts:
            t.set_visible(False)
            t.set_in_layout(False)
        if constrained:
            engine.set(rect=(0, 0, 1, 1))
            if freed and freed < size[1] / 2:
                fig.set_size_inches(size[0], size[1] - freed)
        yield fig
    finally:
        for t in texts:
            t.set_visible(True)
            t.set_in_layout(True)
        if constrained:
            engine.set(rect=rect)
        fig.set_size_inches(*size)


def profile_for(width: float) -> tuple[float, float]:
    """The (width, font scale) a chart is drawn with for ``width`` inches: the page's larger
    type below the house width."""
    return (float(width), PAGE_FONT_SCALE if float(width) < WIDTH else 1.0)


@contextlib.contextmanager
def page_charts() -> Iterator[None]:
    """While inside, every chart is made at the page's width and type, as ``to_png(fig,
    width=PAGE_WIDTH)`` would redraw it: a chart that goes to a page is then drawn once, not
    twice. matplotlib's rcParams are restored on leaving. The in-process engine runs each
    notebook inside it; a Jupyter kernel does not, and its charts are redrawn (the same picture)."""
    token = PROFILE.set(profile_for(PAGE_WIDTH))
    try:
        with mpl.rc_context():
            yield
    finally:
        PROFILE.reset(token)


def _made_with(fig: Figure) -> tuple[float, float]:
    """The (width, font scale) ``fig`` was made with."""
    made = getattr(fig, "_chart_profile", None)
    return made if made else (fig.get_figwidth(), 1.0)


def _render(fig: Figure, format: str, text: bool, dpi: float, width: float | None) -> bytes:
    made_w, made_scale = _made_with(fig)
    wanted = profile_for(width) if width is not None else None
    other_type = wanted is not None and wanted[1] != made_scale and hasattr(fig, "_chart_call")
    if wanted is not None and (abs(wanted[0] - made_w) > 1e-6 or other_type):
        call = getattr(fig, "_chart_call", None)
        if call is None:
            raise ParameterError("only a chart that made its own figure (ax=None) can be redrawn at another width")
        token = PROFILE.set(wanted)
        try:
            with mpl.rc_context():  # the page's font sizes are set for this drawing only
                return _render(call(), format, text, dpi, None)
        finally:
            PROFILE.reset(token)
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": "arms-briefings", "svg.image_inline": True}):
        if text:
            return _save(fig, format, dpi)
        with _without_text(fig):
            return _save(fig, format, dpi)


def _save(fig: Figure, format: str, dpi: float) -> bytes:
    """SVG as matplotlib writes it (no date); PNG as an opaque RGB image (no alpha channel, no
    text chunks): the chart is drawn on white, and a PDF renderer that meets an alpha channel
    splits it into a second image to compress (WeasyPrint does: about 0.15 s a briefing)."""
    buf = io.BytesIO()
    if format != "png":
        fig.savefig(buf, format=format, dpi=dpi, facecolor="white", metadata={"Date": None} if format == "svg" else None)
        return buf.getvalue()
    from PIL import Image

    _rgba_drawn_once(fig, buf, dpi)
    raw = buf.getvalue()
    inches_w, inches_h = fig.get_size_inches()
    pixels = len(raw) // 4
    out = io.BytesIO()
    for w in dict.fromkeys((round(inches_w * dpi), int(inches_w * dpi))):  # Agg's width, as it rounds
        h = pixels // w if w else 0
        if w * h == pixels and abs(h - inches_h * dpi) < 1.5:
            Image.frombuffer("RGBA", (w, h), raw, "raw", "RGBA", 0, 1).convert("RGB").save(out, format="PNG")
            return out.getvalue()
    fig.savefig(out, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})  # a size not foreseen
    return out.getvalue()


def _rgba_drawn_once(fig: Figure, buf: io.BytesIO, dpi: float) -> None:
    """``fig.savefig(buf, format="rgba", dpi=dpi, facecolor="white")``, the same bytes, drawn once.

    With a layout engine, matplotlib's savefig draws the whole figure twice: once with drawing
    switched off, only so that the layout runs, and once for the pixels. Here the layout runs on
    its own (at the output's dpi, as savefig runs it) and the figure is then saved without its
    engine, so only the second drawing happens: about a fifth less CPU per chart (median ratio
    0.81 over 24 charts; every PNG byte-identical). It takes matplotlib's private ``_layout_engine``
    (set_layout_engine("none") keeps an engine in place, and savefig would draw twice again);
    where that is missing, or the canvas is neither Agg nor matplotlib's plain one (which savefig
    replaces by Agg for the drawing, as this does), it saves the usual way.
    ``tests/test_charts.py`` checks every chart's bytes against savefig's and counts the draws."""
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    engine = fig.get_layout_engine()
    canvas = fig.canvas
    plain = type(canvas) is FigureCanvasBase  # a Figure() of its own: savefig lends it an Agg canvas too
    usual = not (plain or isinstance(canvas, FigureCanvasAgg)) or getattr(fig, "_layout_engine", None) is not engine
    if engine is None or usual:
        fig.savefig(buf, format="rgba", dpi=dpi, facecolor="white")
        return
    if plain:
        FigureCanvasAgg(fig)
    shown_dpi = fig.dpi
    try:
        fig.dpi = dpi
        with contextlib.suppress(ValueError):  # as Figure.draw does
            engine.execute(fig)
        fig._layout_engine = None  # type: ignore[attr-defined]  # private: see the docstring
        fig.savefig(buf, format="rgba", dpi=dpi, facecolor="white")
    finally:
        fig._layout_engine = engine  # type: ignore[attr-defined]
        fig.dpi = shown_dpi
        if plain:
            fig.set_canvas(canvas)


def to_svg(fig: Figure, text: bool = True, width: float | None = None) -> str:
    """The chart as a self-contained SVG document: glyphs drawn as paths (no font files, no
    external references; the map's colour bar is an inline data: image), ids fixed by a salt and no
    render date. ``text=False`` leaves out the title and the credit line (the page prints
    :func:`info`'s ``title`` and ``credit`` as HTML text). ``width`` (inches) redraws the chart at
    that width first (:data:`PAGE_WIDTH` for a page, with larger type)."""
    return _render(fig, "svg", text, DPI, width).decode("utf-8")


def to_png(fig: Figure, text: bool = True, dpi: float = DPI, width: float | None = None) -> bytes:
    """The chart as PNG bytes at ``dpi``; ``text`` and ``width`` as for :func:`to_svg`. For a web
    page use ``to_png(fig, text=False, width=PAGE_WIDTH, dpi=2 * DPI)``: legible at 390 px and
    sharp on high-density screens."""
    return _render(fig, "png", text, dpi, width)
