package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/internal/pgtest"
	"github.com/incidentkit/incidents/schema"
)

// pgServer is a throwaway PostgreSQL server, started by the first test
// that needs one and stopped by TestMain.
var pgServer pgtest.Lazy

// testDir is the package folder, for the tests that change folder.
var testDir, _ = os.Getwd()

var sampleInputs = []string{"../../testdata/sample/reports.csv", "../../testdata/sample/acled.csv",
	"../../testdata/sample/ucdp_ged.csv", "../../testdata/sample/gtd.csv"}

// pgDB makes a database for the test: its URL with the password (TCP) and
// a connection to check the tables with.
func pgDB(t *testing.T) (string, *pgx.Conn) {
	t.Helper()
	s := pgServer.Get(t)
	name := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))
	if _, err := s.CreateDB(t.Context(), name); err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(context.Background(), s.SocketURL(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return s.URLWithPassword(name), c
}

func pgCount(t *testing.T, c *pgx.Conn, q string) int64 {
	t.Helper()
	var n int64
	if err := c.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNormalizeToPostgres: normalize, export and stats load tables; the
// rows are the ones the Parquet output holds; upsert of the same rows
// changes nothing; the password is never printed.
func TestNormalizeToPostgres(t *testing.T) {
	url, c := pgDB(t)
	s := pgServer.Get(t)
	dir := t.TempDir()
	t.Chdir(dir)
	inputs := make([]string, len(sampleInputs))
	for i, in := range sampleInputs {
		inputs[i] = filepath.Join(testDir, in)
	}
	tbl := url + "?table=incidents"
	_, stderr, err := runCmd(t, t.Context(), append([]string{"normalize", "-o", tbl}, inputs...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "rows read 70 = incidents written 45 + merged 25 + rejected 0") ||
		!strings.Contains(stderr, "normalize: 45 rows loaded into incidents (create, table created)") {
		t.Errorf("summary:\n%s", stderr)
	}
	// the same rows as the Parquet file normalize writes
	pq := filepath.Join(dir, "events.parquet")
	if _, stderr, err := runCmd(t, t.Context(), append([]string{"normalize", "-o", pq}, inputs...)...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	want := readIncidents(t, pq)
	var wantSum, wantLists int64
	for _, in := range want {
		if in.Fatalities.Best.Valid {
			wantSum += int64(in.Fatalities.Best.Value)
		}
		wantLists += int64(len(in.Sources) + len(in.AssocActors))
	}
	if n := pgCount(t, c, "SELECT count(*) FROM incidents"); n != int64(len(want)) {
		t.Errorf("%d rows in the table, %d in the Parquet file", n, len(want))
	}
	if n := pgCount(t, c, "SELECT coalesce(sum(fatalities_best), 0) FROM incidents"); n != wantSum {
		t.Errorf("sum(fatalities_best) %d in the table, %d in the Parquet file", n, wantSum)
	}
	if n := pgCount(t, c, "SELECT sum(cardinality(sources) + cardinality(assoc_actors)) FROM incidents"); n != wantLists {
		t.Errorf("list elements %d in the table, %d in the Parquet file", n, wantLists)
	}
	for _, in := range want {
		var ds string
		var best *int32
		if err := c.QueryRow(context.Background(), "SELECT date_start::text, fatalities_best FROM incidents WHERE incident_id = $1", in.IncidentID).Scan(&ds, &best); err != nil {
			t.Fatalf("%s: %v", in.IncidentID, err)
		}
		if ds != in.DateStart.String() || (best == nil) != !in.Fatalities.Best.Valid || best != nil && *best != in.Fatalities.Best.Value {
			t.Errorf("%s: date_start %s, fatalities_best %v; the Parquet file: %s, %v", in.IncidentID, ds, best, in.DateStart, in.Fatalities.Best)
		}
	}

	// create again: refused, the table untouched, the password not shown
	_, stderr, err = runCmd(t, t.Context(), append([]string{"normalize", "-o", tbl}, inputs...)...)
	msg := userMessage(nil, err)
	if err == nil || !strings.Contains(msg, "table incidents: already exists; --mode append, upsert or replace loads into it") {
		t.Errorf("second create: %q", msg)
	}
	if strings.Contains(msg+stderr, s.Password) {
		t.Errorf("the password is printed: %s\n%s", msg, stderr)
	}
	if !strings.Contains(stderr, "postgres://postgres:xxxxx@127.0.0.1") && !strings.Contains(stderr, "nothing was written") && stderr != "" {
		t.Errorf("stderr %q", stderr)
	}

	// upsert of the same rows: all unchanged
	_, stderr, err = runCmd(t, t.Context(), append([]string{"normalize", "--mode", "upsert", "-o", tbl}, inputs...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "45 rows loaded into incidents (upsert): 0 inserted, 0 updated, 45 unchanged") {
		t.Errorf("upsert summary:\n%s", stderr)
	}

	// export replaces the table from the Parquet file
	_, stderr, err = runCmd(t, t.Context(), "export", "--mode", "replace", "-o", tbl, pq)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "rows read 45 = written 45 + rejected 0 to postgres://postgres:xxxxx@127.0.0.1") ||
		!strings.Contains(stderr, "export: 45 rows loaded into incidents (replace), replacing 45 rows") || strings.Contains(stderr, s.Password) {
		t.Errorf("export summary:\n%s", stderr)
	}

	// stats: the table holds the rows of --format csv
	stbl := url + "?table=public.stats_country_year"
	_, stderr, err = runCmd(t, t.Context(), "stats", "--by", "country_iso3,year", "-o", stbl, pq)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	csvOut, _, err := runCmd(t, t.Context(), "stats", "--by", "country_iso3,year", "--format", "csv", pq)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut), "\n")
	if n := pgCount(t, c, "SELECT count(*) FROM stats_country_year"); n != int64(len(lines)-1) {
		t.Errorf("%d stats rows in the table, %d in the CSV", n, len(lines)-1)
	}
	var cols string
	if err := c.QueryRow(context.Background(), `SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = 'stats_country_year'::regclass AND attnum > 0`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != lines[0] {
		t.Errorf("stats table columns\n%s\nCSV header\n%s", cols, lines[0])
	}
	if n := pgCount(t, c, "SELECT sum(events) FROM stats_country_year"); n != 45 {
		t.Errorf("sum(events) %d, want 45", n)
	}
	if !strings.Contains(stderr, "rows loaded into public.stats_country_year (create, table created)") {
		t.Errorf("stats summary %q", stderr)
	}
}

func readIncidents(t *testing.T, path string) []schema.Incident {
	t.Helper()
	rr, err := export.Open(context.Background(), path, export.ReadOptions{Mem: memory.DefaultAllocator})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var out []schema.Incident
	for rr.Next() {
		if out, err = schema.AppendIncidents(out, rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if rr.Err() != nil {
		t.Fatal(rr.Err())
	}
	return out
}

// TestPostgresFlags: --mode needs a postgres:// output, --overwrite and
// --partition-by do not apply to one, and a URL without table says so.
func TestPostgresFlags(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "acled.parquet")
	if _, stderr, err := runCmd(t, t.Context(), "normalize", "-o", pq, sampleInputs[1]); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"normalize", "--mode", "upsert", "-o", filepath.Join(dir, "x.parquet"), sampleInputs[1]}, "--mode upsert applies to a postgres:// output"},
		{[]string{"normalize", "-f", "-o", "postgres://u:pw1@127.0.0.1:1/db?table=t", sampleInputs[1]}, "--overwrite does not apply to a postgres:// output: --mode replace"},
		{[]string{"normalize", "--mode", "merge", "-o", "postgres://u@127.0.0.1:1/db?table=t", sampleInputs[1]}, `unknown mode "merge"`},
		{[]string{"normalize", "-o", "postgres://u:pw1@127.0.0.1:1/db", sampleInputs[1]}, "postgres://u:xxxxx@127.0.0.1:1/db: no table: add ?table=NAME"},
		{[]string{"export", "--partition-by", "year", "-o", "postgres://u@127.0.0.1:1/db?table=t", pq}, "--partition-by writes a dataset folder"},
		{[]string{"stats", "--format", "csv", "-o", "postgres://u@127.0.0.1:1/db?table=t", sampleInputs[1]}, "--format csv does not apply to a postgres:// output"},
		{[]string{"stats", "--mode", "append", sampleInputs[1]}, "--mode append applies to a postgres:// output"},
	} {
		_, stderr, err := runCmd(t, t.Context(), c.args...)
		msg := userMessage(nil, err)
		if err == nil || !strings.Contains(msg, c.want) || strings.Contains(msg+stderr, "pw1") {
			t.Errorf("%v: %q, want %q", c.args, msg, c.want)
		}
	}
}

// TestNormalizeToPostgresRejects: the rejected rows of a load go to
// TABLE.rejects.jsonl in the current folder.
func TestNormalizeToPostgresRejects(t *testing.T) {
	url, c := pgDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	src, err := os.ReadFile(filepath.Join(testDir, sampleInputs[0]))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	header := strings.Split(strings.TrimSpace(lines[0]), ",")
	row := make([]string, len(header))
	for i, h := range header {
		switch h {
		case "incident":
			row[i] = "bad-1"
		case "source":
			row[i] = "Reuters"
		case "date":
			row[i] = "2019-11-06"
		case "country":
			row[i] = "Syria"
		case "killed":
			row[i] = "lots and lots"
		}
	}
	if err := os.WriteFile(bad, []byte(lines[0]+strings.Join(row, ",")+"\n"+strings.Join(lines[1:], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	_, stderr, err := runCmd(t, t.Context(), "normalize", "--max-rejects", "1", "-o", url+"?table=reports", bad)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	rej, err := os.ReadFile(filepath.Join(dir, "reports.rejects.jsonl"))
	if err != nil || !strings.Contains(string(rej), "lots and lots") {
		t.Fatalf("rejects file: %v %s\n%s", err, rej, stderr)
	}
	if !strings.Contains(stderr, "rejected 1") || !strings.Contains(stderr, "1 rejects in reports.rejects.jsonl") && !strings.Contains(stderr, "reports.rejects.jsonl") {
		t.Errorf("summary:\n%s", stderr)
	}
	if n := pgCount(t, c, "SELECT count(*) FROM reports"); n == 0 {
		t.Errorf("no rows loaded")
	}
}

// TestNormalizeToPostgresInterrupted: SIGINT during the COPY stops the run
// with 130 and leaves no table.
func TestNormalizeToPostgresInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	url, c := pgDB(t)
	dir := t.TempDir()
	raw := filepath.Join(dir, "acled.csv")
	if _, stderr, err := runCmd(t, t.Context(), "gen", "--layout", "acled", "-n", "400000", "-o", raw); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	cmd, stderr := startIncidents(t, "normalize", "-q", "-o", url+"?table=incidents", raw)
	deadline := time.Now().Add(60 * time.Second)
	for pgCount(t, c, "SELECT count(*) FROM pg_stat_progress_copy WHERE tuples_processed > 0") == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no COPY under way after a minute\n%s", stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	t.Logf("stopped %v after SIGINT", time.Since(sent))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130; stderr %s", err, stderr)
	}
	if !strings.Contains(stderr.String(), "nothing was written") || strings.Contains(stderr.String(), pgServer.Get(t).Password) {
		t.Errorf("stderr %s", stderr)
	}
	var exists bool
	if err := c.QueryRow(context.Background(), "SELECT to_regclass('incidents') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("an interrupted load left a table")
	}
}
