package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/link"
)

func newLinkCmd() *cobra.Command {
	var (
		opts          = link.DefaultOptions()
		out, clusters string
		actors        string
		overwrite     bool
	)
	cmd := &cobra.Command{
		Use:   "link [flags] -o LINKS INPUT...",
		Short: "Pairs of incidents in several datasets (or twice in one) that are likely the same event, and their clusters",
		Long: `Find the incidents of different datasets (source_dataset) that are likely
the same real-world event: the same attack in ACLED, UCDP GED and the GTD.
Inputs are normalized files or raw exports (normalized on the fly).

Blocking: only events of the same country whose date ranges
(date_start..date_end: a month-precision event spans its month) are at most
--days apart are compared, by a sweep over the events sorted by country and
date (on disk past 64 MiB). Of those, the candidates are the pairs whose
places fit: two points within --km km (haversine), widened by precision
(near +25 km, admin2 +50 km); an admin1-precision event anywhere in the same
admin1; a country-precision event anywhere in the country.

Each candidate is scored in 0..1, the weighted mean of five features: date
(gap and precision) 0.25, place 0.25, event type (compatibility in the
schema's taxonomy) 0.15, actors (normalized names, word overlap and
acronyms) 0.20, fatalities (ranges overlap, else the ratio) 0.15; a feature
unknown on either side is left out. Candidates scoring at least --min-score
are links when each event is the other's best match in its dataset
(one-to-one), written to -o with the evidence of every feature.

--clusters FILE writes the links' connected components: every linked event
with its cluster_id, cluster_size and whether it represents the cluster (the
member whose fatalities_best is the lower median of the cluster's, then the
finest date and geo precision). 'incidents stats --dedupe FILE' then counts
each cluster once.

--within also pairs events of the same dataset (a source that emits an
event several times).`,
		Example: `  incidents link -o links.parquet --clusters clusters.parquet acled.parquet ged.parquet gtd.parquet
  incidents link --days 3 --km 50 --min-score 0.6 -o links.csv acled.csv GEDEvent_v24_1.csv
  incidents link --within -o dups.parquet gdelt.parquet
  incidents stats --dedupe clusters.parquet --by country_iso3 acled.parquet ged.parquet gtd.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			if out == "" {
				return fmt.Errorf("link: -o FILE is required (\"-\" for stdout)")
			}
			if clusters != "" && (clusters == "-" || samePath(clusters, out)) {
				return fmt.Errorf("link: --clusters needs a file of its own, not -o's or stdout")
			}
			if err := checkRange("link", "--days", int64(opts.Days), 0, link.MaxDays); err != nil {
				return err
			}
			if !(opts.KM >= 0 && opts.KM <= link.MaxKM) {
				return fmt.Errorf("link: --km %v is out of range (0 to %d)", opts.KM, link.MaxKM)
			}
			if !(opts.MinScore >= 0 && opts.MinScore <= 1) {
				return fmt.Errorf("link: --min-score %v is out of range (0 to 1)", opts.MinScore)
			}
			for _, p := range []string{out, clusters} {
				if p != "" && p != "-" {
					if err := export.CheckOutput(p, export.OutputOptions{Overwrite: overwrite, Inputs: inputs}); err != nil {
						return err
					}
				}
			}
			if actors != "" {
				names, err := value.LoadActorNames(actors)
				if err != nil {
					return err
				}
				opts.ActorName = names.Canonical
			}
			l, err := link.New(opts)
			if err != nil {
				return err
			}
			defer l.Close()
			prog := readProgress(cmd, "link", inputs)
			var rawSum *ingest.Summary
			rawSum, err = readRecordsSummary(cmd.Context(), prog, inputs, link.Columns, nil, l.Add)
			prog.Done()
			if err != nil {
				return err
			}
			sayRawAccounting(cmd, "link", rawSum)
			meta := map[string]string{"incidents.version": shortVersion(), "incidents.link.options": fmt.Sprintf("days=%d km=%g min_score=%g within=%t", opts.Days, opts.KM, opts.MinScore, opts.Within)}
			pw, err := export.Create(cmd.Context(), out, export.WriteOptions{Schema: link.PairSchema, Overwrite: overwrite,
				Inputs: inputs, Stdout: cmd.OutOrStdout(), Metadata: meta})
			if err != nil {
				return err
			}
			defer pw.Abort()
			sum, err := l.Run(cmd.Context(), pw.Write)
			if err != nil {
				return err
			}
			if clusters != "" {
				cw, err := export.Create(cmd.Context(), clusters, export.WriteOptions{Schema: link.ClusterSchema, Overwrite: overwrite,
					Inputs: inputs, Metadata: meta})
				if err != nil {
					return err
				}
				defer cw.Abort()
				if sum, err = l.Clusters(cmd.Context(), cw.Write); err != nil {
					return err
				}
				if err := pw.Close(); err != nil {
					return err
				}
				if err := cw.Close(); err != nil {
					return err
				}
			} else if err := pw.Close(); err != nil {
				return err
			}
			if !quiet(cmd) {
				return sum.WriteText(cmd.ErrOrStderr(), opts)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Days, "days", link.DefaultDays, fmt.Sprintf("date window in days between the two date ranges (0 to %d)", link.MaxDays))
	fl.Float64Var(&opts.KM, "km", link.DefaultKM, fmt.Sprintf("distance window in km between two points, widened by geo precision (0 to %d)", link.MaxKM))
	fl.Float64Var(&opts.MinScore, "min-score", link.DefaultMinScore, "score (0 to 1) a candidate needs to be a link")
	fl.BoolVar(&opts.Within, "within", false, "also pair events of the same dataset (duplicates inside one source)")
	fl.StringVar(&actors, "actors", "", "YAML file of actor aliases (canonical name: [aliases]), applied before names are compared")
	fl.StringVarP(&out, "output", "o", "", `links output: .parquet, .arrow, .arrows, .csv, .jsonl ("-": JSON Lines on stdout)`)
	fl.StringVar(&clusters, "clusters", "", "clusters output: every linked event with its cluster_id and representative flag")
	addOverwriteFlag(fl, &overwrite)
	return cmd
}

// readClusters reads the clusters output of link (any format export reads)
// into d, for stats --dedupe.
func readClusters(ctx context.Context, path string, d *link.Dedupe) error {
	switch export.FormatFromPath(path) {
	case "csv", "jsonl":
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("stats: --dedupe: %w", err)
		}
		defer f.Close()
		if export.FormatFromPath(path) == "csv" {
			err = d.ReadCSV(f, path)
		} else {
			err = d.ReadJSONLines(f, path)
		}
		if err != nil {
			return fmt.Errorf("stats: --dedupe: %w", err)
		}
		return nil
	}
	rr, err := export.Open(ctx, path, export.ReadOptions{Columns: []string{"incident_id", "representative"}, Schema: link.ClusterSchema})
	if err != nil {
		if errors.Is(err, export.ErrSchemaMismatch) {
			return fmt.Errorf("stats: --dedupe %s: not a clusters file (give the --clusters output of incidents link, with its incident_id and representative columns)", path)
		}
		return fmt.Errorf("stats: --dedupe: %w", err)
	}
	defer rr.Release()
	for rr.Next() {
		if err := d.Add(rr.Record()); err != nil {
			return fmt.Errorf("stats: --dedupe %s: %w", path, err)
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("stats: --dedupe %s: %w", path, err)
	}
	return nil
}
