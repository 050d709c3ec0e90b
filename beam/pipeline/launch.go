package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
)

// NormalizeConfig is one incidents-beam normalize run.
type NormalizeConfig struct {
	Inputs      []string // globs, matched by the launcher (see matchInputs)
	Output      string   // the dataset folder (a local or shared path)
	Rejects     string   // rejects file; "" is Output + ".rejects.jsonl"
	PartitionBy []string // Hive partition columns; nil is year
	Overwrite   bool     // replace an existing Output folder (and rejects file)
	Read        ReadOptions
	Version     string // incidents.version of the files
	Runner      Runner
}

// NormalizeResult accounts for a run: RowsRead = Written + Rejected + Filtered.
type NormalizeResult struct {
	Inputs        []ingest.InputSummary
	RowsRead      int64
	Written       int64
	Rejected      int64
	Filtered      int64 // left out by the options (GDELT's --cameo-roots)
	FilterReasons map[string]int64
	// RejectReasons counts the rejects by kind, duplicate_id included.
	RejectReasons map[string]int64
	Warnings      []string
	Files         int    // Parquet files written
	RejectsPath   string // "" when nothing was rejected
}

// WriteText writes the run's accounting as incidents normalize does.
func (r *NormalizeResult) WriteText(w io.Writer) {
	sum := ingest.Summary{Inputs: r.Inputs, RowsRead: r.RowsRead, Incidents: r.Written, Rejected: r.Rejected,
		RejectReasons: r.RejectReasons, Warnings: r.Warnings,
		Filtered: r.Filtered, FilterReasons: r.FilterReasons}
	sum.WriteText(w)
	if r.RejectsPath == "" {
		fmt.Fprintln(w, "no rejects")
	} else {
		fmt.Fprintf(w, "%d rejects in %s\n", r.Rejected, r.RejectsPath)
	}
}

// Normalize runs the normalize pipeline and installs its output: the
// dataset folder, built under a temporary name beside Output and renamed
// into place when the pipeline has succeeded, then the rejects file (when
// there are rejects). A failed or cancelled run leaves neither.
func Normalize(ctx context.Context, cfg NormalizeConfig) (*NormalizeResult, error) {
	if cfg.Output == "" {
		return nil, errors.New("beam: normalize needs --output DIR")
	}
	if cfg.Rejects == "" {
		cfg.Rejects = strings.TrimRight(cfg.Output, "/") + ".rejects.jsonl"
	}
	if cfg.PartitionBy == nil {
		cfg.PartitionBy = []string{"year"}
	}
	if _, err := cfg.Read.ingestOptions(); err != nil { // bad options fail here, not on a worker
		return nil, err
	}
	paths, err := matchInputs(ctx, cfg.Inputs)
	if err != nil {
		return nil, err
	}
	oo := export.OutputOptions{Overwrite: cfg.Overwrite, Inputs: paths}
	if err := export.CheckOutput(cfg.Rejects, oo); err != nil {
		return nil, err
	}
	out, err := export.CreateFolder(cfg.Output, oo)
	if err != nil {
		return nil, err
	}
	defer out.Abort()
	temp, err := filepath.Abs(out.Temp())
	if err != nil {
		return nil, err
	}
	p, s := beam.NewPipelineWithRoot()
	buildNormalize(s, paths, cfg.Read, temp, cfg.PartitionBy, cfg.Version)
	if _, err := cfg.Runner.run(ctx, p); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("beam: the pipeline failed, nothing was written: %w", err)
	}
	return finishNormalize(temp, paths, cfg, out, oo)
}

