"""Files written by `incidents export` read back right in pyarrow, pandas,
polars and DuckDB: row counts, exact logical types, every value of the
golden fixture (testdata/export/golden.jsonl), Hive partitions and metadata.

The readers are imported at module level on purpose: a missing reader is a
failure, never a skip (CI=true or not).
"""
import datetime as dt
import hashlib
import json
import math
import os
import pathlib
import signal
import subprocess
import time

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "testdata" / "export" / "golden.jsonl"

DICT_COLUMNS = {
    "source_dataset", "date_precision", "country_iso3", "country",
    "geo_precision", "event_type", "sub_event_type", "violence_type",
}
DATE_COLUMNS = {"date_start", "date_end"}
INT16_COLUMNS = {"year", "source_count"}
COUNT_COLUMNS = {
    f"{q}_{e}" for q in ("fatalities", "injured", "detained") for e in ("best", "low", "high")
} | {"fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown"}
FLOAT_COLUMNS = {"latitude", "longitude"}
LIST_COLUMNS = {"assoc_actors", "sources"}


def golden_rows():
    """The golden rows with Python values: dates as date, time_utc as an
    aware UTC datetime, null as None."""
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for c in DATE_COLUMNS:
            r[c] = dt.date.fromisoformat(r[c])
        if r["time_utc"] is not None:
            r["time_utc"] = dt.datetime.fromisoformat(r["time_utc"].replace("Z", "+00:00"))
        rows.append(r)
    return rows


COLUMNS = list(golden_rows()[0].keys())


def expected_arrow_type(col):
    if col in DICT_COLUMNS:
        return pa.dictionary(pa.int32(), pa.string())
    if col in DATE_COLUMNS:
        return pa.date32()
    if col == "time_utc":
        return pa.timestamp("ms", tz="UTC")
    if col in INT16_COLUMNS:
        return pa.int16()
    if col in COUNT_COLUMNS:
        return pa.int32()
    if col in FLOAT_COLUMNS:
        return pa.float64()
    if col in LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.string()


def assert_type(field, col):
    """The field's type is the schema's; lists compare by value type (the
    element field is named 'element' and non-null in our files)."""
    want = expected_arrow_type(col)
    if pa.types.is_list(want):
        assert pa.types.is_list(field.type) and field.type.value_type == pa.string(), (col, field.type)
    else:
        assert field.type == want, (col, field.type)


