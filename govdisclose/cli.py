"""The command line: ``govdisclose`` (console script) and ``python -m govdisclose``.

    govdisclose FILE...                      each report in full (= govdisclose show)
    govdisclose show SOURCES...              the same, for any sources
    govdisclose check SOURCES...             one line per report, then the findings
    govdisclose parse SOURCES... -o out.csv  a table: .jsonl, .csv, .parquet (--long: per cell)
                                             or .xlsx (a workbook: reports, cells, findings,
                                             audit); --excel: CSV with a byte order mark for
                                             Excel; --labels zh: Chinese column names
    govdisclose years SOURCES...             the checks across years (结转, 现行有效)
    govdisclose audit SOURCES...             a line per report: on time, complete, adds up,
                                             agrees across years (--format csv|json|html)

SOURCES are files, folders (searched recursively for report files), zip
archives, or ``-`` for one report on standard input (see govdisclose.bulk).
``--lang zh|en`` sets the language of the findings' messages (default:
$GOVDISCLOSE_LANG, else the locale); ``show`` and ``check`` say the infos
"holds only when blank cells count as 0" once per table unless ``--verbose``.

Exit status: 0 when no report has an error finding, 1 when some does (a file
that cannot be read or parsed is an error: ``parse.failed``), 2 on usage
errors.  ``parse`` exits 0 once the output is written; ``years`` exits 1
when some 结转 link breaks; ``audit`` exits like ``check``.  A progress bar is drawn on standard error when
it is a terminal and tqdm is installed; piped, the command is quiet.

The command line is a client of the public API (parse_many, to_frame,
findings_frame, reconcile_years), nothing more.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from . import _core
from ._model import Cell, Finding, Report
from .bulk import _parse_pairs
from .grouping import group_findings
from .labels import LABELS
from .messages import LANGS, localize, localize_all

__all__ = ["main", "format_report"]

COMMANDS = ("show", "check", "parse", "years", "audit")

_TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
}
_TABLE_SHORT = {"active": "二", "requests": "三", "reviews": "四"}


# ---- Showing one report in full (the original command line) -----------------------


def _width(s: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _show(cell: Optional[Cell]) -> str:
    """A cell as a short token: the number, "" for empty, — for na, [text]."""
    if cell is None:
        return "·"
    if cell.kind == "number":
        s = str(cell.value)
    elif cell.kind == "empty":
        s = '""'
    elif cell.kind == "na":
        s = "—"
    else:
        s = "[" + cell.raw + "]"
    if cell.note:
        s += "（" + cell.note + "）"
    return s


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


# Captions of the row groups of table 三 (template "group" numbers).
_GROUP_CAPTIONS = {3: "（三）不予公开", 4: "（四）无法提供", 5: "（五）不予处理", 6: "（六）其他处理"}
_LABEL_MAX = 26  # display columns; longer official labels are cut with …


def _short(label: str) -> str:
    if _width(label) <= _LABEL_MAX:
        return label
    out = ""
    for ch in label:
        if _width(out + ch) > _LABEL_MAX - 1:
            break
        out += ch
    return out + "…"


def _table_lines(report: Report, table_id: str, tdef: Mapping[str, Any]) -> Iterable[str]:
    table = getattr(report, table_id)
    yield _TABLE_TITLES.get(table_id, tdef["label"])
    if table is None:
        yield "  (table not found)"
        return
    rows = [(rd, _get(table, rd["id"])) for rd in tdef["rows"]]
    rows = [(rd, row) for rd, row in rows if row is not None]
    if not rows:
        yield "  (no rows found)"
        return

    # Labels, with the group captions of table 三 as lines of their own.
    labels = []
    group = 0
    for rd, _ in rows:
        caption = _GROUP_CAPTIONS.get(rd["group"])
        if rd["group"] != group and caption and not rd["label"].startswith(caption[:3]):
            labels.append((caption, None))
        group = rd["group"]
        indent = "  " if caption and not rd["label"].startswith(caption[:3]) else ""
        labels.append((indent + _short(rd["label"]), rd))
    label_w = max(_width(text) for text, _ in labels) + 2
    by_id = {rd["id"]: row for rd, row in rows}

    same_cols = len({tuple(c["id"] for c in rd["columns"]) for rd, _ in rows}) == 1
    if same_cols:
        cols = rows[0][0]["columns"]
        tokens = {rd["id"]: [_show(getattr(row, c["id"])) for c in cols] for rd, row in rows}
        col_w = [max([_width(c["label"])] + [_width(t[i]) for t in tokens.values()]) + 1
                 for i, c in enumerate(cols)]
        yield "  " + _pad("", label_w) + "".join(
            _pad(c["label"], w) for c, w in zip(cols, col_w)).rstrip()
        for text, rd in labels:
            values = "" if rd is None else "".join(
                _pad(t, w) for t, w in zip(tokens[rd["id"]], col_w))
            yield ("  " + _pad(text, label_w) + values).rstrip()
    else:
        for text, rd in labels:
            parts: List[str] = []
            if rd is not None:
                for c in rd["columns"]:
                    cell = getattr(by_id[rd["id"]], c["id"])
                    if cell is not None:
                        parts.append(c["label"] + " " + _show(cell))
            yield ("  " + _pad(text, label_w) + "  ".join(parts)).rstrip()
    for extra in getattr(table, "extra", ()):
        yield "  " + _pad(_short(extra.label), label_w) + " ".join(_show(c) for c in extra.cells)


def _finding_line(f: Finding) -> str:
    where = f.cell or f.table or "-"
    numbers = ""
    if f.expected is not None or f.actual is not None:
        numbers = f" expected {f.expected} actual {f.actual}"
    return f"{f.severity:<7} {f.code}  {where}{numbers}: {f.message}"


def format_report(report: Report, name: str, verbose: bool = False,
                  lang: Optional[str] = None) -> str:
    """The report as readable text (the output of ``govdisclose show``);
    blank-as-zero infos are grouped per table unless verbose."""
    template = _core.template()
    lines: List[str] = [f"== {name}"]
    lines.append(f"agency:    {report.agency if report.agency is not None else '(unknown)'}")
    lines.append(f"year:      {report.year if report.year is not None else '(unknown)'}")
    for label, when in (("published", report.published), ("dated", report.dated)):
        lines.append(f"{label + ':':<10} {when.isoformat() if when else '(unknown)'}")
    if report.deadline is not None:
        late = report.days_late
        lines.append(f"deadline:  {report.deadline.isoformat()}"
                     + (f" ({late} days late)" if late is not None and late > 0 else ""))
    lines.append(f"template:  {report.template}")
    for table_id in ("active", "requests", "reviews"):
        lines.append("")
        lines.extend(_table_lines(report, table_id, template[table_id]))
    lines.append("")
    if report.findings:
        lines.append(f"findings ({len(report.findings)}):")
        for f in _shown(report.findings, verbose, lang):
            lines.append("  " + _finding_line(f))
    else:
        lines.append("findings: none")
    if report.unplaced:
        lines.append(f"unplaced numbers ({len(report.unplaced)}):")
        for u in report.unplaced:
            lines.append(f"  {u.text} at bytes {u.span[0]}-{u.span[1]} in {u.table or '-'}")
    return "\n".join(lines)


def _shown(findings: Sequence[Finding], verbose: bool,
           lang: Optional[str] = None) -> Sequence[Finding]:
    """The findings a reader sees: blank-as-zero infos once per table and
    code (govdisclose.grouping), unless verbose; messages in lang (default:
    $GOVDISCLOSE_LANG, else the locale)."""
    shown = findings if verbose else group_findings(findings)
    return [localize(f, lang) for f in shown]


# ---- Arguments ---------------------------------------------------------------------


class _Usage(Exception):
    """A usage error found after argparse: exit status 2."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="report file, folder (recursive), zip archive, or - for stdin")
    p.add_argument("--strict", action="store_true",
                   help="blank and na cells make an identity not checkable")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="threads (default: the usable cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--lang", choices=LANGS, default=None,
                   help="language of the findings' messages (default: $GOVDISCLOSE_LANG, "
                        "else the locale)")


