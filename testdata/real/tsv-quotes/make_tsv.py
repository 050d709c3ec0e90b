#!/usr/bin/env python3
"""Re-save the real 2016 ACLED slice of ../acled-old as a tab-separated file the way
PITF-style TSVs are written: fields joined by TAB, no quoting at all, so the literal
double quotes inside ACLED's notes stay bare characters.

A field holding a TAB or a line break cannot be written unquoted: its line breaks
become one space each (one field of the source, see SOURCES.md). Nothing else changes.
"""
import csv, sys

src = "../acled-old/acled_africa_2016_api_lowercase.csv"
dst = "acled_africa_2016_literal_quotes.tsv"
with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
changed = 0
with open(dst, "w", newline="", encoding="utf-8") as out:
    for row in rows:
        fixed = []
        for v in row:
            w = v.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
            changed += w != v
            fixed.append(w)
        out.write("\t".join(fixed) + "\n")
print(f"{dst}: {len(rows) - 1} records, {changed} field(s) with line breaks flattened", file=sys.stderr)
