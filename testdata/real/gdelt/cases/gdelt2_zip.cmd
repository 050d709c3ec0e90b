## A GDELT 2.0 15-minute export as published (a zip of one tab-separated member, no header row):
## detected by its first row (61 fields, numeric GLOBALEVENTID, 8-digit SQLDATE); the default
## --cameo-roots 14,18,19,20 keeps the fights (MALI/CHAD, 190) and leaves the rest out as filtered.
# rejects: 0
# expect: profile gdelt, format tsv+zip, 50 rows read
# expect: + filtered 47
20170701234500.export.CSV.zip
