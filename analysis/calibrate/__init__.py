"""Yearly TIV values that add up to SIPRI's own TIV tables.

SIPRI's classic trade-register export gives each deal's delivered TIV as one total with its list
of delivery years; SIPRI's TIV tables give exact sums by year (rounded to whole millions). An
even spread of each deal over its years misplaces volume between years. This package
re-allocates each deal's delivered TIV over ITS OWN delivery years so that the sums match the
cells of a SIPRI TIV table of the SAME release, within SIPRI's rounding, while every deal keeps
its own total; and measures how well that works.

* :mod:`analysis.calibrate.fit`: the method (:func:`allocate`, iterative proportional
  fitting, and its :class:`Fit` with the report of what could not be matched), the project's
  :data:`PLAN` (which tables each register is shaped by and calibrated to) and :func:`apply`,
  which follows it;
* :mod:`analysis.calibrate.measure`: the comparison with SIPRI's tables: :func:`errors` (how
  well yearly sums match a table) and :func:`method_errors` (each method's measured error, in
  sample and on held-out tables, for the briefing to cite).

Every name is importable from here (``calibrate.apply``, ``calibrate.method_errors``).

All values are SIPRI trend-indicator values (TIV), millions: a volume index, not money.
"""

from analysis.calibrate.fit import (
    KEYS,
    METHOD_CALIBRATED,
    METHOD_SHAPED,
    PLAN,
    REPORT_COLUMNS,
    Fit,
    allocate,
    apply,
    entity_key,
    table_scope,
)
from analysis.calibrate.measure import ERROR_COLUMNS, errors, method_errors

__all__ = [
    "ERROR_COLUMNS",
    "KEYS",
    "METHOD_CALIBRATED",
    "METHOD_SHAPED",
    "PLAN",
    "REPORT_COLUMNS",
    "Fit",
    "allocate",
    "apply",
    "entity_key",
    "errors",
    "method_errors",
    "table_scope",
]
