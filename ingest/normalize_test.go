package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenRow is one incident as the golden JSON Lines show it, columns in
// schema order.
type goldenRow struct {
	IncidentID    string    `json:"incident_id"`
	SourceDataset string    `json:"source_dataset"`
	SourceID      string    `json:"source_id,omitempty"`
	DateStart     string    `json:"date_start"`
	DateEnd       string    `json:"date_end"`
	DatePrecision string    `json:"date_precision"`
	TimeUTC       string    `json:"time_utc,omitempty"`
	CountryISO3   string    `json:"country_iso3"`
	Country       string    `json:"country"`
	Admin1        string    `json:"admin1,omitempty"`
	Admin2        string    `json:"admin2,omitempty"`
	Location      string    `json:"location,omitempty"`
	Latitude      *float64  `json:"latitude"`
	Longitude     *float64  `json:"longitude"`
	GeoPrecision  string    `json:"geo_precision"`
	EventType     string    `json:"event_type"`
	SubEventType  string    `json:"sub_event_type,omitempty"`
	SourceEvent   string    `json:"source_event_type,omitempty"`
	ViolenceType  string    `json:"violence_type,omitempty"`
	Actor1        string    `json:"actor1,omitempty"`
	Actor2        string    `json:"actor2,omitempty"`
	AssocActors   []string  `json:"assoc_actors,omitempty"`
	ClaimedBy     string    `json:"claimed_by,omitempty"`
	Fatalities    [3]*int32 `json:"fatalities_low_best_high"`
	Parties       [4]*int32 `json:"fatalities_actor1_actor2_civilians_unknown"`
	Injured       [3]*int32 `json:"injured_low_best_high"`
	Detained      [3]*int32 `json:"detained_low_best_high"`
	Sources       []string  `json:"sources,omitempty"`
	SourceCount   int16     `json:"source_count"`
	Notes         string    `json:"notes,omitempty"`
}

func lbh(e schema.Estimate) [3]*int32 { return [3]*int32{e.Low.Ptr(), e.Best.Ptr(), e.High.Ptr()} }

func toGolden(in *schema.Incident) goldenRow {
	g := goldenRow{IncidentID: in.IncidentID, SourceDataset: in.SourceDataset, SourceID: in.SourceID,
		DateStart: in.DateStart.String(), DateEnd: in.DateEnd.String(), DatePrecision: in.DatePrecision.String(),
		CountryISO3: in.CountryISO3, Country: in.Country, Admin1: in.Admin1, Admin2: in.Admin2, Location: in.Location,
		GeoPrecision: in.GeoPrecision.String(), EventType: in.EventType.String(), SubEventType: in.SubEventType,
		SourceEvent: in.SourceEvent, ViolenceType: in.ViolenceType.String(), Actor1: in.Actor1, Actor2: in.Actor2,
		AssocActors: in.AssocActors, ClaimedBy: in.ClaimedBy, Fatalities: lbh(in.Fatalities),
		Parties: [4]*int32{in.FatalitiesActor1.Ptr(), in.FatalitiesActor2.Ptr(), in.FatalitiesCivilians.Ptr(), in.FatalitiesUnknown.Ptr()},
		Injured: lbh(in.Injured), Detained: lbh(in.Detained), Sources: in.Sources, SourceCount: in.SourceCount, Notes: in.Notes}
	if !in.TimeUTC.IsZero() {
		g.TimeUTC = in.TimeUTC.UTC().Format(time.RFC3339)
	}
	if in.Latitude.Valid {
		v := in.Latitude.Value
		g.Latitude = &v
	}
	if in.Longitude.Valid {
		v := in.Longitude.Value
		g.Longitude = &v
	}
	return g
}

// runNormalize runs Normalize over inputs with a checked allocator and
// returns the incidents, the summary, the rejects text and the number of
// records emitted.
func runNormalize(t testing.TB, inputs []string, opts Options) ([]schema.Incident, *Summary, string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	var rejects bytes.Buffer
	opts.Rejects = &rejects
	var rows []schema.Incident
	sum, err := Normalize(context.Background(), inputs, opts, func(rec arrow.Record) error {
		if !rec.Schema().Equal(schema.Arrow()) {
			return fmt.Errorf("record schema differs from schema.Arrow()")
		}
		var derr error
		rows, derr = schema.AppendIncidents(rows, rec)
		return derr
	})
	checkAccounting(t, sum, err)
	if sum != nil && int64(len(rows)) != sum.Incidents {
		t.Errorf("emitted %d rows, summary says %d", len(rows), sum.Incidents)
	}
	if sum != nil && int64(strings.Count(rejects.String(), "\n")) != sum.Rejected {
		t.Errorf("rejects file has %d lines, summary says %d", strings.Count(rejects.String(), "\n"), sum.Rejected)
	}
	return rows, sum, rejects.String(), err
}

