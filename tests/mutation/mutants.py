"""The mutants of one source file: small changes a test suite should notice.

A mutant is one replacement of the text at [start, end) of a file by `new`,
made only in code (never in a comment, a string, a character literal or a
preprocessor line).  Operators, for C and Python alike:

  cmp     a comparison moved by one step or turned round: < <=, > >=, == !=
  logic   && ||  (Python: and or)
  arith   binary + -, ++ --, += -=
  const   an integer literal n -> n + 1 (0 -> 1, 1 -> 0)
  not     a C condition negated: if (x) -> if (!(x)); Python: `not ` dropped
  bool    Python True False, `is` `is not`, `in` `not in`
  delete  a statement line dropped (C: a call or assignment; Python: -> pass)

The mutants of a file are in a fixed order with a stable key (file, line's text,
operator, the change and its place in the line), so a list of known survivors
outlives edits elsewhere in the file.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Iterator, List, Tuple


@dataclass(frozen=True)
class Mutant:
    path: str    # relative to the repository
    start: int   # character offsets in the file's text
    end: int
    new: str
    op: str
    line: int    # 1-based
    text: str    # the line as written, stripped

    @property
    def old_new(self) -> str:
        return f"{self.text!r}: {self.op} -> {self.new!r}"

    def key(self, source: str) -> str:
        """Stable across edits of other lines: file, line text, the change, its column,
        and which of the lines with that same text it is (#0 for the first)."""
        line_start = source.rfind("\n", 0, self.start) + 1
        nth = sum(ln.strip() == self.text for ln in source[:line_start].split("\n")[:-1])
        new = self.new.replace("\n", "\\n")  # a negated condition may span lines: one line
        return f"{self.path}|{self.text}|{self.op}|{self.start - line_start}|{new}|#{nth}"

    def apply(self, source: str) -> str:
        return source[:self.start] + self.new + source[self.end:]


SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==",
        "&&": "||", "||": "&&", "+": "-", "-": "+", "++": "--", "--": "++",
        "+=": "-=", "-=": "+="}
CMP = {"<", "<=", ">", ">=", "==", "!="}


def _const(lit: str) -> str | None:
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)", lit)
    if not m:
        return None
    n = int(m.group(1), 0)
    return str(0 if n == 1 else n + 1) + m.group(2)


# ---- C -----------------------------------------------------------------------------

