## A 38-column GTD extract (no eventid, no country_txt: every row is the United States). It is not the
## GTD layout: --profile gtd names the missing columns and points to --mapping (the file's Latin-1 is
## decoded by the reader; here the layout check stops the run first).
# status: 1
# expect: not the gtd layout: columns missing: eventid, country_txt; no layout fits: give --mapping FILE
--profile gtd gtd_usa_2013_2016_latin1_crlf.csv
