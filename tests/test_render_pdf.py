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
    assert pdf.write_pdf(html, tmp_path / "t.pdf", timing) == 1
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF") and set(timing) == {"layout", "write"}


def test_pdf_is_tagged_with_title_language_and_bookmarks(tmp_path: Path) -> None:
    import pypdf

    html = (
        "<html lang='en'><head><title>Mali and China</title></head><body><h1>Mali and China</h1><p>Text.</p>"
        "<h2>Key findings</h2><table class='ledger'><colgroup><col style='width:30%'><col style='width:70%'>"
        "</colgroup><tr><td>a</td><td>b</td></tr></table></body></html>"
    )
    pdf.write_pdf(html, tmp_path / "t.pdf")
    r = pypdf.PdfReader(tmp_path / "t.pdf")
    root = r.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert r.metadata.title == "Mali and China" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    titles = [o.title for o in r.outline if not isinstance(o, list)]
    assert titles == ["Mali and China"] and r.outline[1][0].title == "Key findings"


# --------------------------------------------------------------------------- PNGs as they are
def _png(width: int, height: int, rows: list[bytes], colour_type: int = 2, bit_depth: int = 8, interlace: int = 0) -> bytes:
    """A PNG written by hand: every row with filter 0, so its pixels are known byte for byte."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, interlace)
    idat = zlib.compress(b"".join(b"\0" + r for r in rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat[:7]) + chunk(b"IDAT", idat[7:]) + chunk(b"IEND", b"")


def _rgb_rows(width: int, height: int) -> list[bytes]:
    return [bytes((3 * x + 7 * y + c * 50) % 256 for x in range(width) for c in range(3)) for y in range(height)]


def test_png_idat_is_the_png_s_own_rows_for_8_bit_rgb_and_grey() -> None:
    import zlib

    rows = _rgb_rows(5, 4)
    data = _png(5, 4, rows)
    assert zlib.decompress(pdf.png_idat(data) or b"") == b"".join(b"\0" + r for r in rows)  # both IDAT chunks, in order
    grey = [bytes(range(y, y + 6)) for y in range(3)]
    assert zlib.decompress(pdf.png_idat(_png(6, 3, grey, colour_type=0)) or b"") == b"".join(b"\0" + r for r in grey)


def test_png_idat_refuses_what_a_pdf_cannot_take_as_it_is() -> None:
    import io

    from PIL import Image

    rows = _rgb_rows(4, 4)
    assert pdf.png_idat(_png(4, 4, rows, interlace=1)) is None
    assert pdf.png_idat(_png(4, 4, rows, bit_depth=16)) is None
    assert pdf.png_idat(_png(4, 4, rows, colour_type=6)) is None  # RGBA: WeasyPrint splits off the alpha
    assert pdf.png_idat(_png(4, 4, rows, colour_type=3)) is None  # palette
    whole = _png(4, 4, rows)
    assert pdf.png_idat(whole[:-12]) is None  # no IEND
    assert pdf.png_idat(whole[:40]) is None  # a chunk cut short
    assert pdf.png_idat(b"GIF89a" + whole[6:]) is None
    buf = io.BytesIO()
    Image.new("RGBA", (3, 3), (1, 2, 3, 128)).save(buf, format="PNG")
    assert pdf.png_idat(buf.getvalue()) is None


def _page_with(png: bytes) -> str:
    import base64

    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return f"<html lang='en'><body><p>Chart</p><img src='{src}' style='width:5cm'></body></html>"


def test_a_pdf_shows_a_passed_through_png_pixel_for_pixel_and_encodes_nothing(tmp_path: Path, monkeypatch) -> None:
    import io

    import pypdf
    from PIL import Image

    rows = _rgb_rows(40, 30)
    png = _png(40, 30, rows)
    saved: list[str] = []
    real_save = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda im, *a, **k: saved.append(im.mode) or real_save(im, *a, **k))
    pdf.write_pdf(_page_with(png), tmp_path / "t.pdf")
    assert saved == []  # WeasyPrint re-encoded nothing
    image = pypdf.PdfReader(tmp_path / "t.pdf").pages[0].images[0].image
    assert image.mode == "RGB" and image.size == (40, 30) and image.tobytes() == b"".join(rows)
    # An image with an alpha channel still goes WeasyPrint's own way, and shows the same colours.
    buf = io.BytesIO()
    Image.frombytes("RGB", (40, 30), b"".join(rows)).convert("RGBA").save(buf, format="PNG")
    pdf.write_pdf(_page_with(buf.getvalue()), tmp_path / "a.pdf")
    assert saved  # re-encoded, as before
    shown = pypdf.PdfReader(tmp_path / "a.pdf").pages[0].images[0].image
    assert shown.convert("RGB").tobytes() == b"".join(rows)


def test_the_png_pass_through_is_in_place_once_on_this_weasyprint() -> None:
    from weasyprint.images import RasterImage

    assert pdf.install_png_passthrough() and pdf.install_png_passthrough()
    wrapped = RasterImage._get_png_data
    assert getattr(wrapped, "passthrough", False)
    pdf.install_png_passthrough()
    assert RasterImage._get_png_data is wrapped  # not wrapped twice


def _link_uris(path: Path) -> list[str]:
    import pypdf

    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_relative_links_stay_relative_and_the_pdf_does_not_name_its_build_folder(tmp_path: Path) -> None:
    html = (
        "<html lang='en'><body><h1 id='top'>T</h1><p><a href='briefing-data/key-figures.csv'>figures</a> "
        "<a href='briefing-data.zip'>all data</a> <a href='https://www.sipri.org/databases/armstransfers'>SIPRI</a> "
        "<a href='#top'>top</a></p></body></html>"
    )
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        pdf.write_pdf(html, tmp_path / folder / "t.pdf")
    assert _link_uris(tmp_path / "a" / "t.pdf") == [
        "briefing-data/key-figures.csv",
        "briefing-data.zip",
        "https://www.sipri.org/databases/armstransfers",
    ]  # the internal link is a destination, not a URI
    assert (tmp_path / "a" / "t.pdf").read_bytes() == (tmp_path / "b" / "t.pdf").read_bytes()
