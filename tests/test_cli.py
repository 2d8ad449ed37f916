"""The command line: check, parse, years, show; exit statuses, output formats, progress."""
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from decimal import Decimal

import pandas as pd
import pytest

import govdisclose
from govdisclose.cli import main
from govdisclose.frames import read_csv


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "govdisclose", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_check_exit_statuses(corpus, tmp_path):
    ok = run("check", corpus / "dazu-gaj-2021.txt", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""  # piped: no progress bar
    lines = ok.stdout.splitlines()
    assert lines[0].split() == ["report", "agency", "year", "template", "tables", "errors",
                                "warnings"]
    assert lines[1].split()[1:] == ["重庆市大足区公安局", "2021", "2021", "二三四", "0", "0"]
    assert lines[-1] == "1 reports: 0 with errors (0 could not be parsed), 0 with warnings only"

    bad = run("check", corpus / "pingtan-2020.txt", corpus / "dazu-gaj-2021.txt", cwd=tmp_path)
    assert bad.returncode == 1
    assert ("requests.column_total  requests.total.natural_person expected 26 actual 20"
            in bad.stdout)
    assert "2 reports: 1 with errors" in bad.stdout


def test_check_json(corpus, tmp_path):
    missing = tmp_path / "gone.txt"
    proc = run("check", "--format", "json", "--jobs", "2", corpus / "pingtan-2020.txt",
               corpus / "pingtan-2021.txt", missing, cwd=tmp_path)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["summary"] == {"reports": 3, "with_errors": 2, "with_warnings_only": 1,
                              "failed": 1}
    p20, p21, gone = doc["reports"]
    assert (p20["agency"], p20["year"], p20["template"], p20["tables"], p20["errors"]) == (
        "平潭综合实验区", 2020, "2019", ["active", "requests", "reviews"], 2)
    errors = [f for f in p20["findings"] if f["severity"] == "error"]
    assert [(f["cell"], f["expected"], f["actual"]) for f in errors] == [
        ("requests.total.natural_person", 26, 20), ("requests.total.total", 27, 21)]
    assert p21["errors"] == 0 and p21["source"] == str(corpus / "pingtan-2021.txt")
    assert gone["failed"] and gone["findings"][0]["code"] == "parse.failed"
    assert gone["findings"][0]["message"] == f"{missing}: cannot read: No such file or directory"


def test_usage_errors_exit_2(corpus, tmp_path, capsys):
    for args in ([], ["check"], ["check", "--jobs", "0", str(corpus)],
                 ["parse", str(corpus), "-o", str(tmp_path / "out.xls")],
                 ["parse", str(corpus), "--excel", "-o", str(tmp_path / "out.jsonl")],
                 ["parse", str(corpus), "--labels", "zh", "-o", str(tmp_path / "out.xlsx")],
                 ["check", "--lang", "fr", str(corpus)],
                 ["check", "--format", "yaml", str(corpus)], ["--no-such-flag"]):
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 2, args
        assert "usage:" in capsys.readouterr().err
    proc = run("parse", corpus, "-o", "-.parquet", cwd=tmp_path)
    assert proc.returncode == 2 and "out.parquet" not in proc.stdout


def test_bare_files_show_each_report(corpus, tmp_path, capsys):
    """`govdisclose FILE...` is `govdisclose show FILE...`, as README's first command."""
    assert main([str(corpus / "pingtan-2021.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"== {corpus / 'pingtan-2021.txt'}\nagency:    平潭综合实验区\n")
    assert "三、收到和处理政府信息公开申请情况" in out
    assert main(["show", str(corpus / "pingtan-2020.txt")]) == 1
    capsys.readouterr()
    # each table's rows with their cells as the report prints them (大足 2021's 予以公开)
    assert main(["show", str(corpus / "dazu-gaj-2021.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    (granted,) = [ln for ln in lines if ln.strip().startswith("（一）予以公开")]
    assert granted.split()[1:] == ["2", "0", "0", "0", "0", "0", "2"]
    # the column heads of table 三 (TEMPLATES.md), each standing apart, and each value
    # under its head: its first display column is the head's
    (head,) = [ln for ln in lines if ln.strip().startswith("自然人")]
    assert head.split() == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                            "其他", "总计"]

    def columns(line):  # display column where each token starts (CJK: two columns)
        out, col, prev = [], 0, " "
        for ch in line:
            if ch != " " and prev == " ":
                out.append(col)
            col += 2 if ord(ch) > 0x2E80 else 1
            prev = ch
        return out
    assert columns(granted)[1:] == columns(head)
    (fees,) = [ln for ln in lines if ln.strip().startswith("行政事业性收费")]
    assert fees.split()[-1] == "221.67"
    assert main([str(tmp_path / "nothing.txt")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_parse_parquet_and_csv(corpus, tmp_path):
    files = [corpus / "pingtan-2021.txt", corpus / "excerpt-erdao-2022.txt",
             corpus / "dazu-gaj-2021.txt"]
    proc = run("parse", *files, "-o", tmp_path / "out.parquet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    back = pd.read_parquet(tmp_path / "out.parquet")
    expected = govdisclose.read_reports([str(f) for f in files])
    pd.testing.assert_frame_equal(back, expected)
    assert back["requests.new.total"].tolist() == [70, 56, 3]
    assert back.loc[1, "requests.new.commercial"] is pd.NA

    proc = run("parse", "--long", *files, "-o", tmp_path / "cells.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cells = read_csv(tmp_path / "cells.csv")
    pd.testing.assert_frame_equal(cells, govdisclose.read_reports([str(f) for f in files],
                                                                  shape="long"))
    fee = cells[(cells["source"] == str(files[0])) & (cells["row"] == "fees")].iloc[0]
    assert str(fee["value"]) == "24252.311082"


def test_parse_jsonl(corpus, tmp_path):
    proc = run("parse", corpus / "dazu-gaj-2021.txt", corpus / "pingtan-2020.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["source"] for d in lines] == [str(corpus / "dazu-gaj-2021.txt"),
                                            str(corpus / "pingtan-2020.txt")]
    dazu = lines[0]
    assert dazu["active"]["fees"]["amount"]["value"] == "221.67"  # money: exact digits
    assert dazu["requests"]["granted"]["natural_person"]["value"] == 2
    assert Decimal(dazu["active"]["fees"]["amount"]["value"]) == Decimal("221.67")

    out = tmp_path / "cells.jsonl"
    assert main(["parse", "--long", "-q", str(corpus / "dazu-gaj-2021.txt"), "-o",
                 str(out)]) == 0
    cells = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(cells) == 200
    assert cells[0] == {"source": str(corpus / "dazu-gaj-2021.txt"), "agency": "重庆市大足区公安局",
                        "year": 2021, "table": "active", "row": "rules", "column": "issued",
                        "label": "规章", "value": 0, "kind": "number", "raw": "0",
                        "note": None, "span_start": cells[0]["span_start"],
                        "span_end": cells[0]["span_start"] + 1}


def test_years_command(corpus, tmp_path):
    files = [corpus / f"pingtan-{y}.txt" for y in (2021, 2022, 2023, 2025)]
    proc = run("years", *files, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("平潭综合实验区 2023→2025: info    years.gap")
    proc = run("years", "--format", "json", *files, cwd=tmp_path)
    [gap] = json.loads(proc.stdout)
    assert (gap["code"], gap["earlier_year"], gap["later_year"]) == ("years.gap", 2023, 2025)


def test_strict_and_folder(corpus, tmp_path):
    """--strict: 二道区's blank cells make identities not checkable instead of 0."""
    erdao = corpus / "excerpt-erdao-2022.txt"
    lax = json.loads(run("check", "--format", "json", erdao, cwd=tmp_path).stdout)
    strict = json.loads(run("check", "--format", "json", "--strict", erdao, cwd=tmp_path).stdout)
    assert lax["reports"][0]["errors"] == 1
    assert strict["reports"][0]["errors"] == 0
    (tmp_path / "in" / "x").mkdir(parents=True)
    (tmp_path / "in" / "x" / "a.txt").write_bytes((corpus / "dazu-gaj-2021.txt").read_bytes())
    doc = json.loads(run("check", "--format", "json", tmp_path / "in", cwd=tmp_path).stdout)
    assert [r["source"] for r in doc["reports"]] == [str(tmp_path / "in" / "x" / "a.txt")]


def test_progress_bar_on_a_terminal(corpus, tmp_path):
    """On a terminal the bar is drawn on stderr; piped (the tests above) it is not."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24x100
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "govdisclose", "check", str(corpus / "dazu-gaj-2021.txt"),
             str(corpus / "pingtan-2021.txt")],
            stdout=subprocess.PIPE, stderr=slave, cwd=tmp_path, timeout=120)
        os.close(slave)
        slave = None
        err = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0
    text = err.decode("utf-8", "replace")
    assert "govdisclose" in text and "2/2" in text
    quiet = subprocess.run([sys.executable, "-m", "govdisclose", "check", "-q",
                            str(corpus / "dazu-gaj-2021.txt")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120, cwd=tmp_path)
    assert quiet.stderr == b""


def test_chinese_reaches_a_pipe_in_any_code_page(corpus, tmp_path):
    """Piped on a system whose code page has no Chinese (Windows' cp1252 on a
    pipe; here an ASCII locale with UTF-8 mode off): UTF-8 comes out, not a
    UnicodeEncodeError.  An encoding chosen on purpose is kept, with escapes."""
    report = corpus / "dazu-gaj-2021.txt"
    env = dict(os.environ, LC_ALL="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    env.pop("PYTHONIOENCODING", None)
    proc = subprocess.run([sys.executable, "-m", "govdisclose", str(report)], env=env,
                          capture_output=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "重庆市大足区公安局" in proc.stdout.decode("utf-8")
    env["PYTHONIOENCODING"] = "cp1252"
    proc = subprocess.run([sys.executable, "-m", "govdisclose", str(report)], env=env,
                          capture_output=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("cp1252", "replace")
    out = proc.stdout.decode("cp1252")
    assert "重庆市大足区公安局".encode("ascii", "backslashreplace").decode() in out
