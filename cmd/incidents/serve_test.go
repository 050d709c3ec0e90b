package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incidentkit/incidents/serve"
)

// TestServeStatsEqualsStatsJSON: /api/stats with the flags of `incidents
// stats` as parameters answers the bytes `incidents stats --format json`
// prints, over the nine incidents, 3,000 generated ACLED rows and four real
// slices served together.
func TestServeStatsEqualsStatsJSON(t *testing.T) {
	dir := t.TempDir()
	nine := filepath.Join(dir, "nine.parquet")
	incidents(t, "export", "-q", "-o", nine, reportInput)
	raw := filepath.Join(dir, "acled.csv")
	incidents(t, "gen", "--layout", "acled", "-n", "3000", "--seed", "5", "-o", raw)
	acled := filepath.Join(dir, "acled.parquet")
	incidents(t, "normalize", "-q", "-o", acled, raw)

	flagSets := [][]string{
		{},
		{"--by", "country_iso3"},
		{"--by", "country_iso3,year", "--period", "year"},
		{"--by", "event_type", "--period", "month", "--where", "year>=2015"},
		{"--by", "country_iso3", "--period", "quarter", "--series"},
		{"--by", "actor1", "--top", "10", "--where", "country_iso3=SYR,UKR,YEM"},
		{"--by", "year", "--stats", "events,fatalities_best_sum,injured_best_sum", "--where", "fatalities_best>0", "--where", "event_type!=protests"},
		{"--by", "country_iso3", "--period", "week", "--where", "date_start>=2020-01-01", "--where", "date_start<2021-01-01"},
		{"--tail", "--bootstrap", "40", "--seed", "9"},
		{"--by", "source_dataset", "--tail", "--bootstrap", "0"},
	}
	// real slices (testdata/real: ACLED's 2016 API export of Africa, UCDP GED
	// 23.1, ACLED points of Benin as GeoJSON, an uppercase ACLED running file of Asia), each normalized, served together
	var real []string
	for _, in := range []string{"acled-old/acled_africa_2016_api_lowercase.csv", "ged-inconsistent/ged231_sample_inconsistent.csv", "geojson/acled_benin_2022_points.geojson", "acled-upper/acled_asia_2015_running_upper_crlf.csv"} {
		out := filepath.Join(dir, strings.ReplaceAll(filepath.Dir(in), "/", "-")+".parquet")
		incidents(t, "normalize", "-q", "--max-rejects", "100000", "-o", out, filepath.Join("../../testdata/real", in))
		real = append(real, out)
	}
	for _, paths := range [][]string{{nine}, {acled}, real} {
		s, err := serve.New(serve.Options{Datasets: paths})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s.Handler())
		for _, flags := range flagSets {
			want := incidents(t, append(append([]string{"stats", "--format", "json"}, flags...), paths...)...)
			target := "/api/stats?" + flagsToQuery(flags)
			res, err := http.Get(ts.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || string(body) != want {
				t.Errorf("%v %s: %d\n%.600s\nincidents stats %s says\n%.600s", paths, target, res.StatusCode, body, strings.Join(flags, " "), want)
			}
		}
		ts.Close()
	}
}

// flagsToQuery writes stats flags as /api/stats parameters: --by X is by=X,
// a flag without a value is NAME=true.
func flagsToQuery(flags []string) string {
	v := url.Values{}
	for i := 0; i < len(flags); i++ {
		name := strings.TrimPrefix(flags[i], "--")
		if name == "series" || name == "tail" {
			v.Add(name, "true")
			continue
		}
		v.Add(name, flags[i+1])
		i++
	}
	return v.Encode()
}

// TestServeCommand runs `incidents serve --addr 127.0.0.1:0`, asks it for
// /healthz, and stops it as Ctrl-C does: the command returns no error
// after logging the request.
func TestServeCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nine.parquet")
	incidents(t, "export", "-q", "-o", path, reportInput)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	root := newRootCmd()
	var stderr syncBuffer
	root.SetOut(io.Discard)
	root.SetErr(&stderr)
	root.SetArgs([]string{"serve", "--addr", "127.0.0.1:0", "--log", "json", path})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	addr := regexp.MustCompile(`"url":"(http://127\.0\.0\.1:\d+/)"`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no url logged: %s", stderr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	res, err := http.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz: %d %s", res.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after the signal: %v", err)
	}
	log := stderr.String()
	for _, want := range []string{`"msg":"request","method":"GET","path":"/healthz","query":"","status":200`, `"msg":"stopped"`, `"datasets":["nine.parquet"]`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
}

func TestServeFlagErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nine.parquet")
	incidents(t, "export", "-q", "-o", path, reportInput)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--max-rows", "0", path}, "serve: --max-rows 0 is out of range (1 to 1000000)"},
		{[]string{"serve", "--max-concurrent", "5000", path}, "serve: --max-concurrent 5000 is out of range (0 to 1024)"},
		{[]string{"serve", "--timeout", "10ms", path}, "serve: --timeout 10ms is out of range (1s to 1h)"},
		{[]string{"serve", "--log", "xml", path}, `serve: unknown --log "xml" (text, json)`},
		{[]string{"serve", "--addr", "127.0.0.1:99999", path}, "serve: listen tcp: address 99999: invalid port"},
		{[]string{"serve", reportInput}, "serve reads Parquet and Arrow files and datasets, not jsonl"},
	}
	for _, c := range cases {
		root := newRootCmd()
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		root.SetArgs(c.args)
		err := root.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}
