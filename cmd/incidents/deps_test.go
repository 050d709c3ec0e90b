package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRule checks the house rule that packages depend one way:
// cmd -> ingest, stats, export (report, panel) -> schema; panel also uses
// stats (its period buckets); serve (the HTTP server) reads through export
// and computes through stats. schema imports none of
// them, the three middle packages never import each other, and no library
// package imports cmd. Inside ingest the rooms depend one way too:
// ingest (the pipeline) -> profile (the layouts) -> source (readers) and
// value (value parsers); source imports nothing of ours, value only schema.
// pgsink (the PostgreSQL sink) depends on schema alone.
func TestDependencyRule(t *testing.T) {
	const mod = "github.com/incidentkit/incidents/"
	// allowed lists, per package pattern, the only packages of ours its
	// dependencies (go list -deps) may include besides itself; forbidden
	// lists the top-level rooms it must not reach.
	allowed := map[string][]string{
		"ingest/source":           {},
		"ingest/value":            {"schema"},
		"ingest/profile":          {"schema", "ingest/source", "ingest/value"},
		"ingest/internal/idindex": {"internal/spill"},
		"internal/spill":          {},
		"link":                    {"schema", "internal/spill"}, // a verb's room: no ingest, stats or export
		"pgsink":                  {"schema"},
	}
	forbidden := map[string][]string{
		"schema": {"ingest", "stats", "export", "report", "panel", "pgsink", "cmd"},
		"ingest": {"stats", "export", "report", "panel", "cmd"},
		"stats":  {"ingest", "export", "report", "panel", "cmd"},
		"export": {"ingest", "stats", "report", "panel", "cmd"},
		"report": {"ingest", "export", "panel", "cmd"},
		"panel":  {"ingest", "export", "report", "cmd"},
		"diff":   {"ingest", "stats", "export", "report", "panel", "cmd"},
		"serve":  {"ingest", "report", "panel", "diff", "cmd"},
		"update": {"ingest", "stats", "report", "panel", "cmd"},
	}
	deps := func(pkg string) ([]string, bool) {
		out, err := exec.Command("go", "list", "-deps", "../../"+pkg+"/...").CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "directory not found") || strings.Contains(string(out), "no Go files") || strings.Contains(string(out), "no such file or directory") {
				return nil, false // package not written yet
			}
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		var ours []string
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, mod) {
				ours = append(ours, strings.TrimPrefix(dep, mod))
			}
		}
		return ours, true
	}
	for pkg, bad := range forbidden {
		ours, ok := deps(pkg)
		if !ok {
			continue
		}
		for _, dep := range ours {
			if dep == "report/world" {
				continue // the map's outlines, an embedded file: any package that draws a map may use it
			}
			top := strings.SplitN(dep, "/", 2)[0]
			for _, b := range bad {
				if top == b {
					t.Errorf("%s depends on %s (via go list -deps)", pkg, mod+dep)
				}
			}
		}
	}
	for pkg, ok := range allowed {
		ours, found := deps(pkg)
		if !found {
			t.Errorf("%s: no such package", pkg)
			continue
		}
	next:
		for _, dep := range ours {
			if dep == pkg || strings.HasPrefix(dep, pkg+"/") {
				continue
			}
			for _, a := range ok {
				if dep == a {
					continue next
				}
			}
			t.Errorf("%s depends on %s; it may depend only on %v", pkg, mod+dep, ok)
		}
	}
	// and the pipeline uses the rooms, so a layout is reached through profile
	ours, _ := deps("ingest")
	for _, want := range []string{"ingest/profile", "ingest/source", "ingest/value"} {
		found := false
		for _, d := range ours {
			found = found || d == want
		}
		if !found {
			t.Errorf("ingest does not depend on %s", want)
		}
	}
}
