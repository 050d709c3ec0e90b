package serve

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/compute"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// MaxOffset caps ?offset= of /api/incidents: paging past it means reading
// that many rows for every page; filter with where instead.
const MaxOffset = 100_000_000

// handleIncidents is GET /api/incidents: the rows that pass every where
// (as `incidents stats --where` keeps them), in the order of the files,
// with the columns asked for (default all), limit rows (default
// DefaultLimit, at most Options.MaxRows) after skipping offset. A Link
// header with rel="next" gives the next page when there is one.
func (s *Server) handleIncidents(w http.ResponseWriter, r *http.Request) error {
	q, err := newQuery(r.URL, "where", "columns", "limit", "offset", "format")
	if err != nil {
		return err
	}
	where, err := q.where()
	if err != nil {
		return err
	}
	cols, err := q.columns("columns")
	if err != nil {
		return err
	}
	if len(cols) == 0 {
		cols = schema.ColumnNames()
	}
	limit, err := q.integer("limit", DefaultLimit, 0, int64(s.opts.MaxRows))
	if err != nil {
		if _, ok, _ := q.one("limit"); ok {
			return badParam("limit", "%s (this server's cap on rows per response is %d: page with offset)", err.(*Error).Err, s.opts.MaxRows)
		}
		return err
	}
	offset, err := q.integer("offset", 0, 0, MaxOffset)
	if err != nil {
		return err
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
		page, more, err := s.selectRows(ctx, where, cols, int(limit), offset)
		defer func() {
			for _, rec := range page {
				rec.Release()
			}
		}()
		if err != nil {
			return err
		}
		rows := 0
		for _, rec := range page {
			rows += int(rec.NumRows())
		}
		h := out.Header()
		h.Set("X-Incidents-Rows", strconv.Itoa(rows))
		if more {
			v := r.URL.Query()
			v.Set("offset", strconv.FormatInt(offset+int64(rows), 10))
			h.Set("Link", fmt.Sprintf(`<%s>; rel="next"`, (&url.URL{Path: r.URL.Path, RawQuery: v.Encode()}).String()))
		}
		if format == "arrow" || format == "parquet" {
			setAttachment(h, "incidents", format)
		}
		return writeRecords(ctx, out, format, projectSchema(cols), page, s.opts.Mem)
	})
}

// projectSchema is the schema of the columns, in the order given.
func projectSchema(cols []string) *arrow.Schema {
	full := schema.Arrow()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = full.Field(full.FieldIndices(c)[0])
	}
	return arrow.NewSchema(fields, nil)
}

// selectRows reads the datasets and returns the limit rows passing where
// after the first offset of them, as records of cols (copies: the pages
// read are released as the scan goes, so memory follows limit, not the
// files), and whether more rows pass.
func (s *Server) selectRows(ctx context.Context, where []stats.Filter, cols []string, limit int, offset int64) (page []arrow.Record, more bool, err error) {
	read := map[string]bool{}
	for _, c := range cols {
		read[c] = true
	}
	for _, f := range where {
		read[f.Column] = true
	}
	var readCols []string
	for _, c := range schema.Columns {
		if read[c.Name] {
			readCols = append(readCols, c.Name)
		}
	}
	sc := projectSchema(cols)
	var skipped int64
	taken := 0
	var idx []int32
	tctx := compute.WithAllocator(ctx, s.opts.Mem)
	err = s.scan(ctx, readCols, func(rec arrow.Record) error {
		idx, err = stats.FilterRows(rec, where, idx[:0])
		if err != nil {
			return err
		}
		if skip := offset - skipped; skip > 0 {
			if int64(len(idx)) <= skip {
				skipped += int64(len(idx))
				return nil
			}
			idx = idx[skip:]
			skipped = offset
		}
		if len(idx) == 0 {
			return nil
		}
		if taken == limit {
			more = true
			return errStop
		}
		if n := limit - taken; len(idx) > n {
			idx, more = idx[:n], true
		}
		out, err := takeRows(tctx, s.opts.Mem, rec, sc, idx)
		if err != nil {
			return err
		}
		page = append(page, out)
		taken += len(idx)
		if more {
			return errStop
		}
		return nil
	})
	return page, more, err
}

// takeRows copies the rows idx of rec's columns named by sc into a new
// record.
func takeRows(ctx context.Context, mem memory.Allocator, rec arrow.Record, sc *arrow.Schema, idx []int32) (arrow.Record, error) {
	ib := array.NewInt32Builder(mem)
	ib.AppendValues(idx, nil)
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	cols := make([]arrow.Array, 0, sc.NumFields())
	release := func() {
		for _, c := range cols {
			c.Release()
		}
	}
	for _, f := range sc.Fields() {
		fi := rec.Schema().FieldIndices(f.Name)
		if len(fi) == 0 {
			release()
			return nil, fmt.Errorf("serve: the data has no column %s", f.Name)
		}
		c, err := takeArray(ctx, rec.Column(fi[0]), indices)
		if err != nil {
			release()
			return nil, fmt.Errorf("serve: column %s: %w", f.Name, err)
		}
		cols = append(cols, c)
	}
	out := array.NewRecord(sc, cols, int64(len(idx)))
	release()
	return out, nil
}

// takeArray is compute.TakeArray, which has no dictionary kernel in arrow
// v17: a dictionary column takes its indices and keeps its dictionary (as
// export's partitioner does).
func takeArray(ctx context.Context, a, indices arrow.Array) (arrow.Array, error) {
	d, ok := a.(*array.Dictionary)
	if !ok {
		return compute.TakeArray(ctx, a, indices)
	}
	idx, err := compute.TakeArray(ctx, d.Indices(), indices)
	if err != nil {
		return nil, err
	}
	defer idx.Release()
	return array.NewDictionaryArray(d.DataType(), idx, d.Dictionary()), nil
}
