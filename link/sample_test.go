package link

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest"
)

type pairRow struct {
	left, right string
	score       float64
}

// runLink normalizes the raw files and links them, returning the pairs and
// the clusters (incident_id -> cluster_id, representative).
func runLink(t *testing.T, opts Options, files ...string) ([]pairRow, map[string][2]int64, Summary) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	if _, err := ingest.Normalize(ctx, files, ingest.Options{Columns: Columns, NoChecksum: true}, l.Add); err != nil {
		t.Fatal(err)
	}
	var pairs []pairRow
	if _, err := l.Run(ctx, func(rec arrow.Record) error {
		left, right := rec.Column(0).(*array.String), rec.Column(1).(*array.String)
		score := rec.Column(5).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			pairs = append(pairs, pairRow{left.Value(i), right.Value(i), score.Value(i)})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	clusters := map[string][2]int64{}
	sum, err := l.Clusters(ctx, func(rec arrow.Record) error {
		ids, nos, reps := rec.Column(0).(*array.String), rec.Column(2).(*array.Int64), rec.Column(4).(*array.Boolean)
		for i := 0; i < int(rec.NumRows()); i++ {
			r := int64(0)
			if reps.Value(i) {
				r = 1
			}
			clusters[ids.Value(i)] = [2]int64{nos.Value(i), r}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].left+pairs[i].right < pairs[j].left+pairs[j].right })
	return pairs, clusters, sum
}

// TestSample: the embedded sample's incidents that are in several
// layouts (the seed article's Ishqobod attack in all four, the others in
// two) are found, and nothing else is linked. One known miss: Beslan
// (UCDP GED 2110 and a report dated only "September 2004", battles against
// violence against civilians, the hostage takers spelled apart) scores 0.70.
func TestSample(t *testing.T) {
	pairs, clusters, sum := runLink(t, DefaultOptions(), "../testdata/sample/acled.csv", "../testdata/sample/ucdp_ged.csv",
		"../testdata/sample/gtd.csv", "../testdata/sample/reports.csv")
	events := map[string][]string{
		"ishqobod":  {"acled:TJK1262", "gtd:201911060003", "tjk-2019-11-06-ishqobod", "ucdp-ged:271405"},
		"westgate":  {"gtd:201309210001", "ken-2013-09-21-westgate"},
		"garissa":   {"gtd:201504020001", "ken-2015-04-02-garissa"},
		"paris":     {"fra-2015-11-13-paris", "gtd:201511130008"},
		"mancheste": {"gbr-2017-05-22-manchester", "gtd:201705220009"},
		"peshawar":  {"gtd:201412160016", "pak-2014-12-16-peshawar"},
		"baga":      {"gtd:201501030052", "nga-2015-01-baga"},
		"mogadishu": {"som-2017-10-14-mogadishu", "ucdp-ged:285990"},
		"ghouta":    {"syr-2013-08-21-ghouta", "ucdp-ged:180445"},
		"rutshuru":  {"acled:DRC28741", "ucdp-ged:312870"},
		"pazigyi":   {"acled:MMR45321", "ucdp-ged:330021"},
		"kabul":     {"acled:AFG62981", "afg-2021-08-26-kabul-airport"},
	}
	want := map[[2]string]bool{}
	for _, ids := range events {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				want[[2]string{ids[i], ids[j]}] = true
			}
		}
	}
	got := map[[2]string]bool{}
	for _, p := range pairs {
		k := [2]string{p.left, p.right}
		if !want[k] {
			k = [2]string{p.right, p.left}
		}
		got[k] = true
		if !want[k] {
			t.Errorf("linked %s and %s (score %.3f), which are different events", p.left, p.right, p.score)
		}
	}
	for w := range want {
		if !got[w] {
			t.Errorf("%s and %s, the same event, are not linked", w[0], w[1])
		}
	}
	if sum.Clusters != int64(len(events)) {
		t.Errorf("%d clusters, want %d", sum.Clusters, len(events))
	}
	// each event's members share one cluster with one representative
	for name, ids := range events {
		reps := 0
		for _, id := range ids {
			c, ok := clusters[id]
			if !ok {
				t.Errorf("%s: %s is in no cluster", name, id)
				continue
			}
			if c[0] != clusters[ids[0]][0] {
				t.Errorf("%s: %s is in cluster %d, %s in %d", name, id, c[0], ids[0], clusters[ids[0]][0])
			}
			reps += int(c[1])
		}
		if reps != 1 {
			t.Errorf("%s: %d representatives, want 1", name, reps)
		}
	}
	// Ishqobod: tolls 17 (ACLED), 17 (UCDP), 17 (reports), GTD's; the
	// lower median is 17, and of the 17s the finest precision first in
	// input is ACLED's row.
	if c := clusters["acled:TJK1262"]; c[1] != 1 {
		t.Errorf("Ishqobod is represented by another row than ACLED's: %v", clusters)
	}
}

// TestWithin: the sample's ACLED rows given twice under other ids are
// linked to their twins with Within, and not at all without it.
func TestWithin(t *testing.T) {
	b, err := os.ReadFile("../testdata/sample/acled.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	out := append([]string(nil), lines...)
	for _, l := range lines[1:] {
		id, rest, _ := strings.Cut(l, ",")
		out = append(out, id+"9,"+rest)
	}
	path := filepath.Join(t.TempDir(), "acled.csv")
	if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pairs, _, _ := runLink(t, DefaultOptions(), path)
	if len(pairs) != 0 {
		t.Errorf("without Within: %d pairs of one dataset", len(pairs))
	}
	opts := DefaultOptions()
	opts.Within = true
	pairs, clusters, _ := runLink(t, opts, path)
	if len(pairs) != len(lines)-1 {
		t.Errorf("with Within: %d pairs, want %d", len(pairs), len(lines)-1)
	}
	for _, p := range pairs {
		if p.left+"9" != p.right && p.right+"9" != p.left {
			t.Errorf("linked %s and %s, which are not twins", p.left, p.right)
		}
	}
	if len(clusters) != 2*(len(lines)-1) {
		t.Errorf("%d events in clusters, want %d", len(clusters), 2*(len(lines)-1))
	}
}
