"""DuckDB's side of `incidents diff` (issue 15), for make bench and the
interop test: what a user would write instead, a FULL OUTER JOIN of the two
releases on incident_id comparing every column with IS DISTINCT FROM.

    python bench/duck_diff.py next OLD.parquet NEW.parquet [--seed S]   # make a later release
    python bench/duck_diff.py join OLD.parquet NEW.parquet --threads 2  # the counts, as JSON

`next` writes NEW from OLD with pyarrow in OLD's exact schema (DuckDB's own
Parquet writer stores timestamps in microseconds, which incidents refuses as
not its schema): 0.5% of incidents deleted, 2% with fatalities_best changed
(half of them with notes corrected too, 1 in 10 with their latitude moved by
1e-9 degrees, 1 in 20 with admin2 made null), 1% added (copies with new ids).
`join` prints {"added", "deleted", "revised", "unchanged", "columns": {col: n},
"fatalities_old", "fatalities_new", "seconds"}.
"""
import argparse
import json
import sys
import time


def columns(con, path):
    return [r[0] for r in con.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()]


def make_next(old, new, seed):
    import duckdb
    import pyarrow.parquet as pq
    con = duckdb.connect()
    h = f"hash(incident_id || '{seed}')"
    t = con.sql(f"""
      SELECT * REPLACE (
          CASE WHEN {h} % 100 < 2 THEN coalesce(fatalities_best, 0) + 1 ELSE fatalities_best END AS fatalities_best,
          CASE WHEN {h} % 100 < 1 THEN notes || ' [revised]' ELSE notes END AS notes,
          CASE WHEN {h} % 1000 < 2 THEN latitude + 1e-9 ELSE latitude END AS latitude,
          CASE WHEN {h} % 1000 = 3 THEN NULL ELSE admin2 END AS admin2)
      FROM read_parquet('{old}') WHERE {h} % 200 <> 199
      UNION ALL
      SELECT * REPLACE (incident_id || '-b' AS incident_id) FROM read_parquet('{old}') WHERE {h} % 100 = 50
    """).arrow()
    if hasattr(t, "read_all"):
        t = t.read_all()
    # 64Ki-row groups, as incidents writes them (pyarrow's default of 1Mi rows makes
    # any streaming reader hold far more per row group)
    pq.write_table(t.cast(pq.read_schema(old)), new, compression="zstd", row_group_size=1 << 16)


def join_sql(old, new, cols):
    distinct = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in cols if c != "incident_id")
    per_col = ", ".join(f"count(*) FILTER (WHERE o.incident_id IS NOT NULL AND n.incident_id IS NOT NULL AND o.{c} IS DISTINCT FROM n.{c}) AS \"{c}\""
                        for c in cols if c != "incident_id")
    return f"""
      SELECT count(*) FILTER (WHERE o.incident_id IS NULL) AS added,
             count(*) FILTER (WHERE n.incident_id IS NULL) AS deleted,
             count(*) FILTER (WHERE o.incident_id IS NOT NULL AND n.incident_id IS NOT NULL AND ({distinct})) AS revised,
             count(*) FILTER (WHERE o.incident_id IS NOT NULL AND n.incident_id IS NOT NULL AND NOT ({distinct})) AS unchanged,
             sum(o.fatalities_best) AS fatalities_old, sum(n.fatalities_best) AS fatalities_new,
             {per_col}
      FROM read_parquet('{old}') o FULL OUTER JOIN read_parquet('{new}') n USING (incident_id)"""


def join(old, new, threads):
    import duckdb
    con = duckdb.connect()
    con.sql(f"SET threads = {threads}")
    cols = columns(con, old)
    t0 = time.perf_counter()
    rel = con.sql(join_sql(old, new, cols))
    names = rel.columns
    row = rel.fetchall()[0]
    secs = time.perf_counter() - t0
    d = dict(zip(names, row))
    out = {k: int(d.pop(k) or 0) for k in ("added", "deleted", "revised", "unchanged", "fatalities_old", "fatalities_new")}
    out["columns"] = {k: int(v) for k, v in d.items() if v}
    out["seconds"] = secs
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=["next", "join"])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.op == "next":
        make_next(a.old, a.new, a.seed)
    else:
        json.dump(join(a.old, a.new, a.threads), sys.stdout)
        print()


if __name__ == "__main__":
    main()
