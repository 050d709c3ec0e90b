#!/usr/bin/env python3
"""Build one ACLED API page and one UCDP API page from real rows of this tree, in the shapes the APIs document
(run from testdata/real/api-json). No captured API page small and clean enough was found.

acled_api_page_benin_2022.json  <- ../acled-r-na/acled_benin_2022_readr_na.csv, data records 40-59 (20 events).
  Envelope and value conventions copied from a captured ACLED API response kept as a test mock in a public
  repository (see SOURCES.md): {"status":200,"success":true,"last_update":289,"count":N,"messages":[],
  "data":[...],"filename":"<first>-<last>-<Country>"}; every value a JSON string; missing -> ""; event_date
  ISO YYYY-MM-DD; "/" escaped as "\/" (PHP json_encode); compact separators; no trailing newline.
ucdp_api_page_ged231.json       <- ../ged-inconsistent/ged231_sample_inconsistent.csv, data rows 1-5 and 50-54.
  Shape of UCDP's API (/api/gedevents/<version>?pagesize=10&page=0) as documented in api-evangelist/uppsala
  (json-schema/uppsala-apiresponse-schema.json, json-schema/uppsala-gedevent-schema.json,
  examples/uppsala-gedevents-example.json): {"TotalCount","TotalPages","PreviousPageUrl","NextPageUrl","Result"};
  ids/counts as numbers, *_dset_id and gwnoa/gwnob as strings, active_year boolean, date_start/date_end
  "YYYY-MM-DDT00:00:00", empty -> null.
"""
import csv, datetime, json

rows = list(csv.DictReader(open("../acled-r-na/acled_benin_2022_readr_na.csv", newline="", encoding="utf-8")))[40:60]
data = []
for r in rows:
    d = {k: ("" if v == "NA" else v) for k, v in r.items()}
    d["event_date"] = datetime.datetime.strptime(d["event_date"], "%d %B %Y").strftime("%Y-%m-%d")
    data.append(d)
dates = sorted(d["event_date"] for d in data)
page = {"status": 200, "success": True, "last_update": 289, "count": len(data), "messages": [], "data": data,
        "filename": "%s-%s-Benin" % (dates[0], dates[-1])}
txt = json.dumps(page, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")
open("acled_api_page_benin_2022.json", "w", encoding="ascii", newline="").write(txt)

INT = {"id", "year", "type_of_violence", "conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id",
       "number_of_sources", "where_prec", "priogrid_gid", "country_id", "event_clarity", "date_prec",
       "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"}
FLOAT = {"latitude", "longitude"}
rows = list(csv.DictReader(open("../ged-inconsistent/ged231_sample_inconsistent.csv", newline="", encoding="utf-8")))
pick = rows[0:5] + rows[49:54]
res = []
for r in pick:
    o = {}
    for k, v in r.items():
        if v == "":
            o[k] = None
        elif k in INT:
            o[k] = int(float(v))
        elif k in FLOAT:
            o[k] = float(v)
        elif k == "active_year":
            o[k] = v == "1"
        elif k in ("date_start", "date_end"):
            o[k] = v + "T00:00:00"
        else:
            o[k] = v
    res.append(o)
base = "https://ucdpapi.pcr.uu.se/api/gedevents/23.1?pagesize=10"
page = {"TotalCount": len(rows), "TotalPages": (len(rows) + 9) // 10, "PreviousPageUrl": "",
        "NextPageUrl": base + "&page=1", "Result": res}
open("ucdp_api_page_ged231.json", "w", encoding="utf-8", newline="").write(json.dumps(page, ensure_ascii=False))
