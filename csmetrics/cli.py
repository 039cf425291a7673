"""The ``csmetrics`` command line.

Sub-commands: ``validate`` (data-quality report), ``kpis`` (KPIs as tidy records),
``import`` (a foreign export to a data folder), ``sample`` (generate sample data),
``report`` (the monthly notebooks to HTML); each has a one-line description and examples
in its ``--help`` (:func:`build_parser`, one small function per sub-command).

Errors in the user's input print one clear message and exit with code 2; a report with a
failed notebook exits 1. Ctrl-C exits 130 and SIGTERM 143, with one line and no
traceback; output piped into a command that stops reading early (``csmetrics kpis |
head``) ends quietly with 141.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .config_model import ENGINES
from .errors import CsmetricsError
from .io import json_text


def _cmd_validate(args: argparse.Namespace) -> int:
    from .load import load

    wb = load(args.data, args.config)
    from .evaluate import checklist

    checklist(wb.config)  # the checklist's questions, rules and KPI ids are settings too
    if args.format == "json":
        payload = {
            "tables": {
                n: {"source": i.source, "rows": i.rows, "missing_optional": i.missing_optional}
                for n, i in wb.quality.tables.items()
            },
            "problems": wb.quality.problems_frame().to_dict(orient="records"),
        }
        print(json_text(payload, indent=2))
    else:
        print(wb.quality.render_text())
    if args.strict and wb.quality.warnings:
        return 1
    return 0


def kpi_table_text(df) -> str:
    """Human-readable KPI table, in the current language: label, value with unit, n,
    interval, flags."""
    from . import i18n
    from .i18n import _
    from .kpis import REGISTRY

    rows = []
    groups = [c for c in df.columns if c not in _RECORD_COLUMNS]
    not_available = _("not available: {why}").format(why="")
    for rec in df.to_dict(orient="records"):
        k = REGISTRY[rec["kpi"]]
        if not rec["available"]:
            value, ci = _("not available"), str(rec["note"]).removeprefix(not_available)
        else:
            value = _fmt(rec["value"], rec["unit"])
            ci = (
                ""
                if rec["ci_low"] != rec["ci_low"]
                else f"[{_fmt(rec['ci_low'], rec['unit'])}, {_fmt(rec['ci_high'], rec['unit'])}]"
            )
            if rec["low_sample"]:
                ci = (ci + " " + _("low sample")).strip()
            if rec["note"]:
                ci = (ci + " " + rec["note"]).strip()
            if rec["excluded"]:
                left_out = _("({n} left out: data quality)").format(n=i18n.number(rec["excluded"]))
                ci = (ci + " " + left_out).strip()
        n = "" if not rec["available"] else i18n.number(rec["n"])
        rows.append(
            [*("" if _blank(rec[g]) else str(rec[g]) for g in groups), k.label, value, n, ci]
        )
    head = [*groups, _("KPI"), _("value"), "n", _("95% interval / note")]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return "\n".join(lines)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


_RECORD_COLUMNS = {
    "kpi",
    "value",
    "unit",
    "n",
    "ci_low",
    "ci_high",
    "low_sample",
    "excluded",
    "available",
    "note",
    "period",
}


def _fmt(value: float, unit: str) -> str:
    """A value for the terminal table in the current locale: like the report's, but hours
    and seconds always with two decimals and amounts without a currency sign."""
    from . import i18n

    if value != value:
        return "–"
    if unit == "share":
        return i18n.percent(value, 1)
    if unit in ("h", "s", "agents", "tickets/h"):
        return f"{i18n.number(value, 2)} {unit}"
    if unit in ("score", "points", "currency"):
        return i18n.number(value, 2)
    return i18n.number(value, 0)


def parse_where(items: list[str]) -> dict[str, list[str]]:
    """``["channel=email,phone", "team=Lisbon"]`` → ``{"channel": ["email", "phone"], ...}``."""
    out: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise CsmetricsError(f"--where {item!r}: use COLUMN=VALUE[,VALUE...]")
        col, values = item.split("=", 1)
        out.setdefault(col.strip(), []).extend(v.strip() for v in values.split(","))
    return out


def _cmd_kpis(args: argparse.Namespace) -> int:
    from .i18n import set_language
    from .kpis import compute
    from .load import load
    from .periods import Period
    from .prepare import prepare
    from .workbook import default_period

    wb = load(args.data, args.config)
    set_language(args.lang or wb.config.lang)  # labels and notes
    period = args.period or default_period(wb)  # shown as given
    chosen = Period.parse(period, wb.config.timezone)  # parsed once, here
    prepared = prepare(wb)
    if args.where:
        from .explore import filter_prepared

        prepared = filter_prepared(prepared, parse_where(args.where))
    df = compute(prepared, chosen, by=args.by or (), kpis=args.kpi, backend=args.engine)
    cols = [c for c in df.columns if c != "period"]
    if args.format == "json":
        records = df[cols].astype(object).where(df[cols].notna(), None).to_dict(orient="records")
        print(json_text({"period": period, "kpis": records}, indent=2))
    elif args.format == "csv":
        from .display import safe_csv_frame

        print(safe_csv_frame(df[cols]).to_csv(index=False), end="")
    else:
        from .i18n import _

        head = _("Period {period}").format(period=period)
        if args.by:
            head = _("Period {period}, by {groups}").format(
                period=period, groups=", ".join(args.by)
            )
        print(head)
        print(kpi_table_text(df[cols]))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .importers import list_presets, run_import

    if args.list or not args.preset:
        for p in list_presets():
            print(f"{p.name:<16} {p.description}\n{'':<16} sources: {p.sources}")
        if not args.list:
            raise CsmetricsError("give --preset NAME (the list is above)")
        return 0
    if not args.out:
        raise CsmetricsError("give --out DIR, the data folder to write")
    result = run_import(
        args.preset, args.sources, args.out, force=args.force, dayfirst=args.dayfirst
    )
    print(result.render_text())
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from .sample import write_sample

    out = Path(args.out)
    if out.exists() and any(out.glob("*.parquet")) and not args.force:
        raise CsmetricsError(f"{out} already holds data; use --force to overwrite it")
    paths = write_sample(
        out, seed=args.seed, months=args.months, scale=args.scale, end=args.end, fmt=args.format
    )
    for name, path in paths.items():
        print(f"{name:<10} {path}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import run_report

    result = run_report(
        data=args.data,
        period=args.period,
        out=args.out,
        config=args.config,
        force=args.force,
        jobs=args.jobs,
        sections=args.section,
        lang=args.lang,
        engine=args.engine,
    )
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests): one sub-parser per
    command, each with a one-line description and examples in its ``--help``."""
    parser = argparse.ArgumentParser(
        prog="csmetrics",
        description="Measure a customer-service program and judge whether it is worth its cost.",
        epilog=_examples("csmetrics validate --data DIR", "csmetrics report --data DIR"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"csmetrics {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_validate_parser, _kpis_parser, _import_parser, _sample_parser, _report_parser):
        add(sub)
    return parser


def _examples(*lines: str) -> str:
    """The ``examples:`` block closing a ``--help``, one command line each.

    Examples
    --------
    >>> print(_examples("csmetrics kpis", "csmetrics kpis --by channel"))
    examples:
      csmetrics kpis
      csmetrics kpis --by channel
    """
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _command(
    sub: argparse._SubParsersAction, name: str, summary: str, description: str, *examples: str
) -> argparse.ArgumentParser:
    """Add the sub-command ``name``: ``summary`` in ``csmetrics --help``, ``description``
    and ``examples`` in its own ``--help``."""
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=_examples(*examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        metavar="LANG",
        default=None,
        help="language of the output: en, pt, es, it or pl, optionally with a region "
        "for number formats, e.g. pt_PT (default: lang in csmetrics.yaml, else en)",
    )


def _period_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period",
        default=None,
        help="YYYY-MM, YYYY-Qn, YYYY or all (default: latest complete month)",
    )


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data", metavar="DIR", default=None, help="data folder (default: the bundled sample)"
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        default=None,
        help="csmetrics.yaml to use (default: the one in the data folder)",
    )


