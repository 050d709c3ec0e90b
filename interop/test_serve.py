"""incidents serve answers what DuckDB computes from the same Parquet file.

A server is started on a free loopback port over 5,000 generated ACLED rows
normalized to Parquet; /api/stats, /api/incidents (JSON pages and Parquet) and
/api/series are compared with DuckDB SQL on that file, and SIGTERM stops the
server with exit status 0.
"""
import io
import json
import math
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import duckdb
import pyarrow.parquet as pq
import pytest


@pytest.fixture(scope="module")
def server(tmp_path_factory, incidents_bin):
    d = tmp_path_factory.mktemp("serve")
    raw, parquet = d / "acled.csv", d / "events.parquet"
    subprocess.run([incidents_bin, "gen", "--layout", "acled", "-n", "5000", "--seed", "3", "-o", raw], check=True)
    subprocess.run([incidents_bin, "normalize", "-q", "-o", parquet, raw], check=True, capture_output=True)
    p = subprocess.Popen([incidents_bin, "serve", "--addr", "127.0.0.1:0", "--log", "json", parquet],
                         stderr=subprocess.PIPE, text=True)
    url, lines = None, []
    found = threading.Event()

    def read():
        nonlocal url
        for line in p.stderr:
            lines.append(line)
            m = re.search(r'"url":"(http://127\.0\.0\.1:\d+)/"', line)
            if m and url is None:
                url = m.group(1)
                found.set()
    threading.Thread(target=read, daemon=True).start()
    if not found.wait(60):
        p.kill()
        raise AssertionError("serve did not log its url: " + "".join(lines))
    yield {"url": url, "parquet": str(parquet), "proc": p, "log": lines}
    if p.poll() is None:
        p.kill()
        p.wait()


def get(server, path, **params):
    q = urllib.parse.urlencode([(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])])
    with urllib.request.urlopen(server["url"] + path + ("?" + q if q else ""), timeout=120) as r:
        return r.status, dict(r.headers), r.read()


def duck(server, sql):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con.execute(sql.replace("EVENTS", f"read_parquet('{server['parquet']}')")).fetchall()


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("where,sql", [
    ([], "TRUE"),
    (["year>=2015", "event_type=battles,riots"], "year >= 2015 AND event_type IN ('battles', 'riots')"),
    (["fatalities_best>0"], "fatalities_best > 0"),
])
def test_stats_by_country(server, where, sql):
    status, _, body = get(server, "/api/stats", by="country_iso3", where=where,
                          stats="events,fatalities_best_sum,fatalities_mean,fatalities_median,fatalities_p90,fatalities_null")
    assert status == 200
    ours = {r["country_iso3"]: r for r in json.loads(body)}
    want = duck(server, f"""SELECT country_iso3, count(*), sum(fatalities_best), avg(fatalities_best),
        quantile_cont(fatalities_best, 0.5), quantile_cont(fatalities_best, 0.9), count(*) - count(fatalities_best)
        FROM EVENTS WHERE {sql} GROUP BY ALL""")
    assert len(want) == len(ours) > 0
    for iso3, n, s, mean, med, p90, nulls in want:
        r = ours[iso3]
        assert r["events"] == n and r["fatalities_best_sum"] == (s or 0) and r["fatalities_null"] == nulls, iso3
        assert close(r["fatalities_mean"], mean) and close(r["fatalities_median"], med) and close(r["fatalities_p90"], p90), iso3


def test_incidents_pages_and_parquet(server):
    where = ["country_iso3=SYR,YEM", "fatalities_best>=1"]
    want = [r[0] for r in duck(server, """SELECT incident_id FROM EVENTS
        WHERE country_iso3 IN ('SYR', 'YEM') AND fatalities_best >= 1""")]
    assert len(want) > 20
    # JSON pages of 7, followed by their Link headers
    got, path, params, pages = [], "/api/incidents", {"where": where, "columns": "incident_id,fatalities_best", "limit": "7"}, 0
    while True:
        status, headers, body = get(server, path, **params)
        assert status == 200
        rows = json.loads(body)
        assert all(r["fatalities_best"] >= 1 and set(r) == {"incident_id", "fatalities_best"} for r in rows)
        got += [r["incident_id"] for r in rows]
        pages += 1
        link = headers.get("Link")
        if not link:
            break
        nxt = urllib.parse.urlsplit(re.match(r"<([^>]+)>", link).group(1))
        path, params = nxt.path, urllib.parse.parse_qs(nxt.query)
    assert got == want and pages == math.ceil(len(want) / 7)
    # the same rows as one Parquet file that pyarrow reads with the schema's types
    status, headers, body = get(server, "/api/incidents", where=where, limit="10000", format="parquet",
                                columns="incident_id,date_start,country_iso3,fatalities_best,assoc_actors")
    assert status == 200 and headers["Content-Type"] == "application/vnd.apache.parquet"
    t = pq.read_table(io.BytesIO(body))
    assert t.column("incident_id").to_pylist() == want
    assert str(t.schema.field("date_start").type) == "date32[day]"
    assert str(t.schema.field("fatalities_best").type) == "int32"
    assert str(t.schema.field("assoc_actors").type).startswith("list<")


def test_series_monthly(server):
    status, _, body = get(server, "/api/series", period="month", where="country_iso3=SYR")
    assert status == 200
    rows = json.loads(body)
    want = dict(duck(server, """SELECT strftime(date_trunc('month', date_start), '%Y-%m'), count(*)
        FROM EVENTS WHERE country_iso3 = 'SYR' GROUP BY ALL"""))
    first, last = min(want), max(want)
    assert rows[0]["period"] == first and rows[-1]["period"] == last
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    assert len(rows) == months  # every month of the span, empty ones as zero
    for r in rows:
        assert r["time"] == r["period"] + "-01T00:00:00Z"
        assert r["events"] == want.get(r["period"], 0)


def test_sigterm_stops_cleanly(server):
    p = server["proc"]
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=30) == 0
    time.sleep(0.2)
    assert any('"msg":"stopped"' in line for line in server["log"])
