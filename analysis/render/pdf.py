"""The A4 PDF, with WeasyPrint, from the same HTML page; nothing is fetched.

WeasyPrint's URL fetcher is replaced by one that loads ``data:`` URIs only and refuses every
other URL (the page is self-contained: its images are data: URIs, its stylesheet embedded).
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
    doc = weasyprint.HTML(string=html, base_url=Path(base_dir).resolve().as_uri() + "/",
                          url_fetcher=offline_fetcher()).render()
    t1 = time.perf_counter()
    doc.write_pdf(str(path))
    if timing is not None:
        timing.update(layout=t1 - t0, write=time.perf_counter() - t1)
    return len(doc.pages)


def preload() -> None:
    """Import WeasyPrint (and make its fetcher) ahead of the first PDF; errors wait for it."""
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401

        offline_fetcher()
