package ingest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// checkErr asserts that err wraps want, that errors.As finds the one
// positional error with the file (and line, when line > 0), and that the
// message carries the "ingest: " prefix exactly once.
func checkErr(t *testing.T, name string, err, want error, file string, line int64) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err %v does not wrap %v", name, err, want)
		return
	}
	var se *source.Error
	if !errors.As(err, &se) {
		t.Errorf("%s: err %v is not a *source.Error", name, err)
	} else if se.File != file || (line > 0 && se.Line != line) {
		t.Errorf("%s: at %s:%d, want %s:%d", name, se.File, se.Line, file, line)
	}
	if n := strings.Count(err.Error(), "ingest: "); n != 1 {
		t.Errorf("%s: %q has the prefix %d times", name, err, n)
	}
}

// TestErrorsIs: errors.Is and errors.As see through every error of a run
// and of the rooms: detection, a named profile that does not fit, the
// reports header (first bound and bound again when JSON shows new keys),
// bind, row errors of readers and layouts, validation and opening.
func TestErrorsIs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	normalize := func(p string, o Options) error {
		_, err := Normalize(context.Background(), []string{p}, o, func(arrow.Record) error { return nil })
		return err
	}
	reports := "incident,source,date,country,killed\nx,AFP,2019-11-06,TJK,3\n"

	p := write("odd.csv", "a,b\n1,2\n")
	checkErr(t, "detect", normalize(p, Options{}), profile.ErrNoProfile, p, 0)

	p = write("r.csv", reports)
	checkErr(t, "named profile", normalize(p, Options{Profile: named(t, "acled")}), profile.ErrMissingColumns, p, 0)
	if _, err := profile.Named("nope"); !errors.Is(err, profile.ErrUnknownProfile) || strings.Count(err.Error(), "ingest: ") != 1 {
		t.Errorf("unknown profile: %v", err)
	}

	p = write("mood.csv", "incident,source,date,country,killed,mood\nx,AFP,2019-11-06,TJK,3,grim\n")
	checkErr(t, "reports header", normalize(p, Options{}), profile.ErrUnknownColumns, p, 0)
	p = write("grow.jsonl", `{"incident":"x","source":"AFP","date":"2019-11-06","country":"TJK"}`+"\n"+
		`{"incident":"y","source":"AFP","date":"2019-11-06","country":"TJK","mood":"grim"}`+"\n")
	checkErr(t, "reports header, rebound", normalize(p, Options{}), profile.ErrUnknownColumns, p, 2) // the line of the new key

	p = write("hdr.csv", "incident,\"source\nx,AFP\n")
	checkErr(t, "header syntax", normalize(p, Options{}), source.ErrSyntax, p, 1)
	p = write("empty.csv", "")
	checkErr(t, "no header", normalize(p, Options{}), source.ErrNoHeader, p, 0)
	p = filepath.Join(dir, "missing.csv")
	checkErr(t, "open", normalize(p, Options{}), fs.ErrNotExist, p, 0)
	checkErr(t, "stdin", normalize("-", Options{Open: source.Opener(strings.NewReader(""))}), source.ErrNoHeader, "-", 0)

	// bind
	rp, _ := profile.Lookup("reports")
	_, err := rp.Bind(profile.NewHeader([]string{"incident", "source", "mood"}), &profile.Options{})
	if !errors.Is(err, profile.ErrUnknownColumns) {
		t.Errorf("bind: %v", err)
	}

	// row errors: a reader's, a layout's, validation's
	p = write("ragged.csv", "a,b\n1,2,3\n")
	in, err := source.Open(p, source.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = in.Src.Next()
	in.Close()
	checkErr(t, "ragged row", err, source.ErrRaggedRow, p, 2)

	ap, _ := profile.Lookup("acled")
	h := profile.NewHeader([]string{"event_id_cnty", "event_date", "event_type", "sub_event_type", "country", "fatalities"})
	conv, err := ap.Bind(h, &profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var inc schema.Incident
	err = conv.Convert(&profile.Row{File: "a.csv", Line: 7, Warn: func(string) {},
		Fields: []string{"MLI1", "2020-02-15", "Battles", "Armed clash", "Mali", "many"}}, &inc)
	checkErr(t, "layout row", err, value.ErrBadCasualty, "a.csv", 7)
	if se := (*source.Error)(nil); errors.As(err, &se) && (se.Column != 6 || se.Field != "fatalities" || se.Text != "many") {
		t.Errorf("layout row: column %d field %q text %q", se.Column, se.Field, se.Text)
	}
	err = conv.Convert(&profile.Row{File: "a.csv", Line: 8, Warn: func(string) {},
		Fields: []string{"", "2020-02-15", "Battles", "Armed clash", "Mali", "1"}}, &inc)
	checkErr(t, "required", err, schema.ErrRequired, "a.csv", 8)

	inc = schema.Incident{IncidentID: "x", SourceDataset: "acled", CountryISO3: "MLI", Country: "Mali",
		Latitude: schema.Float64(123), Longitude: schema.Float64(1)}
	verr := validationReject("a.csv", 9, inc.Validate(), h, ap)
	checkErr(t, "validation", verr, schema.ErrCoordinates, "a.csv", 9)
	if !errors.Is(verr, ErrInvalid) {
		t.Errorf("validation: %v does not wrap ErrInvalid", verr)
	}

	// a reject's reason is its cause, without the prefix
	var rejects strings.Builder
	p = write("bad.csv", "incident,source,date,country,killed\nx,AFP,2019-11-06,TJK,lots\n")
	if _, err := Normalize(context.Background(), []string{p}, Options{Rejects: &rejects}, func(arrow.Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if r := rejects.String(); !strings.Contains(r, `"reason":"unreadable casualty figure: `) {
		t.Errorf("reject reason: %s", r)
	}
}
