"""analysis.render.convert: what a notebook's HTML may carry into the briefing, and its print typography."""

from __future__ import annotations

import re

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
def chars(text: str, bold: bool) -> float:
    """A text's width in characters, bold ones 1.15 as wide: figures that can be worked by hand."""
    return len(text) * (1.15 if bold else 1.0)


def widths(rows, bold_rows: int = 0) -> list[float]:
    return convert.column_widths(rows, line=125, padding=2, bold_rows=bold_rows, measure=chars)


def test_column_widths_share_a_line_as_automatic_layout_does() -> None:
    # Each word gets 2 % more than its width (WORD_SLACK); widths are rounded up to 0.1 and the
    # widest column gives back the excess.
    # Everything fits on one line: by what each column takes, "Year" 4 x 1.02 + 2 padding and
    # "Designation" 11 x 1.02 + 2: 6.08 and 13.22 of 19.3
    assert widths([["Year", "Designation"], ["2019", "VN-2C"]]) == [31.6, 68.4]
    # too long for one line: each column keeps its longest word (6.08 and 13.22) and the rest of
    # the 125-character line goes by what each would take beyond it (0 and 147.78): 6.08 of 125
    long = ("armoured personnel carrier with a remote weapon station and a long description " * 2).strip()
    assert widths([["Year", "Description"], ["2019", long]]) == [4.9, 95.1]
    # words wider than the line: by the words (83.6 and 81.56)
    assert widths([["x" * 80, "y" * 78]]) == [50.6, 49.4]
    assert widths([]) == [] and widths([[]]) == []
    # headings are bold: "Rank" needs 4 x 1.15 x 1.02 + 2 = 6.69 (not 6.08) beside 15
    assert widths([["Rank", "Leader"], ["8", "United States"]], bold_rows=1) == [30.9, 69.1]
    assert widths([["Rank", "Leader"], ["8", "United States"]]) == [28.9, 71.1]


def test_column_widths_break_links_after_slashes_and_sum_to_100() -> None:
    link = "en.wikipedia.org/wiki/Tuareg_rebellion_(2012)"  # 45 characters, its longest part 23
    # one line holds both columns: by their longest cells, 15 + 2 and 45 + 2
    assert widths([["Date", "Source"], ["16 January 2012", link]] + [["2014", "x"]] * 3) == [26.6, 73.4]
    # the link's floor is its longest part between slashes (23 x 1.02 + 2), not the whole link:
    # the text column (floor 3.02, would take 402) and the link (25.46, 47) share 125 as 94.6 and 30.4
    assert widths([["w " * 200, link]]) == [75.6, 24.4]
    w = widths([["a " * 30, link, "b " * 40]] * 4)
    assert round(sum(w), 1) == 100.0 and all(x > 0 for x in w)


def test_column_widths_measure_the_pdf_type_and_keep_every_word_whole() -> None:
    """By default widths are measured in points in DejaVu Sans at the tables' 7.5 pt, on the
    PDF's 174 mm line: a heading such as "Rank" or a range such as "2015-19" is never given
    less than its width, which fixed layout would break inside the word."""
    assert convert.text_width("WWWW") > convert.text_width("iiii") > 0
    assert convert.text_width("Rank", bold=True) > convert.text_width("Rank")
    assert convert.text_width("Rank", size=15) == 2 * convert.text_width("Rank")
    head = [
        "Region",
        "Years",
        "China (%)",
        "Rank",
        "Leader",
        "Leader (%)",
        "United States (%)",
        "Italy (%)",
        "France (%)",
        "Germany (%)",
        "Unidentified suppliers (%)",
    ]
    rows = [head, ["The Middle East", "2015-19", "1.4", "8", "United States", "50.6", "50.6", "2.6", "11.6", "4.0", "0.0"]]
    w = convert.column_widths(rows, bold_rows=1)
    for i, pct in enumerate(w):
        room = pct / 100 * convert.TABLE_WIDTH_PT - convert.CELL_PADDING_PT
        widest = max(convert.text_width(x, bold=k == 0) for k, r in enumerate(rows) for x in r[i].split())
        assert room >= widest - 1e-6, (head[i], room, widest)


def test_polish_gives_notebook_tables_their_column_widths() -> None:
    html = convert.polish_fragment(
        '<div class="nb-html"><table class="dataframe data"><caption>C</caption><thead><tr><th>Year</th><th>Designation</th>'
        "</tr></thead><tbody><tr><td>2019</td><td>VN-2C</td></tr></tbody></table></div>"
    )
    tw, pad = convert.text_width, convert.CELL_PADDING_PT
    year = max(tw("Year", bold=True), tw("2019")) + pad  # the bold heading or the cell, whichever is wider
    name = max(tw("Designation", bold=True), tw("VN-2C")) + pad
    cols = re.findall(r'<col style="width: ([0-9.]+)%"/>', html)
    assert len(cols) == 2 and abs(float(cols[0]) - 100 * year / (year + name)) <= 0.1 and sum(map(float, cols)) == 100
    assert html.index("</caption><colgroup>") < html.index("<thead>")
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