C_TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<pre>^[ \t]*\#(?:[^\n]*\\\n)*[^\n]*)
  | (?P<number>\b(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b(?!\.))
  | (?P<op>\+\+|--|\+=|-=|->|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[<>+\-])
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
""", re.S | re.M | re.X)

# a statement line that is a call or an assignment, not a declaration
C_DECL = re.compile(r"^\s*(?:const\s+|static\s+|unsigned\s+|struct\s+|enum\s+)*"
                    r"(?:int|char|size_t|int64_t|uint64_t|uint32_t|uint8_t|unsigned|long|"
                    r"double|float|void|gd_\w+|bd_\w+|[A-Za-z_]\w*_t|[a-z_]+)\s+\**\s*\w+\s*(?:=|;|\[)")
C_STATEMENT = re.compile(r"^\s*(?:\*?[A-Za-z_][\w.\->\[\]*]*\s*(?:[+\-*/|&]?=|\+\+|--)[^=]|"
                         r"[A-Za-z_]\w*\s*\(|\+\+|--).*;\s*$")


def c_mutants(path: str, source: str) -> Iterator[Mutant]:
    lines = source.split("\n")
    line_starts = [0]
    for ln in lines:
        line_starts.append(line_starts[-1] + len(ln) + 1)

    def line_of(pos: int) -> int:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi - 1:
            mid = (lo + hi) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid
        return lo

    toks: List[Tuple[str, str, int, int]] = []
    for m in C_TOKEN.finditer(source):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        toks.append((kind, m.group(), m.start(), m.end()))
    code_lines = set()
    for kind, text, start, _ in toks:
        if kind not in ("comment", "pre"):
            code_lines.add(line_of(start))

    def mk(start, end, new, op):
        ln = line_of(start)
        return Mutant(path, start, end, new, op, ln + 1, lines[ln].strip())

    for k, (kind, text, start, end) in enumerate(toks):
        prev = toks[k - 1] if k else ("other", "", 0, 0)
        if kind == "op" and text in SWAP:
            if text in ("+", "-"):
                # binary only: after a value (a word, a number or a closing bracket)
                if prev[0] not in ("word", "number") and prev[1] not in (")", "]"):
                    continue
                if prev[0] == "word" and prev[1] in ("return", "case", "sizeof"):
                    continue
            if text in ("<", ">") and prev[1] in ("include",):
                continue
            op = "cmp" if text in CMP else "logic" if text in ("&&", "||") else "arith"
            yield mk(start, end, SWAP[text], op)
            if text in ("==", "!=") or text in ("<", ">", "<=", ">="):
                pass
        elif kind == "number":
            # array sizes and case labels change the build, not behaviour: skip them
            if prev[1] in ("[", "case") or (k + 1 < len(toks) and toks[k + 1][1] == "]"
                                            and prev[1] in ("[",)):
                continue
            new = _const(text)
            if new is not None:
                yield mk(start, end, new, "const")
        elif kind == "word" and text in ("if", "while") and k + 1 < len(toks) \
                and toks[k + 1][1] == "(":
            depth, j = 0, k + 1
            while j < len(toks):
                if toks[j][1] == "(":
                    depth += 1
                elif toks[j][1] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j < len(toks):
                open_start, close_end = toks[k + 1][2], toks[j][3]
                inner = source[open_start + 1:close_end - 1]
                yield mk(open_start, close_end, f"(!({inner}))", "not")
    # statement deletion: whole lines, code only, outside declarations
    for ln, text in enumerate(lines):
        if ln not in code_lines or not C_STATEMENT.match(text) or C_DECL.match(text):
            continue
        s = text.strip()
        if s.startswith(("return", "goto", "case", "default", "else", "}", "{")) or \
                s.count("(") != s.count(")"):
            continue
        start = line_starts[ln] + (len(text) - len(text.lstrip()))
        yield Mutant(path, start, line_starts[ln] + len(text), ";", "delete", ln + 1, s)


# ---- Python ----------------------------------------------------------------------

PY_SWAP = {**{k: v for k, v in SWAP.items() if k not in ("&&", "||", "++", "--")},
           "and": "or", "or": "and", "True": "False", "False": "True"}


def py_mutants(path: str, source: str) -> Iterator[Mutant]:
    lines = source.split("\n")
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)

    def pos(rc):
        return offsets[rc[0] - 1] + rc[1]

    def mk(start, end, new, op, row):
        return Mutant(path, start, end, new, op, row, lines[row - 1].strip())

    toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    in_annotation = 0
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        s, e = pos(t.start), pos(t.end)
        if t.type == tokenize.OP and t.string in PY_SWAP:
            if t.string in ("+", "-") and (prev is None or not (
                    prev.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING)
                    or prev.string in (")", "]"))):
                continue
            if t.string in ("+", "-") and prev.type == tokenize.NAME and \
                    prev.string in ("return", "in", "and", "or", "not", "if", "else", "yield"):
                continue
            op = "cmp" if t.string in CMP else "arith"
            yield mk(s, e, PY_SWAP[t.string], op, t.start[0])
        elif t.type == tokenize.NAME and t.string in ("and", "or"):
            yield mk(s, e, PY_SWAP[t.string], "logic", t.start[0])
        elif t.type == tokenize.NAME and t.string in ("True", "False"):
            yield mk(s, e, PY_SWAP[t.string], "bool", t.start[0])
        elif t.type == tokenize.NAME and t.string == "is" and nxt is not None:
            if nxt.string == "not":
                yield mk(s, pos(nxt.end), "is", "bool", t.start[0])
            else:
                yield mk(s, e, "is not", "bool", t.start[0])
        elif t.type == tokenize.NAME and t.string == "in" and prev is not None and \
                prev.string != "not" and not _in_for(toks, k):
            yield mk(s, e, "not in", "bool", t.start[0])
        elif t.type == tokenize.NAME and t.string == "not" and nxt is not None and \
                nxt.string != "in" and (prev is None or prev.string != "is"):
            yield mk(s, pos(nxt.start), "", "not", t.start[0])
        elif t.type == tokenize.NUMBER:
            new = _const(t.string)
            if new is not None:
                yield mk(s, e, new, "const", t.start[0])
    del in_annotation
    # statement deletion: simple statements alone on a line that starts with a
    # name token (not a line inside a string, nor a continued expression)
    first = {}
    for t in toks:
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                          tokenize.COMMENT):
            first.setdefault(t.start[0], t)
    for ln, text in enumerate(lines):
        st = text.strip()
        t = first.get(ln + 1)
        if t is None or t.type != tokenize.NAME or t.start[1] != len(text) - len(text.lstrip()):
            continue
        if not st or st.startswith(("#", "def ", "class ", "@", "return", "import", "from ",
                                    "else", "elif", "try", "except", "finally", "with ",
                                    "for ", "while ", "if ", "pass", '"', "'", ")", "]", "}",
                                    "raise", "yield", "global", "nonlocal")):
            continue
        if st.endswith((":", ",", "(", "[", "{", "\\")) or st.count("(") != st.count(")") \
                or st.count("[") != st.count("]") or st.count("{") != st.count("}"):
            continue
        if ln + 1 < len(lines) and lines[ln + 1].strip().startswith((".", ")", "]", "}")):
            continue
        if ln > 0 and lines[ln - 1].rstrip().endswith((",", "(", "[", "{", "\\", "=")):
            continue
        start = offsets[ln] + (len(text) - len(text.lstrip()))
        yield Mutant(path, start, offsets[ln] + len(text), "pass", "delete", ln + 1, st)


def _in_for(toks, k) -> bool:
    """`in` of a `for ... in` (loop or comprehension): not a membership test."""
    depth = 0
    for j in range(k - 1, -1, -1):
        s = toks[j].string
        if s in (")", "]", "}"):
            depth += 1
        elif s in ("(", "[", "{"):
            if depth == 0:
                return False
            depth -= 1
        elif s == "for" and depth == 0:
            return True
        elif toks[j].type in (tokenize.NEWLINE, tokenize.NL) and depth == 0:
            return False
    return False


def mutants_of(path: str, source: str) -> List[Mutant]:
    gen = c_mutants if path.endswith(".c") else py_mutants
    return sorted(gen(path, source), key=lambda m: (m.start, m.end, m.op, m.new))
