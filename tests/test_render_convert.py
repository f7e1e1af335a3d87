"""analysis.render.convert: what a notebook's HTML may carry into the briefing, and its print typography."""

from __future__ import annotations

from analysis.render import convert


def test_sanitize_drops_scripts_handlers_and_remote_resources() -> None:
    html = str(
        convert.sanitize_fragment(
            '<p onclick="x()">a</p><script>alert(1)</script><img src="https://cdn.example.org/x.png">'
            '<a href="javascript:x()">j</a><a href="https://example.org">ok</a><img src="data:image/png;base64,AA">'
        )
    )
    assert "<script" not in html and "onclick" not in html and "cdn.example.org" not in html
    assert "javascript:" not in html and 'href="https://example.org"' in html and 'src="data:image/png;base64,AA"' in html


def test_polish_right_aligns_numbers_and_shortens_urls() -> None:
    html = convert.polish_fragment(
        '<div class="nb-markdown"><p>Intro</p></div><div class="nb-html"><table><tr><th>a</th><th>n</th></tr>'
        "<tr><td>x</td><td>1,234</td></tr><tr><td>https://www.example.org/a/b</td><td>5%</td></tr></table></div>"
    )
    assert 'class="nb-markdown lead-in"' in html
    assert html.count('class="num"') == 3  # the heading and both cells of the number column
    assert '<a href="https://www.example.org/a/b">example.org/<wbr/>a/<wbr/>b</a>' in html