// named returns the registered profile of that name (nil for "").
func named(t testing.TB, name string) profile.Profile {
	t.Helper()
	p, err := profile.Named(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkAccounting checks read = written + merged + rejected + unwritten,
// whether the run failed or not, and that only a failed run leaves rows
// unwritten.
func checkAccounting(t testing.TB, sum *Summary, err error) {
	t.Helper()
	if sum == nil {
		return
	}
	if sum.RowsRead != sum.Incidents+sum.Merged+sum.Rejected+sum.Filtered+sum.Unwritten {
		t.Errorf("accounting (err %v): read %d != written %d + merged %d + rejected %d + filtered %d + unwritten %d",
			err, sum.RowsRead, sum.Incidents, sum.Merged, sum.Rejected, sum.Filtered, sum.Unwritten)
	}
	if err == nil && sum.Unwritten != 0 {
		t.Errorf("a run that succeeded left %d rows unwritten", sum.Unwritten)
	}
	var in int64
	for _, is := range sum.Inputs {
		in += is.RowsRead
	}
	if in != sum.RowsRead {
		t.Errorf("inputs read %d rows, the run %d", in, sum.RowsRead)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ingest -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./ingest -update, then review the diff):\n%s", name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, w, g)
		}
	}
	return ""
}

func rowsJSONL(t testing.TB, rows []schema.Incident) string {
	var b strings.Builder
	for i := range rows {
		j, err := json.Marshal(toGolden(&rows[i]))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestGolden normalizes every fixture and compares rows, summary and rejects
// with the golden files.
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		inputs  []string
		profile string
	}{
		{"reports", []string{"../testdata/sample/reports.csv"}, ""},
		{"acled", []string{"../testdata/sample/acled.csv"}, ""},
		{"ucdp", []string{"../testdata/sample/ucdp_ged.csv"}, ""},
		{"gtd", []string{"../testdata/sample/gtd.csv"}, ""},
		{"broken_acled", []string{"testdata/broken_acled.csv"}, "acled"},
		{"broken_reports", []string{"testdata/broken_reports.csv"}, ""},
		{"broken_ucdp", []string{"testdata/broken_ucdp.csv"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, sum, rejects, err := runNormalize(t, c.inputs, Options{Profile: named(t, c.profile), Workers: 2, BatchSize: 4})
			if err != nil {
				t.Fatal(err)
			}
			var s bytes.Buffer
			sum.WriteText(&s)
			golden(t, c.name+".rows.jsonl", rowsJSONL(t, rows))
			golden(t, c.name+".summary.txt", s.String())
			golden(t, c.name+".rejects.jsonl", rejects)
			for i := range rows {
				if err := rows[i].Validate(); err != nil {
					t.Errorf("row %s written but invalid: %v", rows[i].IncidentID, err)
				}
			}
		})
	}
}

// TestSynthMessyRowsRejected: the synthetic generator (ingest/synth) puts
// exactly one bad value in a known number of rows; every one of them, and no
// other row, is rejected, in every layout.
func TestSynthMessyRowsRejected(t *testing.T) {
	for _, layout := range synth.Layouts() {
		var buf bytes.Buffer
		gs, err := synth.Generate(&buf, layout, 5000, 7, synth.Options{Messy: 0.03})
		if err != nil {
			t.Fatal(err)
		}
		o := Options{Open: source.Opener(&buf), BatchSize: 700}
		o.Read.GDELT.All = true // every GDELT row checked: a filtered row's bad value is never read
		_, sum, _, err := runNormalize(t, []string{"-"}, o)
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		if sum.Inputs[0].Profile != layout {
			t.Errorf("%s detected as %s", layout, sum.Inputs[0].Profile)
		}
		if sum.RowsRead != gs.Rows || sum.Rejected != gs.Messy {
			t.Errorf("%s: read %d rejected %d (%v), generator wrote %d rows, %d messy",
				layout, sum.RowsRead, sum.Rejected, sum.RejectReasons, gs.Rows, gs.Messy)
		}
	}
}
