# rejects: 0
--encoding utf-16 --mapping cases/acled_upper.yaml acled_asia_2015_excel_unicode_text.txt