def norm(v):
    """A reader's value as a plain Python value (None for any null)."""
    if v is None:
        return None
    if isinstance(v, (list, tuple, np.ndarray)):
        return [norm(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def assert_rows_equal(got_rows, want_rows, reader):
    assert len(got_rows) == len(want_rows), reader
    for i, (got, want) in enumerate(zip(got_rows, want_rows)):
        for col in COLUMNS:
            g, w = norm(got[col]), want[col]
            if col in COUNT_COLUMNS | INT16_COLUMNS and isinstance(g, float):
                g = int(g)  # pandas' default float64 for int columns with nulls
            if isinstance(g, dt.datetime) and isinstance(w, dt.datetime):
                assert g.utcoffset() == dt.timedelta(0), f"{reader}: {col} row {i} not UTC: {g!r}"
            assert g == w, f"{reader}: column {col} row {i}: got {g!r}, want {w!r}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, incidents_bin):
    """The golden fixture exported once to every format."""
    d = tmp_path_factory.mktemp("export")

    def export(*args):
        subprocess.run([incidents_bin, "export", "--quiet", *map(str, args)], check=True, capture_output=True, text=True)

    files = {}
    for name in ("golden.parquet", "golden.arrow", "golden.feather", "golden.arrows", "golden.csv", "golden.jsonl"):
        export("-o", d / name, GOLDEN)
        files[name] = d / name
    export("--compression", "snappy", "-o", d / "snappy.parquet", GOLDEN)
    export("--compression", "lz4", "-o", d / "lz4.parquet", GOLDEN)
    export("--compression", "gzip", "--compression-level", "9", "-o", d / "gzip.parquet", GOLDEN)
    export("--compression", "none", "-o", d / "none.parquet", GOLDEN)
    export("--compression", "zstd", "-o", d / "zstd.arrow", GOLDEN)
    export("--compression", "lz4", "-o", d / "lz4.arrows", GOLDEN)
    export("--partition-by", "year,country_iso3", "-o", d / "ds", GOLDEN)
    # Records from several files carry different dictionaries: the IPC
    # writers must unify them (file) or send deltas (stream).
    export("-o", d / "from_ds.arrow", d / "ds")
    export("-o", d / "from_ds.arrows", d / "ds")
    export("-o", d / "from_ds.parquet", d / "ds")
    for name in ("snappy.parquet", "lz4.parquet", "gzip.parquet", "none.parquet", "zstd.arrow", "lz4.arrows",
                 "from_ds.arrow", "from_ds.arrows", "from_ds.parquet"):
        files[name] = d / name
    files["ds"] = d / "ds"
    return files


def by_id(rows):
    return sorted(rows, key=lambda r: r["incident_id"])


# --- pyarrow ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["golden.parquet", "snappy.parquet", "lz4.parquet", "gzip.parquet", "none.parquet"])
def test_pyarrow_parquet_types_and_values(outputs, name):
    t = pq.read_table(outputs[name])
    assert t.num_rows == 7
    assert t.column_names == COLUMNS
    for col in COLUMNS:
        assert_type(t.schema.field(col), col)
    assert_rows_equal(t.to_pylist(), golden_rows(), f"pyarrow {name}")


def test_pyarrow_parquet_physical_and_logical_types(outputs):
    s = pq.ParquetFile(outputs["golden.parquet"]).schema
    ts = s.column(COLUMNS.index("time_utc")).logical_type.to_json()
    assert json.loads(ts) == {"Type": "Timestamp", "isAdjustedToUTC": True, "timeUnit": "milliseconds",
                              "is_from_converted_type": False, "force_set_converted_type": False}
    assert json.loads(s.column(COLUMNS.index("year")).logical_type.to_json()) == {"Type": "Int", "bitWidth": 16, "isSigned": True}
    assert json.loads(s.column(COLUMNS.index("date_start")).logical_type.to_json()) == {"Type": "Date"}


def test_parquet_metadata(outputs):
    md = pq.read_metadata(outputs["golden.parquet"])
    kv = {k.decode(): v.decode() for k, v in md.metadata.items()}
    assert kv["incidents.schema_version"] == "1"
    assert kv["incidents.version"]
    assert kv["incidents.rows"] == "7"
    inputs = json.loads(kv["incidents.inputs"])
    assert inputs == [{"path": str(GOLDEN), "sha256": hashlib.sha256(GOLDEN.read_bytes()).hexdigest(), "rows": 7}]
    assert "ARROW:schema" in kv
    rg = md.row_group(0)
    for i in range(rg.num_columns):
        col = rg.column(i)
        assert col.statistics is not None and col.statistics.has_min_max or col.statistics.null_count == 7, col.path_in_schema
        assert col.statistics.null_count >= 0, col.path_in_schema
        assert col.compression == "ZSTD"
    want_nulls = {c: sum(r[c] is None for r in golden_rows()) for c in COLUMNS if c not in LIST_COLUMNS}
    got_nulls = {rg.column(i).path_in_schema: rg.column(i).statistics.null_count for i in range(rg.num_columns)}
    for c, n in want_nulls.items():
        assert got_nulls[c] == n, c


@pytest.mark.parametrize("name", ["golden.arrow", "golden.feather", "zstd.arrow", "from_ds.arrow"])
def test_pyarrow_ipc_file(outputs, name):
    with pa.memory_map(str(outputs[name])) as src:
        r = ipc.open_file(src)
        t = r.read_all()
        md = {k.decode(): v.decode() for k, v in (r.schema.metadata or {}).items()}
    assert md["incidents.schema_version"] == "1"
    assert md["incidents.rows"] == "7"
    for col in COLUMNS:
        assert_type(t.schema.field(col), col)
    rows = t.to_pylist()
    want = golden_rows()
    if name.startswith("from_ds"):
        rows, want = by_id(rows), by_id(want)
    assert_rows_equal(rows, want, f"pyarrow {name}")


@pytest.mark.parametrize("name", ["golden.arrows", "lz4.arrows", "from_ds.arrows"])
def test_pyarrow_ipc_stream(outputs, name):
    with open(outputs[name], "rb") as f:
        t = ipc.open_stream(f).read_all()
    for col in COLUMNS:
        assert_type(t.schema.field(col), col)
    rows = t.to_pylist()
    want = golden_rows()
    if name.startswith("from_ds"):
        rows, want = by_id(rows), by_id(want)
    assert_rows_equal(rows, want, f"pyarrow {name}")


def test_pyarrow_hive_dataset(outputs):
    ds = pads.dataset(outputs["ds"], format="parquet", partitioning="hive")
    t = ds.to_table()
    assert t.num_rows == 7
    rows = by_id(t.to_pylist())
    for got, want in zip(rows, by_id(golden_rows())):
        assert int(got["year"]) == want["year"]
        assert got["country_iso3"] == want["country_iso3"]
        for col in COLUMNS:
            if col not in ("year", "country_iso3"):
                assert norm(got[col]) == want[col], col
    assert sorted(p.relative_to(outputs["ds"]).as_posix() for p in outputs["ds"].rglob("*.parquet"))[0] == \
        "year=1970/country_iso3=XKX/part-0000.parquet"


# --- pandas ----------------------------------------------------------------

def test_pandas_read_parquet(outputs):
    df = pd.read_parquet(outputs["golden.parquet"])
    assert len(df) == 7
    for col in DICT_COLUMNS:
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert str(df["time_utc"].dtype) == "datetime64[ms, UTC]"
    assert str(df["year"].dtype) == "int16"
    # pandas' default: an int32 column with nulls becomes float64 with NaN
    assert df["fatalities_best"].dtype == np.float64 and df["fatalities_best"].isna().sum() == 4
    assert df["source_count"].dtype == np.int16
    assert_rows_equal(df.to_dict("records"), golden_rows(), "pandas read_parquet")


def test_pandas_nullable_ints(outputs):
    df = pd.read_parquet(outputs["golden.parquet"], dtype_backend="numpy_nullable")
    assert str(df["fatalities_best"].dtype) == "Int32"
    assert df["fatalities_best"].isna().sum() == 4
    assert df["fatalities_best"].iloc[2] == 2147483647
    assert str(df["year"].dtype) == "Int16"


def test_pandas_read_feather(outputs):
    df = pd.read_feather(outputs["golden.feather"])
    for col in DICT_COLUMNS:
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert str(df["time_utc"].dtype) == "datetime64[ms, UTC]"
    assert_rows_equal(df.to_dict("records"), golden_rows(), "pandas read_feather")
    assert feather.read_table(outputs["from_ds.arrow"]).num_rows == 7


def test_pandas_read_csv(outputs):
    df = pd.read_csv(outputs["golden.csv"], keep_default_na=False, na_values=[""], dtype=str)
    assert list(df.columns) == COLUMNS
    for row, want in zip(df.to_dict("records"), golden_rows()):
        for col in COLUMNS:
            g, w = row[col], want[col]
            if isinstance(g, float) and math.isnan(g):
                g = None
            if w is None:
                assert g is None, col
            elif col in LIST_COLUMNS:
                assert json.loads(g) == w, col
            elif col in DATE_COLUMNS:
                assert g == w.isoformat(), col
            elif col == "time_utc":
                assert dt.datetime.fromisoformat(g.replace("Z", "+00:00")) == w, col
            elif col in FLOAT_COLUMNS:
                assert float(g) == w, col
            elif col in COUNT_COLUMNS | INT16_COLUMNS:
                assert int(g) == w, col
            else:
                assert g == w, col


def test_jsonl_output_is_the_golden_file(outputs):
    assert outputs["golden.jsonl"].read_bytes() == GOLDEN.read_bytes()


# --- polars ----------------------------------------------------------------

def polars_checks(df, reader):
    assert df.height == 7
    for col in DICT_COLUMNS:
        assert df.schema[col] == pl.Categorical, (reader, col)
    assert df.schema["date_start"] == pl.Date
    assert df.schema["time_utc"] == pl.Datetime("ms", "UTC")
    assert df.schema["year"] == pl.Int16
    assert df.schema["fatalities_best"] == pl.Int32
    assert df.schema["latitude"] == pl.Float64
    assert df.schema["sources"] == pl.List(pl.String)
    assert df["fatalities_best"].null_count() == 4


def test_polars_read_parquet(outputs):
    df = pl.read_parquet(outputs["golden.parquet"])
    polars_checks(df, "polars read_parquet")
    assert_rows_equal(df.to_dicts(), golden_rows(), "polars read_parquet")


def test_polars_read_ipc(outputs):
    df = pl.read_ipc(outputs["golden.arrow"])
    polars_checks(df, "polars read_ipc")
    assert_rows_equal(df.to_dicts(), golden_rows(), "polars read_ipc")
    df = pl.read_ipc_stream(outputs["from_ds.arrows"])
    assert_rows_equal(by_id(df.to_dicts()), by_id(golden_rows()), "polars read_ipc_stream")


def test_polars_hive_dataset(outputs):
    df = pl.read_parquet(str(outputs["ds"]) + "/**/*.parquet", hive_partitioning=True)
    assert df.height == 7
    got = sorted(zip(df["incident_id"].to_list(), df["year"].to_list(), df["country_iso3"].to_list()))
    want = sorted((r["incident_id"], r["year"], r["country_iso3"]) for r in golden_rows())
    assert got == want


# --- DuckDB ----------------------------------------------------------------

DUCKDB_TYPES = {
    **{c: "VARCHAR" for c in COLUMNS},
    **{c: "DATE" for c in DATE_COLUMNS},
    "time_utc": "TIMESTAMP WITH TIME ZONE",
    **{c: "SMALLINT" for c in INT16_COLUMNS},
    **{c: "INTEGER" for c in COUNT_COLUMNS},
    **{c: "DOUBLE" for c in FLOAT_COLUMNS},
    **{c: "VARCHAR[]" for c in LIST_COLUMNS},
}


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    yield c
    c.close()


@pytest.mark.parametrize("name", ["golden.parquet", "snappy.parquet", "lz4.parquet", "from_ds.parquet"])
def test_duckdb_types_and_values(outputs, con, name):
    path = str(outputs[name])
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))").fetchall())
    assert types == DUCKDB_TYPES
    cur = con.execute(f"SELECT * FROM read_parquet('{path}')")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    want = golden_rows()
    if name.startswith("from_ds"):
        rows, want = by_id(rows), by_id(want)
    assert_rows_equal(rows, want, f"duckdb {name}")


