"""The ``briefing`` command.

    briefing data status              each source: present or missing, file, release, rows, sha256
    briefing data import PATH...      copy exports into data/raw with metadata records
    briefing data fetch [SOURCE...]   download sources from their publishers
    briefing build [options]          render the briefing (HTML and PDF) into reports/
    briefing batch [options]          a briefing for every recipient in a region
    briefing cache clear|info         the stage cache of builds (``--no-cache`` bypasses it)

Errors print one line, ``error: <what was wrong and how to fix it>``, and exit with the error
class's code (see analysis/errors.py); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import BriefingError, ParameterError


def _print_table(rows: list[dict], columns: list[str]) -> None:
    widths = {c: max(len(c), *(len(str(r.get(c, "") if r.get(c) is not None else "-")) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(str(r.get(c) if r.get(c) is not None else "-").ljust(widths[c]) for c in columns))


def cmd_data_status(args: argparse.Namespace) -> int:
    from analysis import sources

    rows = sources.status()
    for r in rows:
        r["sha256_short"] = (r["sha256"] or "")[:12] or None
        r["check"] = {True: "matches catalogue", False: "differs from catalogue", None: "-"}[r.get("matches_catalogue")]
    if args.long:
        for r in rows:
            print(f"{r['source']}: {r['state']}")
            for k in ("file", "release", "rows", "sha256", "check", "licence", "credit", "note"):
                print(f"    {k}: {r.get(k) if r.get(k) is not None else '-'}")
    else:
        _print_table(rows, ["source", "state", "release", "rows", "sha256_short", "check", "file"])
        print()
        print("Licences and credit lines: `briefing data status --long`; sources: data/sources.toml")
    missing = [r["source"] for r in rows if r["state"] in ("missing", "damaged")]
    if missing and args.strict:
        raise BriefingError(
            f"{len(missing)} source(s) missing or damaged: {', '.join(missing)}; see `briefing data status --long`"
        )
    return 0


def cmd_data_import(args: argparse.Namespace) -> int:
    from analysis import sources

    if args.source and len(args.paths) > 1:
        raise ParameterError("--source names one source: import one file at a time with it")
    for p in args.paths:
        dest = sources.import_file(p, args.source)
        print(f"imported {p} -> {dest}")
    return 0


def cmd_data_fetch(args: argparse.Namespace) -> int:
    from analysis import fetch, sources

    ids = args.sources or [s for s, src in sources.catalogue().items() if src.fetch.get("method") not in ("manual", None)]
    for sid in ids:
        sources.source(sid)  # unknown ids fail before any download
    if args.retries is not None:
        if args.retries < 1:
            raise ParameterError(f"--retries must be at least 1, got {args.retries}")
        import dataclasses

        fetch.RETRY = dataclasses.replace(fetch.RETRY, attempts=args.retries)
    for sid in ids:
        path = fetch.fetch(sid, progress=not args.quiet, base_url=args.base_url)
        print(f"fetched {sid} -> {path}")
    return 0


def cmd_data_ensure(args: argparse.Namespace) -> int:
    """Make sure every source the briefing reads is present: found in data/raw or the exports
    folder, else fetched from its publisher; a source that cannot be fetched is an error that
    says how to get it."""
    from analysis import data, fetch, sources
    from analysis.errors import MissingSourceError

    missing = []
    for sid in data.BRIEFING_SOURCES:
        try:
            loc = sources.locate(sid)
        except MissingSourceError:
            missing.append(sid)
            continue
        if not args.quiet:
            print(f"{sid}: {loc.origin} ({loc.path})")
    for sid in missing:
        src = sources.source(sid)
        if src.fetch.get("method") in ("manual", None):
            raise MissingSourceError(
                f"source {sid} is missing and its publisher does not serve it openly: {src.fetch.get('note', src.url)}; "
                f"then run `briefing data import PATH --source {sid}`, or set BRIEFING_DATA_DIR to a folder of exports"
            )
        print(f"{sid}: missing; fetching from {src.publisher}")
        fetch.fetch(sid, progress=not args.quiet)
    return 0


def cmd_data_countries(args: argparse.Namespace) -> int:
    from analysis import regions

    if args.region:
        for name in regions.members(args.region):
            print(name)
        return 0
    c = regions.countries()
    print(c.to_string(index=False))
    return 0


def cmd_data_reconcile(args: argparse.Namespace) -> int:
    from analysis import data, reconcile

    report = reconcile.reconcile(args.registers or data.REGISTERS)
    print(reconcile.summary(report, worst=args.worst))
    return 0


def build_values(args: argparse.Namespace) -> dict[str, object]:
    """The briefing's parameters given on the command line (those left out come from the data)."""
    from analysis import params

    return {name: getattr(args, name) for name in params.NAMES if getattr(args, name, None) is not None}


