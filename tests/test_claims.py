"""The claim ledgers on the real data: the Mali-Norinco article (the briefing's ledger, ids
1-11) and the three other articles; verdicts and key figures in the evidence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import checks, claims

CLAIMS = Path(__file__).resolve().parents[1] / "data" / "claims"


@pytest.fixture(scope="module")
def inputs(shared: Path) -> checks.Inputs:
    return claims.default_inputs()


@pytest.fixture(scope="module")
def ledger(inputs: checks.Inputs) -> pd.DataFrame:
    return claims.ledger(inputs=inputs)


def verdicts(frame: pd.DataFrame) -> dict[int, str]:
    return dict(zip(frame["id"], frame["verdict"]))


def test_ledger_keeps_the_briefing_columns(ledger: pd.DataFrame) -> None:
    assert ledger["id"].tolist() == list(range(1, 12))
    assert list(ledger.columns[:5]) == ["id", "claim", "verdict", "evidence", "sources"]
    assert {"check", "paraphrase", "figures", "parts", "article", "url"} <= set(ledger.columns)
    assert ledger["verdict"].isin(claims.VERDICTS).all()
    assert ledger["evidence"].str.len().gt(40).all()


def test_evidence_is_clean_prose(inputs: checks.Inputs) -> None:
    for f in claims.files():
        ev = claims.ledger(f, inputs)["evidence"]
        assert not ev.str.contains(r"https?://", regex=True).any(), f.name
        assert not ev.str.contains(r"\(s\)", regex=True).any(), f.name  # no "record(s)" or "system(s)"
        assert not ev.str.contains(r"TIV.{0,30}US\$|US\$.{0,30}TIV", regex=True).any(), f.name
        assert not ev.str.contains("  ").any(), f.name


def test_mali_verdicts_on_the_real_data(ledger: pd.DataFrame) -> None:
    assert verdicts(ledger) == {
        1: "supported",
        2: "supported",
        3: "supported",
        4: "supported",
        5: "supported",
        6: "contradicted",  # SIPRI: the whole VP-11 order delivered in 2023
        7: "partly supported",  # was "contradicted": no record for Sri Lanka/Chad is not the opposite
        8: "partly supported",  # China leads sub-Saharan Africa only
        9: "partly supported",  # was "supported": China's volume to Africa fell
        10: "supported",
        11: "not checkable with these data",
    }


def share(region: str, supplier: str, years=(2020, 2024)) -> str:
    """The share as the evidence prints it, computed from the tidy transfers."""
    from analysis import data
    from analysis import transfers as tr

    sh = tr.supplier_shares(data.transfers(), region, years).set_index("supplier")
    return f"{sh.loc[supplier, 'share']:.1f}%"


def tiv(region: str, supplier: str, years) -> str:
    from analysis import data
    from analysis import transfers as tr

    return f"{tr.select(data.transfers(), suppliers=supplier, recipients=region, years=years)['tiv_delivered'].sum():,.0f}"


def change(region: str) -> str:
    from analysis import data
    from analysis import transfers as tr

    t = data.transfers()
    a = tr.select(t, recipients=region, years=(2015, 2019))["tiv_delivered"].sum()
    b = tr.select(t, recipients=region, years=(2020, 2024))["tiv_delivered"].sum()
    ch = 100 * (b / a - 1)
    return f"({ch:+.1f}%)" if abs(ch) < 10 else f"({ch:+.0f}%)"


def test_mali_key_figures(ledger: pd.DataFrame) -> None:
    ev = ledger.set_index("id")["evidence"]
    for needle in (
        "SIPRI's Africa (without Egypt)",
        "sub-Saharan Africa",
        "Africa with Egypt",
        "2015-19",
        "2020-24",
        "March 2025 release",
        f"Russia {share('Africa', 'Russia')}",
        share("Africa", "China"),
        share("Sub-Saharan Africa", "China"),
    ):
        assert needle in ev[8], needle
    assert "an estimated 80 VP-11" in ev[6] and "2023, not 2024" in ev[6] and "27 April 2023" in ev[6]
    assert "Lynx (CS/VP11 ATV)" in ev[6] and "No record in these data" in ev[6]
    assert "No record in these data for Sri Lanka and Chad" in ev[7] and "Sri Lanka received the WZ-551" in ev[7]
    assert (
        f"{tiv('Africa', 'China', (2015, 2019))} million TIV in 2015-19 to {tiv('Africa', 'China', (2020, 2024))} "
        "million TIV in 2020-24"
    ) in ev[9] and "from 25 to 26" in ev[9]
    assert "West Africa rose" in ev[9]
    assert "2023-24" in ev[4] and "Russia 21.0%" in ev[4] and "15 August 2022" in ev[4]
    assert "curated sources differ on the date" in ev[1]
    assert "13 of 182 deals" in ev[11]
    assert "2 days after" in ev[2]


def test_old_call_ledger_inputs_still_works(inputs: checks.Inputs, ledger: pd.DataFrame) -> None:
    assert claims.ledger(inputs)["verdict"].tolist() == ledger["verdict"].tolist()


def test_verdict_changes_when_the_data_change(inputs: checks.Inputs) -> None:
    # Russia's 2020-24 deliveries moved to China: China leads every region and claim 8 is supported
    t = inputs.transfers.copy()
    t.loc[(t["supplier"] == "Russia") & t["delivery_year"].between(2020, 2024), "supplier"] = "China"
    changed = checks.Inputs(
        transfers=t,
        orders=inputs.orders,
        events=inputs.events,
        deaths=inputs.deaths,
        credit=inputs.credit,
        systems=inputs.systems,
        system_users=inputs.system_users,
    )
    assert verdicts(claims.ledger(inputs=changed))[8] == "supported"


def test_ecofin_sipri_2025(inputs: checks.Inputs) -> None:
    f = claims.ledger(CLAIMS / "ecofin-sipri-africa-2025-03.toml", inputs)
    assert set(f["verdict"]) == {"supported"} and len(f) >= 5
    ev = f.set_index("id")["evidence"]
    assert share("Africa", "Russia") in ev[1] and "largest identified supplier" in ev[1]
    assert "2nd-largest" in ev[2] and "3rd-largest" in ev[2]
    assert change("Africa") in ev[3] and change("Algeria") in ev[4] and change("Morocco") in ev[4]
    assert change("Sub-Saharan Africa") in ev[5] and change("West Africa") in ev[6]


def test_bbc_tb2(inputs: checks.Inputs) -> None:
    f = claims.ledger(CLAIMS / "bbc-bayraktar-tb2-africa-2022-08.toml", inputs)
    assert verdicts(f) == {
        1: "supported",
        2: "partly supported",
        3: "partly supported",
        4: "supported",
        5: "partly supported",
        6: "not checkable with these data",
    }
    ev = f.set_index("id")["evidence"]
    assert "an estimated 2 Bayraktar TB2 delivered to Togo in 2022" in ev[1]
    assert "No record in these data for Tunisia" in ev[3]


def test_military_africa_burkina_faso(inputs: checks.Inputs) -> None:
    f = claims.ledger(CLAIMS / "military-africa-burkina-faso-2024-06.toml", inputs)
    assert verdicts(f) == {
        1: "supported",
        2: "supported",
        3: "supported",
        4: "partly supported",
        5: "partly supported",
        6: "not checkable with these data",
    }
    ev = f.set_index("id")["evidence"]
    assert "an estimated 50 CS/VP-14" in ev[1] and "6 June 2024" in ev[1]
    assert "curated sources differ on the date" in ev[4]


def test_files_about(inputs: checks.Inputs) -> None:
    names = {p.name for p in claims.files_about("Burkina Faso", inputs=inputs)}
    assert "military-africa-burkina-faso-2024-06.toml" in names
    assert "mali-norinco-2024-09.toml" in names  # names West Africa and Africa
    assert "bbc-bayraktar-tb2-africa-2022-08.toml" not in names
    assert {p.name for p in claims.files_about("Togo", inputs=inputs)} >= {"bbc-bayraktar-tb2-africa-2022-08.toml"}


def test_every_file_has_five_checkable_claims(inputs: checks.Inputs) -> None:
    for f in claims.files():
        c = claims.load(f, inputs)
        checkable = [x for x in c.claims if any(name != "not_checkable" for name, _ in x.parts)]
        assert len(checkable) >= 5, f.name
        assert c.article.url.startswith("https://")


def test_briefing_check_command(shared: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from analysis import cli

    assert cli.main(["check", str(CLAIMS / "mali-norinco-2024-09.toml")]) == 0
    out = capsys.readouterr().out
    assert "[7] PARTLY SUPPORTED" in out and "contradicted" in out
    assert cli.main(["check", str(CLAIMS / "bbc-bayraktar-tb2-africa-2022-08.toml"), "--format", "json"]) == 0
    assert '"verdict": "supported"' in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text((CLAIMS / "bbc-bayraktar-tb2-africa-2022-08.toml").read_text().replace('"delivery_in"', '"delivery_on"', 1))
    assert cli.main(["check", str(bad)]) == 7
    err = capsys.readouterr().err
    assert err.startswith("error: bad.toml: claim 1, field 'check'") and "delivery_in" in err


def test_inputs_remember_what_claims_files_are_checked_against(inputs: checks.Inputs, monkeypatch) -> None:
    """Validating a claims file checks dozens of designations and years against the registers:
    the inputs compute the designation list and each release's delivery span once (loading
    the four files for every state of a batch cost 1.6 s a state)."""
    fresh = checks.Inputs(**{k: getattr(inputs, k) for k in ("transfers", "orders", "events", "deaths", "credit", "systems")})
    expected = sorted(set(inputs.orders["designation"].dropna()) | set(inputs.systems["designation"]))
    assert fresh.designations() == expected and "VN-22" in expected
    years = [y for s in inputs.orders_of(None)["delivery_years"] for y in checks.years_of(s)]
    assert fresh.delivery_span(None) == (min(years), max(years))
    fresh.designations().append("changed")  # a copy: the memo is not the caller's
    assert "changed" not in fresh.designations()
    calls = []
    real = checks.Inputs.orders_of
    monkeypatch.setattr(checks.Inputs, "orders_of", lambda self, r: calls.append(r) or real(self, r))
    for _ in range(2):
        claims.load(claims.CLAIMS_DIR / "mali-norinco-2024-09.toml", fresh)
    assert calls == []  # the span was known; nothing scanned the orders again
    empty = checks.Inputs(
        **{**{k: getattr(inputs, k) for k in ("transfers", "events", "deaths", "credit")}, "orders": inputs.orders.head(0)}
    )
    assert empty.delivery_span(None) is None and empty.designations() == []
