"""Threads: the core has no mutable global state, so parses may run in parallel.

The binding parses with the GIL released (two phases: C, then dicts), so eight
threads run the C core at once.  If the core kept state between calls (a static
buffer, a cache, a flag), parallel parses of different reports -- strict and not
strict mixed -- would leak into each other's results; test_threads_give_the_serial_results
would see it.  test_core_has_no_mutable_global_state catches it before it runs:
the core's object files must define no writable data and call no libc function
that keeps state or ends the process.
"""
import concurrent.futures
import inspect
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import govdisclose

from conftest import corpus_dir

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8
REPEATS = 10  # each report parsed this many times per input kind and mode, shuffled


def text_reports():
    d = corpus_dir()
    return sorted(p for p in list(d.glob("*.txt")) + list(d.glob("*.md")) if p.name != "README.md")


def inputs():
    """(name, kind, data): every text report as bytes and as str, since the binding
    pins each differently (and the report may say which it was given)."""
    out = []
    for p in text_reports():
        b = p.read_bytes()
        out += [(p.name, "bytes", b), (p.name, "str", b.decode("utf-8"))]
    return out


@pytest.fixture(scope="module")
def serial(corpus):
    """(name, kind, strict) -> to_dict(), parsed one after another."""
    out = {}
    for name, kind, data in inputs():
        for strict in (False, True):
            out[name, kind, strict] = govdisclose.parse(data, strict=strict).to_dict()
    assert len(out) >= 60
    return out


def _work(item):
    name, kind, data, strict = item
    return (name, kind, strict), govdisclose.parse(data, strict=strict).to_dict()


def test_threads_give_the_serial_results(serial):
    items = [(name, kind, data, strict) for name, kind, data in inputs()
             for strict in (False, True) for _ in range(REPEATS)]
    random.Random(6).shuffle(items)
    with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(_work, items))
    assert len(results) == len(items)
    differ = [key for key, d in results if d != serial[key]]
    assert differ == [], f"parsed in {THREADS} threads, these differ from the serial parse: {differ[:10]}"
    # strict and not strict differ somewhere, so mixing them in threads tests something
    assert any(serial[n, k, False] != serial[n, k, True] for n, k, _ in inputs())


@pytest.mark.xfail(not hasattr(govdisclose, "parse_many"), strict=True, reason=(
    "govdisclose.parse_many (issue 6 names it: parse_many with 8 threads gives the serial "
    "results) is not in the API yet"))
def test_parse_many_gives_the_serial_results(serial):
    paths = text_reports()
    texts = [p.read_bytes() for p in paths] * REPEATS
    params = inspect.signature(govdisclose.parse_many).parameters
    kw = {k: THREADS for k in ("threads", "workers", "max_workers", "n_threads") if k in params}
    reports = list(govdisclose.parse_many(texts, **kw))
    assert [r.to_dict() for r in reports] == [serial[p.name, "bytes", False] for p in paths] * REPEATS


# ---- No mutable global state, checked on the object files ---------------------------

# libc functions the core may call: none keeps state between calls or ends the process.
ALLOWED_LIBC = {
    "malloc", "calloc", "realloc", "free", "memchr", "memcmp", "memcpy", "memmove", "memset",
    "memrchr", "strlen", "strnlen", "strchr", "strrchr", "strcmp", "strncmp", "strstr",
    "snprintf", "vsnprintf", "qsort", "bsearch",
}


def test_core_has_no_mutable_global_state(tmp_path):
    """Compile every core file (src/**/*.c without the binding) without PIC, so that
    constant tables land in read-only sections, and read the symbols: no writable
    data (.data, .bss, common: nm types b B d D C G S), and no libc call outside
    ALLOWED_LIBC (no strtok, rand, localtime, getenv, setlocale, abort, exit, stdio)."""
    cc = os.environ.get("CC", "cc").split()[0]
    assert shutil.which(cc) and shutil.which("nm"), "needs a C compiler and nm (binutils)"
    sources = [p for p in sorted((ROOT / "src").rglob("*.c"))
               if "python" not in p.relative_to(ROOT / "src").parts
               and "Python.h" not in p.read_text(encoding="utf-8")]
    assert len(sources) >= 5
    writable, calls = [], set()
    defined = set()
    for src in sources:
        obj = tmp_path / (src.stem + ".o")
        subprocess.run([cc, "-std=c11", "-O1", "-fno-pic", "-fno-pie", "-fno-common",
                        "-I", str(ROOT / "src"), "-c", str(src), "-o", str(obj)],
                       check=True, capture_output=True)
        out = subprocess.run(["nm", str(obj)], check=True, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3:
                _, kind, name = parts
                if kind in "bBdDcCgGsSvV":
                    writable.append(f"{src.name}: {name} ({kind})")
                defined.add(name)
            elif len(parts) == 2 and parts[0] == "U":
                calls.add(parts[1])
    assert writable == [], "mutable global state in the core:\n  " + "\n  ".join(writable)
    libc = {c for c in calls if c not in defined and not c.startswith("gd_")
            and not re.fullmatch(r"__\w+_chk|__stack_chk_fail", c)}
    assert libc <= ALLOWED_LIBC, (
        f"the core calls {sorted(libc - ALLOWED_LIBC)}: if it keeps no state and cannot end "
        "the process, add it to ALLOWED_LIBC in tests/test_threads.py")
