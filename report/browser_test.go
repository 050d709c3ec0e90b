package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// chromium returns the headless browser to test the page in. Locally a
// missing browser skips the test; in CI (CI=true) it fails it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: CI installs it (.ci/run: apt-get install chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// runChromium runs one headless browser on a fresh profile and returns its
// stdout and stderr.
func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstderr:\n%s", bin, args, err, errb.Bytes())
	}
	return out.Bytes(), errb.Bytes()
}

// probeScript runs in a copy of the page (the report itself has no
// scripts). It records errors from the moment the head is parsed, and at the
// end of the body measures every chart: the plotting area the SVG declares
// and the marks drawn in the palette's colours that fall inside it.
const probeHead = `<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  window.__errors.push(e.message || ("failed to load " + ((e.target && (e.target.src || e.target.href)) || "a resource")));
}, true);
window.addEventListener("unhandledrejection", function (e) { window.__errors.push("unhandled rejection: " + e.reason); });
(function () { var ce = console.error; console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); ce.apply(console, arguments); }; })();
</script>`

const probeBody = `<pre id="probe"></pre><script>
(function () {
  var palette = %s;
  var charts = [];
  document.querySelectorAll("figure.chart svg").forEach(function (svg) {
    var r = svg.getBoundingClientRect();
    var vb = svg.viewBox.baseVal;
    var a = (svg.getAttribute("data-plot-area") || "0 0 0 0").split(" ").map(Number);
    var sx = r.width / vb.width, sy = r.height / vb.height;
    var area = {left: r.left + a[0] * sx, top: r.top + a[1] * sy, right: r.left + (a[0] + a[2]) * sx, bottom: r.top + (a[1] + a[3]) * sy};
    var marks = 0, u = null;
    svg.querySelectorAll("path, circle, rect, polygon, polyline, line").forEach(function (el) {
      var cs = getComputedStyle(el);
      var coloured = palette.some(function (c) { return cs.fill === c || cs.stroke === c; });
      if (!coloured) return;
      var b = el.getBoundingClientRect();
      var l = Math.max(b.left, area.left), t = Math.max(b.top, area.top), rr = Math.min(b.right, area.right), bb = Math.min(b.bottom, area.bottom);
      if (rr < l || bb < t || (b.width === 0 && b.height === 0)) return;
      marks++;
      u = u ? {left: Math.min(u.left, l), top: Math.min(u.top, t), right: Math.max(u.right, rr), bottom: Math.max(u.bottom, bb)} : {left: l, top: t, right: rr, bottom: bb};
    });
    var aw = area.right - area.left, ah = area.bottom - area.top;
    // every label: its box against the SVG's edges and the plotting area,
    // and its size as rendered (the font size times the scale from the
    // text's coordinates to the screen)
    var texts = [], minFont = 1e9;
    svg.querySelectorAll("text").forEach(function (el) {
      var s = el.textContent.trim();
      if (!s) return;
      var b = el.getBoundingClientRect();
      var m = el.getScreenCTM();
      var px = parseFloat(getComputedStyle(el).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      minFont = Math.min(minFont, px);
      var clipped = b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5;
      var overlaps = b.right > area.left + 1 && b.left < area.right - 1 && b.bottom > area.top + 1 && b.top < area.bottom - 1;
      if (clipped || overlaps || px < 10.95) {
        texts.push({text: s, fontPx: px, clipped: clipped, overlaps: overlaps,
          box: [b.left - r.left, b.top - r.top, b.width, b.height].map(function (v) { return Math.round(v * 10) / 10; })});
      }
    });
    var titled = 0, shapes = 0;
    if (svg.classList.contains("map")) {
      svg.querySelectorAll("circle[data-events], path[data-iso3]").forEach(function (el) {
        shapes++;
        var t = el.querySelector("title");
        if (t && /\d/.test(t.textContent)) titled++;
      });
    }
    charts.push({id: svg.id, width: r.width, height: r.height, areaWidth: aw, areaHeight: ah, marks: marks,
      coverX: u && aw > 0 ? (u.right - u.left) / aw : 0, coverY: u && ah > 0 ? (u.bottom - u.top) / ah : 0,
      badTexts: texts, minFontPx: minFont, shapes: shapes, titled: titled});
  });
  var res = performance.getEntriesByType("resource").map(function (e) { return e.name; });
  document.getElementById("probe").textContent = JSON.stringify({errors: window.__errors, resources: res, charts: charts,
    pageHeight: document.documentElement.scrollHeight});
})();
</script>`

