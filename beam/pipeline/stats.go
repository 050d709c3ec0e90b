package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// SketchAccuracy is the relative accuracy of --quantiles sketch: each
// quantile is within 1% of an order statistic at rank floor((n-1)p)
// (DDSketch's guarantee, Masson, Rim & Lee 2019), so within 1% of the
// interval [x(floor h), x(floor h + 1)] that R's type 7 interpolates in.
const SketchAccuracy = 0.01

func init() {
	beam.RegisterType(reflect.TypeOf((*partAcc)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*statsPartFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*partialCombine)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*summarizeFn)(nil)).Elem())
	beam.RegisterCoder(reflect.TypeOf((*partAcc)(nil)), encodePart, decodePart)
}

// partAcc is one group's part of the statistics on its way through the
// combiner: a stats.Partial, and with --quantiles sketch a DDSketch per
// quantity instead of its values (but fatalities >= 1, with --tail: the
// fit needs them).
type partAcc struct {
	P       stats.Partial
	Sketch  [3][]byte // encoded DDSketches (sketch mode)
	sketchs [3]*ddsketch.DDSketch
}

func encodePart(p *partAcc) ([]byte, error) {
	for q, s := range p.sketchs {
		if s != nil {
			var b []byte
			s.Encode(&b, false)
			p.Sketch[q] = b
		}
	}
	return json.Marshal(p)
}

func decodePart(b []byte) (*partAcc, error) {
	var p partAcc
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	for q, sb := range p.Sketch {
		if sb != nil {
			s, err := ddsketch.DecodeDDSketch(sb, store.BufferedPaginatedStoreConstructor, nil)
			if err != nil {
				return nil, fmt.Errorf("beam: damaged sketch: %w", err)
			}
			p.sketchs[q] = s
			p.Sketch[q] = nil
		}
	}
	return &p, nil
}

func newSketch() *ddsketch.DDSketch {
	m, err := mapping.NewLogarithmicMapping(SketchAccuracy)
	if err != nil {
		panic("beam: " + err.Error())
	}
	return ddsketch.NewDDSketch(m, store.NewBufferedPaginatedStore(), store.NewBufferedPaginatedStore())
}

// statsOptions are the parts of stats.Options the workers need (plain
// values, to travel inside the DoFns).
type statsOptions struct {
	By        []string
	Period    string
	Where     []string
	Top       int
	Tail      bool
	Bootstrap int
	Seed      uint64
	Series    bool
	Sketch    bool
}

func (o statsOptions) options() (stats.Options, error) {
	opts := stats.Options{By: o.By, Period: o.Period, Top: o.Top, Tail: o.Tail, Bootstrap: o.Bootstrap, Seed: o.Seed, Series: o.Series}
	for _, w := range o.Where {
		f, err := stats.ParseFilter(w)
		if err != nil {
			return opts, err
		}
		opts.Where = append(opts.Where, f)
	}
	return opts, nil
}

// statsPartFn accumulates the rows of a bundle with stats.Accumulator (the
// filters, groups and per-row statistics of incidents stats) a record of
// rows at a time, the rows of each record in input order, and emits each
// record's groups as Partials keyed by group: the first maximum of each
// is the first in input order within the record, and MaxOrder says where
// it stands for the combiner's ties.
type statsPartFn struct {
	Opts statsOptions

	rows []ingest.Row
}

const statsBatch = 8192

func (f *statsPartFn) ProcessElement(row []byte, emit func(string, *partAcc)) error {
	var r ingest.Row
	if err := decodeRow(row, &r, false); err != nil {
		return err
	}
	f.rows = append(f.rows, r)
	if len(f.rows) >= statsBatch {
		return f.flush(emit)
	}
	return nil
}

func (f *statsPartFn) FinishBundle(emit func(string, *partAcc)) error {
	return f.flush(emit)
}

func rowOrder(r *ingest.Row) uint64 { return uint64(r.Input)<<40 | uint64(r.Line)&(1<<40-1) }

