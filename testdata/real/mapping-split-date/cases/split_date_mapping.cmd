## A GTD-derived extract with the date over iyear/imonth/iday, read with a mapping naming year, month
## and day: iday 0 on 12 rows gives month precision (first to last of the month); no id column, so
## incident_id is gtd-extract:<line>; pandas floats 0.0 are 0.
# rejects: 0
# expect: profile mapping:gtd-extract
--mapping gtd_2000_2017_split_date.yaml gtd_2000_2017_split_date.csv
