# rejects: 0
# expect: numeric dates in event_date read day first (DD/MM)
acled_kenya_excel_dd-mm-yy_crlf.csv
