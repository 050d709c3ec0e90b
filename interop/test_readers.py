"""Files as readers see them (issue 13): the metadata in the Parquet footer
and in the Arrow schema, once each; created_by. The readers are imported at
module level: a missing reader is a failure, never a skip."""
import collections
import json
import pathlib
import subprocess

import duckdb
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "testdata" / "export" / "golden.jsonl"
SAMPLE = ROOT / "testdata" / "sample" / "reports.csv"
PROVENANCE = {"incidents.schema_version", "incidents.version", "incidents.inputs", "incidents.rows"}


@pytest.fixture(scope="module")
def files(tmp_path_factory, incidents_bin):
    d = tmp_path_factory.mktemp("readers")

    def run(*args):
        subprocess.run([incidents_bin, *map(str, args)], check=True, capture_output=True, text=True)

    out = {}
    run("normalize", "--quiet", "-o", d / "normalized.parquet", SAMPLE)
    run("export", "--quiet", "-o", d / "exported.parquet", GOLDEN)
    # other schemas go through pqarrow's writer: the same rule
    run("stats", "--quiet", "--by", "country_iso3", "--format", "parquet", "-o", d / "stats.parquet", GOLDEN)
    run("export", "--quiet", "--partition-by", "year", "-o", d / "ds", GOLDEN)
    for name in ("normalized.parquet", "exported.parquet", "stats.parquet"):
        out[name] = d / name
    out["part"] = sorted((d / "ds").rglob("*.parquet"))[0]
    return out


def footer_pairs(path):
    """The footer's key-value pairs as DuckDB lists them, in order."""
    con = duckdb.connect()
    return [(k.decode(), v.decode()) for k, v in con.execute(
        "SELECT key, value FROM parquet_kv_metadata(?)", [str(path)]).fetchall()]


@pytest.mark.parametrize("name", ["normalized.parquet", "exported.parquet", "stats.parquet", "part"])
def test_metadata_once_each_in_both_places(files, name):
    path = files[name]
    pairs = footer_pairs(path)
    counts = collections.Counter(k for k, _ in pairs)
    assert [k for k, n in counts.items() if n > 1] == [], f"keys listed twice in the footer: {pairs}"
    footer = dict(pairs)
    assert "ARROW:schema" in footer
    # pyarrow (and pandas through it) read the Arrow schema's metadata: the
    # same keys and values as the footer, less ARROW:schema itself
    schema_md = {k.decode(): v.decode() for k, v in pq.read_table(path).schema.metadata.items()}
    del footer["ARROW:schema"]
    assert schema_md == footer
    want = PROVENANCE - {"incidents.inputs"} if name == "stats.parquet" else PROVENANCE  # stats names no inputs
    assert want <= set(footer), sorted(footer)
    # pq.read_metadata reads the footer: the same
    kv = {k.decode(): v.decode() for k, v in pq.read_metadata(path).metadata.items()}
    assert {k: v for k, v in kv.items() if k != "ARROW:schema"} == footer


def test_provenance_values(files):
    md = {k.decode(): v.decode() for k, v in pq.read_table(files["normalized.parquet"]).schema.metadata.items()}
    inputs = json.loads(md["incidents.inputs"])
    assert [i["path"] for i in inputs] == [str(SAMPLE)]
    assert inputs[0]["rows"] == int(md["incidents.rows_read"]) == 42
    assert md["incidents.rows_written"] == md["incidents.rows"] == "17"
    assert int(md["incidents.rows_merged"]) == 25


