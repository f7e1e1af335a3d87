"""Allocation of each deal's TIV over its delivery years to SIPRI's TIV tables: hand-made
fixtures (one deal, deals sharing years, a deal whose years the table lacks, tables that cannot
be matched) and the release guard."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import calibrate as cal
from analysis.errors import ParameterError

REL = "March 2025"


def deals(*specs: tuple) -> pd.DataFrame:
    """(deal, supplier, recipient, total TIV, years) -> transfers rows spread evenly."""
    recs = []
    for deal, sup, rec, total, years in specs:
        for y in years:
            recs.append(
                {
                    "deal_id": deal,
                    "supplier": sup,
                    "recipient": rec,
                    "delivery_year": y,
                    "tiv_delivered": total / len(years),
                    "n_delivered": 10 / len(years),
                    "method": "even spread",
                    "release": REL,
                }
            )
    df = pd.DataFrame(recs)
    df["delivery_year"] = df["delivery_year"].astype("Int64")
    return df


def table(
    cells: dict[tuple[str, str, int], float | None], years: tuple[int, int], kind: str = "bilateral", release: str = REL
) -> pd.DataFrame:
    """{(supplier, recipient, year): printed TIV} -> cells as analysis.tidy.tiv_cells gives them."""
    rows = [
        {
            "table": "T",
            "release": release,
            "kind": kind,
            "supplier": s,
            "recipient": r,
            "year": y,
            "tiv": float(v),
            "lo": max(float(v) - 0.5, 0.0),
            "hi": float(v) + 0.5,
        }
        for (s, r, y), v in cells.items()
    ]
    out = pd.DataFrame(rows)
    out.attrs.update({"years": years, "kind": kind, "table": "T", "release": release})
    return out


def yearly(t: pd.DataFrame, deal: str | None = None) -> dict[int, float]:
    part = t if deal is None else t[t["deal_id"] == deal]
    return {int(k): round(float(v), 2) for k, v in part.groupby("delivery_year")["tiv_delivered"].sum().items()}


def test_one_deal_takes_the_tables_years() -> None:
    t = deals(("a", "China", "Mali", 30.0, [2020, 2021, 2022]))
    fit = cal.allocate(
        t, [table({("China", "Mali", 2020): 5, ("China", "Mali", 2021): 20, ("China", "Mali", 2022): 5}, (2015, 2024))]
    )
    got = yearly(fit.transfers)
    assert all(abs(got[y] - v) <= 0.5 for y, v in {2020: 5, 2021: 20, 2022: 5}.items()), got
    assert sum(got.values()) == pytest.approx(30.0)
    assert fit.transfers["method"].str.startswith("calibrated to SIPRI TIV table T").all()
    # units follow the TIV: 10 units over the years in proportion
    assert fit.transfers["n_delivered"].sum() == pytest.approx(10.0)
    assert fit.report.empty


def test_deals_sharing_years_keep_their_totals_and_years() -> None:
    t = deals(
        ("a", "Russia", "Niger", 40.0, [2019, 2020]),
        ("b", "Russia", "Niger", 10.0, [2020, 2021]),
        ("c", "Russia", "Niger", 6.0, [2021]),
    )
    tab = table({("Russia", "Niger", 2019): 35, ("Russia", "Niger", 2020): 8, ("Russia", "Niger", 2021): 13}, (2010, 2024))
    fit = cal.allocate(t, [tab])
    out = fit.transfers
    assert out.groupby("deal_id")["tiv_delivered"].sum().round(9).to_dict() == {"a": 40.0, "b": 10.0, "c": 6.0}
    assert set(map(tuple, out[["deal_id", "delivery_year"]].astype(str).values)) == set(
        map(tuple, t[["deal_id", "delivery_year"]].astype(str).values)
    )
    got = yearly(out)
    assert abs(got[2019] - 35) <= 0.5 and abs(got[2020] - 8) <= 0.5 and abs(got[2021] - 13) <= 0.5, got
    assert yearly(out, "c") == {2021: 6.0}  # a one-year deal cannot move
    e = cal.errors(out, tab)
    assert e["matched_share"] == 1.0 and cal.errors(t, tab)["matched_share"] < 0.5
    assert e["wrong_year_share"] < 0.02 < cal.errors(t, tab)["wrong_year_share"]


def test_a_deal_with_years_the_table_lacks_is_fitted_inside_and_reported() -> None:
    """The table starts in 2000: the deal's 1999 part is free, its 2000-01 parts are fitted."""
    t = deals(("a", "China", "Sudan", 30.0, [1999, 2000, 2001]))
    fit = cal.allocate(t, [table({("China", "Sudan", 2000): 2, ("China", "Sudan", 2001): 8}, (2000, 2025))])
    got = yearly(fit.transfers)
    assert abs(got[2000] - 2) <= 0.5 and abs(got[2001] - 8) <= 0.5 and got[1999] == pytest.approx(20.0, abs=1)
    rep = fit.report
    assert len(rep) == 1 and "year(s) the table lacks" in rep["reason"].iloc[0] and rep["years"].iloc[0] == "1999"


