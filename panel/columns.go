package panel

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
)

// textColumn reads a utf8, large utf8 or dictionary(utf8) column; code
// gives a dictionary's index so a caller can resolve each distinct value
// once per record.
type textColumn struct {
	plain *array.String
	large *array.LargeString
	dict  *array.Dictionary
	dvals *array.String
}

func newTextColumn(name string, a arrow.Array) (textColumn, error) {
	switch c := a.(type) {
	case *array.String:
		return textColumn{plain: c}, nil
	case *array.LargeString:
		return textColumn{large: c}, nil
	case *array.Dictionary:
		if d, ok := c.Dictionary().(*array.String); ok {
			return textColumn{dict: c, dvals: d}, nil
		}
	}
	return textColumn{}, fmt.Errorf("panel: column %s has type %s, want utf8 or dictionary(utf8)", name, a.DataType())
}

func (c *textColumn) isNull(i int) bool {
	switch {
	case c.plain != nil:
		return c.plain.IsNull(i)
	case c.large != nil:
		return c.large.IsNull(i)
	}
	return c.dict.IsNull(i)
}

// value returns row i; the string aliases the record's memory.
func (c *textColumn) value(i int) string {
	switch {
	case c.plain != nil:
		return c.plain.Value(i)
	case c.large != nil:
		return c.large.Value(i)
	}
	return c.dvals.Value(c.dict.GetValueIndex(i))
}

// code returns the dictionary index of row i, or -1 for plain strings.
func (c *textColumn) code(i int) int {
	if c.dict != nil {
		return c.dict.GetValueIndex(i)
	}
	return -1
}

func (c *textColumn) dictLen() int {
	if c.dvals != nil {
		return c.dvals.Len()
	}
	return 0
}

// countColumn reads an int32 (or int64, as some Parquet readers give) count.
type countColumn struct {
	i32    []int32
	i64    []int64
	valid  []byte
	offset int
}

func newCountColumn(name string, a arrow.Array) (countColumn, error) {
	var c countColumn
	switch t := a.(type) {
	case *array.Int32:
		c.i32 = t.Int32Values()
	case *array.Int64:
		c.i64 = t.Int64Values()
	default:
		return c, fmt.Errorf("panel: column %s has type %s, want int32", name, a.DataType())
	}
	if a.NullN() > 0 {
		c.valid = a.NullBitmapBytes()
		c.offset = a.Data().Offset()
	}
	return c, nil
}

func (c *countColumn) get(i int) (int64, bool) {
	if c.valid != nil && !bitutil.BitIsSet(c.valid, c.offset+i) {
		return 0, false
	}
	if c.i32 != nil {
		return int64(c.i32[i]), true
	}
	return c.i64[i], true
}

// floatColumn reads latitude and longitude.
type floatColumn struct {
	a *array.Float64
}

func newFloatColumn(name string, a arrow.Array) (floatColumn, error) {
	f, ok := a.(*array.Float64)
	if !ok {
		return floatColumn{}, fmt.Errorf("panel: column %s has type %s, want float64", name, a.DataType())
	}
	return floatColumn{f}, nil
}

func (c *floatColumn) get(i int) float64 {
	if c.a.IsNull(i) {
		return math.NaN()
	}
	return c.a.Value(i)
}

// dateColumn reads date32 days.
func dateColumn(name string, a arrow.Array) (*array.Date32, error) {
	d, ok := a.(*array.Date32)
	if !ok {
		return nil, fmt.Errorf("panel: column %s has type %s, want date32", name, a.DataType())
	}
	return d, nil
}

// valueColumn reads the --by column as text: strings as they are, integers
// in decimal, booleans as true/false.
type valueColumn struct {
	text  *textColumn
	other arrow.Array
}

func newValueColumn(name string, a arrow.Array) (valueColumn, error) {
	if t, err := newTextColumn(name, a); err == nil {
		return valueColumn{text: &t}, nil
	}
	switch a.(type) {
	case *array.Int16, *array.Int32, *array.Int64, *array.Boolean:
		return valueColumn{other: a}, nil
	}
	return valueColumn{}, fmt.Errorf("panel: --by %s has type %s, want text, integer or boolean", name, a.DataType())
}

func (c *valueColumn) isNull(i int) bool {
	if c.text != nil {
		return c.text.isNull(i)
	}
	return c.other.IsNull(i)
}

func (c *valueColumn) value(i int) string {
	if c.text != nil {
		return c.text.value(i)
	}
	switch a := c.other.(type) {
	case *array.Int16:
		return strconv.Itoa(int(a.Value(i)))
	case *array.Int32:
		return strconv.Itoa(int(a.Value(i)))
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	}
	return ""
}

func field(rec arrow.Record, name string) (arrow.Array, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil, fmt.Errorf("panel: input has no column %s", name)
	}
	return rec.Column(idx[0]), nil
}
