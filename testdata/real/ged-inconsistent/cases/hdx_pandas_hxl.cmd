## HDX's GED Nigeria re-saved by pandas: index column ignored, float ids (15960.0 -> 15960), 20
## inconsistent estimates widened; the HXL hashtag row under the header is rejected as hxl_tags (not
## data, kept in the rejects so the accounting holds), hence --max-rejects 1.
# rejects: 1
# expect: hxl_tags               1
# expect: (20 rows)
--max-rejects 1 hdx_ged_nigeria_pandas_hxl.csv