def _verbose(p: argparse.ArgumentParser) -> None:
    p.add_argument("-v", "--verbose", action="store_true",
                   help="every finding, one by one (default: the infos that blank cells "
                        "counted as 0 once per table)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govdisclose",
        description="Parse 政府信息公开工作年度报告 and check their tables. "
                    "`govdisclose FILE...` shows each report in full.",
        epilog="Exit status: 0 when no report has an error finding, 1 when some does "
               "(or a source cannot be read), 2 on usage errors.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("show", help="each report in full: metadata, tables, findings")
    _common(p)
    _verbose(p)
    p = sub.add_parser("check", help="a line per report (tables, errors, warnings), "
                                     "then the findings")
    _common(p)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: one JSON document for machines")
    _verbose(p)
    p = sub.add_parser("parse", help="write the reports as a table: .jsonl, .csv, .parquet "
                                     "or an .xlsx workbook")
    _common(p)
    p.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="out.jsonl, out.csv, out.parquet or out.xlsx (default: JSON lines on "
                        "stdout)")
    p.add_argument("--long", action="store_true",
                   help="one row per cell instead of one row per report")
    p.add_argument("--labels", choices=LABELS, default="id",
                   help="column names of .csv and .parquet: SCHEMA ids (default) or the "
                        "official Chinese labels")
    p.add_argument("--excel", action="store_true",
                   help="CSV for Excel: UTF-8 with a byte order mark, so that Excel on a "
                        "Chinese system does not read it as GBK")
    p = sub.add_parser("years", help="checks across years: 结转 links, 现行有效 flow")
    _common(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("audit", help="a line per report: published on time, complete, "
                                     "adds up, agrees across years; then a summary")
    _common(p)
    p.add_argument("--format", choices=("text", "csv", "json", "html"), default="text",
                   help="csv, json, or html: one self-contained page with charts")
    p.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="write to OUT instead of standard output")
    return parser