def out_target(out: str | None) -> tuple[Path | None, str | None]:
    """``--out``: a folder, or a file path ending in .html/.pdf that also names the files."""
    if not out:
        return None, None
    target = Path(out)
    if target.suffix.lower() in (".html", ".pdf"):
        return target.parent, target.stem
    return target, None


def cmd_build(args: argparse.Namespace) -> int:
    from analysis import paths, render

    out_dir, name = out_target(args.out)
    written = render.build(
        build_values(args),
        formats=args.formats,
        out_dir=out_dir or paths.REPORTS,
        progress=not args.quiet,
        notebooks_dir=args.notebooks,
        name=name,
        jobs=args.jobs,
        timeout=args.timeout,
        engine=args.engine,
        verbose=args.verbose,
        claims=args.claims,
        use_cache=False if args.no_cache else None,
    )
    for kind in ("html", "pdf"):
        if kind in written:
            print(written[kind])
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    import time

    from analysis.render import batch

    t0 = time.perf_counter()
    if args.no_cache:
        import os

        os.environ["BRIEFING_NO_CACHE"] = "1"  # read by every build of the batch, in its workers
    result = batch.run(
        args.recipients,
        batch.since_year(args.since),
        args.formats,
        args.out,
        args.workers,
        limit=args.limit,
        notebooks_dir=args.notebooks,
        timeout=args.timeout,
        engine=args.engine,
        progress=not args.quiet,
        verbose=args.verbose,
        lang=args.lang,
    )
    if args.stats_json:
        batch.write_stats(args.stats_json, result, time.perf_counter() - t0)
    print(result["index"])
    batch.check(result)
    return 0


def add_build_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``briefing build``: one per parameter of analysis.params (default: from
    the data), then the output options."""
    from analysis import params, paths, render

    defaults = params.Params()
    p.description = (
        "Run the notebooks with the parameters given and render the briefing as self-contained HTML "
        "and an A4 PDF. Every parameter is checked before any notebook runs; a parameter left out "
        "comes from the data."
    )
    g = p.add_argument_group("parameters")
    for name in params.NAMES:
        text = params.DESCRIPTIONS.get(name, name)
        default = getattr(defaults, name)
        if "default" not in text:
            text += f" (default: {default})" if default is not None else " (default: from the data)"
        g.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None, help=text)
    g.add_argument(
        "--claims",
        default=None,
        help="claims file(s) for the claim ledger, comma-separated (default: the files in data/claims/ "
        'that concern the recipient; "" for no ledger)',
    )
    o = p.add_argument_group("output")
    o.add_argument("--format", "--formats", dest="formats", default="html,pdf", help="html, pdf or html,pdf (default: both)")
    o.add_argument(
        "--out",
        default=None,
        help="output folder, or a file path ending in .html/.pdf to choose the name "
        "(default: reports/, briefing.* for the default parameters, briefing-<recipient>-<supplier>.* otherwise)",
    )
    o.add_argument("--notebooks", default=str(paths.NOTEBOOKS), help="folder of the notebooks (default: %(default)s)")
    o.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: up to the number of CPUs)")
    o.add_argument(
        "--timeout", type=int, default=render.DEFAULT_TIMEOUT, help="seconds allowed per notebook cell (default: %(default)s)"
    )
    o.add_argument(
        "--engine",
        choices=render.ENGINE_CHOICES,
        default=render.DEFAULT_ENGINE,
        help="how notebooks run: inprocess or fast (warm worker processes, the default) or papermill "
        "(a Jupyter kernel per notebook)",
    )
    o.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the stage cache (every notebook runs; `briefing cache clear` empties it)",
    )
    o.add_argument("--quiet", action="store_true", help="no progress lines")
    o.add_argument("--verbose", action="store_true", help="also the timing of each stage")


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``briefing batch``."""
    import os

    from analysis import paths, render
    from analysis.render import batch

    p.description = (
        "A briefing for every state in a region that SIPRI records as receiving major arms since a year, "
        "each with its main supplier (other parameters from the data, as for `briefing build`) and an "
        "index page linking them all."
    )
    p.formatter_class = argparse.ArgumentDefaultsHelpFormatter
    p.add_argument(
        "--recipients",
        default=batch.DEFAULT_RECIPIENTS,
        help="a region or group (Africa, West Africa, Sahel...) or a comma-separated list of countries and regions",
    )
    p.add_argument("--since", default=str(batch.DEFAULT_SINCE), help="only states with deliveries recorded from this year on")
    p.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes (each makes one briefing at a time)"
    )
    p.add_argument("--format", "--formats", dest="formats", default="html,pdf", help="html, pdf or html,pdf")
    p.add_argument("--out", default=str(batch.OUT_DIR), help="output folder")
    p.add_argument(
        "--lang",
        default="en",
        help="language of the briefings and the index: en or fr (French files are named <country>-fr.*, index-fr.html)",
    )
    p.add_argument("--limit", type=int, default=None, help="only the first N countries (alphabetical), e.g. for a trial")
    p.add_argument("--notebooks", default=str(paths.NOTEBOOKS), help="folder of the notebooks")
    p.add_argument(
        "--engine",
        choices=render.ENGINE_CHOICES,
        default=render.DEFAULT_ENGINE,
        help="how notebooks run: inprocess or fast (warm worker processes) or papermill (a Jupyter kernel per notebook)",
    )
    p.add_argument("--timeout", type=int, default=render.DEFAULT_TIMEOUT, help="seconds allowed per notebook cell")
    p.add_argument("--stats-json", default=None, help="also write the run's timings and memory to this JSON file")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the stage cache")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="also each briefing's timings")


