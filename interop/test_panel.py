"""incidents panel agrees with panels built by hand in pandas.

The inputs are the sample in testdata/sample and data from `incidents gen`,
normalized by `incidents normalize`; the oracle reads the normalized
Parquet with pandas and builds each panel itself: state membership from the
published lists (panel/data/*.csv, read here with csv/datetime, not through
Go), every unit-period of the span (zeros), sums with min_count=1 (null
when every value is unknown), *_null counts, wide --by columns, lags and
onsets, PRIO-GRID cells by the published formula. Every cell of the two
tables must be equal.
"""
import csv
import datetime
import math
import pathlib

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "panel" / "data"
Q = ["fatalities_best", "fatalities_low", "fatalities_high", "fatalities_actor1", "fatalities_actor2",
     "fatalities_civilians", "fatalities_unknown"]
ONGOING = datetime.date(9999, 12, 31)


# ------------------------------------------------------------ periods

def pstart(period, d):
    if period == "year":
        return datetime.date(d.year, 1, 1)
    if period == "quarter":
        return datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if period == "month":
        return datetime.date(d.year, d.month, 1)
    if period == "week":
        return d - datetime.timedelta(days=d.weekday())
    return d


def pnext(period, s):
    if period == "year":
        return datetime.date(s.year + 1, 1, 1)
    if period == "quarter":
        m = s.month + 3
        return datetime.date(s.year + (m > 12), (m - 1) % 12 + 1, 1)
    if period == "month":
        return datetime.date(s.year + (s.month == 12), s.month % 12 + 1, 1)
    return s + datetime.timedelta(days=7 if period == "week" else 1)


def label(period, s):
    if period == "year":
        return str(s.year)
    if period == "quarter":
        return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
    if period == "month":
        return f"{s.year:04d}-{s.month:02d}"
    if period == "week":
        y, w, _ = s.isocalendar()
        return f"{y:04d}-W{w:02d}"
    return s.isoformat()


def periods(period, first, last):
    out, s = [], pstart(period, first)
    while s <= last:
        out.append(s)
        s = pnext(period, s)
    return out


# ------------------------------------------------------------ state lists

def gw_states(micro=False):
    st = {}
    for r in csv.DictReader(open(DATA / "gwstates.csv")):
        if r["microstate"] == "True" and not micro:
            continue
        s = st.setdefault(int(r["gwcode"]), {"abb": r["gwc"], "name": r["country_name"], "spells": []})
        s["spells"].append((datetime.date.fromisoformat(r["start"]), datetime.date.fromisoformat(r["end"])))
    return st


