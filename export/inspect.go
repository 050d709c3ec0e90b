package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/incidentkit/incidents/schema"
)

// Info describes a Parquet or Arrow file.
type Info struct {
	Path      string
	Format    string
	Size      int64 // bytes
	CreatedBy string
	Schema    *arrow.Schema
	Rows      int64
	// Groups are the Parquet row groups or the Arrow record batches.
	Groups   []GroupInfo
	Columns  []ColumnInfo
	Metadata map[string]string
	// FirstRows holds the first rows as JSON Lines.
	FirstRows []string
}

// GroupInfo describes one row group or record batch.
type GroupInfo struct {
	Rows  int64
	Bytes int64 // Parquet: compressed bytes; Arrow: buffer bytes
}

// ColumnInfo holds a column's statistics over the whole file. Parquet's
// come from the footer (per leaf: lists show their element); Arrow's are
// computed by reading the file.
type ColumnInfo struct {
	Name        string
	Type        string
	Nulls       int64
	Min, Max    string // empty when unknown
	Compression string // Parquet only
	Encodings   string // Parquet only
	Bytes       int64  // Parquet: compressed bytes of the column chunks
}

// Inspect describes the Parquet or Arrow file at path, with its first
// firstRows rows.
func Inspect(ctx context.Context, path string, firstRows int) (info *Info, err error) {
	format, ok := Recognize(path)
	if !ok || (format != FormatParquet && format != FormatArrow && format != FormatArrowsIPC) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		return nil, fmt.Errorf("export: %s: not a Parquet or Arrow file", path)
	}
	defer func() {
		if r := recover(); r != nil {
			info, err = nil, fmt.Errorf("export: %s: %w", path, ErrDamaged)
		}
	}()
	info = &Info{Path: path, Format: format, Metadata: map[string]string{}}
	if fi, err := os.Stat(path); err == nil {
		info.Size = fi.Size()
	}
	if format == FormatParquet {
		if err = inspectParquet(info); err != nil {
			err = fmt.Errorf("export: %s: %w", path, err)
		}
	} else {
		err = inspectArrow(ctx, info) // through Open, whose errors name the file
	}
	if err != nil {
		return nil, err
	}
	if firstRows > 0 {
		if info.FirstRows, err = headRows(ctx, path, firstRows); err != nil {
			return nil, err
		}
	}
	return info, nil
}