func (f *statsPartFn) flush(emit func(string, *partAcc)) error {
	if len(f.rows) == 0 {
		return nil
	}
	defer func() { f.rows = f.rows[:0] }()
	slices.SortFunc(f.rows, func(a, b ingest.Row) int {
		x, y := rowOrder(&a), rowOrder(&b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	opts, err := f.Opts.options()
	if err != nil {
		return err
	}
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		return err
	}
	order := make(map[string]uint64, len(f.rows))
	incs := make([]schema.Incident, len(f.rows))
	for i := range f.rows {
		incs[i] = f.rows[i].Incident
		order[incs[i].IncidentID] = rowOrder(&f.rows[i])
	}
	rec := schema.NewRecord(nil, incs)
	err = acc.Add(rec)
	rec.Release()
	if err != nil {
		return err
	}
	for _, p := range acc.Partials() {
		pa := &partAcc{P: *p}
		for q := range pa.P.Qty {
			pq := &pa.P.Qty[q]
			if pq.MaxHasID {
				pq.MaxOrder = order[pq.MaxID]
			}
			if f.Opts.Sketch {
				s := newSketch()
				for _, v := range pq.Values {
					s.Add(float64(v))
				}
				pa.sketchs[q] = s
				if q == 0 && f.Opts.Tail { // the fit reads fatalities >= 1
					kept := pq.Values[:0]
					for _, v := range pq.Values {
						if v >= 1 {
							kept = append(kept, v)
						}
					}
					pq.Values = kept
				} else {
					pq.Values = nil
				}
			}
		}
		key, err := json.Marshal(p.Key)
		if err != nil {
			return err
		}
		emit(string(key), pa)
	}
	return nil
}

// partialCombine merges the Partials of one group (a CombinePerKey: parts
// merge on each worker before the shuffle, then across workers).
type partialCombine struct{}

func (partialCombine) CreateAccumulator() *partAcc { return &partAcc{} }

func (c partialCombine) AddInput(a, in *partAcc) *partAcc { return c.MergeAccumulators(a, in) }

func (partialCombine) MergeAccumulators(a, b *partAcc) *partAcc {
	if a.P.Key == nil {
		a.P.Key = b.P.Key
	}
	a.P.Merge(&b.P)
	for q := range a.sketchs {
		switch {
		case b.sketchs[q] == nil:
		case a.sketchs[q] == nil:
			a.sketchs[q] = b.sketchs[q].Copy()
		default:
			if err := a.sketchs[q].MergeWith(b.sketchs[q]); err != nil {
				panic("beam: sketches of different mappings: " + err.Error())
			}
		}
	}
	return a
}

func (partialCombine) ExtractOutput(a *partAcc) *partAcc { return a }

// summarizeFn finishes the statistics of every group (gathered to one key:
// one row per group) with stats.Summarize, the tail fits included, and
// writes the Result for the launcher.
type summarizeFn struct {
	Opts statsOptions
	Path string
}

func (f *summarizeFn) ProcessElement(ctx context.Context, _ int, parts func(**partAcc) bool) error {
	opts, err := f.Opts.options()
	if err != nil {
		return err
	}
	var all []*stats.Partial
	var pa *partAcc
	for parts(&pa) {
		p := pa.P
		for q := range p.Qty {
			if s := pa.sketchs[q]; s != nil {
				var qs [3]stats.Value
				for i, pr := range []float64{0.5, 0.9, 0.99} {
					if v, err := s.GetValueAtQuantile(pr); err == nil {
						qs[i] = stats.Value{Num: v}
					} else {
						qs[i] = stats.Value{Null: true}
					}
				}
				p.Qty[q].Quantiles = &qs
			}
		}
		all = append(all, &p)
	}
	res, err := stats.Summarize(ctx, opts, all)
	if err != nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fs, err := filesystem.New(ctx, f.Path) // a local path, or gs://... that the launcher reads back
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, f.Path)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// StatsConfig is one incidents-beam stats run.
type StatsConfig struct {
	Inputs    []string
	Read      ReadOptions
	Runner    Runner
	Options   stats.Options
	Quantiles string // exact (default) or sketch
	// Temp is a folder the workers and this process share, for the result
	// (gs://bucket/tmp on Dataflow); "" is a local temporary folder, which
	// serves Prism and job servers on this machine (loopback workers).
	Temp string
}

// readResult reads the summarize step's result and removes it.
func readResult(ctx context.Context, path string) ([]byte, bool, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, false, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		if _, serr := os.Stat(path); os.IsNotExist(serr) && !strings.Contains(path, "://") {
			return nil, false, nil
		}
		if strings.Contains(path, "://") { // not written: no group
			return nil, false, nil
		}
		return nil, false, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if rm, ok := fs.(filesystem.Remover); ok {
		rm.Remove(ctx, path)
	}
	return b, true, err
}

// Stats runs the statistics pipeline: the normalize steps (duplicate ids
// dropped as incidents stats drops them), then the per-group Partials
// combined per key, then one Summarize, and returns its Result.
func Stats(ctx context.Context, cfg StatsConfig) (*stats.Result, error) {
	o := cfg.Options
	so := statsOptions{By: o.By, Period: o.Period, Top: o.Top, Tail: o.Tail, Bootstrap: o.Bootstrap, Seed: o.Seed, Series: o.Series}
	switch cfg.Quantiles {
	case "", "exact":
	case "sketch":
		so.Sketch = true
	default:
		return nil, fmt.Errorf("beam: --quantiles %q: want exact or sketch", cfg.Quantiles)
	}
	for _, w := range o.Where {
		so.Where = append(so.Where, w.String())
	}
	if _, err := stats.NewAccumulator(o); err != nil { // bad options fail here
		return nil, err
	}
	if _, err := cfg.Read.ingestOptions(); err != nil {
		return nil, err
	}
	paths, err := matchInputs(ctx, cfg.Inputs)
	if err != nil {
		return nil, err
	}
	var out string
	if cfg.Temp != "" { // shared with the workers: gs://bucket/tmp for Dataflow
		out = strings.TrimRight(cfg.Temp, "/") + "/incidents-beam-stats-" + strconv.FormatUint(randomID(), 36) + ".json"
	} else {
		tmp, err := os.MkdirTemp("", "incidents-beam-stats-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		out = filepath.Join(tmp, "result.json")
	}
	p, s := beam.NewPipelineWithRoot()
	kept := buildRows(s, paths, cfg.Read)
	parts := beam.ParDo(s.Scope("groups"), &statsPartFn{Opts: so}, kept)
	merged := beam.CombinePerKey(s.Scope("combine groups"), partialCombine{}, parts)
	vals := beam.DropKey(s.Scope("groups done"), merged)
	one := beam.GroupByKey(s.Scope("all groups"), beam.AddFixedKey(s.Scope("to one"), vals))
	beam.ParDo0(s.Scope("summarize"), &summarizeFn{Opts: so, Path: out}, one)
	if _, err := cfg.Runner.run(ctx, p); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("beam: the pipeline failed: %w", err)
	}
	b, found, err := readResult(ctx, out)
	if err != nil {
		return nil, err
	}
	if !found { // no row passed: the statistics of nothing
		return stats.Summarize(ctx, o, nil)
	}
	var res stats.Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	return &res, nil
}
