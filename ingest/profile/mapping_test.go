package profile

import (
	"errors"
	"strings"
	"testing"

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
