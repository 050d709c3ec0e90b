#!/usr/bin/env python3
"""Build country_names.csv (name,iso3,kind,source) from lists we did not write.

Inputs (bare git mirrors made by the session's fetch tool; commits in SOURCES.md):
  countrycode  = vincentarelbundock/countrycode  (tests + dictionary/*.csv)
  pycountry    = pycountry/pycountry             (ISO 3166-1 and ISO 3166-3 databases)
  /work/shared/reference/{cow_states2016.csv,states_pkg_gwstates.csv}
Run: python3 build_country_names.py  (writes country_names.csv, country_names_conflicts.csv,
country_names_reject.csv next to itself).
"""
import csv, io, json, os, re, subprocess, sys
from collections import defaultdict

CC = '/work/.mirror/vincentarelbundock+countrycode/repo'
PC = '/work/.mirror/pycountry+pycountry/repo'
REF = '/work/shared/reference'
HERE = os.path.dirname(os.path.abspath(__file__))

def show(repo, path):
    return subprocess.run(['git', '--git-dir', repo, 'show', 'HEAD:' + path],
                          check=True, capture_output=True).stdout.decode('utf-8')

def rdec(s):  # R string literal body -> text
    s = re.sub(r'\\u([0-9A-Fa-f]{4})', lambda m: chr(int(m.group(1), 16)), s)
    return s.replace("\\'", "'").replace('\\"', '"')

rows = []  # (name, iso3, kind, source)
def add(name, iso3, kind, source):
    name = (name or '').strip()
    if name and iso3 and re.fullmatch(r'[A-Z]{3}', iso3):
        rows.append((name, iso3, kind, source))

# --- countrycode codelist: canonical English name -> iso3c; cown/gwn -> iso3c
codelist = list(csv.DictReader(io.StringIO(show(CC, 'dictionary/codelist_without_cldr.csv'))))
name2iso = {r['country.name.en']: r['iso3c'] for r in codelist if r['iso3c']}
cown2iso = {r['cown']: r['iso3c'] for r in codelist if r['cown'] and r['iso3c']}
gwn2iso = {r['gwn']: r['iso3c'] for r in codelist if r['gwn'] and r['iso3c']}
for r in codelist:
    iso = r['iso3c']
    add(r['country.name.en'], iso, 'current', 'countrycode:codelist country.name.en')
    add(r['iso.name.en'], iso, 'current', 'countrycode:codelist iso.name.en')
    add(r['un.name.en'], iso, 'current', 'countrycode:codelist un.name.en')
    add(r['cow.name'], iso, 'variant', 'countrycode:codelist cow.name')
    add(r['p4.name'], iso, 'variant', 'countrycode:codelist p4.name')
    add(r['vdem.name'], iso, 'variant', 'countrycode:codelist vdem.name')

# --- CLDR English names (countrycode dictionary/data_cldr.csv)
for r in csv.DictReader(io.StringIO(show(CC, 'dictionary/data_cldr.csv'))):
    iso = name2iso.get(r['country'])
    add(r['cldr.name.en'], iso, 'current', 'cldr:name.en')
    add(r['cldr.short.en'], iso, 'variant', 'cldr:short.en')
    add(r['cldr.variant.en'], iso, 'variant', 'cldr:variant.en')

# --- countrycode tests: iso3c expectations
for path in ['tests/testthat/test-regex-external.R', 'tests/testthat/test-regex-special.R']:
    title = ''
    for line in show(CC, path).splitlines():
        m = re.match(r"\s*test_that\(\s*['\"](.*?)['\"]", line)
        if m:
            title = m.group(1)
        m = re.search(r"expect_equal\((?:no_warn_)?iso3c_of\((['\"])((?:\\.|(?!\1).)*)\1\),\s*['\"]([A-Z]{3})['\"]\)", line)
        if m:
            kind = 'historical' if re.search(r'old|colonial|former|soviet', title, re.I) else 'variant'
            add(rdec(m.group(2)), m.group(3), kind, 'countrycode:' + os.path.basename(path))

# --- countrycode tests: known name variations (key = codelist country.name.en)
key = None
for line in show(CC, 'tests/testthat/data-known-name-variations.R').splitlines():
    if line.strip().startswith('#'):
        continue
    m = re.match(r'\s*"(.+)"\s*=\s*c\(', line)
    if m:
        key = rdec(m.group(1)); continue
    m = re.match(r'\s*"(.+)",?\s*(#.*)?$', line)
    if m and key:
        add(rdec(m.group(1)), name2iso.get(key), 'variant', 'countrycode:data-known-name-variations.R')

