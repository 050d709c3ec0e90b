"""DuckDB side of the benchmark, run as a child process so that its wall time
and peak RSS are measured exactly as the incidents binary's are.

    python bench/duck.py copy     IN.csv OUT.parquet  --threads 2
    python bench/duck.py stats-parquet IN.parquet     --threads 2 [--raw]
    python bench/duck.py stats-csv     IN.csv         --threads 2
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=["copy", "stats-parquet", "stats-csv", "noop"])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--raw", action="store_true",
                    help="stats-parquet on DuckDB's own copy of the raw CSV (iso, year, fatalities)")
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
    else:
        t1 = time.perf_counter()
    json.dump({"query_seconds": t1 - t0, "rows": rows, "duckdb": duckdb.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