@pytest.mark.parametrize("name", ["normalized.parquet", "exported.parquet", "stats.parquet", "part"])
def test_created_by(files, name, incidents_bin):
    version = subprocess.run([incidents_bin, "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0].split()[1]
    md = pq.read_metadata(files[name])
    assert md.created_by == f"incidents {version} (arrow-go v17)"
    footer = dict(footer_pairs(files[name]))
    assert footer["incidents.version"] == version


# --- README's reader snippets, run as written --------------------------------

import os
import re
import shlex

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

README = ROOT / "README.md"


def snippet(name):
    """The code block after <!-- snippet:NAME --> in README.md, as written."""
    m = re.search(r"<!-- snippet:" + re.escape(name) + r" -->\n```[a-z]*\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert m, f"README.md has no snippet {name}"
    return m.group(1)


@pytest.fixture
def in_folder(tmp_path, incidents_bin):
    """A folder holding events.jsonl (the golden rows), where README's shell
    snippet runs with our binary, and events_by_country (a Hive dataset)."""
    (tmp_path / "events.jsonl").write_bytes(GOLDEN.read_bytes())
    for line in snippet("pandas-sh").splitlines():
        args = shlex.split(line)
        assert args[0] == "incidents", line
        subprocess.run([incidents_bin, *args[1:], "--quiet"], cwd=tmp_path, check=True, capture_output=True, text=True)
    subprocess.run([incidents_bin, "export", "--quiet", "--partition-by", "year,country_iso3", "-o", "events_by_country",
                    "events.parquet"], cwd=tmp_path, check=True, capture_output=True, text=True)
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


COUNTS = [f"{q}_{e}" for q in ("fatalities", "injured", "detained") for e in ("best", "low", "high")] + \
    ["fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown"]


def test_readme_pandas_snippet(in_folder):
    ns = {}
    exec(snippet("pandas"), ns)
    df, nullable, arrow, compat = ns["df"], ns["nullable"], ns["arrow"], ns["compat"]
    # what the snippet says of the default reader
    assert df["date_start"].dtype == object
    with pytest.raises(AttributeError):
        df["date_start"].dt
    assert {str(df[c].dtype) for c in COUNTS} >= {"float64"}, "the golden rows have counts with nulls"
    # numpy_nullable: Int32 everywhere, dates converted by the snippet's line
    assert all(nullable[c].dtype == pd.Int32Dtype() for c in COUNTS)
    assert nullable["year"].dtype == pd.Int16Dtype()
    assert nullable["date_start"].dtype.kind == "M"
    assert list(nullable["date_start"].dt.year) == list(nullable["year"])
    # pyarrow backend
    assert arrow["date_start"].dtype == pd.ArrowDtype(pa.date32())
    assert list(arrow["date_start"].dt.year) == list(df["year"])
    assert arrow["fatalities_best"].dtype == pd.ArrowDtype(pa.int32())
    assert arrow["time_utc"].dtype == pd.ArrowDtype(pa.timestamp("ms", tz="UTC"))
    # --pandas-compat: the default reader restores datetime64 and Int32
    assert compat["date_start"].dtype == np.dtype("datetime64[ms]")
    assert compat["date_end"].dtype == np.dtype("datetime64[ms]")
    assert [d.date() for d in compat["date_start"]] == list(df["date_start"])
    assert all(compat[c].dtype == pd.Int32Dtype() for c in COUNTS)
    assert compat["year"].dtype == np.int16 and compat["source_count"].dtype == np.int16
    assert str(compat["time_utc"].dtype) == "datetime64[ms, UTC]"
    assert isinstance(compat["country_iso3"].dtype, pd.CategoricalDtype)
    for c in COUNTS:  # the same values, nulls as <NA>
        assert [None if pd.isna(v) else int(v) for v in compat[c]] == [None if pd.isna(v) else int(v) for v in nullable[c]], c
    # a column without nulls is Int32 too: files of one schema concatenate alike
    one = compat.iloc[[0]]
    assert pd.concat([one, compat]).dtypes.equals(compat.dtypes)


def test_pandas_compat_other_readers(in_folder, incidents_bin):
    t = pq.read_table("events_pandas.parquet")
    assert t.schema.field("date_start").type == pa.timestamp("ms")
    assert pl.read_parquet("events_pandas.parquet").schema["date_start"] == pl.Datetime("ms")
    con = duckdb.connect()
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM 'events_pandas.parquet')").fetchall())
    assert types["date_start"] == "TIMESTAMP" and types["fatalities_best"] == "INTEGER"
    # incidents reads it back as the incidents schema: the same rows as the plain file
    a = subprocess.run([incidents_bin, "export", "--quiet", "-o", "-", "events_pandas.parquet"], capture_output=True, text=True, check=True).stdout
    b = subprocess.run([incidents_bin, "export", "--quiet", "-o", "-", "events.parquet"], capture_output=True, text=True, check=True).stdout
    assert a == b and a.count("\n") == 7
    # normalize writes it too
    subprocess.run([incidents_bin, "normalize", "--quiet", "--pandas-compat", "-o", "n.parquet", str(SAMPLE)], check=True, capture_output=True)
    n = pd.read_parquet("n.parquet")
    assert n["date_start"].dtype == np.dtype("datetime64[ms]") and n["fatalities_best"].dtype == pd.Int32Dtype()


def test_readme_hive_snippet(in_folder):
    ns = {}
    exec(snippet("hive"), ns)
    lf, table, df, rel = ns["lf"], ns["table"], ns["df"], ns["rel"]
    assert lf.collect_schema()["year"] == pl.Int16
    assert sorted(lf.collect()["year"].to_list()) == sorted(r["year"] for r in map(json.loads, GOLDEN.read_text().splitlines()))
    assert table.schema.field("year").type == pa.int16() and table.num_rows == 7
    assert df["year"].dtype == np.int16 and len(df) == 7
    types = dict(zip(rel.columns, map(str, rel.types)))
    assert types["year"] == "SMALLINT" and types["country_iso3"] == "VARCHAR"
    assert rel.shape[0] == 7
    # without them, the types README names
    assert pl.scan_parquet("events_by_country/**/*.parquet", hive_partitioning=True).collect_schema()["year"] == pl.Int64
    import pyarrow.dataset as pads
    assert pads.dataset("events_by_country", format="parquet", partitioning="hive").schema.field("year").type == pa.int32()
    assert isinstance(pd.read_parquet("events_by_country")["year"].dtype, pd.CategoricalDtype)
    assert str(duckdb.sql("SELECT year FROM read_parquet('events_by_country/**/*.parquet', hive_partitioning = true)").types[0]) == "BIGINT"


# --- actor names: one spelling each, against an oracle in Python ------------

import csv
import io
import random
import unicodedata

GED = ROOT / "testdata" / "real" / "ged-inconsistent" / "hdx_ged_nigeria_pandas_hxl.csv"
APOSTROPHES = set("\u2018\u2019\u201b\u2032\u02bc\u02bb\u02be\u02bf`\u00b4")
QUOTES = set("\u201c\u201d\u201e\u201f")


def mark(ch):
    if ch == "-" or ch == "\u2212" or unicodedata.category(ch) == "Pd":
        return " "
    if ch in APOSTROPHES:
        return "'"
    if ch in QUOTES:
        return '"'
    if unicodedata.category(ch) == "Cf":
        return ""
    return ch


def actor_key(s):
    """README's rule, written again with Python's unicodedata and
    str.casefold (full case folding)."""
    s = "".join(map(mark, s))
    s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", s).casefold())
    return " ".join("".join(map(mark, s)).split())


def spellings_of(name, rnd):
    """Ways a name gets typed or pasted (made here from the real name)."""
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name[:4]) + name[4:]
    return [name, name.upper(), name.lower(), name.replace("'", "\u2019"), name.replace("-", "\u2010"),
            name.replace("-", " "), name.replace(" ", "\u00a0", 1), "  " + name.replace(" ", "   ") + " ",
            full, name.replace("'", "\u02bc").replace("-", "\u2013"), name[:3] + "\u00ad" + name[3:],
            name.replace("'", "")]  # the last one is another name: the apostrophe is not dropped


def test_actor_spellings_match_oracle(tmp_path, incidents_bin):
    rnd = random.Random(13)
    rows = list(csv.reader(io.StringIO(GED.read_text(encoding="utf-8"))))
    header = rows[0]
    a, b = header.index("side_a"), header.index("side_b")
    for r in rows[2:]:  # rows[1] is the HXL row
        r[a] = rnd.choice(spellings_of(r[a], rnd))
        r[b] = rnd.choice(spellings_of(r[b], rnd))
    path = tmp_path / "ged_spellings.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "n.parquet"
    subprocess.run([incidents_bin, "normalize", "--quiet", "--workers", "2", "--batch-size", "3", "--max-rejects", "1", "-o", out, path],
                   check=True, capture_output=True)
    got = pq.read_table(out).to_pylist()
    assert len(got) == len(rows) - 2  # the HXL row is the one reject
    # oracle: per key, the first spelling in row order (actor1 before actor2)
    first, count = {}, collections.Counter()
    for r in rows[2:]:
        for col in (a, b):
            written = " ".join(r[col].split())  # the whitespace clean-up every name gets
            k = actor_key(written)
            first.setdefault(k, written)
    for r, g in zip(rows[2:], got):
        assert g["actor1"] == first[actor_key(" ".join(r[a].split()))]
        assert g["actor2"] == first[actor_key(" ".join(r[b].split()))]
        count[g["actor2"]] += 1
    assert len({actor_key(x) for x in first}) == len(first)
    assert len(count) == len({actor_key(r[b]) for r in rows[2:]}) == 2  # the name and its apostrophe-less twin
    # stats --by actor2 on the raw file counts the same groups
    stats = subprocess.run([incidents_bin, "stats", "--quiet", "--by", "actor2", "--format", "csv", path],
                           check=True, capture_output=True, text=True).stdout
    by = {r["actor2"]: int(r["events"]) for r in csv.DictReader(io.StringIO(stats))}
    assert by == dict(count)
