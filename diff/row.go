package diff

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/schema"
)

// A row travels through the external sort as a payload: every schema column
// but incident_id (the sort key), in schema order, each a null flag byte
// then its value. The encoding is canonical, so two rows are equal exactly
// when their payloads are equal bytes and an unchanged incident costs one
// bytes.Equal: text and dictionary text alike are length-prefixed bytes,
// timestamps are milliseconds whatever the file's unit, and a float64 is its
// IEEE bits with -0 written as 0 (the values compare equal) and every NaN as
// one NaN. Floats are otherwise compared exactly: 12.5 and 12.500001 differ.
//
//	null        0x00
//	text        0x01 uvarint(len) bytes
//	date32      0x01 int32 LE (days since 1970-01-01)
//	timestamp   0x01 int64 LE (ms since the epoch, UTC)
//	int16/int32 0x01 int16/int32 LE
//	float64     0x01 uint64 LE (bits)
//	list(utf8)  0x01 uvarint(n) then n times uvarint(len+1) bytes (0: a null element)

// encoder appends the payloads of one record's rows.
type encoder struct {
	cols []colEncoder // schema order, incident_id first
	ids  func(int) (string, bool)
}

type colEncoder func(dst []byte, i int) []byte

var canonicalNaN = math.Float64bits(math.NaN())

// newEncoder binds the columns of rec by name. Every schema column must be
// present with its schema type (dictionary or plain text for text columns).
func newEncoder(rec arrow.Record) (*encoder, error) {
	sc := rec.Schema()
	e := &encoder{cols: make([]colEncoder, schema.NumColumns)}
	for ci, c := range schema.Columns {
		idx := sc.FieldIndices(c.Name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("no column %s", c.Name)
		}
		a := rec.Column(idx[0])
		enc, err := columnEncoder(c, a)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		e.cols[ci] = enc
		if ci == schema.ColIncidentID {
			get, err := textGetter(a)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", c.Name, err)
			}
			e.ids = get
		}
	}
	return e, nil
}

// payload appends row i's payload (every column but incident_id).
func (e *encoder) payload(dst []byte, i int) []byte {
	for ci := 1; ci < len(e.cols); ci++ {
		dst = e.cols[ci](dst, i)
	}
	return dst
}

func textGetter(a arrow.Array) (func(int) (string, bool), error) {
	switch c := a.(type) {
	case *array.String:
		return func(i int) (string, bool) { return c.Value(i), c.IsValid(i) }, nil
	case *array.LargeString:
		return func(i int) (string, bool) { return c.Value(i), c.IsValid(i) }, nil
	case *array.Dictionary:
		var dict func(int) string
		switch d := c.Dictionary().(type) {
		case *array.String:
			dict = d.Value
		case *array.LargeString:
			dict = d.Value
		default:
			return nil, fmt.Errorf("dictionary of %s, want utf8", d.DataType())
		}
		return func(i int) (string, bool) {
			if c.IsNull(i) {
				return "", false
			}
			return dict(c.GetValueIndex(i)), true
		}, nil
	}
	return nil, fmt.Errorf("type %s, want utf8", a.DataType())
}

