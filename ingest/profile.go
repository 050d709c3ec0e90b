package ingest

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/schema"
)

// Profile names.
const (
	ProfileAuto    = "auto"
	ProfileReports = "reports"
	ProfileACLED   = "acled"
	ProfileUCDP    = "ucdp-ged"
	ProfileGTD     = "gtd"
)

// Profiles lists the built-in profiles in detection order.
var Profiles = []string{ProfileACLED, ProfileUCDP, ProfileGTD, ProfileReports}

// header indexes an input's column names case-insensitively.
type header struct {
	names []string
	index map[string]int
}

func newHeader(names []string) *header {
	h := &header{names: names, index: make(map[string]int, len(names))}
	for i, n := range names {
		k := strings.ToLower(n)
		if _, dup := h.index[k]; !dup {
			h.index[k] = i
		}
	}
	return h
}

// col returns the index of the named column, -1 when absent.
func (h *header) col(name string) int {
	if i, ok := h.index[name]; ok {
		return i
	}
	return -1
}

func (h *header) has(names ...string) bool {
	for _, n := range names {
		if h.col(n) < 0 {
			return false
		}
	}
	return true
}

// signatures: the columns whose presence identifies each profile.
var signatures = map[string][]string{
	ProfileACLED:   {"event_id_cnty", "event_date", "event_type", "sub_event_type", "fatalities"},
	ProfileUCDP:    {"id", "type_of_violence", "side_a", "side_b", "date_start", "date_end", "best"},
	ProfileGTD:     {"eventid", "iyear", "imonth", "iday", "country_txt"},
	ProfileReports: {"incident", "source"},
}

// DetectProfile names the built-in profile whose signature columns the
// header has, checked in the order of Profiles. A header none fits is an
// error listing what each profile expects.
func DetectProfile(names []string) (string, error) {
	h := newHeader(names)
	for _, p := range Profiles {
		if h.has(signatures[p]...) {
			return p, nil
		}
	}
	var want []string
	for _, p := range Profiles {
		want = append(want, fmt.Sprintf("%s (%s)", p, strings.Join(signatures[p], ", ")))
	}
	return "", fmt.Errorf("ingest: no profile fits the columns %s; expected one of: %s; or give --mapping",
		strings.Join(names, ", "), strings.Join(want, "; "))
}

// rowCtx is one input row being normalized.
type rowCtx struct {
	file   string
	line   int64
	fields []string
	xlsx   bool
	warn   func(string)
}

// get returns the trimmed field i, "" when the column is absent.
func (r *rowCtx) get(i int) string {
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// fail builds the reject of field i (named name) with cause err.
func (r *rowCtx) fail(i int, name string, err error) *RowError {
	return &RowError{File: r.file, Line: r.line, Column: i + 1, Field: name, Text: r.get(i), Err: err}
}

// converter normalizes one dataset row into an incident. Each worker has its
// own (converters may cache).
type converter interface {
	convert(r *rowCtx, in *schema.Incident) error
}

// binder makes a converter for a header; used lists the columns it reads.
type binder struct {
	used []string
	bind func(h *header, opts *Options) (converter, error)
}

// unusedColumns lists the header's columns that are not in used, in header
// order.
func unusedColumns(names, used []string) []string {
	u := make(map[string]bool, len(used))
	for _, n := range used {
		u[n] = true
	}
	var out []string
	for _, n := range names {
		if !u[strings.ToLower(n)] && n != "" {
			out = append(out, n)
		}
	}
	return out
}

// parseInt reads an integer field; "" is ok=false.
func parseInt(r *rowCtx, i int, name string) (n int, ok bool, err error) {
	s := r.get(i)
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64) // xlsx and pandas write 3.0
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return 0, false, r.fail(i, name, fmt.Errorf("%w: %q is not an integer", ErrBadNumber, s))
		}
		n = int(f)
	}
	return n, true, nil
}

// parseCount reads a count: a plain non-negative integer fast, else a
// casualty phrase.
func parseCount(r *rowCtx, i int, name string) (schema.Estimate, error) {
	s := r.get(i)
	if s == "" {
		return schema.Estimate{}, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= math.MaxInt32 {
		return schema.Exact(int32(n)), nil
	}
	e, err := ParseCasualty(s)
	if err != nil {
		return e, r.fail(i, name, err)
	}
	return e, nil
}

// parseCoord reads a latitude or longitude; "" is null. Range is checked by
// validation.
func parseCoord(r *rowCtx, i int, name string) (schema.NullFloat64, error) {
	s := r.get(i)
	if s == "" {
		return schema.NullFloat64{}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return schema.NullFloat64{}, r.fail(i, name, fmt.Errorf("%w: %q is not a coordinate", ErrBadNumber, s))
	}
	return schema.Float64(f), nil
}

// parseDateField reads a date cell: an Excel serial number in xlsx inputs,
// else free text.
func parseDateField(r *rowCtx, i int, name string, order DateOrder) (start, end schema.Date, prec schema.DatePrecision, err error) {
	s := r.get(i)
	if s == "" {
		return 0, 0, 0, r.fail(i, name, fmt.Errorf("%w: date", ErrRequired))
	}
	if r.xlsx {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil {
			d, derr := ExcelSerialDate(f)
			if derr != nil {
				return 0, 0, 0, r.fail(i, name, derr)
			}
			return d, d, schema.DateDay, nil
		}
	}
	start, end, prec, err = ParseDate(s, order)
	if err != nil {
		return 0, 0, 0, r.fail(i, name, err)
	}
	return start, end, prec, nil
}

// splitList splits "a; b;c" into trimmed non-empty distinct parts.
func splitList(s string, canon func(string) string) []string {
	if s == "" {
		return nil
	}
	out := appendList(make([]string, 0, strings.Count(s, ";")+1), s, canon)
	if len(out) == 0 {
		return nil
	}
	return out
}

// appendList appends the parts of s to out (reused by the dataset
// converters: the Arrow builder copies the strings before the next row).
func appendList(out []string, s string, canon func(string) string) []string {
	out = out[:0]
	for s != "" {
		p := s
		if i := strings.IndexByte(s, ';'); i >= 0 {
			p, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		p = strings.TrimSpace(p)
		if canon != nil {
			p = canon(p)
		}
		if p == "" {
			continue
		}
		dup := false
		for _, q := range out {
			if q == p {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setCountry resolves a country into in; a sea or ocean keeps its name in
// location.
func setCountry(in *schema.Incident, c Country, text string) {
	in.CountryISO3, in.Country = c.ISO3, c.Name
	if c.ISO3 == schema.UnknownCountryISO3 && text != "" {
		if in.Location == "" {
			in.Location = text
		} else if !strings.Contains(in.Location, text) {
			in.Location = in.Location + ", " + text
		}
	}
}

var errNoCountry = errors.New("ingest: country missing")
