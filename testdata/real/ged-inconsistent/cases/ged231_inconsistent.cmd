## GED 23.1 rows, 13 with low/best/high out of order: kept, best kept, low/high widened to the
## least/greatest of the three, a counted warning and a note; source_article's wrapping quotes stripped.
# rejects: 0
# expect: ucdp-ged: low/best/high inconsistent: best kept, low widened to the least and high to the greatest of the three, noted in notes (13 rows)
ged231_sample_inconsistent.csv