// finishNormalize moves the committed bundles' files into the dataset
// (OUT/year=2019/part-<bundle>-0000.parquet), checks that every row read
// is written or rejected, and installs the folder and the rejects.
func finishNormalize(temp string, paths []string, cfg NormalizeConfig, out *export.Folder, oo export.OutputOptions) (*NormalizeResult, error) {
	mj, err := os.ReadFile(filepath.Join(temp, manifestName))
	if err != nil {
		return nil, fmt.Errorf("beam: the pipeline ended without its manifest (%v): nothing was written", err)
	}
	var m manifest
	if err := json.Unmarshal(mj, &m); err != nil {
		return nil, fmt.Errorf("beam: damaged manifest: %w", err)
	}
	res := &NormalizeResult{Inputs: make([]ingest.InputSummary, len(paths)), RejectReasons: map[string]int64{}}
	warns := map[string]bool{}
	for _, in := range m.Inputs {
		if in.Index >= len(paths) || len(in.Summary.Inputs) != 1 {
			return nil, fmt.Errorf("beam: manifest names input %d of %d", in.Index, len(paths))
		}
		res.Inputs[in.Index] = in.Summary.Inputs[0]
		res.RowsRead += in.Summary.RowsRead
		res.Rejected += in.Summary.Rejected
		res.Filtered += in.Summary.Filtered
		for k, n := range in.Summary.FilterReasons {
			if res.FilterReasons == nil {
				res.FilterReasons = map[string]int64{}
			}
			res.FilterReasons[k] += n
		}
		for k, n := range in.Summary.RejectReasons {
			res.RejectReasons[k] += n
		}
		for _, w := range in.Summary.Warnings {
			if !warns[w] {
				warns[w] = true
				res.Warnings = append(res.Warnings, w)
			}
		}
	}
	if len(m.Inputs) != len(paths) {
		return nil, fmt.Errorf("beam: %d of %d inputs accounted for: nothing was written", len(m.Inputs), len(paths))
	}
	if dups := m.Rejects - res.Rejected; dups > 0 {
		res.RejectReasons["duplicate_id"] += dups
	}
	res.Rejected = m.Rejects
	for i := range res.Inputs {
		res.Inputs[i].Rejected = m.RejectsByInput[i] // the duplicates of each input with its other rejects
	}
	committed := map[string]bool{}
	for _, b := range m.Bundles {
		committed[b.Name] = true
		res.Written += b.Rows
	}
	if res.RowsRead != res.Written+res.Rejected+res.Filtered {
		return nil, fmt.Errorf("beam: rows read %d != written %d + rejected %d + filtered %d: nothing was written",
			res.RowsRead, res.Written, res.Rejected, res.Filtered)
	}
	ents, err := os.ReadDir(temp)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, "bundle-") {
			continue
		}
		dir := filepath.Join(temp, name)
		if committed[name] {
			n, err := moveParts(dir, temp, strings.TrimPrefix(name, "bundle-"))
			if err != nil {
				return nil, err
			}
			res.Files += n
		}
		if err := os.RemoveAll(dir); err != nil { // an uncommitted bundle (a retried one) leaves nothing
			return nil, err
		}
	}
	os.Remove(filepath.Join(temp, manifestName))
	var rej *export.File
	rejTemp := filepath.Join(temp, rejectsName)
	if res.Rejected > 0 {
		if rej, err = export.CreateFile(cfg.Rejects, oo); err != nil {
			return nil, err
		}
		defer rej.Abort()
		src, err := os.Open(rejTemp)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(rej, src)
		src.Close()
		if err != nil {
			return nil, err
		}
	}
	os.Remove(rejTemp)
	if err := out.Commit(); err != nil {
		return nil, err
	}
	if rej != nil {
		if err := rej.Commit(); err != nil {
			return nil, fmt.Errorf("beam: %s was written but its rejects were not: %w", cfg.Output, err)
		}
		res.RejectsPath = cfg.Rejects
	}
	return res, nil
}

// moveParts moves the files of one bundle's dataset (dir/year=2019/part-0000.parquet)
// into the dataset at root, named by the bundle (root/year=2019/part-ID-0000.parquet).
func moveParts(dir, root, id string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		sub, base := filepath.Split(rel)
		target := filepath.Join(root, sub, strings.Replace(base, "part-", "part-"+id+"-", 1))
		if err := os.MkdirAll(filepath.Dir(target), 0o777); err != nil {
			return err
		}
		n++
		return os.Rename(p, target)
	})
	return n, err
}
