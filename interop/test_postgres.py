"""The PostgreSQL sink read back by psql and compared with pyarrow's reading
of the Parquet file normalize writes from the same inputs: two readers that
share no code with ours (libpq's COPY TO of PostgreSQL's own text output,
and Arrow C++)."""
import csv
import io
import json
import os
import shutil
import subprocess
import datetime
import pathlib

import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

SAMPLE = [ROOT / "testdata" / "sample" / n for n in ("reports.csv", "acled.csv", "ucdp_ged.csv", "gtd.csv")]


def have_server():
    import glob
    return bool(glob.glob("/usr/lib/postgresql/*/bin/postgres") or os.environ.get("PG_BINDIR")) and shutil.which("psql")


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    if not have_server():
        if os.environ.get("CI") == "true":
            pytest.fail("no PostgreSQL server: CI installs it (.ci/run)")
        pytest.skip("no PostgreSQL server (apt-get install postgresql)")
    exe = tmp_path_factory.mktemp("pgserve") / "pgserve"
    subprocess.run(["go", "build", "-o", str(exe), "./internal/pgtest/pgserve"], cwd=ROOT, check=True)
    p = subprocess.Popen([str(exe), "-db", "interop"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    tcp, sock = p.stdout.readline().strip(), p.stdout.readline().strip()
    assert tcp.startswith("postgres://"), "pgserve printed no URL"
    yield tcp, sock
    p.stdin.close()
    p.wait(timeout=60)


def psql_value(url, query):
    return subprocess.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", query],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_table_matches_parquet(pg, run, tmp_path):
    tcp, sock = pg
    pq_path = tmp_path / "events.parquet"
    run("normalize", "-q", "-o", pq_path, *SAMPLE)
    r = run("normalize", "-q", "-o", tcp + "?table=incidents", *SAMPLE)
    assert "45 rows loaded into incidents (create, table created)" in r.stderr
    assert tcp.split(":")[2].split("@")[0] not in r.stderr  # the password

    want = {row["incident_id"]: row for row in pq.read_table(pq_path).to_pylist()}
    cols = list(pq.read_schema(pq_path).names)
    # PostgreSQL's own JSON of each row: dates as ISO dates, time_utc in the
    # session's time zone (UTC), float8 in its shortest exact form, text[] as
    # arrays, NULL as null.
    out = subprocess.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", sock, "-c",
                          "SELECT row_to_json(t) FROM incidents t ORDER BY incident_id"],
                         capture_output=True, text=True, check=True, env={**os.environ, "PGTZ": "UTC"}).stdout
    got = [json.loads(line) for line in out.splitlines() if line]
    assert len(got) == len(want) == 45
    assert all(list(g) == cols for g in got)
    for g in got:
        w = want[g["incident_id"]]
        for c in cols:
            v, x = g[c], w[c]
            where = (g["incident_id"], c, v, x)
            if isinstance(x, datetime.datetime):
                assert datetime.datetime.fromisoformat(v) == x, where
            elif isinstance(x, datetime.date):
                assert v == x.isoformat(), where
            else:
                assert v == x, where  # None == null, ints, floats exactly, strings, lists


def test_upsert_counts(pg, run, tmp_path):
    tcp, sock = pg
    url = tcp + "?table=upserted"
    r = run("normalize", "-q", "--mode", "upsert", "-o", url, SAMPLE[1])
    assert "12 rows loaded into upserted (upsert, table created)" in r.stderr
    r = run("normalize", "-q", "--mode", "upsert", "-o", url, SAMPLE[1])
    assert "12 rows loaded into upserted (upsert): 0 inserted, 0 updated, 12 unchanged" in r.stderr
    # an edited row is updated, the others unchanged
    src = SAMPLE[1].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = next(csv.reader([src[0]]))
    row = next(csv.reader([src[1]]))
    row[header.index("fatalities")] = str(int(row[header.index("fatalities")]) + 1)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    edited = tmp_path / "acled_edited.csv"
    edited.write_text(src[0] + buf.getvalue() + "".join(src[2:]), encoding="utf-8")
    r = run("normalize", "-q", "--mode", "upsert", "-o", url, edited)
    assert "12 rows loaded into upserted (upsert): 0 inserted, 1 updated, 11 unchanged" in r.stderr
    assert psql_value(sock, "SELECT count(*) FROM upserted") == "12"
