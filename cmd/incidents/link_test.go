package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkDedupe: link the sample's four layouts, then stats --dedupe
// counts each linked event once: 45 events, 12 clusters of 26 events, so
// 45 - 26 + 12 = 31.
func TestLinkDedupe(t *testing.T) {
	dir := t.TempDir()
	s := "../../testdata/sample/"
	inputs := []string{s + "acled.csv", s + "ucdp_ged.csv", s + "gtd.csv", s + "reports.csv"}
	links, clusters := filepath.Join(dir, "links.parquet"), filepath.Join(dir, "clusters.parquet")
	ctx := context.Background()
	if _, stderr, err := runCmd(t, ctx, append([]string{"link", "-o", links, "--clusters", clusters}, inputs...)...); err != nil {
		t.Fatalf("link: %v\n%s", err, stderr)
	}
	out, stderr, err := runCmd(t, ctx, append([]string{"stats", "--format", "csv", "--stats", "events", "--dedupe", clusters}, inputs...)...)
	if err != nil {
		t.Fatalf("stats --dedupe: %v\n%s", err, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || lines[1] != "31" {
		t.Errorf("stats --dedupe: %q, want 31 events", out)
	}
	// the links file is no clusters file
	if _, stderr, err = runCmd(t, ctx, append([]string{"stats", "--dedupe", links}, inputs...)...); err == nil || !strings.Contains(stderr+err.Error(), "not a clusters file") {
		t.Errorf("stats --dedupe LINKS: err %v, stderr %q", err, stderr)
	}
	// an existing output is kept without --overwrite, and nothing is written
	os.Remove(clusters)
	if _, _, err = runCmd(t, ctx, append([]string{"link", "-o", links, "--clusters", clusters}, inputs...)...); err == nil {
		t.Errorf("link over an existing -o without --overwrite succeeded")
	}
	if _, err := os.Stat(clusters); err == nil {
		t.Errorf("a refused run wrote %s", clusters)
	}
}
