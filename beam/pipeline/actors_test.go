package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

// TestActorSpellingsUnderPrism: the same actors spelled several ways
// (upper case, extra spaces) across two files come out in the one
// spelling incidents normalize writes: the first in output order.
func TestActorSpellingsUnderPrism(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for f, seed := range []uint64{21, 22} {
		var b bytes.Buffer
		if _, err := synth.Generate(&b, "acled", 3000, seed, synth.Options{}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "actor1" {
				col = i
			}
		}
		for i := 1; i < len(recs); i++ {
			switch (i + f) % 3 {
			case 1:
				recs[i][col] = strings.ToUpper(recs[i][col])
			case 2:
				recs[i][col] = strings.ReplaceAll(recs[i][col], " ", "  ")
			}
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.WriteAll(recs)
		p := filepath.Join(dir, "in", []string{"a.csv", "b.csv"}[f])
		os.MkdirAll(filepath.Dir(p), 0o777)
		os.WriteFile(p, out.Bytes(), 0o644)
		paths = append(paths, p)
	}
	want, _, sum := localNormalize(t, paths)
	if sum.ActorsRespelled == 0 {
		t.Fatal("the inputs need respelled actors")
	}
	res, err := Normalize(context.Background(), NormalizeConfig{Inputs: []string{filepath.Join(dir, "in", "*.csv")},
		Output: filepath.Join(dir, "out"), Runner: testRunner})
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	g, w := rowText(t, readDataset(t, filepath.Join(dir, "out"))), rowText(t, want)
	if len(g) != len(w) {
		t.Fatalf("%d rows, local %d", len(g), len(w))
	}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("row differs:\nbeam  %s\nlocal %s", g[i], w[i])
		}
	}
}
