package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/pgsink"
)

func newExportCmd() *cobra.Command {
	var (
		out         string
		format      string
		partitionBy string
		columns     string
		anySchema   bool
		opts        export.WriteOptions
		rejects     string
		maxRejects  int64
		mode        string
	)
	cmd := &cobra.Command{
		Use:   "export [flags] -o OUT INPUT...",
		Short: "Convert incidents between Parquet, Arrow, CSV, JSON Lines and partitioned datasets",
		Long: `Read incidents files written by incidents (Parquet, Arrow IPC file or stream,
CSV or JSON Lines of normalized rows, or a Hive-partitioned folder) and write
them as one file or as a partitioned dataset.

The output format follows the extension of -o: .parquet; .arrow or .feather
(Arrow IPC file, Feather v2); .arrows (IPC stream); .csv; .jsonl. "-o -"
writes to stdout (JSON Lines unless --format says otherwise). With
--partition-by, -o names a folder: OUT/year=2019/country_iso3=TJK/part-0000.parquet;
the partition columns live in the folder names, escaped as Hive does, so a
value can never name a folder outside OUT.

Parquet is written with zstd by default (snappy, gzip, lz4, none on request),
dictionary-encoded categorical columns, column statistics, the Arrow schema
(pandas and polars restore categoricals and the UTC timestamp) and metadata:
incidents.schema_version, incidents.version, incidents.inputs (paths with
SHA-256 and row counts) and incidents.rows. Arrow IPC takes --compression
lz4 or zstd (default none).

Output is atomic: it is written beside OUT under a temporary name and renamed
when complete; an error or Ctrl-C leaves nothing. An existing OUT is replaced
only with --overwrite (-f), a folder only by a dataset folder and a file only
by a file; OUT may not be an input, contain one or lie inside an input folder.
More than --max-partitions distinct partitions, or a partition value over 200
bytes once escaped (a folder name holds 255), fail the run.

Rows read from CSV and JSON Lines are checked as normalize checks its rows:
each value must parse as its column's type (enums among their values, in
their canonical spelling), and the row must pass schema.Validate (required
values, counts >= 0, low <= best <= high, date_start <= date_end,
coordinates in range, a three-letter country_iso3, ...). A bad row is not
written: it goes to --rejects (default OUT.rejects.jsonl, written only when
there are rejects) with its file, line, column and reason, and the summary
reads "rows read N = written W + rejected R". Exit status 3 when more than
--max-rejects rows were rejected (the output is still written).

-o postgres://USER@HOST/DB?table=NAME loads the rows into a PostgreSQL
table by binary COPY in one transaction (see 'incidents normalize --help'
for --mode create|append|upsert|replace).`,
		Example: `  incidents export -o events.parquet events.jsonl
  incidents export -o events.feather events.parquet
  incidents export --compression snappy --row-group-rows 500000 -o events.parquet events.arrows
  incidents export --partition-by year,country_iso3 -o events_by_country/ events.parquet
  incidents export --columns incident_id,date_start,fatalities_best -o - events.parquet | head
  incidents export -o all.parquet --overwrite 2019.parquet 2020.parquet events_by_country/
  incidents export --mode replace -o 'postgres://me@localhost/conflict?table=incidents' events.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			if out == "" {
				return fmt.Errorf("export: -o OUT is required")
			}
			for _, b := range []struct {
				flag      string
				v, lo, hi int64
			}{
				{"--row-group-rows", opts.RowGroupRows, 1, 1 << 26},
				{"--max-open-partitions", int64(opts.MaxOpenPartitions), 1, 1024},
				{"--max-partitions", int64(opts.MaxPartitions), 1, 1000000},
			} {
				if err := checkRange("export", b.flag, b.v, b.lo, b.hi); err != nil {
					return err
				}
			}
			opts.Format = format
			opts.Stdout = cmd.OutOrStdout()
			opts.Metadata = map[string]string{export.MetaVersion: shortVersion()}
			if partitionBy != "" {
				opts.PartitionBy = splitList(partitionBy)
			}
			var cols []string
			if columns != "" {
				cols = splitList(columns)
				if len(cols) == 0 {
					return fmt.Errorf("export: --columns %q names no column", columns)
				}
				seen := map[string]bool{}
				for _, c := range cols {
					if seen[c] {
						return fmt.Errorf("export: --columns names %s twice", c)
					}
					seen[c] = true
				}
			}
			opts.Inputs = inputs
			if maxRejects < 0 {
				return fmt.Errorf("export: --max-rejects %d: must be 0 or more", maxRejects)
			}
			if rejects == "" && out != "-" {
				rejects = defaultRejects(strings.TrimSuffix(out, string(os.PathSeparator)))
			}
			return runExport(cmd, inputs, out, mode, cols, anySchema, opts, rejects, maxRejects)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "output file, dataset folder (with --partition-by), - for stdout, or postgres://USER@HOST/DB?table=NAME")
	addModeFlag(f, &mode)
	f.StringVar(&format, "format", "", "output format: parquet, arrow, arrows, csv, jsonl (default: from the extension of -o)")
	f.StringVar(&partitionBy, "partition-by", "", "comma-separated columns of a Hive-partitioned dataset (e.g. year,country_iso3)")
	f.StringVar(&opts.Compression, "compression", "", "parquet: zstd (default), snappy, gzip, lz4, none; arrow: none (default), lz4, zstd")
	f.IntVar(&opts.CompressionLevel, "compression-level", 0, "Parquet zstd (1-22) or gzip (1-9) level (0: the codec's default)")
	f.Int64Var(&opts.RowGroupRows, "row-group-rows", export.DefaultRowGroupRows, "rows per Parquet row group, 1 to 67108864 (a group also closes at 128 MiB)")
	f.IntVar(&opts.MaxOpenPartitions, "max-open-partitions", export.DefaultMaxOpenPartitions, "partition files open at once, 1 to 1024; beyond it the least recent is closed and continued in a new part file")
	f.IntVar(&opts.MaxPartitions, "max-partitions", export.DefaultMaxPartitions, "refuse a dataset of more distinct partitions than this (1 to 1000000)")
	addOverwriteFlag(f, &opts.Overwrite)
	f.StringVar(&columns, "columns", "", "comma-separated columns to keep, in this order (default: all)")
	f.BoolVar(&opts.PandasCompat, "pandas-compat", false, "Parquet for pandas' default reader: dates as timestamp[ms] (datetime64), pandas metadata naming nullable ints Int16/Int32 (incidents reads the dates back as dates)")
	f.BoolVar(&anySchema, "any-schema", false, "accept files whose columns are not the incidents schema (e.g. stats results)")
	f.StringVar(&rejects, "rejects", "", "JSON Lines `FILE` of the CSV/JSON Lines rows that are not valid incidents (default OUT.rejects.jsonl)")
	f.Int64Var(&maxRejects, "max-rejects", 0, "exit with status 3 when more rows than this are rejected")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type exportInput struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// runExport streams every input into one writer. Rows of CSV and JSON
// Lines inputs are validated as normalize validates its rows; the bad ones
// go to the rejects file.
func runExport(cmd *cobra.Command, inputs []string, out, mode string, cols []string, anySchema bool, opts export.WriteOptions, rejects string, maxRejects int64) error {
	ctx := cmd.Context()
	formats := make([]string, len(inputs))
	for i, in := range inputs {
		f, ok := export.Recognize(in)
		if !ok {
			if _, err := os.Stat(in); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			return fmt.Errorf("export: %s: not an incidents file (Parquet, Arrow, or CSV/JSON Lines of normalized rows); raw data goes through 'incidents normalize'", in)
		}
		formats[i] = f
	}
	// The first input fixes the schema the others must share.
	first, err := export.Open(ctx, inputs[0], export.ReadOptions{Columns: cols, AnySchema: anySchema})
	if err != nil {
		return err
	}
	sc := first.Schema()
	first.Release()
	opts.Schema = plainSchema(sc)
	w, err := createOutput(ctx, "export", out, mode, opts)
	if err != nil {
		return err
	}
	defer w.Abort()
	shown := pgsink.Redact(out)
	rej, err := openRejects("export", rejects, out, opts.Overwrite, inputs)
	if err != nil {
		return err
	}
	defer rej.abort()
	var read, rejected int64
	failed := func(err error) error {
		fmt.Fprintf(cmd.ErrOrStderr(), "export: %d rows read, %d rejected before the run stopped; nothing was written (%s was not created or changed)\n",
			read, rejected, shown)
		return err
	}
	prog := newProgress(cmd, "export", -1, false)
	var metas []exportInput
	for i, in := range inputs {
		ropts := export.ReadOptions{Columns: cols, AnySchema: anySchema}
		text := formats[i] == export.FormatCSV || formats[i] == export.FormatJSONL
		if text {
			// Every column is read and validated; the projection is taken after.
			ropts.Columns = nil
			ropts.Rejects = func(r export.Reject) error {
				rejected++
				read++
				if rw := rej.writer(); rw != nil {
					return writeReject(rw, r)
				}
				return nil
			}
		}
		rr, err := export.Open(ctx, in, ropts)
		if err != nil {
			return failed(err)
		}
		var rows int64
		for rr.Next() {
			rec := rr.Record()
			if text && cols != nil {
				rec = projectColumns(rec, cols)
			} else {
				rec.Retain()
			}
			if !sameColumns(rec.Schema(), opts.Schema) {
				rec.Release()
				rr.Release()
				return failed(fmt.Errorf("export: %s: columns differ from %s's", in, inputs[0]))
			}
			err := w.Write(rec)
			n := rec.NumRows()
			rec.Release()
			if err != nil {
				rr.Release()
				return failed(err)
			}
			rows += n
			read += n
			prog.Add(n)
		}
		err = rr.Err()
		rr.Release()
		if err != nil {
			return failed(err)
		}
		sums, err := digests(in)
		if err != nil {
			return failed(err)
		}
		for i, s := range sums {
			if i == 0 {
				s.Rows = rows
			}
			metas = append(metas, s)
		}
	}
	prog.Done()
	mj, _ := json.Marshal(metas)
	w.SetMetadata("incidents.inputs", string(mj))
	w.SetMetadata("incidents.rows_read", fmt.Sprint(read))
	w.SetMetadata("incidents.rows_rejected", fmt.Sprint(rejected))
	if err := w.Close(); err != nil {
		return failed(err)
	}
	where, err := rej.finish(rejected)
	if err != nil {
		return fmt.Errorf("export: %s was written but its rejects were not: %w", shown, err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "export: rows read %d = written %d + rejected %d to %s (%s); %s\n",
		read, w.Rows(), rejected, shown, w.Format(), where)
	writeLoadSummary(cmd.ErrOrStderr(), "export", w)
	if rejected > maxRejects {
		tail := ""
		if rejects != "" {
			tail = "; see " + rejects
		}
		return &exitCodeError{code: exitRejected,
			err: fmt.Errorf("export: %d rows rejected, more than --max-rejects %d%s", rejected, maxRejects, tail)}
	}
	return nil
}

// projectColumns returns the columns cols of rec, in that order.
func projectColumns(rec arrow.Record, cols []string) arrow.Record {
	sc := rec.Schema()
	fields := make([]arrow.Field, 0, len(cols))
	arrs := make([]arrow.Array, 0, len(cols))
	for _, c := range cols {
		idx := sc.FieldIndices(c)
		if len(idx) == 0 {
			continue // Open refused the first input without it; a later one fails sameColumns
		}
		fields = append(fields, sc.Field(idx[0]))
		arrs = append(arrs, rec.Column(idx[0]))
	}
	md := sc.Metadata()
	return array.NewRecord(arrow.NewSchema(fields, &md), arrs, rec.NumRows())
}

// writeReject writes one rejected row as normalize's rejects are written:
// file, line, row (CSV), field, column, kind, reason, text.
func writeReject(w io.Writer, r export.Reject) error {
	var b strings.Builder
	q := func(s string) string { j, _ := json.Marshal(s); return string(j) }
	fmt.Fprintf(&b, `{"file":%s,"line":%d`, q(r.File), r.Line)
	if r.Row != nil {
		b.WriteString(`,"row":{`)
		for i, c := range r.Row {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(q(c.Name) + ":" + q(c.Value))
		}
		b.WriteByte('}')
	}
	fmt.Fprintf(&b, `,"field":%s,"column":%d,"kind":%s,"reason":%s,"text":%s}`+"\n",
		q(r.Field), r.Column, q(r.Kind), q(r.Reason), q(r.Text))
	_, err := io.WriteString(w, b.String())
	return err
}

// plainSchema drops reader metadata (Arrow's stored schema, partitioning)
// from the schema that is written.
func plainSchema(sc *arrow.Schema) *arrow.Schema { return arrow.NewSchema(sc.Fields(), nil) }

func sameColumns(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.Fields() {
		if a.Field(i).Name != b.Field(i).Name || !arrow.TypeEqual(a.Field(i).Type, b.Field(i).Type) {
			return false
		}
	}
	return true
}

// digests returns the SHA-256 of a file, or of each data file of a dataset
// folder (the row count goes on the first).
func digests(path string) ([]exportInput, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var files []string
	if fi.IsDir() {
		err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && export.FormatFromPath(p) != "" && !strings.HasPrefix(d.Name(), ".") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	} else {
		files = []string{path}
	}
	out := make([]exportInput, 0, len(files))
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("export: %s: %w", p, err)
		}
		out = append(out, exportInput{Path: p, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	return out, nil
}
