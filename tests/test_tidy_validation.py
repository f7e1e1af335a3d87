"""analysis.tidy.validation: each rule of tidy.validate, and tidy.expect's refusals; every error
is one line that names the table and the broken rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import tidy
from analysis.errors import ValidationError
from analysis.importers import Imported
from tests.conftest import one_line

COLUMNS = ["iso3", "year", "deaths", "kind"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": pd.array(["MLI", "NER"], dtype="string"),
            "year": pd.array([2020, 2021], dtype="Int64"),
            "deaths": pd.array([10.0, None], dtype="Float64"),
            "kind": pd.array(["a", "b"], dtype="string"),
        }
    )


def test_a_valid_table_is_returned_as_it_is() -> None:
    f = frame()
    rules = dict(
        dtypes={"iso3": "string", "year": "Int64", "deaths": "Float64"},
        unique=["iso3", "year"],
        not_null=["iso3", "year"],
        ranges={"deaths": (0, 100)},
        allowed={"kind": ("a", "b")},
        patterns={"iso3": "[A-Z]{3}"},
    )
    assert tidy.validate(f, "t", COLUMNS, **rules) is f


@pytest.mark.parametrize(
    "change, rules, message",
    [
        (
            lambda f: f[["year", "iso3", "deaths", "kind"]],
            {},
            "table t: columns differ (missing: none; unexpected: none; expected order",
        ),
        (lambda f: f.drop(columns="kind").assign(x=1), {}, "columns differ (missing: kind; unexpected: x;"),
        (lambda f: f.astype({"year": "int64"}), {"dtypes": {"year": "Int64"}}, "column year has dtype int64, expected Int64"),
        (lambda f: f, {"not_null": ["deaths"]}, "table t: 1 empty value(s) in column deaths"),
        (
            lambda f: f.assign(deaths=pd.array([-1.0, 5.0], dtype="Float64")),
            {"ranges": {"deaths": (0, 100)}},
            "column deaths has 1 value(s) outside 0..100, e.g. -1.0",
        ),
        (lambda f: f, {"allowed": {"kind": ("a",)}}, "column kind has unexpected value 'b'"),
        (
            lambda f: f.assign(iso3=pd.array(["MLI", "ne"], dtype="string")),
            {"patterns": {"iso3": "[A-Z]{3}"}},
            "column iso3 has malformed value 'ne' (expected [A-Z]{3})",
        ),
        (
            lambda f: f.assign(iso3="MLI", year=2020),
            {"unique": ["iso3", "year"]},
            "2 rows share the key (iso3, year), e.g. {'iso3': 'MLI', 'year': 2020}",
        ),
    ],
)
def test_each_broken_rule_is_named(change, rules, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        tidy.validate(change(frame()), "t", COLUMNS, **rules)
    assert message in str(e.value) and one_line(str(e.value))


def test_expect_refuses_what_is_not_the_format_read() -> None:
    imp = Imported(frame(), "owid_grapher", None, Path("deaths.csv"))
    assert tidy.expect(imp, "owid_grapher", "x") is imp
    with pytest.raises(ValidationError, match=r"^x: expected a acled_aggregate file, got owid_grapher \(deaths.csv\)$"):
        tidy.expect(imp, "acled_aggregate", "x")
    with pytest.raises(ValidationError, match=r"expected a parsed owid_grapher file \(analysis.importers.read\), got NoneType"):
        tidy.expect(None, "owid_grapher", "x")
