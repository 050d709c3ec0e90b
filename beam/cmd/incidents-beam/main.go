// Command incidents-beam runs incidents' normalize and stats as an Apache
// Beam pipeline: on the embedded Prism runner (default), on a portable job
// server (Flink's, Spark's) with --runner universal --endpoint HOST:PORT,
// or on Google Cloud Dataflow with --runner dataflow.
//
//	incidents-beam normalize --input 'data/*.csv' --output events
//	incidents-beam stats --input 'data/*.csv' --by country_iso3,year -o stats.csv
//	incidents-beam normalize --runner universal --endpoint localhost:8099 --input ... --output ...
//
// Flags after -- are Beam's own (--project, --region, --staging_location,
// --environment_type ...).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/incidentkit/incidents/beam/pipeline"
	"github.com/incidentkit/incidents/stats"
)

const usage = `usage: incidents-beam normalize --input GLOB --output DIR [flags] [-- beam flags]
       incidents-beam stats --input GLOB [--by COLS] [-o FILE] [flags] [-- beam flags]
Run incidents-beam CMD --help for the flags of CMD.`

var version = "dev"

func main() {
	// A worker started by a runner (Dataflow's container) runs the harness.
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "-") {
		flag.Parse()
		beam.Init()
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

// run is the command on args; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	own, beamArgs := args[1:], []string(nil)
	for i, a := range own {
		if a == "--" {
			own, beamArgs = own[:i], own[i+1:]
			break
		}
	}
	if err := flag.CommandLine.Parse(beamArgs); err != nil {
		return 2
	}
	var err error
	switch args[0] {
	case "normalize":
		err = runNormalize(ctx, own, stderr)
	case "stats":
		err = runStats(ctx, own, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "incidents-beam: unknown command %q\n%s\n", args[0], usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "incidents-beam %s: %v\n", args[0], err)
		return 2
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "incidents-beam: interrupted; nothing was written\n")
		return 130
	}
	var re rejectedError
	if errors.As(err, &re) {
		fmt.Fprintf(stderr, "incidents-beam %s: %v\n", args[0], err)
		return 3
	}
	fmt.Fprintf(stderr, "incidents-beam %s: %s\n", args[0], strings.TrimPrefix(err.Error(), "beam: "))
	return 1
}

type usageError struct{ error }
type rejectedError struct{ error }

// stringList is a repeatable flag of comma-separated values.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// whereList is a repeatable flag kept whole (a filter's value list has commas).
type whereList []string

func (l *whereList) String() string     { return strings.Join(*l, " AND ") }
func (l *whereList) Set(s string) error { *l = append(*l, s); return nil }

type common struct {
	inputs   stringList
	read     pipeline.ReadOptions
	runner   pipeline.Runner
	override bool
}

func (c *common) flags(fs *flag.FlagSet) {
	fs.Var(&c.inputs, "input", "input `GLOB` (local path pattern or gs://...; repeatable, comma-separated); each glob's files in sorted order")
	fs.StringVar(&c.read.Profile, "profile", "auto", "input layout: auto (detect from the header) or a profile name, as incidents normalize")
	fs.StringVar(&c.read.DateOrder, "date-order", "", "ambiguous numeric dates: dmy or mdy (default: reject them)")
	fs.StringVar(&c.read.Encoding, "encoding", "auto", "text encoding of the inputs, as incidents normalize")
	fs.StringVar(&c.read.Missing, "na", "default", "comma-separated `TOKENS` read as null (default: incidents normalize's list)")
	fs.StringVar(&c.runner.Name, "runner", "prism", "where to run: prism (embedded, local), universal (a job server at --endpoint: Flink, Spark), dataflow")
	fs.StringVar(&c.runner.Endpoint, "endpoint", "", "job server `HOST:PORT` for --runner universal (Flink's job server listens on 8099)")
	fs.StringVar(&c.runner.Environment, "environment", "", "SDK workers: loopback (default for prism and universal: in this process, no containers), docker, process")
	fs.BoolVar(&c.override, "overwrite", false, "replace existing outputs")
}

func (c *common) check() error {
	if len(c.inputs) == 0 {
		return usageError{errors.New("--input GLOB is required")}
	}
	return nil
}

func runNormalize(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("normalize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.flags(fs)
	var out, rejects string
	var partitionBy stringList
	var maxRejects int64
	fs.StringVar(&out, "output", "", "output dataset `DIR` (Hive-partitioned Parquet)")
	fs.StringVar(&rejects, "rejects", "", "JSON Lines `FILE` of rejected rows (default DIR.rejects.jsonl)")
	fs.Var(&partitionBy, "partition-by", "Hive partition `COLUMNS` (default year)")
	fs.Int64Var(&maxRejects, "max-rejects", 0, "exit with status 3 when more rows than this are rejected")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if out == "" {
		return usageError{errors.New("--output DIR is required")}
	}
	res, err := pipeline.Normalize(ctx, pipeline.NormalizeConfig{Inputs: c.inputs, Output: out, Rejects: rejects,
		PartitionBy: partitionBy, Overwrite: c.override, Read: c.read, Version: version, Runner: c.runner})
	if err != nil {
		return err
	}
	res.WriteText(stderr)
	fmt.Fprintf(stderr, "%d Parquet files in %s\n", res.Files, out)
	if res.Rejected > maxRejects {
		return rejectedError{fmt.Errorf("%d rows rejected, more than --max-rejects %d; see %s", res.Rejected, maxRejects, res.RejectsPath)}
	}
	return nil
}

func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.flags(fs)
	var by stringList
	var where whereList
	var opts stats.Options
	var out, format, quantiles, temp string
	var bootstrap int
	var seed uint64
	fs.Var(&by, "by", "group `COLUMNS`")
	fs.StringVar(&opts.Period, "period", "", "day, week, month, quarter or year: frequency statistics per group")
	fs.Var(&where, "where", "`COLUMN OP VALUE` filter (repeatable), as incidents stats")
	fs.IntVar(&opts.Top, "top", 0, "keep the K groups with the most events")
	fs.BoolVar(&opts.Tail, "tail", false, "fit a discrete power law to fatalities_best >= 1 per group")
	fs.IntVar(&bootstrap, "bootstrap", stats.DefaultBootstrap, "goodness-of-fit replicates of --tail (0: none)")
	fs.Uint64Var(&seed, "seed", 0, "seed of the bootstrap")
	fs.BoolVar(&opts.Series, "series", false, "counts per group and period (needs --period), empty periods as zero")
	fs.StringVar(&quantiles, "quantiles", "exact", "exact (every value grouped per key) or sketch (a mergeable DDSketch, 1% relative error)")
	fs.StringVar(&out, "o", "-", "output `FILE` (- is stdout)")
	fs.StringVar(&temp, "temp", "", "folder the workers and this process share for the result (gs://bucket/tmp on Dataflow; default a local temporary folder)")
	fs.StringVar(&format, "format", "", "csv, json, markdown, table (default: from -o's extension, csv on stdout)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	opts.By = by
	opts.Seed = seed
	opts.Bootstrap = bootstrap
	if bootstrap == 0 {
		opts.Bootstrap = -1
	}
	for _, w := range where {
		f, err := stats.ParseFilter(w)
		if err != nil {
			return usageError{err}
		}
		opts.Where = append(opts.Where, f)
	}
	res, err := pipeline.Stats(ctx, pipeline.StatsConfig{Inputs: c.inputs, Read: c.read, Runner: c.runner,
		Options: opts, Quantiles: quantiles, Temp: temp})
	if err != nil {
		return err
	}
	return pipeline.WriteResult(res, out, format, c.override, stdout)
}
