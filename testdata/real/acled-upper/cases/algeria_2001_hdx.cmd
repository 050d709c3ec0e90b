## HDX's ACLED Algeria 2001 rows: UPPERCASE, day-first 18/04/2001, Riots/Protests by INTER1.
# rejects: 0
# expect: profile acled-old
hdx_acled_algeria_2001_upper.csv
