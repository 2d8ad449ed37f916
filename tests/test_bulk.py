"""parse_many: many sources, in order, on threads; bad sources never stop a batch."""
import os
import random
import zipfile
from pathlib import Path

import pytest

import govdisclose
from govdisclose import bulk
from govdisclose.bulk import _parse_pairs


def text_reports(corpus):
    """The corpus's text reports (every .txt and .md but its README)."""
    return sorted(p for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


def single(path):
    """One report parsed the way parse_many parses a file, without parse_many."""
    parse_file = getattr(govdisclose, "parse_file", None)
    if parse_file is not None:
        return parse_file(str(path))
    return govdisclose.parse(path.read_bytes())


def same(a, b):
    """Equal reports, whatever their source (parse_many names each file)."""
    return a.to_dict() | {"source": None} == b.to_dict() | {"source": None}


def failure(report):
    [f] = [f for f in report.findings if f.code == "parse.failed"]
    assert (f.severity, f.table, f.cell) == ("error", None, None)
    assert report.requests is None and report.active is None and report.reviews is None
    assert not report.ok
    return f.message


def test_corpus_in_order_equal_to_single_parses(corpus):
    files = text_reports(corpus)
    assert len(files) == 21
    order = files * 3
    random.Random(5).shuffle(order)
    got = list(govdisclose.parse_many([str(p) for p in order], workers=4))
    assert len(got) == len(order)
    singles = {p: single(p) for p in files}
    for path, report in zip(order, got):
        assert same(report, singles[path]), path
    pingtan = [r for p, r in zip(order, got) if p.name == "pingtan-2021.txt"]
    assert [r.requests.new.total.value for r in pingtan] == [70, 70, 70]


def test_threads_equal_serial(corpus):
    files = [str(p) for p in text_reports(corpus)] * 4
    serial = list(govdisclose.parse_many(files, workers=1))
    threaded = list(govdisclose.parse_many(files, workers=8))
    assert serial == threaded
    assert serial[0].agency == "重庆市大足区公安局" and serial[0].requests.new.total.value == 3
    assert len({id(r) for r in threaded}) == len(files)  # a Report per source, none shared


def test_sources_are_named(corpus, dazu_bytes, dazu_text):
    dazu = corpus / "dazu-gaj-2021.txt"
    pairs = list(_parse_pairs([str(dazu), dazu, dazu_bytes, dazu_text, ("mine", dazu_bytes)]))
    assert [s for s, _ in pairs] == [str(dazu), str(dazu), None, None, "mine"]
    reports = [r for _, r in pairs]
    assert all(r.agency == "重庆市大足区公安局" and r.requests.new.total.value == 3
               for r in reports)
    if any(f.name == "source" for f in govdisclose.Report.__dataclass_fields__.values()):
        assert [r.source for r in reports] == [str(dazu), str(dazu), None, None, "mine"]


def test_reports_and_source_pairs_in_one_frame(dazu_text):
    """The frames take Reports, (source, Report) pairs and (None, Report) alike: each
    row its report's values, the source as given (a Path as its str) or missing."""
    r = govdisclose.parse(dazu_text)
    df = govdisclose.to_frame([("a.txt", r), (Path("b") / "c.txt", r), (None, r), r])
    assert df["source"].tolist()[:2] == ["a.txt", str(Path("b") / "c.txt")]
    assert df["source"].isna().tolist() == [False, False, True, True]
    assert df["requests.new.total"].tolist() == [3, 3, 3, 3]
    for bad in [("a.txt", r, "more"), ("a.txt", "b.txt")]:  # no (source, Report) pair
        with pytest.raises(TypeError, match="pairs"):
            govdisclose.to_frame([bad])


def test_a_single_path_or_text_is_one_source(corpus, dazu_text):
    [r] = govdisclose.parse_many(str(corpus / "pingtan-2022.txt"))
    assert (r.year, r.requests.new.total.value) == (2022, 74)
    [r] = govdisclose.parse_many(dazu_text)
    assert r.year == 2021
    [r] = govdisclose.parse_many("no-such-report.txt")  # a short one-line str is a path
    assert "no-such-report.txt: cannot read" in failure(r)


def make_tree(corpus, root):
    """A crawl folder: reports in nested folders, a zip, files that are not reports."""
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / ".cache").mkdir()
    (root / "a" / "dazu.txt").write_bytes((corpus / "dazu-gaj-2021.txt").read_bytes())
    (root / "b" / "deep" / "p2022.TXT").write_bytes((corpus / "pingtan-2022.txt").read_bytes())
    (root / "b" / "kewei.md").write_bytes((corpus / "shanghai-kewei-2024.md").read_bytes())
    (root / "b" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "b" / "meta.json").write_text("{}")
    (root / ".cache" / "old.txt").write_bytes((corpus / "pingtan-2019.txt").read_bytes())
    with zipfile.ZipFile(root / "b" / "more.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2021/pingtan-2021.txt", (corpus / "pingtan-2021.txt").read_bytes())
        z.writestr("2020/pingtan-2020.txt", (corpus / "pingtan-2020.txt").read_bytes())
        z.writestr("readme.csv", "not,a,report")
        z.writestr("__MACOSX/2021/._pingtan-2021.txt", b"\x00\x05")
        z.writestr("inner.zip", b"PK")  # zips inside a zip are not opened


