package profile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// synthRows returns the header and n sound rows of a layout.
func synthRows(t *testing.T, layout string, n int64) ([]string, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, layout, n, 7, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf"))))
	if layout == "gdelt" { // headerless TSV: the codebook names the columns
		cr.Comma = '\t'
	}
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if layout == "gdelt" {
		return GDELTColumns2, recs
	}
	return recs[0], recs[1:]
}

// convert reads one row with the layout p; reports layouts parse it as a
// report and reconcile the report alone.
func convert(t *testing.T, p Profile, hdr []string, fields []string, o *Options) (schema.Incident, error) {
	t.Helper()
	r := &Row{File: "f.csv", Line: 2, Fields: fields, Missing: o.Missing, Warn: func(string) {}}
	if rp, ok := p.(Reconciler); ok {
		parser, _, err := rp.BindReports(NewHeader(hdr), o)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := parser.Parse(r)
		if err != nil {
			return schema.Incident{}, err
		}
		return rp.Reconcile([]Report{rep})
	}
	conv, err := p.Bind(NewHeader(hdr), o)
	if err != nil {
		t.Fatal(err)
	}
	var in schema.Incident
	err = conv.Convert(r, &in)
	return in, err
}

// Every missing-value token reads exactly as the empty cell, in every column
// of every registered layout: same incident, or the same cause of reject
// (the Row getter is the one place a layout reads a cell).
func TestMissingTokensReadAsEmptyInEveryColumn(t *testing.T) {
	for _, layout := range synth.Layouts() {
		p, ok := Lookup(layout)
		if !ok {
			t.Fatalf("layout %s not registered", layout)
		}
		hdr, rows := synthRows(t, layout, 40)
		o := &Options{}
		checked := 0
		for _, row := range rows[:4] {
			for col := range hdr {
				blank := append([]string(nil), row...)
				blank[col] = ""
				want, wantErr := convert(t, p, hdr, blank, o)
				for _, tok := range value.DefaultMissing {
					withNA := append([]string(nil), row...)
					withNA[col] = " " + tok + " "
					got, gotErr := convert(t, p, hdr, withNA, o)
					if (wantErr == nil) != (gotErr == nil) || wantErr != nil && errors.Unwrap(wantErr) != nil &&
						!sameCause(wantErr, gotErr) {
						t.Errorf("%s column %s = %q: error %v, the empty cell gives %v", layout, hdr[col], tok, gotErr, wantErr)
						continue
					}
					if wantErr == nil && !reflect.DeepEqual(got, want) {
						t.Errorf("%s column %s = %q reads\n %+v\nthe empty cell\n %+v", layout, hdr[col], tok, got, want)
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: nothing checked", layout)
		}
	}
}

// sameCause reports whether a and b are rejects of the same field for the
// same reason, whatever text they quote.
func sameCause(a, b error) bool {
	if b == nil {
		return false
	}
	msg := func(err error) string {
		var se interface{ Unwrap() error }
		if errors.As(err, &se) {
			if c := se.Unwrap(); c != nil {
				return strings.SplitN(c.Error(), ":", 2)[0]
			}
		}
		return err.Error()
	}
	return msg(a) == msg(b)
}

// With no tokens (--na ”), "NaN" in a figure column is a reject quoting it,
// never a null by accident of a parser; "NA" in a text column is text.
func TestNoMissingTokens(t *testing.T) {
	p, _ := Lookup("acled")
	hdr, rows := synthRows(t, "acled", 4)
	col := func(name string) int {
		for i, h := range hdr {
			if strings.EqualFold(h, name) {
				return i
			}
		}
		t.Fatalf("acled header lacks %s", name)
		return -1
	}
	row := append([]string(nil), rows[0]...)
	row[col("fatalities")] = "NaN"
	_, err := convert(t, p, hdr, row, &Options{Missing: value.NoMissing})
	if !errors.Is(err, value.ErrBadCasualty) || !strings.Contains(err.Error(), `"NaN"`) {
		t.Errorf("fatalities=NaN with no tokens: %v, want a reject quoting it", err)
	}
	in, err := convert(t, p, hdr, row, &Options{})
	if err != nil || in.Fatalities.Best.Valid {
		t.Errorf("fatalities=NaN with the default tokens: %+v, %v; want null", in.Fatalities.Best, err)
	}
	row = append([]string(nil), rows[0]...)
	row[col("actor2")] = "NA"
	in, err = convert(t, p, hdr, row, &Options{Missing: value.NoMissing})
	if err != nil || in.Actor2 != "NA" {
		t.Errorf("actor2=NA with no tokens: %q, %v; want the text NA", in.Actor2, err)
	}
	in, err = convert(t, p, hdr, row, &Options{Missing: value.NewMissingValues([]string{"-99"})})
	if err != nil || in.Actor2 != "NA" {
		t.Errorf("actor2=NA with --na -99: %q, %v; want the text NA", in.Actor2, err)
	}
	row[col("fatalities")] = "-99"
	in, err = convert(t, p, hdr, row, &Options{Missing: value.NewMissingValues([]string{"-99"})})
	if err != nil || in.Fatalities.Best.Valid {
		t.Errorf("fatalities=-99 with --na -99: %+v, %v; want null", in.Fatalities.Best, err)
	}
}

// Go's number syntax is not data: latitude "1_0" (ParseFloat reads 10),
// "0x1p4", "Inf" are rejects naming the column (issue 11 item 8); every
// strconv.ParseFloat of the layouts goes through value.ParseDecimal.
func TestNumbersNotGoSyntax(t *testing.T) {
	p, _ := Lookup("acled")
	hdr, rows := synthRows(t, "acled", 2)
	col := func(name string) int {
		for i, h := range hdr {
			if strings.EqualFold(h, name) {
				return i
			}
		}
		t.Fatalf("acled header lacks %s", name)
		return -1
	}
	for _, c := range []struct{ column, text string }{
		{"latitude", "1_0"}, {"longitude", "3_4.5"}, {"latitude", "0x1p4"}, {"latitude", "Inf"},
		{"fatalities", "1_0"}, {"fatalities", "0x10"},
	} {
		row := append([]string(nil), rows[0]...)
		row[col(c.column)] = c.text
		in, err := convert(t, p, hdr, row, &Options{})
		if err == nil {
			t.Errorf("%s=%q read as %+v / %+v, want a reject", c.column, c.text, in.Latitude, in.Fatalities)
			continue
		}
		if !strings.Contains(err.Error(), c.column) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s=%q: %v does not name the column and quote the text", c.column, c.text, err)
		}
	}
}