def cow_states():
    st = {}
    for r in csv.DictReader(open(DATA / "cowstates2016.csv")):
        end = datetime.date(int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
        if end == datetime.date(2016, 12, 31):
            end = ONGOING
        s = st.setdefault(int(r["ccode"]), {"abb": r["stateabb"], "name": r["statenme"], "spells": []})
        s["spells"].append((datetime.date(int(r["styear"]), int(r["stmonth"]), int(r["stday"])), end))
    return st


def iso_codes(system, states):
    by_iso, own = {}, {}
    for r in csv.DictReader(open(DATA / "iso3_codes.csv")):
        c = int(r["code"])
        if r["system"] != system or c not in states:
            continue
        by_iso.setdefault(r["iso3"], []).append(c)
        own.setdefault(c, r["iso3"])
    return by_iso, own


def member(spells, a, b):
    return any(s <= b and e >= a for s, e in spells)


# ------------------------------------------------------------ the oracle

def oracle(ev, unit, period, system="gw", span=None, by=None, lags=(), gap=2):
    ev = ev.copy()
    ev["d"] = ev["date_start"]
    ev["ps"] = ev["d"].map(lambda d: pstart(period, d))
    if span:
        ev = ev[(ev["d"] >= (span[0] or datetime.date.min)) & (ev["d"] <= (span[1] or datetime.date.max))]
    keys = []
    units = None
    if unit == "country" and system in ("gw", "cow"):
        states = gw_states() if system == "gw" else cow_states()
        by_iso, own = iso_codes(system, states)

        def resolve(row):
            cands = by_iso.get(row.country_iso3, [])
            for c in cands:
                if member(states[c]["spells"], row.d, row.d):
                    return c
            pe = pnext(period, row.ps) - datetime.timedelta(days=1)
            for c in cands:
                if member(states[c]["spells"], row.ps, pe):
                    return c
            return None
        ev = ev[ev["country_iso3"] != "XXX"]
        ev["u"] = [resolve(r) for r in ev.itertuples()]
        ev = ev[ev["u"].notna()]
        ev["u"] = ev["u"].astype(int)
        keys = ["u"]
    elif unit == "country":
        ev = ev[ev["country_iso3"] != "XXX"]
        ev["u"] = ev["country_iso3"]
        keys = ["u"]
    elif unit == "admin1":
        ev = ev[(ev["country_iso3"] != "XXX") & ev["admin1"].notna() & (ev["admin1"] != "")]
        ev["u"] = list(zip(ev["country_iso3"], ev["admin1"]))
        keys = ["u"]
    elif unit == "priogrid":
        ev = ev[~ev["geo_precision"].isin(["admin1", "country", "unknown"]) & ev["latitude"].notna()]
        row = np.minimum(np.floor((ev["latitude"] + 90) / 0.5) + 1, 360)
        col = np.minimum(np.floor((ev["longitude"] + 180) / 0.5) + 1, 720)
        ev["u"] = ((row - 1) * 720 + col).astype(int)
    first = span[0] if span and span[0] else ev["d"].min()
    last = span[1] if span and span[1] else ev["d"].max()
    ps = periods(period, first, last)
    g = ev.groupby(["u", "ps"])
    agg = pd.DataFrame({"events": g.size()})
    for q in Q:
        agg[q] = g[q].sum(min_count=1)
        agg[q + "_null"] = ev[q].isna().groupby([ev["u"], ev["ps"]]).sum()
    if by:
        ev["bv"] = ev[by].astype(str).str.lower().str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_")
        for v, sub in ev.groupby("bv"):
            gg = sub.groupby(["u", "ps"])
            agg["events_" + v] = gg.size()
            agg["fatalities_best_" + v] = gg["fatalities_best"].sum(min_count=1)
            agg["fatalities_best_null_" + v] = sub["fatalities_best"].isna().groupby([sub["u"], sub["ps"]]).sum()
    rows = []
    if unit == "country" and system in ("gw", "cow"):
        ulist = sorted(c for c in states if member(states[c]["spells"], ps[0], pnext(period, ps[-1]) - datetime.timedelta(days=1)))
    else:
        ulist = sorted(ev["u"].unique())
    for u in ulist:
        for s in ps:
            e = pnext(period, s) - datetime.timedelta(days=1)
            if unit == "country" and system in ("gw", "cow") and not member(states[u]["spells"], s, e):
                continue
            rows.append({"u": u, "ps": s, "period": label(period, s), "period_end": e})
    out = pd.DataFrame(rows).merge(agg.reset_index(), on=["u", "ps"], how="left")
    out["events"] = out["events"].fillna(0).astype("int64")
    empty = out["events"] == 0
    for c in out.columns:
        if c.startswith("fatalities") or c.startswith("events_"):
            out.loc[empty, c] = 0
            if c.endswith("_null") or c.startswith("events_"):
                out[c] = out[c].fillna(0)
    for c in list(out.columns):
        if c.startswith("events_"):  # a --by value without events here: zeros
            v = c[len("events_"):]
            for f in ("fatalities_best_" + v, "fatalities_best_null_" + v):
                out.loc[out[c] == 0, f] = 0
    out["any_event"] = out["events"] > 0
    # lags and onsets within runs of consecutive periods of a unit
    out["k"] = out.groupby("u").cumcount()
    pos = {s: i for i, s in enumerate(ps)}
    out["pi"] = out["ps"].map(pos)
    onset = []
    quiet, seen, prev_u, prev_pi = 0, False, None, None
    for r in out.itertuples():
        if r.u != prev_u or r.pi != prev_pi + 1:
            quiet, seen = 0, False
        if r.events == 0:
            onset.append(False)
            quiet += 1
        else:
            onset.append(True if quiet >= gap else (False if seen else None))
            quiet, seen = 0, True
        prev_u, prev_pi = r.u, r.pi
    out["onset"] = onset
    for l in lags:  # the same unit's row for period pi - l, if there is one
        prev = out[["u", "pi", "events", "fatalities_best"]].copy()
        prev["pi"] += l
        prev.columns = ["u", "pi", f"events_lag{l}", f"fatalities_best_lag{l}"]
        out = out.merge(prev, on=["u", "pi"], how="left")
    if unit == "country" and system in ("gw", "cow"):
        out["code"] = out["u"]
        out["iso3"] = out["u"].map(lambda c: own.get(c))
        out["abb"] = out["u"].map(lambda c: states[c]["abb"])
    return out


def ours(run, tmp, *args):
    path = tmp / "panel.parquet"
    if path.exists():
        path.unlink()
    r = run("panel", "--quiet", "-o", path, *args)
    return pq.read_table(path).to_pandas()


def same(got, want, cols):
    assert len(got) == len(want), (len(got), len(want))
    for c in cols:
        a, b = list(got[c[0]]), list(want[c[1]])
        for i, (x, y) in enumerate(zip(a, b)):
            xn = x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA
            yn = y is None or (isinstance(y, float) and math.isnan(y)) or y is pd.NA
            assert xn == yn and (xn or x == y), f"row {i} column {c[0]}: ours {x!r}, pandas {y!r}; {got.iloc[i].to_dict()}"


MEASURES = [(c, c) for c in ["events", "any_event", "onset"] + [x for q in Q for x in (q, q + "_null")]]


@pytest.fixture(scope="module")
def sample(tmp_path_factory, incidents_bin):
    import subprocess
    d = tmp_path_factory.mktemp("panel-sample")
    p = d / "sample.parquet"
    subprocess.run([incidents_bin, "normalize", "--quiet", "-o", str(p)] + sorted(str(x) for x in (ROOT / "testdata" / "sample").glob("*.csv")), check=True)
    return p


@pytest.fixture(scope="module")
def generated(tmp_path_factory, incidents_bin):
    import subprocess
    d = tmp_path_factory.mktemp("panel-gen")
    out = []
    for layout, n in (("ucdp-ged", 6000), ("acled", 6000)):
        c = d / f"{layout}.csv"
        subprocess.run([incidents_bin, "gen", "-q", "--layout", layout, "-n", str(n), "--seed", "3", "-o", str(c)], check=True)
        p = d / f"{layout}.parquet"
        subprocess.run([incidents_bin, "normalize", "--quiet", "-o", str(p), str(c)], check=True)
        out.append(p)
    return out


def events(*paths):
    df = pd.concat([pq.read_table(p).to_pandas() for p in paths], ignore_index=True)
    for c in ("country_iso3", "source_dataset", "event_type", "geo_precision"):
        df[c] = df[c].astype(str)
    df["date_start"] = pd.to_datetime(df["date_start"]).dt.date
    return df


def test_sample_country_year_gw(run, tmp_path, sample):
    got = ours(run, tmp_path, "--unit", "country", "--period", "year", "--lags", "1,2", sample)
    want = oracle(events(sample), "country", "year", lags=(1, 2))
    same(got, want, [("gwcode", "code"), ("gwc", "abb"), ("country_iso3", "iso3"), ("period", "period")] + MEASURES
         + [("events_lag1", "events_lag1"), ("events_lag2", "events_lag2"), ("fatalities_best_lag1", "fatalities_best_lag1")])
    # true zeros: most state-years of the sample have no event
    assert (got["events"] == 0).sum() > 0.9 * len(got)


def test_sample_country_month_cow_span(run, tmp_path, sample):
    span = (datetime.date(2010, 1, 1), datetime.date(2020, 12, 31))
    got = ours(run, tmp_path, "--system", "cow", "--period", "month", "--from", "2010", "--to", "2020", sample)
    want = oracle(events(sample), "country", "month", system="cow", span=span)
    same(got, want, [("cowcode", "code"), ("cowc", "abb"), ("period", "period")] + MEASURES)
    assert got["period"].min() == "2010-01" and got["period"].max() == "2020-12"


@pytest.mark.parametrize("period", ["month", "quarter", "week"])
def test_generated_country_iso(run, tmp_path, generated, period):
    got = ours(run, tmp_path, "--system", "iso", "--period", period, "--by", "source_dataset", "--lags", "1", *generated)
    want = oracle(events(*generated), "country", period, system="iso", by="source_dataset", lags=(1,))
    wide = [(c, c) for c in got.columns if c.endswith(("_acled", "_ucdp_ged"))]
    assert len(wide) == 6
    same(got, want, [("country_iso3", "u"), ("period", "period")] + MEASURES + wide + [("events_lag1", "events_lag1")])


def test_generated_country_year_gw(run, tmp_path, generated):
    got = ours(run, tmp_path, "--period", "year", "--onset-gap", "1", *generated)
    want = oracle(events(*generated), "country", "year", gap=1)
    same(got, want, [("gwcode", "code"), ("period", "period")] + MEASURES)


def test_generated_admin1_month_by_event_type(run, tmp_path, generated):
    got = ours(run, tmp_path, "--unit", "admin1", "--period", "month", "--by", "event_type", "--from", "2010", *generated)
    want = oracle(events(*generated), "admin1", "month", by="event_type",
                  span=(datetime.date(2010, 1, 1), None))
    want["iso3"] = want["u"].map(lambda t: t[0])
    want["a1"] = want["u"].map(lambda t: t[1])
    wide = [(c, c) for c in got.columns if c.startswith("events_") and c in want.columns]
    same(got, want, [("country_iso3", "iso3"), ("admin1", "a1"), ("period", "period")] + MEASURES + wide)
    # event types absent from the data still have their (zero) columns
    assert "events_protests" in got.columns and "events_riots" in got.columns


def test_generated_priogrid_month(run, tmp_path, generated):
    got = ours(run, tmp_path, "--unit", "priogrid", "--period", "month", "--batch-rows", "1000",
               "--from", "2016-03", "--to", "2018-06", generated[0])
    ev = events(generated[0])
    want = oracle(ev, "priogrid", "month", span=(datetime.date(2016, 3, 1), datetime.date(2018, 6, 30)))
    same(got, want, [("gid", "u"), ("period", "period")] + MEASURES)
    r = ((got["gid"] - 1) // 720 + 1)
    assert (got["row"] == r).all()
    assert np.allclose(got["latitude"], -90 + 0.5 * got["row"] - 0.25)
    assert got["period"].min() == "2016-03" and got["period"].max() == "2018-06"
    assert len(got) == got["gid"].nunique() * 28  # every cell, every month


def test_field_descriptions_and_sorting(run, tmp_path, sample):
    path = tmp_path / "p.parquet"
    run("panel", "--quiet", "-o", path, sample)
    sc = pq.read_schema(path)
    for f in sc:
        assert f.metadata and f.metadata.get(b"description"), f.name
    df = pq.read_table(path).to_pandas()
    assert list(df.sort_values(["gwcode", "period_start"]).index) == list(df.index)


def test_crosswalk(run, tmp_path):
    path = tmp_path / "cw.csv"
    run("panel", "--crosswalk", "-o", path)
    cw = pd.read_csv(path, dtype={"gwcode": "Int64", "cowcode": "Int64"})
    deu = cw[(cw.country_iso3 == "DEU") & (cw.start <= "1995-01-01") & (cw.end.isna() | (cw.end >= "1995-01-01"))]
    assert list(deu.gwcode) == [260] and list(deu.cowcode) == [255]
