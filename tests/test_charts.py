"""Tests for analysis.charts: every chart on real data (Mali; China and Africa), the house rules
(title, TIV units, release in the credit line, never "$"), fixed supplier colours, the "Others"
arithmetic and the map's shading."""

from __future__ import annotations

import colorsys
import dataclasses
import io
import os
import re
from collections.abc import Callable

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis import charts
from analysis.errors import ParameterError

from .conftest import require_shared

matplotlib.use("Agg")


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def t() -> pd.DataFrame:
    require_shared()
    from analysis import data

    return data.transfers()


@pytest.fixture(scope="module")
def stamp(t: pd.DataFrame) -> dict[str, str]:
    return charts.sipri_credit()


@pytest.fixture(scope="module")
def mali_windows(t: pd.DataFrame) -> pd.DataFrame:
    from analysis import transfers

    return transfers.shares_by_window(t, "Mali", long=True)


@pytest.fixture(scope="module")
def africa_windows(t: pd.DataFrame) -> pd.DataFrame:
    from analysis import transfers

    return transfers.shares_by_window(t, "Africa", long=True)


@pytest.fixture(scope="module")
def china_shares(t: pd.DataFrame) -> pd.DataFrame:
    from analysis import transfers

    return transfers.supplier_share_by_recipient(t, "China", "Africa", (2020, 2024))


@pytest.fixture(scope="module")
def mali_deaths() -> pd.DataFrame:
    require_shared()
    from analysis import data

    ged = data.read_source("ucdp_ged_country_year").frame
    mali = ged[ged["country"] == "Mali"].rename(columns={"best_deaths": "deaths"})
    return mali.assign(source="ucdp_ged_country_year")[["country", "year", "type_of_violence", "deaths", "source"]]


def all_text(fig: Figure) -> str:
    """Every string drawn in the figure, wrapped lines joined with spaces."""
    texts = [o.get_text() for o in fig.findobj(Text)]
    return " ".join(s.replace("\n", " ") for s in texts if s)


def patch_by_gid(fig: Figure, gid: str):
    hits = [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]
    assert hits, f"no patch with gid {gid!r}"
    return hits[0]


