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

// tableWidth is the terminal width WriteTable packs its sections into.
const tableWidth = 80

// human renders v for the table and Markdown: thousands separators,
// shares as percentages, p-values to three significant digits, other
// decimals to two places; nulls as "-".
func (c Column) human(v Value) string {
	if v.Null {
		return "-"
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
		if strings.HasPrefix(c.Meaning, "group: ") {
			n++
		}
	}
	return n
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
func (r *Result) sections(width []int) (keys []int, parts [][]int) {
	nk := r.groupCount()
	if j := r.ColumnIndex("period"); j == nk {
		nk++
	}
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

// WriteTable writes the result as aligned text with thousands separators,
// split into sections that fit an 80-column terminal where the group
// columns leave room. Text is left-aligned, numbers right-aligned, "-"
// marks a null. A single ungrouped row is written as a list of column
// name and value.
func (r *Result) WriteTable(w io.Writer) error {
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
	keys, parts := r.sections(width)
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