func appendText(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func columnEncoder(c schema.Column, a arrow.Array) (colEncoder, error) {
	switch c.Type.ID() {
	case arrow.STRING, arrow.DICTIONARY:
		get, err := textGetter(a)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte {
			s, ok := get(i)
			if !ok {
				return append(dst, 0)
			}
			return appendText(append(dst, 1), s)
		}, nil
	case arrow.DATE32:
		d, ok := a.(*array.Date32)
		if !ok {
			return nil, fmt.Errorf("type %s, want date32", a.DataType())
		}
		return func(dst []byte, i int) []byte {
			if d.IsNull(i) {
				return append(dst, 0)
			}
			return binary.LittleEndian.AppendUint32(append(dst, 1), uint32(d.Value(i)))
		}, nil
	case arrow.TIMESTAMP:
		t, ok := a.(*array.Timestamp)
		if !ok {
			return nil, fmt.Errorf("type %s, want timestamp", a.DataType())
		}
		unit := t.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) []byte {
			if t.IsNull(i) {
				return append(dst, 0)
			}
			ms := t.Value(i).ToTime(unit).UnixMilli()
			return binary.LittleEndian.AppendUint64(append(dst, 1), uint64(ms))
		}, nil
	case arrow.INT16:
		v, ok := a.(*array.Int16)
		if !ok {
			return nil, fmt.Errorf("type %s, want int16", a.DataType())
		}
		return func(dst []byte, i int) []byte {
			if v.IsNull(i) {
				return append(dst, 0)
			}
			return binary.LittleEndian.AppendUint16(append(dst, 1), uint16(v.Value(i)))
		}, nil
	case arrow.INT32:
		v, ok := a.(*array.Int32)
		if !ok {
			return nil, fmt.Errorf("type %s, want int32", a.DataType())
		}
		return func(dst []byte, i int) []byte {
			if v.IsNull(i) {
				return append(dst, 0)
			}
			return binary.LittleEndian.AppendUint32(append(dst, 1), uint32(v.Value(i)))
		}, nil
	case arrow.FLOAT64:
		v, ok := a.(*array.Float64)
		if !ok {
			return nil, fmt.Errorf("type %s, want float64", a.DataType())
		}
		return func(dst []byte, i int) []byte {
			if v.IsNull(i) {
				return append(dst, 0)
			}
			f := v.Value(i)
			bits := math.Float64bits(f)
			switch {
			case f == 0:
				bits = 0
			case f != f:
				bits = canonicalNaN
			}
			return binary.LittleEndian.AppendUint64(append(dst, 1), bits)
		}, nil
	case arrow.LIST:
		l, ok := a.(*array.List)
		if !ok {
			return nil, fmt.Errorf("type %s, want list(utf8)", a.DataType())
		}
		get, err := textGetter(l.ListValues())
		if err != nil {
			return nil, fmt.Errorf("list of %w", err)
		}
		return func(dst []byte, i int) []byte {
			if l.IsNull(i) {
				return append(dst, 0)
			}
			lo, hi := l.ValueOffsets(i)
			dst = binary.AppendUvarint(append(dst, 1), uint64(hi-lo))
			for j := int(lo); j < int(hi); j++ {
				s, ok := get(j)
				if !ok {
					dst = append(dst, 0)
					continue
				}
				dst = binary.AppendUvarint(dst, uint64(len(s))+1)
				dst = append(dst, s...)
			}
			return dst
		}, nil
	}
	return nil, fmt.Errorf("no encoder for %s", c.TypeName)
}

// errCorrupt is a payload that does not decode: a bug or a damaged spill.
var errCorrupt = errors.New("diff: corrupt row in the temporary sort file")

// fields splits a payload into its columns' encoded values: dst[ci] is
// column ci's bytes, flag byte included (dst[0], incident_id, is nil).
func fields(dst [][]byte, p []byte) ([][]byte, error) {
	dst = append(dst[:0], nil)
	pos := 0
	for ci := 1; ci < schema.NumColumns; ci++ {
		start := pos
		if pos >= len(p) {
			return nil, errCorrupt
		}
		flag := p[pos]
		pos++
		if flag == 1 {
			switch schema.Columns[ci].Type.ID() {
			case arrow.STRING, arrow.DICTIONARY:
				n, k := binary.Uvarint(p[pos:])
				if k <= 0 || uint64(len(p)-pos-k) < n {
					return nil, errCorrupt
				}
				pos += k + int(n)
			case arrow.DATE32, arrow.INT32:
				pos += 4
			case arrow.INT16:
				pos += 2
			case arrow.TIMESTAMP, arrow.FLOAT64:
				pos += 8
			case arrow.LIST:
				n, k := binary.Uvarint(p[pos:])
				if k <= 0 {
					return nil, errCorrupt
				}
				pos += k
				for j := uint64(0); j < n; j++ {
					m, k := binary.Uvarint(p[pos:])
					if k <= 0 {
						return nil, errCorrupt
					}
					pos += k
					if m > 0 {
						if uint64(len(p)-pos) < m-1 {
							return nil, errCorrupt
						}
						pos += int(m - 1)
					}
				}
			}
		} else if flag != 0 {
			return nil, errCorrupt
		}
		if pos > len(p) {
			return nil, errCorrupt
		}
		dst = append(dst, p[start:pos])
	}
	if pos != len(p) {
		return nil, errCorrupt
	}
	return dst, nil
}

// isNull reports whether an encoded value (from fields) is null.
func isNull(v []byte) bool { return len(v) == 0 || v[0] == 0 }

// valueText renders column ci's encoded value as the change file writes it:
// text as is, dates 2019-11-06, times RFC 3339 UTC, numbers in decimal
// (floats in the shortest form that reads back exactly), lists as JSON
// arrays; ok is false for null.
func valueText(ci int, v []byte) (text string, ok bool) {
	if isNull(v) {
		return "", false
	}
	b := v[1:]
	switch schema.Columns[ci].Type.ID() {
	case arrow.STRING, arrow.DICTIONARY:
		_, k := binary.Uvarint(b)
		return string(b[k:]), true
	case arrow.DATE32:
		return schema.Date(int32(binary.LittleEndian.Uint32(b))).String(), true
	case arrow.TIMESTAMP:
		ms := int64(binary.LittleEndian.Uint64(b))
		return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.999Z07:00"), true
	case arrow.INT16:
		return strconv.Itoa(int(int16(binary.LittleEndian.Uint16(b)))), true
	case arrow.INT32:
		return strconv.Itoa(int(int32(binary.LittleEndian.Uint32(b)))), true
	case arrow.FLOAT64:
		return strconv.FormatFloat(math.Float64frombits(binary.LittleEndian.Uint64(b)), 'f', -1, 64), true
	case arrow.LIST:
		vals := listValues(b)
		out, _ := json.Marshal(vals)
		return string(out), true
	}
	return "", false
}

