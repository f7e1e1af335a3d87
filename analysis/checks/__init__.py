"""Typed checks: each one judges one kind of news claim against the tidy and curated tables.

Every check is a pure function ``check(inputs, **params) -> Result`` over the tables in
:class:`Inputs` (passed in, never read from disk here), and returns a verdict, one or two
sentences of evidence built from computed figures, the figures used, and the sources.
:data:`CHECKS` lists them with their parameters; ``analysis.claims`` validates claims files
against it. The verdict rules every check applies are in :mod:`analysis.verdicts`
(:func:`rules_text` returns them for the methods appendix).

This package holds the registry (:class:`Spec`, :data:`CHECKS`) and :func:`run`, which runs
the checks of one claim and combines them; the checks are grouped by what they check:

* :mod:`analysis.checks.shares`: shares, ranks and changes in volume (``leading_supplier``,
  ``supplier_rank``, ``import_change``, ``suppliers_since``);
* :mod:`analysis.checks.deliveries`: deliveries and deals (``delivery_in``,
  ``system_users``, ``orders_by_category``, ``not_checkable``);
* :mod:`analysis.checks.events`: the curated context (``event``, ``conflict_persistence``).

Every check and the verdicts' names are importable from here (``checks.delivery_in``,
``checks.SUPPORTED``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analysis.checks.deliveries import delivery_in, not_checkable, orders_by_category, system_users
from analysis.checks.events import conflict_persistence, event
from analysis.checks.shares import import_change, leading_supplier, supplier_rank, suppliers_since
from analysis.verdicts import (  # noqa: F401 - re-exported: claims files and the briefing use them from here
    CONTRADICTED,
    DISPUTE_LABELS,
    FAILS,
    HOLDS,
    MIXED,
    NO_RECORD,
    NOT_CHECKABLE,
    PARTLY,
    STATUSES,
    SUPPORTED,
    UNCHECKABLE,
    UNKNOWN_SUPPLIER,
    VERDICT_LABELS,
    VERDICTS,
    Inputs,
    Part,
    Result,
    clean_text,
    combine,
    display,
    disputes,
    estimated,
    event_row,
    event_sources,
    event_start,
    identified_shares,
    latest_windows,
    long_date,
    rank_words,
    region_meanings,
    result_of,
    rules_text,
    sipri,
    verdict_label,
    years_of,
)


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Spec:
    """A check type: its function and parameters, each with a kind for validation
    (country, selection, supplier, designation, year, years, windows, event, events, category,
    release, int, float, str, strs, bool, countries, direction, month, date). ``one_of``: optional
    parameters of which a claim must give at least one."""

    fn: Callable[..., Result]
    required: dict[str, str]
    optional: dict[str, str]
    one_of: tuple[str, ...] = ()

    def kinds(self) -> dict[str, str]:
        return {**self.required, **self.optional}


CHECKS: dict[str, Spec] = {
    "leading_supplier": Spec(
        leading_supplier,
        {"supplier": "supplier", "recipients": "selection"},
        {"rival": "supplier", "release": "release", "width": "int"},
    ),
    "supplier_rank": Spec(
        supplier_rank,
        {"supplier": "supplier", "recipients": "selection"},
        {"years": "years", "rank": "int", "share": "float", "tolerance": "float", "release": "release"},
    ),
    "import_change": Spec(
        import_change,
        {"recipients": "selection", "direction": "direction"},
        {"supplier": "supplier", "change_pct": "float", "tolerance": "float", "windows": "windows", "release": "release"},
    ),
    "delivery_in": Spec(
        delivery_in,
        {"recipient": "country", "designation": "designation", "year": "year"},
        {"month": "month", "supplier": "supplier", "number": "int", "events": "events", "release": "release"},
    ),
    "system_users": Spec(
        system_users,
        {"designation": "designation"},
        {
            "users": "countries",
            "at_least": "int",
            "only": "country",
            "before": "year",
            "related": "designations",
            "release": "release",
        },
    ),
    "suppliers_since": Spec(
        suppliers_since,
        {"recipient": "country", "suppliers": "suppliers"},
        {"since": "year", "since_event": "event", "absent": "suppliers", "release": "release"},
        one_of=("since", "since_event"),
    ),
    "orders_by_category": Spec(
        orders_by_category,
        {"recipient": "country", "supplier": "supplier", "category": "category", "before": "year"},
        {"at_least": "int", "release": "release"},
    ),
    "event": Spec(event, {"event": "event"}, {"date": "date", "states": "strs", "after": "event", "within_days": "int"}),
    "conflict_persistence": Spec(
        conflict_persistence, {"country": "country"}, {"years": "int", "threshold": "int", "source": "str", "worsening": "bool"}
    ),
    "not_checkable": Spec(
        not_checkable,
        {"needs": "str"},
        {"reason": "str", "supplier": "supplier", "recipients": "selection", "years": "years", "comment_terms": "strs"},
    ),
}


def run(i: Inputs, parts: list[tuple[str, dict[str, Any]]]) -> Result:
    """Run one or more checks for one claim and combine them (rule 2): the verdict over every
    part of every check, the evidence joined, figures prefixed by check when there are several."""
    results = [CHECKS[name].fn(i, **params) for name, params in parts]
    if len(results) == 1:
        return results[0]
    all_parts = tuple(p for r in results for p in r.parts)
    figures = {f"{k + 1}. {key}": v for k, r in enumerate(results) for key, v in r.figures.items()}
    sources = [s for r in results for s in r.sources]
    return result_of(list(all_parts), " ".join(r.evidence for r in results), figures, sources)
