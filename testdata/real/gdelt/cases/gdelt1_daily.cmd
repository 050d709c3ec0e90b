## A GDELT 1.0 daily file (58 columns: no *Geo_ADM2Code, SOURCEURL last), told from 2.0 by its column count.
# rejects: 0
# expect: profile gdelt, format tsv, 50 rows read
--cameo-roots all 20170312.export.CSV
