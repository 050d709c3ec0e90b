package main

import (
	"bytes"
	"strings"
	"testing"
)

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
