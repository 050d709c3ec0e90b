package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/pgsink"
)

func newNormalizeCmd() *cobra.Command {
	var (
		profileName, mapping, actors, dateOrder, rejects, out, na string
		encoding, sheet, cameoRoots                               string
		noHeader                                                  bool
		maxField                                                  = byteSize(source.DefaultMaxFieldBytes)
		maxInput                                                  = byteSize(source.DefaultMaxInputBytes)
		mode                                                      string
		ignoreUnknown, overwrite, keepSpellings, pandasCompat     bool
		maxRejects                                                int64
		workers, batch                                            int
	)
	cmd := &cobra.Command{
		Use:   "normalize [flags] INPUT...",
		Short: "Normalize ACLED, UCDP GED, GTD or hand-coded reports into the incidents schema",
		Long: `normalize reads incident records and writes one typed row per incident (see
'incidents schema'). Inputs are CSV/TSV, JSON Lines, a JSON array or .xlsx,
optionally .gz or .zst; "-" reads stdin. The profile (reports, acled,
ucdp-ged, gtd) is detected from each input's header unless --profile names
one; --mapping FILE (YAML: dataset name and their column -> our column)
reads any other layout.

Several reports of one incident (the reports layout's incident key) are
reconciled into one row: lowest credible low, highest high (claims
included), median best, earliest report's date, place and actors, with
disagreements in notes.

Actor names that differ only in case, Unicode form, dashes, apostrophes or
spacing ("Al-Shabaab", "AL SHABAAB", "Al‐Shabaab") are written in one
spelling, the first one written, in actor1, actor2, assoc_actors and
claimed_by (--keep-actor-spellings writes each as spelled).

Every input row is written, merged into its incident, or rejected with a
reason: rejected rows go to --rejects (default OUT.rejects.jsonl; none when
OUT is "-"), one JSON object per row. The summary goes to stderr. Exit
status 3 when more rows were rejected than --max-rejects (the output is
still written).

The output format follows -o's extension: .parquet, .arrow/.feather,
.arrows, .csv, .jsonl; "-" writes JSON Lines to stdout.

OUT and the rejects are written beside their targets under temporary names
and renamed when the run succeeds: a failed or interrupted run leaves
nothing (and an existing file untouched). The rejects file is written only
when there are rejects; the summary says "no rejects" otherwise. An
existing OUT or rejects file is replaced only with --overwrite (-f); a
folder is never replaced, nor an input (compared by device and inode).

-o postgres://USER@HOST/DB?table=NAME loads the rows into a PostgreSQL
table instead, by binary COPY in one transaction: an error or Ctrl-C leaves
the table as it was. --mode create (default) makes a new table with the
schema's types, primary key incident_id and column comments; append adds
rows; upsert inserts new incident_ids and updates changed rows, counting
inserted, updated and unchanged; replace swaps the table's rows for these.
The password comes from the URL, PGPASSWORD or ~/.pgpass and is never
printed. Rejects go to NAME.rejects.jsonl unless --rejects says otherwise.`,
		Example: `  incidents normalize -o events.parquet 2019-2023_acled_export.csv
  incidents normalize --max-rejects 100 -o ged.arrow GEDEvent_v24_1.csv.gz
  incidents normalize --date-order dmy --actors actors.yaml -o reports.parquet reports/*.csv
  incidents normalize --mapping my_monitor.yaml -o monitor.parquet monitor.xlsx
  incidents gen --layout reports -n 20 | incidents normalize -o - -
  incidents normalize --mode upsert -o 'postgres://me@localhost/conflict?table=acled' acled_weekly.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			opts := ingest.Options{Read: profile.Options{Reports: profile.ReportsOptions{IgnoreUnknown: ignoreUnknown}},
				Workers: workers, BatchSize: batch, Open: source.Opener(cmd.InOrStdin()), KeepActorSpellings: keepSpellings}
			var err error
			if opts.Profile, err = profile.Named(profileName); err != nil {
				return err
			}
			if mapping != "" {
				m, err := profile.LoadMapping(mapping)
				if err != nil {
					return err
				}
				opts.Profile = m.Profile()
			}
			if opts.Input.Encoding, err = source.ParseEncoding(encoding); err != nil {
				return err
			}
			opts.Input.NoHeader, opts.Input.Sheet = noHeader, sheet
			opts.Input.MaxFieldBytes = int64(maxField)
			if cmd.Flags().Changed("max-input-bytes") {
				opts.Input.MaxInputBytes = int64(maxInput) // else the defaults: 64 GiB per stream, 4 GiB per workbook
			}
			if opts.Read.DateOrder, err = value.ParseDateOrder(dateOrder); err != nil {
				return err
			}
			if opts.Read.Missing, err = value.ParseMissingValues(na); err != nil {
				return err
			}
			if cmd.Flags().Changed("cameo-roots") {
				if opts.Read.GDELT, err = profile.ParseCAMEORoots(cameoRoots); err != nil {
					return err
				}
			}
			if actors != "" {
				if opts.Read.Actors, err = value.LoadActorNames(actors); err != nil {
					return err
				}
			}
			if rejects == "" && out != "-" {
				rejects = defaultRejects(out)
			}
			if maxRejects < 0 {
				return fmt.Errorf("normalize: --max-rejects %d: must be 0 or more", maxRejects)
			}
			if err := checkRange("normalize", "--batch-size", int64(batch), 1, maxBatchSize); err != nil {
				return err
			}
			if err := checkRange("normalize", "--workers", int64(workers), 0, maxWorkers); err != nil {
				return err
			}
			w, err := createOutput(cmd.Context(), "normalize", out, mode, export.WriteOptions{Overwrite: overwrite, Inputs: inputs, Stdout: cmd.OutOrStdout(), PandasCompat: pandasCompat,
				Metadata: map[string]string{export.MetaVersion: shortVersion()}})
			if err != nil {
				if cmd.Context().Err() != nil {
					writeFailedSummary(cmd, nil, pgsink.Redact(out), rejects)
				}
				return err
			}
			defer w.Abort()
			rej, err := openRejects("normalize", rejects, out, overwrite, inputs)
			if err != nil {
				return err
			}
			defer rej.abort()
			opts.Rejects = rej.writer()
			prog := newProgress(cmd, "normalize", inputSize(inputs), true)
			opts.Progress = prog.Set
			sum, err := ingest.Normalize(cmd.Context(), inputs, opts, w.Write)
			prog.Done()
			if err != nil {
				w.Abort()
				rej.abort()
				writeFailedSummary(cmd, sum, pgsink.Redact(out), rejects)
				return err
			}
			type inputMeta struct {
				Path   string `json:"path"`
				SHA256 string `json:"sha256"`
				Rows   int64  `json:"rows"`
			}
			meta := make([]inputMeta, len(sum.Inputs))
			for i, in := range sum.Inputs {
				meta[i] = inputMeta{in.Path, in.SHA256, in.RowsRead}
			}
			mj, _ := json.Marshal(meta)
			w.SetMetadata("incidents.inputs", string(mj))
			w.SetMetadata("incidents.rows_read", strconv.FormatInt(sum.RowsRead, 10))
			w.SetMetadata("incidents.rows_written", strconv.FormatInt(sum.Incidents, 10))
			w.SetMetadata("incidents.rows_merged", strconv.FormatInt(sum.Merged, 10))
			w.SetMetadata("incidents.rows_rejected", strconv.FormatInt(sum.Rejected, 10))
			if err := w.Close(); err != nil {
				rej.abort()
				writeFailedSummary(cmd, sum, pgsink.Redact(out), rejects)
				return err
			}
			where, err := rej.finish(sum.Rejected)
			if err != nil {
				sum.WriteText(cmd.ErrOrStderr())
				return fmt.Errorf("normalize: %s was written but its rejects were not: %w", pgsink.Redact(out), err)
			}
			sum.WriteText(cmd.ErrOrStderr())
			writeLoadSummary(cmd.ErrOrStderr(), "normalize", w)
			fmt.Fprintln(cmd.ErrOrStderr(), where)
			if sum.Rejected > maxRejects {
				tail := ""
				if rejects != "" {
					tail = "; see " + rejects
				}
				return &exitCodeError{code: exitRejected,
					err: fmt.Errorf("normalize: %d rows rejected, more than --max-rejects %d%s", sum.Rejected, maxRejects, tail)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&profileName, "profile", "auto", "input layout: auto (detect from the header), "+strings.Join(profile.Names(), ", "))
	f.StringVar(&mapping, "mapping", "", "YAML `FILE` mapping another layout's columns to ours (dataset: NAME, columns: {theirs: ours})")
	f.StringVar(&actors, "actors", "", "YAML `FILE` of actor aliases (canonical: [alias, ...])")
	f.BoolVar(&keepSpellings, "keep-actor-spellings", false, "write actor names as each row spells them (default: spellings that differ only in case, Unicode form, dashes, apostrophes or spacing are written as the first one seen)")
	f.StringVar(&dateOrder, "date-order", "", "how to read ambiguous numeric dates like 06/11/2019: dmy or mdy (default: reject them)")
	f.StringVar(&encoding, "encoding", "auto", "text encoding of the inputs: auto (UTF-8, else Windows-1252 when the file is not UTF-8; UTF-16 by its byte order mark), utf-8, latin1, cp1252, utf-16")
	f.StringVar(&na, "na", strings.Join(value.DefaultMissing, ","), "comma-separated `TOKENS` read as null in every column (the empty string always is); '' for none")
	f.BoolVar(&pandasCompat, "pandas-compat", false, "Parquet for pandas' default reader: dates as timestamp[ms] (datetime64), pandas metadata naming nullable ints Int16/Int32 (incidents reads the dates back as dates)")
	f.BoolVar(&noHeader, "no-header", false, "the inputs have no header row: read the columns in the fixed order of --profile's layout (GTD's published one)")
	f.StringVar(&sheet, "sheet", "", "xlsx: the sheet to read, by `NAME` or number (default: the first, with a warning when there are more)")
	f.Var(&maxField, "max-field-bytes", "longest field, record or JSON line read (a longer one is an error)")
	f.Var(&maxInput, "max-input-bytes", "most one .gz/.zst input may decompress to; an .xlsx may unzip to 4GiB unless this is set")
	f.StringVar(&cameoRoots, "cameo-roots", "14,18,19,20", "GDELT: the CAMEO root `CODES` kept (14 protest, 18 assault, 19 fight, 20 mass violence), or all; the others are counted as filtered")
	f.BoolVar(&ignoreUnknown, "ignore-unknown", false, "reports layout: skip unknown columns instead of failing")
	f.StringVar(&rejects, "rejects", "", "JSON Lines `FILE` of rejected rows (default OUT.rejects.jsonl)")
	f.Int64Var(&maxRejects, "max-rejects", 0, "exit with status 3 when more rows than this are rejected")
	f.StringVarP(&out, "output", "o", "-", "output `FILE` (.parquet, .arrow, .feather, .arrows, .csv, .jsonl; - = JSON Lines on stdout) or postgres://USER@HOST/DB?table=NAME")
	addModeFlag(f, &mode)
	f.IntVar(&workers, "workers", 0, "parallel normalizers (default: GOMAXPROCS)")
	f.IntVar(&batch, "batch-size", ingest.DefaultBatchSize, fmt.Sprintf("rows per record (1 to %d)", maxBatchSize))
	addOverwriteFlag(f, &overwrite)
	return cmd
}
