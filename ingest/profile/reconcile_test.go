package profile

import (
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

func est(lo, best, hi int32) schema.Estimate {
	var e schema.Estimate
	if lo >= 0 {
		e.Low = schema.Int32(lo)
	}
	if best >= 0 {
		e.Best = schema.Int32(best)
	}
	if hi >= 0 {
		e.High = schema.Int32(hi)
	}
	return e
}

// TestReconcileEstimate works SCHEMA.md's rules by hand (-1 = null).
func TestReconcileEstimate(t *testing.T) {
	cases := []struct {
		name    string
		es      []schema.Estimate
		claims  []bool
		want    schema.Estimate
		widened bool
	}{
		{"one exact", []schema.Estimate{est(17, 17, 17)}, []bool{false}, est(17, 17, 17), false},
		{"lower median of two", []schema.Estimate{est(4, 4, 4), est(5, 5, 5)}, []bool{false, false}, est(4, 4, 5), false},
		{"median of three", []schema.Estimate{est(10, 10, 10), est(30, 30, 30), est(20, 20, 20)}, []bool{false, false, false}, est(10, 20, 30), false},
		{"claim raises high only", []schema.Estimate{est(17, 17, 17), est(200, 200, -1)}, []bool{false, true}, est(17, 17, 200), false},
		{"only a claim", []schema.Estimate{est(-1, -1, -1), est(10, 10, -1)}, []bool{false, true}, est(-1, 10, 10), false},
		{"unbounded counts as its low", []schema.Estimate{est(10, 10, -1)}, []bool{false}, est(10, 10, 10), false},
		{"up to", []schema.Estimate{est(-1, 20, 20), est(12, 12, 12)}, []bool{false, false}, est(12, 12, 20), false},
		{"range", []schema.Estimate{est(15, 17, 20)}, []bool{false}, est(15, 17, 20), false},
		{"conflict widened", []schema.Estimate{est(-1, 20, 20), est(30, 30, -1)}, []bool{false, false}, est(20, 20, 30), true},
		{"all null", []schema.Estimate{{}, {}}, []bool{false, true}, schema.Estimate{}, false},
		{"zero is known", []schema.Estimate{est(0, 0, 0), {}}, []bool{false, false}, est(0, 0, 0), false},
	}
	for _, c := range cases {
		got, w := reconcileEstimate(c.es, c.claims)
		if got != c.want || w != c.widened {
			t.Errorf("%s: got %v widened=%v, want %v widened=%v", c.name, got, w, c.want, c.widened)
		}
	}
}

func TestSumEstimates(t *testing.T) {
	if got, want := sumEstimates(est(15, 15, 15), est(2, 2, 2)), est(17, 17, 17); got != want {
		t.Errorf("15+2 = %v, want %v", got, want)
	}
	if got, want := sumEstimates(est(10, 10, -1), schema.Estimate{}), est(10, 10, -1); got != want {
		t.Errorf("at least 10 + null = %v, want %v", got, want)
	}
	if got := sumEstimates(schema.Estimate{}, schema.Estimate{}); !got.IsNull() {
		t.Errorf("null + null = %v, want null", got)
	}
}

// TestReconcileOrder: the earliest non-claim report wins date and place even
// when it comes later in the file, and a claim never wins over a report.
func TestReconcileOrder(t *testing.T) {
	tjk := value.Country{ISO3: "TJK", Name: "Tajikistan"}
	d6, d7 := schema.DateOf(2019, 11, 6), schema.DateOf(2019, 11, 7)
	reps := []Report{
		{Incident: "x", Source: "claim", Claim: true, HasReport: true, ReportDate: d6 - 5, HasDate: true, DateStart: d7, DateEnd: d7, DateText: "7 Nov", Country: tjk, HasCountry: true, Location: "C", Actor1: "IS"},
		{Incident: "x", Source: "late", HasReport: true, ReportDate: d7, HasDate: true, DateStart: d7, DateEnd: d7, DateText: "7 Nov", Country: tjk, HasCountry: true, Location: "B"},
		{Incident: "x", Source: "early", HasReport: true, ReportDate: d6, HasDate: true, DateStart: d6, DateEnd: d6, DateText: "6 Nov", Country: tjk, HasCountry: true, Location: "A", Killed: est(3, 3, 3)},
	}
	for i := range reps {
		reps[i].Order = i
	}
	in, err := ReconcileReports(reps)
	if err != nil {
		t.Fatal(err)
	}
	if in.DateStart != d6 || in.Location != "A" {
		t.Errorf("winner: date %s location %q, want 2019-11-06 A", in.DateStart, in.Location)
	}
	if in.ClaimedBy != "IS" {
		t.Errorf("claimed_by = %q, want the claim's actor1", in.ClaimedBy)
	}
	for _, want := range []string{`date "7 Nov" (late)`, `location "B" (late)`, `location "C" (claim)`} {
		if !strings.Contains(in.Notes, want) {
			t.Errorf("notes %q lack %q", in.Notes, want)
		}
	}
	if got := strings.Join(in.Sources, ","); got != "claim,late,early" {
		t.Errorf("sources = %s, want input order", got)
	}
	if _, err := ReconcileReports([]Report{{Incident: "y", Source: "s", HasCountry: true, Country: tjk}}); err == nil {
		t.Error("an incident without any date reconciled")
	}
}
