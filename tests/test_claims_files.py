"""Invalid claims files: each error is one line naming the file, the claim id and the field,
with the closest valid values, raised as ParameterError (the CLI's exit code 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import claims
from analysis.errors import ParameterError
from tests.test_claims_checks import events, inputs, orders, transfers

HEAD = """[article]
title = "T"
outlet = "O"
date = "2024-01"
url = "https://example.org/a"
language = "en"
"""


def good(body: str) -> str:
    return HEAD + '\n[[claims]]\nid = 3\ntext = "A claim."\n' + body


def parse(text: str):
    i = inputs(transfers([("China", "Mali", 2020, 1.0)]), orders([{}]), events([{"event_id": "barkhane-end"}]))
    return claims.parse(text, Path("article.toml"), i)


def error(text: str) -> str:
    with pytest.raises(ParameterError) as e:
        parse(text)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("article.toml: ")
    return msg


def test_a_valid_file_loads() -> None:
    f = parse(good('check = "delivery_in"\nrecipient = "Mali"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert f.claims[0].id == 3 and f.claims[0].parts[0][0] == "delivery_in"


def test_unknown_check_type() -> None:
    msg = error(good('check = "delivery_on"\n'))
    assert "claim 3, field 'check'" in msg and "did you mean delivery_in" in msg


def test_misspelt_parameter() -> None:
    msg = error(good('check = "delivery_in"\nrecipent = "Mali"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert "claim 3, field 'recipent'" in msg and "did you mean recipient" in msg


def test_missing_parameter() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Mali"\nyear = 2023\n'))
    assert "claim 3, field 'designation'" in msg and "missing" in msg


def test_one_of_since_or_since_event() -> None:
    msg = error(good('check = "suppliers_since"\nrecipient = "Mali"\nsuppliers = ["Russia"]\n'))
    assert msg == "article.toml: claim 3: suppliers_since needs one of since or since_event; give one of them"
    assert parse(good('check = "suppliers_since"\nrecipient = "Mali"\nsuppliers = ["Russia"]\nsince = 2020\n')).claims


def test_unknown_country() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Malli"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert "claim 3, field 'recipient'" in msg and "Mali" in msg


def test_unknown_designation() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Mali"\ndesignation = "VP11"\nyear = 2023\n'))
    assert "claim 3, field 'designation'" in msg and "did you mean VP-11" in msg


def test_year_outside_the_release() -> None:
    msg = error(good('check = "supplier_rank"\nsupplier = "China"\nrecipients = "Mali"\nyears = [2020, 2031]\n'))
    assert "claim 3, field 'years'" in msg and "2031" in msg and "March 2025 release's years 2015-2024" in msg


def test_event_that_is_not_curated() -> None:
    msg = error(good('check = "event"\nevent = "barkhane-ends"\n'))
    assert "claim 3, field 'event'" in msg and "did you mean barkhane-end" in msg


def test_parts_must_share_windows() -> None:
    body = (
        '[[claims.parts]]\ncheck = "import_change"\nrecipients = "Mali"\ndirection = "rise"\n'
        "windows = [[2015, 2019], [2020, 2024]]\n"
        '[[claims.parts]]\ncheck = "import_change"\nrecipients = "Niger"\ndirection = "rise"\n'
    )
    assert "same windows" in error(good(body))


def test_article_fields_and_toml_syntax() -> None:
    assert "article, field 'url'" in error(HEAD.replace('url = "https://example.org/a"\n', "") + "[[claims]]\nid = 1\n")
    assert "not valid TOML" in error("[article\n")
    assert "claim 3, field 'id'" in error(
        good('check = "event"\nevent = "barkhane-end"\n')
        + '\n[[claims]]\nid = 3\ntext = "x"\ncheck = "event"\nevent = "barkhane-end"\n'
    )


def test_shipped_files_are_valid(shared: Path) -> None:
    for f in claims.files():
        assert claims.load(f).claims