type probeResult struct {
	Errors     []string
	Resources  []string
	PageHeight int
	Charts     []struct {
		ID                    string
		Width, Height         float64
		AreaWidth, AreaHeight float64
		Marks                 int
		CoverX, CoverY        float64
		BadTexts              []struct {
			Text              string
			FontPx            float64
			Clipped, Overlaps bool
			Box               []float64
		}
		MinFontPx      float64
		Shapes, Titled int
	}
}

var probeOut = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

var docsShot = flag.Bool("docs", false, "TestReportInBrowser also writes the screenshot of the synthetic report to ../docs/report.png")

// TestReportInBrowser opens reports in headless Chromium: each loads with
// no console errors and no network requests, every chart's SVG (the map's
// too) has a plotting area with marks spread over it, every label is
// inside its SVG, off the plotting area and rendered at 11 px or more, the
// map's countries and circles all have tooltips with numbers, and a
// full-page screenshot is written to the test's temp folder. (Planting a
// layout bug fails it: the CCDF drawn at 640 px in its 518 px column, a
// legend inside the plotting area, the map's legend past its right edge,
// no margin around the charts.) One page is the hand-made sample with
// every section; the other is built through the stats package from 1,500
// synthetic incidents. go test ./report -run TestReportInBrowser -docs
// refreshes README's screenshot from the second.
func TestReportInBrowser(t *testing.T) {
	bin := chromium(t)
	all := []string{"chart-map", "chart-events", "chart-fatalities", "chart-countries",
		"chart-actors", "chart-event-types", "chart-parties", "chart-severity"}
	t.Run("sample", func(t *testing.T) {
		path := writePage(t, sampleReport())
		checkPageInBrowser(t, bin, path, all)
	})
	t.Run("plot-map", func(t *testing.T) {
		// incidents plot --kind map's SVGs, at its default size and the
		// narrowest the legend allows, on a page of their own
		var page bytes.Buffer
		page.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>`)
		var ids []string
		for _, sz := range [][2]int{{800, 500}, {480, 460}} {
			id := fmt.Sprintf("map-%dx%d", sz[0], sz[1])
			title := "Events by place and country"
			if sz[0] == 480 { // a title wider than the map wraps
				title = "Events by place and country in Afghanistan, Syria, Tajikistan, Nigeria and Kosovo, 2018-2020"
			}
			svg, err := Map(sampleReport().Map, MapOptions{Title: title, Width: sz[0], Height: sz[1], ID: id})
			if err != nil {
				t.Fatal(err)
			}
			page.WriteString(`<figure class="chart">` + svg + `</figure>`)
			ids = append(ids, id)
		}
		page.WriteString(`</body></html>`)
		path := filepath.Join(t.TempDir(), "maps.html")
		if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		checkPageInBrowser(t, bin, path, ids)
	})
	t.Run("synthetic", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		b, err := NewBuilder(Options{Title: "Synthetic incidents, 2018-2020", Inputs: []string{"synthetic (report/build_test.go)"},
			Period: "month", By: []string{"admin1"}, Bootstrap: 100, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range syntheticRecords(t, mem) {
			err := b.Add(rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := b.Report()
		if err != nil {
			t.Fatal(err)
		}
		path := writePage(t, r)
		shot := checkPageInBrowser(t, bin, path, append(all, "chart-by-admin1"))
		if *docsShot {
			b, err := os.ReadFile(shot)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("..", "docs", "report.png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func writePage(t *testing.T, r *Report) string {
	t.Helper()
	var page bytes.Buffer
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkPageInBrowser runs the probe on a copy of the page at path and
// screenshots the whole page itself beside it, returning the PNG's path.
func checkPageInBrowser(t *testing.T, bin, path string, wantCharts []string) string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(src, []byte("<script")) {
		t.Error("the report has a script; it is meant to be static")
	}
	var colours []string
	for _, c := range Palette {
		if c != Black {
			colours = append(colours, fmt.Sprintf("rgb(%d, %d, %d)", c.R, c.G, c.B)) // as getComputedStyle writes it
		}
	}
	pal, _ := json.Marshal(colours)
	probe := strings.Replace(string(src), "<head>", "<head>"+probeHead, 1)
	probe = strings.Replace(probe, "</body>", fmt.Sprintf(probeBody, pal)+"</body>", 1)
	probePath := strings.TrimSuffix(path, ".html") + "-probe.html"
	if err := os.WriteFile(probePath, []byte(probe), 0o644); err != nil {
		t.Fatal(err)
	}

	dom, stderr := runChromium(t, bin, "--window-size=1200,900", "--dump-dom", "file://"+probePath)
	m := probeOut.FindSubmatch(dom)
	if m == nil || len(bytes.TrimSpace(m[1])) == 0 {
		t.Fatalf("the probe did not run; dumped DOM:\n%.2000s\nstderr:\n%s", dom, stderr)
	}
	var res probeResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatalf("probe output: %v\n%s", err, m[1])
	}
	t.Logf("probe: %+v", res)
	for _, e := range res.Errors {
		t.Errorf("page error: %s", e)
	}
	for _, line := range strings.Split(string(stderr), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("console message: %s", line)
		}
	}
	if len(res.Resources) > 0 {
		t.Errorf("the page fetched %v; it must be self-contained", res.Resources)
	}
	got := map[string]bool{}
	for _, c := range res.Charts {
		got[c.ID] = true
		switch {
		case c.Width < 100 || c.Height < 100:
			t.Errorf("%s: drawn at %.0fx%.0f px", c.ID, c.Width, c.Height)
		case c.AreaWidth < 50 || c.AreaHeight < 30:
			t.Errorf("%s: plotting area %.0fx%.0f px", c.ID, c.AreaWidth, c.AreaHeight)
		case c.Marks == 0:
			t.Errorf("%s: no data marks in the plotting area", c.ID)
		case c.CoverX < 0.5 && c.CoverY < 0.5:
			t.Errorf("%s: data marks cover only %.0f%% x %.0f%% of the plotting area", c.ID, 100*c.CoverX, 100*c.CoverY)
		}
	}
	for _, c := range res.Charts {
		// the labels: inside the SVG, off the plotting area, at least 11 px
		for _, bt := range c.BadTexts {
			switch {
			case bt.Clipped:
				t.Errorf("%s: label %q at %v (x, y, w, h px) is cut by the edge of the %.0fx%.0f chart", c.ID, bt.Text, bt.Box, c.Width, c.Height)
			case bt.Overlaps:
				t.Errorf("%s: label %q at %v overlaps the plotting area", c.ID, bt.Text, bt.Box)
			default:
				t.Errorf("%s: label %q is drawn at %.1f px, under 11 px", c.ID, bt.Text, bt.FontPx)
			}
		}
		if c.ID == "chart-map" && (c.Shapes == 0 || c.Titled != c.Shapes) {
			t.Errorf("chart-map: %d of %d countries and circles have a tooltip with numbers", c.Titled, c.Shapes)
		}
	}
	for _, id := range wantCharts {
		if !got[id] {
			t.Errorf("chart %s missing from the page (found %v)", id, res.Charts)
		}
	}
	if len(res.Charts) != len(wantCharts) {
		t.Errorf("page has %d charts, want %d", len(res.Charts), len(wantCharts))
	}

	height := res.PageHeight
	if height < 600 || height > 20000 {
		t.Fatalf("page height %d px", height)
	}
	shot := strings.TrimSuffix(path, ".html") + ".png"
	runChromium(t, bin, fmt.Sprintf("--window-size=1200,%d", height), "--hide-scrollbars", "--screenshot="+shot, "file://"+path)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if cfg.Width != 1200 || cfg.Height != height {
		t.Errorf("screenshot is %dx%d, want 1200x%d", cfg.Width, cfg.Height, height)
	}
	t.Logf("screenshot: %s", shot)
	return shot
}
