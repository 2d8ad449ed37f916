"""Run a piece of Python in a child process with a time bound.

A hostile input that crashes the core kills the process that parses it, and
one that hangs it never returns (the parse runs with the GIL released, so no
signal handler gets to run): both must fail one test, not the test run.  So
the hostile tests parse in a child: a crash is the child dying by a signal, a
hang is the bound running out, and either fails with what the child printed.

The bound is generous (a slow machine, or the sanitizer build, is not a
failure); GOVDISCLOSE_TIMEOUT_SCALE multiplies it (tests/sanitize.sh sets it).
The child inherits the environment, so under tests/sanitize.sh it runs with
the sanitizer runtime too, and an ASan or UBSan report in it fails the test.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

PRELUDE = """\
import json, sys, time
import govdisclose
from govdisclose import _core
CORPUS = sys.argv[1]
def result(**kw):
    print("RESULT:" + json.dumps(kw), flush=True)
"""

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "ERROR: UndefinedBehaviorSanitizer")

# every child's wall time, for the figures printed at the end
TIMINGS: Dict[str, float] = {}


def scale() -> float:
    return float(os.environ.get("GOVDISCLOSE_TIMEOUT_SCALE", "1"))


def run_child(name: str, code, corpus: Path, timeout: float,
              env: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Run PRELUDE + code (a string, or pieces each dedented on its own) in a fresh
    interpreter; return what it passed to result().

    Fails the calling test when the child hangs past timeout * scale(), dies
    by a signal, exits non-zero, prints a sanitizer report, or returns nothing.
    """
    bound = timeout * scale()
    parts = code if isinstance(code, (list, tuple)) else [code]
    src = PRELUDE + "".join(textwrap.dedent(p) + "\n" for p in parts)
    with tempfile.TemporaryDirectory() as tmp:
        # run outside the repository, so that the installed package is imported
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", src, str(corpus)],
                cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                timeout=bound,
            )
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"{name}: no answer within {bound:.0f} s: the parser hangs or is "
                        f"pathologically slow on this input\n{_tail(e.stderr)}", pytrace=False)
        elapsed = time.monotonic() - start
    TIMINGS[name] = elapsed
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        sig = signal.Signals(-proc.returncode).name
        pytest.fail(f"{name}: the parser crashed the process ({sig})\n{_tail(err)}",
                    pytrace=False)
    if any(m in err for m in SANITIZER_MARKS):
        pytest.fail(f"{name}: sanitizer report\n{_tail(err, 6000)}", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(f"{name}: child exited {proc.returncode}\n{_tail(err, 6000)}", pytrace=False)
    lines = [ln for ln in out.splitlines() if ln.startswith("RESULT:")]
    assert lines, f"{name}: the child returned no result\nstdout: {out[-2000:]}\n{_tail(err)}"
    return json.loads(lines[-1][len("RESULT:"):])


def _tail(b, n: int = 3000) -> str:
    if b is None:
        return ""
    s = b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    return "stderr (tail):\n" + s[-n:]


class _FiguresPlugin:
    """Prints the figures the tests recorded in pytest's closing summary."""

    def __init__(self):
        self.sections = {}

    def pytest_terminal_summary(self, terminalreporter):
        if not self.sections:
            return
        terminalreporter.section("govdisclose figures")
        for title, lines in self.sections.items():
            terminalreporter.write_line(title)
            for ln in lines:
                terminalreporter.write_line("  " + ln)


def record_figures(request, title: str, lines: List[str]) -> None:
    """Show lines under title in the summary at the end of the run (also with -q)."""
    pm = request.config.pluginmanager
    plugin = pm.get_plugin("govdisclose-figures")
    if plugin is None:
        plugin = _FiguresPlugin()
        pm.register(plugin, "govdisclose-figures")
    plugin.sections.setdefault(title, []).extend(lines)


def report_timings(request, title: str, extra: List[str] = ()) -> None:
    """Record each child's wall time (slowest first) for the closing summary."""
    lines = [f"{k:<58} {v:8.2f} s" for k, v in
             sorted(TIMINGS.items(), key=lambda kv: -kv[1])] + list(extra)
    record_figures(request, title, lines)
