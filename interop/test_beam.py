"""incidents-beam (the Apache Beam pipeline, beam/) checked by DuckDB: its
normalize output holds exactly the rows incidents normalize writes, and its
stats equal DuckDB's SQL over those rows (counts, sums, means, sample
standard deviations, linear quantiles). The pipeline runs on the embedded
Prism runner."""
import csv
import math
import pathlib
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def beam_bin(tmp_path_factory):
    path = tmp_path_factory.mktemp("beam") / "incidents-beam"
    subprocess.run(["go", "build", "-o", str(path), "./cmd/incidents-beam"], cwd=ROOT / "beam", check=True)
    return path


def test_beam_normalize_and_stats_against_duckdb(run, beam_bin, tmp_path):
    raw = tmp_path / "acled.csv"
    run("gen", "--layout", "acled", "-n", "6000", "--seed", "4", "-o", raw)
    local = tmp_path / "local.parquet"
    run("normalize", "-q", "-o", local, raw)
    out = tmp_path / "events"
    p = subprocess.run([beam_bin, "normalize", "--input", raw, "--output", out], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "rows read 6000 = incidents written 6000" in p.stderr

    con = duckdb.connect()
    con.sql("SET TimeZone = 'UTC'")
    a = f"read_parquet('{local}')"
    b = f"read_parquet('{out}/**/*.parquet', hive_partitioning = true)"
    cols = [r[0] for r in con.sql(f"DESCRIBE SELECT * FROM {a}").fetchall()]
    sel = ", ".join("CAST(year AS BIGINT) AS year" if c == "year" else f'"{c}"' for c in cols)
    one = lambda q: con.sql(q).fetchall()[0][0]
    assert one(f"SELECT count(*) FROM {b}") == 6000
    assert one(f"SELECT count(*) FROM (SELECT {sel} FROM {a} EXCEPT ALL SELECT {sel} FROM {b})") == 0
    assert one(f"SELECT count(*) FROM (SELECT {sel} FROM {b} EXCEPT ALL SELECT {sel} FROM {a})") == 0

    p = subprocess.run([beam_bin, "stats", "--input", raw, "--by", "country_iso3", "--format", "csv"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    got = {r["country_iso3"]: r for r in csv.DictReader(p.stdout.splitlines())}
    want = con.sql(f"""
        SELECT country_iso3, count(*) AS events, sum(fatalities_best) AS fsum, avg(fatalities_best) AS fmean,
               stddev_samp(fatalities_best) AS fstd, quantile_cont(fatalities_best, 0.5) AS fmed,
               quantile_cont(fatalities_best, 0.9) AS fp90, max(fatalities_best) AS fmax
        FROM {b} GROUP BY country_iso3 ORDER BY country_iso3""").fetchall()
    assert len(got) == len(want) > 10
    for iso, events, fsum, fmean, fstd, fmed, fp90, fmax in want:
        g = got[iso]
        assert int(g["events"]) == events
        assert int(g["fatalities_best_sum"]) == fsum
        assert int(g["fatalities_max"]) == fmax
        for name, v in [("fatalities_mean", fmean), ("fatalities_std", fstd),
                        ("fatalities_median", fmed), ("fatalities_p90", fp90)]:
            if v is None:
                assert g[name] == "", (iso, name)
            else:
                assert math.isclose(float(g[name]), v, rel_tol=1e-12, abs_tol=1e-12), (iso, name, g[name], v)
