package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/incidentkit/incidents/ingest/source"
)

// Mapping is a user's column mapping for a layout no profile fits, read from
// YAML:
//
//	dataset: my-monitor          # source_dataset and incident_id prefix (required)
//	columns:                     # their column -> ours
//	  EventID: source_id         # incident_id = "my-monitor:" + source_id (else the line number)
//	  Day: date
//	  Deaths: killed
//	  Place: location
//
// Targets are the reports-layout columns (see the reports profile) plus
// source_id, killed_unknown, assoc_actors and sources, and year, month and
// day for a date split over columns (GTD-derived files: iyear, imonth,
// iday):
//
//	columns: {iyear: year, imonth: month, iday: day}
//
// A month or day of 0 or blank is unknown, as the GTD codes it: day 0 gives
// the whole month (month precision), month 0 the whole year; a day in an
// unknown month is a reject. year is required with month or day, and a
// mapping names either date or year/month/day. One row is one incident;
// columns not mapped are listed as unused.
type Mapping struct {
	Dataset string            `yaml:"dataset"`
	Columns map[string]string `yaml:"columns"`
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: mapping: %w", err)
	}
	return ParseMapping(bytes.NewReader(b), path)
}

// ParseMapping reads a mapping from r; name is used in errors.
func ParseMapping(r io.Reader, name string) (*Mapping, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("ingest: mapping %s: %w: %w", name, ErrBadMapping, err)
	}
	if m.Dataset == "" || strings.ContainsAny(m.Dataset, ": \t") {
		return nil, fmt.Errorf("ingest: mapping %s: %w: dataset must be a name without spaces or colons", name, ErrBadMapping)
	}
	targets := map[string]bool{}
	for _, c := range reportColumns {
		targets[c] = true
	}
	for _, c := range mappingOnlyColumns {
		targets[c] = true
	}
	delete(targets, "incident")
	seen := map[string]string{}
	for from, to := range m.Columns {
		if !targets[to] {
			return nil, fmt.Errorf("ingest: mapping %s: %w: column %q maps to %q, which is not one of %s", name, ErrBadMapping, from, to,
				strings.Join(sortedKeys(targets), ", "))
		}
		if prev, dup := seen[to]; dup {
			return nil, fmt.Errorf("ingest: mapping %s: %w: columns %q and %q both map to %q", name, ErrBadMapping, prev, from, to)
		}
		seen[to] = from
	}
	if seen["date"] != "" && seen["year"] != "" {
		return nil, fmt.Errorf("ingest: mapping %s: %w: both a date (%q) and a year (%q): map one or the other", name, ErrBadMapping, seen["date"], seen["year"])
	}
	for _, part := range []string{"month", "day"} {
		if seen[part] != "" && seen["year"] == "" {
			return nil, fmt.Errorf("ingest: mapping %s: %w: %q maps to %s but no column maps to year", name, ErrBadMapping, seen[part], part)
		}
	}
	if seen["day"] != "" && seen["month"] == "" {
		return nil, fmt.Errorf("ingest: mapping %s: %w: %q maps to day but no column maps to month", name, ErrBadMapping, seen["day"])
	}
	if len(m.Columns) == 0 {
		return nil, fmt.Errorf("ingest: mapping %s: %w: no columns", name, ErrBadMapping)
	}
	return &m, nil
}

// Profile returns the layout the mapping describes: one row is one incident,
// read as a report of the mapped columns.
func (m *Mapping) Profile() Profile { return mappingProfile{m} }

type mappingProfile struct{ m *Mapping }

func (p mappingProfile) Name() string { return "mapping:" + p.m.Dataset }

// Detect: a mapping is chosen, never detected.
func (mappingProfile) Detect() Detection { return Detection{} }

// Columns lists the mapped columns as written.
func (p mappingProfile) Columns() []string { return sortedKeys(p.m.Columns) }

// unused lists the header's columns the mapping does not name (exactly).
func (p mappingProfile) unused(names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := p.m.Columns[n]; !ok && n != "" {
			out = append(out, n)
		}
	}
	return out
}

// InputColumn names the user's column mapped to the reports-layout column
// the schema column is read from.
func (p mappingProfile) InputColumn(schemaColumn string) string {
	ours := reports{}.InputColumn(schemaColumn)
	for from, to := range p.m.Columns {
		if to == ours && ours != "" {
			return from
		}
	}
	return ""
}

func (p mappingProfile) Bind(h *Header, opts *Options) (Converter, error) {
	rp, _, err := newReportParser(NewHeader(p.m.rename(h.Names)), opts, true, true)
	if err != nil {
		return nil, err
	}
	return &singleReport{p: rp, m: p.m}, nil
}

// userColumn names the user's column in a row error, where the parser
// named ours (killed for a Dead column), as validation rejects already do.
func (m *Mapping) userColumn(err error) {
	var e *source.Error
	if !errors.As(err, &e) || e.Field == "" {
		return
	}
	for from, to := range m.Columns {
		if to == e.Field {
			e.Field = from
			return
		}
	}
}

// rename returns the header with mapped columns renamed to ours; others are
// prefixed so they cannot collide with our names.
func (m *Mapping) rename(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if to, ok := m.Columns[n]; ok {
			out[i] = to
		} else {
			out[i] = "\x00" + n
		}
	}
	return out
}
