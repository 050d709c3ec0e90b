package stats

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// DefaultTableWidth is the width WriteTable packs its sections into: a
// terminal's when nothing better is known.
const DefaultTableWidth = 80

// minTableWidth keeps a silly width from giving one column per section
// where any terminal has room for a few.
const minTableWidth = 40

// IsGroup reports whether c is a group (--by) column.
func (c Column) IsGroup() bool { return strings.HasPrefix(c.Meaning, "group: ") }

// human renders v for the table and Markdown: thousands separators,
// shares as percentages, p-values to three significant digits, other
// decimals to two places; nulls as "-". A group column is a label, never
// a quantity: the year 1991 prints as 1991, not 1,991.
func (c Column) human(v Value) string {
	if v.Null {
		return "-"
	}
	if c.IsGroup() {
		switch c.Kind {
		case KindInt:
			return strconv.FormatInt(v.Int, 10)
		case KindFloat:
			return strconv.FormatFloat(v.Num, 'g', -1, 64)
		}
		return v.Str
	}
	switch c.Kind {
	case KindInt:
		return groupThousands(strconv.FormatInt(v.Int, 10))
	case KindFloat:
		switch {
		case strings.HasSuffix(c.Name, "_share"):
			return strconv.FormatFloat(100*v.Num, 'f', 1, 64) + "%"
		case strings.HasSuffix(c.Name, "_p") || c.Name == "tail_ks":
			return strconv.FormatFloat(v.Num, 'g', 3, 64)
		case math.Abs(v.Num) >= 1e15:
			return strconv.FormatFloat(v.Num, 'g', 6, 64)
		}
		s := strconv.FormatFloat(v.Num, 'f', 2, 64)
		if s == "-0.00" {
			s = "0.00"
		}
		return groupThousands(s)
	}
	return v.Str
}

// groupThousands puts commas between the thousands of a decimal number.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i:]
	}
	if len(s) <= 3 {
		return sign + s + frac
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return sign + b.String() + frac
}

func (r *Result) groupCount() int {
	n := 0
	for _, c := range r.Columns {
		if c.IsGroup() {
			n++
		}
	}
	return n
}

// keyCount is the number of leading columns that name a row rather than
// measure it: the group columns, and the period of a series.
func (r *Result) keyCount() int {
	nk := r.groupCount()
	if j := r.ColumnIndex("period"); j == nk {
		nk++
	}
	return nk
}

// Statistics lists the names of the result's statistic columns (all but
// the group columns and a series' period), in column order.
func (r *Result) Statistics() []string {
	var names []string
	for _, c := range r.Columns[r.keyCount():] {
		names = append(names, c.Name)
	}
	return names
}

// compactStatistics is what a table shows unless told otherwise: how
// many incidents, how deadly, and how much of the toll is unknown; with
// a period the rate and its trend, with a tail fit its exponent.
var compactStatistics = []string{
	"events", "fatalities_best_sum", "fatalities_mean", "fatalities_median", "fatalities_max",
	"fatalities_null_share",
	"events_per_period", "dispersion", "trend_slope", "trend_p",
	"tail_xmin", "tail_alpha", "tail_p",
}

// Compact returns the result cut to the statistics a person reads first
// (events; fatalities best sum, mean, median and max; the share of
// unknown fatalities; with a period events_per_period, dispersion and the
// trend; with a tail fit tail_xmin, tail_alpha and tail_p), the key
// columns kept. A series, already a handful of columns, is returned
// whole. The rows share their values with r.
func (r *Result) Compact() *Result {
	if r.ColumnIndex("period") == r.groupCount() {
		return r
	}
	var names []string
	for _, name := range compactStatistics {
		if r.ColumnIndex(name) >= 0 {
			names = append(names, name)
		}
	}
	c, err := r.Select(names)
	if err != nil {
		panic("stats: compact statistics: " + err.Error())
	}
	return c
}

