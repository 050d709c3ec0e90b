package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
)

// fixedOrder is a layout with a published column order, as GTD's release
// files have one: the pipeline reads a file without its header row through
// FixedColumns.
type fixedOrder struct {
	profile.Profile
	cols []string
}

func (f fixedOrder) FixedColumns() []string { return f.cols }

func run1(t *testing.T, path string, o Options) (*Summary, []string, error) {
	t.Helper()
	var ids []string
	sum, err := Normalize(context.Background(), []string{path}, o, func(rec arrow.Record) error {
		col := rec.Column(0)
		for i := 0; i < col.Len(); i++ {
			ids = append(ids, col.ValueStr(i))
		}
		return nil
	})
	return sum, ids, err
}

// TestNoHeader: the real ACLED Benin file (testdata/real/acled-r-na) without
// its header row reads, through a layout with a fixed order, to the same
// incidents as with it; without a fixed order, or with a row of another
// width, it is refused with the reason; auto-detection says the first row
// looks like data.
func TestNoHeader(t *testing.T) {
	data, err := os.ReadFile("../testdata/real/acled-r-na/acled_benin_2022_readr_na.csv")
	if err != nil {
		t.Fatal(err)
	}
	nl := bytes.IndexByte(data, '\n')
	header := strings.Split(strings.TrimSpace(string(data[:nl])), ",")
	dir := t.TempDir()
	with, without := filepath.Join(dir, "with.csv"), filepath.Join(dir, "without.csv")
	os.WriteFile(with, data, 0o644)
	os.WriteFile(without, data[nl+1:], 0o644)

	acled := named(t, "acled")
	sum1, ids1, err := run1(t, with, Options{Profile: acled})
	if err != nil {
		t.Fatal(err)
	}
	sum2, ids2, err := run1(t, without, Options{Profile: fixedOrder{acled, header}, Input: source.ReadOptions{NoHeader: true}})
	if err != nil {
		t.Fatal(err)
	}
	if sum1.RowsRead != sum2.RowsRead || strings.Join(ids1, " ") != strings.Join(ids2, " ") || len(ids1) < 50 {
		t.Errorf("with header %d rows %d ids, without %d rows %d ids", sum1.RowsRead, len(ids1), sum2.RowsRead, len(ids2))
	}

	_, _, err = run1(t, without, Options{Profile: acled, Input: source.ReadOptions{NoHeader: true}})
	if !errors.Is(err, ErrNoHeaderLayout) || !strings.Contains(err.Error(), "varies") {
		t.Errorf("unfixed layout: %v", err)
	}
	_, _, err = run1(t, without, Options{Profile: fixedOrder{acled, header[1:]}, Input: source.ReadOptions{NoHeader: true}})
	if !errors.Is(err, source.ErrRaggedRow) || !strings.Contains(err.Error(), "fixed column order") {
		t.Errorf("other width: %v", err)
	}
	_, _, err = run1(t, without, Options{})
	if !errors.Is(err, profile.ErrNoProfile) || !strings.Contains(err.Error(), "the first row looks like data: no header row?") {
		t.Errorf("detect: %v", err)
	}
	_, _, err = run1(t, with, Options{Profile: named(t, "ucdp-ged")})
	if err == nil || strings.Contains(err.Error(), "looks like data") {
		t.Errorf("a real header is not called data: %v", err)
	}
}

// TestRejectTextClipped: a reject quotes at most 1 KiB of the offending
// text, saying how much it left out, cut at a character boundary.
func TestRejectTextClipped(t *testing.T) {
	long := strings.Repeat("é", 3000)
	got := clipText(long)
	if len(got) > maxRejectText+40 || !strings.HasSuffix(got, "… [4976 more bytes]") || !strings.HasPrefix(long, strings.TrimSuffix(got, "… [4976 more bytes]")) {
		t.Errorf("clipped to %d bytes: %q", len(got), got[len(got)-40:])
	}
	if clipText("short") != "short" {
		t.Error("short text changed")
	}
}

// TestLongRecordOneReject: an ACLED record over --max-field-bytes is one
// reject (kind too_large, its line named) and the rows after it are read,
// with the accounting exact; a quote never closed still stops the input.
func TestLongRecordOneReject(t *testing.T) {
	data, err := os.ReadFile("../testdata/real/acled-r-na/acled_benin_2022_readr_na.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	long := strings.Replace(lines[3], ",", ","+strings.Repeat("z", 300<<10), 1) // line 4
	in := filepath.Join(t.TempDir(), "long.csv")
	os.WriteFile(in, []byte(strings.Join(lines[:3], "")+long+strings.Join(lines[4:], "")), 0o644)
	var rej bytes.Buffer
	o := Options{Profile: named(t, "acled"), Rejects: &rej}
	o.Input.MaxFieldBytes = 64 << 10
	sum, ids, err := run1(t, in, o)
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(len(lines) - 2) // header, trailing ""
	if strings.TrimSpace(lines[len(lines)-1]) != "" {
		rows++
	}
	if sum.RowsRead != rows || sum.Rejected != 1 || sum.Incidents != rows-1 || int64(len(ids)) != rows-1 {
		t.Errorf("read %d (want %d), written %d, rejected %d", sum.RowsRead, rows, sum.Incidents, sum.Rejected)
	}
	if r := rej.String(); !strings.Contains(r, `"line":4`) || !strings.Contains(r, "--max-field-bytes") || len(r) > 4096 {
		t.Errorf("reject %.300q (%d bytes)", r, len(r))
	}
	open := filepath.Join(t.TempDir(), "open.csv")
	os.WriteFile(open, []byte(strings.Join(lines[:3], "")+`x,"`+strings.Repeat("q\n", 40<<10)), 0o644)
	if _, _, err := run1(t, open, o); !errors.Is(err, source.ErrTooLarge) || !strings.Contains(err.Error(), "never closed") {
		t.Errorf("open quote: %v", err)
	}
}