def cmd_cache_clear(args: argparse.Namespace) -> int:
    from analysis.render import cache

    n, size = cache.clear()
    print(f"removed {n} cached stage(s), {size / 1e6:.1f} MB, from {cache.root()}")
    return 0


def cmd_cache_info(args: argparse.Namespace) -> int:
    from analysis.render import cache

    found = cache.entries()
    print(
        f"{cache.root()}: {len(found)} entries, {sum(b for _, b, _ in found) / 1e6:.1f} MB "
        f"(limit {cache.limit_bytes() / 1e6:.0f} MB, BRIEFING_STAGE_CACHE_MB)"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the claims in one claims file; exits 7 on an invalid file, never on a verdict."""
    from analysis import claims

    return claims.check_file({"file": args.file, "format": args.format})


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefing", description="Sourced briefings on arms transfers to African states.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("data", help="the data layer: status, import, fetch").add_subparsers(dest="data_command", required=True)
    s = d.add_parser("status", help="each source: present or missing, release, rows, sha256, licence")
    s.add_argument("--long", action="store_true", help="also licence, credit line and notes")
    s.add_argument("--strict", action="store_true", help="exit non-zero when a source is missing")
    s.set_defaults(func=cmd_data_status)
    i = d.add_parser("import", help="copy exports into data/raw with metadata records")
    i.add_argument("paths", nargs="+")
    i.add_argument("--source", help="catalogue id, when the file name does not say")
    i.set_defaults(func=cmd_data_import)
    f = d.add_parser("fetch", help="download sources from their publishers (needs internet)")
    f.add_argument("sources", nargs="*")
    f.add_argument("--quiet", action="store_true")
    f.add_argument("--base-url", help="a mirror to fetch from instead of the publisher (scheme and host; the path is kept)")
    f.add_argument("--retries", type=int, help="tries per request (default 5, with exponential backoff)")
    f.set_defaults(func=cmd_data_fetch)
    e = d.add_parser("ensure", help="make sure the briefing's sources are present, fetching what is missing")
    e.add_argument("--quiet", action="store_true")
    e.set_defaults(func=cmd_data_ensure)
    c = d.add_parser("countries", help="the country reference table, or a region's members")
    c.add_argument("--region")
    c.set_defaults(func=cmd_data_countries)
    r = d.add_parser("reconcile", help="yearly TIV against SIPRI's TIV tables of the same release, cell by cell")
    r.add_argument("registers", nargs="*", help="register source ids (default: all)")
    r.add_argument("--worst", type=int, default=10, help="how many of the worst cells to list")
    r.set_defaults(func=cmd_data_reconcile)

    k = sub.add_parser("check", help="check the claims of one article (a data/claims/*.toml file)")
    k.add_argument("file")
    k.add_argument("--format", choices=["table", "csv", "json", "html"], default="table")
    k.set_defaults(func=cmd_check)

    ca = sub.add_parser("cache", help="the stage cache of builds: info, clear").add_subparsers(
        dest="cache_command", required=True
    )
    ca.add_parser("clear", help="empty the stage cache (the tidy tables' Parquet cache is kept)").set_defaults(
        func=cmd_cache_clear
    )
    ca.add_parser("info", help="entries and size of the stage cache").set_defaults(func=cmd_cache_info)

    # A module that cannot be imported fails the command loudly (see main), never silently.
    b = sub.add_parser("build", help="render the briefing into reports/")
    add_build_arguments(b)
    b.set_defaults(func=cmd_build)
    add_batch_arguments(sub.add_parser("batch", help="a briefing for every recipient in a region"))
    sub.choices["batch"].set_defaults(func=cmd_batch)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = parser().parse_args(argv)
        return int(args.func(args) or 0)
    except BriefingError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except ImportError as exc:
        if debug:
            traceback.print_exc()
        print(
            f"error: cannot import {exc.name or 'a module'}: {' '.join(str(exc).split())} "
            f"(a broken install or a bug: reinstall with `make setup`; --debug shows the traceback)",
            file=sys.stderr,
        )
        return BriefingError.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; outputs written before were left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
