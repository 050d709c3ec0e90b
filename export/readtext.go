package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// textReader parses JSON Lines or CSV rows into records of the projected
// schema.
type textReader struct {
	ctx    context.Context
	path   string
	f      *os.File
	format string
	sc     *arrow.Schema
	b      *array.RecordBuilder
	apps   []func(array.Builder, string) error
	batch  int

	lines  *bufio.Reader
	csv    *csv.Reader
	csvCol []int // CSV column -> field index, -1 = not read
	line   int

	rec  arrow.Record
	err  error
	refs int64
}

func openText(ctx context.Context, path, format string, opts ReadOptions) (array.RecordReader, error) {
	sc := opts.Schema
	if opts.Columns != nil {
		var fields []arrow.Field
		for _, c := range opts.Columns {
			idx := sc.FieldIndices(c)
			if len(idx) == 0 {
				return nil, fmt.Errorf("export: %s: %w (schema v%s): no column %s", path, ErrSchemaMismatch, "1", c)
			}
			fields = append(fields, sc.Field(idx[0]))
		}
		md := sc.Metadata()
		sc = arrow.NewSchema(fields, &md)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	t := &textReader{ctx: ctx, path: path, f: f, format: format, sc: sc, batch: opts.BatchSize, refs: 1}
	t.b = array.NewRecordBuilder(opts.Mem, sc)
	for _, fl := range sc.Fields() {
		t.apps = append(t.apps, appenderFor(fl.Type))
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if format == FormatCSV {
		t.csv = csv.NewReader(br)
		t.csv.ReuseRecord = true
		header, err := t.csv.Read()
		if err != nil {
			t.Release()
			return nil, fmt.Errorf("export: %s: header: %w", path, err)
		}
		seen := map[string]bool{}
		for _, h := range header {
			idx := sc.FieldIndices(h)
			if len(idx) == 0 {
				if !opts.Schema.HasField(h) {
					t.Release()
					return nil, fmt.Errorf("export: %s: %w: unexpected column %s", path, ErrSchemaMismatch, h)
				}
				t.csvCol = append(t.csvCol, -1)
				continue
			}
			seen[h] = true
			t.csvCol = append(t.csvCol, idx[0])
		}
		for _, fl := range sc.Fields() {
			if !seen[fl.Name] {
				t.Release()
				return nil, fmt.Errorf("export: %s: %w: missing column %s", path, ErrSchemaMismatch, fl.Name)
			}
		}
		t.line = 1
	} else {
		t.lines = br
	}
	return t, nil
}

func (t *textReader) Retain()               { atomic.AddInt64(&t.refs, 1) }
func (t *textReader) Schema() *arrow.Schema { return t.sc }
func (t *textReader) Record() arrow.Record  { return t.rec }
func (t *textReader) Err() error            { return t.err }
func (t *textReader) Release() {
	if atomic.AddInt64(&t.refs, -1) != 0 {
		return
	}
	if t.rec != nil {
		t.rec.Release()
		t.rec = nil
	}
	t.b.Release()
	t.f.Close()
}

func (t *textReader) Next() bool {
	if t.rec != nil {
		t.rec.Release()
		t.rec = nil
	}
	if t.err != nil {
		return false
	}
	n := 0
	for n < t.batch {
		var err error
		var more bool
		if t.csv != nil {
			more, err = t.nextCSV()
		} else {
			more, err = t.nextJSON()
		}
		if err != nil {
			t.err = fmt.Errorf("export: %s: line %d: %w", t.path, t.line, err)
			return false
		}
		if !more {
			break
		}
		n++
		if n%4096 == 0 {
			if err := t.ctx.Err(); err != nil {
				t.err = err
				return false
			}
		}
	}
	if n == 0 {
		return false
	}
	t.rec = t.b.NewRecord()
	return true
}

func (t *textReader) set(fi int, text string, null bool) error {
	fl := t.sc.Field(fi)
	b := t.b.Field(fi)
	if null {
		if !fl.Nullable {
			return fmt.Errorf("column %s: null in a column that cannot be null", fl.Name)
		}
		b.AppendNull()
		return nil
	}
	if err := t.apps[fi](b, text); err != nil {
		return fmt.Errorf("column %s: %w", fl.Name, err)
	}
	return nil
}

// rollback drops the partly appended row after a bad field, so that the
// builder's columns stay the same length (the error ends the read anyway).
func (t *textReader) nextCSV() (bool, error) {
	rec, err := t.csv.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	t.line++
	if err != nil {
		return false, err
	}
	if len(rec) != len(t.csvCol) {
		return false, fmt.Errorf("%d fields, header has %d", len(rec), len(t.csvCol))
	}
	for ci, fi := range t.csvCol {
		if fi < 0 {
			continue
		}
		if err := t.set(fi, rec[ci], rec[ci] == ""); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (t *textReader) nextJSON() (bool, error) {
	var line []byte
	for {
		l, err := t.lines.ReadBytes('\n')
		if len(l) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return false, nil
			}
			return false, err
		}
		t.line++
		line = bytes.TrimSpace(l)
		if len(line) > 0 {
			break
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return false, err
	}
	for fi, fl := range t.sc.Fields() {
		raw, ok := m[fl.Name]
		null := !ok || string(raw) == "null"
		text := string(raw)
		if !null && len(raw) > 0 && raw[0] == '"' {
			if err := json.Unmarshal(raw, &text); err != nil {
				return false, fmt.Errorf("column %s: %w", fl.Name, err)
			}
		}
		if err := t.set(fi, text, null); err != nil {
			return false, err
		}
	}
	return true, nil
}
