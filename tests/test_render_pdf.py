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


def test_pdf_is_tagged_with_title_language_and_bookmarks(tmp_path: Path) -> None:
    import pypdf

    html = (
        "<html lang='en'><head><title>Mali and China</title></head><body><h1>Mali and China</h1><p>Text.</p>"
        "<h2>Key findings</h2><table class='ledger'><colgroup><col style='width:30%'><col style='width:70%'>"
        "</colgroup><tr><td>a</td><td>b</td></tr></table></body></html>"
    )
    pdf.write_pdf(html, tmp_path / "t.pdf", tmp_path)
    r = pypdf.PdfReader(tmp_path / "t.pdf")
    root = r.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert r.metadata.title == "Mali and China" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    titles = [o.title for o in r.outline if not isinstance(o, list)]
    assert titles == ["Mali and China"] and r.outline[1][0].title == "Key findings"
