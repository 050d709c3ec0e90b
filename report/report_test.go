package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		path, want string
		ok         bool
	}{
		{"fig.svg", "svg", true},
		{"out/Fig.PNG", "png", true},
		{"paper.figure.pdf", "pdf", true},
		{"fig.jpeg", "", false},
		{"fig", "", false},
		{"svg", "", false},
	} {
		got, err := FormatOf(tc.path)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q (ok %v)", tc.path, got, err, tc.want, tc.ok)
		}
	}
}

// The three chart kinds, drawn from the sample report.
func sampleCharts(t *testing.T) map[string]*plot.Plot {
	t.Helper()
	r := sampleReport()
	ts, err := TimeSeriesChart("Fatalities", r.Fatalities, Vermillion)
	if err != nil {
		t.Fatal(err)
	}
	bar, err := BarChart("Top actors", "events", r.TopActors, BluishGreen)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := CCDFChart("Severity", r.Tail)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*plot.Plot{"timeseries": ts, "bar": bar, "ccdf": cc}
}

// A PNG decodes with the requested pixel size; an SVG parses as XML and
// declares it; a PDF page measures it at 96 px per inch.
func TestWritePlotSize(t *testing.T) {
	sizes := [][2]int{{800, 500}, {640, 480}, {333, 777}}
	for kind, p := range sampleCharts(t) {
		for _, sz := range sizes {
			w, h := sz[0], sz[1]
			for _, format := range Formats {
				var buf bytes.Buffer
				if err := WritePlot(&buf, p, format, w, h); err != nil {
					t.Fatalf("%s %s: %v", kind, format, err)
				}
				switch format {
				case "png":
					img, err := png.Decode(&buf)
					if err != nil {
						t.Fatalf("%s png: %v", kind, err)
					}
					if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
						t.Errorf("%s png is %dx%d, want %dx%d", kind, b.Dx(), b.Dy(), w, h)
					}
				case "svg":
					gw, gh := svgSize(t, buf.Bytes())
					if gw != strconv.Itoa(w) || gh != strconv.Itoa(h) {
						t.Errorf("%s svg is %sx%s, want %dx%d", kind, gw, gh, w, h)
					}
				case "pdf":
					if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
						t.Fatalf("%s pdf: no %%PDF header", kind)
					}
					m := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindSubmatch(buf.Bytes())
					if m == nil {
						t.Fatalf("%s pdf: no MediaBox", kind)
					}
					pw, _ := strconv.ParseFloat(string(m[1]), 64)
					ph, _ := strconv.ParseFloat(string(m[2]), 64)
					if math.Abs(pw-0.75*float64(w)) > 0.01 || math.Abs(ph-0.75*float64(h)) > 0.01 {
						t.Errorf("%s pdf page is %gx%g pt, want %gx%g", kind, pw, ph, 0.75*float64(w), 0.75*float64(h))
					}
				}
			}
		}
	}
}

// svgSize parses the whole document as XML and returns the root's width
// and height attributes.
func svgSize(t *testing.T, b []byte) (w, h string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root struct {
		XMLName xml.Name
		Width   string `xml:"width,attr"`
		Height  string `xml:"height,attr"`
		Inner   []byte `xml:",innerxml"`
	}
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("svg does not parse as XML: %v", err)
	}
	if root.XMLName.Local != "svg" {
		t.Fatalf("root element is %q", root.XMLName.Local)
	}
	if len(root.Inner) < 100 {
		t.Fatalf("svg is nearly empty: %q", root.Inner)
	}
	return root.Width, root.Height
}

func TestWritePlotErrors(t *testing.T) {
	p := sampleCharts(t)["bar"]
	var buf bytes.Buffer
	if err := WritePlot(&buf, p, "gif", 100, 100); err == nil || !strings.HasPrefix(err.Error(), "report: ") {
		t.Errorf("unknown format: err = %v", err)
	}
	if err := WritePlot(&buf, p, "png", 0, 100); err == nil {
		t.Error("zero width: no error")
	}
}

// Empty inputs say so with ErrNoData; degenerate ones (all zero, a single
// value, one period) still draw.
func TestChartEdgeCases(t *testing.T) {
	if _, err := TimeSeriesChart("x", Series{}, Blue); !errors.Is(err, ErrNoData) {
		t.Errorf("empty series: %v", err)
	}
	if _, err := BarChart("x", "events", nil, Blue); !errors.Is(err, ErrNoData) {
		t.Errorf("no bars: %v", err)
	}
	if _, err := CCDFChart("x", Tail{Severity: []float64{0, 0, math.Inf(1)}}); !errors.Is(err, ErrNoData) {
		t.Errorf("no deaths: %v", err)
	}
	cases := map[string]func() (*plot.Plot, error){
		"all zero": func() (*plot.Plot, error) {
			return TimeSeriesChart("x", Series{Labels: []string{"2019", "2020"}, Value: []float64{0, 0}}, Blue)
		},
		"one period": func() (*plot.Plot, error) {
			return TimeSeriesChart("x", Series{Labels: []string{"2019"}, Value: []float64{4}, Low: []float64{3}, High: []float64{6}}, Blue)
		},
		"one bar of zero": func() (*plot.Plot, error) { return BarChart("x", "events", []Bar{{"AFG", 0, 0}}, Blue) },
		"one severity": func() (*plot.Plot, error) {
			return CCDFChart("x", Tail{Severity: []float64{5}, Fit: PowerLaw{Valid: true, Alpha: 2, XMin: 5, NTail: 1}})
		},
		"fit above the data": func() (*plot.Plot, error) {
			return CCDFChart("x", Tail{Severity: []float64{1, 2, 3}, Fit: PowerLaw{Valid: true, Alpha: 2, XMin: 50, NTail: 1}})
		},
	}
	for name, draw := range cases {
		p, err := draw()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, f := range Formats {
			if err := WritePlot(&bytes.Buffer{}, p, f, 300, 200); err != nil {
				t.Errorf("%s %s: %v", name, f, err)
			}
		}
	}
}

