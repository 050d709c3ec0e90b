package stats

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// TestPartialsMergeToResult: the rows accumulated in parts (each quarter of
// the records to its own accumulator), their Partials merged per group and
// finished by Summarize give Accumulator.Result of the whole input: every
// count, sum, quantile, maximum id, period statistic and tail fit
// exactly, the standard deviations within 1e-12 relative (Chan's merge).
func TestPartialsMergeToResult(t *testing.T) {
	incidents, _ := goldenDataset(20000, 3)
	for _, opts := range []Options{
		{By: []string{"country_iso3", "year"}, Period: "month"},
		{By: []string{"event_type"}, Tail: true, Bootstrap: 20, Seed: 1},
		{By: []string{"country_iso3"}, Period: "quarter", Series: true},
		{By: []string{"year"}, Top: 3},
		{},
	} {
		whole, _ := NewAccumulator(opts)
		parts := make([]*Accumulator, 4)
		for i := range parts {
			parts[i], _ = NewAccumulator(opts)
		}
		for k, start := 0, 0; start < len(incidents); k, start = k+1, start+1000 {
			rec := schema.NewRecord(memory.DefaultAllocator, incidents[start:start+1000])
			if err := whole.Add(rec); err != nil {
				t.Fatal(err)
			}
			if err := parts[k*4/20].Add(rec); err != nil { // quarters: part order is input order
				t.Fatal(err)
			}
			rec.Release()
		}
		want, err := whole.Result()
		if err != nil {
			t.Fatal(err)
		}
		merged := map[string]*Partial{}
		var order []string
		for pi, acc := range parts {
			for _, p := range acc.Partials() {
				for q := range p.Qty { // the first part in input order keeps a tied maximum
					p.Qty[q].MaxOrder = uint64(pi)
				}
				k := fmt.Sprintf("%+v", p.Key)
				if m, ok := merged[k]; ok {
					m.Merge(p)
				} else {
					merged[k] = p
					order = append(order, k)
				}
			}
		}
		var all []*Partial
		for _, k := range order {
			all = append(all, merged[k])
		}
		got, err := Summarize(context.Background(), opts, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(want.Rows) || len(got.Columns) != len(want.Columns) {
			t.Fatalf("%+v: %d rows, want %d", opts, len(got.Rows), len(want.Rows))
		}
		for i := range want.Rows {
			for j, c := range want.Columns {
				g, w := got.Rows[i][j], want.Rows[i][j]
				if c.Kind == KindFloat && !g.Null && !w.Null && g.Num != w.Num {
					if math.Abs(g.Num-w.Num) > 1e-12*math.Abs(w.Num) || !isStd(c.Name) {
						t.Errorf("%+v row %d %s: %v, want %v", opts, i, c.Name, g.Num, w.Num)
					}
					continue
				}
				if g != w {
					t.Errorf("%+v row %d %s: %+v, want %+v", opts, i, c.Name, g, w)
				}
			}
		}
	}
}

func isStd(name string) bool { return len(name) > 4 && name[len(name)-4:] == "_std" }
