# rejects: 0
# expect: read as UTF-16LE (byte order mark)
--mapping cases/acled_upper.yaml acled_asia_2015_excel_unicode_text.txt
