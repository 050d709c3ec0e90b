#!/usr/bin/env python3
"""Cut whole records out of a delimited text file without touching their bytes.

usage: slice_records.py SRC DST SPEC [--no-header]
SPEC: comma-separated 0-based data-record indices and ranges (e.g. "0-59,120,4000-4010").
The source is split into records on CR LF / LF outside double quotes (a quoted field may hold
newlines); every selected record is written with its own terminator, byte for byte, after the
header record (unless --no-header). Encoding is never decoded, so Latin-1 bytes stay as they are.
"""
import sys

def records(b, quoting=True):
    out, start, inq, i, n = [], 0, False, 0, len(b)
    while i < n:
        c = b[i]
        if quoting and c == 0x22:
            inq = not inq
        elif c == 0x0A and not inq:
            out.append(b[start:i + 1]); start = i + 1
        i += 1
    if start < n:
        out.append(b[start:])
    return out

def parse(spec):
    idx = []
    for part in spec.split(','):
        if '-' in part:
            a, z = part.split('-'); idx.extend(range(int(a), int(z) + 1))
        elif part:
            idx.append(int(part))
    return sorted(set(idx))

if __name__ == '__main__':
    src, dst, spec = sys.argv[1:4]
    flags = sys.argv[4:]
    recs = records(open(src, 'rb').read(), quoting='--no-quotes' not in flags)
    head, data = recs[0], recs[1:]
    with open(dst, 'wb') as f:
        if '--no-header' not in flags:
            f.write(head)
        for k in parse(spec):
            f.write(data[k])
    print(len(data), 'records in source;', len(parse(spec)), 'written', file=sys.stderr)
