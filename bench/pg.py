"""The PostgreSQL load benchmark of make bench (issue 16): our binary COPY
beside psql's \\copy of our CSV export, into the same throwaway server.

Called by run.py (after the other benchmarks, or alone with --pg-only). It
starts the server with internal/pgtest/pgserve -durable (fsync and
synchronous_commit on, as a real server runs), then per round, the
commands taking turns:

  1. incidents export -o postgres://...?table=incidents OUT/incidents.parquet
     (create mode: the table made, 2M rows by binary COPY, one transaction);
  2. psql \\copy incidents_psql FROM OUT/pg.csv (FORMAT csv, HEADER): the
     same rows as our CSV export, into a table of the same columns,
     constraints and primary key (LIKE incidents INCLUDING ALL) except that
     the two list columns are jsonb, since the CSV holds lists as JSON
     arrays, which text[] does not read;
  3. incidents export --mode upsert of the same rows (all unchanged);
  4. incidents normalize -o postgres://...?table=incidents_raw ACLED.csv
     (the raw file straight into a table; first round only).

Three rounds on a quick run (under 1M rows), two at 2M rows.

Each table is dropped before the command that makes it (outside the
timing). After the rounds, the rows of incidents and incidents_psql are
compared by an md5 over every column (lists as jsonb text), so that the
two ways in agree value for value.
"""
import os
import shlex
import statistics
import subprocess

PASSWORD_MASK = "xxxxx"