def _validate_parser(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "validate",
        "print the data-quality report (exit 2 on errors)",
        "Check a data folder and print every problem found in it at once (exit 2 on errors).",
        "csmetrics validate --data data/sample",
        "csmetrics validate --data myfolder --format json --strict",
    )
    _data_args(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    p.set_defaults(func=_cmd_validate)


def _kpis_parser(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "kpis",
        "compute KPIs as tidy records",
        "Compute the KPIs of a period as tidy records: a table, CSV or JSON.",
        "csmetrics kpis --data data/sample --period 2026-10",
        "csmetrics kpis --kpi fcr_rate csat_score --by channel",
        "csmetrics kpis --where channel=email,phone --by team --format csv",
    )
    _data_args(p)
    _period_arg(p)
    p.add_argument(
        "--by",
        nargs="+",
        default=None,
        metavar="COL",
        help="group by columns (channel, team, agent_id, priority, category, queue, month, ...)",
    )
    p.add_argument(
        "--kpi",
        nargs="+",
        action="extend",
        default=None,
        metavar="ID",
        help="only these KPIs (--kpi a b, or --kpi a --kpi b)",
    )
    p.add_argument(
        "--where",
        action="append",
        default=None,
        metavar="COL=V[,V...]",
        help="keep only rows whose column holds one of the values (repeatable)",
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _engine_arg(p)
    _lang_arg(p)
    p.set_defaults(func=_cmd_kpis)


def _engine_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        "--backend",
        dest="engine",
        choices=list(ENGINES),
        default=None,
        help="where the aggregations run (default: engine.name in csmetrics.yaml, else "
        "pandas); --backend is the earlier name of this option",
    )


def _import_parser(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "import",
        "turn a foreign export into a canonical data folder",
        "Turn a helpdesk, call-centre or survey export into a canonical data folder.",
        "csmetrics import --list",
        "csmetrics import --preset zendesk export_1.csv export_2.csv --out data/mine",
        "csmetrics import --preset freshdesk tickets.csv --out data/mine --dayfirst --force",
    )
    p.add_argument("--preset", default=None, help="the kind of export (see --list)")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="export file(s)")
    p.add_argument("--out", metavar="DIR", default=None, help="data folder to write")
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--list", action="store_true", help="list the presets")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="numeric dates are day first (03/11/2026 is 3 November)",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="numeric dates are month first (03/11/2026 is 11 March)",
    )
    p.set_defaults(func=_cmd_import)


