package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/xuri/excelize/v2"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// reportsAs rewrites the sample reports (first n rows) in another format.
func reportsAs(t *testing.T, dir, format string, n int) string {
	t.Helper()
	hdr, rows := readRows(t, "../testdata/sample/reports.csv")
	rows = rows[:min(n, len(rows))]
	var out bytes.Buffer
	path := filepath.Join(dir, "reports."+format)
	switch format {
	case "tsv":
		out.WriteString(strings.Join(hdr, "\t") + "\r\n")
		for _, r := range rows {
			out.WriteString(strings.Join(r, "\t") + "\r\n")
		}
	case "jsonl", "json":
		if format == "json" {
			out.WriteString("[\n")
		}
		for i, r := range rows {
			out.WriteString("{")
			for j, v := range r {
				if j > 0 {
					out.WriteString(", ")
				}
				fmt.Fprintf(&out, "%q: %q", hdr[j], v)
			}
			out.WriteString("}")
			if format == "json" && i < len(rows)-1 {
				out.WriteString(",")
			}
			out.WriteString("\n")
		}
		if format == "json" {
			out.WriteString("]\n")
		}
	case "xlsx":
		f := excelize.NewFile()
		for j, h := range hdr {
			cell, _ := excelize.CoordinatesToCellName(j+1, 1)
			f.SetCellValue("Sheet1", cell, h)
		}
		for i, r := range rows {
			for j, v := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
				f.SetCellValue("Sheet1", cell, v)
			}
		}
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func compress(t *testing.T, path, kind string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	switch kind {
	case "gz":
		w := gzip.NewWriter(&out)
		w.Write(b)
		w.Close()
	case "zst":
		w, _ := zstd.NewWriter(&out)
		w.Write(b)
		w.Close()
	}
	p := path + "." + kind
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFormats: the same reports as CSV, TSV (CRLF), JSON Lines, a JSON array,
// xlsx, gzip and zstd give the same incidents.
func TestFormats(t *testing.T) {
	dir := t.TempDir()
	const n = 12
	csvPath := filepath.Join(dir, "reports.csv")
	b, _ := os.ReadFile("../testdata/sample/reports.csv")
	lines := strings.SplitAfter(string(b), "\n")
	os.WriteFile(csvPath, []byte(strings.Join(lines[:n+1], "")), 0o644)
	want, _, _, err := runNormalize(t, []string{csvPath}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no incidents from the CSV")
	}
	wantJSON := rowsJSONL(t, want)
	paths := map[string]string{
		"tsv":      reportsAs(t, dir, "tsv", n),
		"jsonl":    reportsAs(t, dir, "jsonl", n),
		"json":     reportsAs(t, dir, "json", n),
		"xlsx":     reportsAs(t, dir, "xlsx", n),
		"csv+gzip": compress(t, csvPath, "gz"),
		"csv+zstd": compress(t, csvPath, "zst"),
	}
	for format, p := range paths {
		got, sum, rejects, err := runNormalize(t, []string{p}, Options{})
		if err != nil {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if sum.Inputs[0].Format != format {
			t.Errorf("%s: format detected as %s", format, sum.Inputs[0].Format)
		}
		if g := rowsJSONL(t, got); g != wantJSON {
			t.Errorf("%s: incidents differ from the CSV's:\n%s\nrejects: %s", format, firstDiff(wantJSON, g), rejects)
		}
	}
	// stdin, no extension: sniffed
	f, _ := os.Open(csvPath)
	defer f.Close()
	got, _, _, err := runNormalize(t, []string{"-"}, Options{Open: source.Opener(f)})
	if err != nil || rowsJSONL(t, got) != wantJSON {
		t.Errorf("stdin: err %v, rows differ", err)
	}
}

func TestUnknownColumns(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.csv")
	os.WriteFile(p, []byte("incident,source,date,country,killed,mood\nx,AFP,2019-11-06,TJK,3,grim\n"), 0o644)
	if _, _, _, err := runNormalize(t, []string{p}, Options{}); err == nil || !strings.Contains(err.Error(), "mood") {
		t.Errorf("unknown column: err = %v, want one naming mood", err)
	}
	rows, sum, _, err := runNormalize(t, []string{p}, Options{Read: profile.Options{Reports: profile.ReportsOptions{IgnoreUnknown: true}}})
	if err != nil || len(rows) != 1 || len(sum.Inputs[0].UnusedColumns) != 1 {
		t.Errorf("--ignore-unknown: rows %d err %v summary %+v", len(rows), err, sum)
	}
	if _, _, _, err := runNormalize(t, []string{p}, Options{Profile: named(t, "acled")}); err == nil || !strings.Contains(err.Error(), "event_id_cnty") {
		t.Errorf("--profile acled on a reports file: err = %v, want the missing ACLED columns named", err)
	}
	os.WriteFile(p, []byte("what,ever\n1,2\n"), 0o644)
	if _, _, _, err := runNormalize(t, []string{p}, Options{}); err == nil || !strings.Contains(err.Error(), "event_id_cnty") {
		t.Errorf("unknown layout: err = %v, want the expected columns listed", err)
	}
}

func TestMapping(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.yaml")
	os.WriteFile(m, []byte("dataset: monitor\ncolumns:\n  EventID: source_id\n  Day: date\n  Nation: country\n  Dead: killed\n  Town: location\n"), 0o644)
	p := filepath.Join(dir, "m.csv")
	os.WriteFile(p, []byte("EventID,Day,Nation,Dead,Town,Extra\n7,2019-11-06,Tajikistan,17,Ishqobod,x\n8,2019-11-07,Tajikistan,oops,Dushanbe,y\n"), 0o644)
	mp, err := profile.LoadMapping(m)
	if err != nil {
		t.Fatal(err)
	}
	rows, sum, rejects, err := runNormalize(t, []string{p}, Options{Profile: mp.Profile()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].IncidentID != "monitor:7" || rows[0].SourceDataset != "monitor" || !rows[0].Fatalities.Best.Valid || rows[0].Fatalities.Best.Value != 17 {
		t.Errorf("rows %+v", rows)
	}
	if sum.Rejected != 1 || !strings.Contains(rejects, `"field":"Dead"`) && !strings.Contains(rejects, `"field":"killed"`) {
		t.Errorf("rejects %s", rejects)
	}
	if got := strings.Join(sum.Inputs[0].UnusedColumns, ","); got != "Extra" {
		t.Errorf("unused %q", got)
	}
	os.WriteFile(m, []byte("dataset: monitor\ncolumns:\n  EventID: fatalities\n"), 0o644)
	if _, err := profile.LoadMapping(m); err == nil {
		t.Error("mapping to an unknown column accepted")
	}
}

// TestDeterministic: any Workers and BatchSize give the same rows and rejects.
func TestDeterministic(t *testing.T) {
	inputs := []string{"../testdata/sample/acled.csv", "testdata/broken_acled.csv", "../testdata/sample/ucdp_ged.csv", "../testdata/sample/gtd.csv"}
	var first, firstRej string
	for _, o := range []Options{{Workers: 1, BatchSize: 1000}, {Workers: 4, BatchSize: 1}, {Workers: 3, BatchSize: 2}} {
		o.Profile = nil
		rows, _, rej, err := runNormalize(t, inputs, o)
		if err != nil {
			t.Fatal(err)
		}
		got := rowsJSONL(t, rows)
		if first == "" {
			first, firstRej = got, rej
			continue
		}
		if got != first || rej != firstRej {
			t.Errorf("workers %d batch %d: output differs:\n%s", o.Workers, o.BatchSize, firstDiff(first, got))
		}
	}
}

// TestEmitError: the caller's error stops the run and is the one returned
// (not the cancellation it causes), no record is left unreleased, and the
// summary counts nothing as written: the rows of the refused record are
// unwritten.
func TestEmitError(t *testing.T) {
	boom := errors.New("boom")
	for _, input := range []string{"../testdata/sample/acled.csv", "../testdata/sample/reports.csv"} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		calls := 0
		sum, err := Normalize(context.Background(), []string{input}, Options{BatchSize: 1, Workers: 2, Mem: mem},
			func(arrow.Record) error { calls++; return boom })
		if !errors.Is(err, boom) {
			t.Errorf("%s: err = %v, want boom", input, err)
		}
		checkAccounting(t, sum, err)
		if sum.Incidents != 0 || sum.Unwritten == 0 {
			t.Errorf("%s: %d written, %d unwritten: emit took nothing", input, sum.Incidents, sum.Unwritten)
		}
		if calls != 1 {
			t.Errorf("%s: emit called %d times after its error", input, calls)
		}
		mem.AssertSize(t, 0)
	}
}

// TestCancel: cancelling the context stops a run in every stage (the
// reader, the workers, the in-order stage, the emitter) and returns
// context.Canceled; no record is left unreleased.
func TestCancel(t *testing.T) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "acled", 5000, 1, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{1, 3, 10} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		ctx, cancel := context.WithCancel(context.Background())
		n, taken := 0, int64(0)
		sum, err := Normalize(ctx, []string{"-"}, Options{Open: source.Opener(bytes.NewReader(buf.Bytes())),
			BatchSize: 50, Workers: 3, Mem: mem}, func(rec arrow.Record) error {
			if n++; n == at {
				cancel()
			}
			taken += rec.NumRows()
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancel after %d records: err = %v, want context.Canceled", at, err)
		}
		checkAccounting(t, sum, err)
		if sum.Incidents != taken {
			t.Errorf("cancel after %d records: summary says %d written, emit took %d", at, sum.Incidents, taken)
		}
		if n > at {
			t.Errorf("cancel after %d records: %d emitted", at, n)
		}
		mem.AssertSize(t, 0)
	}
}

// readRows reads a whole input through package source: its header and
// rows.
func readRows(t testing.TB, path string) ([]string, [][]string) {
	t.Helper()
	in, err := source.Open(path, source.OpenOptions{NoChecksum: true})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	hdr := append([]string(nil), in.Src.Header()...)
	var rows [][]string
	for {
		f, _, err := in.Src.Next()
		if err == io.EOF {
			return hdr, rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]string(nil), f...))
	}
}

