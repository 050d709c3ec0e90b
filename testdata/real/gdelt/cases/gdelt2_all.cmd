## --cameo-roots all keeps every event of the unzipped file: FIPS countries (CD is Chad, not the DR Congo; UK the United Kingdom),
## fatalities null (GDELT codes none), the CAMEO code kept as written ("040") in source_event_type.
# rejects: 0
# expect: rows read 50 = incidents written 50 + merged 0 + rejected 0
--cameo-roots all 20170701234500.export.CSV
