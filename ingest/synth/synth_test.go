package synth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The ACLED export's columns, in order, as ACLED documents them.
var wantACLED = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
	"sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
	"interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
	"location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
	"fatalities", "tags", "timestamp",
}

func generate(t testing.TB, layout string, n int64, seed uint64, opt Options) ([]byte, Summary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := Generate(&buf, layout, n, seed, opt)
	if err != nil {
		t.Fatalf("Generate(%s, %d): %v", layout, n, err)
	}
	if sum.Bytes != int64(buf.Len()) {
		t.Fatalf("Summary.Bytes = %d, wrote %d", sum.Bytes, buf.Len())
	}
	return buf.Bytes(), sum
}

// parse reads the output back with encoding/csv (which insists on the same
// number of fields in every record) and returns header and rows.
// GDELT's layout is headerless TSV (its first byte is a digit of the
// first GLOBALEVENTID): the header returned is the layout's.
func parse(t testing.TB, data []byte) ([]string, [][]string) {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	gdelt := len(data) == 0 || (data[0] >= '0' && data[0] <= '9')
	if gdelt {
		cr.Comma, cr.LazyQuotes = '\t', true
	}
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("output is not valid CSV: %v", err)
	}
	if gdelt {
		return gdeltHeader, recs
	}
	if len(recs) == 0 {
		t.Fatal("no header")
	}
	return recs[0], recs[1:]
}