func TestCCDF(t *testing.T) {
	xs, ps := ccdf(xsCount([]float64{5, 1, 0, 2, 1, math.NaN()}))
	if want := []float64{1, 2, 5}; !slices.Equal(xs, want) {
		t.Errorf("xs = %v, want %v", xs, want)
	}
	if want := []float64{1, 0.5, 0.25}; !slices.Equal(ps, want) {
		t.Errorf("ps = %v, want %v", ps, want)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 100000: "100,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The page carries every section, escapes text, and needs nothing from
// outside itself.
func TestWriteHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{
		`id="chart-events"`, `id="chart-fatalities"`, `id="chart-countries"`, `id="chart-actors"`,
		`id="chart-event-types"`, `id="chart-parties"`, `id="chart-severity"`,
		`data-stat="events" data-value="300"`, `data-stat="fatalities_best_sum" data-value="1000"`,
		`data-stat="tail_alpha" data-value="2.5"`, "Military Forces of Tajikistan &amp; &lt;friends&gt;",
		"tjk-2019-11-06-ishqobod", `data-stat="rows_rejected" data-value="20"`, "2018-01-03",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", " src=", " href=", "@import", "url(", "<?xml"} {
		if strings.Contains(s, bad) {
			t.Errorf("page contains %q: it must be self-contained and static", bad)
		}
	}
	// the numbers behind each bar chart, in a table a reader can open
	for _, id := range []string{"chart-countries", "chart-actors", "chart-event-types"} {
		if !strings.Contains(s, `<table class="narrow" data-numbers="`+id+`">`) {
			t.Errorf("no table of the numbers of %s", id)
		}
	}
	if strings.Contains(s, `data-omitted="parties"`) {
		t.Error("party breakdown present and said to be omitted")
	}
	// a section without data says so rather than vanishing
	noParties := sampleReport()
	noParties.Parties = nil
	noParties.Summary.InjuredBest, noParties.Summary.DetainedBest = 1234, 56
	buf.Reset()
	if err := WriteHTML(&buf, noParties); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-omitted="parties"`, "no incident gives its fatalities by party",
		`data-stat="injured_best_sum" data-value="1234">1,234<`, `data-stat="detained_best_sum" data-value="56">56<`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("page without parties lacks %s", want)
		}
	}
	// an empty report is still a page, with no chart sections
	buf.Reset()
	if err := WriteHTML(&buf, &Report{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<svg") || !strings.Contains(buf.String(), "Incident report") {
		t.Errorf("empty report:\n%s", buf.String())
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     []string
	}{
		{1, 1000, []string{"1", "10", "100", "1,000"}},
		{1.5, 80, []string{"2", "5", "10", "20", "50"}},
		{0.11, 1.3, []string{"0.2", "0.5", "1"}},
		{2, 4, []string{"2", "3", "4"}},
		{0, 10, nil},
	} {
		var got []string
		for _, tk := range (logTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("logTicks(%g, %g) labels %v, want %v", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestPeriodStep(t *testing.T) {
	months := func(y0, m0, n int) []string {
		var l []string
		for i := range n {
			m := m0 - 1 + i
			l = append(l, fmt.Sprintf("%04d-%02d", y0+m/12, m%12+1))
		}
		return l
	}
	years := func(y0, n int) []string {
		var l []string
		for i := range n {
			l = append(l, strconv.Itoa(y0+i))
		}
		return l
	}
	for _, tc := range []struct {
		name        string
		labels      []string
		step, first int
		firstLabel  string
	}{
		{"30 months", months(2018, 1, 30), 6, 0, "2018-01"},
		{"336 months from July", months(1997, 7, 336), 60, 6, "1998-01"},
		{"12 quarters", []string{"2018-Q3", "2018-Q4", "2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2"}, 2, 0, "2018-Q3"},
		{"5 years", years(2017, 5), 1, 0, "2017"},
		{"40 years", years(1989, 40), 5, 1, "1990"},
	} {
		step, first := periodStep(tc.labels, 8)
		if step != tc.step || first != tc.first || tc.labels[first] != tc.firstLabel {
			t.Errorf("%s: step %d first %d (%s), want %d %d (%s)", tc.name, step, first, tc.labels[first], tc.step, tc.first, tc.firstLabel)
		}
	}
}

// A bar chart's value axis ends at a labelled tick at or beyond the largest
// bar: Syria's 3,920 ends inside 4,000, not past 3,000.
func TestBarHeadroom(t *testing.T) {
	for _, top := range []float64{1, 7, 10, 99, 3920, 4000, 12345} {
		p, err := BarChart("t", "events", []Bar{{Label: "SYR", Value: top}, {Label: "IRQ", Value: top / 3}}, Blue)
		if err != nil {
			t.Fatal(err)
		}
		last := math.Inf(-1)
		for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if tk.Label != "" {
				last = max(last, tk.Value)
			}
		}
		if p.X.Max < top || last < top || p.X.Max > 2.5*top+1 {
			t.Errorf("largest bar %v: axis to %v, last labelled tick %v", top, p.X.Max, last)
		}
	}
}
