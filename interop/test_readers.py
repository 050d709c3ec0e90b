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
