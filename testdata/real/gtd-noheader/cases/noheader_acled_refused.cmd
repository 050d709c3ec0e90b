## --no-header with ACLED is refused with the reason: ACLED's column order varies between exports.
# status: 1
# expect: the acled layout's column order varies between exports
--profile acled --no-header gtd_usa_2013_2016_noheader_latin1.csv
