package panel

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/schema"
)

// TextWriter writes panel records as aligned text ("table"), a Markdown
// table ("markdown") or a JSON array of objects ("json"), the text formats
// of `incidents stats`, one record at a time. Column widths of a table are
// set by its header and first record.
type TextWriter struct {
	w      *bufio.Writer
	format string
	sc     *arrow.Schema
	width  []int
	rows   int
}

// NewTextWriter returns a writer of the given format for records of sc.
func NewTextWriter(w io.Writer, format string, sc *arrow.Schema) (*TextWriter, error) {
	switch format {
	case "table", "markdown", "json":
	default:
		return nil, fmt.Errorf("panel: unknown text format %q (table, markdown, json)", format)
	}
	return &TextWriter{w: bufio.NewWriter(w), format: format, sc: sc}, nil
}

// cell renders row i of a: null as "-" (table, Markdown, as stats writes
// them) or JSON null.
func cell(a arrow.Array, i int, jsonMode bool) string {
	if a.IsNull(i) {
		if jsonMode {
			return "null"
		}
		return "-"
	}
	switch c := a.(type) {
	case *array.String:
		if jsonMode {
			b, _ := json.Marshal(c.Value(i))
			return string(b)
		}
		return c.Value(i)
	case *array.Int32:
		return strconv.FormatInt(int64(c.Value(i)), 10)
	case *array.Int64:
		return strconv.FormatInt(c.Value(i), 10)
	case *array.Float64:
		return strconv.FormatFloat(c.Value(i), 'f', -1, 64)
	case *array.Boolean:
		return strconv.FormatBool(c.Value(i))
	case *array.Date32:
		s := schema.Date(c.Value(i)).String()
		if jsonMode {
			return `"` + s + `"`
		}
		return s
	}
	return a.ValueStr(i)
}

// Write writes one record.
func (t *TextWriter) Write(rec arrow.Record) error {
	n := int(rec.NumRows())
	cols := rec.Columns()
	switch t.format {
	case "json":
		for i := 0; i < n; i++ {
			if t.rows == 0 {
				t.w.WriteString("[\n  {")
			} else {
				t.w.WriteString(",\n  {")
			}
			for j, c := range cols {
				if j > 0 {
					t.w.WriteString(", ")
				}
				k, _ := json.Marshal(t.sc.Field(j).Name)
				t.w.Write(k)
				t.w.WriteString(": ")
				t.w.WriteString(cell(c, i, true))
			}
			t.w.WriteString("}")
			t.rows++
		}
		return nil
	}
	if t.width == nil {
		t.width = make([]int, len(cols))
		for j := range cols {
			t.width[j] = len(t.sc.Field(j).Name)
			for i := 0; i < n; i++ {
				t.width[j] = max(t.width[j], len(cell(cols[j], i, false)))
			}
		}
		t.line(func(j int) string { return t.sc.Field(j).Name })
		if t.format == "markdown" {
			t.line(func(j int) string { return strings.Repeat("-", max(3, t.width[j])) })
		}
	}
	for i := 0; i < n; i++ {
		t.line(func(j int) string { return cell(cols[j], i, false) })
		t.rows++
	}
	return nil
}

func (t *TextWriter) line(val func(j int) string) {
	md := t.format == "markdown"
	if md {
		t.w.WriteString("| ")
	}
	for j := range t.width {
		if j > 0 {
			if md {
				t.w.WriteString(" | ")
			} else {
				t.w.WriteString("  ")
			}
		}
		s := val(j)
		numeric := t.sc.Field(j).Type.ID() != arrow.STRING
		pad := strings.Repeat(" ", max(0, t.width[j]-len(s)))
		if numeric {
			t.w.WriteString(pad + s)
		} else if md || j < len(t.width)-1 {
			t.w.WriteString(s + pad)
		} else {
			t.w.WriteString(s)
		}
	}
	if md {
		t.w.WriteString(" |")
	}
	t.w.WriteString("\n")
}

// Close ends the output (the JSON array's bracket) and flushes it.
func (t *TextWriter) Close() error {
	if t.format == "json" {
		if t.rows == 0 {
			t.w.WriteString("[")
		}
		t.w.WriteString("\n]\n")
	} else if t.width == nil {
		t.width = make([]int, t.sc.NumFields())
		for j := range t.width {
			t.width[j] = len(t.sc.Field(j).Name)
		}
		t.line(func(j int) string { return t.sc.Field(j).Name })
	}
	return t.w.Flush()
}
