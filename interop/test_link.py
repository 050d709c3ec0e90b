"""incidents link checked by DuckDB and pandas on generated data.

- the candidates between point events (link's "point" basis) are counted by
  a DuckDB self-join written independently (bench/duck.py's link_sql: days
  unnested, an equi-join on country and day, the haversine in SQL): the
  counts must be equal;
- every link is within the windows (same country, dates at most --days
  apart, the haversine distance recomputed in numpy within --km plus the
  precision radii), its score in [min_score, 1], and no event is linked to
  two events of one other dataset (links are one-to-one);
- the clusters are the links' connected components, recomputed here, with
  the representative chosen by the documented rule (lower median of
  fatalities_best, then finest date and geo precision, then first in input).
"""
import math
import pathlib
import re
import sys

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from duck import link_sql  # noqa: E402

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def linked(tmp_path_factory, incidents_bin):
    import subprocess
    d = tmp_path_factory.mktemp("link")

    def run(*args):
        return subprocess.run([incidents_bin, *map(str, args)], capture_output=True, text=True, check=True)

    files = []
    for layout, n, seed in (("acled", 60000, 3), ("ucdp-ged", 12000, 4), ("gtd", 6000, 5)):
        raw = d / f"{layout}.csv"
        run("gen", "--layout", layout, "-n", n, "--seed", seed, "-o", raw)
        out = d / f"{layout}.parquet"
        run("normalize", "-q", "-o", out, raw)
        files.append(out)
    links, clusters = d / "links.parquet", d / "clusters.parquet"
    res = run("link", "-o", links, "--clusters", clusters, *files)
    return files, links, clusters, res.stderr


def test_point_candidates_match_duckdb(linked):
    files, _, _, summary = linked
    m = re.search(r"point (\d+)", summary)
    assert m, summary
    con = duckdb.connect()
    n = con.execute(link_sql([str(f) for f in files], 2, 25)).fetchone()[0]
    assert int(m.group(1)) == n, summary
    assert n > 100  # the check compares something


def haversine(lat1, lon1, lat2, lon2):
    r = math.pi / 180
    s = np.sin((lat2 - lat1) * r / 2) ** 2 + np.cos(lat1 * r) * np.cos(lat2 * r) * np.sin((lon2 - lon1) * r / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.minimum(1, np.sqrt(s)))


def events(files):
    cols = ["incident_id", "source_dataset", "country_iso3", "date_start", "date_end", "date_precision",
            "latitude", "longitude", "geo_precision", "fatalities_best"]
    df = pd.concat([pq.read_table(f, columns=cols).to_pandas() for f in files], ignore_index=True)
    for c in ("source_dataset", "country_iso3", "date_precision", "geo_precision"):
        df[c] = df[c].astype(str)
    df["pos"] = np.arange(len(df))
    return df.set_index("incident_id")


def test_links_within_windows(linked):
    files, links, _, _ = linked
    ev = events(files)
    lk = pq.read_table(links).to_pandas()
    assert len(lk) > 20  # the checks below look at something
    a, b = ev.loc[lk.left_id], ev.loc[lk.right_id]
    assert (a.country_iso3.values == b.country_iso3.values).all()
    assert (a.source_dataset.values != b.source_dataset.values).all()
    gap = np.maximum(0, np.maximum((b.date_start.values - a.date_end.values).astype("timedelta64[D]").astype(int),
                                   (a.date_start.values - b.date_end.values).astype("timedelta64[D]").astype(int)))
    assert (gap <= 2).all()
    assert (gap == lk.date_gap_days.values).all()
    assert ((lk.score >= 0.73) & (lk.score <= 1)).all()
    radius = {"near": 25, "admin2": 50}
    pt = lk.place_basis.values == "point"
    assert pt.any()
    d = haversine(a.latitude.values[pt], a.longitude.values[pt], b.latitude.values[pt], b.longitude.values[pt])
    lim = 25 + a.geo_precision[pt].map(lambda p: radius.get(p, 0)).values + b.geo_precision[pt].map(lambda p: radius.get(p, 0)).values
    assert (d <= lim + 1e-9).all()
    assert np.allclose(d, lk.distance_km.values[pt], atol=1e-6)
    # one-to-one: no event has two links to one other dataset
    sides = pd.concat([pd.DataFrame({"id": lk.left_id, "other": lk.right_dataset}),
                       pd.DataFrame({"id": lk.right_id, "other": lk.left_dataset})])
    assert not sides.duplicated().any()


def test_clusters_are_components_with_the_documented_representative(linked):
    files, links, clusters, _ = linked
    ev = events(files)
    lk = pq.read_table(links).to_pandas()
    cl = pq.read_table(clusters).to_pandas().set_index("incident_id")
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for l, r in zip(lk.left_id, lk.right_id):
        ra, rb = find(l), find(r)
        if ra != rb:
            parent[rb] = ra
    comps = {}
    for x in list(parent):
        comps.setdefault(find(x), []).append(x)
    assert set(cl.index) == set(parent)
    date_rank = {"day": 0, "days": 1, "week": 2, "month": 3, "year": 4}
    geo_rank = {"exact": 0, "near": 1, "admin2": 2, "admin1": 3, "country": 4}
    for members in comps.values():
        ids = cl.loc[members, "cluster_id"]
        assert ids.nunique() == 1
        assert (cl.loc[members, "cluster_size"] == len(members)).all()
        m = ev.loc[members]
        known = sorted(m.fatalities_best.dropna().astype(int))
        pool = m if not known else m[m.fatalities_best == known[(len(known) - 1) // 2]]
        key = pool.apply(lambda r: (date_rank[r.date_precision] * 8 + geo_rank.get(r.geo_precision, 5), r.pos), axis=1)
        want = key.idxmin()
        got = cl.loc[members][cl.loc[members, "representative"]].index.tolist()
        assert got == [want], (members, got, want)
