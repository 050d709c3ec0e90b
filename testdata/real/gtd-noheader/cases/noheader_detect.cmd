## Without --no-header, detection says the first row looks like data.
# status: 1
# expect: no header row?
gtd_usa_2013_2016_noheader_latin1.csv