def start_server(args, log):
    exe = os.path.join(args.out, "pgserve")
    b = subprocess.run([args.go, "build", "-o", exe, "./internal/pgtest/pgserve"], cwd=args.root,
                       capture_output=True, text=True)
    if b.returncode != 0:
        return None, b.stderr.strip()[-300:]
    p = subprocess.Popen([exe, "-durable", "-db", "bench"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    tcp = p.stdout.readline().strip()
    sock = p.stdout.readline().strip()
    if not tcp.startswith("postgres://"):
        err = p.stderr.read()
        p.wait()
        return None, (err.strip() or "pgserve printed no URL")[-300:]
    log("postgres:", sock)
    return (p, tcp, sock), None


def stop_server(srv):
    p = srv[0]
    p.stdin.close()
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.terminate()
        p.wait()


def psql(url, sql):
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"psql: {sql[:80]}: {r.stderr.strip()}")
    return r.stdout.strip()


def fingerprint(sock, table, cols):
    """md5 over every row (ordered by incident_id), lists as jsonb text."""
    sel = ", ".join(f"to_jsonb({c})" if c in ("assoc_actors", "sources") else c for c in cols)
    return psql(sock, f"SELECT count(*) || ' ' || md5(string_agg(r::text, E'\\n' ORDER BY r.incident_id)) "
                      f"FROM (SELECT {sel} FROM {table}) r")


def redact(argv, tcp):
    pw = tcp.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
    return [a.replace(pw, PASSWORD_MASK) for a in argv]


def run(args, measure, Result, log, csv_path):
    """Returns (results, note): Result per command, and the cross-check."""
    pq = os.path.join(args.out, "incidents.parquet")
    if not os.path.exists(pq):
        return [], "not measured: no OUT/incidents.parquet (normalize failed?)"
    if subprocess.run(["which", "psql"], capture_output=True).returncode != 0:
        return [], "not measured: no psql (apt-get install postgresql)"
    srv, err = start_server(args, log)
    if srv is None:
        return [], "not measured: " + err
    _, tcp, sock = srv
    try:
        return _run(args, measure, Result, log, csv_path, pq, tcp, sock)
    finally:
        stop_server(srv)


def _run(args, measure, Result, log, csv_path, pq, tcp, sock):
    out_csv = os.path.join(args.out, "pg.csv")
    e = measure([args.bin, "export", "--quiet", "--overwrite", "-o", out_csv, pq], args.timeout)
    if not e.ok:
        return [], "not measured: our CSV export failed: " + e.error()
    tbl = tcp + "?table=incidents"
    specs = [
        ("incidents export -o postgres://... (create: binary COPY)",
         [args.bin, "export", "--quiet", "-o", tbl, pq],
         "DROP TABLE IF EXISTS incidents"),
        ("psql \\copy of our CSV export",
         ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", tcp, "-c",
          f"\\copy incidents_psql FROM '{out_csv}' (FORMAT csv, HEADER true)"],
         "DROP TABLE IF EXISTS incidents_psql; CREATE TABLE incidents_psql (LIKE incidents_shape INCLUDING ALL); "
         "ALTER TABLE incidents_psql ALTER assoc_actors TYPE jsonb USING to_jsonb(assoc_actors), "
         "ALTER sources TYPE jsonb USING to_jsonb(sources)"),
        ("incidents export --mode upsert, same rows (all unchanged)",
         [args.bin, "export", "--quiet", "--mode", "upsert", "-o", tbl, pq],
         None),
        ("incidents normalize -o postgres://... of the raw ACLED CSV",
         [args.bin, "normalize", "--quiet", "--rejects", os.path.join(args.out, "pg-raw.rejects.jsonl"),
          "-o", tcp + "?table=incidents_raw", csv_path],
         "DROP TABLE IF EXISTS incidents_raw"),
    ]
    runs = [[] for _ in specs]
    # 2M rows take minutes per command on a shared machine: two rounds
    # there (three on a quick run), and the raw file's normalize once.
    n = min(args.repeat, 3 if args.rows < 1_000_000 else 2)
    for rnd in range(n):
        for i, (name, argv, setup, *_) in enumerate(specs):
            if runs[i] and not runs[i][-1].ok:
                continue
            if i == 3 and rnd > 0:
                continue
            if setup:
                psql(sock, setup)
            log("pg:", shlex.join(redact(argv, tcp)))
            r = measure(argv, args.timeout)
            runs[i].append(r)
            if i == 0 and r.ok and rnd == 0:
                psql(sock, "DROP TABLE IF EXISTS incidents_shape; CREATE TABLE incidents_shape (LIKE incidents INCLUDING ALL)")
    count = int(psql(sock, "SELECT count(*) FROM incidents"))
    results = []
    for (name, argv, _), rs in zip(specs, runs):
        res = Result(name, redact(argv, tcp), rs, rows=count)
        if rs and rs[-1].ok:  # the load's own summary line: "N rows loaded into T (mode...)"
            res.note = next((l.split(": ", 1)[1] for l in rs[-1].stderr.splitlines() if " rows loaded into " in l), "")
        results.append(res)
    cols = psql(sock, "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                      "WHERE attrelid = 'incidents'::regclass AND attnum > 0 AND NOT attisdropped").split(",")
    a = fingerprint(sock, "incidents", cols)
    b = fingerprint(sock, "incidents_psql", cols) if runs[1] and runs[1][-1].ok else "(psql load failed)"
    same = "the same" if a == b else "DIFFERENT"
    note = (f"incidents (our COPY) and incidents_psql (psql \\copy) hold {same} rows: count and md5 over every "
            f"column, ordered by incident_id: {a} / {b}")
    return results, note


def write_md(args, results, note, fmt_s, fmt_mb, fmt_rate, rel):
    """Replaces (or appends) the PostgreSQL section of args.md."""
    L = ["## PostgreSQL load (issue 16)", ""]
    if not results:
        L += [note, ""]
    else:
        L += ["Into one throwaway PostgreSQL server on this machine (`internal/pgtest/pgserve -durable`: fsync and "
              "synchronous_commit on), over TCP on 127.0.0.1, the commands taking turns; median of "
              f"{len(results[0].runs)} runs (the raw file's normalize: {len(results[-1].runs)}); peak RSS and CPU of the client process (the server's are not counted). "
              "The psql baseline loads the same rows from our CSV export into a table of the same columns, "
              "constraints and primary key, its two list columns jsonb (the CSV holds lists as JSON arrays).", "",
              "| command | wall | rows/s | client peak RSS | client CPU s | summary of the last run |", "|---|---|---|---|---|---|"]
        for r in results:
            if r.ok:
                L.append(f"| {r.name} | {fmt_s(r.wall)} | {fmt_rate(r.rows, r.wall, 'rows')} | {fmt_mb(r.rss)} | {r.cpu:.1f} | {r.note} |")
            else:
                L.append(f"| {r.name} | not measured: {r.error()} | | | | |")
        L += ["", note + ".", "", "```sh"]
        L += [shlex.join(rel(a) for a in r.argv) for r in results]
        L += ["```", ""]
    section = "\n".join(L)
    try:
        with open(args.md) as f:
            text = f.read()
    except OSError:
        text = ""
    start = text.find("\n## PostgreSQL load")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + (text[end:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(args.md, "w") as f:
        f.write(text)
