## --profile acled on a pre-2019 file: refused, naming the missing column and the layout that fits.
# status: 1
# expect: not the acled layout: columns missing: sub_event_type (the header fits the acled-old layout
--profile acled acled_africa_2016_api_lowercase.csv
