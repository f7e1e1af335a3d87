"""Mutation testing of the analysis modules against their own unit tests (``make mutation``).

mutmut's configuration (``[tool.mutmut]`` in pyproject.toml) has one list of files to mutate and
one test selection for the whole run, so this runner gives each module a run of its own: it
copies the checkout (analysis/, tests/, data/, pyproject.toml) into ``build/mutation/<module>/``,
adds ``only_mutate`` and ``pytest_add_cli_args_test_selection`` for that module to the copy's
``[tool.mutmut]``, runs ``mutmut run`` there, and prints the module's score:

    score = killed / (killed + survived), timeouts counted as killed.

Mutants that no selected test reaches ("no tests") and mutants mutmut skipped are counted and
shown, but are not in the score. Mutants listed in EQUIVALENT (behaviour no test can tell apart)
are taken out of the score too, and named.

The unit tests run on small hand-made frames. Tests that read the real exports skip here
(BRIEFING_DATA_DIR names a folder that does not exist): a SIPRI load per mutant would take hours.
The runner also sets BRIEFING_MUTATION, under which property tests that ask for it take a few
derandomized examples (``tests/conftest.py``, ``property_settings``): they run once per mutant
they reach, and the normal suite keeps its full count.

    python tests/mutation.py                 every module, one after the other
    python tests/mutation.py transfers fmt   some of them
    python tests/mutation.py --keep fmt      reuse build/mutation/fmt/mutants (mutmut's cache)

Each module's folder is kept after the run, so a survivor can be looked at with
``cd build/mutation/<module> && python -m mutmut show <name>``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"

#: module -> (files mutated, unit tests run against them)
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "transfers": (["analysis/transfers.py"], ["tests/test_transfers.py"]),
    "deals": (["analysis/deals.py"], ["tests/test_deals.py"]),
    "claims": (["analysis/claims.py"], ["tests/test_claims.py", "tests/test_claims_checks.py", "tests/test_claims_files.py"]),
    "checks": (
        [
            "analysis/checks/__init__.py",
            "analysis/checks/shares.py",
            "analysis/checks/deliveries.py",
            "analysis/checks/events.py",
        ],
        ["tests/test_claims.py", "tests/test_claims_checks.py", "tests/test_claims_files.py"],
    ),
    "regions": (["analysis/regions.py"], ["tests/test_regions.py"]),
    "fmt": (["analysis/fmt.py"], ["tests/test_fmt.py", "tests/test_i18n.py"]),
}

#: Mutants that change no behaviour any caller can see, by mutmut's name, with the reason.
#: Names carry a counter within the function, so re-check this list when the function changes
#: (the runner warns about a listed name that no longer survives).
EQUIVALENT: dict[str, str] = {
    "analysis.fmt.x_esc_html__mutmut_4": "drops quote=True, which is html.escape's default",
    "analysis.fmt.x_esc_md__mutmut_3": "quote=None for quote=False: both falsy",
    "analysis.fmt.x_first_sentence__mutmut_10": "depth -= for +=: only depth == 0 is tested, and it is sign-symmetric",
    "analysis.fmt.x_first_sentence__mutmut_39": "for '.', t[:i] + '.' is t[: i + 1]",
    "analysis.fmt.x_first_sentence__mutmut_44": "for '.', t[:i] + '.' is t[: i + 1]",
    "analysis.fmt.x_ordinal__mutmut_17": "n % 100 == 10 gives 'th' by the n % 10 rule as well",
    "analysis.fmt.x_ordinal__mutmut_18": "n % 100 == 10 gives 'th' by the n % 10 rule as well",
    "analysis.fmt.x_ordinal__mutmut_21": "n % 100 == 20 gives 'th' by the n % 10 rule as well",
    "analysis.fmt.x_shift__mutmut_21": "new == old never reaches this line (equal values round equal)",
    "analysis.fmt.x_years__mutmut_12": "str(b)[+2:] is str(b)[-2:] for four-digit years",
    "analysis.fmt.x__pct_locale__mutmut_3": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x__pct_locale__mutmut_5": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x__pct_locale__mutmut_6": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x_change__mutmut_26": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x_change__mutmut_28": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x_change__mutmut_29": "only French reaches this line (en returns elsewhere), and fr is in PERCENT_SPACE",
    "analysis.fmt.x__pct_locale__mutmut_24": "11**-d shown with d decimals is 10**-d (for d up to 7)",
    "analysis.fmt.x_pct__mutmut_24": "11**-d shown with d decimals is 10**-d (for d up to 7)",
    "analysis.fmt.x_plural__mutmut_6": "only French takes this branch (en returns below), so the French rule always applies",
    "analysis.fmt.x_plural__mutmut_13": "the branch for a language other than en and fr: there is none",
    "analysis.fmt.x_plural__mutmut_14": "the branch for a language other than en and fr: there is none",
    "analysis.fmt.x_plural__mutmut_15": "the branch for a language other than en and fr: there is none",
    "analysis.deals.x_between__mutmut_2": "the default name in another case: regions match names case-insensitively",
    "analysis.deals.x_between__mutmut_3": "the default name in another case: regions match names case-insensitively",
    "analysis.deals.x_between__mutmut_5": "the default name in another case: regions match names case-insensitively",
    "analysis.deals.x_between__mutmut_6": "the default name in another case: regions match names case-insensitively",
    "analysis.deals.x_between__mutmut_34": "fillna(None) is a no-op in pandas 3, and NaN >= year is False like 0 >= year",
    "analysis.deals.x_between__mutmut_39": "fillna(None) is a no-op in pandas 3, and NaN >= year is False like 0 >= year",
    "analysis.deals.x_between__mutmut_37": "fillna(1) for fillna(0): both below any year",
    "analysis.deals.x_between__mutmut_42": "fillna(1) for fillna(0): both below any year",
    "analysis.deals.x_between__mutmut_60": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_between__mutmut_63": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_between__mutmut_73": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_between__mutmut_74": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_latest__mutmut_86": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_latest__mutmut_88": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_latest__mutmut_93": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_latest__mutmut_94": "sort kind on several keys: pandas ignores kind there (always stable)",
    "analysis.deals.x_latest__mutmut_39": "groupby(sort=None) is treated as sort=False",
    "analysis.deals.x_latest__mutmut_82": "kept is never empty once deals is not",
    "analysis.deals.x_newer_than__mutmut_22": "with no base rows, no row has the base source, so both branches keep every row",
    "analysis.deals.x_newer_than__mutmut_54": "base_last 1 for 0: no delivery year lies between",
    "analysis.deals.x_newer_than__mutmut_56": "fillna(None) is a no-op in pandas 3, and NaN > n is False like 0 > n for n >= 0",
    "analysis.claims.x__closest__mutmut_13": "drops n=n, and n is always 3, difflib's default",
    "analysis.claims.x__closest__mutmut_27": "drops n=n, and n is always 3, difflib's default",
    "analysis.claims.x__check_value__mutmut_37": "name(x, None) for name(x, False): both falsy",
    "analysis.claims.x__check_value__mutmut_65": "name(x, None) for name(x, False): both falsy",
    "analysis.claims.x__check_value__mutmut_343": "the message of an assertion no kind in CHECKS reaches",
    "analysis.claims.x_ledger__mutmut_47": "columns=None: each row's keys are LEDGER_COLUMNS in order, and a file has a claim",
    "analysis.claims.x_ledger__mutmut_49": "columns dropped: each row's keys are LEDGER_COLUMNS in order, and a file has a claim",
    "analysis.claims.x_load__mutmut_13": "'UTF-8' for 'utf-8': the same codec",
    "analysis.claims.x_render__mutmut_6": "to_csv(index=None) writes no index, as index=False",
    "analysis.claims.x_render__mutmut_17": "ensure_ascii=None for False: both falsy",
    "analysis.claims.x_render__mutmut_31": "pandas reads to_dict's orient case-insensitively",
    "analysis.claims.xǁClaimsFileǁnames_directly__mutmut_16": "a region name never resolves as a country, so the except skips it as is_region does",
    "analysis.claims.xǁClaimsFileǁnames_directly__mutmut_22": "break for continue in the except: no value parse accepts reaches it",
    "analysis.claims.xǁClaimsFileǁrecipients__mutmut_11": "resolve_selection takes a list as well as one name",
    "analysis.claims.xǁClaimsFileǁrecipients__mutmut_13": "suppress(None): no value parse accepts makes resolve_selection raise",
    "analysis.checks.deliveries.x_delivery_in__mutmut_68": "'no record' for 'No record': fmt.capital capitalises the sentence",
    "analysis.checks.deliveries.x_delivery_in__mutmut_299": "'no record' for 'No record': fmt.capital capitalises the sentence",
    "analysis.checks.deliveries.x_delivery_in__mutmut_304": "'no record' for 'No record': fmt.capital capitalises the sentence",
    "analysis.checks.deliveries.x_not_checkable__mutmut_24": "orders_of(None) is orders_of(rel): rel is i.release() here",
    "analysis.checks.deliveries.x_not_checkable__mutmut_48": "str.contains(case=None) matches case-insensitively, as case=False",
    "analysis.checks.deliveries.x_not_checkable__mutmut_52": "drops regex=True, which is str.contains's default",
    "analysis.checks.deliveries.x_not_checkable__mutmut_53": "fillna(None) is a no-op in pandas 3, and str.contains is False for a missing comment",
    "analysis.checks.deliveries.x_not_checkable__mutmut_56": "fillna('XXXX') for fillna(''): only a term 'XXXX' would match the filler",
    "analysis.checks.deliveries.x_not_checkable__mutmut_111": "the supplier filler where no supplier is given: that message has no {supplier}",
    "analysis.checks.deliveries.x_orders_by_category__mutmut_20": "fillna(None) is a no-op in pandas 3, and NaN < year is False like 9999 < year",
    "analysis.checks.deliveries.x_orders_by_category__mutmut_23": "fillna(10000) for fillna(9999): both after any year",
    "analysis.checks.deliveries.x_system_users__mutmut_10": "fillna(None) is a no-op in pandas 3, and NaN > 0 is False like 0 > 0",
    "analysis.checks.events.x_conflict_persistence__mutmut_51": "iloc[1:0] is as empty as iloc[0:0]",
    "analysis.checks.events.x_event__mutmut_45": "row.get('date_end', None) for '': `or ''` turns both into ''",
    "analysis.checks.events.x_event__mutmut_47": "row.get('date_end') for '': `or ''` turns both into ''",
    "analysis.checks.events.x_event__mutmut_120": "the message of an assertion analysis.claims guarantees",
    "analysis.checks.events.x_event__mutmut_121": "the message of an assertion analysis.claims guarantees",
    "analysis.checks.shares.x_suppliers_since__mutmut_17": "the message of an assertion analysis.claims guarantees",
    "analysis.checks.shares.x_suppliers_since__mutmut_18": "the message of an assertion analysis.claims guarantees",
    "analysis.checks.shares.x_import_change__mutmut_13": "ws[+1] is ws[-1]: there are always two windows",
    "analysis.checks.shares.x_import_change__mutmut_18": "sign 2 for 1: only the sign of (change * sign) is read",
    "analysis.checks.shares.x_import_change__mutmut_23": "sign -2 for -1: only the sign of (change * sign) is read",
    "analysis.checks.shares.x_import_change__mutmut_55": "float('NAN') is float('nan')",
    "analysis.checks.shares.x_import_change__mutmut_82": "change / sign has the sign of change * sign (sign is 1 or -1)",
    "analysis.checks.shares.x_import_change__mutmut_162": "change / sign has the sign of change * sign (sign is 1 or -1)",
    "analysis.checks.shares.x_leading_supplier__mutmut_139": "ws[+1] is ws[-1]: there are always two windows",
    "analysis.checks.shares.x_leading_supplier__mutmut_169": "ws[+1] is ws[-1]: there are always two windows",
    "analysis.regions.x__lookup__mutmut_15": "len(hits) >= 1 for > 1: a single hit has already returned above",
    "analysis.regions.x__norm__mutmut_29": "\\u00B4 and \\u00b4 are the same character",
    "analysis.regions.x__suggest__mutmut_30": "drops cutoff=0.6, which is difflib's default",
    "analysis.regions.x__validate_countries__mutmut_46": "itertuples(index=...): the rows' fields are read by name",
    "analysis.regions.x__validate_countries__mutmut_47": "itertuples(index=...): the rows' fields are read by name",
    "analysis.regions.x__validate_countries__mutmut_98": "itertuples(index=...): the rows' fields are read by name",
    "analysis.regions.x__validate_countries__mutmut_103": "itertuples(index=...): the rows' fields are read by name",
}

KILLED = {"killed", "timeout", "caught by type check"}
NOT_SCORED = {"no tests", "skipped"}


def _copy_checkout(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
    for name in ("analysis", "tests"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore, dirs_exist_ok=True)
    shutil.copytree(
        ROOT / "data", dest / "data", dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache", "raw", "__pycache__")
    )


def _pyproject(files: list[str], tests: list[str]) -> str:
    text = (ROOT / "pyproject.toml").read_text()
    header = "[tool.mutmut]\n"
    if header not in text:
        sys.exit("pyproject.toml has no [tool.mutmut] section")
    extra = f"only_mutate = {json.dumps(files)}\npytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    return text.replace(header, header + extra, 1)


def _statuses(work: Path, files: list[str]) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    out: dict[str, str] = {}
    for f in files:
        meta = work / "mutants" / f"{f}.meta"
        if not meta.exists():
            sys.exit(f"mutmut left no results for {f} ({meta} missing)")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            out[name] = status_by_exit_code[code]
    return out


def run_module(module: str, *, keep: bool, max_children: int, report_only: bool = False) -> dict[str, object]:
    files, tests = MODULES[module]
    work = WORK / module
    if report_only:
        return score(module, work, seconds=float("nan"))
    if work.exists() and not keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    _copy_checkout(work)
    (work / "pyproject.toml").write_text(_pyproject(files, tests))
    no_exports = work / "no-exports"  # never created: tests that need the exports skip

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["BRIEFING_DATA_DIR"] = str(no_exports)
    env["BRIEFING_MUTATION"] = "1"  # property tests take a few derandomized examples (tests/conftest.py)
    env.setdefault("BRIEFING_CACHE_DIR", str(work / "cache"))
    start = time.monotonic()
    log = work / "mutmut.log"
    with log.open("w") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)],
            cwd=work,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.stdout.write(log.read_text()[-4000:])
        sys.exit(f"mutmut failed on {module} (exit {proc.returncode}); full log in {log}")
    return score(module, work, seconds)


def score(module: str, work: Path, seconds: float) -> dict[str, object]:
    files, _ = MODULES[module]
    statuses = _statuses(work, files)
    equivalent = {n for n in statuses if n in EQUIVALENT}
    for n in EQUIVALENT:
        if n.startswith(tuple(f[:-3].replace("/", ".") + "." for f in files)) and statuses.get(n) != "survived":
            print(f"  note: EQUIVALENT lists {n}, which is now {statuses.get(n, 'gone')}")
    counts = Counter(s for n, s in statuses.items() if n not in equivalent)
    killed = sum(counts[s] for s in KILLED)
    survived = counts["survived"]
    other = {s: c for s, c in counts.items() if s not in KILLED | NOT_SCORED | {"survived"}}
    scored = killed + survived
    score = killed / scored if scored else float("nan")
    survivors = sorted(n for n, s in statuses.items() if s == "survived" and n not in equivalent)
    (work / "survivors.txt").write_text("".join(f"{n}\n" for n in survivors))
    return {
        "module": module,
        "killed": killed,
        "survived": survived,
        "score": score,
        "timeout": counts["timeout"],
        "no_tests": counts["no tests"],
        "skipped": counts["skipped"],
        "equivalent": len(equivalent),
        "other": other,
        "total": len(statuses),
        "seconds": seconds,
        "survivors": survivors,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("modules", nargs="*", metavar="MODULE", help=f"one or more of {', '.join(MODULES)} (default: all)")
    p.add_argument("--keep", action="store_true", help="reuse the module's earlier mutmut folder")
    p.add_argument("--max-children", type=int, default=2)
    p.add_argument("--fail-under", type=float, default=None, metavar="PERCENT", help="exit 1 if a module scores below this")
    p.add_argument("--show-survivors", action="store_true")
    p.add_argument("--report", action="store_true", help="score the last run's results again, without running")
    a = p.parse_args(argv)
    modules = a.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        p.error(f"unknown module {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    results = []
    for m in modules:
        print(f"mutmut: {m} ({', '.join(MODULES[m][0])}) against {', '.join(MODULES[m][1])} ...", flush=True)
        r = run_module(m, keep=a.keep, max_children=a.max_children, report_only=a.report)
        results.append(r)
        extra = "".join(f", {c} {s}" for s, c in sorted(r["other"].items()))
        print(
            f"  {m}: {r['score']:.1%} killed ({r['killed']}/{r['killed'] + r['survived']}; "
            f"{r['timeout']} timeouts counted as killed); not scored: {r['no_tests']} no tests, "
            f"{r['skipped']} skipped, {r['equivalent']} equivalent{extra}; {r['seconds']:.0f} s",
            flush=True,
        )
        if a.show_survivors:
            for n in r["survivors"]:
                print(f"    survived: {n}")
    print("\nMutation scores (killed / (killed + survived), timeouts counted as killed):")
    for r in results:
        print(
            f"  {r['module']:<10} {r['score']:6.1%}  {r['killed']:>4}/{r['killed'] + r['survived']:<4}"
            f"  no tests {r['no_tests']}, skipped {r['skipped']}, equivalent {r['equivalent']}"
            f" (counting those as survived: {r['killed'] / max(1, r['killed'] + r['survived'] + r['equivalent']):.1%})"
            f"  ({r['seconds']:.0f} s)"
        )
    if a.fail_under is not None and any(r["score"] * 100 < a.fail_under for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
