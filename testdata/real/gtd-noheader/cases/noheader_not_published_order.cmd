## A headerless 38-column cut of a GTD extract: --profile gtd --no-header reads GTD's published order
## (release 0919dist, 135 columns), and this file is not it: refused on its first row, naming both counts.
# status: 1
# expect: the first row has 38 fields, the layout's fixed column order 135
--profile gtd --no-header gtd_usa_2013_2016_noheader_latin1.csv
