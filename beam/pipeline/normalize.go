package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*fileElem)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*rejectElem)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*fileSum)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*bundleOut)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*rejectCount)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*normalizeFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*dedupFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*writeFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*rejectsFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*summaryFn)(nil)).Elem())
}

// ReadOptions say how raw inputs are read, as incidents normalize's flags
// do; they travel to the workers inside the DoFns, so they are plain values.
type ReadOptions struct {
	Profile   string // "auto" or "" detects each input's layout
	DateOrder string // "", dmy, mdy
	Missing   string // comma-separated null tokens; "default" (or empty) for value.DefaultMissing
	Encoding  string // auto, utf-8, latin1, cp1252, utf-16
	BatchSize int    // rows per chunk (0: ingest.DefaultBatchSize)
}

// ingestOptions turns o into the ingest options a worker reads with.
func (o ReadOptions) ingestOptions() (ingest.Options, error) {
	var opts ingest.Options
	var err error
	name := o.Profile
	if name == "" {
		name = "auto"
	}
	if opts.Profile, err = profile.Named(name); err != nil {
		return opts, err
	}
	if opts.Read.DateOrder, err = value.ParseDateOrder(o.DateOrder); err != nil {
		return opts, err
	}
	if o.Missing != "" && o.Missing != "default" {
		if opts.Read.Missing, err = value.ParseMissingValues(o.Missing); err != nil {
			return opts, err
		}
	}
	if o.Encoding != "" {
		if opts.Input.Encoding, err = source.ParseEncoding(o.Encoding); err != nil {
			return opts, err
		}
	}
	opts.BatchSize = o.BatchSize
	opts.Workers = 1 // the runner runs bundles in parallel
	opts.Open = openBeamFile
	return opts, nil
}

// openBeamFile opens a path through Beam's filesystems (local, gs://, s3://
// ... as registered), so that workers read what the launcher matched.
func openBeamFile(name string) (io.ReadCloser, error) {
	ctx := context.Background()
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return nil, err
	}
	r, err := fs.OpenRead(ctx, name)
	if err != nil {
		fs.Close()
		return nil, err
	}
	return &fsReader{ReadCloser: r, fs: fs}, nil
}

type fsReader struct {
	io.ReadCloser
	fs filesystem.Interface
}

func (r *fsReader) Close() error {
	err := r.ReadCloser.Close()
	r.fs.Close()
	return err
}

// fileElem is one input: its place in the run's input order and its path.
type fileElem struct {
	Index int
	Path  string
}

// rejectElem is one line of the rejects file, with its place in input order.
type rejectElem struct {
	Input int
	Line  int64
	JSON  []byte
}

// fileSum is one input's accounting, as its worker's ingest.Summary has it.
type fileSum struct {
	Index   int
	Summary []byte // JSON of ingest.Summary (its one input)
	Header  []string
}

// bundleOut is what one writer bundle committed.
type bundleOut struct {
	Name string // folder under the temporary output
	Rows int64
}

// normalizeFn normalizes one input file with ingest.NormalizeRows: the
// same profiles, parsers and validation as incidents normalize. Valid rows
// go out keyed by incident_id, rejects and the input's summary to their own
// outputs.
type normalizeFn struct {
	Read ReadOptions
}

