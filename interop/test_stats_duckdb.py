"""incidents stats agrees with DuckDB SQL on the same Parquet file.

The file is written here with pyarrow in the schema's layout (dictionary
columns, int32 counts, date32 dates, schema-version metadata); `incidents
stats --format json` reads it and every number is compared with DuckDB's
answer to 1e-9 relative: counts, sums, avg, stddev_samp, quantile_cont
(R type 7), max, monthly counts with empty months filled, var_samp/avg
and regr_slope.
"""
import datetime
import json
import math
import pathlib

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
N = 3000

D = pa.dictionary(pa.int32(), pa.string())
L = pa.list_(pa.field("element", pa.string(), nullable=False))
TYPES = [  # SCHEMA.md, in file order
    ("incident_id", pa.string(), False), ("source_dataset", D, False), ("source_id", pa.string(), True),
    ("date_start", pa.date32(), False), ("date_end", pa.date32(), False), ("date_precision", D, False),
    ("time_utc", pa.timestamp("ms", tz="UTC"), True), ("year", pa.int16(), False),
    ("country_iso3", D, False), ("country", D, False), ("admin1", pa.string(), True),
    ("admin2", pa.string(), True), ("location", pa.string(), True), ("latitude", pa.float64(), True),
    ("longitude", pa.float64(), True), ("geo_precision", D, False), ("event_type", D, False),
    ("sub_event_type", D, True), ("source_event_type", pa.string(), True), ("violence_type", D, True),
    ("actor1", pa.string(), True), ("actor2", pa.string(), True), ("assoc_actors", L, False),
    ("claimed_by", pa.string(), True),
] + [(c, pa.int32(), True) for c in (
    "fatalities_best", "fatalities_low", "fatalities_high", "fatalities_actor1", "fatalities_actor2",
    "fatalities_civilians", "fatalities_unknown", "injured_best", "injured_low", "injured_high",
    "detained_best", "detained_low", "detained_high")] + [
    ("sources", L, False), ("source_count", pa.int16(), False), ("notes", pa.string(), True),
]
COUNTRIES = {"AFG": "Afghanistan", "TJK": "Tajikistan", "UZB": "Uzbekistan"}
EVENT_TYPES = ["battles", "riots", "protests", "violence_against_civilians"]


def _rows():
    rng = np.random.default_rng(5)
    epoch = datetime.date(1970, 1, 1)
    rows = []
    for i in range(N):
        iso3 = str(rng.choice(list(COUNTRIES)))
        start = datetime.date(2012, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 8 * 365)))
        if iso3 == "UZB" and start.year == 2016:  # a quiet year: empty months must count as zero
            start = start.replace(year=2017)
        best = None if rng.random() < 0.12 else int(rng.zipf(2.2)) - 1
        low = None if best is None else best - int(rng.integers(0, best + 1))
        high = None if best is None else best + int(rng.integers(0, 30))
        a1 = None if best is None else best // 3
        row = {name: None for name, _, _ in TYPES}
        row.update(
            incident_id=f"t:{i}", source_dataset="test", source_id=str(i), date_start=start, date_end=start,
            date_precision="day", year=start.year, country_iso3=iso3, country=COUNTRIES[iso3],
            admin1=str(rng.choice(["North", "South", None])), geo_precision="admin1",
            event_type=str(rng.choice(EVENT_TYPES)), assoc_actors=[], sources=["test"], source_count=1,
            fatalities_best=best, fatalities_low=low, fatalities_high=high, fatalities_actor1=a1,
            fatalities_civilians=None if best is None else best - a1,
            injured_best=None if rng.random() < 0.4 else int(rng.integers(0, 50)),
            detained_best=None if rng.random() < 0.8 else int(rng.integers(0, 5)),
        )
        if row["admin1"] == "None":
            row["admin1"] = None
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    rows = _rows()
    schema = pa.schema([pa.field(n, t, nullable=nl) for n, t, nl in TYPES],
                       metadata={"incidents.schema_version": "1"})
    table = pa.Table.from_pylist(rows, schema=schema)
    d = tmp_path_factory.mktemp("stats")
    parquet = d / "events.parquet"
    pq.write_table(table, parquet)
    jsonl = d / "events.jsonl"
    with open(jsonl, "w") as f:
        for r in rows:
            r = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in r.items()}
            f.write(json.dumps(r) + "\n")
    return {"parquet": parquet, "jsonl": jsonl}