def test_a_year_the_table_leaves_empty_is_reported_not_forced() -> None:
    """The table covers 2021 but lists no delivery to Chad then: the one-year 2021 deal cannot
    move; its pair keeps the even spread and is reported."""
    t = deals(("a", "France", "Chad", 12.0, [2020, 2021]), ("b", "France", "Chad", 4.0, [2021]))
    fit = cal.allocate(t, [table({("France", "Chad", 2020): 16}, (2015, 2024))])
    assert yearly(fit.transfers) == yearly(t)  # not forced
    assert (fit.transfers["method"] == "even spread").all()
    assert len(fit.report) == 1 and "2021" in fit.report["reason"].iloc[0]


def test_totals_that_contradict_are_reported_not_forced() -> None:
    t = deals(("a", "Turkiye", "Mali", 20.0, [2022, 2023]), ("b", "China", "Mali", 9.0, [2022, 2023]))
    tab = table(
        {
            ("Turkiye", "Mali", 2022): 15,
            ("Turkiye", "Mali", 2023): 15,  # 30 vs the deal's 20
            ("China", "Mali", 2022): 2,
            ("China", "Mali", 2023): 7,
        },
        (2015, 2024),
    )
    fit = cal.allocate(t, [tab])
    tur = fit.transfers[fit.transfers["deal_id"] == "a"]
    assert yearly(tur) == {2022: 10.0, 2023: 10.0} and (tur["method"] == "even spread").all()
    assert yearly(fit.transfers, "b") == pytest.approx({2022: 2.0, 2023: 7.0}, abs=0.5)  # the other pair is matched
    rep = fit.report
    assert len(rep) == 1 and rep["supplier"].iloc[0] == "Turkiye" and rep["reason"].iloc[0].startswith("totals contradict")


def test_importer_totals_couple_suppliers() -> None:
    t = deals(("a", "Russia", "Mali", 10.0, [2020, 2021]), ("b", "China", "Mali", 10.0, [2021, 2022]))
    tab = table({(None, "Mali", 2020): 2, (None, "Mali", 2021): 10, (None, "Mali", 2022): 8}, (2000, 2023), kind="importer")
    tab["supplier"] = pd.NA
    fit = cal.allocate(t, [tab])
    assert yearly(fit.transfers) == pytest.approx({2020: 2.0, 2021: 10.0, 2022: 8.0}, abs=0.5)
    assert yearly(fit.transfers, "a") == pytest.approx({2020: 2.0, 2021: 8.0}, abs=0.5)


def test_only_a_table_of_the_same_release() -> None:
    t = deals(("a", "China", "Mali", 30.0, [2020, 2021]))
    old = table({("China", "Mali", 2020): 10, ("China", "Mali", 2021): 20}, (2000, 2021), release="March 2022")
    with pytest.raises(ParameterError, match="same release"):
        cal.allocate(t, [old])
    shaped = cal.allocate(t, [old], method="shape").transfers
    assert yearly(shaped) == pytest.approx({2020: 10.0, 2021: 20.0}, abs=0.01)
    assert shaped["method"].str.startswith("shaped by SIPRI TIV table T (March 2022 release; not the same release)").all()


