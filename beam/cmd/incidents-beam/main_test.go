package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	if _, err := synth.Generate(&b, "acled", 3000, 3, synth.Options{Messy: 0.01}); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "acled.csv")
	os.WriteFile(in, b.Bytes(), 0o644)
	out := filepath.Join(dir, "events")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"normalize", "--input", in, "--output", out, "--max-rejects", "1000"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("normalize: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "rows read 3000 = incidents written") || !strings.Contains(stderr.String(), "rejects in "+out+".rejects.jsonl") {
		t.Fatalf("summary: %s", stderr.String())
	}
	// more rejects than --max-rejects: status 3, the output still written
	stderr.Reset()
	if code := run(context.Background(), []string{"normalize", "--input", in, "--output", out, "--overwrite"}, &stdout, &stderr); code != 3 {
		t.Fatalf("--max-rejects 0: exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"stats", "--input", in, "--by", "country_iso3", "--where", "country_iso3=SYR,IRQ", "--format", "csv"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if !strings.HasPrefix(lines[0], "country_iso3,events,") || len(lines) < 2 || len(lines) > 3 {
		t.Fatalf("stats csv:\n%s", stdout.String())
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"normalize", "--output", out}, 2, "--input GLOB is required"},
		{[]string{"normalize", "--input", filepath.Join(dir, "none*.csv"), "--output", filepath.Join(dir, "x")}, 1, "no file matches"},
		{[]string{"normalize", "--input", in, "--output", out}, 1, "exists"},
		{[]string{"stats", "--input", in, "--quantiles", "guess"}, 1, "want exact or sketch"},
		{[]string{"stats", "--input", in, "--runner", "universal"}, 1, "needs --endpoint"},
		{[]string{"frobnicate"}, 2, "unknown command"},
	} {
		stderr.Reset()
		if got := run(context.Background(), c.args, &stdout, &stderr); got != c.code || !strings.Contains(stderr.String(), c.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, got, stderr.String(), c.code, c.msg)
		}
	}
}