func (f *normalizeFn) ProcessElement(ctx context.Context, in fileElem, emitRow func(string, []byte), emitRej func(rejectElem), emitSum func(fileSum)) error {
	if format, ok := export.Recognize(in.Path); ok { // our own files: normalized already
		return readOurs(ctx, in, format, emitRow, emitSum)
	}
	opts, err := f.Read.ingestOptions()
	if err != nil {
		return err
	}
	var mu sync.Mutex // ingest calls both from its in-order stage; kept safe regardless
	rej := &rejectWriter{input: in.Index, emit: func(r rejectElem) { mu.Lock(); emitRej(r); mu.Unlock() }}
	opts.Rejects = rej
	var buf []byte
	sum, err := ingest.NormalizeRows(ctx, []string{in.Path}, opts, func(rows []ingest.Row) error {
		mu.Lock()
		defer mu.Unlock()
		for i := range rows {
			rows[i].Input = in.Index
			buf = encodeRow(buf[:0], &rows[i])
			emitRow(rows[i].Incident.IncidentID, bytes.Clone(buf))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if rej.err != nil {
		return rej.err
	}
	var hdr []string
	if len(sum.Inputs) == 1 {
		hdr = sum.Inputs[0].Header
	}
	sj, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	emitSum(fileSum{Index: in.Index, Summary: sj, Header: hdr})
	return nil
}

// rejectWriter turns the rejects ingest writes (one JSON object per Write)
// into elements, with the line each names.
type rejectWriter struct {
	input int
	emit  func(rejectElem)
	err   error
}

func (w *rejectWriter) Write(p []byte) (int, error) {
	var head struct {
		Line int64 `json:"line"`
	}
	if err := json.Unmarshal(p, &head); err != nil {
		w.err = fmt.Errorf("beam: a reject that is not one JSON object: %w", err)
		return 0, w.err
	}
	w.emit(rejectElem{Input: w.input, Line: head.Line, JSON: bytes.Clone(p)})
	return len(p), nil
}

// dedupFn sees every row of one incident_id (a GroupByKey: exact across
// workers), keeps the first in input order, as incidents normalize does,
// and rejects the others in its words.
type dedupFn struct {
	Paths []string

	headers map[int][]string
}

func (f *dedupFn) ProcessElement(id string, vals func(*[]byte) bool, sums func(*fileSum) bool, emit func([]byte), emitRej func(rejectElem)) error {
	var b []byte
	var group [][]byte
	for vals(&b) {
		group = append(group, b)
	}
	if len(group) == 1 {
		emit(group[0])
		return nil
	}
	rows := make([]ingest.Row, len(group))
	for i, g := range group {
		if err := decodeRow(g, &rows[i], true); err != nil {
			return err
		}
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := rows[a].Input - rows[b].Input; c != 0 {
			return c
		}
		return int(rows[a].Line - rows[b].Line)
	})
	if f.headers == nil {
		f.headers = map[int][]string{}
		var s fileSum
		for sums(&s) {
			f.headers[s.Index] = s.Header
		}
	}
	first := &rows[order[0]]
	emit(group[order[0]])
	for _, k := range order[1:] {
		dup := &rows[k]
		e := ingest.DuplicateReject(dup, first, f.Paths)
		emitRej(rejectElem{Input: dup.Input, Line: dup.Line, JSON: ingest.RejectJSON(f.headers[dup.Input], dup.Fields, e)})
	}
	return nil
}

// writeFn writes the rows of one bundle as a Hive-partitioned Parquet
// dataset with export's writer (the schema and metadata of incidents
// normalize), in a folder of its own under the temporary output; the
// launcher moves the committed bundles' files into place.
type writeFn struct {
	Temp        string
	PartitionBy []string
	Version     string
	Paths       []string

	w    *export.Writer
	rb   *schema.RecordBuilder
	held []schema.Incident // by year: see ProcessElement
	name string
	n    int
}

const writeBatch = 1 << 16

func (f *writeFn) ProcessElement(ctx context.Context, row []byte, sums func(*fileSum) bool, _ func(bundleOut)) error {
	if f.w == nil {
		if err := f.open(ctx, sums); err != nil {
			return err
		}
	}
	var r ingest.Row
	if err := decodeRow(row, &r, false); err != nil {
		return err
	}
	f.n++
	if f.byYear() {
		// Rows are held by year, so that each record the writer gets is of
		// one partition (the partitioned writer then splits nothing: its
		// Take of each column per partition was 28% of a run's CPU).
		f.held = append(f.held, r.Incident)
		if len(f.held) >= writeBatch {
			return f.flush()
		}
		return nil
	}
	f.rb.Append(&r.Incident)
	if f.n%writeBatch == 0 {
		return f.flush()
	}
	return nil
}

func (f *writeFn) byYear() bool { return len(f.PartitionBy) == 1 && f.PartitionBy[0] == "year" }

func (f *writeFn) open(ctx context.Context, sums func(*fileSum) bool) error {
	type inputMeta struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
		Rows   int64  `json:"rows"`
	}
	meta := make([]inputMeta, len(f.Paths))
	var s fileSum
	for sums(&s) {
		var sum ingest.Summary
		if err := json.Unmarshal(s.Summary, &sum); err != nil {
			return err
		}
		if len(sum.Inputs) == 1 && s.Index < len(meta) {
			meta[s.Index] = inputMeta{f.Paths[s.Index], sum.Inputs[0].SHA256, sum.Inputs[0].RowsRead}
		}
	}
	mj, _ := json.Marshal(meta)
	f.name = "bundle-" + strconv.FormatUint(randomID(), 36)
	w, err := export.Create(ctx, filepath.Join(f.Temp, f.name), export.WriteOptions{Format: export.FormatParquet,
		PartitionBy: f.PartitionBy, Metadata: map[string]string{export.MetaVersion: f.Version, "incidents.inputs": string(mj)}})
	if err != nil {
		return err
	}
	f.w = w
	f.rb = schema.NewRecordBuilder(nil)
	return nil
}

func (f *writeFn) flush() error {
	if len(f.held) > 0 {
		slices.SortStableFunc(f.held, func(a, b schema.Incident) int { return int(a.Year()) - int(b.Year()) })
		for start := 0; start < len(f.held); {
			end := start + 1
			for end < len(f.held) && f.held[end].Year() == f.held[start].Year() {
				end++
			}
			rec := schema.NewRecord(nil, f.held[start:end])
			err := f.w.Write(rec)
			rec.Release()
			if err != nil {
				return err
			}
			start = end
		}
		f.held = f.held[:0]
		return nil
	}
	rec := f.rb.NewRecord()
	defer rec.Release()
	if rec.NumRows() == 0 {
		return nil
	}
	return f.w.Write(rec)
}

func (f *writeFn) FinishBundle(_ func(*fileSum) bool, emit func(bundleOut)) error {
	if f.w == nil {
		return nil
	}
	defer f.rb.Release()
	if err := f.flush(); err != nil {
		f.w.Abort()
		return err
	}
	if err := f.w.Close(); err != nil {
		f.w.Abort()
		return err
	}
	emit(bundleOut{Name: f.name, Rows: int64(f.n)})
	f.w, f.rb, f.name, f.n = nil, nil, "", 0
	return nil
}

// rejectsFn writes every reject, in input order as incidents normalize
// writes them, to the temporary output's rejects file, and returns how many.
type rejectsFn struct {
	Temp string
}

func (f *rejectsFn) ProcessElement(_ int, vals func(*rejectElem) bool, emit func(rejectCount)) error {
	var all []rejectElem
	var r rejectElem
	for vals(&r) {
		all = append(all, r)
	}
	slices.SortStableFunc(all, func(a, b rejectElem) int {
		if a.Input != b.Input {
			return a.Input - b.Input
		}
		switch {
		case a.Line < b.Line:
			return -1
		case a.Line > b.Line:
			return 1
		}
		return 0
	})
	out, err := os.Create(filepath.Join(f.Temp, rejectsName))
	if err != nil {
		return err
	}
	counts := map[int]int64{}
	for _, r := range all {
		counts[r.Input]++
		if _, err := out.Write(r.JSON); err != nil {
			out.Close()
			return err
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	for in, n := range counts {
		emit(rejectCount{Input: in, N: n})
	}
	return nil
}

// rejectCount is how many rows of one input the rejects file holds.
type rejectCount struct {
	Input int
	N     int64
}

// summaryFn writes the run's manifest: the committed bundles, every
// input's summary and the rejects count, for the launcher to finish the
// output with.
type summaryFn struct {
	Temp string
}

func (f *summaryFn) ProcessElement(_ []byte, bundles func(*bundleOut) bool, sums func(*fileSum) bool, rejected func(*rejectCount) bool) error {
	var m manifest
	var b bundleOut
	for bundles(&b) {
		m.Bundles = append(m.Bundles, b)
	}
	var s fileSum
	for sums(&s) {
		var sum ingest.Summary
		if err := json.Unmarshal(s.Summary, &sum); err != nil {
			return err
		}
		m.Inputs = append(m.Inputs, indexedSummary{s.Index, sum})
	}
	var rc rejectCount
	m.RejectsByInput = map[int]int64{}
	for rejected(&rc) {
		m.Rejects += rc.N
		m.RejectsByInput[rc.Input] += rc.N
	}
	mj, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(f.Temp, manifestName), mj, 0o666)
}

const (
	manifestName = "_beam_manifest.json"
	rejectsName  = "_beam_rejects.jsonl"
)

type indexedSummary struct {
	Index   int
	Summary ingest.Summary
}

type manifest struct {
	Bundles        []bundleOut
	Inputs         []indexedSummary
	Rejects        int64
	RejectsByInput map[int]int64 // duplicates included
}

// buildNormalize adds the normalize steps to s: inputs -> normalize ->
// duplicate ids (GroupByKey) -> Parquet per bundle; rejects (GroupByKey to
// one writer); the manifest.
func buildNormalize(s beam.Scope, paths []string, read ReadOptions, temp string, partitionBy []string, version string) beam.PCollection {
	kept, rejects, dupRejects, sums := buildDedup(s, paths, read)
	bundles := beam.ParDo(s.Scope("write parquet"), &writeFn{Temp: temp, PartitionBy: partitionBy, Version: version, Paths: paths},
		kept, beam.SideInput{Input: sums})
	allRejects := beam.Flatten(s.Scope("rejects"), rejects, dupRejects)
	one := beam.AddFixedKey(s.Scope("rejects to one writer"), allRejects)
	rejected := beam.ParDo(s.Scope("write rejects"), &rejectsFn{Temp: temp}, beam.GroupByKey(s.Scope("rejects together"), one))
	beam.ParDo0(s.Scope("manifest"), &summaryFn{Temp: temp}, beam.Impulse(s),
		beam.SideInput{Input: bundles}, beam.SideInput{Input: sums}, beam.SideInput{Input: rejected})
	return kept
}

// buildDedup adds the steps every run shares: the inputs, one file per
// element, normalized by ingest; then the rows grouped by incident_id, the
// first in input order kept.
func buildDedup(s beam.Scope, paths []string, read ReadOptions) (kept, rejects, dupRejects, sums beam.PCollection) {
	elems := make([]fileElem, len(paths))
	for i, p := range paths {
		elems[i] = fileElem{i, p}
	}
	files := beam.CreateList(s.Scope("inputs"), elems)
	files = beam.Reshuffle(s.Scope("spread inputs"), files) // one file per worker, not all on the one that created them
	rows, rejects, sums := beam.ParDo3(s.Scope("normalize"), &normalizeFn{Read: read}, files)
	grouped := beam.GroupByKey(s.Scope("by incident_id"), rows)
	kept, dupRejects = beam.ParDo2(s.Scope("duplicate ids"), &dedupFn{Paths: paths}, grouped, beam.SideInput{Input: sums})
	kept = buildSpellings(s, kept)
	return kept, rejects, dupRejects, sums
}

// buildRows is buildDedup's rows (stats counts no rejects).
func buildRows(s beam.Scope, paths []string, read ReadOptions) beam.PCollection {
	kept, _, _, _ := buildDedup(s, paths, read)
	return kept
}

// readOurs reads a file or dataset folder incidents wrote (Parquet, Arrow,
// normalized CSV or JSON Lines) with export.Open: its rows are normalized
// already, so they go straight to the duplicate-id step, numbered from 1
// as their lines.
func readOurs(ctx context.Context, in fileElem, format string, emitRow func(string, []byte), emitSum func(fileSum)) error {
	rr, err := export.Open(ctx, in.Path, export.ReadOptions{})
	if err != nil {
		return err
	}
	defer rr.Release()
	var n int64
	var incs []schema.Incident
	var buf []byte
	for rr.Next() {
		incs, err = schema.AppendIncidents(incs[:0], rr.Record())
		if err != nil {
			return fmt.Errorf("beam: %s: %w", in.Path, err)
		}
		for i := range incs {
			n++
			r := ingest.Row{Incident: incs[i], Input: in.Index, Line: n}
			buf = encodeRow(buf[:0], &r)
			emitRow(r.Incident.IncidentID, bytes.Clone(buf))
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	sum := ingest.Summary{Inputs: []ingest.InputSummary{{Path: in.Path, Profile: "incidents", Format: format, RowsRead: n}},
		RowsRead: n, Incidents: n, RejectReasons: map[string]int64{}}
	sj, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	emitSum(fileSum{Index: in.Index, Summary: sj})
	return nil
}
