package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/schema"
)

// cellWriter appends the text of row i of one column. JSON mode quotes
// strings and writes lists as JSON arrays; CSV mode writes strings raw. ok
// is false for null.
type cellWriter func(dst []byte, i int) (out []byte, ok bool)

// cellWriterFor returns the cell writer for a; json selects JSON encoding of
// scalar strings (lists are JSON arrays in both modes).
func cellWriterFor(a arrow.Array, jsonMode bool) cellWriter {
	str := func(dst []byte, s string) []byte {
		if jsonMode {
			return appendJSONString(dst, s)
		}
		return append(dst, s...)
	}
	nullable := func(f cellWriter) cellWriter {
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, false
			}
			return f(dst, i)
		}
	}
	switch c := a.(type) {
	case *array.String:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return str(dst, c.Value(i)), true })
	case *array.LargeString:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return str(dst, c.Value(i)), true })
	case *array.Dictionary:
		inner := cellWriterFor(c.Dictionary(), jsonMode)
		return nullable(func(dst []byte, i int) ([]byte, bool) { return inner(dst, c.GetValueIndex(i)) })
	case *array.Date32:
		return nullable(func(dst []byte, i int) ([]byte, bool) {
			if jsonMode {
				dst = append(dst, '"')
			}
			dst = schema.Date(c.Value(i)).AppendISO(dst)
			if jsonMode {
				dst = append(dst, '"')
			}
			return dst, true
		})
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		return nullable(func(dst []byte, i int) ([]byte, bool) {
			if jsonMode {
				dst = append(dst, '"')
			}
			dst = c.Value(i).ToTime(unit).UTC().AppendFormat(dst, time.RFC3339Nano)
			if jsonMode {
				dst = append(dst, '"')
			}
			return dst, true
		})
	case *array.Int16:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendInt(dst, int64(c.Value(i)), 10), true })
	case *array.Int32:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendInt(dst, int64(c.Value(i)), 10), true })
	case *array.Int64:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendInt(dst, c.Value(i), 10), true })
	case *array.Uint32:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendUint(dst, uint64(c.Value(i)), 10), true })
	case *array.Uint64:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendUint(dst, c.Value(i), 10), true })
	case *array.Float32:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return appendFloat(dst, float64(c.Value(i)), 32) })
	case *array.Float64:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return appendFloat(dst, c.Value(i), 64) })
	case *array.Boolean:
		return nullable(func(dst []byte, i int) ([]byte, bool) { return strconv.AppendBool(dst, c.Value(i)), true })
	case *array.List:
		elem := cellWriterFor(c.ListValues(), true)
		offsets := c.Offsets()
		return nullable(func(dst []byte, i int) ([]byte, bool) {
			dst = append(dst, '[')
			for j := offsets[i]; j < offsets[i+1]; j++ {
				if j > offsets[i] {
					dst = append(dst, ',')
				}
				var ok bool
				if dst, ok = elem(dst, int(j)); !ok {
					dst = append(dst, "null"...)
				}
			}
			return append(dst, ']'), true
		})
	}
	return nullable(func(dst []byte, i int) ([]byte, bool) { return str(dst, a.ValueStr(i)), true })
}

// appendFloat writes the shortest text that reads back to the same value;
// NaN and infinities have no JSON form and are written as null.
func appendFloat(dst []byte, v float64, bits int) ([]byte, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dst, false
	}
	return strconv.AppendFloat(dst, v, 'g', -1, bits), true
}

func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(dst, b...)
}

// jsonlSink writes one JSON object per row, keys in column order.
type jsonlSink struct {
	w     *bufio.Writer
	keys  [][]byte
	line  []byte
	cells []cellWriter
}

func newJSONLSink(out io.Writer, sc *arrow.Schema) *jsonlSink {
	s := &jsonlSink{w: bufio.NewWriterSize(out, 1<<16)}
	for i, f := range sc.Fields() {
		var k []byte
		if i == 0 {
			k = append(k, '{')
		} else {
			k = append(k, ',')
		}
		k = appendJSONString(k, f.Name)
		s.keys = append(s.keys, append(k, ':'))
	}
	return s
}

func (s *jsonlSink) write(rec arrow.Record) error {
	s.cells = s.cells[:0]
	for _, c := range rec.Columns() {
		s.cells = append(s.cells, cellWriterFor(c, true))
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		line := s.line[:0]
		for ci, cw := range s.cells {
			line = append(line, s.keys[ci]...)
			var ok bool
			if line, ok = cw(line, i); !ok {
				line = append(line, "null"...)
			}
		}
		if len(s.cells) == 0 {
			line = append(line, '{')
		}
		line = append(line, '}', '\n')
		if _, err := s.w.Write(line); err != nil {
			return err
		}
		s.line = line
	}
	return nil
}

func (s *jsonlSink) finish(_, _ []string) error { return s.w.Flush() }
func (s *jsonlSink) abort()                     {}

// csvSink writes a header row and one row per record row; null is an empty
// cell and lists are JSON arrays.
type csvSink struct {
	w      *csv.Writer
	header []string
	row    []string
	buf    []byte
	cells  []cellWriter
	wrote  bool
}

func newCSVSink(out io.Writer, sc *arrow.Schema) *csvSink {
	s := &csvSink{w: csv.NewWriter(out)}
	for _, f := range sc.Fields() {
		s.header = append(s.header, f.Name)
	}
	return s
}

func (s *csvSink) writeHeader() error {
	if s.wrote {
		return nil
	}
	s.wrote = true
	return s.w.Write(s.header)
}

func (s *csvSink) write(rec arrow.Record) error {
	if err := s.writeHeader(); err != nil {
		return err
	}
	s.cells = s.cells[:0]
	for _, c := range rec.Columns() {
		s.cells = append(s.cells, cellWriterFor(c, false))
	}
	s.row = make([]string, len(s.cells))
	for i := 0; i < int(rec.NumRows()); i++ {
		for ci, cw := range s.cells {
			b, ok := cw(s.buf[:0], i)
			if ok {
				s.row[ci] = string(b)
			} else {
				s.row[ci] = ""
			}
			s.buf = b
		}
		if err := s.w.Write(s.row); err != nil {
			return err
		}
	}
	return nil
}

func (s *csvSink) finish(_, _ []string) error {
	if err := s.writeHeader(); err != nil {
		return err
	}
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

func (s *csvSink) abort() {}