func inspectParquet(info *Info) error {
	pf, err := file.OpenParquetFile(info.Path, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	md := pf.MetaData()
	info.CreatedBy = md.GetCreatedBy()
	info.Rows = md.NumRows
	for _, kv := range md.KeyValueMetadata() {
		if kv.Key == "ARROW:schema" {
			continue
		}
		if kv.Value != nil {
			info.Metadata[kv.Key] = *kv.Value
		}
	}
	if err := checkParquetChunks(md, info.Size); err != nil {
		return err
	}
	if v := md.KeyValueMetadata().FindValue("ARROW:schema"); v != nil {
		if err := checkStoredSchema(*v); err != nil {
			return err
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	if info.Schema, err = fr.Schema(); err != nil {
		return err
	}
	sc := md.Schema
	cols := make([]ColumnInfo, sc.NumColumns())
	mins := make([]any, sc.NumColumns())
	maxs := make([]any, sc.NumColumns())
	encs := make([]map[string]bool, sc.NumColumns())
	for i := range cols {
		path := sc.Column(i).ColumnPath()
		cols[i].Name = path.String()
		if idx := info.Schema.FieldIndices(path[0]); len(idx) > 0 {
			cols[i].Type = info.Schema.Field(idx[0]).Type.String()
		}
		encs[i] = map[string]bool{}
	}
	for g := 0; g < len(md.RowGroups); g++ {
		rg := md.RowGroup(g)
		info.Groups = append(info.Groups, GroupInfo{Rows: rg.NumRows(), Bytes: rg.TotalCompressedSize()})
		for i := 0; i < rg.NumColumns() && i < len(cols); i++ {
			cc, err := rg.ColumnChunk(i)
			if err != nil {
				return err
			}
			cols[i].Compression = strings.ToLower(cc.Compression().String())
			cols[i].Bytes += cc.TotalCompressedSize()
			for _, e := range cc.Encodings() {
				encs[i][e.String()] = true
			}
			if set, _ := cc.StatsSet(); !set {
				continue
			}
			st, err := cc.Statistics()
			if err != nil || st == nil {
				continue
			}
			if st.HasNullCount() {
				cols[i].Nulls += st.NullCount()
			}
			if st.HasMinMax() {
				lo, hi := statMinMax(st)
				if lo != nil && (mins[i] == nil || less(lo, mins[i])) {
					mins[i] = lo
				}
				if hi != nil && (maxs[i] == nil || less(maxs[i], hi)) {
					maxs[i] = hi
				}
			}
		}
	}
	for i := range cols {
		var names []string
		for e := range encs[i] {
			names = append(names, e)
		}
		sort.Strings(names)
		cols[i].Encodings = strings.Join(names, ",")
		cols[i].Min = formatStat(mins[i], cols[i].Type)
		cols[i].Max = formatStat(maxs[i], cols[i].Type)
	}
	info.Columns = cols
	return nil
}

func statMinMax(st metadata.TypedStatistics) (any, any) {
	switch s := st.(type) {
	case *metadata.Int32Statistics:
		return int64(s.Min()), int64(s.Max())
	case *metadata.Int64Statistics:
		return s.Min(), s.Max()
	case *metadata.Float64Statistics:
		return s.Min(), s.Max()
	case *metadata.Float32Statistics:
		return float64(s.Min()), float64(s.Max())
	case *metadata.ByteArrayStatistics:
		return string(s.Min()), string(s.Max())
	case *metadata.BooleanStatistics:
		return fmt.Sprint(s.Min()), fmt.Sprint(s.Max())
	}
	return nil, nil
}

func less(a, b any) bool {
	switch x := a.(type) {
	case int64:
		return x < b.(int64)
	case float64:
		return x < b.(float64)
	case string:
		return x < b.(string)
	}
	return false
}

// formatStat writes a statistic in the column's logical type.
func formatStat(v any, typ string) string {
	if v == nil {
		return ""
	}
	switch x := v.(type) {
	case int64:
		switch {
		case typ == "date32":
			return schema.Date(int32(x)).String()
		case strings.HasPrefix(typ, "timestamp[ms"):
			return time.UnixMilli(x).UTC().Format(time.RFC3339Nano)
		}
		return fmt.Sprint(x)
	case float64:
		return fmt.Sprint(x)
	case string:
		q := strconv.Quote(x)
		q = q[1 : len(q)-1] // escapes newlines and tabs that would break the table
		if r := []rune(q); len(r) > 32 {
			return string(r[:29]) + "..."
		}
		return q
	}
	return fmt.Sprint(v)
}

// inspectArrow reads an IPC file or stream through, counting rows, nulls
// and numeric ranges.
func inspectArrow(ctx context.Context, info *Info) error {
	rr, err := Open(ctx, info.Path, ReadOptions{AnySchema: true})
	if err != nil {
		return err
	}
	defer rr.Release()
	info.Schema = rr.Schema()
	md := info.Schema.Metadata()
	for i, k := range md.Keys() {
		info.Metadata[k] = md.Values()[i]
	}
	n := info.Schema.NumFields()
	cols := make([]ColumnInfo, n)
	mins := make([]any, n)
	maxs := make([]any, n)
	for i, f := range info.Schema.Fields() {
		cols[i].Name, cols[i].Type = f.Name, f.Type.String()
	}
	for rr.Next() {
		rec := rr.Record()
		info.Rows += rec.NumRows()
		info.Groups = append(info.Groups, GroupInfo{Rows: rec.NumRows(), Bytes: recordBytes(rec)})
		for i, c := range rec.Columns() {
			cols[i].Nulls += int64(c.NullN())
			lo, hi := arrayMinMax(c)
			if lo != nil && (mins[i] == nil || less(lo, mins[i])) {
				mins[i] = lo
			}
			if hi != nil && (maxs[i] == nil || less(maxs[i], hi)) {
				maxs[i] = hi
			}
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	for i := range cols {
		cols[i].Min = formatStat(mins[i], cols[i].Type)
		cols[i].Max = formatStat(maxs[i], cols[i].Type)
	}
	info.Columns = cols
	return nil
}

func arrayMinMax(a arrow.Array) (any, any) {
	var lo, hi any
	see := func(v any) {
		if lo == nil || less(v, lo) {
			lo = v
		}
		if hi == nil || less(hi, v) {
			hi = v
		}
	}
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			continue
		}
		switch c := a.(type) {
		case *array.Int16:
			see(int64(c.Value(i)))
		case *array.Int32:
			see(int64(c.Value(i)))
		case *array.Int64:
			see(c.Value(i))
		case *array.Date32:
			see(int64(c.Value(i)))
		case *array.Timestamp:
			see(int64(c.Value(i)))
		case *array.Float64:
			if !math.IsNaN(c.Value(i)) {
				see(c.Value(i))
			}
		case *array.String:
			see(c.Value(i))
		case *array.Dictionary:
			if d, ok := c.Dictionary().(*array.String); ok {
				see(d.Value(c.GetValueIndex(i)))
			}
		default:
			return nil, nil
		}
	}
	return lo, hi
}

// headRows returns the first n rows of path as JSON Lines.
func headRows(ctx context.Context, path string, n int) ([]string, error) {
	rr, err := Open(ctx, path, ReadOptions{AnySchema: true, BatchSize: min(n, 1<<16)}) // n may exceed the file: read no bigger batches than usual
	if err != nil {
		return nil, err
	}
	defer rr.Release()
	var buf bytes.Buffer
	s := newJSONLSink(&buf, rr.Schema())
	left := int64(n)
	for left > 0 && rr.Next() {
		rec := rr.Record()
		if rec.NumRows() > left {
			rec = rec.NewSlice(0, left)
			defer rec.Release()
		}
		if err := s.write(rec); err != nil {
			return nil, err
		}
		left -= rec.NumRows()
	}
	if err := rr.Err(); err != nil {
		return nil, err
	}
	s.finish(nil, nil)
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n"), nil
}

// WriteText writes the description as a readable report.
func (i *Info) WriteText(w io.Writer) error {
	var b bytes.Buffer
	groupName, one := "row groups", "row group"
	if i.Format != FormatParquet {
		groupName, one = "record batches", "batch"
	}
	fmt.Fprintf(&b, "file:     %s\nformat:   %s\nsize:     %d bytes\nrows:     %d\n%s: %d\n", i.Path, i.Format, i.Size, i.Rows, groupName, len(i.Groups))
	if i.CreatedBy != "" {
		fmt.Fprintf(&b, "created by: %s\n", i.CreatedBy)
	}
	if len(i.Groups) > 0 {
		fmt.Fprintln(&b)
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\trows\tbytes\t\n", one)
		for k, g := range i.Groups {
			if k == 20 && len(i.Groups) > 21 {
				fmt.Fprintf(tw, "...\t\t\t\n")
				g = i.Groups[len(i.Groups)-1]
				k = len(i.Groups) - 1
				fmt.Fprintf(tw, "%d\t%d\t%d\t\n", k, g.Rows, g.Bytes)
				break
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t\n", k, g.Rows, g.Bytes)
		}
		tw.Flush()
	}
	fmt.Fprintln(&b)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	if i.Format == FormatParquet {
		fmt.Fprintln(tw, "column\ttype\tnulls\tmin\tmax\tcompression\tencodings\tbytes")
		for _, c := range i.Columns {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", c.Name, c.Type, c.Nulls, c.Min, c.Max, c.Compression, c.Encodings, c.Bytes)
		}
	} else {
		fmt.Fprintln(tw, "column\ttype\tnulls\tmin\tmax")
		for _, c := range i.Columns {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", c.Name, c.Type, c.Nulls, c.Min, c.Max)
		}
	}
	tw.Flush()
	if len(i.Metadata) > 0 {
		fmt.Fprintln(&b, "\nmetadata:")
		var keys []string
		for k := range i.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s = %s\n", k, i.Metadata[k])
		}
	}
	if len(i.FirstRows) > 0 {
		fmt.Fprintf(&b, "\nfirst %d rows:\n", len(i.FirstRows))
		for _, r := range i.FirstRows {
			fmt.Fprintln(&b, r)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
