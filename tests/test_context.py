"""analysis.context on bad input: each mistake a one-line ParameterError (or UnknownNameError)
that says what to give, never a bare TypeError or KeyError; on small hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import context
from analysis.errors import ParameterError, UnknownNameError


@pytest.fixture
def deaths(monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "country": ["Mali", "Mali", "Mali"],
            "iso3": ["MLI", "MLI", "MLI"],
            "year": [2020, 2021, 2022],
            "type_of_violence": ["all", "all", "all"],
            "deaths": [100.0, 200.0, 300.0],
            "source": ["UCDP GED via Our World in Data (2024)"] * 3,
        }
    )
    monkeypatch.setattr(context.data, "conflict_deaths", lambda: frame)
    return frame


def test_good_years_still_select(deaths: pd.DataFrame) -> None:
    assert context.conflict_deaths("Mali", (2021, 2022))["deaths"].tolist() == [200.0, 300.0]
    assert context.deaths_by_year("Mali", (2020, 2021)).tolist() == [100.0, 200.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: context.conflict_deaths("Mali", 2021), r"^years must be a pair of years like \(2020, 2024\), got 2021$"),
        (lambda: context.conflict_deaths("Mali", ("2020", "2022")), r"^years must be a pair of years"),
        (lambda: context.conflict_deaths("Mali", (2022, 2020)), r"^years 2022-2020: the first year is after the last"),
        (lambda: context.conflict_deaths("Mali", (1950, 1960)), r"outside the conflict data's years 2020-2022"),
        (lambda: context.deaths_by_year("Mali", 2021), r"^years must be a pair of years"),
        (lambda: context.deaths_by_year("Mali", (2022, 2020)), r"the first year is after the last"),
        (lambda: context.conflict_deaths("Mali", series="owid"), r"^series must be one of ucdp, ucdp_by_type, acled"),
        (lambda: context.events("Mali", years=2024), r"^years must be a pair of years"),
        (lambda: context.events("Mali", years=(2024, 2020)), r"the first year is after the last"),
        (
            lambda: context.events("Mali", category="coups"),
            r"^unknown event category 'coups'; the timeline's categories are .*agreement",
        ),
    ],
)
def test_bad_input_is_one_line(deaths: pd.DataFrame, call, message: str) -> None:
    with pytest.raises(ParameterError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


def test_unknown_country_names_close_ones(deaths: pd.DataFrame) -> None:
    with pytest.raises(UnknownNameError, match=r"unknown country or region 'Mail'; did you mean Mali"):
        context.conflict_deaths("Mail")


def test_one_designation_is_not_read_letter_by_letter() -> None:
    assert context.systems("VP-11")["designation"].tolist() == context.systems(["VP-11"])["designation"].tolist() != []