// listValues decodes a list value (after its flag byte); a null element is
// the JSON null.
func listValues(b []byte) []*string {
	n, k := binary.Uvarint(b)
	b = b[k:]
	vals := make([]*string, 0, n)
	for j := uint64(0); j < n; j++ {
		m, k := binary.Uvarint(b)
		b = b[k:]
		if m == 0 {
			vals = append(vals, nil)
			continue
		}
		s := string(b[:m-1])
		b = b[m-1:]
		vals = append(vals, &s)
	}
	return vals
}

// int32Value returns an int32 column's encoded value.
func int32Value(v []byte) (int32, bool) {
	if isNull(v) {
		return 0, false
	}
	return int32(binary.LittleEndian.Uint32(v[1:])), true
}

// Row is one incident as diff holds it: its id and its encoded columns.
// It is valid only during the call it is given to.
type Row struct {
	id     []byte
	fields [][]byte
}

// ID returns the incident_id.
func (r *Row) ID() string { return string(r.id) }

// Text returns the value of the named column as the change file writes it
// (see Schema); ok is false for null or an unknown column.
func (r *Row) Text(column string) (text string, ok bool) {
	ci := schema.ColumnIndex(column)
	if ci < 0 {
		return "", false
	}
	if ci == schema.ColIncidentID {
		return string(r.id), true
	}
	return valueText(ci, r.fields[ci])
}

// Append adds the row to b, a builder of records of schema.Arrow()
// (array.NewRecordBuilder(mem, schema.Arrow())), restoring every column
// with its type.
func (r *Row) Append(b *array.RecordBuilder) {
	for ci := range schema.Columns {
		fb := b.Field(ci)
		if ci == schema.ColIncidentID {
			appendString(fb, string(r.id))
			continue
		}
		v := r.fields[ci]
		if isNull(v) {
			fb.AppendNull()
			continue
		}
		p := v[1:]
		switch fb := fb.(type) {
		case *array.StringBuilder, *array.BinaryDictionaryBuilder:
			_, k := binary.Uvarint(p)
			appendString(fb, string(p[k:]))
		case *array.Date32Builder:
			fb.Append(arrow.Date32(int32(binary.LittleEndian.Uint32(p))))
		case *array.TimestampBuilder:
			// schema.TimestampUTC is in milliseconds, as the payload is.
			fb.Append(arrow.Timestamp(int64(binary.LittleEndian.Uint64(p))))
		case *array.Int16Builder:
			fb.Append(int16(binary.LittleEndian.Uint16(p)))
		case *array.Int32Builder:
			fb.Append(int32(binary.LittleEndian.Uint32(p)))
		case *array.Float64Builder:
			fb.Append(math.Float64frombits(binary.LittleEndian.Uint64(p)))
		case *array.ListBuilder:
			fb.Append(true)
			vb := fb.ValueBuilder()
			for _, s := range listValues(p) {
				if s == nil {
					vb.AppendNull()
				} else {
					appendString(vb, *s)
				}
			}
		default:
			panic(fmt.Sprintf("diff: no appender for %T", fb))
		}
	}
}

func appendString(b array.Builder, s string) {
	switch b := b.(type) {
	case *array.StringBuilder:
		b.Append(s)
	case *array.BinaryDictionaryBuilder:
		if err := b.AppendString(s); err != nil {
			panic("diff: " + err.Error())
		}
	default:
		panic(fmt.Sprintf("diff: %T is not a text builder", b))
	}
}

// Encoded appends the row's columns (all but incident_id) in diff's
// canonical encoding to dst, for a caller that keeps rows on disk;
// DecodeRow reads them back.
func (r *Row) Encoded(dst []byte) []byte {
	for _, f := range r.fields[1:] {
		dst = append(dst, f...)
	}
	return dst
}

// DecodeRow returns the row of incident id whose columns Encoded wrote.
// The row refers to id and enc, which must stay unchanged while it is used.
func DecodeRow(id, enc []byte) (*Row, error) {
	f, err := fields(nil, enc)
	if err != nil {
		return nil, err
	}
	return &Row{id: id, fields: f}, nil
}