def test_directory_recursive_and_zip(corpus, tmp_path):
    make_tree(corpus, tmp_path)
    pairs = list(_parse_pairs([tmp_path], workers=2))
    root = str(tmp_path)
    assert [s for s, _ in pairs] == [
        f"{root}/a/dazu.txt",
        f"{root}/b/deep/p2022.TXT",
        f"{root}/b/kewei.md",
        f"{root}/b/more.zip!2021/pingtan-2021.txt",
        f"{root}/b/more.zip!2020/pingtan-2020.txt",
    ]
    years = [r.year for _, r in pairs]
    assert years == [2021, 2022, 2024, 2021, 2020]
    assert pairs[3][1].requests.carried_forward.total.value == 1
    assert not pairs[4][1].ok  # pingtan-2020's table 三 does not add up, as published
    assert all(r.findings == () or not any(f.code == "parse.failed" for f in r.findings)
               for _, r in pairs)


def test_bad_sources_never_stop_the_batch(corpus, tmp_path):
    good = corpus / "dazu-gaj-2021.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256)) * 4)
    truncated = tmp_path / "cut.zip"
    with zipfile.ZipFile(tmp_path / "whole.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", good.read_bytes())
    data = (tmp_path / "whole.zip").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    missing = tmp_path / "missing.txt"
    sources = [good, empty, binary, corpus / "pingtan-2021.txt", truncated, missing, good,
               b"\xff\xfe\x00not text", 12345]
    got = list(govdisclose.parse_many(sources, workers=3))
    assert len(got) == len(sources)
    assert [r.agency for r in (got[0], got[3], got[6])] == ["重庆市大足区公安局",
                                                            "平潭综合实验区",
                                                            "重庆市大足区公安局"]
    assert got[3].requests.new.total.value == 70
    assert got[0].ok and got[6].ok
    assert failure(got[1]) == f"{empty}: empty file (0 bytes)"
    msg = failure(got[2])
    assert msg.startswith(f"{binary}: ")
    assert failure(got[4]).startswith(f"{truncated}: not a readable zip archive")
    assert failure(got[5]) == f"{missing}: cannot read: No such file or directory"
    assert failure(got[7]).startswith("input #7: ")
    assert "not int" in failure(got[8])


def test_zip_member_limits(corpus, tmp_path, monkeypatch):
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dazu.txt", (corpus / "dazu-gaj-2021.txt").read_bytes())
        z.writestr("bomb.txt", b"0" * (3 << 20))  # 3 MiB of one byte: ~1000x
        z.writestr("empty.txt", b"")
    got = list(_parse_pairs([archive]))
    assert [s for s, _ in got] == [f"{archive}!dazu.txt", f"{archive}!bomb.txt",
                                   f"{archive}!empty.txt"]
    assert got[0][1].requests.granted.natural_person.value == 2
    assert "refused as a zip bomb" in failure(got[1][1])
    assert failure(got[2][1]) == f"{archive}!empty.txt: empty file (0 bytes)"
    monkeypatch.setattr(bulk, "MAX_MEMBER_BYTES", 1000)
    [first, *_] = _parse_pairs([archive])
    assert "over the limit of 1000 bytes" in failure(first[1])


