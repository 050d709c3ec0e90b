## ACLED's 2015 Asia running file: UPPERCASE headers, CRLF, DD-Month-YYYY dates, every old event type.
# rejects: 0
# expect: profile acled-old
acled_asia_2015_running_upper_crlf.csv
