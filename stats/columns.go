package stats

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
)

// textColumn reads a utf8, large utf8 or dictionary(utf8) column.
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
	return textColumn{}, fmt.Errorf("stats: column %s has type %s, want utf8 or dictionary(utf8)", name, a.DataType())
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

// numColumn reads an integer, float or date32 column as float64 (exact for
// every int32 and date).
type numColumn struct {
	a   arrow.Array
	i16 *array.Int16
	i32 *array.Int32
	i64 *array.Int64
	f64 *array.Float64
	d32 *array.Date32
}

func newNumColumn(name string, a arrow.Array) (numColumn, error) {
	c := numColumn{a: a}
	switch t := a.(type) {
	case *array.Int16:
		c.i16 = t
	case *array.Int32:
		c.i32 = t
	case *array.Int64:
		c.i64 = t
	case *array.Float64:
		c.f64 = t
	case *array.Date32:
		c.d32 = t
	default:
		return c, fmt.Errorf("stats: column %s has type %s, want a number or date32", name, a.DataType())
	}
	return c, nil
}

func (c *numColumn) isNull(i int) bool { return c.a.IsNull(i) }

func (c *numColumn) value(i int) float64 {
	switch {
	case c.i16 != nil:
		return float64(c.i16.Value(i))
	case c.i32 != nil:
		return float64(c.i32.Value(i))
	case c.i64 != nil:
		return float64(c.i64.Value(i))
	case c.f64 != nil:
		return c.f64.Value(i)
	}
	return float64(c.d32.Value(i))
}

// code returns an int64 that identifies the value for grouping.
func (c *numColumn) code(i int) int64 {
	switch {
	case c.i16 != nil:
		return int64(c.i16.Value(i))
	case c.i32 != nil:
		return int64(c.i32.Value(i))
	case c.i64 != nil:
		return c.i64.Value(i)
	case c.f64 != nil:
		return int64(math.Float64bits(c.f64.Value(i)))
	}
	return int64(c.d32.Value(i))
}

// countColumn reads an int32 count column (fatalities_best, ...). Parquet
// readers may hand back int64; both are accepted. The values and the
// validity bitmap are read directly: this is the hot loop.
type countColumn struct {
	i32     []int32
	i64     []int64
	valid   []byte // validity bitmap, nil when no value is null
	offset  int
	allNull bool // no value is known
}

func newCountColumn(name string, a arrow.Array) (countColumn, error) {
	var c countColumn
	switch t := a.(type) {
	case *array.Int32:
		c.i32 = t.Int32Values()
	case *array.Int64:
		c.i64 = t.Int64Values()
	default:
		return countColumn{}, fmt.Errorf("stats: column %s has type %s, want int32", name, a.DataType())
	}
	if a.NullN() > 0 {
		c.valid = a.NullBitmapBytes()
		c.offset = a.Data().Offset()
		c.allNull = a.NullN() == a.Len()
	}
	return c, nil
}

// get returns row i, whether it is known, and false as its third result
// for an int64 value outside the int32 range (an error of the data,
// reported by the caller).
func (c *countColumn) get(i int) (int32, bool, bool) {
	if c.valid != nil && !bitutil.BitIsSet(c.valid, c.offset+i) {
		return 0, false, true
	}
	if c.i32 != nil {
		return c.i32[i], true, true
	}
	v := c.i64[i]
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false, false
	}
	return int32(v), true, true
}