def test_in_flight_work_is_bounded(corpus):
    pulled = []
    path = str(corpus / "pingtan-2023.txt")

    def endless():
        for i in range(100_000):
            pulled.append(i)
            yield path

    it = govdisclose.parse_many(endless(), workers=2)
    first = next(it)
    assert first.year == 2023
    # workers x IN_FLIGHT_PER_WORKER submitted, then one more per result taken
    assert len(pulled) <= 2 * bulk.IN_FLIGHT_PER_WORKER + 1
    for _ in range(20):
        next(it)
    assert len(pulled) <= 21 + 2 * bulk.IN_FLIGHT_PER_WORKER + 1
    it.close()


def test_workers_must_be_positive(corpus):
    with pytest.raises(ValueError, match="workers must be at least 1"):
        list(govdisclose.parse_many([corpus / "dazu-gaj-2021.txt"], workers=0))


def test_progress_without_terminal_is_quiet(corpus, capsys):
    got = list(govdisclose.parse_many([corpus / "dazu-gaj-2021.txt"], progress=True))
    assert len(got) == 1
    assert capsys.readouterr().err == ""  # stderr is not a terminal here


def test_ten_thousand_files(corpus, tmp_path):
    """10,000 files (the corpus's text reports linked many times, in 20 folders):
    read_reports gives 10,000 rows in order, each equal to its file parsed
    alone; parse_many on 1 and 4 workers agree."""
    files = text_reports(corpus)
    origin = []
    for n in range(10_000):
        folder = tmp_path / f"{n // 500:02d}"
        folder.mkdir(exist_ok=True)
        src = files[n % len(files)]
        dst = folder / f"{n:05d}-{src.name}"
        os.link(src, dst) if _same_device(src, tmp_path) else dst.write_bytes(src.read_bytes())
        origin.append(src)
    df = govdisclose.read_reports(tmp_path, workers=4)
    assert len(df) == 10_000
    assert df["source"].tolist()[:2] == [f"{tmp_path}/00/00000-{files[0].name}",
                                         f"{tmp_path}/00/00001-{files[1].name}"]
    expected = govdisclose.to_frame([single(p) for p in files])
    row_of = {p: i for i, p in enumerate(files)}
    cells = [c for c in df.columns if c not in ("source", "format")]
    got = df[cells]
    want = expected[cells].iloc[[row_of[p] for p in origin]].reset_index(drop=True)
    assert got.equals(want)
    sample = [str(tmp_path / "03" / name) for name in sorted(os.listdir(tmp_path / "03"))]
    assert len(sample) == 500
    assert list(govdisclose.parse_many(sample, workers=1)) == list(
        govdisclose.parse_many(sample, workers=4))


def _same_device(a, b):
    return os.stat(a).st_dev == os.stat(b).st_dev


def test_progress_total_is_known_for_lists(corpus, tmp_path):
    make_tree(corpus, tmp_path)
    assert bulk._count([tmp_path, corpus / "dazu-gaj-2021.txt", b"text"]) == 5 + 1 + 1
    assert bulk._count(tmp_path / "b" / "more.zip") == 2
    assert bulk._count(iter([tmp_path])) is None  # a one-shot iterator is not walked twice


def test_first_jobs_spread_over_every_worker():
    """Jobs are handed out in batches, but the first ones one per worker: two
    large files on two workers run at the same time, not one after the other."""
    import threading

    barrier = threading.Barrier(2, timeout=10)

    def job(name):
        def run():
            barrier.wait()  # BrokenBarrierError if the other job is not running
            return bulk.failed_report(name, "stand-in")
        return name, run

    got = [source for source, _ in bulk._threaded([job("a"), job("b")], 2)]
    assert got == ["a", "b"]


def test_batches_keep_input_order_and_bound():
    order = [f"s{i}" for i in range(200)]
    jobs = [(name, (lambda n=name: bulk.failed_report(n, "stand-in"))) for name in order]
    assert [source for source, _ in bulk._threaded(jobs, 3)] == order