# --- ISO 3166-1 via pycountry: name, official_name, common_name
for r in json.loads(show(PC, 'src/pycountry/databases/iso3166-1.json'))['3166-1']:
    add(r['name'], r['alpha_3'], 'current', 'iso3166-1(pycountry):name')
    add(r.get('official_name'), r['alpha_3'], 'current', 'iso3166-1(pycountry):official_name')
    add(r.get('common_name'), r['alpha_3'], 'variant', 'iso3166-1(pycountry):common_name')

# --- ISO 3166-3 via pycountry: only entities that dissolved, merged or split (not plain renames,
# whose names countrycode's tests map to the successor: zaire->COD, upper volta->BFA, ...)
DISSOLVED = {'ANT', 'CSK', 'SCG', 'DDR', 'GEL', 'NTZ', 'PCI', 'SUN', 'VDR', 'YMD', 'YUG'}
for r in json.loads(show(PC, 'src/pycountry/databases/iso3166-3.json'))['3166-3']:
    if r['alpha_3'] in DISSOLVED:
        add(r['name'], r['alpha_3'], 'historical', 'iso3166-3(pycountry):name')

# --- COW and GW state names (reference copies); iso3 through countrycode's cown/gwn -> iso3c,
# or, for three ended states, through their ISO 3166-3 code (COW/GW 265 GDR, 315 CSK, 680 YMD).
BRIDGE = {'265': 'DDR', '315': 'CSK', '680': 'YMD'}
for r in csv.DictReader(open(os.path.join(REF, 'cow_states2016.csv'), encoding='utf-8')):
    code = r['ccode']
    ended = r['endyear'] != '2016'
    # an ended state gets a code only through the ISO 3166-3 bridge (no guessing a successor)
    iso = BRIDGE.get(code) if ended else cown2iso.get(code)
    add(r['statenme'], iso, 'historical' if ended else 'current', 'cow:states2016 statenme')
for r in csv.DictReader(open(os.path.join(REF, 'states_pkg_gwstates.csv'), encoding='utf-8')):
    code = r['gwcode']
    ended = not r['end'].startswith('9999')
    iso = BRIDGE.get(code) if ended else gwn2iso.get(code)
    add(r['country_name'], iso, 'historical' if ended else 'current', 'gw:states gwstates country_name')
# countrycode test: cowc_of('East Germany') == 'GDR' (COW 265) -> DDR via the bridge
for line in show(CC, 'tests/testthat/test-regex-special.R').splitlines():
    m = re.search(r"expect_equal\(cowc_of\('([^']*)'\),\s*'GDR'\)", line)
    if m:
        add(m.group(1), 'DDR', 'historical', 'countrycode:test-regex-special.R (cowc GDR) + ISO 3166-3 DDR')

# --- dedupe: identical name (case/space-insensitive) with one iso3 -> keep first; several -> conflict
def norm(s): return re.sub(r'\s+', ' ', s).strip().casefold()
by = defaultdict(list)
for r in rows:
    by[norm(r[0])].append(r)
out, conflicts = [], []
KORD = {'current': 0, 'historical': 1, 'variant': 2}
for k, rs in by.items():
    isos = sorted({r[1] for r in rs})
    if len(isos) > 1:
        for r in rs: conflicts.append(r)
        continue
    rs.sort(key=lambda r: KORD[r[2]])
    r = rs[0]
    srcs = ';'.join(sorted({x[3] for x in rs}))
    out.append((r[0], r[1], r[2], srcs))
out.sort(key=lambda r: (r[1], r[0].casefold()))
with open(os.path.join(HERE, 'country_names.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['name', 'iso3', 'kind', 'source']); w.writerows(out)
with open(os.path.join(HERE, 'country_names_conflicts.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['name', 'iso3', 'kind', 'source'])
    w.writerows(sorted(set(conflicts), key=lambda r: (norm(r[0]), r[1])))

# --- names countrycode's tests say must NOT match (NA expected) -> reject oracle
rej = []
for path in ['tests/testthat/test-regex-special.R', 'tests/testthat/test-nomatch.R']:
    try: txt = show(CC, path)
    except subprocess.CalledProcessError: continue
    for line in txt.splitlines():
        m = re.search(r"expect_equal\(no_warn_iso3c_of\((['\"])((?:\\.|(?!\1).)*)\1\),\s*NA_character_\)", line)
        if m:
            c = re.search(r'#\s*(.*)$', line)
            rej.append((rdec(m.group(2)), (c.group(1).strip() if c else ''), 'countrycode:' + os.path.basename(path)))
with open(os.path.join(HERE, 'country_names_reject.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['name', 'why', 'source']); w.writerows(rej)
print(len(rows), 'candidates;', len(out), 'kept;', len(conflicts), 'conflict rows;', len(rej), 'rejects', file=sys.stderr)
