"""polars side of the benchmark, run as a child process so that its wall time
and peak RSS are measured exactly as the incidents binary's are.

    python bench/pol.py copy          IN.csv OUT.parquet
    python bench/pol.py stats-parquet IN.parquet
    python bench/pol.py stats-csv     IN.csv
    python bench/pol.py noop                          (startup cost)

polars uses all cores (its thread pool is sized from the machine: 2 here).
Prints one JSON object: the query's own time (without the Python start-up
and import) and the result's row count.
"""
import argparse
import json
import sys
import time


def stats_query(lf, keys, value):
    """The statistics incidents stats computes per group, in polars' words:
    quantile(..., "linear") is R's type 7, the definition incidents uses."""
    import polars as pl
    v = pl.col(value)
    return (lf.group_by(keys)
            .agg(pl.len().alias("events"), v.sum().alias("fatalities_sum"), v.mean().alias("fatalities_mean"),
                 v.std().alias("fatalities_sd"),
                 v.quantile(0.5, "linear").alias("fatalities_p50"),
                 v.quantile(0.9, "linear").alias("fatalities_p90"),
                 v.quantile(0.99, "linear").alias("fatalities_p99"))
            .sort(keys))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=["copy", "stats-parquet", "stats-csv", "noop"])
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()

    import polars as pl  # imported here so that 'noop' measures the import too

    t0 = time.perf_counter()
    rows = 0
    if a.op == "copy":
        src, dst = a.paths
        pl.scan_csv(src).sink_parquet(dst, compression="zstd")
        t1 = time.perf_counter()
        rows = pl.scan_parquet(dst).select(pl.len()).collect().item()
    elif a.op == "stats-parquet":
        res = stats_query(pl.scan_parquet(a.paths[0]), ["country_iso3", "year"], "fatalities_best").collect()
        t1 = time.perf_counter()
        rows = res.height
    elif a.op == "stats-csv":
        # ACLED's raw columns: the numeric iso and year (no country mapping).
        res = stats_query(pl.scan_csv(a.paths[0]), ["iso", "year"], "fatalities").collect()
        t1 = time.perf_counter()
        rows = res.height
    else:
        t1 = time.perf_counter()
    json.dump({"query_seconds": t1 - t0, "rows": rows, "polars": pl.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
