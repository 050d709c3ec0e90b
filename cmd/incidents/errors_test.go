package main

import (
	"bytes"
	"errors"
	"io/fs"
	"runtime/debug"
	"strings"
	"testing"
)

// What a person reads when a command fails: the command's name, what
// failed on which file, no package prefixes or cobra wording, the usage
// line for wrong arguments and a pointer to --help for a wrong flag;
// the error itself still unwraps to its cause.
func TestUserMessage(t *testing.T) {
	const events = "../../testdata/stats/events.jsonl"
	for _, c := range []struct {
		args []string
		want string
		is   error
	}{
		{[]string{"normalize", "-o", t.TempDir() + "/x.parquet", "nosuch.csv"},
			"incidents normalize: cannot open nosuch.csv: no such file or directory", fs.ErrNotExist},
		{[]string{"stats", "nosuch.csv"}, "incidents stats: cannot open nosuch.csv: no such file or directory", fs.ErrNotExist},
		{[]string{"export", "-o", t.TempDir() + "/y.parquet", "nosuch.jsonl"},
			"incidents export: cannot open nosuch.jsonl: no such file or directory", fs.ErrNotExist},
		{[]string{"plot", "--kind", "nope", "-o", t.TempDir() + "/p.svg", events},
			`incidents plot: unknown chart kind "nope" (timeseries, bar, ccdf, map)`, nil},
		{[]string{"stats", "--format", "yaml", events}, `incidents stats: unknown --format "yaml" (table, json, csv, markdown, parquet, arrow)`, nil},
		{[]string{"stats"}, "incidents stats: needs at least one argument, got none\nusage: incidents stats [flags] INPUT...", nil},
		{[]string{"inspect", "a", "b"}, "incidents inspect: takes one argument, got 2\nusage: incidents inspect [--rows N] FILE [flags]", nil},
		{[]string{"schema", "x"}, "incidents schema: takes no arguments, got \"x\"\nusage: incidents schema [flags]", nil},
		{[]string{"stats", "--nope", events}, "incidents stats: unknown flag: --nope\nsee 'incidents stats --help'", nil},
		{[]string{"report", "--deadliest", "x", events}, "incidents report: invalid argument \"x\" for \"--deadliest\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nsee 'incidents report --help'", nil},
		{[]string{"nope"}, "incidents: unknown command \"nope\" for \"incidents\"\nsee 'incidents --help'", nil},
	} {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetArgs(append(c.args, "--quiet"))
		cmd, err := root.ExecuteC()
		if err == nil {
			t.Errorf("%v: no error", c.args)
			continue
		}
		if got := userMessage(cmd, withHints(err)); got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.args, got, c.want)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%v: %v is not %v", c.args, err, c.is)
		}
	}
}

// The renderer removes a package's prefix wherever a cause begins, and
// leaves quoted text alone.
func TestUserMessagePrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"ingest: x.csv:3:2: killed \"report: 5\": value: bad casualty": "incidents: x.csv:3:2: killed \"report: 5\": bad casualty",
		"export: writing out.parquet: stats: boom":                     "incidents: writing out.parquet: boom",
		"stat in.jsonl: permission denied":                             "incidents: cannot open in.jsonl: permission denied",
		"update: ds: would overwrite an input":                         "incidents: ds: would overwrite an input",
		"diff: --by: nope named twice":                                 "incidents: --by: nope named twice",
		"serve: x.csv: not a dataset":                                  "incidents: x.csv: not a dataset",
	} {
		if got := userMessage(nil, errors.New(in)); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

// incidents version and --version say the module version and the VCS
// revision from the build information, never a bare "dev"; make build's
// -X main.version wins when set.
func TestVersion(t *testing.T) {
	defer func(v string, f func() (*debug.BuildInfo, bool)) { version, buildInfo = v, f }(version, buildInfo)
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/incidentkit/incidents", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "522b436d0a1c9c0ffee0123456789abcdef01234"},
			{Key: "vcs.time", Value: "2026-12-01T23:59:00Z"}, {Key: "vcs.modified", Value: "true"}, {Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}}
	buildInfo = func() (*debug.BuildInfo, bool) { return bi, true }
	version = ""
	want := "incidents devel-522b436d0a1c\n" +
		"module    github.com/incidentkit/incidents (devel)\n" +
		"revision  522b436d0a1c9c0ffee0123456789abcdef01234 (2026-12-01T23:59:00Z, uncommitted changes)\n" +
		"go        go1.26.0 linux/amd64\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("%v:\n%s\nwant\n%s", args, out.String(), want)
		}
	}
	bi.Main.Version = "v1.4.0" // go install github.com/incidentkit/incidents/cmd/incidents@v1.4.0
	if v := shortVersion(); v != "v1.4.0" {
		t.Errorf("installed: version %q", v)
	}
	version = "v1.4.0-3-g522b436" // make build
	if v := shortVersion(); v != version {
		t.Errorf("-X main.version: version %q", v)
	}
	version, bi.Settings, bi.Main.Version = "", nil, "(devel)"
	if text := versionText(); !strings.HasPrefix(text, "incidents devel\n") || !strings.Contains(text, "revision  unknown: built without VCS information") {
		t.Errorf("no VCS:\n%s", text)
	}
}
