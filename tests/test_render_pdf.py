"""analysis.render.pdf: the PDF fetches nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis.render import pdf


def test_pdf_fetcher_refuses_the_network() -> None:
    fetcher = pdf.offline_fetcher()
    fetch = getattr(fetcher, "fetch", fetcher)
    for url in ("https://cdn.example.org/x.css", "http://example.org/a.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetch(url)


def test_pdf_of_a_small_page(tmp_path: Path) -> None:
    html = "<html><body><h1>T</h1><img src='https://example.org/x.png'></body></html>"
    timing: dict[str, float] = {}
    assert pdf.write_pdf(html, tmp_path / "t.pdf", tmp_path, timing) == 1
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF") and set(timing) == {"layout", "write"}
