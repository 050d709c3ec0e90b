## pandas DataFrame.to_csv with its index: an empty first header cell, ignored and said so.
# rejects: 0
# expect: column 1 without a name (a row index as pandas or R write it): ignored
acled_africa_2016_pandas_index.csv