# --------------------------------------------------------------------------- every chart
def _cases() -> dict[str, Callable[..., tuple[Figure, str]]]:
    from analysis import deals, transfers

    def shares(t, stamp, **_):
        title = "Russia was Mali's largest supplier in 2020-24"
        return charts.shares_by_window_chart(transfers.shares_by_window(t, "Mali", long=True), title=title, credit=stamp), title

    def annual(t, stamp, **_):
        title = "Mali's imports of major arms rose after 2015"
        return charts.annual_tiv_chart(
            transfers.annual_tiv(t, recipients="Mali", years=(2000, 2024)), title=title, credit=stamp
        ), title

    def timeline(t, stamp, **_):
        title = "China's deals with Mali"
        return charts.deal_timeline_chart(deals.between("China", "Mali"), title=title), title

    def deaths(t, stamp, mali_deaths, **_):
        title = "Deaths and imports in Mali"
        return charts.deaths_and_imports_chart(
            mali_deaths, transfers.annual_tiv(t, recipients="Mali", years=(2015, 2024)), title=title, credit=stamp
        ), title

    def share_map(t, stamp, china_shares, **_):
        title = "China's share of African states' imports, 2020-24"
        return charts.share_map(china_shares, "China", title=title, credit=stamp), title

    def ranking(t, stamp, **_):
        title = "Algeria received most of China's deliveries to Africa"
        return charts.bar_ranking_chart(
            transfers.top_recipients(t, "China", "Africa"), "recipient", title=title, credit=stamp
        ), title

    return {
        "shares_by_window": shares,
        "annual_tiv": annual,
        "deal_timeline": timeline,
        "deaths_and_imports": deaths,
        "share_map": share_map,
        "bar_ranking": ranking,
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_chart_house_rules(name, t, stamp, mali_deaths, china_shares, tmp_path):
    fig, title = _cases()[name](t=t, stamp=stamp, mali_deaths=mali_deaths, china_shares=china_shares)
    assert isinstance(fig, Figure)
    out = charts.save(fig, tmp_path / f"{name}.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # atomic: no temporary left
    text = all_text(fig)
    assert title in text
    assert "$" not in text and "US$" not in text
    assert "Chart: arms-briefings" in text
    if name == "deal_timeline":  # plots deals (years, units ordered), not TIV; names every release shown
        for release in ("March 2024", "March 2025", "March 2026"):
            assert f"{release}" in text
        assert "March 2026 release (newest deliveries)" in text
    else:
        assert "TIV" in text
        assert "March 2025 release" in text and "data generated 2025-03-13" in text


def test_default_titles_state_the_finding(t, mali_windows):
    fig = charts.shares_by_window_chart(mali_windows)
    assert "Russia was Mali's largest supplier of major arms in 2020-24" in all_text(fig)
    from analysis import transfers

    fig = charts.bar_ranking_chart(transfers.supplier_shares(t, "Africa"), "supplier", colour_by_supplier=True)
    assert re.search(r"Russia supplied \d+% of Africa's imports of major arms in 2020-24", all_text(fig))


# --------------------------------------------------------------------------- colours
def test_supplier_colour_is_the_same_in_two_charts(t, africa_windows):
    from analysis import transfers

    stacked = charts.shares_by_window_chart(africa_windows)
    ranked = charts.bar_ranking_chart(transfers.supplier_shares(t, "Africa"), "supplier", colour_by_supplier=True)
    a = to_hex(patch_by_gid(stacked, "segment:China:2020-24").get_facecolor())
    b = to_hex(patch_by_gid(ranked, "bar:China").get_facecolor())
    assert a == b == charts.supplier_colour("China") == charts.SUPPLIER_COLOURS["China"]
    assert to_hex(patch_by_gid(ranked, "bar:Russia").get_facecolor()) == charts.supplier_colour("Russia")


def test_supplier_colour_names_and_neutrals():
    assert charts.supplier_colour("Türkiye") == charts.supplier_colour("Turkiye")
    assert charts.supplier_colour("USA") == charts.SUPPLIER_COLOURS["United States"]
    assert charts.supplier_colour("United Arab Emirates") == charts.SUPPLIER_COLOURS["UAE"]
    fixed = set(charts.SUPPLIER_COLOURS.values())
    assert len(fixed) == len(charts.SUPPLIER_COLOURS)  # no two suppliers share a colour
    # the Soviet Union is a lighter shade of Russia's colour
    h_r, l_r, _ = colorsys.rgb_to_hls(*to_rgb(charts.SUPPLIER_COLOURS["Russia"]))
    h_s, l_s, _ = colorsys.rgb_to_hls(*to_rgb(charts.SUPPLIER_COLOURS["Soviet Union"]))
    assert l_s > l_r and abs(h_s - h_r) < 0.03
    for name in ("Bulgaria", "Atlantis", "Czechia"):
        c = charts.supplier_colour(name)
        assert c in charts.NEUTRAL_COLOURS and c not in fixed
        assert c == charts.supplier_colour(name)  # stable
        assert colorsys.rgb_to_hls(*to_rgb(c))[2] < 0.25  # low saturation: neutral
    assert charts.supplier_colour("Others") == charts.OTHERS_COLOUR


# --------------------------------------------------------------------------- shares by window
def test_shares_by_window_others_add_up(mali_windows):
    top = 3
    fig = charts.shares_by_window_chart(mali_windows, top=top)
    named = charts.top_suppliers(mali_windows, top)
    for window, part in mali_windows.groupby("window"):
        segs = [
            p
            for p in fig.axes[0].patches
            if p.get_gid() and p.get_gid().startswith("segment:") and p.get_gid().endswith(f":{window}")
        ]
        widths = {p.get_gid().split(":")[1]: p.get_width() for p in segs}
        assert sum(widths.values()) == pytest.approx(100, abs=0.01)
        expected_others = 100 - part.loc[part["supplier"].isin(named), "share"].sum()
        assert widths.get("Others", 0.0) == pytest.approx(expected_others, abs=0.01)
    others = patch_by_gid(fig, "segment:Others:2020-24")
    assert to_hex(others.get_facecolor()) == charts.OTHERS_COLOUR


# --------------------------------------------------------------------------- map
def test_map_shades_mali_with_its_share(china_shares):
    fig = charts.share_map(china_shares, "China")
    colours = charts.state_colours(fig)
    by_gid = charts.state_collections(fig)
    mali = float(china_shares.loc[china_shares["iso3"] == "MLI", "share"].iloc[0])
    expected = to_hex(charts.share_cmap("China")(mali / 100))
    assert colours["MLI"] == expected
    assert colours["EGY"] == "#ffffff"  # outline only
    assert by_gid["ERI"].get_hatch()  # Eritrea: no imports recorded, hatched
    text = all_text(fig)
    assert "no major-arms imports recorded" in text.lower()
    assert "Egypt counts in SIPRI's Middle East" in text
    assert "Share of imports from China (%)" in text
    assert "Natural Earth" in text


# --------------------------------------------------------------------------- other behaviour
def test_deaths_panels_share_x_without_twin_axes(t, mali_deaths):
    from analysis import transfers

    fig = charts.deaths_and_imports_chart(mali_deaths, transfers.annual_tiv(t, recipients="Mali", years=(2015, 2024)))
    top, bottom = fig.axes
    assert top.get_shared_x_axes().joined(top, bottom)
    assert top.get_position().y0 > bottom.get_position().y1 - 1e-9  # stacked, not overlaid
    assert "SIPRI TIV (millions)" in bottom.get_ylabel()
    assert "UCDP" in all_text(fig)


def test_open_deals_run_dashed_to_the_edge():
    require_shared()
    from analysis import deals

    d = deals.between("Turkiye", "Algeria", sources=["sipri_register"])
    assert d["open"].any()
    fig = charts.deal_timeline_chart(d)
    ax = fig.axes[0]
    open_lines = [ln for ln in ax.lines if (ln.get_gid() or "").endswith(":open")]
    assert len(open_lines) == int(d["open"].sum())
    assert all(ln.get_xdata()[-1] == ax.get_xlim()[1] and ln.get_linestyle() != "-" for ln in open_lines)
    assert "Open: no delivery recorded yet" in all_text(fig)


def test_credit_text_takes_the_release_from_the_data():
    assert "March 2030 release" in charts.credit_text("March 2030")
    assert charts.credit_text("March 2030", {"release": "March 2030", "generated": "2030-03-10"}).startswith(
        "Source: SIPRI Arms Transfers Database, March 2030 release (data generated 2030-03-10)."
    )
    assert "March 2030" in charts.credit_text("March 2030", "Source: SIPRI")
    with pytest.raises(ParameterError):
        charts.credit_text("March 2030", {"release": "March 2025", "generated": "2025-03-13"})


def test_draws_into_a_given_axes_and_style_is_idempotent(t):
    from analysis import transfers

    charts.apply_style()
    before = dict(matplotlib.rcParams)
    charts.apply_style()
    assert dict(matplotlib.rcParams) == before
    fig = Figure(figsize=(7, 3.8))
    ax = fig.add_subplot()
    out = charts.bar_ranking_chart(transfers.by_category(t, "China", "Africa"), "category", value_col="tiv", ax=ax)
    assert out is fig
    assert ax.get_xlabel() == "SIPRI TIV (millions)"
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


# --------------------------------------------------------------------------- what a chart shows (charts.info)
@pytest.mark.parametrize("name", list(_cases()))
def test_every_chart_has_info(name, t, stamp, mali_deaths, china_shares):
    fig, title = _cases()[name](t=t, stamp=stamp, mali_deaths=mali_deaths, china_shares=china_shares)
    info = charts.info(fig)
    assert isinstance(info, charts.ChartInfo)
    assert info.title == title and "\n" not in info.credit and "arms-briefings" in info.credit
    assert len(info.alt) > 60 and info.alt.lower() != "chart" and info.alt.endswith(".")
    assert len(info.data) and {"unit", "release"} <= set(info.data.columns)
    assert set(info.data["unit"]) <= set(charts.chartinfo.UNITS)
    assert "$" not in info.alt
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.title = "x"  # type: ignore[misc]


def test_shares_data_equal_the_frame_and_alt_names_the_leader(mali_windows):
    fig = charts.shares_by_window_chart(mali_windows)
    d = charts.info(fig).data
    assert set(d["unit"]) == {"percent of imports"} and set(d["recipients"]) == {"Mali"}
    last = mali_windows[mali_windows["window"] == "2020-24"]
    russia = float(last.loc[last["supplier"] == "Russia", "share"].iloc[0])
    got = d[(d["years"] == "2020-24") & (d["supplier"] == "Russia")]["value"]
    assert got.tolist() == [pytest.approx(russia)]
    for _, part in d.groupby("years"):
        assert part["value"].sum() == pytest.approx(100, abs=0.01)  # named + Others, as drawn
    assert f"Russia had the largest share in 2020-24, {russia:.1f}%" in charts.info(fig).alt
    assert "Mali's imports of major arms" in charts.info(fig).alt


def test_alt_follows_the_data(mali_windows):
    """Change the figures: the alt text's finding changes with them (it is computed, not fixed)."""
    swapped = mali_windows.copy()
    last = swapped["window"] == "2020-24"
    swapped.loc[last & (swapped["supplier"] == "Russia"), "share"] = 1.0
    swapped.loc[last & (swapped["supplier"] == "China"), "share"] = 80.0
    alt = charts.info(charts.shares_by_window_chart(swapped)).alt
    assert "China had the largest share in 2020-24, 80.0%" in alt
    assert alt != charts.info(charts.shares_by_window_chart(mali_windows)).alt


def test_annual_data_and_method(t):
    from analysis import transfers

    annual = transfers.annual_tiv(t, recipients="Mali", by=None, years=(2010, 2024))
    fig = charts.annual_tiv_chart(annual)
    d = charts.info(fig).data
    bars = d[d["series"] == "All suppliers"].set_index("year")["value"]
    pd.testing.assert_series_equal(bars, annual["total"].astype(float), check_names=False)
    avg = d[d["series"] == "5-year trailing average"].set_index("year")["value"]
    assert avg.loc[2024] == pytest.approx(annual["total"].loc[2020:2024].mean())
    peak = int(annual["total"].idxmax())
    assert f"peaked in {peak}" in charts.info(fig).alt and set(d["unit"]) == {charts.chartinfo.UNIT_TIV}
    assert "method" not in d  # the frame does not say; with a method attr it is carried along
    annual.attrs["method"] = "even spread"
    assert set(charts.info(charts.annual_tiv_chart(annual)).data["method"]) == {"even spread"}


def test_map_data_and_iso3(china_shares):
    fig = charts.share_map(china_shares, "China")
    d = charts.info(fig).data.set_index("iso3")
    mali = float(china_shares.loc[china_shares["iso3"] == "MLI", "share"].iloc[0])
    assert d.loc["MLI", "value"] == pytest.approx(mali)
    assert pd.isna(d.loc["ERI", "value"]) and "no imports" in d.loc["ERI", "status"]
    assert "EGY" not in d.index  # outside SIPRI's Africa: drawn in outline, no value
    top = china_shares.iloc[0]
    assert f"{charts.fmt.possessive(top['recipient'])}, {top['share']:.1f}%" in charts.info(fig).alt
    # every state on the map keeps its ISO3 code, in few draw calls (one per style)
    states = charts.state_collections(fig)
    assert {"MLI", "DZA", "ZAF", "EGY", "ERI"} <= set(states)
    assert len({id(c) for c in states.values()}) <= 3
    svg = charts.to_svg(fig)
    assert 'id="MLI"' in svg and 'id="ZAF"' in svg


def test_supplier_ranking_names_its_suppliers_in_data_and_alt_text():
    # the constant supplier="all" column used to overwrite the ranked names: "All ranks first"
    from analysis import transfers

    t = pd.DataFrame(
        {
            "deal_id": ["a", "b", "c"],
            "supplier": ["UAE", "Russia", "Turkiye"],
            "recipient": ["Mali", "Mali", "Mali"],
            "delivery_year": [2022, 2023, 2024],
            "tiv_delivered": [60.0, 30.0, 10.0],
            "release": "March 2025",
        }
    )
    fig = charts.bar_ranking_chart(transfers.supplier_shares(t, "Mali", (2022, 2024)), "supplier")
    info = charts.info(fig)
    assert info.data["supplier"].tolist() == ["United Arab Emirates", "Russia", "Türkiye"]
    assert info.alt == (
        "Horizontal bar chart ranking 3 suppliers of Mali's imports of major arms in 2022-24, in percent of imports. "
        "The United Arab Emirates ranks first with 60.0%."
    )
    with pytest.raises(ParameterError, match="constant column.s. supplier would overwrite"):
        charts.chartinfo.table(info.data, ["supplier", "value"], supplier="all")


def test_ranking_and_deaths_data(t, mali_deaths):
    from analysis import transfers

    top = transfers.top_recipients(t, "China", "Africa")
    fig = charts.bar_ranking_chart(top, "recipient")
    d = charts.info(fig).data
    assert d["recipient"].tolist() == top["recipient"].tolist()
    assert d["value"].tolist() == pytest.approx(top["share"].tolist())
    assert d["rank"].tolist() == list(range(1, len(top) + 1)) and set(d["unit"]) == {"percent of deliveries"}
    assert f"Algeria ranks first with {top['share'].iloc[0]:.1f}%" in charts.info(fig).alt
    annual = transfers.annual_tiv(t, recipients="Mali", years=(2015, 2024))
    d = charts.info(charts.deaths_and_imports_chart(mali_deaths, annual)).data
    deaths = d[d["panel"] == "conflict deaths"]
    assert deaths["value"].sum() == pytest.approx(mali_deaths.loc[mali_deaths["year"].between(2015, 2024), "deaths"].sum())
    assert set(deaths["unit"]) == {"deaths"}
    assert d[d["panel"] == "arms imports"]["value"].sum() == pytest.approx(annual.to_numpy().sum())


# --------------------------------------------------------------------------- output for the page
def test_svg_is_self_contained_and_text_false_drops_title(mali_windows):
    fig = charts.shares_by_window_chart(mali_windows, title="Russia led in 2020-24")
    full, bare = charts.to_svg(fig), charts.to_svg(fig, text=False)
    for svg in (full, bare):
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        hrefs = re.findall(r'(?:xlink:)?href="([^"]*)"', svg)
        assert all(h.startswith(("#", "data:")) for h in hrefs), hrefs  # nothing external
        assert "@font-face" not in svg and "<text" not in svg  # glyphs as paths
    assert 'id="chart-title"' in full and 'id="credit"' in full
    assert 'id="chart-title"' not in bare and 'id="credit"' not in bare
    assert "<dc:date>" not in full  # no render date in the file
    assert len(bare) < len(full)
    assert charts.info(fig).title == "Russia led in 2020-24"  # the page prints it instead


def test_png_without_text_and_for_the_page(mali_windows):
    from PIL import Image

    fig = charts.shares_by_window_chart(mali_windows)
    size = tuple(fig.get_size_inches())
    full = Image.open(io.BytesIO(charts.to_png(fig)))
    bare = Image.open(io.BytesIO(charts.to_png(fig, text=False)))
    assert bare.width == full.width and bare.height < full.height  # shorter by the title and credit
    assert tuple(fig.get_size_inches()) == size and all(t.get_visible() for t in fig.texts)  # restored
    page = Image.open(io.BytesIO(charts.to_png(fig, text=False, width=charts.PAGE_WIDTH, dpi=300)))
    assert page.width == round(charts.PAGE_WIDTH * 300)
    # tick labels of 8 pt x the page scale, shown 390 px wide, are at least 10 px high
    assert 8 * charts.PAGE_FONT_SCALE / 72 * 390 / charts.PAGE_WIDTH >= 10


def test_a_chart_made_for_the_page_is_drawn_once_and_the_same(mali_windows):
    """Inside page_charts (how the in-process engine runs a notebook) a chart is made at the
    page's width and type, so the page's PNG needs no second drawing, and it is the same PNG as
    a chart made at the house width and redrawn for the page."""
    redrawn = charts.to_png(charts.shares_by_window_chart(mali_windows), text=False, width=charts.PAGE_WIDTH)
    size_before = matplotlib.rcParams["font.size"]
    with charts.page_charts():
        fig = charts.shares_by_window_chart(mali_windows)
        assert fig.get_figwidth() == charts.PAGE_WIDTH
        calls = []
        real = fig._chart_call
        fig._chart_call = lambda: calls.append(1) or real()
        once = charts.to_png(fig, text=False, width=charts.PAGE_WIDTH)
        assert calls == []  # not drawn again
        # asked for another width, it is redrawn at that width
        assert charts.to_png(fig, text=False, width=6.0) and calls == [1]
    assert once == redrawn
    assert matplotlib.rcParams["font.size"] == size_before  # the page's type does not outlive it
    assert charts.shares_by_window_chart(mali_windows).get_figwidth() == charts.WIDTH


def test_page_png_is_opaque_rgb_with_matplotlibs_pixels(mali_windows):
    """The page's PNG has no alpha channel (a PDF renderer would split it into a second image)
    and no text chunks, and shows the same pixels as matplotlib's own PNG of the same chart."""
    from PIL import Image, ImageChops

    ours = Image.open(io.BytesIO(charts.to_png(charts.shares_by_window_chart(mali_windows))))
    buf = io.BytesIO()
    charts.shares_by_window_chart(mali_windows).savefig(buf, format="png", dpi=charts.DPI, facecolor="white")
    theirs = Image.open(buf)
    assert ours.mode == "RGB" and theirs.mode == "RGBA" and ours.size == theirs.size
    assert theirs.getchannel("A").getextrema() == (255, 255)  # drawn on white: nothing lost with the alpha
    assert ImageChops.difference(ours, theirs.convert("RGB")).getbbox() is None
    assert not ours.info.get("Software") and not ours.text


@pytest.mark.parametrize("name", list(_cases()))
def test_page_png_is_savefigs_picture_drawn_once(name, t, stamp, mali_deaths, china_shares, monkeypatch):
    """Every chart's page PNG, with and without its text, has the bytes that matplotlib's own
    savefig gives (which draws the figure twice: a chart on a canvas of another kind goes that
    way), though the figure is drawn once; the layout engine and the canvas are given back."""
    from matplotlib.backend_bases import FigureCanvasBase

    class OtherCanvas(FigureCanvasBase):
        pass

    def made():
        return _cases()[name](t=t, stamp=stamp, mali_deaths=mali_deaths, china_shares=china_shares)[0]

    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: draws.append(self) or real_draw(self, r))
    for text, dpi in ((True, charts.DPI), (False, charts.DPI), (False, 2 * charts.DPI)):
        fig = made()
        engine, canvas = fig.get_layout_engine(), fig.canvas
        draws.clear()
        ours = charts.to_png(fig, text=text, dpi=dpi)
        assert draws == [fig]
        assert fig.get_layout_engine() is engine and fig.canvas is canvas
        theirs = made()
        OtherCanvas(theirs)  # saved by savefig as it is
        draws.clear()
        assert charts.to_png(theirs, text=text, dpi=dpi) == ours
        assert draws == [theirs, theirs]


def test_base_map_is_read_once(china_shares, monkeypatch):
    import geopandas

    charts.read_base_map.cache_clear()
    calls = []
    real = geopandas.read_file
    monkeypatch.setattr(geopandas, "read_file", lambda *a, **k: calls.append(a) or real(*a, **k))
    charts.share_map(china_shares, "China")
    charts.share_map(china_shares, "China")
    assert len(calls) == 1
    assert charts.read_base_map.cache_info().hits >= 1


# --------------------------------------------------------------------------- French
def test_french_credit_lines_name_the_release_in_french():
    from analysis import i18n

    with i18n.use("fr"):
        assert charts.credit_text(None) == (
            "Source\u00a0: base de données du SIPRI sur les transferts d’armes. Graphique\u00a0: arms-briefings."
        )
        assert charts.credit_text("March 2025") == (
            "Source\u00a0: base de données du SIPRI sur les transferts d’armes, version de mars 2025. "
            "Graphique\u00a0: arms-briefings."
        )
        stamped = charts.credit_text("March 2025", {"release": "March 2025", "generated": "2025-03-01"})
        assert "version de mars 2025 (données générées le 1er mars 2025)" in stamped
        assert "versions de mars 2024 et mars 2025." in charts.credit_text(["March 2024", "March 2025"])
        assert charts.credit_text("March 2030", "Source: SIPRI").startswith("Source: SIPRI (version de mars 2030).")
    assert charts.credit_text("March 2025") == (
        "Source: SIPRI Arms Transfers Database, March 2025 release. Chart: arms-briefings."
    )


def test_french_chart_numbers_and_names():
    from analysis import i18n
    from analysis.charts import style, timelines

    with i18n.use("fr"):
        assert style.fmt_tiv(1363.2) == "1\u202f363" and style.fmt_tiv(4.25) == "4,2"
        assert style.pct_label(42.4) == "42\u202f%" and style.pct_label(0.0) == "0\u202f%"
        assert timelines._route(["United States"], ["Comoros"]) == "des États-Unis à destination des Comores"
        assert timelines._route(["China", "Russia"], ["Mali"]) == "de 2 fournisseurs à destination du Mali"
        assert timelines._route(["China"], ["Mali", "Niger"]) == "de la Chine à destination de 2 destinataires"
        assert format(timelines.Places(["Mali", "Niger"]), "a") == "au Mali et au Niger"
        assert format(timelines.Places(["Mali", "Egypt"]), "de") == "du Mali et de l’Égypte"
        assert timelines._violence_legend("one-sided") == "Violence unilatérale"
    assert timelines._route(["United States"], ["Comoros"]) == "from the United States to the Comoros"
    assert format(timelines.Places(["Mali", "Niger"]), "a") == "in Mali and Niger"


def test_french_default_titles_and_alt_texts(t, mali_windows):
    from analysis import i18n, transfers

    with i18n.use("fr"):
        shares = charts.info(charts.shares_by_window_chart(mali_windows))
        annual = charts.info(charts.annual_tiv_chart(transfers.annual_tiv(t, recipients="Mali", years=(2000, 2024))))
        ranking = charts.info(charts.bar_ranking_chart(transfers.top_recipients(t, "China", "Africa"), "recipient"))
    assert shares.title.startswith("La Russie a été le premier fournisseur d’armes majeures du Mali en ")
    assert "Diagramme en barres des importations d’armes majeures du Mali par fournisseur" in shares.alt
    assert annual.title.startswith("Les importations d’armes majeures du Mali ont culminé en ")
    assert "millions de TIV" in annual.title and "Le total a culminé en" in annual.alt
    assert "des livraisons d’armes majeures de la Chine à destination de l’Afrique" in ranking.alt
    assert not any(w in x for x in (shares.alt, annual.alt, ranking.alt) for w in ("Bar chart", " the ", "dollar"))


def test_wrapped_lines_fit_and_the_measurements_are_remembered():
    from analysis.charts import style

    fig = Figure(figsize=(4, 3))
    text = "Source: SIPRI Arms Transfers Database (March 2025 release); TIV is a volume index, not money. " * 3
    text = text.strip()
    wrapped = style.wrap_text(text, fig, 6.5)
    limit = 4 * 72 * 0.97
    lines = wrapped.split("\n")
    assert len(lines) > 1 and " ".join(lines) == text  # words kept, in order
    assert all(style._text_width(line, 6.5) <= limit for line in lines)
    # each line is as full as it can be: the next word would not have fitted
    assert all(style._text_width(f"{a} {b.split(' ')[0]}", 6.5) > limit for a, b in zip(lines, lines[1:]))
    before = style._text_width.cache_info().misses
    assert style.wrap_text(text, Figure(figsize=(4, 3)), 6.5) == wrapped
    assert style._text_width.cache_info().misses == before  # a second chart's credit line measures nothing again
    assert style.wrap_text(text, Figure(figsize=(8, 3)), 6.5).count("\n") < wrapped.count("\n")  # keyed by width
