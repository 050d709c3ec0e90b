"""incidents diff against DuckDB (issue 15): a later release made from a
normalized generated one (bench/duck_diff.py next: deletions, revisions of
an int, a text, a float by 1e-9 and a value made null, additions), then
incidents diff's change file and summary beside DuckDB's FULL OUTER JOIN on
incident_id with IS DISTINCT FROM on every column."""
import json
import pathlib
import re
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import duck_diff  # noqa: E402


def test_diff_matches_duckdb_full_outer_join(run, tmp_path):
    raw = tmp_path / "acled.csv"
    old = tmp_path / "old.parquet"
    new = tmp_path / "new.parquet"
    changes = tmp_path / "changes.parquet"
    run("gen", "--layout", "acled", "-n", "30000", "--seed", "5", "-o", raw)
    run("normalize", "-q", "-o", old, raw)
    duck_diff.make_next(str(old), str(new), "7")
    res = run("diff", "--by", "country_iso3,year", "-o", changes, old, new)
    want = duck_diff.join(str(old), str(new), 2)
    assert want["added"] > 100 and want["deleted"] > 50 and want["revised"] > 300
    assert set(want["columns"]) == {"fatalities_best", "notes", "latitude", "admin2"}

    con = duckdb.connect()
    got = dict(con.sql(f"SELECT change, count(DISTINCT incident_id) FROM read_parquet('{changes}') GROUP BY ALL").fetchall())
    assert got.get("added", 0) == want["added"]
    assert got.get("deleted", 0) == want["deleted"]
    assert got.get("revised", 0) == want["revised"]
    cols = dict(con.sql(f"SELECT \"column\", count(*) FROM read_parquet('{changes}') WHERE change = 'revised' GROUP BY ALL").fetchall())
    assert cols == want["columns"]

    # the same (incident_id, column) pairs, with DuckDB's old and new values
    ours = set(con.sql(f"SELECT incident_id, \"column\", old, new FROM read_parquet('{changes}') WHERE \"column\" = 'fatalities_best'").fetchall())
    theirs = set(con.sql(f"""
        SELECT incident_id, 'fatalities_best', o.fatalities_best::VARCHAR, n.fatalities_best::VARCHAR
        FROM read_parquet('{old}') o JOIN read_parquet('{new}') n USING (incident_id)
        WHERE o.fatalities_best IS DISTINCT FROM n.fatalities_best""").fetchall())
    assert ours == theirs
    nulled = con.sql(f"SELECT count(*) FROM read_parquet('{changes}') WHERE \"column\" = 'admin2' AND new IS NULL AND old IS NOT NULL").fetchall()[0][0]
    assert nulled == want["columns"]["admin2"]

    # the summary's count line and totals
    out = re.sub(r"(?<=\d),(?=\d{3})", "", res.stdout)
    m = re.search(r"(\d+) incidents changed: (\d+) added, (\d+) deleted, (\d+) revised; (\d+) unchanged", out)
    assert m, out
    assert [int(x) for x in m.groups()[1:]] == [want["added"], want["deleted"], want["revised"], want["unchanged"]]
    m = re.search(r"fatalities_best (\d+) -> (\d+)", out)
    assert [int(x) for x in m.groups()] == [want["fatalities_old"], want["fatalities_new"]]

    # the net effect per country and year, against GROUP BY on each release
    net = {}
    section = out.split("net effect by country_iso3, year")[1].splitlines()[2:]
    for line in section:
        f = line.split()
        if len(f) != 8:
            continue
        net[(f[0], int(f[1]))] = (int(f[2]), int(f[3]), int(f[5]), int(f[6]))
    q = lambda p: {(r[0], r[1]): (r[2], r[3]) for r in con.sql(
        f"SELECT country_iso3, year, count(*), coalesce(sum(fatalities_best), 0) FROM read_parquet('{p}') GROUP BY ALL").fetchall()}
    o, n = q(old), q(new)
    keys = set(o) | set(n)
    assert set(net) == keys
    for k in keys:
        assert net[k] == (o.get(k, (0, 0))[0], n.get(k, (0, 0))[0], o.get(k, (0, 0))[1], n.get(k, (0, 0))[1]), k


def test_diff_same_release_is_empty(run, tmp_path):
    raw = tmp_path / "acled.csv"
    old = tmp_path / "old.parquet"
    run("gen", "--layout", "acled", "-n", "5000", "--seed", "9", "-o", raw)
    run("normalize", "-q", "-o", old, raw)
    # the same rows in another order, written by pyarrow
    t = pq.read_table(old)
    shuffled = tmp_path / "shuffled.parquet"
    pq.write_table(t.take(list(range(t.num_rows))[::-1]), shuffled)
    res = run("diff", old, shuffled)
    assert res.stdout.startswith("no changes: 5,000 incidents"), res.stdout