func TestHeaders(t *testing.T) {
	wantLen := map[string]int{"acled": 31, "ucdp-ged": 49, "gtd": 135, "reports": 23, "gdelt": 61}
	mustHave := map[string][]string{
		"ucdp-ged": {"id", "type_of_violence", "side_a", "side_b", "country", "country_id", "adm_1", "adm_2",
			"latitude", "longitude", "where_prec", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
			"deaths_civilians", "deaths_unknown", "best", "low", "high", "number_of_sources"},
		"gtd": {"eventid", "iyear", "imonth", "iday", "approxdate", "country_txt", "provstate", "city", "latitude",
			"longitude", "specificity", "attacktype1_txt", "targtype1_txt", "gname", "claimed", "nkill", "nkillter", "nwound"},
		"reports": {"incident", "source", "report_date", "claim", "date", "time", "country", "admin1", "admin2",
			"location", "latitude", "longitude", "event_type", "actor1", "actor2", "claimed_by", "killed",
			"killed_actor1", "killed_actor2", "killed_civilians", "injured", "detained", "notes"},
	}
	for _, l := range Layouts() {
		h, err := Header(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != wantLen[l] {
			t.Errorf("%s: %d columns, want %d", l, len(h), wantLen[l])
		}
		for _, c := range mustHave[l] {
			if !slices.Contains(h, c) {
				t.Errorf("%s: no column %q", l, c)
			}
		}
		data, _ := generate(t, l, 10, 1, Options{})
		got, _ := parse(t, data)
		if !slices.Equal(got, h) {
			t.Errorf("%s: file header %v, Header() %v", l, got, h)
		}
		if bom := bytes.HasPrefix(data, []byte("\uFEFF")); bom != (l == "acled") {
			t.Errorf("%s: byte order mark %v", l, bom)
		}
	}
	h, _ := Header("acled")
	if !slices.Equal(h, wantACLED) {
		t.Errorf("acled header\n got %v\nwant %v", h, wantACLED)
	}
	if want := strings.Join(mustHave["reports"], ","); strings.Join(reportsHeader, ",") != want {
		t.Errorf("reports header %v, want SCHEMA.md's %v", reportsHeader, want)
	}
}

func TestErrors(t *testing.T) {
	if _, err := Generate(io.Discard, "polecat", 1, 1, Options{}); err == nil || !strings.HasPrefix(err.Error(), "synth: ") {
		t.Errorf("unknown layout: err = %v", err)
	}
	if _, err := Header("polecat"); err == nil {
		t.Error("Header(polecat): no error")
	}
	if _, err := Generate(io.Discard, "acled", 1, 1, Options{Messy: 1.5}); err == nil {
		t.Error("messy 1.5: no error")
	}
	if _, err := Generate(io.Discard, "acled", -1, 1, Options{}); err == nil {
		t.Error("n = -1: no error")
	}
	if _, err := Generate(failWriter{}, "acled", 10000, 1, Options{Workers: 2}); err == nil {
		t.Error("failing writer: no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestDeterministic(t *testing.T) {
	for _, l := range Layouts() {
		a, _ := generate(t, l, 5000, 7, Options{Messy: 0.02, Workers: 1})
		b, _ := generate(t, l, 5000, 7, Options{Messy: 0.02, Workers: 4})
		c, _ := generate(t, l, 5000, 8, Options{Messy: 0.02, Workers: 4})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: 1 worker and 4 workers differ", l)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 7 and 8 give the same output", l)
		}
		// A prefix of a longer run is the shorter run.
		d, _ := generate(t, l, 6000, 7, Options{Messy: 0.02})
		if l != "reports" && !bytes.HasPrefix(d, a[:len(a)-1000]) {
			t.Errorf("%s: 5000 rows are not a prefix of 6000 rows", l)
		}
	}
}

func TestRowCounts(t *testing.T) {
	for _, l := range Layouts() {
		for _, n := range []int64{0, 1, 2047, 2048, 2049, 5000} {
			data, sum := generate(t, l, n, 3, Options{Messy: 0.01})
			_, rows := parse(t, data)
			if int64(len(rows)) != n || sum.Rows != n {
				t.Errorf("%s n=%d: %d rows parsed, Summary.Rows %d", l, n, len(rows), sum.Rows)
			}
		}
	}
	// ACLED notes carry line breaks inside quotes: lines outnumber rows.
	data, _ := generate(t, "acled", 20000, 3, Options{})
	_, rows := parse(t, data)
	breaks := 0
	for _, r := range rows {
		if strings.Contains(r[27], "\n") {
			breaks++
		}
	}
	if breaks == 0 || bytes.Count(data, []byte("\n")) != len(rows)+1+breaks {
		t.Errorf("%d notes with a line break, %d lines for %d rows", breaks, bytes.Count(data, []byte("\n")), len(rows))
	}
}

// Independent checks of one row: each returns true when the row has a bad
// value. With Messy 0 no row may fail; with Messy f about f of them must.
var (
	knownCountry = func() map[string]bool {
		m := map[string]bool{}
		for _, c := range countries {
			m[c.acled], m[c.ucdp], m[c.gtd], m[c.iso3] = true, true, true, true
		}
		return m
	}()
	wordNumbers = "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
	phraseRE    = regexp.MustCompile(`(?i)^(|unknown|none|no casualties|\d{1,3}(,\d{3})*|\d+|(at least|more than|over|up to) \d+|\d+(-| to )\d+|` +
		wordNumbers + `|a dozen|several|dozens|hundreds)$`)
	freeDateLayouts = []string{"Monday, January 2, 2006", "January 2, 2006", "2 Jan 2006", "2006-01-02", "Jan 2006", "2006"}
)

func isCount(s string) bool {
	v, err := strconv.Atoi(s)
	return err == nil && v >= 0
}

func badRow(t *testing.T, layout string, h []string, r []string) bool {
	col := func(name string) string { return r[slices.Index(h, name)] }
	switch layout {
	case "acled":
		d, err := time.Parse("2006-01-02", col("event_date"))
		bad := err != nil || !knownCountry[col("country")] || !isCount(col("fatalities"))
		if err == nil && strconv.Itoa(d.Year()) != col("year") {
			t.Errorf("acled: year %s for date %s", col("year"), col("event_date"))
		}
		return bad
	case "ucdp-ged":
		_, err := time.Parse("2006-01-02 15:04:05.000", col("date_start"))
		sum := 0
		for _, c := range []string{"deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"} {
			v, _ := strconv.Atoi(col(c))
			sum += v
		}
		best, _ := strconv.Atoi(col("best"))
		okBest := isCount(col("best"))
		bad := err != nil || !knownCountry[col("country")] || !okBest
		if okBest && best != sum {
			t.Errorf("ucdp-ged: best %d != sum of deaths %d", best, sum)
		}
		return bad
	case "gtd":
		m, merr := strconv.Atoi(col("imonth"))
		d, derr := strconv.Atoi(col("iday"))
		y, _ := strconv.Atoi(col("iyear"))
		bad := merr != nil || derr != nil || m < 0 || m > 12 || !knownCountry[col("country_txt")] ||
			(col("nkill") != "" && !isCount(col("nkill")))
		if !bad && m > 0 && d > 0 && time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
			bad = true
		}
		return bad
	case "reports":
		okDate := false
		for _, lay := range freeDateLayouts {
			if _, err := time.Parse(lay, col("date")); err == nil {
				okDate = true
				break
			}
		}
		return !okDate || !knownCountry[col("country")] || !phraseRE.MatchString(col("killed"))
	case "gdelt":
		_, err := time.Parse("20060102", col("SQLDATE"))
		code := col("EventCode")
		_, cerr := strconv.Atoi(code)
		return err != nil || cerr != nil || col("ActionGeo_CountryCode") == "ZZ"
	}
	t.Fatalf("no check for %s", layout)
	return false
}

