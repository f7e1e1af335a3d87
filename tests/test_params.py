"""One parameter checker for the CLI, the batch and the notebooks, and defaults from the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import params
from analysis.errors import ParameterError, UnknownNameError

COVER = lambda: (1950, 2024)  # noqa: E731 - the March 2025 release's delivery years, without loading it


def check(**values):
    return params.check(values, coverage=COVER)


def test_defaults_are_mali_and_china_with_everything_else_from_the_data() -> None:
    p = check()
    assert (p.recipient, p.supplier, p.start) == ("Mali", "China", 2000)
    assert p.region is None and p.peers is None and p.agreement_date is None and p.end is None


def test_names_are_resolved_once_to_sipri_names() -> None:
    p = check(recipient="Ivory Coast", supplier="Türkiye", peers="Burkina Faso, niger", rivals=["USA", "Russia"])
    assert p.recipient == "Cote d'Ivoire" and p.supplier == "Turkiye"
    assert p.peers == ("Burkina Faso", "Niger") and p.rivals == ("United States", "Russia")


@pytest.mark.parametrize(
    "values, error, message",
    [
        ({"recipent": "Mali"}, ParameterError, "unknown parameter 'recipent': did you mean recipient"),
        ({"country": "Mali"}, ParameterError, "unknown parameter 'country'"),
        ({"recipient": "Atlantis"}, UnknownNameError, "recipient"),
        ({"recipient": "Africa"}, ParameterError, "recipient must be one country, got the region 'Africa'"),
        ({"recipient": "Mali", "supplier": "Mali"}, ParameterError, "both Mali"),
        ({"region": "Niger"}, ParameterError, "is a country (Niger)"),
        ({"start": 2022}, ParameterError, "shorter than one 5-year window"),
        ({"start": 1900}, ParameterError, "outside the data's delivery years 1950-2024"),
        ({"end": 2030}, ParameterError, "outside the data's delivery years"),
        ({"start": 2020, "end": 2010}, ParameterError, "start 2020 is after end 2010"),
        ({"agreement_date": "2 Sept 2024"}, ParameterError, "YYYY-MM-DD"),
        ({"peers": ",,"}, ParameterError, "only separators"),
    ],
)
def test_bad_values_give_one_line_errors(values, error, message) -> None:
    with pytest.raises(error) as e:
        check(**values)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_empty_means_none_and_none_means_from_the_data() -> None:
    p = check(peers="", agreement_date="", rivals=None)
    assert p.peers == () and p.agreement_date == "" and p.rivals is None


def test_peers_and_rivals_never_hold_the_recipient_or_supplier() -> None:
    p = check(recipient="Mali", supplier="Russia", peers="Mali, Niger", rivals="Russia, China")
    assert p.peers == ("Niger",) and p.rivals == ("China",)


def _t(rows) -> pd.DataFrame:
    # a year 2015 row with no volume keeps the table's coverage at 2015-2024
    rows = [*rows, ("Russia", "Mali", 2015, 0.0), ("Russia", "Mali", 2024, 0.0)]
    return pd.DataFrame(rows, columns=["supplier", "recipient", "delivery_year", "tiv_delivered"]).assign(
        release="test", deal_id=range(len(rows))
    )


def test_peers_are_the_neighbours_with_the_most_imports() -> None:
    # Mali's smallest curated group is the AES (Burkina Faso, Niger); Chad is in the G5 Sahel.
    t = _t([("Russia", "Niger", 2020, 5.0), ("Russia", "Burkina Faso", 2020, 9.0), ("China", "Chad", 2020, 50.0)])
    assert params.peers_of(t, "Mali", (2015, 2024)) == ("Burkina Faso", "Niger")
    t2 = _t([("Russia", "Burkina Faso", 2020, 9.0)])
    assert params.peers_of(t2, "Mali", (2015, 2024)) == ("Burkina Faso",)  # Niger imported nothing
    # Nigeria: no small group, so its West African neighbours with the largest imports
    t3 = _t([("China", "Senegal", 2020, 1.0), ("China", "Ghana", 2021, 7.0), ("China", "Togo", 2021, 3.0)])
    assert params.peers_of(t3, "Nigeria", (2015, 2024)) == ("Ghana", "Togo")


def test_rivals_are_the_regions_largest_identified_states_other_than_the_supplier() -> None:
    t = _t(
        [
            ("China", "Mali", 2022, 10.0),
            ("Russia", "Mali", 2022, 30.0),
            ("unknown supplier(s)", "Mali", 2022, 99.0),
            ("France", "Niger", 2022, 5.0),
            ("African Union**", "Niger", 2022, 50.0),
            ("Turkiye", "Chad", 2022, 7.0),
        ]
    )
    assert params.rivals_of(t, "China", "Africa", (2020, 2024), n=2) == ("Russia", "Turkiye")
    assert params.rivals_of(t, "Russia", "Africa", (2020, 2024)) == ("China", "Turkiye", "France")
    assert params.rivals_of(t, "Russia", "Africa", (2015, 2019)) == ()


def test_regions_follow_the_recipient() -> None:
    assert params.home_region("Egypt") == "Middle East"
    assert params.home_region("South Sudan") == "Africa"
    assert params.subregions_of("South Sudan", "Africa") == ("Sub-Saharan Africa", "East Africa")
    assert params.subregions_of("Mali", "Africa") == ("Sub-Saharan Africa", "West Africa", "Sahel")
    assert params.subregions_of("Algeria", "Africa") == ("North Africa",)
    assert params.subregions_of("Mali", "West Africa") == ("Sahel",) or params.subregions_of("Mali", "West Africa") == ()
    assert params.subregions_of("Egypt", "Middle East") == ()


def test_former_power_comes_from_the_curated_table() -> None:
    assert params.former_powers("Mali") == ("France",)
    assert params.former_powers("Ethiopia") == ()
    assert set(params.former_powers("Cameroon")) == {"France", "United Kingdom"}


def test_agreement_date_is_the_newest_curated_agreement_or_none() -> None:
    assert params.agreement_dates("Mali", "China") == ["2024-09-02"]
    assert params.agreement_dates("Nigeria", "Russia") == []


def test_resolved_defaults_and_output_names(shared: Path) -> None:
    d = params.defaults()
    assert d.region == "Africa" and d.end == 2024 and d.agreement_date == "2024-09-02"
    assert d.subregions == ("Sub-Saharan Africa", "West Africa", "Sahel") and d.peers == ("Burkina Faso", "Niger")
    assert d.former_power == ("France",) and "China" not in d.rivals and len(d.rivals) == 4
    assert params.output_name(d, d) == "briefing"
    n = params.resolve(params.check({"recipient": "Nigeria", "supplier": "Russia"}))
    assert n.agreement_date == "" and "Russia" not in n.rivals and n.peers and "Nigeria" not in n.peers
    assert params.output_name(n, d) == "briefing-nigeria-russia"
    e = params.resolve(params.check({"recipient": "Egypt", "supplier": "Russia"}))
    assert e.region == "Middle East" and params.output_name(e, d) == "briefing-egypt-russia"


def test_from_notebook_fails_on_an_unknown_injected_name(shared: Path) -> None:
    ns = {"recipient": "Mali", "supplier": "China", "outputs": "", "In": [], "_i1": "", "country": "Nigeria"}
    with pytest.raises(ParameterError, match="unknown parameter 'country'"):
        params.from_notebook(ns)


def test_notebook_values_are_the_same_for_every_notebook(shared: Path) -> None:
    v = params.notebook_values(params.defaults(), outputs="/tmp/x")
    assert set(v) == set(params.NAMES) | {"outputs"}
    assert v["peers"] == "Burkina Faso, Niger" and v["agreement_date"] == "2024-09-02" and v["outputs"] == "/tmp/x"
    with pytest.raises(ParameterError, match="resolved"):
        params.notebook_values(check())
