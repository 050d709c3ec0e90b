# rejects: 0
# expect: profile acled-old, format tsv
# expect: read as UTF-16LE (byte order mark)
acled_asia_2015_excel_unicode_text.txt
