"""Every report of ../shared/corpus/formats/ (the formats reports are published
in: Word 97 .doc, another writer's DOCX, OFD) against its gold, through
parse_file and through parse_many; the scanned PDFs there belong to OCR.
"""
import pytest

import govdisclose
from conftest import corpus_dir
from test_gold import cells_of, compare_with_gold, load_gold

FORMATS_DIR = corpus_dir() / "formats"
NAMES = sorted(p.name for p in FORMATS_DIR.glob("*")
               if p.is_file() and p.suffix in (".doc", ".docx", ".ofd") and ".scan." not in p.name)
FORMAT_OF = {".doc": "doc", ".docx": "docx", ".ofd": "ofd"}


def test_every_file_is_scored():
    assert len(NAMES) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_parse_file_matches_gold(corpus, name):
    gold, _ = load_gold(corpus / "formats", name)
    path = corpus / "formats" / name
    report = govdisclose.parse_file(path)
    assert report.format == FORMAT_OF[path.suffix] and report.source == str(path)
    problems = compare_with_gold(report, gold)
    assert not problems, "\n".join(problems[:40])
    if path.suffix != ".docx":  # a .doc's or OFD's spans point into Report.text
        text = report.text.encode("utf-8")
        cells = [(p, c) for p, c in cells_of(report.to_dict()).items() if c["kind"] == "number"]
        assert len(cells) > 50
        for p, c in cells:
            start, end = c["span"]
            assert c["raw"] in text[start:end].decode("utf-8"), p


def test_a_wps_file_in_the_word_container_reads_as_doc(corpus, tmp_path):
    """WPS saves Word-compatible compound files; its .wps name plays no part."""
    path = tmp_path / "report.wps"
    path.write_bytes((corpus / "formats" / "hongze-2023.doc").read_bytes())
    gold, _ = load_gold(corpus / "formats", "hongze-2023.doc")
    report = govdisclose.parse_file(path)
    assert report.format == "doc" and compare_with_gold(report, gold) == []


def test_parse_many_matches_gold(corpus):
    """The folder at once, as a newsroom points parse_many at a download: every
    report the same as through parse_file."""
    paths = [corpus / "formats" / n for n in NAMES]
    reports = list(govdisclose.parse_many(paths, workers=2))
    for path, report in zip(paths, reports):
        gold, _ = load_gold(corpus / "formats", path.name)
        assert report.format == FORMAT_OF[path.suffix]
        problems = compare_with_gold(report, gold)
        assert not problems, f"{path.name}:\n" + "\n".join(problems[:40])
    folder = {r.source for r in govdisclose.parse_many([corpus / "formats"])}
    assert {str(p) for p in paths} <= folder