// Select returns the key columns (group columns, a series' period) and
// the named statistics in the order given. A name that is not one of
// r.Statistics(), or is given twice, is an error naming it.
func (r *Result) Select(names []string) (*Result, error) {
	nk := r.keyCount()
	idx := make([]int, 0, nk+len(names))
	for j := 0; j < nk; j++ {
		idx = append(idx, j)
	}
	seen := map[string]bool{}
	for _, name := range names {
		j := r.ColumnIndex(name)
		if j < nk {
			return nil, fmt.Errorf("stats: unknown statistic %q; the statistics are %s", name, strings.Join(r.Statistics(), ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("stats: statistic %q named twice", name)
		}
		seen[name] = true
		idx = append(idx, j)
	}
	out := &Result{Columns: make([]Column, len(idx)), Rows: make([][]Value, len(r.Rows))}
	for k, j := range idx {
		out.Columns[k] = r.Columns[j]
	}
	for i, row := range r.Rows {
		out.Rows[i] = make([]Value, len(idx))
		for k, j := range idx {
			out.Rows[i][k] = row[j]
		}
	}
	return out, nil
}

// cells renders the whole table for humans and measures each column.
func (r *Result) cells() ([][]string, []int) {
	width := make([]int, len(r.Columns))
	out := make([][]string, len(r.Rows))
	for j, c := range r.Columns {
		width[j] = len(c.Name)
	}
	for i, row := range r.Rows {
		out[i] = make([]string, len(row))
		for j, v := range row {
			s := r.Columns[j].human(v)
			out[i][j] = s
			width[j] = max(width[j], len([]rune(s)))
		}
	}
	return out, width
}

// sections packs the statistic columns into tables no wider than
// tableWidth, each repeating the group columns (and the period of a
// series) on the left.
func (r *Result) sections(width []int, tableWidth int) (keys []int, parts [][]int) {
	nk := r.keyCount()
	base := 0
	for j := 0; j < nk; j++ {
		keys = append(keys, j)
		base += width[j] + 2
	}
	var cur []int
	w := base
	for j := nk; j < len(r.Columns); j++ {
		if len(cur) > 0 && w+width[j] > tableWidth {
			parts = append(parts, cur)
			cur, w = nil, base
		}
		cur = append(cur, j)
		w += width[j] + 2
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	return keys, parts
}

// WriteTable writes the result as a table DefaultTableWidth (80) columns
// wide; see WriteTableWidth.
func (r *Result) WriteTable(w io.Writer) error {
	return r.WriteTableWidth(w, DefaultTableWidth)
}

// WriteTableWidth writes the result as aligned text with thousands
// separators, split into sections no wider than columns (a terminal's
// width; at least 40) where the group columns leave room, each section
// repeating the group columns. Text is left-aligned, numbers
// right-aligned, "-" marks a null. A single ungrouped row is written as a
// list of column name and value. Use Compact or Select first to show
// fewer statistics.
func (r *Result) WriteTableWidth(w io.Writer, columns int) error {
	tableWidth := max(columns, minTableWidth)
	bw := bufio.NewWriter(w)
	cells, width := r.cells()
	if len(r.Rows) == 1 && r.groupCount() == 0 && r.ColumnIndex("period") < 0 {
		// one ungrouped row reads best as a list of statistic and value
		nameW, valW := len("statistic"), len("value")
		for j, c := range r.Columns {
			nameW, valW = max(nameW, len(c.Name)), max(valW, len([]rune(cells[0][j])))
		}
		fmt.Fprintf(bw, "%-*s  %*s\n", nameW, "statistic", valW, "value")
		for j, c := range r.Columns {
			fmt.Fprintf(bw, "%-*s  %*s\n", nameW, c.Name, valW, cells[0][j])
		}
		return bw.Flush()
	}
	keys, parts := r.sections(width, tableWidth)
	for pi, part := range parts {
		if pi > 0 {
			bw.WriteByte('\n')
		}
		cols := append(append([]int(nil), keys...), part...)
		line := func(get func(j int) string) {
			var b strings.Builder
			for n, j := range cols {
				s := get(j)
				pad := strings.Repeat(" ", width[j]-len([]rune(s)))
				if n > 0 {
					b.WriteString("  ")
				}
				if r.Columns[j].Kind == KindString {
					b.WriteString(s + pad)
				} else {
					b.WriteString(pad + s)
				}
			}
			bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
		}
		line(func(j int) string { return r.Columns[j].Name })
		for i := range cells {
			line(func(j int) string { return cells[i][j] })
		}
	}
	if len(r.Rows) == 0 {
		bw.WriteString("(no incidents)\n")
	}
	return bw.Flush()
}

// WriteMarkdown writes the result as one GitHub Markdown table with the
// table's human formatting.
func (r *Result) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cells, _ := r.cells()
	bw.WriteString("|")
	for _, c := range r.Columns {
		bw.WriteString(" " + c.Name + " |")
	}
	bw.WriteString("\n|")
	for _, c := range r.Columns {
		if c.Kind == KindString {
			bw.WriteString("---|")
		} else {
			bw.WriteString("--:|")
		}
	}
	bw.WriteString("\n")
	for _, row := range cells {
		bw.WriteString("|")
		for _, s := range row {
			bw.WriteString(" " + strings.ReplaceAll(s, "|", `\|`) + " |")
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// WriteCSV writes a header of the column names and a row per group; a null
// is an empty field, floats are written in full precision.
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(r.Columns))
	for j, c := range r.Columns {
		rec[j] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	for _, row := range r.Rows {
		for j, v := range row {
			rec[j] = v.text(r.Columns[j].Kind)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return nil
}

// WriteJSON writes an array of objects, one per row, with the keys in
// column order; a null is JSON null.
func (r *Result) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for i, row := range r.Rows {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  {")
		for j, v := range row {
			if j > 0 {
				bw.WriteString(", ")
			}
			k, _ := json.Marshal(r.Columns[j].Name)
			bw.Write(k)
			bw.WriteString(": ")
			switch {
			case v.Null:
				bw.WriteString("null")
			case r.Columns[j].Kind == KindString:
				s, _ := json.Marshal(v.Str)
				bw.Write(s)
			default:
				bw.WriteString(v.text(r.Columns[j].Kind))
			}
		}
		bw.WriteString("}")
	}
	if len(r.Rows) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// ArrowSchema is the schema of Record: utf8, int64 and float64 columns,
// all nullable, named as in every other format.
func (r *Result) ArrowSchema() *arrow.Schema {
	fields := make([]arrow.Field, len(r.Columns))
	for j, c := range r.Columns {
		t := arrow.DataType(arrow.BinaryTypes.String)
		switch c.Kind {
		case KindInt:
			t = arrow.PrimitiveTypes.Int64
		case KindFloat:
			t = arrow.PrimitiveTypes.Float64
		}
		md := arrow.NewMetadata([]string{"description"}, []string{c.Meaning})
		fields[j] = arrow.Field{Name: c.Name, Type: t, Nullable: true, Metadata: md}
	}
	return arrow.NewSchema(fields, nil)
}

// Record returns the result as one Arrow record for Parquet or Arrow
// output. The caller must Release it.
func (r *Result) Record(mem memory.Allocator) arrow.Record {
	b := array.NewRecordBuilder(mem, r.ArrowSchema())
	defer b.Release()
	b.Reserve(len(r.Rows))
	for _, row := range r.Rows {
		for j, v := range row {
			switch fb := b.Field(j).(type) {
			case *array.StringBuilder:
				if v.Null {
					fb.AppendNull()
				} else {
					fb.Append(v.Str)
				}
			case *array.Int64Builder:
				if v.Null {
					fb.AppendNull()
				} else {
					fb.Append(v.Int)
				}
			case *array.Float64Builder:
				if v.Null {
					fb.AppendNull()
				} else {
					fb.Append(v.Num)
				}
			}
		}
	}
	return b.NewRecord()
}