def _check_jobs(args: argparse.Namespace) -> None:
    if args.jobs is not None and args.jobs < 1:
        raise _Usage(f"--jobs must be at least 1, not {args.jobs}")


def _pairs(args: argparse.Namespace) -> Iterator[Tuple[Optional[str], Report]]:
    return _parse_pairs(_sources(args), workers=args.jobs, progress=_progress(args),
                        strict=args.strict)


def _sources(args: argparse.Namespace) -> List[Any]:
    sources: List[Any] = []
    for s in args.sources:
        if s == "-":
            sources.append(("<stdin>", sys.stdin.buffer.read()))
        else:
            sources.append(s)
    return sources


def _progress(args: argparse.Namespace) -> bool:
    progress = not args.quiet and sys.stderr.isatty()
    if progress:
        _ocr_progress()
    return progress


def _localized(args: argparse.Namespace) -> Iterator[Tuple[Optional[str], Report]]:
    """_pairs with the findings' messages in --lang (the text views group
    findings first, on the English, then translate)."""
    return iter(localize_all(_pairs(args), args.lang))


def _ocr_progress() -> None:
    """A bar per document read by OCR, a step per page (OCR takes seconds a
    page: the bar of reports alone would stand still)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return
    from . import _ocr

    bar: List[Any] = []

    def on_page(done: int, total: int) -> None:
        if done == 1 or not bar:
            if bar:
                bar.pop().close()
            bar.append(tqdm(total=total, unit="page", desc="OCR", leave=False))
        bar[0].update(1)
        if done >= total:
            bar.pop().close()

    _ocr.set_progress(on_page)


def _name(source: Optional[str], i: int) -> str:
    return source if source is not None else f"input #{i}"


def _failure(r: Report) -> Optional[Finding]:
    return next((f for f in r.findings if f.code == "parse.failed"), None)


# ---- Commands ----------------------------------------------------------------------------


def _cmd_show(args: argparse.Namespace) -> int:
    status = 0
    printed = 0
    for i, (source, report) in enumerate(_pairs(args)):
        failed = _failure(report)
        if failed is not None:
            sys.stdout.flush()
            print(f"govdisclose: {failed.message}", file=sys.stderr)
            status = 1
            continue
        if printed:
            print()
        print(format_report(report, _name(source, i), args.verbose, args.lang))
        printed += 1
        if not report.ok:
            status = 1
    return status


def _tables(r: Report) -> List[str]:
    return [t for t in ("active", "requests", "reviews") if getattr(r, t) is not None]


def _json_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)  # money: the exact digits, as the gold files write them
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


def _cmd_check(args: argparse.Namespace) -> int:
    rows = []
    n_error = n_warning = n_failed = 0
    for i, (source, r) in enumerate(_pairs(args)):
        errors = sum(f.severity == "error" for f in r.findings)
        warnings = sum(f.severity == "warning" for f in r.findings)
        failed = _failure(r) is not None
        n_failed += failed
        n_error += errors > 0
        n_warning += errors == 0 and warnings > 0
        rows.append({"source": _name(source, i), "agency": r.agency, "year": r.year,
                     "template": r.template, "format": getattr(r, "format", None),
                     "tables": _tables(r), "errors": errors, "warnings": warnings,
                     "failed": failed, "findings": [f.to_dict() for f in r.findings]})
    summary = {"reports": len(rows), "with_errors": n_error,
               "with_warnings_only": n_warning, "failed": n_failed}
    if args.format == "json":
        for row in rows:
            row["findings"] = [localize(Finding.from_dict(d), args.lang).to_dict()
                               for d in row["findings"]]
        json.dump({"reports": rows, "summary": summary}, sys.stdout, ensure_ascii=False,
                  indent=1, default=_json_default)
        print()
    else:
        _print_check(rows, summary, args.verbose, args.lang)
    return 1 if n_error else 0


def _print_check(rows: List[Dict[str, Any]], summary: Dict[str, int], verbose: bool = False,
                 lang: Optional[str] = None) -> None:
    name_w = min(60, max([_width(r["source"]) for r in rows] + [6]))
    agency_w = min(30, max([_width(r["agency"] or "-") for r in rows] + [6]))
    print(_pad("report", name_w) + "  " + _pad("agency", agency_w) +
          "  year  template  tables  errors  warnings")
    for r in rows:
        tables = "failed" if r["failed"] else (
            "".join(_TABLE_SHORT[t] for t in r["tables"]) or "none")
        print(f"{_pad(r['source'], name_w)}  {_pad(r['agency'] or '-', agency_w)}  "
              f"{r['year'] if r['year'] is not None else '-':<4}  {r['template']:<8}  "
              f"{_pad(tables, 6)}  {r['errors']:>6}  {r['warnings']:>8}")
    print()
    shown = [(r, f) for r in rows
             for f in _shown([Finding.from_dict(d) for d in r["findings"]], verbose, lang)]
    if shown:
        total = sum(len(r["findings"]) for r in rows)
        grouped = "" if total == len(shown) else f", {len(shown)} lines (--verbose: one by one)"
        print(f"findings ({total}{grouped}):")
        for r, f in shown:
            print(f"{r['source']}: {_finding_line(f)}")
        print()
    print(f"{summary['reports']} reports: {summary['with_errors']} with errors "
          f"({summary['failed']} could not be parsed), {summary['with_warnings_only']} with "
          "warnings only")


def _cmd_parse(args: argparse.Namespace) -> int:
    out = args.output
    suffix = "jsonl" if out == "-" else os.path.splitext(out)[1].lower().lstrip(".")
    if suffix in ("json", "ndjson"):
        suffix = "jsonl"
    if suffix not in ("jsonl", "csv", "parquet", "xlsx"):
        raise _Usage(f"cannot tell the output format of {out!r}: name it .jsonl, .csv, "
                     ".parquet or .xlsx")
    if suffix in ("parquet", "xlsx") and out == "-":
        raise _Usage(f"{suffix} cannot go to standard output: give -o out.{suffix}")
    if args.labels != "id" and suffix not in ("csv", "parquet"):
        raise _Usage("--labels is for .csv and .parquet output (a workbook has both)")
    if args.excel and suffix != "csv":
        raise _Usage("--excel is for CSV output (-o out.csv); .xlsx is a workbook already")
    if suffix == "jsonl":
        return _write_jsonl(args, out)
    if suffix == "xlsx":
        from .excel import to_excel

        try:
            import xlsxwriter  # noqa: F401
        except ImportError:
            print("govdisclose: writing .xlsx needs XlsxWriter: pip install "
                  "'govdisclose[excel]'", file=sys.stderr)
            return 2
        to_excel(_localized(args), out, lang=args.lang, strict=args.strict)
        return 0
    from .frames import _pandas, read_reports

    try:
        _pandas()
        if suffix == "parquet":
            import pyarrow  # noqa: F401
    except ImportError as e:
        print(f"govdisclose: {e}: pip install 'govdisclose[pandas]'", file=sys.stderr)
        return 2
    df = read_reports(_sources(args), workers=args.jobs, progress=_progress(args),
                      strict=args.strict, shape="long" if args.long else "wide",
                      labels=args.labels)
    if suffix == "csv":
        encoding = "utf-8-sig" if args.excel else "utf-8"
        if out == "-":
            if args.excel:
                sys.stdout.flush()
                sys.stdout.buffer.write(df.to_csv(index=False).encode("utf-8-sig"))
            else:
                df.to_csv(sys.stdout, index=False)
        else:
            df.to_csv(out, index=False, encoding=encoding)
    else:
        df.to_parquet(out, index=False)
    return 0


def _write_jsonl(args: argparse.Namespace, out: str) -> int:
    from .frames import _long_rows

    fh = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")
    try:
        if args.long:
            for row in _long_rows(_pairs(args)):
                fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        else:
            for source, r in _localized(args):
                d = r.to_dict()
                d = {"source": source, **{k: v for k, v in d.items() if k != "source"}}
                fh.write(json.dumps(d, ensure_ascii=False, default=_json_default) + "\n")
    finally:
        if fh is not sys.stdout:
            fh.close()
    return 0


def _cmd_years(args: argparse.Namespace) -> int:
    from .years import reconcile_years

    found = reconcile_years(_pairs(args), strict=args.strict)
    if args.format == "json":
        out = [dict(f.to_dict(), message=localize(f.finding, args.lang).message)
               for f in found]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=_json_default)
        print()
    else:
        if not found:
            print("across years: no finding")
        for f in found:
            years = f"{f.earlier.year}→{f.later.year}"
            print(f"{f.body} {years}: {_finding_line(localize(f.finding, args.lang))}")
    return 1 if any(f.code == "requests.carry_link" for f in found) else 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit_cli import run_audit

    return run_audit(_pairs(args), args.format, args.output, args.strict)


_COMMANDS = {"show": _cmd_show, "check": _cmd_check, "parse": _cmd_parse, "years": _cmd_years,
             "audit": _cmd_audit}


def _chinese_out(stream: Any) -> None:
    """Let stream take Chinese.  Piped or redirected on Windows, Python writes
    in the ANSI code page (cp1252 on an English system), which cannot encode
    a report's words: the first agency printed raised UnicodeEncodeError.
    Such a stream is switched to UTF-8; an encoding chosen on purpose
    (PYTHONIOENCODING) is kept, with what it cannot encode written as \\u
    escapes."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        "政府信息公开".encode(stream.encoding or "ascii")
        return
    except (LookupError, UnicodeEncodeError):
        pass
    if os.environ.get("PYTHONIOENCODING"):
        reconfigure(errors="backslashreplace")
    else:
        reconfigure(encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; return the exit status."""
    for stream in (sys.stdout, sys.stderr):
        _chinese_out(stream)
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    # `govdisclose FILE...` (no command) is `govdisclose show FILE...`.
    if args_in and args_in[0] not in COMMANDS and args_in[0] not in ("-h", "--help"):
        args_in = ["show"] + args_in
    args = parser.parse_args(args_in)
    if args.command is None:  # exits with status 2, as argparse does
        parser.error("give report files, or a command: " + ", ".join(COMMANDS))
    try:
        _check_jobs(args)
        status = _COMMANDS[args.command](args)
    except _Usage as e:
        parser.error(str(e))
    except BrokenPipeError:  # `govdisclose check ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    sys.stdout.flush()
    return status
