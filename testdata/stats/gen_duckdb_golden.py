"""Generate testdata/stats/duckdb_golden.json: DuckDB's answers for the
synthetic dataset that stats/golden_test.go builds.

The dataset comes from a splitmix64 stream that the Go test implements
identically; both write it as the same CSV bytes, and the golden file
records the CSV's SHA-256 so the Go test proves it computed over the very
rows DuckDB read. Run from the repository root:

    .venv/bin/python testdata/stats/gen_duckdb_golden.py
"""
import hashlib
import json
import os
import pathlib
import tempfile

import duckdb
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "testdata" / "stats" / "duckdb_golden.json"
N = 5000
SEED = 20261127
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


HEADER = ("incident_id,country_iso3,year,date_start,event_type,fatalities_best,fatalities_low,"
          "fatalities_high,fatalities_actor1,fatalities_civilians,injured_best,detained_best")


def dataset_csv():
    """The rows, as stats/golden_test.go's goldenDataset makes them."""
    rng = SplitMix64(SEED)
    countries = ["AFG", "TJK", "UZB", "KGZ"]
    types = ["battles", "riots", "protests", "violence_against_civilians"]
    lines = [HEADER]

    def cell(v):
        return "" if v is None else str(v)

    for i in range(N):
        country = countries[rng.next() % 4]
        year = 2010 + rng.next() % 10
        month = 1 + rng.next() % 12
        day = 1 + rng.next() % 28
        etype = types[rng.next() % 4]
        r = rng.next() % 100
        best = low = high = a1 = civ = None
        if r >= 12:
            if r == 99:
                best = 2147483647 - rng.next() % 1000
            elif r < 20:
                best = rng.next() % 1000
            else:
                best = rng.next() % 20
            low = best - rng.next() % (best + 1)
            high = min(best + rng.next() % 50, 2147483647)
            a1 = best // 3
            civ = best - a1
        injured = None if rng.next() % 10 < 3 else rng.next() % 30
        detained = None if rng.next() % 10 < 7 else rng.next() % 5
        lines.append(",".join([f"g:{i}", country, str(year), f"{year:04d}-{month:02d}-{day:02d}", etype,
                               cell(best), cell(low), cell(high), cell(a1), cell(civ), cell(injured), cell(detained)]))
    return "\n".join(lines) + "\n"


COLUMNS = {
    "incident_id": "VARCHAR", "country_iso3": "VARCHAR", "year": "SMALLINT", "date_start": "DATE",
    "event_type": "VARCHAR", "fatalities_best": "INTEGER", "fatalities_low": "INTEGER",
    "fatalities_high": "INTEGER", "fatalities_actor1": "INTEGER", "fatalities_civilians": "INTEGER",
    "injured_best": "INTEGER", "detained_best": "INTEGER",
}


def quantity(q):
    b = f"{q}_best"
    return f"""
      count(*) FILTER (WHERE {b} IS NULL) AS {q}_null,
      count(*) FILTER (WHERE {b} >= 1) AS {q}_events,
      coalesce(sum({b}), 0)::BIGINT AS {q}_best_sum,
      avg({b}) AS {q}_mean,
      stddev_samp({b}) AS {q}_std,
      quantile_cont({b}::DOUBLE, 0.5) AS {q}_median,
      quantile_cont({b}::DOUBLE, 0.9) AS {q}_p90,
      quantile_cont({b}::DOUBLE, 0.99) AS {q}_p99,
      max({b}) AS {q}_max"""


def summary_sql(by):
    keys = ", ".join(by)
    sel = (keys + ",") if by else ""
    group = f"GROUP BY {keys} ORDER BY {keys}" if by else ""
    return f"""
    SELECT {sel}
      count(*) AS events,
      {quantity('fatalities')},
      coalesce(sum(fatalities_low), 0)::BIGINT AS fatalities_low_sum,
      coalesce(sum(fatalities_high), 0)::BIGINT AS fatalities_high_sum,
      coalesce(sum(fatalities_actor1), 0)::BIGINT AS fatalities_actor1_sum,
      coalesce(sum(fatalities_civilians), 0)::BIGINT AS fatalities_civilians_sum,
      {quantity('injured')},
      {quantity('detained')}
    FROM t {group}"""


MONTHLY_SQL = """
WITH m AS (
  SELECT country_iso3, year(date_start) * 12 + month(date_start) - 1 AS k, count(*) AS n
  FROM t GROUP BY ALL),
r AS (SELECT country_iso3, min(k) AS lo, max(k) AS hi FROM m GROUP BY ALL),
g AS (SELECT country_iso3, lo, unnest(generate_series(lo, hi)) AS k FROM r),
filled AS (
  SELECT g.country_iso3, g.k - g.lo AS x, coalesce(m.n, 0) AS n
  FROM g LEFT JOIN m ON m.country_iso3 = g.country_iso3 AND m.k = g.k)
SELECT country_iso3, count(*) AS periods, avg(n) AS events_per_period,
  var_samp(n) / avg(n) AS dispersion, regr_slope(n, x) AS trend_slope
FROM filled GROUP BY ALL ORDER BY ALL"""


def rows(con, sql):
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    out = []
    for rec in cur.fetchall():
        row = {}
        for k, v in zip(names, rec):
            row[k] = v if not isinstance(v, (np.integer,)) else int(v)
        out.append(row)
    return out


def quantile_cases(con):
    rng = SplitMix64(7)
    arrays = [[1, 2, 3, 4, 10], [7], [0, 0, 0, 5], [5, 5, 5, 5],
              [int(rng.next() % 1000) for _ in range(101)], [int(rng.next() % 2147483647) for _ in range(64)]]
    ps = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1]
    cases = []
    for a in arrays:
        for p in ps:
            duck = con.execute("SELECT quantile_cont(v::DOUBLE, ?) FROM (SELECT unnest(?::BIGINT[]) AS v)", [p, a]).fetchone()[0]
            cases.append({"values": a, "p": p, "duckdb": duck, "numpy": float(np.quantile(np.array(a, dtype=float), p))})
    return cases


def main():
    text = dataset_csv()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "golden.csv")
        with open(path, "w", newline="") as f:
            f.write(text)
        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv(?, header=true, columns={COLUMNS!r})", [path])
        golden = {
            "generator": "testdata/stats/gen_duckdb_golden.py",
            "duckdb_version": duckdb.__version__,
            "rows": N,
            "csv_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "all": rows(con, summary_sql([]))[0],
            "by_country_year": rows(con, summary_sql(["country_iso3", "year"])),
            "by_event_type": rows(con, summary_sql(["event_type"])),
            "monthly_by_country": rows(con, MONTHLY_SQL),
            "quantiles": quantile_cases(con),
        }
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT}: {N} rows, sha256 {golden['csv_sha256'][:12]}")


if __name__ == "__main__":
    main()
