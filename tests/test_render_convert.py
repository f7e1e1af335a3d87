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


# --------------------------------------------------------------------------- column widths for print
def test_column_widths_share_a_line_as_automatic_layout_does() -> None:
    # everything fits on one line: by what each column takes ("Year" 4 + 2 padding, "Designation" 11 + 2)
    assert convert.column_widths([["Year", "Designation"], ["2019", "VN-2C"]]) == [31.6, 68.4]  # 6/19, 13/19
    # too long for one line: each column keeps its longest word (6 and 13) and the rest of the
    # 105-character line (86) goes by what each would take beyond it (0 and 148): 6 and 99 of 105
    long = ("armoured personnel carrier with a remote weapon station and a long description " * 2).strip()
    assert convert.column_widths([["Year", "Description"], ["2019", long]]) == [5.7, 94.3]
    # words wider than the line: by the words (82 and 80)
    assert convert.column_widths([["x" * 80, "y" * 78]]) == [50.6, 49.4]
    assert convert.column_widths([]) == [] and convert.column_widths([[]]) == []


def test_column_widths_break_links_after_slashes_and_sum_to_100() -> None:
    link = "en.wikipedia.org/wiki/Tuareg_rebellion_(2012)"  # 45 characters, its longest part 23
    # one line holds both columns: by their longest cells, 15 + 2 and 45 + 2
    assert convert.column_widths([["Date", "Source"], ["16 January 2012", link]] + [["2014", "x"]] * 3) == [26.6, 73.4]
    # the link's floor is its longest part between slashes (23 + 2), not the whole link: the
    # text column (floor 3, would take 402) and the link (25, 47) share 105 as 76.0 and 29.0
    assert convert.column_widths([["w " * 200, link]]) == [72.4, 27.6]
    w = convert.column_widths([["a " * 30, link, "b " * 40]] * 4)
    assert round(sum(w), 1) == 100.0 and all(x > 0 for x in w)


def test_polish_gives_notebook_tables_their_column_widths() -> None:
    html = convert.polish_fragment(
        '<div class="nb-html"><table class="dataframe data"><caption>C</caption><thead><tr><th>Year</th><th>Designation</th>'
        "</tr></thead><tbody><tr><td>2019</td><td>VN-2C</td></tr></tbody></table></div>"
    )
    assert '<caption>C</caption><colgroup><col style="width: 31.6%"/><col style="width: 68.4%"/></colgroup><thead>' in html
    assert 'class="dataframe data sized"' in html
    merged = convert.polish_fragment(
        '<div class="nb-html"><table><tr><th colspan="2">a</th></tr><tr><td>1</td><td>2</td></tr></table></div>'
    )
    assert "colgroup" not in merged and "sized" not in merged  # merged cells: left to automatic layout


def test_print_css_lays_sized_tables_out_as_fixed_and_leaves_the_screen_alone() -> None:
    from analysis.render import page

    css = page.stylesheet()
    print_rules = css[css.index("@media print {\n  table.sized") :]
    assert "table.sized, table.meta, table.ledger, table.sources { table-layout: fixed; }" in print_rules
    assert "table.sized col { width: auto !important; }" in css  # on screen the browser sizes them
