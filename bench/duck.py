"""DuckDB side of the benchmark, run as a child process so that its wall time
and peak RSS are measured exactly as the incidents binary's are.

    python bench/duck.py copy     IN.csv OUT.parquet  --threads 2
    python bench/duck.py stats-parquet IN.parquet     --threads 2 [--raw]
    python bench/duck.py stats-csv     IN.csv         --threads 2
    python bench/duck.py link-candidates A.parquet B.parquet ... --threads 2 [--days 2 --km 25]
    python bench/duck.py noop                                    (startup cost)

Prints one JSON object: the query's own time (inside DuckDB, without the
Python start-up and import) and the result's row count.
"""
import argparse
import json
import sys
import time


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


# The statistics incidents stats computes per group, in DuckDB's words:
# quantile_cont is R's type 7, the same definition incidents uses.
def stats_sql(src, key, value):
    return f"""
        SELECT {key}, count(*) AS events, sum({value}) AS fatalities_sum,
               avg({value}) AS fatalities_mean, stddev_samp({value}) AS fatalities_sd,
               quantile_cont({value}, 0.5) AS fatalities_p50,
               quantile_cont({value}, 0.9) AS fatalities_p90,
               quantile_cont({value}, 0.99) AS fatalities_p99
        FROM {src} GROUP BY ALL ORDER BY ALL"""


# The candidates of 'incidents link' between point events (coordinates at
# exact, near or admin2 precision: its "point" basis) the way a DuckDB user
# would find them: each event spread over the days of its date range (the
# left one widened by the window), an equi-join on country and day, the
# distinct pairs of different datasets, then the haversine rule with the
# precision radii (near 25 km, admin2 50 km). The count must equal link's
# "point" candidates.
def link_sql(paths, days, km):
    files = "[" + ", ".join(sql_str(p) for p in paths) + "]"
    return f"""
        WITH e AS (
            SELECT incident_id AS id, source_dataset AS ds, country_iso3::VARCHAR AS c, date_start AS s, date_end AS en,
                   latitude AS lat, longitude AS lon,
                   CASE geo_precision::VARCHAR WHEN 'near' THEN 25 WHEN 'admin2' THEN 50 ELSE 0 END AS r
            FROM read_parquet({files})
            WHERE latitude IS NOT NULL AND longitude IS NOT NULL
              AND geo_precision::VARCHAR IN ('exact', 'near', 'admin2')),
        l AS (SELECT *, unnest(generate_series(s - {days}, greatest(en, s) + {days}, INTERVAL 1 DAY))::DATE AS d FROM e),
        r AS (SELECT *, unnest(generate_series(s, greatest(en, s), INTERVAL 1 DAY))::DATE AS d FROM e),
        p AS (SELECT DISTINCT l.id AS a, r.id AS b, l.lat AS lat1, l.lon AS lon1, r.lat AS lat2, r.lon AS lon2, l.r + r.r AS rr
              FROM l JOIN r ON l.c = r.c AND l.d = r.d AND l.ds::VARCHAR < r.ds::VARCHAR)
        SELECT count(*) FROM p
        WHERE 2 * 6371.0088 * asin(least(1, sqrt(pow(sin(radians(lat2 - lat1) / 2), 2)
              + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)))) <= {km} + rr"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=["copy", "stats-parquet", "stats-csv", "link-candidates", "noop"])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--raw", action="store_true",
                    help="stats-parquet on DuckDB's own copy of the raw CSV (iso, year, fatalities)")
    ap.add_argument("--days", type=int, default=2)
    ap.add_argument("--km", type=float, default=25)
    a = ap.parse_intermixed_args()

    import duckdb  # imported here so that 'noop' measures the import too

    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    con.execute("SET preserve_insertion_order = true")
    t0 = time.perf_counter()
    rows = 0
    if a.op == "copy":
        src, dst = a.paths
        con.execute(f"COPY (SELECT * FROM read_csv({sql_str(src)})) TO {sql_str(dst)} "
                    "(FORMAT parquet, COMPRESSION zstd)")
        t1 = time.perf_counter()
        rows = con.execute(f"SELECT count(*) FROM read_parquet({sql_str(dst)})").fetchone()[0]
    elif a.op == "stats-parquet":
        src = f"read_parquet({sql_str(a.paths[0])})"
        if a.raw:
            res = con.execute(stats_sql(src, "iso, year", "try_cast(fatalities AS INTEGER)")).fetchall()
        else:
            res = con.execute(stats_sql(src, "country_iso3, year", "fatalities_best")).fetchall()
        t1 = time.perf_counter()
        rows = len(res)
    elif a.op == "stats-csv":
        src = f"read_csv({sql_str(a.paths[0])})"
        res = con.execute(stats_sql(src, "iso, year", "try_cast(fatalities AS INTEGER)")).fetchall()
        t1 = time.perf_counter()
        rows = len(res)
    elif a.op == "link-candidates":
        rows = con.execute(link_sql(a.paths, a.days, a.km)).fetchone()[0]
        t1 = time.perf_counter()
    else:
        t1 = time.perf_counter()
    json.dump({"query_seconds": t1 - t0, "rows": rows, "duckdb": duckdb.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
