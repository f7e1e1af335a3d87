"""The A4 PDF, with WeasyPrint, from the same HTML page; nothing is fetched.

WeasyPrint's URL fetcher is replaced by one that loads ``data:`` URIs only and refuses every
other URL (the page is self-contained: its images are data: URIs, its stylesheet embedded).

The PDF is tagged for assistive technology (PDF/UA-1: a structure tree, the document's title
shown by viewers, its language, XMP metadata; ``pdf_tags`` where this WeasyPrint has no PDF/UA
variant); its bookmarks are the page's headings. The page's stylesheet lays every table out
with ``table-layout: fixed`` in print (their widths are given by ``<col>``), which spares
WeasyPrint the automatic sizing of tables: about 40 % of the layout time.
"""

from __future__ import annotations

import contextlib
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


def write_pdf(html: str, path: Path, base_dir: Path, timing: dict[str, float] | None = None) -> int:
    """Render ``html`` to an A4 PDF at ``path``; returns the number of pages. ``timing``, if
    given, receives the seconds spent on ``layout`` and on ``write`` (fonts, images, file)."""
    import logging

    import weasyprint

    # WeasyPrint logs every refused URL and unsupported property as a warning; keep errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    options = pdf_options()
    doc = weasyprint.HTML(string=html, base_url=Path(base_dir).resolve().as_uri() + "/", url_fetcher=offline_fetcher()).render(
        **options
    )
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
