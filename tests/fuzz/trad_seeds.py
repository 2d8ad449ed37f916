#!/usr/bin/env python3
"""Write each text report of the corpus in traditional characters, as the seeds of
fuzz_text (issue 14): every character src/trad_table.c can write traditionally
is, its forms taken in turn, so the runs start on the core's folded reading.

    python3 trad_seeds.py CORPUS OUT_DIR
"""
import re
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent.parent / "src" / "trad_table.c"


def forms():
    src = TABLE.read_text(encoding="utf-8")

    def array(name):
        body = src.split(f"{name}[] = {{")[1].split("};")[0]
        return [int(x, 16) for x in re.findall(r"0x([0-9A-F]+)", body)]
    out = {}
    for t, s in zip(array("gd_trad_from"), array("gd_trad_to")):
        out.setdefault(chr(s), []).append(chr(t))
    return out


def to_traditional(text, table):
    """text with each character table (forms()) can write traditionally so written,
    its forms taken in turn (发 as 發, then 髮, ...), so that every form is used."""
    seen, out = {}, []
    for ch in text:
        alts = table.get(ch)
        if alts:
            k = seen.get(ch, 0)
            seen[ch] = k + 1
            ch = alts[k % len(alts)]
        out.append(ch)
    return "".join(out)


def main(corpus, out_dir):
    table = forms()
    for path in sorted(Path(corpus).glob("*.txt")):
        text = to_traditional(path.read_text(encoding="utf-8"), table)
        Path(out_dir, path.stem + ".trad.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
