"""Context tables from parsed source files: pure functions from :class:`~analysis.importers.Imported`
to the project's tidy tables, each validated (columns, dtypes, ranges, unique keys) with a one-line
:class:`~analysis.errors.ValidationError` naming the first broken rule.

One module per source, one function per table, the table's columns in its module's docstring;
every public name is re-exported here, so callers write ``tidy.transfers_from(imported, source_id)``:

* :mod:`~analysis.tidy.validation`: :func:`validate` (the checks every table passes) and
  :func:`expect` (the file given is the format a transform reads);
* :mod:`~analysis.tidy.registers`: SIPRI's trade registers as ``orders`` (:func:`orders_from`)
  and ``transfers`` (:func:`transfers_from`);
* :mod:`~analysis.tidy.tiv`: SIPRI's TIV tables as cells (:func:`tiv_cells`);
* :mod:`~analysis.tidy.milex`: SIPRI's military expenditure (:func:`military_expenditure`);
* :mod:`~analysis.tidy.conflict`: conflict deaths from UCDP GED, OWID and ACLED
  (:func:`conflict_deaths`);
* :mod:`~analysis.tidy.countries`: the country reference table (:func:`countries_reference`).

These functions read no files: callers pass what :func:`analysis.importers.read` returned.
"""

from __future__ import annotations

from analysis.tidy.conflict import (
    ACLED_TYPE,
    CONFLICT_COLUMNS,
    GED_TYPES,
    OWID_AGGREGATES,
    OWID_DEATHS,
    OWID_TYPE,
    VIOLENCE_TYPES,
    conflict_deaths,
)
from analysis.tidy.countries import COUNTRY_COLUMNS, countries_reference
from analysis.tidy.milex import MILEX_COLUMNS, military_expenditure
from analysis.tidy.registers import (
    ESTIMATE_FOOTNOTE,
    ESTIMATE_MARK,
    METHOD_GIVEN,
    METHOD_SPREAD,
    ORDER_COLUMNS,
    TRANSFER_COLUMNS,
    estimate_note,
    orders_from,
    release_cols,
    stable_ids,
    status_note,
    transfers_from,
)
from analysis.tidy.tiv import tiv_cells
from analysis.tidy.validation import expect, validate

__all__ = [
    "ACLED_TYPE",
    "CONFLICT_COLUMNS",
    "COUNTRY_COLUMNS",
    "ESTIMATE_FOOTNOTE",
    "ESTIMATE_MARK",
    "GED_TYPES",
    "METHOD_GIVEN",
    "METHOD_SPREAD",
    "MILEX_COLUMNS",
    "ORDER_COLUMNS",
    "OWID_AGGREGATES",
    "OWID_DEATHS",
    "OWID_TYPE",
    "TRANSFER_COLUMNS",
    "VIOLENCE_TYPES",
    "conflict_deaths",
    "countries_reference",
    "estimate_note",
    "expect",
    "military_expenditure",
    "orders_from",
    "release_cols",
    "stable_ids",
    "status_note",
    "tiv_cells",
    "transfers_from",
    "validate",
]
