# rejects: 0
# expect: format tsv
acled_africa_2016_literal_quotes.tsv
