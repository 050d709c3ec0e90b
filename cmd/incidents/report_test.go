package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// incidents runs the command line in-process and returns its stdout.
func incidents(t *testing.T, args ...string) string {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("incidents %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

const reportInput = "../../testdata/stats/events.jsonl"

// TestReportEqualsStatsJSON: every number the report shows equals the
// output of 'incidents stats --format json' run with the options the
// report's help names (--period day --tail, same --bootstrap and --seed).
func TestReportEqualsStatsJSON(t *testing.T) {
	if _, err := os.Stat(reportInput); err != nil {
		t.Fatalf("the in-repo fixture %s is missing: %v", reportInput, err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	incidents(t, "report", "--quiet", "--bootstrap", "50", "--seed", "7", "-o", page, reportInput)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, m := range regexp.MustCompile(`data-stat="([^"]+)" data-value="([^"]*)"`).FindAllStringSubmatch(string(html), -1) {
		shown[m[1]] = m[2]
	}
	var all []map[string]any
	if err := json.Unmarshal([]byte(incidents(t, "stats", "--period", "day", "--tail", "--bootstrap", "50", "--seed", "7", "--format", "json", reportInput)), &all); err != nil {
		t.Fatal(err)
	}
	var countries []map[string]any
	if err := json.Unmarshal([]byte(incidents(t, "stats", "--by", "country_iso3", "--format", "json", reportInput)), &countries); err != nil {
		t.Fatal(err)
	}
	s := all[0]
	str := func(v any) string {
		if v == nil {
			return "null"
		}
		return strconv.FormatFloat(v.(float64), 'g', -1, 64)
	}
	want := map[string]string{
		"events": str(s["events"]), "countries": strconv.Itoa(len(countries)),
		"date_span":           fmt.Sprint(s["first_period"], "/", s["last_period"]),
		"fatalities_best_sum": str(s["fatalities_best_sum"]), "fatalities_low_sum": str(s["fatalities_low_sum"]),
		"fatalities_high_sum": str(s["fatalities_high_sum"]), "fatalities_unknown": str(s["fatalities_null"]),
		"party_civilians": str(s["fatalities_civilians_sum"]), "party_civilians_share": str(s["fatalities_civilians_share"]),
	}
	if s["tail_alpha"] != nil {
		want["tail_alpha"], want["tail_xmin"], want["tail_p"] = str(s["tail_alpha"]), str(s["tail_xmin"]), str(s["tail_p"])
	}
	for k, v := range want {
		if shown[k] != v {
			t.Errorf("report shows %s = %q, incidents stats says %q", k, shown[k], v)
		}
	}
}

// TestPlotFiles: 'incidents plot' writes each kind in each format at the
// requested size.
func TestPlotFiles(t *testing.T) {
	if _, err := os.Stat(reportInput); err != nil {
		t.Fatalf("the in-repo fixture %s is missing: %v", reportInput, err)
	}
	dir := t.TempDir()
	for _, kind := range []string{"timeseries", "bar", "ccdf", "map"} {
		for _, ext := range []string{"svg", "png", "pdf"} {
			path := filepath.Join(dir, kind+"."+ext)
			incidents(t, "plot", "-q", "--kind", kind, "--width", "640", "--height", "360", "-o", path, reportInput)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			switch ext {
			case "png":
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil || cfg.Width != 640 || cfg.Height != 360 {
					t.Errorf("%s: %dx%d, %v", path, cfg.Width, cfg.Height, err)
				}
			case "svg":
				var root struct {
					Width  string `xml:"width,attr"`
					Height string `xml:"height,attr"`
				}
				if err := xml.Unmarshal(b, &root); err != nil || root.Width != "640" || root.Height != "360" {
					t.Errorf("%s: %sx%s, %v", path, root.Width, root.Height, err)
				}
				if kind == "map" && !regexp.MustCompile(`data-iso3="TJK" data-events="[1-9]\d*"><title>Tajikistan \(TJK\): [\d,]+ events?</title>`).Match(b) {
					t.Errorf("%s: Tajikistan is not shaded with its events", path)
				}
			case "pdf":
				if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/MediaBox [0 0 480.00 270.00]")) {
					t.Errorf("%s: not a 480x270 pt PDF: %.200q", path, b)
				}
			}
		}
	}
	root := newRootCmd()
	root.SetArgs([]string{"plot", "-o", filepath.Join(dir, "x.gif"), reportInput})
	root.SetOut(&bytes.Buffer{})
	root.SetErr(&bytes.Buffer{})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), ".svg, .png or .pdf") {
		t.Errorf("plot -o x.gif: err = %v", err)
	}
}
