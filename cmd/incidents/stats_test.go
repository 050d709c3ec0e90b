package main

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/stats"
)

var updateStats = flag.Bool("update-stats", false, "rewrite testdata/stats/cli/*.out from the current output")

// TestStatsGolden runs whole stats command lines over the nine incidents of
// testdata/stats/events.jsonl and compares their output with
// testdata/stats/cli/NAME.out (go test ./cmd/incidents -run StatsGolden
// -update-stats rewrites them; review the diff). The numbers in them are
// checked independently by the stats package's DuckDB and hand-worked tests;
// this test pins the formats.
func TestStatsGolden(t *testing.T) {
	const input = "../../testdata/stats/events.jsonl"
	defer func(f func(io.Writer) int) { terminalWidth = f }(terminalWidth)
	for _, c := range []struct {
		name  string
		args  []string
		width int // of the terminal; 0: not a terminal (80)
	}{
		{"table_all", []string{}, 0},
		{"table_by_country", []string{"--by", "country_iso3"}, 0},
		{"table_country_year_w80", []string{"--by", "country_iso3,year", "--period", "month"}, 80},
		{"table_stats_all_w200", []string{"--by", "country_iso3", "--stats", "all"}, 200},
		{"table_stats_chosen", []string{"--by", "year", "--stats", "events,injured_best_sum,detained_best_sum,fatalities_null"}, 0},
		{"csv_country_year", []string{"--by", "country_iso3", "--period", "year", "--format", "csv"}, 0},
		{"json_where", []string{"--by", "event_type", "--where", "year>=2020", "--where", "country_iso3!=TJK", "--format", "json"}, 0},
		{"markdown_series", []string{"--by", "country_iso3", "--period", "quarter", "--series", "--format", "markdown"}, 0},
		{"csv_top_actor", []string{"--by", "actor1", "--top", "2", "--format", "csv"}, 0},
		{"csv_stats_chosen", []string{"--by", "country_iso3", "--stats", "fatalities_max,events", "--format", "csv"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			terminalWidth = func(io.Writer) int { return cmp.Or(c.width, stats.DefaultTableWidth) }
			root := newRootCmd()
			var out, errb bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&errb)
			root.SetArgs(append(append([]string{"stats"}, c.args...), input))
			if err := root.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("%v: %v\n%s", c.args, err, errb.String())
			}
			path := filepath.Join("..", "..", "testdata", "stats", "cli", c.name+".out")
			if *updateStats {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-stats to create it)", err)
			}
			if c.width > 0 {
				for _, l := range strings.Split(out.String(), "\n") {
					if len([]rune(l)) > c.width {
						t.Errorf("line wider than the terminal's %d columns: %q", c.width, l)
					}
				}
			}
			if out.String() != string(want) {
				t.Errorf("incidents stats %s: output differs from %s:\n%s", strings.Join(c.args, " "), path, out.String())
			}
		})
	}
}

// Flag mistakes fail before any input is read, with errors that say what
// to type instead.
func TestStatsFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"stats", "--format", "yaml", "x"}, `stats: unknown --format "yaml"`},
		{[]string{"stats", "--format", "parquet", "x"}, "stats: --format parquet needs -o FILE"},
		{[]string{"stats", "--where", "year>>1", "x"}, "stats: filter"},
		{[]string{"stats", "--where", "nope=1", "x"}, `unknown column "nope"`},
		{[]string{"stats", "--by", "assoc_actors", "x"}, "stats: cannot group by assoc_actors"},
		{[]string{"stats", "--period", "fortnight", "x"}, `stats: unknown period "fortnight"`},
		{[]string{"stats", "--series", "x"}, "stats: counts per period need a period"},
		{[]string{"stats", "--stats", "events,nope", "x"}, `unknown statistic "nope"`},
		{[]string{"stats", "--stats", "tail_alpha", "x"}, `unknown statistic "tail_alpha"`},
		{[]string{"stats", "--stats", "events,events", "x"}, `statistic "events" named twice`},
	} {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetArgs(c.args)
		err := root.Execute()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}

// The help states the quantile definition and shows real examples.
func TestStatsHelp(t *testing.T) {
	cmd := newStatsCmd()
	for _, want := range []string{"type 7", "quantile_cont", "--by country_iso3", "--tail"} {
		if !strings.Contains(cmd.Long+cmd.Example, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// TestRawRejectsSaid: stats, panel, link and plot on a raw file say how many
// rows they rejected and why (they keep no rejects file): none vanish
// silently.
func TestRawRejectsSaid(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "acled.csv")
	os.WriteFile(in, []byte("event_id_cnty,event_date,event_type,sub_event_type,country,fatalities\n"+
		"TJK1,2019-11-06,Battles,Armed clash,Tajikistan,17\n"+
		"TJK2,2019-13-40,Battles,Armed clash,Tajikistan,1\n"+
		"TJK3,2019-11-07,Battles,Armed clash,Atlantis,2\n"), 0o644)
	for _, args := range [][]string{
		{"stats", "--by", "year", in},
		{"panel", "--unit", "country", "--period", "year", "-o", filepath.Join(dir, "p.csv"), in},
		{"link", "-o", filepath.Join(dir, "l.parquet"), in},
		{"plot", "--kind", "timeseries", "-o", filepath.Join(dir, "t.svg"), in},
	} {
		root := newRootCmd()
		var out, errb bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&errb)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		want := args[0] + ": rows read 3 = used 1 + merged 0 + rejected 2"
		if s := errb.String(); !strings.Contains(s, want) || !strings.Contains(s, "bad_date 1") || !strings.Contains(s, "unknown_country 1") {
			t.Errorf("%v: stderr lacks %q and the reasons:\n%s", args, want, s)
		}
	}
}