def test_duckdb_hive_partitioning(outputs, con):
    path = str(outputs["ds"]) + "/**/*.parquet"
    rows = con.execute(
        f"SELECT incident_id, year, country_iso3 FROM read_parquet('{path}', hive_partitioning = true) ORDER BY incident_id"
    ).fetchall()
    want = sorted((r["incident_id"], r["year"], r["country_iso3"]) for r in golden_rows())
    assert [(a, int(b), c) for a, b, c in rows] == want
    # the file's other columns keep their types
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}', hive_partitioning = true))").fetchall())
    assert types["fatalities_best"] == "INTEGER" and types["time_utc"] == "TIMESTAMP WITH TIME ZONE"


def test_duckdb_reads_metadata(outputs, con):
    path = str(outputs["golden.parquet"])
    kv = dict((k.decode(), v.decode()) for k, v in con.execute(
        f"SELECT key, value FROM parquet_kv_metadata('{path}')").fetchall())
    assert kv["incidents.schema_version"] == "1"
    assert kv["incidents.rows"] == "7"


# --- partition escaping, atomicity, overwrite, inspect -----------------------

def test_partition_values_cannot_escape(run, tmp_path):
    evil = ["../../x", "/abs", "a/b", "..", ""]
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    src = tmp_path / "in" / "evil.jsonl"
    src.parent.mkdir()
    with open(src, "w", encoding="utf-8") as f:
        for i, v in enumerate(evil):
            r = json.loads(lines[i])
            r["incident_id"] = f"evil-{i}"
            r["sub_event_type"] = v if v else None
            f.write(json.dumps(r) + "\n")
    out = tmp_path / "out" / "ds"
    out.parent.mkdir()
    run("export", "--quiet", "--partition-by", "sub_event_type", "-o", out, src)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ds"]
    dirs = sorted(p.name for p in out.iterdir())
    assert dirs == sorted(["sub_event_type=..%2F..%2Fx", "sub_event_type=%2Fabs", "sub_event_type=a%2Fb",
                           "sub_event_type=..", "sub_event_type=__HIVE_DEFAULT_PARTITION__"])
    t = pads.dataset(out, format="parquet", partitioning="hive").to_table()
    got = dict(zip(t["incident_id"].to_pylist(), t["sub_event_type"].to_pylist()))
    assert got == {f"evil-{i}": (v if v else None) for i, v in enumerate(evil)}


