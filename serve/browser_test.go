package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var docsShot = flag.Bool("docs", false, "TestDashboardInBrowser also writes its screenshot to ../docs/serve.png")

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

// runChromium runs one headless browser on a fresh profile that can reach
// no host but 127.0.0.1, and returns its stdout and stderr.
func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstderr:\n%s", bin, args, err, errb.Bytes())
	}
	return out.Bytes(), errb.Bytes()
}

// probeJS is loaded by the page before its own scripts (as a file of the
// same origin, which the page's Content-Security-Policy allows). It records
// every error, then drives the filters as a person would: it waits for
// the first drawing, picks the second country in the list, a start date,
// an event type, the year period, and Reset, waiting after each for the
// page to redraw, and notes what every chart showed. Its findings go to
// <pre id="probe"> for --dump-dom.
const probeJS = `
window.__errors = [];
window.addEventListener("error", function (e) {
  window.__errors.push(e.message || ("failed to load " + ((e.target && (e.target.src || e.target.href)) || "a resource")));
}, true);
window.addEventListener("unhandledrejection", function (e) { window.__errors.push("unhandled rejection: " + e.reason); });
window.addEventListener("securitypolicyviolation", function (e) { window.__errors.push("CSP: " + e.violatedDirective + " " + e.blockedURI); });
(function () { var ce = console.error; console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); ce.apply(console, arguments); }; })();

(function () {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function settled(n) {
    for (let i = 0; i < 600; i++) {
      const d = window.__dashboard;
      if (d && d.renders >= n && d.inFlight === 0) return true;
      await sleep(50);
    }
    return false;
  }
  function snapshot(step) {
    const charts = {};
    document.querySelectorAll("figure.chart").forEach(function (fig) {
      // the chart's own svg: the largest (a legend adds small swatches)
      let svg = null, r = {width: 0, height: 0};
      fig.querySelectorAll(".plot svg").forEach(function (el) {
        const b = el.getBoundingClientRect();
        if (b.width * b.height > r.width * r.height) { svg = el; r = b; }
      });
      charts[fig.id] = {
        state: fig.dataset.state, query: fig.dataset.query || "",
        width: r.width, height: r.height,
        marks: svg ? svg.querySelectorAll("rect, circle, path, text").length : 0,
        bars: svg ? svg.querySelectorAll("g[aria-label='bar'] rect, g[aria-label='rect'] rect").length : 0,
        dots: svg ? svg.querySelectorAll("g[aria-label='dot'] circle").length : 0,
        outlines: svg ? svg.querySelectorAll("g[aria-label='geo'] path").length : 0,
      };
    });
    return {step: step, query: document.body.dataset.query || "", renders: Number(document.body.dataset.renders || 0),
      events: Number(document.getElementById("headline").dataset.events || -1), charts: charts,
      shownError: document.getElementById("error").hidden ? "" : document.getElementById("error").textContent};
  }
  function change(id, value) {
    const el = document.getElementById(id);
    el.value = value;
    el.dispatchEvent(new Event("change", {bubbles: true}));
  }
  async function run() {
    const steps = [];
    let n = 1;
    const ok = [await settled(n)];
    steps.push(snapshot("first"));
    const country = document.getElementById("f-country").options[2].value;
    const type = document.getElementById("f-event-type").options[1].value;
    const actions = [
      ["country", () => change("f-country", country)],
      ["from", () => change("f-from", "2020-01-01")],
      ["event type", () => change("f-event-type", type)],
      ["period", () => change("f-period", "year")],
      ["reset", () => document.getElementById("f-reset").click()],
    ];
    for (const [name, act] of actions) {
      act();
      n++;
      ok.push(await settled(n));
      steps.push(snapshot(name));
    }
    const origin = location.origin;
    const res = performance.getEntriesByType("resource").map((e) => e.name);
    const out = document.createElement("pre");
    out.id = "probe";
    out.textContent = JSON.stringify({ok: ok, country: country, type: type, steps: steps, errors: window.__errors,
      resources: res, foreign: res.filter((u) => !u.startsWith(origin + "/")), origin: origin});
    document.body.append(out);
  }
  window.addEventListener("load", run);
})();
`

type probeChart struct {
	State, Query      string
	Width, Height     float64
	Marks, Bars, Dots int
	Outlines          int
}

type probeStep struct {
	Step, Query, ShownError string
	Renders, Events         int
	Charts                  map[string]probeChart
}

type probeResult struct {
	OK                 []bool
	Country, Type      string
	Steps              []probeStep
	Errors             []string
	Resources, Foreign []string
	Origin             string
}

var probeOut = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

