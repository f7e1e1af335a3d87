"""The A4 PDF, with WeasyPrint, from the same HTML page; nothing is fetched.

WeasyPrint's URL fetcher is replaced by one that loads ``data:`` URIs only and refuses every
other URL (the page is self-contained: its images are data: URIs, its stylesheet embedded).

The PDF is tagged for assistive technology (PDF/UA-1: a structure tree, the document's title
shown by viewers, its language, XMP metadata; ``pdf_tags`` where this WeasyPrint has no PDF/UA
variant); its bookmarks are the page's headings. The page's stylesheet lays every table out
with ``table-layout: fixed`` in print (their widths are given by ``<col>``), which spares
WeasyPrint the automatic sizing of tables: about 40 % of the layout time.

A chart's PNG goes into the PDF as it is (:func:`png_idat`): WeasyPrint would decode it and
encode it again with the same settings, a third of the time it spends writing the file, for the
same bytes.
"""

from __future__ import annotations

import contextlib
import struct
import time
from pathlib import Path
from typing import Any


def offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that loads data: URIs only and refuses everything else."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):

        class OfflineFetcher(weasyprint.URLFetcher):
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


#: Tagged PDF: the variant asked of WeasyPrint (None where it does not know it).
PDF_VARIANT = "pdf/ua-1"


def pdf_options() -> dict[str, Any]:
    """The options of ``write_pdf``/``render`` for a tagged PDF, as this WeasyPrint supports."""
    import weasyprint

    variants = getattr(getattr(weasyprint, "pdf", None), "VARIANTS", None)
    if variants is None:
        with contextlib.suppress(ImportError):
            from weasyprint.pdf import VARIANTS as variants  # type: ignore[no-redef]
    if variants and PDF_VARIANT in variants:
        return {"pdf_variant": PDF_VARIANT}
    return {"pdf_tags": True}


# --------------------------------------------------------------------------- PNGs as they are
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_idat(data: bytes) -> bytes | None:
    """The image data of an 8-bit, non-interlaced greyscale or RGB PNG (its IDAT chunks joined:
    one zlib stream of PNG-filtered rows), which a PDF image with ``/FlateDecode`` and PNG
    predictors reads as it is; None for any other PNG (alpha, palette, 16 bits, interlaced) and
    for bytes that are not a whole PNG (a chunk cut short, no IEND)."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        return None
    bit_depth, colour_type, interlace = data[24], data[25], data[28]
    if bit_depth != 8 or colour_type not in (0, 2) or interlace != 0:
        return None
    parts, i = [], len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        if i + 12 + length > len(data):
            return None
        if kind == b"IDAT":
            parts.append(data[i + 8 : i + 8 + length])
        elif kind == b"IEND":
            return b"".join(parts) if parts else None
        i += 12 + length
    return None


def _passthrough(original: Any) -> Any:
    """WeasyPrint's ``RasterImage._get_png_data`` (re-encode a Pillow image, keep its IDAT)
    that first takes the IDAT of the PNG bytes the image was opened from, when :func:`png_idat`
    can; every other image (alpha channels, converted images) goes the original way."""
    import io

    def get_png_data(pillow_image: Any) -> bytes:
        fp = getattr(pillow_image, "fp", None)
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(fp, io.BytesIO):
            idat = png_idat(fp.getvalue())
            if idat is not None:
                return idat
        return original(pillow_image)

    get_png_data.passthrough = True  # type: ignore[attr-defined]
    return get_png_data


def install_png_passthrough() -> bool:
    """Make WeasyPrint embed PNG image data as it is (see :func:`png_idat`); once per process.
    Returns whether the pass-through is in place: False for a WeasyPrint without
    ``RasterImage._get_png_data``, which then encodes as it always did (``tests/test_render_pdf.py``
    fails on such a version, so that the loss is seen)."""
    from weasyprint import images

    raster = getattr(images, "RasterImage", None)
    original = getattr(raster, "_get_png_data", None)
    if original is None:
        return False
    if not getattr(original, "passthrough", False):
        raster._get_png_data = staticmethod(_passthrough(original))  # type: ignore[union-attr]
    return True


def write_pdf(html: str, path: Path, timing: dict[str, float] | None = None) -> int:
    """Render ``html`` to an A4 PDF at ``path``; returns the number of pages. ``timing``, if
    given, receives the seconds spent on ``layout`` and on ``write`` (fonts, images, file).

    There is no base URL: a relative link (``briefing-data/key-figures.csv``) stays relative in
    the PDF, so it works wherever the PDF is published beside its data folder, and the PDF
    does not depend on the folder it was built in (a base URL made every such link an absolute
    ``file://`` URL into the build's temporary folder, removed once the build was published)."""
    import logging

    import weasyprint

    # WeasyPrint logs every refused URL and unsupported property as a warning; keep errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    install_png_passthrough()
    t0 = time.perf_counter()
    options = pdf_options()
    doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=offline_fetcher()).render(**options)
    t1 = time.perf_counter()
    doc.write_pdf(str(path), **options)
    if timing is not None:
        timing.update(layout=t1 - t0, write=time.perf_counter() - t1)
    return len(doc.pages)


def preload() -> None:
    """Import WeasyPrint (and make its fetcher) ahead of the first PDF; errors wait for it."""
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401

        offline_fetcher()
        pdf_options()
        install_png_passthrough()
