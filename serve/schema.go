package serve

import (
	"encoding/json"
	"net/http"
	"os"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// schemaDoc is the body of /api/schema.
type schemaDoc struct {
	SchemaVersion string            `json:"schema_version"`
	Datasets      []datasetDoc      `json:"datasets"`
	Columns       []columnDoc       `json:"columns"`
	EventTypes    []labelDoc        `json:"event_types"`
	JSONSchema    json.RawMessage   `json:"json_schema"`
	Endpoints     map[string]string `json:"endpoints"`
	MaxRows       int               `json:"max_rows"`
}

type datasetDoc struct {
	Name     string `json:"name"`
	Format   string `json:"format"`
	Modified string `json:"modified,omitempty"`
}

type columnDoc struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Nullable    bool   `json:"nullable"`
	Description string `json:"description"`
}

type labelDoc struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// handleSchema is GET /api/schema: the columns (name, Arrow type,
// nullable, meaning), the event types in words, the JSON Schema of a row
// of /api/incidents, and the datasets served (by name only).
func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) error {
	if _, err := newQuery(r.URL); err != nil {
		return err
	}
	sn, err := s.snapshot()
	if err != nil {
		return err
	}
	if conditional(w, r, sn) {
		return nil
	}
	js, err := schema.JSONSchema()
	if err != nil {
		return err
	}
	doc := schemaDoc{SchemaVersion: schema.Version, JSONSchema: js, MaxRows: s.opts.MaxRows,
		Endpoints: map[string]string{
			"/api/stats":     "incidents stats as JSON (by, period, where, top, series, tail, bootstrap, seed, stats, format=json|csv|arrow|parquet)",
			"/api/incidents": "rows (where, columns, limit, offset, format=json|csv|arrow|parquet)",
			"/api/series":    "counts per period and group with an RFC 3339 time (by, period, where, top, format)",
			"/api/schema":    "this document",
			"/healthz":       "liveness: the datasets are there",
		}}
	for _, d := range s.datasets {
		dd := datasetDoc{Name: d.name, Format: d.format}
		if t, err := modTime(d.path); err == nil {
			dd.Modified = t.UTC().Format(time.RFC3339)
		}
		doc.Datasets = append(doc.Datasets, dd)
	}
	for _, c := range schema.Columns {
		doc.Columns = append(doc.Columns, columnDoc{Name: c.Name, Type: c.TypeName, Nullable: c.Nullable, Description: c.Meaning})
	}
	for _, t := range schema.EventTypes {
		doc.EventTypes = append(doc.EventTypes, labelDoc{Value: t.String(), Label: t.Label()})
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// handleHealth is GET /healthz: 200 {"status":"ok"} while every dataset is
// on disk, 503 with the envelope when one is gone. It is never cached.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if _, err := newQuery(r.URL); err != nil {
		return err
	}
	if _, err := s.snapshot(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte(`{"status":"ok"}` + "\n"))
	return err
}

func modTime(p string) (time.Time, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return time.Time{}, err
	}
	return fi.ModTime(), nil
}
