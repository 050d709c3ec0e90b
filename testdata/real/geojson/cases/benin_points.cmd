# rejects: 0
# expect: format geojson
acled_benin_2022_points.geojson
