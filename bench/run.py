"""make bench: incidents beside DuckDB and polars on the same files, in the same run.

    .venv/bin/python bench/run.py --bin bin/incidents --rows 2000000 --out bench-out --md BENCHMARKS.md

1. generates the input with 'incidents gen' (deterministic, so a file made by
   an earlier run with the same rows and seed is reused),
2. runs the Go benchmarks (go test -run '^$' -bench . -benchmem -count N ./...)
   into OUT/go-bench.txt,
3. runs each end-to-end command and its DuckDB and polars counterparts in turn,
   measuring wall time and peak RSS of the child process the same way for
   both (os.wait4's rusage: ru_maxrss is the child's peak resident set),
4. writes BENCHMARKS.md.

A command that fails (a verb not built yet, an error) is reported as not
measured, with its error, and the run goes on. Nothing here asserts speed:
the table states what was measured.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = sys.executable
sys.path.insert(0, HERE)
import pg  # noqa: E402  (bench/pg.py: the PostgreSQL load)
import serveload  # noqa: E402  (bench/serveload.py: incidents serve under load)


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- measuring

class Run:
    """One child process: wall seconds, peak RSS (bytes), CPU seconds."""

    def __init__(self, argv, code, wall, rss, cpu, stdout, stderr, timed_out=False):
        self.argv, self.code, self.wall, self.rss, self.cpu = argv, code, wall, rss, cpu
        self.stdout, self.stderr, self.timed_out = stdout, stderr, timed_out

    ok_codes = (0,)

    @property
    def ok(self):
        return self.code in self.ok_codes and not self.timed_out

    def error(self):
        if self.timed_out:
            return "timed out"
        lines = [l for l in (self.stderr or "").strip().splitlines() if l.strip()]
        msg = lines[-1] if lines else f"exit status {self.code}"
        return msg[:200]


def measure(argv, timeout, env=None, stdout_path=None, ok_codes=(0,)):
    """Runs argv under bench/measure.py, a small launcher, and returns its figures.

    The launcher, not this process, forks the command: Linux counts the
    forking parent's resident set into the child's peak RSS, and this
    process has DuckDB and pyarrow loaded."""
    import tempfile
    fd, res_path = tempfile.mkstemp(prefix="bench-", suffix=".json")
    os.close(fd)
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    launcher = [PY, "-S", os.path.join(HERE, "measure.py"), res_path, str(timeout), "--"]
    p = subprocess.run(launcher + list(argv), stdout=out, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    if stdout_path:
        out.close()
    try:
        with open(res_path) as f:
            m = json.load(f)
    except (OSError, ValueError):
        m = {"code": p.returncode or -1, "wall": 0.0, "maxrss": 0, "cpu": 0.0, "timed_out": False}
    finally:
        os.remove(res_path)
    run = Run(argv, m["code"], m["wall"], m["maxrss"], m["cpu"],
              (p.stdout or b"").decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
              m["timed_out"])
    run.ok_codes = ok_codes
    return run


def repeat(argv, n, timeout, stdout_path=None, check=None, ok_codes=(0,)):
    """Runs argv n times; stops after the first failure."""
    runs = []
    for _ in range(n):
        r = measure(argv, timeout, stdout_path=stdout_path, ok_codes=ok_codes)
        if r.ok and check:
            problem = check(r)
            if problem:
                r.code, r.stderr = -1, problem
        runs.append(r)
        if not r.ok:
            break
    return runs


def repeat_together(specs, n, timeout):
    """Runs several commands n times each, taking turns (A B C A B C ...), so
    that a change in the machine's load falls on all of them alike. specs:
    list of (argv, check, ok_codes); returns one list of runs per spec. A
    command that fails is not run again."""
    runs = [[] for _ in specs]
    for _ in range(n):
        for i, (argv, check, ok_codes) in enumerate(specs):
            if runs[i] and not runs[i][-1].ok:
                continue
            r = measure(argv, timeout, ok_codes=ok_codes)
            if r.ok and check:
                problem = check(r)
                if problem:
                    r.code, r.stderr = -1, problem
            runs[i].append(r)
    return runs


class Result:
    """The median of several runs of one command."""

    def __init__(self, name, argv, runs, rows=None, nbytes=None, note=""):
        self.name, self.argv, self.runs = name, argv, runs
        self.rows, self.nbytes, self.note = rows, nbytes, note
        self.deterministic = None  # (same bytes on all cores and on one, detail)

    @property
    def ok(self):
        return bool(self.runs) and all(r.ok for r in self.runs)

    @property
    def wall(self):
        return statistics.median(r.wall for r in self.runs)

    @property
    def rss(self):
        return max(r.rss for r in self.runs)

    @property
    def cpu(self):
        return statistics.median(r.cpu for r in self.runs)

    def error(self):
        bad = [r for r in self.runs if not r.ok]
        return bad[0].error() if bad else "not run"


# ---------------------------------------------------------------- machine

def machine():
    m = {"cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    m["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    m["memory_gb"] = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        m["load"] = os.getloadavg()
    except OSError:
        pass
    try:
        m["go"] = subprocess.run([os.environ.get("GO", "go"), "version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        m["go"] = "unknown"
    try:
        import duckdb
        m["duckdb"] = duckdb.__version__
    except ImportError:
        m["duckdb"] = None
    try:
        m["commit"] = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                     cwd=ROOT).stdout.strip()
    except OSError:
        m["commit"] = "unknown"
    return m


# ---------------------------------------------------------------- steps

def generate(args, rows, path):
    """incidents gen, unless an identical file is already there."""
    stamp = path + ".stamp"
    # The first rows identify the generator's version: a changed generator
    # makes a new file.
    sample = subprocess.run([args.bin, "gen", "--layout", "acled", "-n", "3000", "--seed", str(args.seed),
                             "--messy", str(args.messy)], capture_output=True).stdout
    want = json.dumps({"rows": rows, "seed": args.seed, "messy": args.messy, "layout": "acled",
                       "sample_sha256": hashlib.sha256(sample).hexdigest()})
    argv = [args.bin, "gen", "--overwrite", "--layout", "acled", "-n", str(rows), "--seed", str(args.seed),
            "--messy", str(args.messy), "-o", path]
    if os.path.exists(path) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == want and os.path.getsize(path) > 0:
                log(f"reusing {path} (same rows, seed and messy share)")
                return argv, None
    log("generating", path)
    r = measure(argv + ["--quiet"], timeout=3600)
    if not r.ok:
        raise SystemExit(f"bench: incidents gen failed: {r.error()}")
    with open(stamp, "w") as f:
        f.write(want)
    return argv, r


BENCH_LINE = re.compile(r"^(Benchmark\S+?)(?:-(\d+))?\s+(\d+)\s+(.*)$")


def go_bench(args):
    out = os.path.join(args.out, "go-bench.txt")
    argv = [args.go, "test", "-run", "^$", "-bench", ".", "-benchmem",
            "-count", str(args.go_count), "-benchtime", args.go_benchtime, "./..."]
    log("running Go benchmarks:", " ".join(argv))
    t0 = time.perf_counter()
    with open(out, "w") as f:  # streamed, so a long run can be watched with tail -f
        p = subprocess.run(argv, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, text=True)
    el = time.perf_counter() - t0
    with open(out) as f:
        p.stdout, p.stderr = f.read(), ""
    # Group lines by package and name; take medians of each metric.
    pkg = ""
    groups = {}
    failed = []
    for line in (p.stdout + "\n" + p.stderr).splitlines():
        if line.startswith("pkg: "):
            pkg = line[5:].strip()
            continue
        if line.startswith("FAIL\t") or line.startswith("# ") or "[build failed]" in line:
            failed.append(line.strip())
            continue
        m = BENCH_LINE.match(line)
        if not m:
            continue
        name, _, _, rest = m.groups()
        metrics = {}
        parts = rest.split()
        for i in range(0, len(parts) - 1, 2):
            try:
                metrics[parts[i + 1]] = float(parts[i])
            except ValueError:
                pass
        groups.setdefault((pkg, name), []).append(metrics)
    summary = []
    for (pkg, name), ms in groups.items():
        med = {}
        for unit in ("ns/op", "MB/s", "B/op", "allocs/op"):
            vals = [m[unit] for m in ms if unit in m]
            if vals:
                med[unit] = statistics.median(vals)
        summary.append((pkg, name, len(ms), med))
    return {"argv": argv, "code": p.returncode, "seconds": el, "summary": summary,
            "failed": sorted(set(failed)), "path": out}


def profiles(args):
    """CPU profiles of each package's benchmarks, and pprof's top functions."""
    out = []
    for spec in args.pprof:
        pkg, _, regex = spec.partition(":")
        regex = regex or "."
        name = pkg.strip("./").replace("/", "-") or "root"
        prof = os.path.join(args.out, f"cpu-{name}.prof")
        argv = [args.go, "test", "-run", "^$", "-bench", regex, "-benchtime", args.go_benchtime,
                "-cpuprofile", prof, "-o", os.path.join(args.out, f"{name}.test"), pkg]
        log("profiling:", shlex.join(argv))
        p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 0 or not os.path.exists(prof):
            err = [l for l in (p.stdout + p.stderr).splitlines() if l.strip()]
            out.append((spec, argv, None, err[-1] if err else f"exit status {p.returncode}"))
            continue
        top = subprocess.run([args.go, "tool", "pprof", "-top", "-nodecount", "25",
                              os.path.join(args.out, f"{name}.test"), prof],
                             cwd=ROOT, capture_output=True, text=True)
        out.append((spec, argv, top.stdout.strip(), None if top.returncode == 0 else top.stderr.strip()))
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parquet_rows(path):
    try:
        import duckdb
        return duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        log("cannot count rows of", path, e)
        return None


# Our stats column -> DuckDB's expression over the same Parquet file.
CROSS = [("events", "count(*)"), ("fatalities_best_sum", "sum(fatalities_best)"),
         ("fatalities_mean", "avg(fatalities_best)"), ("fatalities_std", "stddev_samp(fatalities_best)"),
         ("fatalities_median", "quantile_cont(fatalities_best, 0.5)"),
         ("fatalities_p90", "quantile_cont(fatalities_best, 0.9)"),
         ("fatalities_p99", "quantile_cont(fatalities_best, 0.99)")]


def cross_check(ours_csv, parquet):
    """Compares incidents stats' CSV with DuckDB's figures on the same Parquet (an independent oracle)."""
    try:
        import duckdb
        con = duckdb.connect()
        cols = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM read_csv('{ours_csv}', all_varchar=true)").fetchall()]
        missing = [c for c in ["country_iso3", "year"] + [c for c, _ in CROSS] if c not in cols]
        if missing:
            return f"cannot compare with DuckDB: no column {', '.join(missing)} in {os.path.basename(ours_csv)}"
        exprs = ", ".join(f"{e} AS d_{c}" for c, e in CROSS)
        con.execute(f"CREATE TABLE d AS SELECT country_iso3::VARCHAR AS k1, year::VARCHAR AS k2, {exprs} "
                    f"FROM read_parquet('{parquet}') GROUP BY ALL")
        con.execute(f"CREATE TABLE o AS SELECT * FROM read_csv('{ours_csv}', all_varchar=true)")
        n_d = con.execute("SELECT count(*) FROM d").fetchone()[0]
        n_o = con.execute("SELECT count(*) FROM o").fetchone()[0]
        conds = " OR ".join(
            f"NOT (coalesce(abs(try_cast(o.{c} AS DOUBLE) - d.d_{c}) <= 1e-6 * greatest(1, abs(d.d_{c})), "
            f"o.{c} IS NULL OR o.{c} = '' AND d.d_{c} IS NULL))" for c, _ in CROSS)
        bad = con.execute(f"SELECT o.country_iso3, o.year FROM o JOIN d ON o.country_iso3 = d.k1 AND o.year = d.k2 "
                          f"WHERE {conds} ORDER BY 1, 2").fetchall()
        joined = con.execute("SELECT count(*) FROM o JOIN d ON o.country_iso3 = d.k1 AND o.year = d.k2").fetchone()[0]
        msg = (f"checked against DuckDB on the same Parquet: {joined} of {n_d} groups matched by key "
               f"({n_o} in ours), {len(bad)} differ in count, sum, mean, sd or the three quantiles")
        if bad:
            msg += f" (first: {bad[0][0]} {bad[0][1]})"
        return msg
    except Exception as e:  # noqa: BLE001 - reported in the page, not fatal
        return f"cannot compare with DuckDB: {str(e).splitlines()[0][:160]}"


def compare_tables(a, b):
    """Says how two Parquet files that differ in bytes differ."""
    try:
        import pyarrow.parquet as pq
        fa, fb = pq.ParquetFile(a), pq.ParquetFile(b)
        ta, tb = fa.read(), fb.read()
        if ta.equals(tb):
            ga = [fa.metadata.row_group(i).num_rows for i in range(fa.metadata.num_row_groups)]
            gb = [fb.metadata.row_group(i).num_rows for i in range(fb.metadata.num_row_groups)]
            return (f"same rows in the same order, only the encoding differs ({os.path.getsize(a):,} vs "
                    f"{os.path.getsize(b):,} bytes; row groups {'equal' if ga == gb else f'{len(ga)} vs {len(gb)}'})")
        return f"the rows differ ({ta.num_rows} vs {tb.num_rows} rows)"
    except Exception as e:  # noqa: BLE001 - reported in the page, not fatal
        return f"cannot compare: {str(e).splitlines()[0][:160]}"


def count_lines(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def end_to_end(args, csv_path, rows):
    """normalize vs DuckDB's COPY and polars' sink_parquet; stats on Parquet
    and on the raw CSV vs their GROUP BYs; stats --tail on our Parquet. The
    three tools take turns run by run (repeat_together)."""
    out = args.out
    ours_pq = os.path.join(out, "incidents.parquet")
    duck_pq = os.path.join(out, "duckdb.parquet")
    pol_pq = os.path.join(out, "polars.parquet")
    csv_bytes = os.path.getsize(csv_path)
    duck = [PY, os.path.join(HERE, "duck.py")]
    pol = [PY, os.path.join(HERE, "pol.py")]
    thr = ["--threads", str(args.threads)]
    n, to = args.repeat, args.timeout
    results = {}

    # normalize: every run writes the same file; its hash must not change.
    hashes = []

    def check_normalize(r):
        if not os.path.exists(ours_pq):
            return f"normalize exited 0 but wrote no {ours_pq}"
        hashes.append(sha256(ours_pq))
        return None

    for p in (ours_pq, ours_pq + ".rejects.jsonl"):
        if os.path.exists(p):
            os.remove(p)
    argv = [args.bin, "normalize", "--quiet", "--overwrite", "-o", ours_pq, csv_path]
    dargv = duck + ["copy", csv_path, duck_pq] + thr
    pargv = pol + ["copy", csv_path, pol_pq]
    log("normalize:", shlex.join(argv))
    log("duckdb copy:", shlex.join(dargv))
    log("polars copy:", shlex.join(pargv))
    # Exit status 3 (more rejects than --max-rejects) still writes the output:
    # time it, and let the note say how many rows were rejected.
    r_ours, r_duck, r_pol = repeat_together([(argv, check_normalize, (0, 3)), (dargv, None, (0,)),
                                             (pargv, None, (0,))], n, to)
    res = Result("normalize CSV -> zstd Parquet", argv, r_ours, rows=rows, nbytes=csv_bytes)
    if res.ok:
        written = parquet_rows(ours_pq)
        # No rejects file means no rejects (normalize writes one only when there are some).
        rejected = count_lines(ours_pq + ".rejects.jsonl") if os.path.exists(ours_pq) else None
        if rejected is None and os.path.exists(ours_pq):
            rejected = 0
        res.note = f"{written} incidents written, {rejected if rejected is not None else '?'} rejected"
        if written is not None and rejected is not None and written + rejected != rows:
            res.note += f" (ACCOUNTING: {written} + {rejected} != {rows} rows read)"
        if len(set(hashes)) > 1:
            res.note += f"; output differed between runs ({len(set(hashes))} distinct files)"
        elif len(hashes) > 1:
            res.note += f"; byte-identical output in all {len(hashes)} runs"
        res.note += f"; file {fmt_mb(os.path.getsize(ours_pq))}"
    if res.ok and args.one_core:
        # The same input on one core must give the same bytes.
        env = dict(os.environ, GOMAXPROCS="1")
        log("normalize with GOMAXPROCS=1")
        many = ours_pq + ".all-cores"
        os.replace(ours_pq, many)
        r1 = measure(res.argv, to, env=env, ok_codes=(0, 3))
        if r1.ok and os.path.exists(ours_pq):
            same = sha256(ours_pq) == hashes[0] and len(set(hashes)) == 1
            res.deterministic = (same, f"{fmt_s(r1.wall)} on one core")
            res.note += (f"; with GOMAXPROCS=1 ({fmt_s(r1.wall)}, peak RSS {fmt_mb(r1.rss)}) the file is "
                         + ("byte-identical" if same else "DIFFERENT: " + compare_tables(many, ours_pq)))
        else:
            res.note += f"; the GOMAXPROCS=1 run failed: {r1.error()}"
        os.replace(many, ours_pq)
    dres = Result("DuckDB COPY read_csv -> zstd Parquet", dargv, r_duck, rows=rows, nbytes=csv_bytes)
    if dres.ok and os.path.exists(duck_pq):
        dres.note = f"file {fmt_mb(os.path.getsize(duck_pq))}"
    pres = Result("polars scan_csv -> sink_parquet zstd", pargv, r_pol, rows=rows, nbytes=csv_bytes)
    if pres.ok and os.path.exists(pol_pq):
        pres.note = f"file {fmt_mb(os.path.getsize(pol_pq))}"
    results["normalize"] = (res, dres, pres)

    # stats on Parquet: DuckDB and polars run their GROUP BY on our file when
    # there is one (the same columns), else DuckDB on its own copy of the raw CSV.
    have_ours = res.ok and os.path.exists(ours_pq)
    pq_rows = parquet_rows(ours_pq) if have_ours else None
    argv = [args.bin, "stats", "--quiet", "--overwrite", "--by", "country_iso3,year", "--format", "csv",
            "-o", os.path.join(out, "stats-parquet.csv"), ours_pq]
    if have_ours:
        dargv = duck + ["stats-parquet", ours_pq] + thr
        dnote = "on incidents' Parquet (country_iso3, year, fatalities_best)"
        dsize = os.path.getsize(ours_pq)
        pargv = pol + ["stats-parquet", ours_pq]
        log("stats parquet:", shlex.join(argv))
        r_ours, r_duck, r_pol = repeat_together([(argv, None, (0,)), (dargv, None, (0,)), (pargv, None, (0,))], n, to)
        sres = Result("stats --by country_iso3,year (Parquet)", argv, r_ours,
                      rows=pq_rows, nbytes=os.path.getsize(ours_pq))
        if sres.ok:
            sres.note = cross_check(os.path.join(out, "stats-parquet.csv"), ours_pq)
        psres = Result("polars group_by on Parquet", pargv, r_pol, rows=pq_rows, nbytes=dsize,
                       note="on incidents' Parquet (country_iso3, year, fatalities_best)")
    else:
        sres = Result("stats --by country_iso3,year (Parquet)", argv, [],
                      note="no Parquet file from normalize to read")
        dargv = duck + ["stats-parquet", "--raw", duck_pq] + thr
        dnote = "on DuckDB's own Parquet of the raw CSV (iso, year, fatalities): incidents has no Parquet yet"
        dsize = os.path.getsize(duck_pq) if os.path.exists(duck_pq) else None
        r_duck = repeat(dargv, n, to)
        psres = Result("polars group_by on Parquet", pol + ["stats-parquet", ours_pq], [],
                       note="no Parquet file from normalize to read")
    log("duckdb stats parquet:", shlex.join(dargv))
    dsres = Result("DuckDB GROUP BY on Parquet", dargv, r_duck,
                   rows=pq_rows if have_ours else rows, nbytes=dsize, note=dnote)
    results["stats_parquet"] = (sres, dsres, psres)

    # stats straight from the CSV.
    argv = [args.bin, "stats", "--quiet", "--overwrite", "--by", "country_iso3,year", "--format", "csv",
            "-o", os.path.join(out, "stats-csv.csv"), csv_path]
    dargv = duck + ["stats-csv", csv_path] + thr
    pargv = pol + ["stats-csv", csv_path]
    log("stats csv:", shlex.join(argv))
    r_ours, r_duck, r_pol = repeat_together([(argv, None, (0,)), (dargv, None, (0,)), (pargv, None, (0,))], n, to)
    cres = Result("stats --by country_iso3,year (CSV)", argv, r_ours, rows=rows, nbytes=csv_bytes)
    if cres.ok and have_ours:
        cres.note = same_stats(os.path.join(out, "stats-csv.csv"), os.path.join(out, "stats-parquet.csv"))
    dcres = Result("DuckDB read_csv GROUP BY", dargv, r_duck, rows=rows, nbytes=csv_bytes,
                   note="groups by ACLED's numeric iso and year: no country mapping")
    pcres = Result("polars scan_csv group_by", pargv, r_pol, rows=rows, nbytes=csv_bytes,
                   note="groups by ACLED's numeric iso and year: no country mapping; reads only those 3 columns")
    results["stats_csv"] = (cres, dcres, pcres)

    # The heavy-tail fit from the command line: one discrete power law over
    # every fatalities_best >= 1 of the file, with 1000 bootstrap replicates.
    if have_ours:
        argv = [args.bin, "stats", "--quiet", "--overwrite", "--tail", "--bootstrap", "1000", "--seed", "1",
                "--format", "csv", "-o", os.path.join(out, "stats-tail.csv"), ours_pq]
        log("stats tail:", shlex.join(argv))
        tres = Result("stats --tail --bootstrap 1000 (Parquet)", argv, repeat(argv, max(1, min(n, 3)), to),
                      rows=pq_rows, nbytes=os.path.getsize(ours_pq))
        if tres.ok:
            tres.note = tail_note(os.path.join(out, "stats-tail.csv"))
        results["stats_tail"] = tres

    # What the Python sides pay before their query starts: interpreter + import.
    results["duck_baseline"] = measure(duck + ["noop"], to)
    results["pol_baseline"] = measure(pol + ["noop"], to)
    return results


def same_stats(a, b):
    """Says whether stats from the raw CSV and from its normalized Parquet agree (they must)."""
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if fa.read() == fb.read():
                return "the same table, byte for byte, as stats on the normalized Parquet"
        return "DIFFERENT from stats on the normalized Parquet"
    except OSError as e:
        return f"cannot compare with stats on the Parquet: {e}"


def tail_note(path):
    try:
        import csv
        with open(path, newline="") as f:
            row = next(csv.DictReader(f))
        keys = [k for k in ("tail_n", "tail_xmin", "tail_n_tail", "tail_alpha", "tail_ks", "tail_p") if k in row]
        return ", ".join(f"{k} {row[k]}" for k in keys)
    except (OSError, StopIteration, ValueError) as e:
        return f"cannot read {os.path.basename(path)}: {e}"


def scale(args):
    """Peak RSS of normalize at 1M and 10M rows (memory must not grow with input)."""
    out = []
    for rows in (1_000_000, 10_000_000):
        path = os.path.join(args.out, f"acled-{rows}.csv")
        generate(args, rows, path)
        pq = os.path.join(args.out, f"scale-{rows}.parquet")
        argv = [args.bin, "normalize", "--quiet", "--overwrite", "-o", pq, path]
        log("scale:", shlex.join(argv))
        r = measure(argv, timeout=args.timeout * 5, ok_codes=(0, 3))
        out.append((rows, os.path.getsize(path), r))
        for p in (pq, pq + ".rejects.jsonl"):
            if os.path.exists(p):
                os.remove(p)
        if rows == 10_000_000 and not args.keep_big:
            os.remove(path)
            os.remove(path + ".stamp")
    return out


# ---------------------------------------------------------------- report

def rel(p):
    """p relative to the repository when it is inside it."""
    return os.path.relpath(p, ROOT) if os.path.isabs(p) and p.startswith(ROOT + os.sep) else p


def fmt_s(x):
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def fmt_mb(b):
    return f"{b / 1e6:.0f} MB" if b is not None else "-"


def fmt_rate(n, s, unit):
    if not n or not s:
        return "-"
    v = n / s
    if unit == "rows":
        return f"{v / 1e6:.2f} M/s" if v >= 1e6 else f"{v / 1e3:.0f} k/s"
    return f"{v / 1e6:.0f} MB/s"


def write_md(args, m, gen, gen_run, gob, e2e, sc, prof, started, elapsed):
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Written by `make bench` (bench/run.py); do not edit by hand: rerun it. "
      "Notes that should survive a rerun go in `bench/notes.md`, which is copied in below.")
    w("")
    w(f"Run {started:%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s in all, at commit `{m.get('commit')}`.")
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {m.get('cpu', 'unknown')}, {m['cores']} cores")
    w(f"- memory: {m.get('memory_gb', 0):.1f} GB")
    w(f"- load average at start: {', '.join(f'{x:.2f}' for x in m.get('load', ()))} "
      "(the machine may be shared: read ratios, not absolute times)")
    w(f"- {m.get('go')}; DuckDB {m.get('duckdb')} (Python {m['python']}); {m['os']}")
    w("")
    w("## Input")
    w("")
    size = os.path.getsize(gen["path"])
    w(f"`{shlex.join(gen['argv'])}`: {gen['rows']:,} rows in ACLED's export layout (31 columns), "
      f"{size / 1e6:.0f} MB, messy share {args.messy} (DuckDB's plain `read_csv` stops at the first "
      "unreadable value, so the side-by-side input is clean).")
    if gen_run:
        w(f"Generated in {fmt_s(gen_run.wall)} ({fmt_rate(size, gen_run.wall, 'bytes')}, "
          f"peak RSS {fmt_mb(gen_run.rss)}).")
    else:
        w("Reused from an earlier run (generation is deterministic).")
    w("")
    w("## End to end, side by side")
    w("")
    def base(key, mod):
        r = e2e.get(key)
        return (f"{fmt_s(r.wall)}, {fmt_mb(r.rss)} peak RSS for a child that only imports {mod}"
                if r is not None and r.ok else "not measured")
    w(f"Each command ran {args.repeat} time{'s' if args.repeat != 1 else ''}, taking turns with its DuckDB and polars counterparts "
      "(incidents, DuckDB, polars, incidents, ...), so that a change in the machine's load falls on all "
      "three alike; times are medians, peak RSS is the largest of the runs, CPU s is user + system time "
      "(the figure a shared machine disturbs least). All sides are child processes measured the same way "
      "(wall clock around the process; peak resident set from `wait4`'s rusage, taken by the small launcher "
      "`bench/measure.py`, whose own ~11 MB is the floor of any figure). DuckDB runs with "
      f"`SET threads = {args.threads}` and polars with its own pool (one thread a core) inside a Python "
      "child, so their figures include the interpreter's start-up and the import "
      f"(DuckDB: {base('duck_baseline', 'duckdb')}; polars: {base('pol_baseline', 'polars')}); "
      "the query-only time is given beside them.")
    w("")
    w("| task | tool | wall (median) | rows/s | MB/s | peak RSS | CPU s | wall ratio to DuckDB | "
      "wall ratio to polars | CPU ratio to polars |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    not_measured = []
    tasks = {"normalize": "CSV -> zstd Parquet", "stats_parquet": "grouped stats, Parquet",
             "stats_csv": "grouped stats, CSV"}

    def query_s(r):
        qs = []
        for run in r.runs:
            try:
                qs.append(json.loads(run.stdout.strip().splitlines()[-1])["query_seconds"])
            except (ValueError, IndexError, KeyError):
                pass
        return statistics.median(qs) if qs else None

    for key, task in tasks.items():
        ours, duck, pol = e2e[key]
        for tool, r in (("incidents", ours), ("DuckDB", duck), ("polars", pol)):
            if not r.ok:
                w(f"| {task} | {tool} | not measured | | | | | | | |")
                not_measured.append((r, r.note or r.error()))
                continue
            q = ""
            if tool != "incidents":
                dq = query_s(r)
                q = f" (query {fmt_s(dq)})" if dq is not None else ""
            rd = f"**{r.wall / duck.wall:.2f}**" if duck.ok and tool != "DuckDB" else ("1" if tool == "DuckDB" else "-")
            rp = f"**{r.wall / pol.wall:.2f}**" if pol.ok and tool != "polars" else ("1" if tool == "polars" else "-")
            cp = f"{r.cpu / pol.cpu:.2f}" if pol.ok and pol.cpu > 0 else "-"
            w(f"| {task} | {tool} | {fmt_s(r.wall)}{q} | {fmt_rate(r.rows, r.wall, 'rows')} | "
              f"{fmt_rate(r.nbytes, r.wall, 'bytes')} | {fmt_mb(r.rss)} | {r.cpu:.2f} | {rd} | {rp} | {cp} |")
    tail = e2e.get("stats_tail")
    if tail is not None:
        if tail.ok:
            w(f"| power-law tail + 1000 bootstrap replicates, Parquet | incidents | {fmt_s(tail.wall)} | "
              f"{fmt_rate(tail.rows, tail.wall, 'rows')} | {fmt_rate(tail.nbytes, tail.wall, 'bytes')} | "
              f"{fmt_mb(tail.rss)} | {tail.cpu:.2f} | - | - | - |")
        else:
            w("| power-law tail + 1000 bootstrap replicates, Parquet | incidents | not measured | | | | | | | |")
            not_measured.append((tail, tail.error()))
    w("")
    w("Commands:")
    w("")
    w("```sh")
    for key in tasks:
        for r in e2e[key]:
            w(shlex.join(rel(a) for a in r.argv))
    if tail is not None:
        w(shlex.join(rel(a) for a in tail.argv))
    w("```")
    w("")
    every = [r for key in tasks for r in e2e[key]] + ([tail] if tail is not None else [])
    notes = [(r.name, r.note) for r in every if r.note and r.ok]
    if notes:
        for name, note in notes:
            w(f"- {name}: {note}.")
        w("")
    if not_measured:
        w("### Not measured in this run")
        w("")
        for r, why in not_measured:
            w(f"- {r.name}: {why}")
        w("")

    w("## Targets (issue 12)")
    w("")
    w("| target | measured | status |")
    w("|---|---|---|")

    def ratio_row(text, key, peer, limit):
        ours, duck, pol = e2e[key]
        other = {"DuckDB": duck, "polars": pol}[peer]
        if not (ours.ok and other.ok):
            w(f"| {text} | - | not measured |")
            return
        rw, rc = ours.wall / other.wall, ours.cpu / other.cpu if other.cpu else float("nan")
        w(f"| {text} | wall {rw:.2f}x {peer} (CPU {rc:.2f}x) | {'met' if rw <= limit else 'not met'} |")

    ratio_row("normalize: <= 1.0x polars' sink_parquet", "normalize", "polars", 1.0)
    ratio_row("normalize: <= 0.8x DuckDB's COPY", "normalize", "DuckDB", 0.8)
    nres = e2e["normalize"][0]
    if nres.ok:
        w(f"| normalize: peak RSS <= 256 MB | {fmt_mb(nres.rss)} | {'met' if nres.rss <= 256e6 else 'not met'} |")
    det = nres.deterministic
    if det is None:
        w("| normalize: byte-identical output whatever GOMAXPROCS | - | not measured |")
    else:
        w(f"| normalize: byte-identical output whatever GOMAXPROCS | all-core runs vs GOMAXPROCS=1 "
          f"({det[1]}) | {'met' if det[0] else 'not met'} |")
    if sc:
        rss = {rows: r.rss for rows, _, r in sc if r.ok}
        if len(rss) == 2:
            grow = rss[10_000_000] / rss[1_000_000] - 1
            w(f"| normalize: 10M rows' peak RSS within 10% of 1M's | {fmt_mb(rss[1_000_000])} vs "
              f"{fmt_mb(rss[10_000_000])} ({grow:+.0%}) | {'met' if grow <= 0.1 else 'not met'} |")
        else:
            w("| normalize: 10M rows' peak RSS within 10% of 1M's | - | not measured |")
    else:
        w("| normalize: 10M rows' peak RSS within 10% of 1M's | - | not run in this run (`make bench BENCH_SCALE=1`) |")
    ratio_row("stats --by country_iso3,year from raw CSV: <= 1.0x polars", "stats_csv", "polars", 1.0)
    ratio_row("stats on Parquet: <= 1.0x DuckDB", "stats_parquet", "DuckDB", 1.0)
    ratio_row("stats on Parquet: <= 1.0x polars", "stats_parquet", "polars", 1.0)
    bench = {(pkg.rsplit("/", 1)[-1], name): med for pkg, name, _, med in gob["summary"]}
    one = bench.get(("stats", "BenchmarkPowerLawCities/scan"))
    boot = bench.get(("stats", "BenchmarkPowerLawCities/bootstrap20"))
    if one and "ns/op" in one:
        w(f"| power law: one fit of `cities` < 0.3 s | {one['ns/op'] / 1e9:.3f} s (BenchmarkPowerLawCities/scan) | "
          f"{'met' if one['ns/op'] < 0.3e9 else 'not met'} |")
    else:
        w("| power law: one fit of `cities` < 0.3 s | - | not measured (Go benchmarks skipped) |")
    if boot and "ns/op" in boot:
        est = boot["ns/op"] / 1e9 * 50
        w(f"| power law: `--bootstrap 1000` on `cities` < 60 s on 2 cores | {est:.1f} s (50 x "
          f"BenchmarkPowerLawCities/bootstrap20, 2 workers) | {'met' if est < 60 else 'not met'} |")
    else:
        w("| power law: `--bootstrap 1000` on `cities` < 60 s on 2 cores | - | not measured (Go benchmarks skipped) |")
    w("")

    if sc:
        w("## Memory against input size (normalize)")
        w("")
        w("| rows | input | wall | rows/s | peak RSS |")
        w("|---|---|---|---|---|")
        for rows, size, r in sc:
            if r.ok:
                w(f"| {rows:,} | {size / 1e6:.0f} MB | {fmt_s(r.wall)} | {fmt_rate(rows, r.wall, 'rows')} | {fmt_mb(r.rss)} |")
            else:
                w(f"| {rows:,} | {size / 1e6:.0f} MB | not measured: {r.error()} | | |")
        w("")

    w("## Go benchmarks")
    w("")
    if gob["argv"] == ["(skipped)"]:
        w("Skipped in this run (--skip-go).")
    else:
        w(f"`{shlex.join(gob['argv'])}` ({gob['seconds']:.0f} s; full output in `{rel(gob['path'])}`, "
          "compare runs with `benchstat`). Medians over the runs:")
    w("")
    if gob["summary"]:
        w("| package | benchmark | runs | time/op | MB/s | B/op | allocs/op |")
        w("|---|---|---|---|---|---|---|")
        for pkg, name, runs, med in sorted(gob["summary"]):
            ns = med.get("ns/op")
            t = "-" if ns is None else (f"{ns / 1e6:.2f} ms" if ns >= 1e6 else f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.1f} ns")
            mbs = f"{med['MB/s']:.0f}" if "MB/s" in med else "-"
            bop = f"{med['B/op']:.0f}" if "B/op" in med else "-"
            aop = f"{med['allocs/op']:.0f}" if "allocs/op" in med else "-"
            short = pkg.replace("github.com/incidentkit/incidents/", "")
            w(f"| {short} | {name} | {runs} | {t} | {mbs} | {bop} | {aop} |")
    else:
        w("No benchmark results.")
    w("")
    if gob["code"] != 0:
        w(f"`go test` exited with status {gob['code']}; packages that failed to build or failed:")
        w("")
        for f in gob["failed"][:20]:
            w(f"- `{f}`")
        w("")

    if prof:
        w("## CPU profiles of the Go benchmarks")
        w("")
        for spec, argv, top, err in prof:
            w(f"`{shlex.join(rel(a) for a in argv)}`, then `go tool pprof -top`:")
            w("")
            if top:
                w("```")
                w(top)
                w("```")
            else:
                w(f"not measured: {err}")
            w("")

    notes_path = os.path.join(HERE, "notes.md")
    if os.path.exists(notes_path):
        with open(notes_path) as f:
            w(f.read().rstrip())
            w("")
    with open(args.md, "w") as f:
        f.write("\n".join(L))
    log("wrote", args.md)


def panel_bench(args):
    """incidents panel on normalize's Parquet (issue 14): a country-month panel
    over 30 years (target: under 2 s for 2M rows) and a PRIO-GRID cell-month
    panel of Africa's bounding box over 25 and 5 years (every cell of the box,
    ~6.2M and ~1.2M rows): streamed, so peak RSS must not grow with the rows."""
    src = os.path.join(args.out, "incidents.parquet")
    if not os.path.exists(src):
        return []
    africa = ["--unit", "priogrid", "--period", "month", "--cells", "bbox", "--bbox", "-18,-35,52,38"]
    cases = [
        ("country-month, GW, 1995-2024", ["--period", "month", "--from", "1995", "--to", "2024"], "panel-cm.parquet"),
        ("PRIO-GRID cell-month, Africa box, 1999-2023", africa + ["--from", "1999", "--to", "2023"], "panel-pgm25.parquet"),
        ("PRIO-GRID cell-month, Africa box, 2019-2023", africa + ["--from", "2019", "--to", "2023"], "panel-pgm5.parquet"),
    ]
    out = []
    for name, flags, path in cases:
        path = os.path.join(args.out, path)
        argv = [args.bin, "panel", "--quiet", "--overwrite"] + flags + ["-o", path, src]
        log("panel:", shlex.join(argv))
        r = Result(name, argv, repeat(argv, args.repeat, args.timeout), rows=parquet_rows(src),
                   nbytes=os.path.getsize(src))
        if r.ok:
            r.note = f"{parquet_rows(path)} panel rows written"
        out.append(r)
    return out


def link_bench(args):
    """incidents link over normalize's ACLED Parquet and a UCDP GED Parquet of
    15% as many rows (issue 15: 2M ACLED + 300k GED in under 60 s on 2
    cores), beside DuckDB's self-join for the point candidates on the same
    files (bench/duck.py link_sql), which must count as many."""
    acled = os.path.join(args.out, "incidents.parquet")
    if not os.path.exists(acled):
        return None
    n_ged = max(1000, args.rows * 3 // 20)
    ged_csv = os.path.join(args.out, f"ged-{n_ged}.csv")
    ged = os.path.join(args.out, f"ged-{n_ged}.parquet")
    if not os.path.exists(ged):
        for argv in ([args.bin, "gen", "--quiet", "--overwrite", "--layout", "ucdp-ged", "-n", str(n_ged),
                      "--seed", str(args.seed), "-o", ged_csv],
                     [args.bin, "normalize", "--quiet", "--overwrite", "-o", ged, ged_csv]):
            r = measure(argv, args.timeout)
            if not r.ok:
                return {"error": f"{shlex.join(argv)}: {r.error()}"}
    links, clusters = os.path.join(args.out, "links.parquet"), os.path.join(args.out, "clusters.parquet")
    argv = [args.bin, "link", "--overwrite", "-o", links, "--clusters", clusters, acled, ged]
    log("link:", shlex.join(argv))
    runs = repeat(argv, min(args.repeat, 3), args.timeout)
    res = Result(f"link {parquet_rows(acled):,} ACLED + {parquet_rows(ged):,} GED rows", argv, runs,
                 rows=(parquet_rows(acled) or 0) + (parquet_rows(ged) or 0))
    dargv = [PY, os.path.join(HERE, "duck.py"), "link-candidates", acled, ged, "--threads", str(args.threads)]
    log("duckdb link candidates:", shlex.join(dargv))
    dres = Result("DuckDB self-join, point candidates", dargv, repeat(dargv, 1, max(args.timeout, 1200)), rows=res.rows)
    out = {"ours": res, "duck": dres}
    if res.ok:
        summary = runs[-1].stderr
        out["summary"] = summary.strip()
        m = re.search(r"point (\d+)", summary)
        out["point"] = int(m.group(1)) if m else None
    if dres.ok:
        try:
            out["duck_point"] = json.loads(dres.runs[-1].stdout.strip().splitlines()[-1])["rows"]
        except (ValueError, IndexError, KeyError):
            out["duck_point"] = None
    return out


def write_link_md(args, lb):
    if not lb:
        return
    with open(args.md, "a") as f:
        f.write("\n## Linking datasets (issue 15)\n\n")
        if "error" in lb:
            f.write(f"Not measured: {lb['error']}\n")
            return
        ours, duck = lb["ours"], lb["duck"]
        f.write("`incidents link` on normalize's ACLED Parquet and a UCDP GED Parquet (`incidents gen --layout ucdp-ged`, "
                "normalized); median of the runs, peak RSS of the child. DuckDB counts the candidates between point "
                "events with a self-join (days unnested, equi-join on country and day, haversine), run once.\n\n")
        f.write("| task | wall | CPU s | peak RSS | note |\n|---|---|---|---|---|\n")
        for r, note in ((ours, "sort, sweep, score, links and clusters written"),
                        (duck, f"{lb.get('duck_point')} point candidates")):
            if r.ok:
                f.write(f"| {r.name} | {fmt_s(r.wall)} | {r.cpu:.2f} | {fmt_mb(r.rss)} | {note} |\n")
            else:
                f.write(f"| {r.name} | not measured: {r.error()} | | | |\n")
        if lb.get("point") is not None and lb.get("duck_point") is not None:
            same = "the same count" if lb["point"] == lb["duck_point"] else "DIFFERENT counts"
            f.write(f"\nPoint candidates: incidents {lb['point']:,}, DuckDB {lb['duck_point']:,} ({same}).\n")
        if lb.get("summary"):
            f.write("\n```\n" + lb["summary"] + "\n```\n")
        f.write("\n```sh\n" + shlex.join(rel(a) for a in ours.argv) + "\n" + shlex.join(rel(a) for a in duck.argv) + "\n```\n")


def write_panel_md(args, results):
    if not results:
        return
    with open(args.md, "a") as f:
        f.write("\n## Panels (issue 14)\n\n")
        f.write("`incidents panel` on normalize's Parquet; median of the runs, peak RSS of the child.\n\n")
        f.write("| panel | wall | CPU s | peak RSS | rows written |\n|---|---|---|---|---|\n")
        for r in results:
            if r.ok:
                f.write(f"| {r.name} | {fmt_s(r.wall)} | {r.cpu:.2f} | {fmt_mb(r.rss)} | {r.note} |\n")
            else:
                f.write(f"| {r.name} | not measured: {r.error()} | | | |\n")
        f.write("\n```sh\n" + "\n".join(shlex.join(rel(a) for a in r.argv) for r in results) + "\n```\n")


def diff_bench(args):
    """incidents diff beside DuckDB's FULL OUTER JOIN (issue 15), and
    incidents update (issue 16 part 3), on normalize's Parquet and a later
    release made from it (bench/duck_diff.py next: 0.5% deleted, 2% revised,
    1% added). The counts of the two are compared, and the change file's
    rows counted."""
    src = os.path.join(args.out, "incidents.parquet")
    if not os.path.exists(src):
        return []
    nxt = os.path.join(args.out, "incidents-next.parquet")
    if not os.path.exists(nxt) or os.path.getmtime(nxt) < os.path.getmtime(src):
        log("diff: making the next release:", nxt)
        subprocess.run([PY, os.path.join(HERE, "duck_diff.py"), "next", src, nxt], check=True)
    changes = os.path.join(args.out, "changes.parquet")
    ours = [args.bin, "diff", "--quiet", "--overwrite", "-o", changes, src, nxt]
    duck = [PY, os.path.join(HERE, "duck_diff.py"), "join", src, nxt, "--threads", str(args.threads)]
    log("diff:", shlex.join(ours))
    runs = repeat_together([(ours, None, (0,)), (duck, None, (0,))], args.repeat, args.timeout)
    rows = parquet_rows(src) + parquet_rows(nxt)
    r_ours = Result("incidents diff (external sort by incident_id)", ours, runs[0], rows=rows)
    r_duck = Result("DuckDB FULL OUTER JOIN ... IS DISTINCT FROM", duck, runs[1], rows=rows)
    if r_ours.ok and r_duck.ok:
        want = json.loads(runs[1][-1].stdout)
        line = runs[0][-1].stdout.splitlines()[0]
        m = re.match(r"(\d+) incidents changed: (\d+) added, (\d+) deleted, (\d+) revised; (\d+) unchanged",
                     re.sub(r"(?<=\d),(?=\d{3})", "", line))
        got = [int(x) for x in m.groups()[1:]] if m else None
        same = got == [want["added"], want["deleted"], want["revised"], want["unchanged"]]
        r_ours.note = f"{line}; {parquet_rows(changes)} change rows; " + ("the same counts as DuckDB's" if same else f"DuckDB: {want}")
        r_duck.note = f"added {want['added']}, deleted {want['deleted']}, revised {want['revised']}, unchanged {want['unchanged']}"
    out = [r_ours, r_duck]
    # update: the release applied to a dataset partitioned by year (made
    # fresh before each run, not measured)
    ds = os.path.join(args.out, "dataset-by-year")
    upd = [args.bin, "update", "--quiet", ds, nxt]
    runs = []
    # The dataset is made by exporting the 12-row sample by year and then
    # updating it with the whole release (one partition written at a time):
    # export --partition-by splits each 64Ki-row record over the partitions
    # with arrow's Take, whose text kernel made a 2M-row export take minutes.
    seed = os.path.join(args.out, "sample-acled.parquet")
    subprocess.run([args.bin, "normalize", "--quiet", "--overwrite", "-o", seed, os.path.join(ROOT, "testdata", "sample", "acled.csv")],
                   check=True, capture_output=True)
    for _ in range(min(args.repeat, 3)):
        subprocess.run(["rm", "-rf", ds], check=True)
        subprocess.run([args.bin, "export", "--quiet", "--partition-by", "year", "-o", ds, seed], check=True, capture_output=True)
        subprocess.run([args.bin, "update", "--quiet", ds, src], check=True, capture_output=True)
        r = measure(upd, args.timeout)
        runs.append(r)
        if not r.ok:
            break
    r_upd = Result("incidents update (dataset partitioned by year)", upd, runs, rows=rows)
    if r_upd.ok:
        r_upd.note = runs[-1].stdout.strip().splitlines()[-1].replace(ds, "DATASET")
    out.append(r_upd)
    return out


def write_diff_md(args, results):
    if not results:
        return
    with open(args.md, "a") as f:
        f.write("\n## Releases: diff and update (issues 15, 16)\n\n")
        f.write("Normalize's Parquet against a later release made from it by `bench/duck_diff.py next`; "
                "median of the runs (taking turns), peak RSS of the child.\n\n")
        f.write("| command | wall | CPU s | peak RSS | result |\n|---|---|---|---|---|\n")
        for r in results:
            if r.ok:
                f.write(f"| {r.name} | {fmt_s(r.wall)} | {r.cpu:.2f} | {fmt_mb(r.rss)} | {r.note} |\n")
            else:
                f.write(f"| {r.name} | not measured: {r.error()} | | | |\n")
        f.write("\n```sh\n" + "\n".join(shlex.join(rel(a) for a in r.argv) for r in results) + "\n```\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "bin", "incidents"))
    ap.add_argument("--go", default=os.environ.get("GO", "go"))
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--messy", type=float, default=0.0)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--md", default=os.path.join(ROOT, "BENCHMARKS.md"))
    ap.add_argument("--repeat", type=int, default=None, help="runs per end-to-end command (default 5, 3 below 1M rows)")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per command")
    ap.add_argument("--go-count", type=int, default=None, help="go test -count (default 6, 1 below 1M rows)")
    ap.add_argument("--go-benchtime", default=None, help="go test -benchtime (default 1s, 100ms below 1M rows)")
    ap.add_argument("--no-one-core", dest="one_core", action="store_false",
                    help="skip the extra normalize run with GOMAXPROCS=1 (determinism across parallelism)")
    ap.add_argument("--pprof", action="append", default=[], metavar="PKG[:REGEX]",
                    help="CPU-profile the benchmarks of PKG (e.g. ./ingest:Normalize) and put pprof's top in the page; repeatable")
    ap.add_argument("--skip-go", action="store_true", help="leave out the Go benchmarks")
    ap.add_argument("--scale", action="store_true", help="also normalize 1M and 10M rows and compare peak RSS (slow)")
    ap.add_argument("--keep-big", action="store_true", help="keep the 10M-row input after --scale")
    ap.add_argument("--pg-only", action="store_true",
                    help="only the PostgreSQL load (bench/pg.py), its section of --md replaced")
    ap.add_argument("--no-pg", dest="pg", action="store_false", help="leave out the PostgreSQL load")
    ap.add_argument("--no-serve", dest="serve", action="store_false", help="leave out the load test of incidents serve")
    args = ap.parse_args()
    quick = args.rows < 1_000_000
    args.repeat = args.repeat or (3 if quick else 5)
    # The quick run: one count, 100ms (an op that takes longer runs once).
    args.go_count = args.go_count or (1 if quick else 6)
    args.go_benchtime = args.go_benchtime or ("100ms" if quick else "1s")
    args.bin = os.path.abspath(args.bin)
    args.out = os.path.abspath(args.out)
    args.md = os.path.abspath(args.md)
    os.makedirs(args.out, exist_ok=True)
    if not os.path.exists(args.bin):
        raise SystemExit(f"bench: no binary at {args.bin} (make build)")

    args.root = ROOT
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.perf_counter()
    m = machine()
    csv_path = os.path.join(args.out, f"acled-{args.rows}.csv")
    gen_argv, gen_run = generate(args, args.rows, csv_path)
    if args.pg_only:
        pq = os.path.join(args.out, "incidents.parquet")
        if not os.path.exists(pq) or parquet_rows(pq) != args.rows:
            log("normalizing", csv_path, "for the PostgreSQL load")
            r = measure([args.bin, "normalize", "--quiet", "--overwrite", "-o", pq, csv_path], args.timeout)
            if not r.ok:
                raise SystemExit(f"bench: normalize failed: {r.error()}")
        pgres, pgnote = pg.run(args, measure, Result, log, csv_path)
        pg.write_md(args, pgres, pgnote, fmt_s, fmt_mb, fmt_rate, rel)
        log("wrote", args.md)
        return
    gen = {"argv": [rel(a) for a in gen_argv],
           "rows": args.rows, "path": csv_path}
    if args.skip_go:
        gob = {"argv": ["(skipped)"], "code": 0, "seconds": 0, "summary": [], "failed": [], "path": os.path.join(args.out, "go-bench.txt")}
    else:
        gob = go_bench(args)
    e2e = end_to_end(args, csv_path, args.rows)
    sc = scale(args) if args.scale else None
    prof = profiles(args) if args.pprof else None
    pan = panel_bench(args)
    lb = link_bench(args)
    write_md(args, m, gen, gen_run, gob, e2e, sc, prof, started, time.perf_counter() - t0)
    write_panel_md(args, pan)
    write_diff_md(args, diff_bench(args))
    write_link_md(args, lb)
    if args.pg:
        pgres, pgnote = pg.run(args, measure, Result, log, csv_path)
        pg.write_md(args, pgres, pgnote, fmt_s, fmt_mb, fmt_rate, rel)
    if args.serve:
        serveload.write_md(args, serveload.run(args, log))
    for key in ("normalize", "stats_parquet", "stats_csv"):
        for r in e2e[key]:
            state = f"{r.wall:.3f} s, {r.rss / 1e6:.0f} MB" if r.ok else "not measured: " + (r.note or r.error())
            log(f"{r.name}: {state}")


if __name__ == "__main__":
    main()
