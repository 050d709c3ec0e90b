#!/usr/bin/env python3
"""Build country_names.csv (name,iso3,lists): the country names LookupCountry
takes from well-kept lists, so that names are covered list by list rather than
spelling by spelling.

Lists (commits as in testdata/oracles/SOURCES.md):
  countrycode  vincentarelbundock/countrycode dictionary/codelist_without_cldr.csv
               (country.name.en, iso.name.en, un.name.en, cow.name, p4.name, vdem.name)
               and dictionary/data_cldr.csv (CLDR English name, short and variant forms)
  pycountry    ISO 3166-1 (name, official_name, common_name); ISO 3166-3 names of the
               entities that dissolved, merged or split (ANT CSK SCG DDR GEL NTZ PCI SUN VDR YMD YUG)
  COW, GW      state names from /work/shared/reference (current states by cown/gwn -> iso3c;
               ended ones only through their ISO 3166-3 code: 265 DDR, 315 CSK, 680 YMD)

Not taken: countrycode's *test* names (they are the oracle's independent part), and any
name two lists give different codes (printed on stderr, none kept).
Run: python3 build_country_names.py > country_names.csv
"""
import csv, io, json, os, re, subprocess, sys
from collections import defaultdict

CC = '/work/.mirror/vincentarelbundock+countrycode/repo'
PC = '/work/.mirror/pycountry+pycountry/repo'
REF = '/work/shared/reference'

def show(repo, path):
    return subprocess.run(['git', '--git-dir', repo, 'show', 'HEAD:' + path],
                          check=True, capture_output=True).stdout.decode('utf-8')

names = defaultdict(lambda: defaultdict(set))  # folded -> iso3 -> lists
spelling = {}
def add(name, iso3, lst):
    name = (name or '').strip()
    if not name or not iso3 or not re.fullmatch(r'[A-Z]{3}', iso3):
        return
    k = ' '.join(name.lower().split())
    spelling.setdefault(k, name)
    names[k][iso3].add(lst)

codelist = list(csv.DictReader(io.StringIO(show(CC, 'dictionary/codelist_without_cldr.csv'))))
name2iso = {r['country.name.en']: r['iso3c'] for r in codelist if r['iso3c']}
cown2iso = {r['cown']: r['iso3c'] for r in codelist if r['cown'] and r['iso3c']}
gwn2iso = {r['gwn']: r['iso3c'] for r in codelist if r['gwn'] and r['iso3c']}
for r in codelist:
    for col in ['country.name.en', 'iso.name.en', 'un.name.en', 'cow.name', 'p4.name', 'vdem.name']:
        add(r[col], r['iso3c'], 'countrycode:' + col)
for r in csv.DictReader(io.StringIO(show(CC, 'dictionary/data_cldr.csv'))):
    iso = name2iso.get(r['country'])
    for col in ['cldr.name.en', 'cldr.short.en', 'cldr.variant.en']:
        add(r[col], iso, col)
for r in json.loads(show(PC, 'src/pycountry/databases/iso3166-1.json'))['3166-1']:
    for col in ['name', 'official_name', 'common_name']:
        add(r.get(col), r['alpha_3'], 'iso3166-1:' + col)
DISSOLVED = {'ANT', 'CSK', 'SCG', 'DDR', 'GEL', 'NTZ', 'PCI', 'SUN', 'VDR', 'YMD', 'YUG'}
for r in json.loads(show(PC, 'src/pycountry/databases/iso3166-3.json'))['3166-3']:
    if r['alpha_3'] in DISSOLVED:
        add(r['name'], r['alpha_3'], 'iso3166-3:name')
BRIDGE = {'265': 'DDR', '315': 'CSK', '680': 'YMD'}
for r in csv.DictReader(open(os.path.join(REF, 'cow_states2016.csv'), encoding='utf-8')):
    ended = r['endyear'] != '2016'
    add(r['statenme'], BRIDGE.get(r['ccode']) if ended else cown2iso.get(r['ccode']), 'cow:statenme')
for r in csv.DictReader(open(os.path.join(REF, 'states_pkg_gwstates.csv'), encoding='utf-8')):
    ended = not r['end'].startswith('9999')
    add(r['country_name'], BRIDGE.get(r['gwcode']) if ended else gwn2iso.get(r['gwcode']), 'gw:country_name')

w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['name', 'iso3', 'lists'])
for k in sorted(names, key=lambda k: (min(names[k]), k)):
    codes = names[k]
    if len(codes) > 1:
        print('conflict, dropped:', spelling[k], dict((c, sorted(l)) for c, l in codes.items()), file=sys.stderr)
        continue
    (iso, lists), = codes.items()
    w.writerow([spelling[k], iso, ';'.join(sorted(lists))])
