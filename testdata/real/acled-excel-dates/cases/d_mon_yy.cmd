# rejects: 0
# expect: two-digit year in a date read as the row's year column (90 rows)
acled_2020_excel_d-mon-yy_crlf.csv
