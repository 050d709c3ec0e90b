# rejects: 0
acled_benin_2022_readr_na.csv
