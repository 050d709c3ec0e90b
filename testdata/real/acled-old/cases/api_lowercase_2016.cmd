## A 2016 ACLED API export flattened by pandas: old columns (ally_actor_*, gwno, no sub_event_type),
## old event types, the pandas index column. Detected as acled-old; Riots/Protests split by inter1/inter2.
# rejects: 0
# expect: profile acled-old
# expect: column 1 without a name (a row index as pandas or R write it): ignored
acled_africa_2016_api_lowercase.csv
