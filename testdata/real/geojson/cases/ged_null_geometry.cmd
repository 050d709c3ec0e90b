# rejects: 0
# expect: format geojson
# expect: low/best/high inconsistent
ged231_null_geometry.geojson
