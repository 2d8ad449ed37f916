"""govdisclose.dask: the columns of read_reports, partitions by file batch, local
schedulers, a cluster of worker processes, files read through fsspec."""
import math
import os

import dask
import pandas as pd
import pytest

import govdisclose
import govdisclose.dask as gdask


def text_reports(corpus):
    return sorted(str(p) for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


def test_same_frame_as_read_reports(corpus):
    files = text_reports(corpus)
    ddf = gdask.read_reports(files, batch_size=4)
    assert ddf.npartitions == math.ceil(len(files) / 4) == 6
    meta = govdisclose.read_reports([])
    assert list(ddf.columns) == list(meta.columns)
    assert (ddf.dtypes == meta.dtypes).all()
    expected = govdisclose.read_reports(files)
    for scheduler in ("sync", "threads"):
        got = ddf.compute(scheduler=scheduler).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)
    total = ddf["requests.new.total"].sum().compute(scheduler="sync")
    assert total == expected["requests.new.total"].sum()
    by_year = ddf.groupby("year")["requests.new.total"].sum().compute(scheduler="sync")
    assert by_year[2021] == 3 + 70  # 大足 3, 平潭 70


def test_default_batch_is_1000_files(corpus):
    """batch_size defaults to 1,000 files a partition (the module's doc): 1,000
    paths make one partition, 1,001 two (counted without reading a file)."""
    one = text_reports(corpus)[0]
    assert gdask.read_reports([one] * 1000).npartitions == 1
    assert gdask.read_reports([one] * 1001).npartitions == 2


def test_folder_and_long_shape(corpus, tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("pingtan-2021.txt", "dazu-gaj-2021.txt"):
        (tmp_path / "a" / name).write_bytes((corpus / name).read_bytes())
    (tmp_path / "a" / "notes.json").write_text("{}")
    ddf = gdask.read_reports(tmp_path, shape="long", batch_size=1)
    assert ddf.npartitions == 2
    with dask.config.set(scheduler="sync"):
        cells = ddf.compute()
    assert list(cells["source"].unique()) == [str(tmp_path / "a" / "dazu-gaj-2021.txt"),
                                              str(tmp_path / "a" / "pingtan-2021.txt")]
    fee = cells[(cells["row"] == "fees") & (cells["column"] == "amount")]
    assert [str(v) for v in fee["value"]] == ["221.67", "24252.311082"]


def test_errors(corpus, tmp_path):
    with pytest.raises(ValueError, match="batch_size"):
        gdask.read_reports(text_reports(corpus), batch_size=0)
    with pytest.raises(FileNotFoundError):
        gdask.read_reports(str(tmp_path / "*.txt"))
    # a listed file that is gone by the time it is read: a parse.failed row
    gone = tmp_path / "gone.txt"
    ddf = gdask.read_reports([str(gone), str(corpus / "pingtan-2025.txt")])
    df = ddf.compute(scheduler="sync")
    assert df["n_errors"].tolist()[0] == 1
    assert df["requests.new.total"].tolist()[1] == 154


def test_parquet_in_parts(corpus, tmp_path):
    """Written by partition, money needs one decimal type: arrow_schema() gives it."""
    files = text_reports(corpus)
    ddf = gdask.read_reports(files, batch_size=5)
    ddf.to_parquet(tmp_path / "out", schema=govdisclose.frames.arrow_schema(),
                   compute_kwargs={"scheduler": "sync"})
    back = pd.read_parquet(tmp_path / "out").reset_index(drop=True)
    expected = govdisclose.read_reports(files)
    assert (back.dtypes == expected.dtypes).all()
    pd.testing.assert_frame_equal(back.drop(columns=["active.fees.amount"]),
                                  expected.drop(columns=["active.fees.amount"]))
    assert back["active.fees.amount"].tolist() == expected["active.fees.amount"].tolist()
    assert str(back["active.fees.amount"][0]) == "221.670000"  # one scale: padded, not rounded


def test_local_cluster_of_worker_processes(corpus):
    """A real cluster: two worker processes (tasks pickled, govdisclose imported
    in each), both shapes equal to read_reports in this process."""
    from distributed import Client, LocalCluster

    files = text_reports(corpus)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
        wide = client.compute(gdask.read_reports(files, batch_size=3)).result()
        long = client.compute(gdask.read_reports(files, batch_size=3, shape="long")).result()
        ran = client.run(lambda: "govdisclose._core" in __import__("sys").modules)
    assert list(ran.values()) == [True, True]  # both workers parsed a batch
    pd.testing.assert_frame_equal(wide.reset_index(drop=True), govdisclose.read_reports(files))
    pd.testing.assert_frame_equal(long.reset_index(drop=True),
                                  govdisclose.read_reports(files, shape="long"))


def test_files_through_fsspec(corpus):
    """A filesystem other than the local one (fsspec's in-memory one stands in
    for object storage): each file read as one report; one that is gone is a
    parse.failed row."""
    import fsspec

    fs = fsspec.filesystem("memory")
    names = ["pingtan-2021.txt", "dazu-gaj-2021.txt"]
    for name in names:
        fs.pipe(f"/gd-test/{name}", (corpus / name).read_bytes())
    ddf = gdask.read_reports([f"memory://gd-test/{n}" for n in names + ["gone.txt"]],
                             batch_size=2)
    df = ddf.compute(scheduler="sync").reset_index(drop=True)
    assert df["requests.new.total"].tolist()[:2] == [70, 3]
    assert df["n_errors"].tolist()[2] == 1
    # each source named as fsspec names the file: its protocol and its full path
    assert df["source"].tolist() == [f"memory:///gd-test/{n}" for n in names + ["gone.txt"]]
    expected = govdisclose.read_reports([(f"memory:///gd-test/{n}", (corpus / n).read_bytes())
                                         for n in names])
    pd.testing.assert_frame_equal(df.iloc[:2].drop(columns="source"),
                                  expected.drop(columns="source"))
    fs.rm("/gd-test", recursive=True)


def test_relative_paths_and_folders_in_a_list(corpus, tmp_path, monkeypatch):
    """A list mixes files (taken as they are, named by their absolute path, as
    fsspec names them) and folders (searched for report files)."""
    (tmp_path / "more").mkdir()
    for name in ("pingtan-2021.txt", "more/pingtan-2025.txt"):
        (tmp_path / name).write_bytes((corpus / os.path.basename(name)).read_bytes())
    monkeypatch.chdir(tmp_path)
    ddf = gdask.read_reports(["pingtan-2021.txt", "more"])
    assert ddf.npartitions == 1
    df = ddf.compute(scheduler="sync")
    assert df["source"].tolist() == [(tmp_path / "pingtan-2021.txt").as_posix(),
                                     (tmp_path / "more" / "pingtan-2025.txt").as_posix()]
    assert df["requests.new.total"].tolist() == [70, 154]
