"""The checks every tidy table passes before it leaves this package.

* :func:`validate`: columns (names and order), dtypes, empty values, ranges, allowed values,
  patterns and unique keys; a one-line :class:`~analysis.errors.ValidationError` names the
  first broken rule.
* :func:`expect`: the parsed file a transform was given is the format it reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported


def validate(
    frame: pd.DataFrame,
    name: str,
    columns: list[str],
    *,
    dtypes: dict[str, str] | None = None,
    unique: list[str] | None = None,
    not_null: Iterable[str] = (),
    ranges: dict[str, tuple[float, float]] | None = None,
    allowed: dict[str, Iterable[Any]] | None = None,
    patterns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Check a tidy table; raise ValidationError naming the first broken rule."""
    if list(frame.columns) != columns:
        missing = [c for c in columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in columns]
        raise ValidationError(
            f"table {name}: columns differ (missing: {', '.join(missing) or 'none'}; "
            f"unexpected: {', '.join(map(str, extra)) or 'none'}; expected order {', '.join(columns)})"
        )
    for c, kind in (dtypes or {}).items():
        dt = frame[c].dtype
        ok = {
            "string": pd.api.types.is_string_dtype(dt) and not pd.api.types.is_object_dtype(dt),
            "Int64": str(dt) == "Int64",
            "Float64": str(dt) == "Float64",
            "boolean": str(dt) == "boolean",
        }[kind]
        if not ok:
            raise ValidationError(f"table {name}: column {c} has dtype {dt}, expected {kind}")
    for c in not_null:
        n = int(frame[c].isna().sum())
        if n:
            raise ValidationError(f"table {name}: {n} empty value(s) in column {c}")
    for c, (lo, hi) in (ranges or {}).items():
        s = frame[c].dropna()
        bad = s[(s < lo) | (s > hi)]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has {len(bad)} value(s) outside {lo}..{hi}, e.g. {bad.iloc[0]}")
    for c, values in (allowed or {}).items():
        bad = frame.loc[frame[c].notna() & ~frame[c].isin(list(values)), c]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has unexpected value {bad.iloc[0]!r}")
    for c, pattern in (patterns or {}).items():
        s = frame[c].dropna().astype(str)
        bad = s[~s.str.fullmatch(pattern)]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has malformed value {bad.iloc[0]!r} (expected {pattern})")
    if unique:
        dup = frame.duplicated(unique, keep=False)
        if dup.any():
            first = frame.loc[dup, unique].iloc[0].to_dict()
            raise ValidationError(f"table {name}: {int(dup.sum())} rows share the key ({', '.join(unique)}), e.g. {first}")
    return frame


def expect(imp: Imported | None, fmt: str, what: str) -> Imported:
    if not isinstance(imp, Imported):
        raise ValidationError(f"{what}: expected a parsed {fmt} file (analysis.importers.read), got {type(imp).__name__}")
    if imp.format != fmt:
        raise ValidationError(f"{what}: expected a {fmt} file, got {imp.format} ({imp.path.name})")
    return imp
