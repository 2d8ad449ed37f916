"""tests/mutation: the mutants are made in code only, and the files are found by glob."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "mutation"))

from mutants import mutants_of  # noqa: E402
import run  # noqa: E402

C = '''#include <stdio.h>
/* a < b in a comment */
static int f(int a, int b)
{
    const char *s = "a < b && 1";
    if (a < b && b != 3)
        g(a + 1);
    return a == 'x';
}
'''


def test_c_mutants_only_in_code():
    ms = mutants_of("x.c", C)
    changed = {(m.line, m.op, C[m.start:m.end], m.new) for m in ms}
    assert (6, "cmp", "<", "<=") in changed and (6, "logic", "&&", "||") in changed
    assert (6, "cmp", "!=", "==") in changed and (6, "const", "3", "4") in changed
    assert (7, "arith", "+", "-") in changed and (7, "const", "1", "0") in changed
    assert (6, "not", "(a < b && b != 3)", "(!(a < b && b != 3))") in changed
    assert (7, "delete", "g(a + 1);", ";") in changed
    assert (8, "cmp", "==", "!=") in changed
    assert not [m for m in ms if m.line in (1, 2, 5) or m.line == 3 and m.op != "const"]
    for m in ms:
        assert m.apply(C) != C


def test_python_mutants_only_in_code():
    src = 'def f(a, b):\n    """a < b"""\n    x = a + 1  # a < b\n    return a in b and x is None\n'
    changed = {(m.line, m.op, src[m.start:m.end], m.new) for m in mutants_of("x.py", src)}
    assert changed == {(3, "arith", "+", "-"), (3, "const", "1", "0"),
                       (3, "delete", "x = a + 1  # a < b", "pass"),
                       (4, "bool", "in", "not in"), (4, "logic", "and", "or"),
                       (4, "bool", "is", "is not")}


def test_keys_outlive_edits_elsewhere():
    ms = mutants_of("x.c", C)
    moved = "/* one more line */\n" + C
    assert [m.key(C) for m in ms] == [m.key(moved) for m in mutants_of("x.c", moved)]


def test_files_found_by_glob():
    files = run.source_files()
    assert "src/check.c" in files and "src/python/_core.c" in files
    assert "govdisclose/years.py" in files
    assert "src/read/gb18030_table.c" not in files  # generated: its C test recomputes it
    assert "src/read/gb18030.c" in files  # names the generator in its head, is not generated
    for f in files:
        assert run.tests_for(f), f


def test_keys_tell_identical_lines_apart():
    src = "int f(int rc)\n{\n    if (rc)\n        return rc < 0 ? -1 : 0;\n    if (rc)\n        return rc < 0 ? -1 : 0;\n}\n"
    keys = [m.key(src) for m in mutants_of("x.c", src)]
    assert len(keys) == len(set(keys))


def test_per_file_sample_gives_every_file_its_share_in_rounds():
    todo = [(m, C) for m in mutants_of("a.c", C)] + [(m, C) for m in mutants_of("b.c", C)][:2]
    picked = run.per_file(todo, 3, "seed")
    assert [m.path for m, _ in picked].count("a.c") == 3
    assert [m.path for m, _ in picked].count("b.c") == 2
    assert {m.path for m, _ in picked[:2]} == {"a.c", "b.c"}  # one of each file first
    assert picked == run.per_file(todo, 3, "seed")


def test_stale_keys_only_of_the_chosen_files(tmp_path, monkeypatch, capsys):
    (tmp_path / "killed.txt").write_text("src/a.c|x = 1;|const|4|2|#0\n"
                                         "src/a.c|y = 1;|const|4|2|#0\n"
                                         "src/b.c|z = 1;|const|4|2|#0\n", encoding="utf-8")
    (tmp_path / "equivalent.txt").write_text("# why\nsrc/a.c|gone;|delete|0|;|#0\tdead\n",
                                             encoding="utf-8")
    monkeypatch.setattr(run, "HERE", tmp_path)
    today = {"src/a.c|x = 1;|const|4|2|#0"}
    run.stale_keys(today, {"src/a.c"}, drop=False)
    printed = capsys.readouterr().out.splitlines()
    # src/b.c was not chosen: its key is not called stale though today does not list it
    assert printed == ["killed.txt\tsrc/a.c|y = 1;|const|4|2|#0",
                       "equivalent.txt\tsrc/a.c|gone;|delete|0|;|#0\tdead"]
    run.stale_keys(today, {"src/a.c"}, drop=True)
    assert (tmp_path / "killed.txt").read_text(encoding="utf-8").splitlines() == [
        "src/a.c|x = 1;|const|4|2|#0", "src/b.c|z = 1;|const|4|2|#0"]
    assert (tmp_path / "equivalent.txt").read_text(encoding="utf-8") == "# why\n"


def test_per_test_selection():
    from coverage_map import CoverageMap
    cm = CoverageMap(per_test=True)
    f = "src/x.c"
    cm.sets[f] = ["test_a.py", "test_b.py", "test_c.py"]
    cm.by_test[f] = {"test_a.py": {10: 1, 20: 1, 30: 1, 50: 0}, "test_b.py": {10: 1, 40: 1},
                     "test_c.py": {}}
    cm.calls[f] = {"test_a.py": {"test_a.py::t1": {10}, "test_a.py::t2": {10, 30}},
                   "test_b.py": {"test_b.py::t[p]": {10}}}
    cm.shared[f] = {"test_a.py": {20}, "test_b.py": {40}}
    cm.opaque[f] = set()
    every = cm.sets[f]
    # run only in bodies: the tests whose bodies ran it, in every file
    assert cm.select(f, 10, every) == ["test_a.py::t1", "test_a.py::t2", "test_b.py::t[p]"]
    assert cm.select(f, 30, every) == ["test_a.py::t2"]
    # run by a fixture of test_a.py: that file whole
    assert cm.select(f, 20, every) == ["test_a.py"]
    assert cm.select(f, 40, every) == ["test_b.py"]
    # a line gcov does not list keeps the whole set; one it lists that no test runs
    assert cm.select(f, 99, every) == every
    assert cm.uncovered(f, 50) and not cm.uncovered(f, 10) and not cm.uncovered(f, 99)
    # a file whose ids pytest could not find again has no calls: it stays whole
    del cm.calls[f]["test_b.py"]
    assert cm.select(f, 10, every) == ["test_a.py::t1", "test_a.py::t2", "test_b.py"]
    # a file that builds C of its own is never narrowed
    cm.opaque[f] = {"test_a.py"}
    assert cm.select(f, 30, every) == ["test_a.py"]
    cm.calls[f]["test_b.py"] = {"test_b.py::t[p]": {10}}
    assert cm.select(f, 10, every) == ["test_a.py", "test_b.py::t[p]"]