// TestXLSXSerialDates: a date cell (stored as an Excel serial day number)
// reads as that day; text cells are parsed as text.
func TestXLSXSerialDates(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.xlsx")
	f := excelize.NewFile()
	for j, h := range []string{"incident", "source", "date", "country", "killed", "time"} {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		f.SetCellValue("Sheet1", cell, h)
	}
	f.SetSheetRow("Sheet1", "A2", &[]any{"a", "AFP", time.Date(2019, 11, 6, 0, 0, 0, 0, time.UTC), "Tajikistan", 17, 0.145833333333333})
	f.SetSheetRow("Sheet1", "A3", &[]any{"b", "AFP", "6 Nov 2019", "TJK", "at least 10", "22:30 GMT"})
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	rows, sum, rejects, err := runNormalize(t, []string{p}, Options{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %d err %v rejects %s", len(rows), err, rejects)
	}
	for _, r := range rows {
		if r.DateStart.String() != "2019-11-06" {
			t.Errorf("%s: date %s, want 2019-11-06", r.IncidentID, r.DateStart)
		}
	}
	// 0.1458333 of a day is 03:30 local in Dushanbe (UTC+5), 22:30Z the day
	// before; "22:30 GMT" on a local 6 November is the same instant
	for _, r := range rows {
		if want := "2019-11-05T22:30:00Z"; r.TimeUTC.Format(time.RFC3339) != want {
			t.Errorf("%s: time_utc %v, want %s", r.IncidentID, r.TimeUTC, want)
		}
	}
	if sum.Inputs[0].Format != source.FormatXLSX {
		t.Errorf("format %s", sum.Inputs[0].Format)
	}
}

// TestActorAliases: --actors canonicalizes every actor column.
func TestActorAliases(t *testing.T) {
	actors, err := value.ParseActorNames(strings.NewReader("Islamic State: [ISIS, IS, ISIL, Daesh]\n"), "actors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "r.jsonl")
	os.WriteFile(p, []byte(`{"incident":"x","source":"AFP","date":"2019-11-06","country":"TJK","actor1":"  ISIS ","killed":"3"}
{"incident":"x","source":"claim","claim":true,"date":"2019-11-06","country":"TJK","actor1":"Daesh","claimed_by":"isil","killed":"10","sources":["Amaq","AFP"]}
`), 0o644)
	if _, _, _, err := runNormalize(t, []string{p}, Options{Read: profile.Options{Actors: actors}}); err == nil || !strings.Contains(err.Error(), "sources") {
		t.Errorf("a key first seen in the second JSON object: err %v, want unknown column sources", err)
	}
	rows, sum, rejects, err := runNormalize(t, []string{p}, Options{Read: profile.Options{Actors: actors, Reports: profile.ReportsOptions{IgnoreUnknown: true}}})
	if got := strings.Join(sum.Inputs[0].UnusedColumns, ","); got != "sources" {
		t.Errorf("unused columns %q, want sources", got)
	}
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %d err %v rejects %s", len(rows), err, rejects)
	}
	if rows[0].Actor1 != "Islamic State" || rows[0].ClaimedBy != "Islamic State" {
		t.Errorf("actor1 %q claimed_by %q", rows[0].Actor1, rows[0].ClaimedBy)
	}
	if strings.Contains(rows[0].Notes, "actor1") {
		t.Errorf("aliases of one actor noted as a disagreement: %q", rows[0].Notes)
	}
}

// TestOpenAndProgress: Options.Open reads from a file system (as demo does
// with the embedded sample), and Progress reports raw bytes, never going
// back, ending at the input's size.
func TestOpenAndProgress(t *testing.T) {
	fsys := os.DirFS("..")
	var seen []int64
	opts := Options{
		Open:      func(name string) (io.ReadCloser, error) { return fsys.Open(name) },
		Progress:  func(n int64) { seen = append(seen, n) },
		BatchSize: 3,
	}
	rows, sum, _, err := runNormalize(t, []string{"testdata/sample/acled.csv"}, opts)
	if err != nil || len(rows) != 12 {
		t.Fatalf("rows %d err %v", len(rows), err)
	}
	st, _ := os.Stat("../testdata/sample/acled.csv")
	if len(seen) == 0 || seen[len(seen)-1] != st.Size() {
		t.Errorf("progress %v, want it to end at %d", seen, st.Size())
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("progress went back: %v", seen)
		}
	}
	raw, _ := os.ReadFile("../testdata/sample/acled.csv")
	if want := fmt.Sprintf("%x", sha256.Sum256(raw)); sum.Inputs[0].SHA256 != want {
		t.Errorf("sha256 %s, want %s", sum.Inputs[0].SHA256, want)
	}
}

