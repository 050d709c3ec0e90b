package pgsink

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// getter returns the value of row i of one column as pgx encodes it into
// the column's binary COPY format, or nil for null.
type getter func(i int) any

// getterOf reads an Arrow column of a type pgTypeOf accepts.
func getterOf(a arrow.Array) (getter, error) {
	nulls := func(g getter) getter {
		if a.NullN() == 0 {
			return g
		}
		return func(i int) any {
			if a.IsNull(i) {
				return nil
			}
			return g(i)
		}
	}
	switch a := a.(type) {
	case *array.String:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.LargeString:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Dictionary:
		switch d := a.Dictionary().(type) {
		case *array.String:
			return nulls(func(i int) any { return d.Value(a.GetValueIndex(i)) }), nil
		case *array.LargeString:
			return nulls(func(i int) any { return d.Value(a.GetValueIndex(i)) }), nil
		}
	case *array.Date32:
		return nulls(func(i int) any { return time.Unix(int64(a.Value(i))*86400, 0).UTC() }), nil
	case *array.Timestamp:
		toTime, err := a.DataType().(*arrow.TimestampType).GetToTimeFunc()
		if err != nil {
			return nil, err
		}
		return nulls(func(i int) any { return toTime(a.Value(i)).UTC() }), nil
	case *array.Boolean:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Int8:
		return nulls(func(i int) any { return int16(a.Value(i)) }), nil
	case *array.Int16:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Uint8:
		return nulls(func(i int) any { return int16(a.Value(i)) }), nil
	case *array.Int32:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Uint16:
		return nulls(func(i int) any { return int32(a.Value(i)) }), nil
	case *array.Int64:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Uint32:
		return nulls(func(i int) any { return int64(a.Value(i)) }), nil
	case *array.Float32:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.Float64:
		return nulls(func(i int) any { return a.Value(i) }), nil
	case *array.List:
		if s, ok := a.ListValues().(*array.String); ok {
			return nulls(func(i int) any {
				lo, hi := a.ValueOffsets(i)
				out := make([]string, hi-lo)
				for j := range out {
					out[j] = s.Value(int(lo) + j)
				}
				return out
			}), nil
		}
	case *array.LargeList:
		if s, ok := a.ListValues().(*array.String); ok {
			return nulls(func(i int) any {
				lo, hi := a.ValueOffsets(i)
				out := make([]string, hi-lo)
				for j := range out {
					out[j] = s.Value(int(lo) + j)
				}
				return out
			}), nil
		}
	}
	return nil, fmt.Errorf("pgsink: no PostgreSQL value for Arrow %s", a.DataType())
}

// rowSource is the pgx.CopyFromSource of the records Write hands over: it
// walks each record's rows and releases the record when done with it. It
// runs on the COPY goroutine; Write blocks until it takes the next record,
// so at most two records are held at once.
type rowSource struct {
	ctx     context.Context
	recs    <-chan arrow.Record
	rec     arrow.Record
	getters []getter
	row     int
	n       int
	vals    []any
	rows    int64
	err     error
	table   string   // for errors
	names   []string // the columns, for errors
	idCol   int      // incident_id's column, or -1
}

func (s *rowSource) Next() bool {
	for s.row+1 >= s.n {
		if s.rec != nil {
			s.rec.Release()
			s.rec = nil
		}
		select {
		case rec, ok := <-s.recs:
			if !ok {
				return false
			}
			s.rec, s.row, s.n = rec, -1, int(rec.NumRows())
			for j := range s.getters {
				g, err := getterOf(rec.Column(j))
				if err != nil {
					s.err = err
					return false
				}
				s.getters[j] = g
			}
		case <-s.ctx.Done():
			s.err = s.ctx.Err()
			return false
		}
	}
	s.row++
	s.rows++
	return true
}

func (s *rowSource) Values() ([]any, error) {
	for j, g := range s.getters {
		v := g(s.row)
		s.vals[j] = v
		switch v := v.(type) {
		case string:
			if strings.IndexByte(v, 0) >= 0 {
				return nil, s.nulError(j)
			}
		case []string:
			for _, e := range v {
				if strings.IndexByte(e, 0) >= 0 {
					return nil, s.nulError(j)
				}
			}
		}
	}
	return s.vals, nil
}

// nulError: PostgreSQL's text cannot hold a NUL byte (Parquet's and
// Arrow's strings can). The row is named by its number in the load and
// its incident_id.
func (s *rowSource) nulError(col int) error {
	row := fmt.Sprintf("row %d", s.rows)
	if s.idCol >= 0 {
		if id, ok := s.getters[s.idCol](s.row).(string); ok {
			row += " (" + s.names[s.idCol] + " " + strings.ReplaceAll(id, "\x00", `\0`) + ")"
		}
	}
	return &Error{Table: s.table, Msg: fmt.Sprintf("%s, column %s: text with a NUL byte, which PostgreSQL cannot store; nothing was loaded",
		row, s.names[col])}
}

func (s *rowSource) Err() error { return s.err }

// drain releases what the source still holds after COPY stopped.
func (s *rowSource) drain() {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	for rec := range s.recs {
		rec.Release()
	}
}
