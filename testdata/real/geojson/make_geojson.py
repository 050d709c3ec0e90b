#!/usr/bin/env python3
"""Convert two real CSV fixtures of this tree to GeoJSON FeatureCollections (run from testdata/real/geojson):
  ../acled-r-na/acled_benin_2022_readr_na.csv    -> acled_benin_2022_points.geojson
      Point geometry [longitude, latitude]; latitude/longitude removed from properties; R's NA -> JSON null;
      every other value kept as the CSV's text (as GeoJSON written from a data frame of strings).
  ../ged-inconsistent/ged231_sample_inconsistent.csv -> ged231_null_geometry.geojson
      "geometry": null; latitude/longitude (and every other column) kept in properties; numeric GED columns
      as JSON numbers, empty cells as null.
Output: UTF-8, LF, json.dumps(indent=1, ensure_ascii=False)."""
import csv, json

def write(path, features):
    fc = {"type": "FeatureCollection", "features": features}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(fc, indent=1, ensure_ascii=False) + "\n")

rows = list(csv.DictReader(open("../acled-r-na/acled_benin_2022_readr_na.csv", newline="", encoding="utf-8")))
feats = []
for r in rows[:40]:
    lat, lon = float(r.pop("latitude")), float(r.pop("longitude"))
    props = {k: (None if v == "NA" else v) for k, v in r.items()}
    feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}})
write("acled_benin_2022_points.geojson", feats)

NUM = {"id", "year", "active_year", "type_of_violence", "conflict_dset_id", "conflict_new_id", "dyad_dset_id",
       "dyad_new_id", "side_a_dset_id", "side_a_new_id", "side_b_dset_id", "side_b_new_id", "number_of_sources",
       "where_prec", "latitude", "longitude", "priogrid_gid", "country_id", "event_clarity", "date_prec",
       "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"}
rows = list(csv.DictReader(open("../ged-inconsistent/ged231_sample_inconsistent.csv", newline="", encoding="utf-8")))
feats = []
for r in rows:
    props = {}
    for k, v in r.items():
        if v == "":
            props[k] = None
        elif k in NUM:
            x = float(v); props[k] = int(x) if x.is_integer() and k not in ("latitude", "longitude") else x
        else:
            props[k] = v
    feats.append({"type": "Feature", "properties": props, "geometry": None})
write("ged231_null_geometry.geojson", feats)
