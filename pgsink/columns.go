package pgsink

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/jackc/pgx/v5"

	"github.com/incidentkit/incidents/schema"
)

// column is one column of the table: its PostgreSQL type as format_type
// spells it (what psql's \d shows), its constraints and its comment.
type column struct {
	name    string
	pgType  string // text, date, timestamp with time zone, smallint, integer, bigint, double precision, real, boolean, text[]
	notNull bool
	check   string // a CHECK expression, or ""
	comment string
	field   arrow.Field
}

// pgTypeOf maps an Arrow type onto the PostgreSQL type that holds every
// value of it.
func pgTypeOf(t arrow.DataType) (string, bool) {
	switch t := t.(type) {
	case *arrow.StringType, *arrow.LargeStringType:
		return "text", true
	case *arrow.DictionaryType:
		switch t.ValueType.(type) {
		case *arrow.StringType, *arrow.LargeStringType:
			return "text", true
		}
	case *arrow.Date32Type:
		return "date", true
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return "timestamp with time zone", true
		}
		return "timestamp without time zone", true
	case *arrow.BooleanType:
		return "boolean", true
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Uint8Type:
		return "smallint", true
	case *arrow.Int32Type, *arrow.Uint16Type:
		return "integer", true
	case *arrow.Int64Type, *arrow.Uint32Type:
		return "bigint", true
	case *arrow.Float32Type:
		return "real", true
	case *arrow.Float64Type:
		return "double precision", true
	case *arrow.ListType:
		switch t.Elem().(type) {
		case *arrow.StringType, *arrow.LargeStringType:
			return "text[]", true
		}
	case *arrow.LargeListType:
		switch t.Elem().(type) {
		case *arrow.StringType, *arrow.LargeStringType:
			return "text[]", true
		}
	}
	return "", false
}

// columnsOf derives the table's columns from the records' schema. A column
// of the incidents schema (same name and type) gets its NOT NULL, its CHECK
// (the enumerations' values, the ISO code's form, the coordinates' range)
// and its description as comment; any other column its Arrow nullability.
func columnsOf(sc *arrow.Schema) ([]column, error) {
	if sc.NumFields() == 0 {
		return nil, fmt.Errorf("pgsink: the records have no columns")
	}
	seen := map[string]bool{}
	cols := make([]column, 0, sc.NumFields())
	for _, f := range sc.Fields() {
		if seen[f.Name] {
			return nil, fmt.Errorf("pgsink: column %s given twice", f.Name)
		}
		seen[f.Name] = true
		if f.Name == "" || len(f.Name) > 63 || strings.ContainsRune(f.Name, 0) {
			return nil, fmt.Errorf("pgsink: column %q: a PostgreSQL name holds 1 to 63 bytes", f.Name)
		}
		pt, ok := pgTypeOf(f.Type)
		if !ok {
			return nil, fmt.Errorf("pgsink: column %s: no PostgreSQL type for Arrow %s", f.Name, f.Type)
		}
		c := column{name: f.Name, pgType: pt, notNull: !f.Nullable, field: f}
		if i := schema.ColumnIndex(f.Name); i >= 0 {
			sc := schema.Columns[i]
			if st, _ := pgTypeOf(sc.Type); st == pt {
				c.notNull = !sc.Nullable
				c.comment = sc.Meaning
				c.check = checkOf(sc.Name)
			}
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// checkOf is the CHECK constraint of an incidents column, or "".
func checkOf(name string) string {
	q := pgx.Identifier{name}.Sanitize()
	in := func(vals []string) string {
		lits := make([]string, len(vals))
		for i, v := range vals {
			lits[i] = quoteLiteral(v)
		}
		return q + " IN (" + strings.Join(lits, ", ") + ")"
	}
	switch name {
	case "date_precision":
		return in(names(schema.DatePrecisions))
	case "geo_precision":
		return in(names(schema.GeoPrecisions))
	case "event_type":
		return in(names(schema.EventTypes))
	case "violence_type":
		return in(names(schema.ViolenceTypes))
	case "country_iso3":
		return q + " ~ '^[A-Z]{3}$'"
	case "latitude":
		return q + " BETWEEN -90 AND 90"
	case "longitude":
		return q + " BETWEEN -180 AND 180"
	}
	return ""
}

func names[T fmt.Stringer](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.String()
	}
	return out
}

// quoteLiteral quotes s as an SQL string literal. Doubling the quote is
// enough under standard_conforming_strings (on since PostgreSQL 9.1); a
// backslash makes it an escape string (E-prefixed) that reads the same either way.
func quoteLiteral(s string) string {
	if strings.ContainsRune(s, '\\') {
		return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// createSQL is the CREATE TABLE statement; key (may be empty) is the
// primary key.
func createSQL(name pgx.Identifier, pkeyName string, cols []column, key []string) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + name.Sanitize() + " (\n")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("  " + pgx.Identifier{c.name}.Sanitize() + " " + c.pgType)
		if c.notNull {
			b.WriteString(" NOT NULL")
		}
		if c.check != "" {
			b.WriteString(" CHECK (" + c.check + ")")
		}
	}
	if len(key) > 0 {
		qk := make([]string, len(key))
		for i, k := range key {
			qk[i] = pgx.Identifier{k}.Sanitize()
		}
		b.WriteString(",\n  CONSTRAINT " + pgx.Identifier{pkeyName}.Sanitize() + " PRIMARY KEY (" + strings.Join(qk, ", ") + ")")
	}
	b.WriteString("\n)")
	return b.String()
}

// commentSQL are the COMMENT ON COLUMN statements of the columns that have
// a description.
func commentSQL(name pgx.Identifier, cols []column) []string {
	var out []string
	for _, c := range cols {
		if c.comment != "" {
			out = append(out, "COMMENT ON COLUMN "+name.Sanitize()+"."+pgx.Identifier{c.name}.Sanitize()+" IS "+quoteLiteral(c.comment))
		}
	}
	return out
}
