"""The identities check the OCR: alternative readings chosen only when exactly
one assignment of them makes every identity of the table hold.

A number read with an uncertain character has other readings: the engine's
own candidates for that character when it has digit candidates, else the
usual confusions of printed digits (0/6/8/9, 1/7, 3/8, 5/6).  When the table's
identities (balance, column totals, row totals, review totals) do not all hold
as read, every assignment of those readings is tried (a depth-first search
that drops a partial assignment as soon as some identity can no longer hold);
when exactly one makes every identity of the table hold, it is taken and each
change is reported.  When none or several do, nothing changes.  The search
has a budget: past it nothing changes either.
"""
from __future__ import annotations

from itertools import product
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from .. import _core
from .engine import Char

__all__ = ["Instance", "instances", "Candidate", "Change", "solve", "options"]

# The usual confusions of printed digits, each way.
CONFUSIONS = {"0": "689", "6": "058", "8": "0369", "9": "08", "1": "7", "7": "1", "3": "8",
              "5": "6"}
# At most this many uncertain characters of one number are varied (a number
# with more is too uncertain to be fixed by arithmetic).
MAX_UNCERTAIN_PER_NUMBER = 3
# Nodes the search may visit per table before it gives up.
SEARCH_BUDGET = 200_000


class Instance(NamedTuple):
    """One identity over concrete cells: sum(coef * value) == 0 (the target
    with coefficient -1, each term with its sign)."""

    code: str
    table: str
    target: str
    terms: Tuple[Tuple[str, int], ...]


def instances() -> List[Instance]:
    """Every identity instance of the templates, over SCHEMA cell paths."""
    rows: Dict[str, Dict[str, List[str]]] = {}
    for table, tdef in _core.template().items():
        rows[table] = {r["id"]: [c["id"] for c in r["columns"]] for r in tdef["rows"]}
    out = []
    for ident in _core.identities():
        table, target, terms, signs = ident["table"], ident["target"], ident["terms"], ident["signs"]
        if ident["each"] == "column":
            for col in rows[table].get(target, []):
                out.append(Instance(ident["code"], table, f"{table}.{target}.{col}",
                                    tuple((f"{table}.{t}.{col}", s) for t, s in zip(terms, signs)
                                          if col in rows[table].get(t, []))))
        elif ident["each"] == "row":
            for row, cols in rows[table].items():
                if target in cols and all(t in cols for t in terms):
                    out.append(Instance(ident["code"], table, f"{table}.{row}.{target}",
                                        tuple((f"{table}.{row}.{t}", s)
                                              for t, s in zip(terms, signs))))
    return out


class Candidate(NamedTuple):
    """A number read by OCR: its path, the byte offsets of its characters in
    the text, its characters, and the values its readings give (as read first)."""

    path: str
    offsets: Tuple[int, ...]
    chars: Tuple[Char, ...]
    readings: Tuple[str, ...]


class Change(NamedTuple):
    path: str
    raw: str
    chosen: str
    offsets: Tuple[int, ...]


def options(chars: Sequence[Char], uncertain: float) -> Tuple[str, ...]:
    """The readings of a number, as read first: each uncertain digit varied
    over the engine's digit candidates (else the usual confusions)."""
    per_char: List[str] = []
    varied = 0
    for c in chars:
        alts = ""
        # isdecimal, not isdigit: the model's alphabet holds ² ① ⑴, which are "digits"
        # that int() refuses (full-width ０-９ are decimals: int() reads them)
        if c.char.isdecimal() and c.prob < uncertain and varied < MAX_UNCERTAIN_PER_NUMBER:
            alts = "".join(a for a, _ in c.alternatives if a.isdecimal() and a != c.char)
            if not alts:
                alts = CONFUSIONS.get(c.char, "")
            varied += 1 if alts else 0
        per_char.append(c.char + alts)
    return tuple("".join(p) for p in product(*per_char))


def _value(reading: str) -> Optional[int]:
    digits = reading.replace(",", "")
    return int(digits) if digits.isdecimal() else None


def solve(table: str, known: Dict[str, Optional[int]], candidates: Sequence[Candidate],
          all_instances: Sequence[Instance]) -> Tuple[str, List[Change]]:
    """The changes that make every identity of table hold, when exactly one
    assignment of the candidates' readings does.  known: the value of each
    other cell as read (None: not a number).  Returns (outcome, changes):
    outcome is "holds" (nothing to fix), "fixed", "none" (no assignment
    fits), "several" or "budget"."""
    cands = {c.path: c for c in candidates if len(c.readings) > 1}
    values: Dict[str, List[int]] = {}
    for path, c in cands.items():
        vals = []
        for r in c.readings:
            v = _value(r)
            vals.append(v if v is not None else -1)
        values[path] = vals
    usable = []
    for inst in all_instances:
        if inst.table != table:
            continue
        cells = [(inst.target, -1)] + list(inst.terms)
        present = [(p, s) for p, s in cells if p in cands or p in known]
        if inst.target not in cands and inst.target not in known:
            continue
        if any(p not in cands and known.get(p) is None for p, _ in present):
            continue  # a cell that is no number: the identity cannot be checked
        usable.append(present)
    if not usable:
        return "holds", []

    def holds(assign: Dict[str, int]) -> bool:
        for present in usable:
            total = 0
            for p, s in present:
                total += s * (values[p][assign[p]] if p in cands else known[p])  # type: ignore
            if total != 0:
                return False
        return True

    as_read = {p: 0 for p in cands}
    if holds(as_read):
        return "holds", []
    variables = sorted(cands, key=lambda p: -sum(any(q == p for q, _ in u) for u in usable))
    # per identity: the fixed part and its variables with coefficients
    cons = []
    for present in usable:
        fixed = sum(s * known[p] for p, s in present if p not in cands)  # type: ignore
        vars_ = [(p, s) for p, s in present if p in cands]
        cons.append((fixed, vars_))
    by_var: Dict[str, List[int]] = {p: [] for p in variables}
    for k, (_, vars_) in enumerate(cons):
        for p, _ in vars_:
            by_var[p].append(k)

    def feasible(k: int, assign: Dict[str, int]) -> bool:
        fixed, vars_ = cons[k]
        lo = hi = fixed
        for p, s in vars_:
            if p in assign:
                v = s * values[p][assign[p]]
                lo += v
                hi += v
            else:
                vs = [s * x for x in values[p] if x >= 0]
                if not vs:
                    return False
                lo += min(vs)
                hi += max(vs)
        return lo <= 0 <= hi

    if not all(feasible(k, {}) for k in range(len(cons))):
        return "none", []
    solutions: List[Dict[str, int]] = []
    budget = [SEARCH_BUDGET]

    def search(i: int, assign: Dict[str, int]) -> bool:
        """False when the search must stop (two solutions, or out of budget)."""
        if i == len(variables):
            solutions.append(dict(assign))
            return len(solutions) < 2
        p = variables[i]
        for choice, v in enumerate(values[p]):
            if v < 0:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                return False
            assign[p] = choice
            if all(feasible(k, assign) for k in by_var[p]):
                if not search(i + 1, assign):
                    del assign[p]
                    return False
            del assign[p]
        return True

    finished = search(0, {})
    if not finished and len(solutions) < 2:
        return "budget", []
    if len(solutions) != 1:
        return ("several" if solutions else "none"), []
    changes = []
    for p, choice in solutions[0].items():
        if choice != 0:
            c = cands[p]
            changes.append(Change(p, c.readings[0], c.readings[choice], c.offsets))
    return "fixed", changes