// TestDashboardInBrowser opens the dashboard of a server of 3,000
// synthetic incidents in headless Chromium and clicks its filters: no
// console or page errors (the page's CSP included), every chart drawn at
// each step and redrawn from the API with the filter's where, the
// headline's count following the filters (and equal to /api/stats'), and
// no request to anywhere but the server.
func TestDashboardInBrowser(t *testing.T) {
	bin := chromium(t)
	path := filepath.Join(t.TempDir(), "synthetic.parquet")
	writeSynthetic(t, path, 3000, 1)
	s, err := New(Options{Datasets: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	api := s.Handler()
	mux := http.NewServeMux()
	mux.HandleFunc("/probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(probeJS))
	})
	mux.HandleFunc("/probe.html", func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		api.ServeHTTP(rec, req)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.Header().Del("ETag")
		page := strings.Replace(rec.Body.String(), "<head>", `<head><script src="probe.js"></script>`, 1)
		w.Write([]byte(page))
	})
	mux.Handle("/", api)
	ts := httptest.NewServer(mux)
	defer ts.Close()

	dom, stderr := runChromium(t, bin, "--window-size=1200,1800", "--virtual-time-budget=60000", "--dump-dom", ts.URL+"/probe.html")
	m := probeOut.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not finish; dumped DOM:\n%.3000s\nstderr:\n%.3000s", dom, stderr)
	}
	var res probeResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatalf("probe output: %v\n%s", err, m[1])
	}
	for _, e := range res.Errors {
		t.Errorf("page error: %s", e)
	}
	for _, line := range strings.Split(string(stderr), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("console message: %s", line)
		}
	}
	if len(res.Foreign) > 0 {
		t.Errorf("the page fetched from elsewhere than %s: %v", res.Origin, res.Foreign)
	}
	if len(res.Resources) < 10 {
		t.Errorf("only %d requests: %v", len(res.Resources), res.Resources)
	}
	for i, ok := range res.OK {
		if !ok {
			t.Errorf("step %d did not settle", i)
		}
	}
	charts := []string{"chart-events", "chart-fatalities", "chart-countries", "chart-event-types", "chart-map"}
	total := 0
	for i, st := range res.Steps {
		t.Logf("%s: query %q, %d events", st.Step, st.Query, st.Events)
		if st.ShownError != "" {
			t.Errorf("%s: the page shows the error %q", st.Step, st.ShownError)
		}
		if st.Renders != i+1 {
			t.Errorf("%s: %d drawings, want %d", st.Step, st.Renders, i+1)
		}
		for _, id := range charts {
			c, ok := st.Charts[id]
			switch {
			case !ok:
				t.Errorf("%s: no chart %s", st.Step, id)
			case c.State != "ready" || c.Width < 300 || c.Height < 100 || c.Marks < 5:
				t.Errorf("%s: %s not drawn: %+v", st.Step, id, c)
			}
			// every chart was redrawn from a query holding the step's filters
			for _, w := range strings.Split(st.Query, "&") {
				if w != "" && !strings.Contains(c.Query, w) {
					t.Errorf("%s: %s drawn from %q, without the filter %q", st.Step, id, c.Query, w)
				}
			}
		}
		// the headline's count is /api/stats' for the same filters
		target := "/api/stats?stats=events"
		if st.Query != "" {
			target += "&" + st.Query
		}
		r := get(t, ts.URL, target)
		var rows []map[string]float64
		if err := json.Unmarshal(r.body, &rows); err != nil || len(rows) != 1 {
			t.Fatalf("%s: %s: %v %s", st.Step, target, err, r.body)
		}
		if int(rows[0]["events"]) != st.Events {
			t.Errorf("%s: the page shows %d incidents, %s says %v", st.Step, st.Events, target, rows[0]["events"])
		}
		if i == 0 {
			total = st.Events
		}
	}
	if len(res.Steps) != 6 {
		t.Fatalf("%d steps", len(res.Steps))
	}
	first, country, from, typ, period, reset := res.Steps[0], res.Steps[1], res.Steps[2], res.Steps[3], res.Steps[4], res.Steps[5]
	if first.Events != 3000 || reset.Events != total || reset.Query != "" {
		t.Errorf("events: first %d, after reset %d (query %q), want 3000", first.Events, reset.Events, reset.Query)
	}
	if !(country.Events < first.Events && from.Events < country.Events && typ.Events < from.Events && typ.Events > 0 && period.Events == typ.Events) {
		t.Errorf("events do not follow the filters: %d, %d, %d, %d, %d", first.Events, country.Events, from.Events, typ.Events, period.Events)
	}
	if !strings.Contains(country.Query, "country_iso3%3D"+res.Country) || !strings.Contains(typ.Query, "event_type%3D"+res.Type) {
		t.Errorf("queries %q, %q", country.Query, typ.Query)
	}
	if c := country.Charts["chart-countries"]; c.Bars != 1 {
		t.Errorf("one country chosen, the country chart has %d bars", c.Bars)
	}
	if first.Charts["chart-countries"].Bars != 6 || first.Charts["chart-event-types"].Bars != 6 {
		t.Errorf("bars: %d countries, %d event types", first.Charts["chart-countries"].Bars, first.Charts["chart-event-types"].Bars)
	}
	if d := first.Charts["chart-map"].Dots; d != 3000 {
		t.Errorf("map: %d dots, want 3000", d)
	}
	if o := first.Charts["chart-map"].Outlines; o < 100 {
		t.Errorf("map: %d country outlines, want world-atlas's (177)", o)
	}
	if d := typ.Charts["chart-map"].Dots; d != typ.Events {
		t.Errorf("filtered map: %d dots, want %d", d, typ.Events)
	}
	// monthly bars over 2018-2021, then yearly ones
	if b := first.Charts["chart-events"].Bars; b != 48 {
		t.Errorf("%d monthly bars, want 48", b)
	}
	if b := period.Charts["chart-events"].Bars; b != 2 {
		t.Errorf("%d yearly bars from 2020 on, want 2", b)
	}

	shot := filepath.Join(t.TempDir(), "serve.png")
	runChromium(t, bin, "--window-size=1200,1700", "--virtual-time-budget=30000", "--hide-scrollbars", "--screenshot="+shot, ts.URL+"/")
	b, err := os.ReadFile(shot)
	if err != nil || len(b) < 10000 {
		t.Fatalf("screenshot: %v (%d bytes)", err, len(b))
	}
	t.Logf("screenshot: %s", shot)
	if *docsShot {
		if err := os.WriteFile(filepath.Join("..", "docs", "serve.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