// TestGTDFromXLSX: the GTD ships as a spreadsheet; the fixture saved as xlsx
// with numeric cells as numbers gives the same incidents as the CSV.
func TestGTDFromXLSX(t *testing.T) {
	const src = "../testdata/sample/gtd.csv"
	want, _, _, err := runNormalize(t, []string{src}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	hdr, rows := readRows(t, src)
	f := excelize.NewFile()
	row := 1
	put := func(cells []string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			if n, err := strconv.ParseFloat(c, 64); err == nil {
				vals[i] = n
			} else {
				vals[i] = c
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetSheetRow("Sheet1", cell, &vals)
		row++
	}
	put(hdr)
	for _, cells := range rows {
		put(cells)
	}
	p := filepath.Join(t.TempDir(), "globalterrorismdb.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	got, sum, rejects, err := runNormalize(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Inputs[0].Profile != "gtd" {
		t.Errorf("profile %s", sum.Inputs[0].Profile)
	}
	if w, g := rowsJSONL(t, want), rowsJSONL(t, got); w != g {
		t.Errorf("xlsx differs from csv:\n%s\nrejects: %s", firstDiff(w, g), rejects)
	}
}

// Every test of the package runs with recycled CSV buffers overwritten, so a
// field string kept past its chunk changes some output.
func init() { poisonRecycled = true }

// TestDeterministicRecycled: generated inputs of many blocks (messy rows,
// quoted line breaks) give the same rows and rejects with small blocks
// parsed by several workers, whose buffers are recycled while later blocks
// are read, as with one block read by one worker.
func TestDeterministicRecycled(t *testing.T) {
	dir := t.TempDir()
	var inputs []string
	for _, layout := range []string{"acled", "ucdp-ged", "gtd"} {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, layout, 3000, 7, synth.Options{Messy: 0.05}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, layout+".csv")
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	var first, firstRej string
	for _, o := range []Options{{Workers: 1, BatchSize: 1 << 20}, {Workers: 3, BatchSize: 37}, {Workers: 2, BatchSize: 500}} {
		rows, sum, rej, err := runNormalize(t, inputs, o)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rejected == 0 || sum.Incidents < 8000 {
			t.Fatalf("workers %d batch %d: %d written, %d rejected: the messy rows should give some rejects", o.Workers, o.BatchSize, sum.Incidents, sum.Rejected)
		}
		got := rowsJSONL(t, rows)
		if first == "" {
			first, firstRej = got, rej
			continue
		}
		if got != first {
			t.Errorf("workers %d batch %d: rows differ:\n%s", o.Workers, o.BatchSize, firstDiff(first, got))
		}
		if rej != firstRej {
			t.Errorf("workers %d batch %d: rejects differ:\n%s", o.Workers, o.BatchSize, firstDiff(firstRej, rej))
		}
	}
}

// TestProjectedColumns: with Options.Columns (and NoChecksum) the records carry those columns
// (and incident_id) only, with the values and the accounting of a full run,
// but for the rows a full run rejects only for a field behind a column the
// projection does not build (broken_acled.csv's bad latitude): those are
// written. Every other reject is the full run's, line for line.
func TestProjectedColumns(t *testing.T) {
	inputs := []string{"../testdata/sample/acled.csv", "testdata/broken_acled.csv", "../testdata/sample/ucdp_ged.csv", "../testdata/sample/reports.csv"}
	full, fsum, frej, err := runNormalize(t, inputs, Options{Workers: 2, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	var names [][]string
	var rows []schema.Incident
	var years []string
	var rejects bytes.Buffer
	sum, err := Normalize(context.Background(), inputs, Options{Workers: 2, BatchSize: 3, Rejects: &rejects,
		Columns: []string{"country_iso3", "year", "fatalities_best"}, NoChecksum: true}, func(rec arrow.Record) error {
		var n []string
		for _, f := range rec.Schema().Fields() {
			n = append(n, f.Name)
		}
		names = append(names, n)
		for i := 0; i < int(rec.NumRows()); i++ {
			years = append(years, rec.Column(1).ValueStr(i))
		}
		var err error
		rows, err = schema.AppendIncidents(rows, rec)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var kept strings.Builder
	outside := 0 // full-run rejects for a field the projection does not read
	for _, line := range strings.SplitAfter(frej, "\n") {
		if line == "" {
			continue
		}
		var r struct{ Field string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		switch r.Field {
		case "latitude", "longitude", "geo_precision":
			outside++
		default:
			kept.WriteString(line)
		}
	}
	if outside == 0 {
		t.Fatal("the inputs have no row rejected for its coordinates: the test needs one")
	}
	if sum.RowsRead != fsum.RowsRead || sum.Incidents != fsum.Incidents+int64(outside) || sum.Rejected != fsum.Rejected-int64(outside) ||
		sum.Merged != fsum.Merged || rejects.String() != kept.String() {
		t.Fatalf("projected run accounts differently: %+v vs %+v (%d rejects outside the projection)\n%s\nvs\n%s", sum, fsum, outside, rejects.String(), kept.String())
	}
	for i, in := range sum.Inputs {
		if in.SHA256 != "" || len(fsum.Inputs[i].SHA256) != 64 {
			t.Errorf("input %d: sha256 %q with NoChecksum, %q without", i, in.SHA256, fsum.Inputs[i].SHA256)
		}
	}
	for _, n := range names {
		if strings.Join(n, ",") != "incident_id,year,country_iso3,fatalities_best" {
			t.Fatalf("record columns %v", n)
		}
	}
	if len(rows) != len(full)+outside {
		t.Fatalf("%d rows, full run %d + %d", len(rows), len(full), outside)
	}
	j := 0 // the full run's rows are the projected run's, in order, less the outside rejects
	for i := range rows {
		if j < len(full) && rows[i].IncidentID == full[j].IncidentID {
			f := full[j]
			if rows[i].CountryISO3 != f.CountryISO3 || rows[i].Fatalities.Best != f.Fatalities.Best || years[i] != strconv.Itoa(int(f.Year())) {
				t.Errorf("row %d: %+v, full run %+v", i, rows[i], f)
			}
			j++
		}
	}
	if j != len(full) {
		t.Errorf("%d of the full run's %d rows found in order among the projected run's", j, len(full))
	}
	if _, err := Normalize(context.Background(), inputs, Options{Columns: []string{"deaths"}}, func(arrow.Record) error { return nil }); err == nil {
		t.Error("unknown column accepted")
	}
}
