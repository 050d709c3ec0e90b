package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/diff"
	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/pgsink"
	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/update"
)

func newUpdateCmd() *cobra.Command {
	var (
		opts      update.Options
		by        string
		places    int
		memBudget byteSize = diff.DefaultMemoryBytes
	)
	cmd := &cobra.Command{
		Use:   "update [flags] DATASET NEWFILE...",
		Short: "Apply a new release or a weekly download to a partitioned dataset, rewriting only the partitions it touches",
		Long: `Bring a Hive-partitioned dataset (written by incidents export --partition-by)
up to date with a new release or an incremental download: incidents added or
revised are written, incidents not in NEW are removed (a full release; with
--no-deletes they are kept, for a download that lists only what is new), and
only the partitions the changes touch are rewritten. NEWFILE... are our files
or raw ones, normalized on the fly, taken together as one release.

The new tree is built beside DATASET (untouched partitions hard-linked,
touched ones written anew) and swapped in with one renameat2
RENAME_EXCHANGE: a reader sees the old dataset or the new one, never a mix.
An error or Ctrl-C before the swap leaves DATASET as it was. Each update is
recorded in DATASET/_incidents_updates.json (inputs with sha256, counts,
partitions, time).

The summary is diff's (incidents diff DATASET NEWFILE), then what was
rewritten.

DATASET may also be a PostgreSQL table, postgres://USER@HOST/DB?table=NAME
(loaded by normalize or export -o postgres://...): NEW is upserted by
incident_id in one transaction (pgsink), and the rows of the table that NEW
does not hold are deleted among those of NEW's source datasets (a full ACLED
release leaves a table's UCDP rows alone; --no-deletes keeps them all). The
summary is then the table's: inserted, updated, unchanged, deleted; the
inputs and their sha256 go into the table's comment.`,
		Example: `  incidents export --partition-by year,country_iso3 -o events events.parquet
  incidents update events acled_2024-06-07.csv
  incidents update --no-deletes events weekly_download.csv
  incidents update --by country_iso3,year events ged241.parquet
  incidents update 'postgres://me@localhost/conflict?table=acled' acled_2024-06-07.csv`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if by != "" {
				opts.By = strings.Split(by, ",")
			}
			if places < 0 {
				return fmt.Errorf("update: --places must be 0 or more")
			}
			opts.MemoryBytes = int(memBudget)
			opts.Version = shortVersion()
			var normSummary io.Writer
			if !quiet(cmd) {
				normSummary = cmd.ErrOrStderr()
			}
			var news []update.Source
			for _, path := range args[1:] {
				path := path
				news = append(news, update.Source{Path: path, Read: func(ctx context.Context, add func(arrow.Record) error) error {
					prog := readProgress(cmd, "update "+path, []string{path})
					defer prog.Done()
					_, err := readRecordsSummary(ctx, prog, []string{path}, diff.Columns(), normSummary, add)
					return err
				}})
			}
			if pgsink.IsURL(args[0]) {
				return updateTable(cmd, args[0], news, opts)
			}
			res, err := update.Apply(cmd.Context(), args[0], news, opts)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if err := res.Diff.WriteText(w, places); err != nil {
				return err
			}
			e := res.Entry
			if e.Swap == update.SwapNone {
				fmt.Fprintf(w, "%s: nothing to rewrite (%s rows, %d partitions unchanged)\n", args[0], commas(e.RowsAfter), e.PartitionsUnchanged)
				return nil
			}
			fmt.Fprintf(w, "%s: %s -> %s rows; partitions: %d rewritten, %d created, %d removed, %d unchanged (hard-linked); swapped in by %s; recorded in %s\n",
				args[0], commas(e.RowsBefore), commas(e.RowsAfter), e.PartitionsRewritten, e.PartitionsCreated, e.PartitionsRemoved,
				e.PartitionsUnchanged, e.Swap, filepath.Join(args[0], update.ManifestName))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.NoDeletes, "no-deletes", false, "keep incidents that are not in NEW (an incremental download), instead of removing them")
	fl.StringVar(&by, "by", "", "print the net effect (events, fatalities_best sum, old -> new) per group of these columns: country_iso3,year")
	fl.IntVar(&places, "places", 20, "countries and years listed in the summary, most fatalities moved first (0: all)")
	fl.Var(&memBudget, "memory", "rows each sort holds in memory before it spills to $TMPDIR")
	return cmd
}

// updateTable applies NEW to a PostgreSQL table: one upsert by incident_id
// (pgsink), deleting the rows NEW does not hold within NEW's source
// datasets unless --no-deletes. The table is not read back, so the summary
// is the load's counts, not diff's.
func updateTable(cmd *cobra.Command, url string, news []update.Source, opts update.Options) error {
	if len(opts.By) > 0 {
		return fmt.Errorf("update: --by needs a dataset folder; a postgres:// table is not diffed, only upserted")
	}
	t, err := pgsink.ParseTarget(url)
	if err != nil {
		return err
	}
	var inputs []update.Input
	for _, s := range news {
		sum, n, err := update.FileSHA256(cmd.Context(), s.Path)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		inputs = append(inputs, update.Input{Path: s.Path, SHA256: sum, Bytes: n})
	}
	in, _ := json.Marshal(inputs)
	l, err := pgsink.Open(cmd.Context(), t, pgsink.Options{Mode: pgsink.ModeUpsert, Schema: schema.Arrow(),
		DeleteMissing: !opts.NoDeletes, DeleteScope: []string{"source_dataset"},
		Metadata: map[string]string{export.MetaSchemaVersion: schema.Version, export.MetaVersion: shortVersion(),
			"incidents.inputs": string(in), "incidents.update": "upsert"}})
	if err != nil {
		return err
	}
	defer l.Abort()
	for _, s := range news {
		if err := s.Read(cmd.Context(), l.Write); err != nil {
			return err
		}
	}
	res, err := l.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "update: %s\n", res)
	return nil
}
