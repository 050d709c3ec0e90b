package export

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// pandas compatibility (WriteOptions.PandasCompat): pandas' default
// pd.read_parquet gives a date32 column as Python date objects (.dt
// raises) and an int column as int32 without nulls but float64 with them,
// so two files of one schema concatenate to different dtypes. pyarrow
// restores what the "pandas" metadata key (as pyarrow itself writes it)
// names as an extension dtype, so the key says Int16/Int32/Int64 for
// nullable integer columns; no metadata can make pyarrow give a date32
// column as datetime64, so date32 columns are written as timestamp[ms]
// without a time zone (Parquet TIMESTAMP(MILLIS, not adjusted to UTC)),
// midnight of the day, which pandas reads as datetime64[ms], polars as
// Datetime(ms) and DuckDB as TIMESTAMP. export.Open reads such a column
// back as the date (a value that is not a midnight is an error).

const msPerDay = 86_400_000

// pandasSchema returns sc with date32 fields as timestamp[ms] (no zone).
func pandasSchema(sc *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, sc.NumFields())
	for i, f := range sc.Fields() {
		if f.Type.ID() == arrow.DATE32 {
			f.Type = &arrow.TimestampType{Unit: arrow.Millisecond}
		}
		fields[i] = f
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

// pandasRecord returns rec with its date32 columns as timestamp[ms], in the
// schema sc (pandasSchema of rec's). The caller releases it.
func pandasRecord(mem memory.Allocator, sc *arrow.Schema, rec arrow.Record) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	var built []arrow.Array
	for i, c := range rec.Columns() {
		d, ok := c.(*array.Date32)
		if !ok {
			cols[i] = c
			continue
		}
		b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Millisecond})
		b.Reserve(d.Len())
		for k := 0; k < d.Len(); k++ {
			if d.IsNull(k) {
				b.AppendNull()
			} else {
				b.UnsafeAppend(arrow.Timestamp(int64(d.Value(k)) * msPerDay))
			}
		}
		a := b.NewArray()
		b.Release()
		built = append(built, a)
		cols[i] = a
	}
	out := array.NewRecord(sc, cols, rec.NumRows())
	for _, a := range built {
		a.Release()
	}
	return out
}

// dateFromTimestamp turns a timestamp (no zone) column written by
// pandasRecord back into date32; a value that is not a midnight is an
// error naming the column.
func dateFromTimestamp(mem memory.Allocator, name string, a arrow.Array) (arrow.Array, error) {
	ts, ok := a.(*array.Timestamp)
	if !ok {
		return nil, fmt.Errorf("column %s: %s, want a date", name, a.DataType())
	}
	per := int64(msPerDay)
	switch ts.DataType().(*arrow.TimestampType).Unit {
	case arrow.Second:
		per = 86_400
	case arrow.Microsecond:
		per = msPerDay * 1000
	case arrow.Nanosecond:
		per = msPerDay * 1_000_000
	}
	b := array.NewDate32Builder(mem)
	defer b.Release()
	b.Reserve(ts.Len())
	for k := 0; k < ts.Len(); k++ {
		if ts.IsNull(k) {
			b.AppendNull()
			continue
		}
		v := int64(ts.Value(k))
		if v%per != 0 {
			return nil, fmt.Errorf("%w: column %s holds a time of day (%d), want dates at midnight", ErrSchemaMismatch, name, v)
		}
		b.UnsafeAppend(arrow.Date32(v / per))
	}
	return b.NewArray(), nil
}

// pandasColumn is one entry of the "pandas" metadata's columns.
type pandasColumn struct {
	Name       string         `json:"name"`
	FieldName  string         `json:"field_name"`
	PandasType string         `json:"pandas_type"`
	NumpyType  string         `json:"numpy_type"`
	Metadata   map[string]any `json:"metadata"`
}

// pandasMetadata is the "pandas" key for sc, in the layout pyarrow writes
// (no index column: pandas makes a RangeIndex).
func pandasMetadata(sc *arrow.Schema, version string) string {
	cols := make([]pandasColumn, 0, sc.NumFields())
	for _, f := range sc.Fields() {
		pt, nt := pandasTypes(f)
		c := pandasColumn{Name: f.Name, FieldName: f.Name, PandasType: pt, NumpyType: nt}
		switch t := f.Type.(type) {
		case *arrow.DictionaryType:
			c.Metadata = map[string]any{"num_categories": nil, "ordered": t.Ordered}
		case *arrow.TimestampType:
			if t.TimeZone != "" {
				c.Metadata = map[string]any{"timezone": t.TimeZone}
			}
		}
		cols = append(cols, c)
	}
	b, _ := json.Marshal(map[string]any{
		"index_columns":  []any{},
		"column_indexes": []any{},
		"columns":        cols,
		"creator":        map[string]string{"library": "incidents", "version": version},
	})
	return string(b)
}

// pandasTypes returns the pandas_type and numpy_type pyarrow would write for
// a column of f's type and nullability: nullable integers as pandas'
// nullable Int dtypes, so that they read back as such with or without nulls.
func pandasTypes(f arrow.Field) (pandasType, numpyType string) {
	t := f.Type
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return "unicode", "object"
	case arrow.BINARY, arrow.LARGE_BINARY:
		return "bytes", "object"
	case arrow.DICTIONARY:
		return "categorical", t.(*arrow.DictionaryType).IndexType.String()
	case arrow.BOOL:
		if f.Nullable {
			return "boolean", "boolean"
		}
		return "bool", "bool"
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		name := t.String() // int32, uint8, ...
		if f.Nullable {
			if strings.HasPrefix(name, "u") {
				return name, "UInt" + strings.TrimPrefix(name, "uint")
			}
			return name, "Int" + strings.TrimPrefix(name, "int")
		}
		return name, name
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return t.String(), t.String()
	case arrow.DATE32, arrow.DATE64:
		return "date", "object"
	case arrow.TIMESTAMP:
		ts := t.(*arrow.TimestampType)
		unit := ts.Unit.String()
		if ts.TimeZone != "" {
			return "datetimetz", fmt.Sprintf("datetime64[%s, %s]", unit, ts.TimeZone)
		}
		return "datetime", "datetime64[" + unit + "]"
	case arrow.LIST, arrow.LARGE_LIST:
		elem := "object"
		if lt, ok := t.(arrow.ListLikeType); ok {
			elem, _ = pandasTypes(lt.ElemField())
		}
		return "list[" + elem + "]", "object"
	}
	return "object", "object"
}
