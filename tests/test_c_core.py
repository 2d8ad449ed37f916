"""The C unit tests of the core (tests/c), built and run without Python.

This runs `make -C tests/c test` from the repository root and fails -- it
does not skip -- when make or a C compiler is missing: the core must build
with a plain C toolchain.
"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Building the core and running every test takes a few seconds; this bound
# only stops a hung parser from hanging the test run.
TIMEOUT_SECONDS = 600


def _compiler():
    cc = os.environ.get("CC") or "cc"
    return shlex.split(cc)[0]


def test_c_core_unit_tests():
    make = shutil.which("make")
    assert make is not None, "`make` is not installed: the C unit tests need make and a C compiler"
    cc = _compiler()
    assert shutil.which(cc) is not None, (
        f"no C compiler `{cc}` on PATH (set CC): the C unit tests need make and a C compiler"
    )

    proc = subprocess.run(
        [make, "-C", "tests/c", "test"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_SECONDS,
    )
    output = proc.stdout
    summary = re.search(r"^(\d+) passed, (\d+) failed$", output, re.MULTILINE)
    assert proc.returncode == 0, (
        f"`make -C tests/c test` exited with {proc.returncode}:\n{output}"
    )
    assert summary is not None, f"no 'N passed, M failed' line in the output:\n{output}"
    assert int(summary.group(2)) == 0 and int(summary.group(1)) > 0, output
