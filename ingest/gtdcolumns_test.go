package ingest

import (
	"slices"
	"testing"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/synth"
)

// TestGTDColumnListsAgree: the GTD column order is written twice, in the
// profile (what --no-header reads) and in the generator (what the tests and
// benchmarks feed it); a column moved in one must fail here.
func TestGTDColumnListsAgree(t *testing.T) {
	p, err := profile.Named("gtd")
	if err != nil {
		t.Fatal(err)
	}
	fl, ok := p.(profile.FixedLayout)
	if !ok {
		t.Fatal("the gtd profile has no fixed column order")
	}
	gen, err := synth.Header("gtd")
	if err != nil {
		t.Fatal(err)
	}
	if got := fl.FixedColumns(); !slices.Equal(got, gen) {
		t.Errorf("profile's GTD columns (%d) differ from synth's (%d)", len(got), len(gen))
	}
}
