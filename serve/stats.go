package serve

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// handleStats is GET /api/stats: `incidents stats` with its flags as
// parameters (by, period, where, top, series, tail, bootstrap, seed,
// stats), computed by the same stats package calls over the same inputs,
// as a JSON array of objects (the bytes of `incidents stats --format
// json`), or ?format=csv|arrow|parquet.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	q, err := newQuery(r.URL, "by", "period", "where", "top", "series", "tail", "bootstrap", "seed", "stats", "format")
	if err != nil {
		return err
	}
	opts, err := q.statsOptions("")
	if err != nil {
		return err
	}
	if opts.Series, err = q.boolean("series"); err != nil {
		return err
	}
	if opts.Series && opts.Period == "" {
		return badParam("series", "counts per period need a period (period=day, week, month, quarter or year)")
	}
	if opts.Tail, err = q.boolean("tail"); err != nil {
		return err
	}
	boot, err := q.integer("bootstrap", stats.DefaultBootstrap, 0, int64(s.opts.MaxBootstrap))
	if err != nil {
		return err
	}
	opts.Bootstrap = int(boot)
	if opts.Bootstrap == 0 {
		opts.Bootstrap = -1 // as the command's flag: 0 means none
	}
	seed, err := q.integer("seed", 1, 0, 1<<63-1)
	if err != nil {
		return err
	}
	opts.Seed = uint64(seed)
	opts.Workers = 1 // the p-value does not depend on it; other requests need the cores
	names, err := q.list("stats")
	if err != nil {
		return err
	}
	if len(names) > 0 && !(len(names) == 1 && names[0] == "all") {
		if _, err := (&stats.Result{Columns: stats.ResultColumns(opts)}).Select(names); err != nil {
			return badParam("stats", "%s", strings.TrimPrefix(err.Error(), "stats: "))
		}
	} else {
		names = nil
	}
	format, err := q.choice("format", "json", "json", "csv", "arrow", "parquet")
	if err != nil {
		return err
	}
	sn, err := s.snapshot()
	if err != nil || conditional(w, r, sn) {
		return err
	}
	return s.answer(w, r, sn, func(ctx context.Context, out headerWriter) error {
		res, err := s.computeStats(ctx, opts)
		if err != nil {
			return err
		}
		if names != nil {
			if res, err = res.Select(names); err != nil {
				return badParam("stats", "%s", err)
			}
		}
		return s.writeResult(ctx, out, res, format, "stats")
	})
}

// computeStats reads every dataset into a stats accumulator, as
// `incidents stats` does.
func (s *Server) computeStats(ctx context.Context, opts stats.Options) (*stats.Result, error) {
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		return nil, &Error{Type: ErrBadData, Err: err}
	}
	if err := s.scan(ctx, stats.Columns(opts), acc.Add); err != nil {
		return nil, err
	}
	return acc.ResultContext(ctx)
}

// writeResult writes a statistics table in format.
func (s *Server) writeResult(ctx context.Context, w headerWriter, res *stats.Result, format, name string) error {
	if len(res.Rows) > s.opts.MaxRows {
		return &Error{Type: ErrBadData, Err: fmt.Errorf("the result has %d rows, more than this server's cap of %d rows per response (incidents serve --max-rows): narrow it with top, where or a coarser period", len(res.Rows), s.opts.MaxRows)}
	}
	h := w.Header()
	h.Set("X-Incidents-Rows", fmt.Sprint(len(res.Rows)))
	switch format {
	case "csv":
		h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
		return res.WriteCSV(w)
	case "arrow", "parquet":
		setAttachment(h, name, format)
		rec := res.Record(s.opts.Mem)
		defer rec.Release()
		return writeRecords(ctx, w, format, rec.Schema(), []arrow.Record{rec}, s.opts.Mem)
	}
	h.Set("Content-Type", "application/json")
	return res.WriteJSON(w)
}

// handleSeries is GET /api/series: the counts per group and period of
// `incidents stats --series` (every empty period present with zeros), with
// a first column "time", the period's first day at 00:00 UTC in RFC 3339,
// sorted by time then group: the long format Grafana's Infinity data
// source and Observable Plot take as they are.
func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) error {
	q, err := newQuery(r.URL, "by", "period", "where", "top", "format")
	if err != nil {
		return err
	}
	opts, err := q.statsOptions("month")
	if err != nil {
		return err
	}
	opts.Series = true
	format, err := q.choice("format", "json", "json", "csv", "arrow", "parquet")
	if err != nil {
		return err
	}
	sn, err := s.snapshot()
	if err != nil || conditional(w, r, sn) {
		return err
	}
	return s.answer(w, r, sn, func(ctx context.Context, out headerWriter) error {
		res, err := s.computeStats(ctx, opts)
		if err != nil {
			return err
		}
		series, err := seriesWithTime(res, opts.Period)
		if err != nil {
			return err
		}
		return s.writeResult(ctx, out, series, format, "series")
	})
}

// seriesWithTime adds the time column to a --series result and sorts it
// by time, keeping the groups' order within a period.
func seriesWithTime(res *stats.Result, period string) (*stats.Result, error) {
	pi := res.ColumnIndex("period")
	if pi < 0 {
		return nil, fmt.Errorf("serve: series result without a period column")
	}
	out := &stats.Result{Columns: append([]stats.Column{{Name: "time", Kind: stats.KindString,
		Meaning: "first instant of the period, RFC 3339 UTC"}}, res.Columns...)}
	times := make([]time.Time, len(res.Rows))
	for i, row := range res.Rows {
		t, err := periodStart(period, row[pi].Str)
		if err != nil {
			return nil, err
		}
		times[i] = t
		out.Rows = append(out.Rows, append([]stats.Value{{Str: t.Format(time.RFC3339)}}, row...))
	}
	idx := make([]int, len(out.Rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]].Before(times[idx[b]]) })
	rows := make([][]stats.Value, len(idx))
	for i, j := range idx {
		rows[i] = out.Rows[j]
	}
	out.Rows = rows
	return out, nil
}

// periodStart reads a period label of the stats package (2019-11-06,
// 2019-W45, 2019-11, 2019-Q4, 2019) back as its first day, and checks the
// reading by labelling that day again.
func periodStart(period, label string) (time.Time, error) {
	var t time.Time
	var err error
	switch period {
	case stats.PeriodDay:
		t, err = time.Parse("2006-01-02", label)
	case stats.PeriodMonth:
		t, err = time.Parse("2006-01", label)
	case stats.PeriodYear:
		t, err = time.Parse("2006", label)
	case stats.PeriodQuarter:
		var y, qn int
		if _, err = fmt.Sscanf(label, "%d-Q%d", &y, &qn); err == nil {
			t = time.Date(y, time.Month(3*(qn-1)+1), 1, 0, 0, 0, 0, time.UTC)
		}
	case stats.PeriodWeek:
		var y, wk int
		if _, err = fmt.Sscanf(label, "%d-W%d", &y, &wk); err == nil {
			// ISO week 1 holds 4 January; its Monday starts it
			jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
			monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
			t = monday.AddDate(0, 0, 7*(wk-1))
		}
	default:
		err = fmt.Errorf("unknown period %q", period)
	}
	if err == nil {
		d := schema.DateOf(t.Year(), t.Month(), t.Day())
		if got := stats.PeriodLabel(period, stats.PeriodIndex(period, d)); got != label {
			err = fmt.Errorf("reads back as %s", got)
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("serve: period label %q (%s): %w", label, period, err)
	}
	return t.UTC(), nil
}
