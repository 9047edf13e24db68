"""``ufc-pipeline``: parse a saved page, review matches, plan a run, report on runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _cmd_parse(args: argparse.Namespace) -> int:
    import json

    from ufc_pipeline.parsing import PAGE_KINDS, parse_file
    from ufc_pipeline.parsing.errors import ParseError

    if args.kind not in PAGE_KINDS:
        print(f"unknown page kind {args.kind!r}; one of: {', '.join(PAGE_KINDS)}", file=sys.stderr)
        return 2
    try:
        result = parse_file(args.kind, args.file)
    except FileNotFoundError:
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    except ParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ufc_pipeline.review_cli import review
    from ufc_pipeline.settings import env_value

    review(Path(args.data_dir or env_value("UFC_DATA_DIR")), sys.stdin, sys.stdout)
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    from ufc_pipeline.plan import main as plan_main

    return plan_main(args.letters, args.json)


def _cmd_report(args: argparse.Namespace) -> int:
    import json

    from ufc_pipeline.defs.report import (
        InstanceNotConfigured,
        build_report,
        format_report,
        open_instance,
    )

    try:
        with open_instance() as instance:
            report = build_report(instance, runs=args.runs)
    except InstanceNotConfigured as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 0


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ufc-pipeline",
        description="UFCStats + Sherdog pipeline: tools around the Dagster code location.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p_parse = sub.add_parser(
        "parse",
        help="parse a saved page and print the record(s) as JSON",
        description="Parse a saved page and print its record(s) as JSON. "
        "KIND: ufcstats-fighters, ufcstats-fighter, sherdog-search, sherdog-fighter.",
    )
    p_parse.add_argument("kind", help="page kind")
    p_parse.add_argument("file", help="path to the saved HTML page")
    p_parse.set_defaults(func=_cmd_parse)

    p_review = sub.add_parser(
        "review",
        help="approve / reject pending Sherdog matches; writes data/manual/sherdog_overrides.csv",
    )
    p_review.add_argument("--data-dir", default=None, help="default: $UFC_DATA_DIR or data")
    p_review.set_defaults(func=_cmd_review)

    p_plan = sub.add_parser(
        "plan",
        help="what an incremental run would fetch (reads only list pages and the events list)",
    )
    p_plan.add_argument("--letters", default=None, help="e.g. abc (default: a-z)")
    p_plan.add_argument("--json", action="store_true", help="print JSON")
    p_plan.set_defaults(func=_cmd_plan)

    p_report = sub.add_parser(
        "report",
        help="the last run of each job (every step) and each asset's health, from the "
        "Dagster instance in $DAGSTER_HOME",
    )
    p_report.add_argument(
        "--runs", type=_positive, default=20, help="runs per asset for its health (default 20)"
    )
    p_report.add_argument("--json", action="store_true", help="print JSON")
    p_report.set_defaults(func=_cmd_report)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
