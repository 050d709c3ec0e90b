## The same Excel "Unicode text" file without a mapping: the UPPERCASE pre-2019 header is detected as
## the acled-old layout (Riots/Protests by INTER1, ALLY_ACTOR_* as associated actors).
# rejects: 0
# expect: profile acled-old
# expect: read as UTF-16LE (byte order mark)
acled_asia_2015_excel_unicode_text.txt
