package profile

import (
	"errors"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

func TestMappingSplitDate(t *testing.T) {
	m, err := ParseMapping(strings.NewReader("dataset: gtd-extract\ncolumns: {iyear: year, imonth: month, iday: day, country_txt: country}\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := m.Profile().Bind(NewHeader([]string{"iyear", "imonth", "iday", "country_txt"}), &Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := schema.DateOf
	for _, c := range []struct {
		y, mo, dd  string
		start, end schema.Date
		prec       schema.DatePrecision
	}{
		{"2000", "1", "17", d(2000, 1, 17), d(2000, 1, 17), schema.DateDay},
		{"2000", "1", "0", d(2000, 1, 1), d(2000, 1, 31), schema.DateMonth},       // GTD iday 0
		{"2001", "2", "", d(2001, 2, 1), d(2001, 2, 28), schema.DateMonth},        // blank = 0
		{"2001", "0", "0", d(2001, 1, 1), d(2001, 12, 31), schema.DateYear},       // GTD imonth 0
		{"2004.0", "2.0", "29.0", d(2004, 2, 29), d(2004, 2, 29), schema.DateDay}, // pandas floats
	} {
		var in schema.Incident
		r := &Row{File: "f.csv", Line: 2, Fields: []string{c.y, c.mo, c.dd, "Colombia"}, Warn: func(string) {}}
		if err := conv.Convert(r, &in); err != nil {
			t.Errorf("%s-%s-%s: %v", c.y, c.mo, c.dd, err)
			continue
		}
		if in.DateStart != c.start || in.DateEnd != c.end || in.DatePrecision != c.prec {
			t.Errorf("%s-%s-%s: %v..%v %v, want %v..%v %v", c.y, c.mo, c.dd, in.DateStart, in.DateEnd, in.DatePrecision, c.start, c.end, c.prec)
		}
	}
	// A day in an unknown month, and a negative part, are rejects of a date.
	for _, f := range [][]string{{"2001", "0", "5", "Chile"}, {"2001", "-1", "0", "Chile"}, {"2001", "13", "1", "Chile"}} {
		var in schema.Incident
		err := conv.Convert(&Row{File: "f.csv", Line: 3, Fields: f, Warn: func(string) {}}, &in)
		if !errors.Is(err, value.ErrBadDate) {
			t.Errorf("%q: %v, want ErrBadDate", f, err)
		}
	}
}

func TestMappingSplitDateChecks(t *testing.T) {
	for _, y := range []string{
		"dataset: x\ncolumns: {Day: date, Year: year}\n",  // both
		"dataset: x\ncolumns: {Month: month, Day: day}\n", // no year
		"dataset: x\ncolumns: {Year: year, Day: day}\n",   // day without month
	} {
		if _, err := ParseMapping(strings.NewReader(y), "m.yaml"); !errors.Is(err, ErrBadMapping) {
			t.Errorf("%q: %v, want ErrBadMapping", y, err)
		}
	}
	if _, err := ParseMapping(strings.NewReader("dataset: x\ncolumns: {Year: year}\n"), "m.yaml"); err != nil {
		t.Errorf("year alone: %v", err)
	}
}

// FuzzParseMapping: any --mapping file either fails with ErrBadMapping or
// gives a profile that binds a header of exactly its columns and converts a
// row of blanks or of the file's own text with an error or without, not a panic.
func FuzzParseMapping(f *testing.F) {
	f.Add("dataset: mine\ncolumns:\n  Dead: killed\n  When: date\n  Where: country\n")
	f.Add("dataset: mine\ncolumns: {Y: year, M: month, D: day}\n")
	f.Add("dataset: mine\ncolumns: {}\n")
	f.Add("dataset: a b\n")
	f.Add("dataset: mine\ncolumns: {A: date, B: date}\nextra: 1\n")
	f.Add("columns: &c {A: date}\ndataset: *c\n")
	f.Fuzz(func(t *testing.T, doc string) {
		m, err := ParseMapping(strings.NewReader(doc), "map.yaml")
		if err != nil {
			if !errors.Is(err, ErrBadMapping) {
				t.Fatalf("error is not ErrBadMapping: %v", err)
			}
			return
		}
		p := m.Profile()
		cols := p.Columns()
		conv, err := p.Bind(NewHeader(cols), &Options{})
		if err != nil {
			return
		}
		for _, fill := range []string{"", doc} {
			fields := make([]string, len(cols))
			for i := range fields {
				fields[i] = fill
			}
			var in schema.Incident
			conv.Convert(&Row{File: "f.csv", Line: 2, Fields: fields, Warn: func(string) {}}, &in)
		}
	})
}

// A value that does not parse is reported under the user's column name
// (Dead), not the reports-layout column it maps to (killed).
func TestMappingParseErrorNamesUserColumn(t *testing.T) {
	m, err := ParseMapping(strings.NewReader("dataset: mine\ncolumns: {When: date, Where: country, Dead: killed}\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := m.Profile().Bind(NewHeader([]string{"When", "Where", "Dead"}), &Options{})
	if err != nil {
		t.Fatal(err)
	}
	var in schema.Incident
	err = conv.Convert(&Row{File: "f.csv", Line: 2, Fields: []string{"2019-11-06", "Tajikistan", "lots and lots"}, Warn: func(string) {}}, &in)
	var e *source.Error
	if !errors.As(err, &e) {
		t.Fatalf("Convert: %v, want a *source.Error", err)
	}
	if e.Field != "Dead" || e.Column != 3 || e.Text != "lots and lots" {
		t.Errorf("Convert: field %q column %d text %q, want Dead 3 %q (%v)", e.Field, e.Column, e.Text, "lots and lots", err)
	}
	if !strings.Contains(err.Error(), `Dead "lots and lots"`) || strings.Contains(err.Error(), "killed") {
		t.Errorf("Convert: %v, want it to name Dead and not killed", err)
	}
}