def _duck(sql, parquet):
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{parquet}')")
    cur = con.execute(sql)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _q(col):
    return f"""count(*) FILTER (WHERE {col}_best IS NULL) AS {col}_null,
      count(*) FILTER (WHERE {col}_best IS NULL) / count(*) AS {col}_null_share,
      count(*) FILTER (WHERE {col}_best >= 1) AS {col}_events,
      coalesce(sum({col}_best), 0)::BIGINT AS {col}_best_sum, avg({col}_best) AS {col}_mean,
      stddev_samp({col}_best) AS {col}_std, quantile_cont({col}_best::DOUBLE, 0.5) AS {col}_median,
      quantile_cont({col}_best::DOUBLE, 0.9) AS {col}_p90, quantile_cont({col}_best::DOUBLE, 0.99) AS {col}_p99,
      max({col}_best) AS {col}_max"""


SUMMARY = f"""SELECT country_iso3, year, count(*) AS events, {_q('fatalities')},
  coalesce(sum(fatalities_low), 0)::BIGINT AS fatalities_low_sum,
  coalesce(sum(fatalities_high), 0)::BIGINT AS fatalities_high_sum,
  coalesce(sum(fatalities_actor1), 0)::BIGINT AS fatalities_actor1_sum,
  coalesce(sum(fatalities_civilians), 0)::BIGINT AS fatalities_civilians_sum,
  {_q('injured')}, {_q('detained')}
FROM t {{where}} GROUP BY ALL ORDER BY ALL"""

MONTHLY = """WITH m AS (SELECT country_iso3, year(date_start) * 12 + month(date_start) - 1 AS k, count(*) AS n
                 FROM t GROUP BY ALL),
r AS (SELECT country_iso3, min(k) AS lo, max(k) AS hi FROM m GROUP BY ALL),
g AS (SELECT country_iso3, lo, unnest(generate_series(lo, hi)) AS k FROM r),
f AS (SELECT g.country_iso3, g.k - g.lo AS x, coalesce(m.n, 0) AS n
      FROM g LEFT JOIN m ON m.country_iso3 = g.country_iso3 AND m.k = g.k)
SELECT country_iso3, count(*) AS periods, avg(n) AS events_per_period,
  var_samp(n) / avg(n) AS dispersion, regr_slope(n, x) AS trend_slope
FROM f GROUP BY ALL ORDER BY ALL"""


def _compare(got, want, keys):
    assert [tuple(g[k] for k in keys) for g in got] == [tuple(w[k] for k in keys) for w in want]
    for g, w in zip(got, want):
        for name, v in w.items():
            if name in keys:
                continue
            if v is None:
                assert g[name] is None, (g, name)
            elif isinstance(v, int):
                assert g[name] == v, (keys, name, g[name], v)
            else:
                assert math.isclose(g[name], v, rel_tol=1e-9, abs_tol=1e-9), (name, g[name], v)


def _check(run, path, parquet):
    got = json.loads(run("stats", "--by", "country_iso3,year", "--format", "json", path).stdout)
    _compare(got, _duck(SUMMARY.format(where=""), parquet), ["country_iso3", "year"])

    got = json.loads(run("stats", "--by", "country_iso3,year", "--where", "year>=2015",
                         "--where", "country_iso3=TJK,UZB", "--format", "json", path).stdout)
    want = _duck(SUMMARY.format(where="WHERE year >= 2015 AND country_iso3 IN ('TJK', 'UZB')"), parquet)
    _compare(got, want, ["country_iso3", "year"])

    got = json.loads(run("stats", "--by", "country_iso3", "--period", "month", "--format", "json", path).stdout)
    _compare(got, _duck(MONTHLY, parquet), ["country_iso3"])

    # the counts per month, empty months included, sum to the events
    series = json.loads(run("stats", "--by", "country_iso3", "--period", "month", "--series",
                            "--format", "json", path).stdout)
    uzb = [r for r in series if r["country_iso3"] == "UZB"]
    assert any(r["events"] == 0 for r in uzb)
    assert sum(r["events"] for r in series) == N


def test_stats_matches_duckdb_on_parquet(run, events):
    _check(run, events["parquet"], events["parquet"])


def test_stats_matches_duckdb_on_normalized_jsonl(run, events):
    # the same rows as JSON Lines of normalized incidents, read through export
    _check(run, events["jsonl"], events["parquet"])


def test_stats_csv_and_json_agree(run, events):
    path = events["parquet"]
    js = json.loads(run("stats", "--by", "event_type", "--format", "json", path).stdout)
    csv = run("stats", "--by", "event_type", "--format", "csv", path).stdout.splitlines()
    assert csv[0].split(",") == list(js[0].keys())
    assert len(csv) == len(js) + 1
