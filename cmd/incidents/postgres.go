package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/pgsink"
	"github.com/incidentkit/incidents/schema"
)

// A postgres://USER@HOST/DB?table=NAME output loads the rows into a table
// (pgsink) instead of writing a file; normalize, export and stats take one.

// recordSink is where normalize and export write their records: a file or
// dataset (export.Writer) or a table (pgOutput).
type recordSink interface {
	Write(rec arrow.Record) error
	SetMetadata(key, value string)
	Close() error
	Abort() error
	Rows() int64
	Format() string
}

// pgOutput adapts pgsink.Loader to recordSink.
type pgOutput struct {
	l      *pgsink.Loader
	target pgsink.Target
	res    pgsink.Result
}

func (p *pgOutput) Write(rec arrow.Record) error  { return p.l.Write(rec) }
func (p *pgOutput) SetMetadata(key, value string) { p.l.SetMetadata(key, value) }
func (p *pgOutput) Rows() int64                   { return p.l.Rows() }
func (p *pgOutput) Format() string                { return "PostgreSQL table " + p.target.String() }
func (p *pgOutput) Abort() error                  { p.l.Abort(); return nil }
func (p *pgOutput) Close() (err error) {
	p.res, err = p.l.Close()
	return err
}

// addModeFlag registers --mode.
func addModeFlag(fs *pflag.FlagSet, v *string) {
	fs.StringVar(v, "mode", "", "with a postgres:// -o: create (the default: a new table), append, upsert (by incident_id: inserted, updated, unchanged) or replace")
}

// checkMode refuses --mode without a postgres:// output.
func checkMode(cmdName, out, mode string) error {
	if mode != "" && !pgsink.IsURL(out) {
		return fmt.Errorf("%s: --mode %s applies to a postgres:// output, not %s", cmdName, mode, out)
	}
	return nil
}

// createOutput starts writing out: a table for a postgres:// URL, else a
// file or dataset by export.Create.
func createOutput(ctx context.Context, cmdName, out, mode string, opts export.WriteOptions) (recordSink, error) {
	if err := checkMode(cmdName, out, mode); err != nil {
		return nil, err
	}
	if !pgsink.IsURL(out) {
		w, err := export.Create(ctx, out, opts)
		if err != nil {
			return nil, err
		}
		return w, nil
	}
	switch {
	case opts.Overwrite:
		return nil, fmt.Errorf("%s: --overwrite does not apply to a postgres:// output: --mode replace replaces the table's rows", cmdName)
	case len(opts.PartitionBy) > 0:
		return nil, fmt.Errorf("%s: --partition-by writes a dataset folder, not a postgres:// table", cmdName)
	case opts.Format != "":
		return nil, fmt.Errorf("%s: --format %s does not apply to a postgres:// output", cmdName, opts.Format)
	}
	t, err := pgsink.ParseTarget(out)
	if err != nil {
		return nil, err
	}
	m := pgsink.ModeCreate
	if mode != "" {
		if m, err = pgsink.ParseMode(mode); err != nil {
			return nil, err
		}
	}
	sc := opts.Schema
	if sc == nil {
		sc = schema.Arrow()
	}
	meta := map[string]string{export.MetaSchemaVersion: schema.Version}
	for k, v := range opts.Metadata {
		meta[k] = v
	}
	l, err := pgsink.Open(ctx, t, pgsink.Options{Mode: m, Schema: sc, Metadata: meta})
	if err != nil {
		return nil, err
	}
	return &pgOutput{l: l, target: t}, nil
}

// defaultRejects is the rejects file of a run writing out: OUT.rejects.jsonl,
// or TABLE.rejects.jsonl in the current folder for a postgres:// output.
func defaultRejects(out string) string {
	if pgsink.IsURL(out) {
		if t, err := pgsink.ParseTarget(out); err == nil {
			return t.String() + ".rejects.jsonl"
		}
		return "" // the output's own error comes first
	}
	return out + ".rejects.jsonl"
}

// writeLoadSummary prints what a load into a table did.
func writeLoadSummary(w io.Writer, cmdName string, s recordSink) {
	if p, ok := s.(*pgOutput); ok {
		fmt.Fprintf(w, "%s: %s\n", cmdName, p.res)
	}
}

// loadStatsTable loads a stats result into a table.
func loadStatsTable(cmd *cobra.Command, out, mode string, rec arrow.Record, inputs []string) error {
	in, _ := json.Marshal(inputs)
	w, err := createOutput(cmd.Context(), "stats", out, mode, export.WriteOptions{Schema: rec.Schema(),
		Metadata: map[string]string{export.MetaVersion: shortVersion(), "incidents.inputs": string(in)}})
	if err != nil {
		return err
	}
	defer w.Abort()
	if err := w.Write(rec); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	writeLoadSummary(cmd.ErrOrStderr(), "stats", w)
	return nil
}
