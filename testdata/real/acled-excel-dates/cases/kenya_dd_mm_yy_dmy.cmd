# rejects: 0
# expect: two-digit year in a date read as the row's year column (80 rows)
--date-order dmy
acled_kenya_excel_dd-mm-yy_crlf.csv
