package schema

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// MarkdownTable returns the column table of SCHEMA.md, generated from
// Columns (the three-row groups injured_* and detained_* are written as one
// row each, as SCHEMA.md does).
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| column | Arrow type | null? | meaning |\n|---|---|---|---|\n")
	for i := 0; i < len(Columns); i++ {
		c := Columns[i]
		name := c.Name
		if i+2 < len(Columns) && (strings.HasPrefix(c.Name, "injured_") || strings.HasPrefix(c.Name, "detained_")) {
			name = c.Name + " / " + Columns[i+1].Name + " / " + Columns[i+2].Name
			i += 2
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, c.TypeName, nullText(c), c.Meaning)
	}
	return b.String()
}

func nullText(c Column) string {
	switch {
	case c.Nullable:
		return "yes"
	case c.Type.ID() == arrow.LIST:
		return "no (may be empty)"
	}
	return "no"
}

// Table returns the columns as aligned plain text for a terminal: name,
// Arrow type and whether nulls occur.
func Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %-20s %s\n", "COLUMN", "ARROW TYPE", "NULL?")
	for _, c := range Columns {
		fmt.Fprintf(&b, "%-22s %-20s %s\n", c.Name, c.TypeName, nullText(c))
	}
	return b.String()
}

// JSONSchema returns a JSON Schema (draft 2020-12) describing one row as
// written to JSON Lines: dates as ISO date strings, time_utc as an RFC 3339
// date-time, nulls where the column is nullable.
func JSONSchema() ([]byte, error) {
	props := make(map[string]any, len(Columns))
	required := make([]string, 0, len(Columns))
	for _, c := range Columns {
		p := jsonType(c)
		p["description"] = c.Meaning
		if c.Nullable {
			switch t := p["type"].(type) {
			case string:
				p["type"] = []string{t, "null"}
			}
			if e, ok := p["enum"].([]any); ok {
				p["enum"] = append(e, nil)
			}
		}
		props[c.Name] = p
		required = append(required, c.Name)
	}
	doc := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://github.com/incidentkit/incidents/schema/v" + Version,
		"title":                "incidents schema version " + Version + ": one incident",
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
	return json.MarshalIndent(doc, "", "  ")
}

func enumValues[T fmt.Stringer](vals []T) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v.String()
	}
	return out
}

func jsonType(c Column) map[string]any {
	switch c.Name {
	case "date_precision":
		return map[string]any{"type": "string", "enum": enumValues(DatePrecisions)}
	case "geo_precision":
		return map[string]any{"type": "string", "enum": enumValues(GeoPrecisions)}
	case "event_type":
		return map[string]any{"type": "string", "enum": enumValues(EventTypes)}
	case "violence_type":
		return map[string]any{"type": "string", "enum": enumValues(ViolenceTypes)}
	case "country_iso3":
		return map[string]any{"type": "string", "pattern": "^[A-Z]{3}$"}
	case "latitude":
		return map[string]any{"type": "number", "minimum": -90, "maximum": 90}
	case "longitude":
		return map[string]any{"type": "number", "minimum": -180, "maximum": 180}
	}
	switch c.Type.ID() {
	case arrow.DATE32:
		return map[string]any{"type": "string", "format": "date"}
	case arrow.TIMESTAMP:
		return map[string]any{"type": "string", "format": "date-time"}
	case arrow.INT16:
		return map[string]any{"type": "integer", "minimum": -32768, "maximum": 32767}
	case arrow.INT32:
		return map[string]any{"type": "integer", "minimum": 0, "maximum": 2147483647}
	case arrow.FLOAT64:
		return map[string]any{"type": "number"}
	case arrow.LIST:
		return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	}
	return map[string]any{"type": "string"}
}
