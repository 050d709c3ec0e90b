## Auto-detection on a file without its header row says what the first row looks like.
# status: 1
# expect: the first row looks like data: no header row? (use --profile P --no-header for layouts with a fixed column order)
gtd_usa_2013_2016_noheader_latin1.csv