def test_interrupted_export_leaves_nothing(incidents_bin, tmp_path):
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    src = tmp_path / "big.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(60000):
            r = json.loads(lines[i % len(lines)])
            r["incident_id"] = f"{r['incident_id']}#{i}"
            f.write(json.dumps(r) + "\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    p = subprocess.Popen([incidents_bin, "export", "--quiet", "-o", out_dir / "big.parquet", src],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not any(out_dir.iterdir()):
        assert p.poll() is None, "export finished before it could be interrupted: make the input bigger"
        assert time.time() < deadline
        time.sleep(0.005)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert "incidents: interrupted" in err and "context canceled" not in err
    assert list(out_dir.iterdir()) == []


def test_overwrite_required(run, tmp_path):
    out = tmp_path / "x.parquet"
    run("export", "--quiet", "-o", out, GOLDEN)
    r = run("export", "-o", out, GOLDEN, check=False)
    assert r.returncode == 1
    assert "exists" in r.stderr and "overwrite" in r.stderr
    run("export", "--quiet", "--overwrite", "-o", out, GOLDEN)
    assert pq.read_metadata(out).num_rows == 7


def test_foreign_parquet_is_refused(run, tmp_path):
    path = tmp_path / "foreign.parquet"
    pq.write_table(pa.table({"incident_id": ["a"], "year": pa.array([2019], pa.int64())}), path)
    r = run("export", "-o", tmp_path / "x.jsonl", path, check=False)
    assert r.returncode == 1
    assert "missing columns: source_dataset" in r.stderr
    assert "year is int64, want int16" in r.stderr


def test_inspect(run, outputs):
    out = run("inspect", "--rows", "2", outputs["golden.parquet"]).stdout
    assert "rows:     7" in out
    assert "incidents.schema_version = 1" in out
    assert "reports:ishkobod-2019-11-06" in out
    out = run("inspect", outputs["from_ds.arrow"]).stdout
    assert "record batches:" in out and "rows:     7" in out


def test_partition_value_limits(run, tmp_path):
    """A value of 200 bytes once escaped is a folder name every reader reads
    back; a longer one fails the run up front with a short message (it used
    to fail with 'file name too long' and a 5 KB line); the literal text
    __HIVE_DEFAULT_PARTITION__ is written %5F_HIVE_DEFAULT_PARTITION__, which
    DuckDB and incidents read back as the text, not as null. pyarrow
    unescapes before it compares with its null name, so it alone still reads
    that one value as null (README says so)."""
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    edge = "é" * 98 + "/"  # 196 bytes + %2F = 199 bytes escaped
    vals = [edge, "__HIVE_DEFAULT_PARTITION__", None, "plain"]
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i, v in enumerate(vals):
            r = json.loads(lines[i])
            r["incident_id"] = f"id-{i}"
            r["sub_event_type"] = v
            f.write(json.dumps(r) + "\n")
    out = tmp_path / "ds"
    run("export", "--quiet", "--partition-by", "sub_event_type", "-o", out, src)
    want = {f"id-{i}": v for i, v in enumerate(vals)}
    con = duckdb.connect()
    got = dict(con.execute(
        f"SELECT incident_id, sub_event_type FROM read_parquet('{out}/*/*.parquet', hive_partitioning = true)").fetchall())
    assert got == want
    t = pads.dataset(out, format="parquet", partitioning="hive").to_table()
    got = dict(zip(t["incident_id"].to_pylist(), t["sub_event_type"].to_pylist()))
    assert got == {**want, "id-1": None}
    back = tmp_path / "back.jsonl"
    run("export", "--quiet", "-o", back, out)
    got = {r["incident_id"]: r["sub_event_type"] for r in map(json.loads, back.read_text(encoding="utf-8").splitlines())}
    assert got == want

    too_long = tmp_path / "long.jsonl"
    r = json.loads(lines[0])
    r["sub_event_type"] = "x" * 300
    too_long.write_text(json.dumps(r) + "\n", encoding="utf-8")
    res = run("export", "--quiet", "--partition-by", "sub_event_type", "-o", tmp_path / "ds2", too_long, check=False)
    assert res.returncode == 1
    assert "partition value too long" in res.stderr and len(res.stderr) < 400, res.stderr
    assert not (tmp_path / "ds2").exists()


def test_max_partitions(run, tmp_path):
    """More distinct values than --max-partitions fail fast, leaving nothing."""
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(30):
            r = json.loads(lines[i % len(lines)])
            r["incident_id"] = f"id-{i}"
            f.write(json.dumps(r) + "\n")
    res = run("export", "--quiet", "--max-partitions", "20", "--partition-by", "incident_id",
              "-o", tmp_path / "ds", src, check=False)
    assert res.returncode == 1
    assert "more than 20 distinct values of incident_id" in res.stderr and "--max-partitions" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
