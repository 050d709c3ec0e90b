#!/usr/bin/env python3
"""Build number_words.csv (text,value,source) and number_words_reject.csv (text,source) from the
test suites of w2n, numerizer and text2num-rs (bare git mirrors; commits in SOURCES.md).
Only cases whose expected value the library's test states, and only plain whole numbers
(no ordinals, fractions, decimals results, digit-only strings, zero-padded digit strings)."""
import ast, csv, os, re, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
def show(repo, path):
    return subprocess.run(['git', '--git-dir', '/work/.mirror/%s/repo' % repo, 'show', 'HEAD:' + path],
                          check=True, capture_output=True).stdout.decode('utf-8')

out, rej = [], []
def add(text, value, src):
    if not isinstance(text, str) or re.fullmatch(r'[\d.,\s]+', text):
        return
    v = str(value)
    if not re.fullmatch(r'[1-9]\d*|0', v):  # whole numbers only, no '08', '1/2', '42nd', '2.5'
        return
    out.append((text, v, src))

# w2n: self.assertEqual(w2n.word_to_num(TEXT), VALUE)  /  assertRaises(ValueError, w2n.word_to_num, TEXT)
t = ast.parse(show('akshaynagpal+w2n', 'unit_testing.py'))
for n in ast.walk(t):
    if isinstance(n, ast.Call) and getattr(n.func, 'attr', '') == 'assertEqual':
        a, b = n.args[:2]
        if isinstance(a, ast.Call) and isinstance(a.args[0], ast.Constant) and isinstance(b, ast.Constant):
            if 'point' in a.args[0].value:  # decimal phrases
                continue
            if isinstance(b.value, int):
                add(a.args[0].value, b.value, 'w2n:unit_testing.py')
    if isinstance(n, ast.Call) and getattr(n.func, 'attr', '') == 'assertRaises':
        x = n.args[2]
        if isinstance(x, ast.Constant) and isinstance(x.value, str):
            rej.append((x.value, 'w2n:unit_testing.py (ValueError)'))

# numerizer: assert numerize(TEXT) == "VALUE" (either side), the {value: text|[texts]} dict of
# test_straight_parsing, and the {text: value} dict of test_andition
src = show('jaidevd+numerizer', 'test_numerize.py')
t = ast.parse(src)
for fn in [n for n in t.body if isinstance(n, ast.FunctionDef)]:
    if fn.name in ('test_ignore', 'test_bias_ordinal', 'test_bias_fractional', 'test_numerize_big_prefixes'):
        continue
    for n in ast.walk(fn):
        if isinstance(n, ast.Compare) and len(n.comparators) == 1:
            l, r = n.left, n.comparators[0]
            for call, val in ((l, r), (r, l)):
                if (isinstance(call, ast.Call) and getattr(call.func, 'id', '') == 'numerize'
                        and len(call.args) == 1 and not call.keywords
                        and isinstance(call.args[0], ast.Constant) and isinstance(val, ast.Constant)):
                    add(call.args[0].value, val.value, 'numerizer:test_numerize.py:' + fn.name)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Dict):
            d = ast.literal_eval(n.value)
            for k, v in d.items():
                if fn.name == 'test_straight_parsing':
                    for s in (v if isinstance(v, list) else [v]):
                        add(s, k, 'numerizer:test_numerize.py:' + fn.name)
                elif fn.name == 'test_andition':
                    add(k, v, 'numerizer:test_numerize.py:' + fn.name)

# text2num-rs (the engine of allo-media/text2num): assert_text2digits!("TEXT", "VALUE"), assert_invalid!("TEXT")
src = show('allo-media+text2num-rs', 'src/lang/en/mod.rs')
for m in re.finditer(r'^\s*assert_text2digits!\(\s*"([^"]*)",\s*"([^"]*)"\s*\);', src, re.M):
    add(m.group(1), m.group(2), 'text2num-rs:src/lang/en/mod.rs')
for m in re.finditer(r'^\s*assert_invalid!\(\s*"([^"]*)"\s*\);', src, re.M):
    rej.append((m.group(1), 'text2num-rs:src/lang/en/mod.rs (assert_invalid)'))

seen, rows = {}, []
for text, v, s in out:
    if text in seen:
        if seen[text][0] != v:
            raise SystemExit('conflict: %r %r %r' % (text, v, seen[text]))
        continue
    seen[text] = (v, s); rows.append((text, v, s))
with open(os.path.join(HERE, 'number_words.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['text', 'value', 'source']); w.writerows(rows)
with open(os.path.join(HERE, 'number_words_reject.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['text', 'source']); w.writerows(rej)
print(len(rows), 'number phrases,', len(rej), 'rejects')
