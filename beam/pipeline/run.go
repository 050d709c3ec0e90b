package pipeline

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/exec/optimized"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
)

// Runner says where a pipeline runs.
type Runner struct {
	// Name is prism (default: an embedded runner in this process),
	// universal (a portable job server: Flink's, Spark's, or a Prism one,
	// at Endpoint) or dataflow (Google Cloud Dataflow; its options, such as
	// --project, --region and --staging_location, are Beam's flags).
	Name string
	// Endpoint is the job server's HOST:PORT for universal.
	Endpoint string
	// Environment is how the runner starts SDK workers: loopback (default
	// for prism and universal: workers run inside this process, no
	// container) or docker/process/external as Beam's --environment_type.
	Environment string
}

// Runners lists the runner names Run takes.
var Runners = []string{"prism", "universal", "dataflow"}

// run executes p on r and waits for it.
func (r Runner) run(ctx context.Context, p *beam.Pipeline) (beam.PipelineResult, error) {
	name := r.Name
	if name == "" {
		name = "prism"
	}
	if !slices.Contains(Runners, name) {
		return nil, fmt.Errorf("beam: unknown runner %q (want prism, universal or dataflow)", name)
	}
	set := func(k, v string) error {
		if flag.Lookup(k) == nil {
			return fmt.Errorf("beam: no Beam flag --%s", k)
		}
		return flag.Set(k, v)
	}
	env := r.Environment
	switch name {
	case "universal":
		if r.Endpoint == "" {
			return nil, fmt.Errorf("beam: --runner universal needs --endpoint HOST:PORT (the job server's, e.g. localhost:8099 for Flink's)")
		}
		if err := set("endpoint", r.Endpoint); err != nil {
			return nil, err
		}
		if env == "" {
			env = "loopback"
		}
	case "prism":
		if r.Endpoint != "" {
			if err := set("endpoint", r.Endpoint); err != nil {
				return nil, err
			}
		}
		if env == "" {
			env = "loopback"
		}
	}
	if env != "" {
		if err := set("environment_type", env); err != nil {
			return nil, err
		}
	}
	if !beam.Initialized() {
		beam.Init()
	}
	return beam.Run(ctx, name, p)
}

// matchInputs expands each glob (a local path pattern, or a URL of a Beam
// filesystem such as gs://bucket/2024*.export.CSV.zip), each glob's files
// sorted, in the order the globs are given: the run's input order, which
// decides which of two rows with one incident_id is kept.
func matchInputs(ctx context.Context, globs []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, g := range globs {
		var m []string
		if u, err := url.Parse(g); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
			fs, err := filesystem.New(ctx, g)
			if err != nil {
				return nil, fmt.Errorf("beam: %s: %w", g, err)
			}
			m, err = fs.List(ctx, g)
			fs.Close()
			if err != nil {
				return nil, fmt.Errorf("beam: %s: %w", g, err)
			}
		} else {
			var err error
			if m, err = filepath.Glob(g); err != nil {
				return nil, fmt.Errorf("beam: --input %s: %w", g, err)
			}
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("beam: --input %s: no file matches", g)
		}
		slices.Sort(m)
		for _, p := range m {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}
