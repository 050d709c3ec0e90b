# rejects: 0
acled_argentina_2022_write_csv.csv
