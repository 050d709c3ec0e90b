#!/usr/bin/env python3
"""Re-save a real CSV fixture the way Excel's "Unicode Text (*.txt)" does: UTF-16LE with a BOM (FF FE),
tab-separated, CRLF after every record, a field quoted (with "" doubling) only when it holds a tab, a double
quote or a line break (run from testdata/real/excel-utf16)."""
import csv, io

SRC = "../acled-upper/acled_asia_2015_running_upper_crlf.csv"
rows = list(csv.reader(open(SRC, newline="", encoding="utf-8")))[:31]   # header + 30 data rows

def field(v):
    if any(c in v for c in '\t"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v

text = "".join("\t".join(field(v) for v in r) + "\r\n" for r in rows)
with open("acled_asia_2015_excel_unicode_text.txt", "wb") as f:
    f.write(b"\xff\xfe" + text.encode("utf-16-le"))