func TestMessyShare(t *testing.T) {
	const n = 20000
	for _, l := range Layouts() {
		for _, share := range []float64{0, 0.05} {
			data, sum := generate(t, l, n, 11, Options{Messy: share})
			h, rows := parse(t, data)
			bad := 0
			for _, r := range rows {
				if badRow(t, l, h, r) {
					bad++
				}
			}
			if int64(bad) != sum.Messy {
				t.Errorf("%s messy %v: %d rows fail the checks, Summary.Messy %d", l, share, bad, sum.Messy)
			}
			want := share * n
			if tol := 5 * math.Sqrt(want*(1-share)); math.Abs(float64(bad)-want) > tol+0.5 {
				t.Errorf("%s messy %v: %d bad rows, want %v ± %.0f", l, share, bad, want, tol)
			}
		}
	}
}

// ACLED fatalities: most events have none, a few have very many.
func TestFatalitiesHeavyTail(t *testing.T) {
	data, _ := generate(t, "acled", 50000, 5, Options{})
	h, rows := parse(t, data)
	fi := slices.Index(h, "fatalities")
	zero, ones, pos, maxF := 0, 0, 0, 0
	for _, r := range rows {
		v, _ := strconv.Atoi(r[fi])
		switch {
		case v == 0:
			zero++
		case v == 1:
			ones++
		}
		if v > 0 {
			pos++
		}
		maxF = max(maxF, v)
	}
	if zero < len(rows)/2 {
		t.Errorf("%d of %d rows have 0 fatalities, want most", zero, len(rows))
	}
	// P(1) for a power law with alpha 2.2 is about 1/zeta(2.2) ~ 0.68;
	// the continuous approximation gives ~0.56.
	if f := float64(ones) / float64(pos); f < 0.45 || f > 0.75 {
		t.Errorf("share of 1 among positive counts %.2f, want about 0.6", f)
	}
	if maxF < 200 {
		t.Errorf("largest count %d: the tail is too light", maxF)
	}
}

func TestDates(t *testing.T) {
	for _, day := range []int{-1, 0, 59, 365, 10957, 18206, 20000, 25000} {
		want := time.Unix(int64(day)*86400, 0).UTC()
		c := civilFromDays(day)
		if c.y != want.Year() || c.m != int(want.Month()) || c.d != want.Day() {
			t.Errorf("civilFromDays(%d) = %v, want %v", day, c, want)
		}
		if got := daysFromCivil(c.y, c.m, c.d); got != day {
			t.Errorf("daysFromCivil(%v) = %d, want %d", c, got, day)
		}
		if weekday(day) != int(want.Weekday()) {
			t.Errorf("weekday(%d) = %d, want %d", day, weekday(day), want.Weekday())
		}
	}
	for _, tc := range []struct {
		v    float64
		dec  int
		want string
	}{{38.4467, 4, "38.4467"}, {-0.00004, 4, "-0.0000"}, {-73.41, 6, "-73.410000"}, {5, 0, "5"}, {0.05, 1, "0.1"}} {
		if got := string(appendFixed(nil, tc.v, tc.dec)); got != tc.want && !(tc.want == "-0.0000" && got == "0.0000") {
			t.Errorf("appendFixed(%v, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
}

func BenchmarkGenerateACLED(b *testing.B) {
	const n = 16 * blockRows
	var cw countWriter
	if _, err := Generate(&cw, "acled", n, 1, Options{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(io.Discard, "acled", n, 1, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkGenerate covers every layout; BenchmarkGenerateACLED is the one
// make bench tracks.
func BenchmarkGenerate(b *testing.B) {
	for _, l := range Layouts() {
		b.Run(l, func(b *testing.B) {
			const n = 8 * blockRows
			var cw countWriter
			if _, err := Generate(&cw, l, n, 1, Options{Messy: 0.01}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(cw.n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(io.Discard, l, n, 1, Options{Messy: 0.01}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// failingWriter accepts n writes, then fails every one.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrShortWrite
	}
	f.n--
	return len(p), nil
}

// TestWriteErrorReturns: a writer that fails mid-run makes Generate return
// its error, whatever block the feeder had queued when it stopped (it used
// to wait forever for a block no worker would build).
func TestWriteErrorReturns(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		for after := 0; after < 4; after++ {
			errc := make(chan error, 1)
			go func() {
				_, err := Generate(&failingWriter{n: after}, "acled", 2_000_000, 1, Options{Workers: workers})
				errc <- err
			}()
			select {
			case err := <-errc:
				if !errors.Is(err, io.ErrShortWrite) {
					t.Errorf("workers %d, failing after %d writes: err = %v, want io.ErrShortWrite", workers, after, err)
				}
			case <-time.After(30 * time.Second): // a deadlock guard, not a speed check
				t.Fatalf("workers %d, failing after %d writes: Generate did not return", workers, after)
			}
		}
	}
}