def _sample_parser(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "sample",
        "generate realistic sample data",
        "Generate a realistic data folder: tickets, calls, surveys, costs and more.",
        "csmetrics sample --out data/sample",
        "csmetrics sample --out /tmp/small --scale 0.1 --months 3 --format csv",
    )
    p.add_argument("--out", metavar="DIR", default="data/sample")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--months", type=int, default=12)
    p.add_argument(
        "--scale", type=float, default=1.0, help="volume multiplier (1 = about 60,000 tickets)"
    )
    p.add_argument("--end", default="2026-10", help="last month, YYYY-MM")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--force", action="store_true", help="overwrite existing data")
    p.set_defaults(func=_cmd_sample)


def _report_parser(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "report",
        "run the monthly report notebooks into HTML",
        "Run the report notebooks for one period and write them as HTML pages with an index.",
        "csmetrics report --data data/sample --period 2026-10",
        "csmetrics report --period 2026-Q3 --out reports/q3 --force --lang pt",
        "csmetrics report --section effectiveness --section data_quality --jobs 1",
        "csmetrics report --data big/ --engine duckdb",
    )
    _data_args(p)
    _period_arg(p)
    p.add_argument(
        "--out", metavar="DIR", default=None, help="output folder (default: reports/<period>)"
    )
    p.add_argument("--force", action="store_true", help="replace an existing report")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    p.add_argument(
        "--section",
        action="append",
        default=None,
        metavar="NAME",
        help="run only this notebook (repeatable)",
    )
    _engine_arg(p)
    _lang_arg(p)
    p.set_defaults(func=_cmd_report)


class Terminated(KeyboardInterrupt):
    """SIGTERM received: raised in the main thread, so that the command cleans up as it
    does on Ctrl-C; the command line then exits 143."""

    exit_code = 128 + signal.SIGTERM


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


#: Exit code when stdout is a pipe whose reader went away (128 + SIGPIPE, as a shell
#: reports a command killed by SIGPIPE).
BROKEN_PIPE_EXIT = 141


def _quiet_stdout() -> None:
    """Point stdout at ``/dev/null``: what is still buffered for a closed pipe is then
    flushed there at exit, instead of raising a second ``BrokenPipeError``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (tests, embedding)
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``csmetrics`` console script; returns the exit code.

    Errors in the user's input (:class:`~csmetrics.errors.CsmetricsError`) print
    ``error: ...`` and give their ``exit_code`` (2); Ctrl-C gives 130 and SIGTERM 143
    (one line on stderr, no traceback); a closed output pipe gives 141, silently.
    """
    previous = None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE_EXIT
    except CsmetricsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated, ReportInterrupted)
        code = getattr(exc, "exit_code", 130)
        print("interrupted" if code == 130 else "terminated", file=sys.stderr)
        return code
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