# --------------------------------------------------------------------------- the fit's inner loop
def _reference_iteration(x, row_cell, flo, fhi, deal_codes, totals) -> None:
    """One iteration as the fit was first written: a mask per table and a pass over every row."""
    import numpy as np

    ncell = len(flo)
    for rc in row_cell:
        m = rc >= 0
        if not m.any():
            continue
        s = np.bincount(rc[m], weights=x[m], minlength=ncell)
        f = np.ones(ncell)
        below, above = s < flo, s > fhi
        pos = s > 1e-9
        safe = np.where(pos, s, 1.0)
        f = np.where(below & pos, flo / safe, f)
        f = np.where(above & pos, fhi / safe, f)
        f = np.where(np.isfinite(f), f, 1.0)
        x[m] *= f[rc[m]]
    sd = np.bincount(deal_codes, weights=x, minlength=len(totals))
    g = np.where(sd > 1e-12, totals / np.where(sd > 1e-12, sd, 1.0), 0.0)
    x *= g[deal_codes]
    x[(sd[deal_codes] <= 0) & (totals[deal_codes] > 0)] = 0.0


def _reference_worst(x, row_cell, lo, hi) -> float:
    import numpy as np

    worst = 0.0
    for rc in row_cell:
        m = rc >= 0
        s = np.bincount(rc[m], weights=x[m], minlength=len(lo))
        worst = max(worst, float(np.max(np.maximum(lo - s, s - hi), initial=0.0)))
    return worst


@pytest.mark.parametrize("constrained_share", [0.95, 0.2, 0.0])
def test_the_fit_s_iterations_are_the_first_version_s_to_the_last_bit(constrained_share: float) -> None:
    """Dense tables (every row, an extra cell for the free ones), sparse ones (the constrained rows
    only) and none: after 40 iterations the values are equal, not merely close, to the masked loop's;
    some deals lose all their volume to a cell whose target is 0."""
    import numpy as np

    from analysis.calibrate import fit

    rng = np.random.default_rng(7)
    n, ndeal, ncell = 3000, 400, 120
    deal_codes = np.sort(rng.integers(0, ndeal, n))
    seed = rng.gamma(1.0, 3.0, n)
    totals = np.bincount(deal_codes, weights=seed, minlength=ndeal)
    row_cell = []
    for first, last in ((0, 80), (80, ncell)):
        rc = rng.integers(first, last, n)
        rc[rng.random(n) >= constrained_share] = -1
        row_cell.append(rc)
    lo = rng.gamma(2.0, 20.0, ncell)
    lo[:5] = 0.0  # cells that must be empty
    hi = lo + 1.0
    hi[:5] = 0.0
    lo[-10:], hi[-10:] = -np.inf, np.inf  # cells left free
    flo, fhi = lo + 0.05 * (hi > lo), hi - 0.05 * (hi > lo)
    constrained = (row_cell[0] >= 0) | (row_cell[1] >= 0)
    touched = np.isin(deal_codes, deal_codes[constrained])
    steps, deal_step = fit._ipf_plan(row_cell, [(0, 80), (80, ncell)], deal_codes, totals, touched, lo, hi, flo, fhi)
    if constrained_share > 0.5:
        assert all(step[0] is None for step in steps)
    elif constrained_share > 0:
        assert all(step[0] is not None and len(step[0]) < n for step in steps)
    a, b = seed.copy(), seed.copy()
    for _ in range(40):
        _reference_iteration(a, row_cell, flo, fhi, deal_codes, totals)
        fit._ipf_step(b, steps, deal_step)
        assert fit._ipf_worst(b, steps) == _reference_worst(a, row_cell, lo, hi)
    assert np.array_equal(a, b)
    if constrained_share > 0:
        assert not np.array_equal(a, seed)  # the fit moved something
