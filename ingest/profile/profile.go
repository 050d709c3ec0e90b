// Package profile holds the input layouts ingest reads: each is a mapping
// table from a source's columns to the schema's, in one file named for the
// layout (acled.go, ucdp.go, gtd.go, reports.go) that registers itself with
// Register, the way a Miller verb does. A user's YAML mapping (Mapping) is a
// profile too, built at run time instead of registered.
//
// A profile reads rows a source.Source yields and the values in them with
// the parsers of package value; it knows nothing of the pipeline that feeds
// it rows (package ingest).
package profile

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// Causes of what a layout cannot read (besides the value parsers' and
// schema.ErrRequired for a required value missing), for errors.Is. Bare, as
// encoding/csv's: the source.Error that carries them adds the prefix.
var (
	ErrBadNumber      = errors.New("unreadable number")
	ErrUnknownValue   = errors.New("value outside the source's code list")
	ErrNoProfile      = errors.New("no profile fits the columns")
	ErrMissingColumns = errors.New("columns missing")
	ErrUnknownColumns = errors.New("unknown columns")
	ErrBadMapping     = errors.New("bad mapping")
	ErrUnknownProfile = errors.New("unknown profile")
)

// Profile is one input layout.
type Profile interface {
	// Name names the layout (--profile, the summary). Dataset layouts
	// also use it as source_dataset and incident_id prefix.
	Name() string
	// Detect says how to recognize the layout from a header.
	Detect() Detection
	// Columns lists the input columns the layout reads, lower case; the
	// summary lists the others as unused.
	Columns() []string
	// Bind makes a converter of rows under the header h. Each worker binds
	// its own, so a converter may cache; a JSON input whose header grows is
	// bound again.
	Bind(h *Header, o *Options) (Converter, error)
	// InputColumn names the input column the schema column is read from
	// ("" when none), so that a row validation rejects names the column at
	// fault as the input has it.
	InputColumn(schemaColumn string) string
}

// Detection tells how a header is recognized as a layout.
type Detection struct {
	// Signature lists the columns (lower case) whose presence identifies
	// the layout.
	Signature []string
	// Order places the layout in detection: lower first. A layout whose
	// signature is a subset of another's must come after it.
	Order int
}

// FixedLayout is a Profile whose column order is fixed and published (the
// GTD's 135 columns of a named release), so that a file saved without its
// header row can be read by position (--no-header: ingest names the columns
// with FixedColumns). Layouts whose order varies between exports (ACLED's
// API and export tool order columns as asked) do not implement it, and
// --no-header refuses them with that reason.
type FixedLayout interface {
	Profile
	FixedColumns() []string
}

// HeaderlessLayout is a Profile published without a header row (GDELT):
// shown an input's first row, it names the columns when the row is its
// data (nil otherwise), so the file is read by position with no flag.
type HeaderlessLayout interface {
	Profile
	HeaderlessColumns(first []string) []string
}

// DetectHeaderless returns the column names and layout of an input whose
// first row is the data of a headerless layout, or nil.
func DetectHeaderless(first []string) ([]string, Profile) {
	registry.RLock()
	defer registry.RUnlock()
	for _, p := range registry.order {
		if h, ok := p.(HeaderlessLayout); ok {
			if cols := h.HeaderlessColumns(first); cols != nil {
				return cols, p
			}
		}
	}
	return nil, nil
}

// Reconciler is a Profile whose rows are reports of incidents, several
// possibly of the same one: the pipeline gathers the reports of a whole run,
// groups them by Report.Incident in order of first appearance and folds each
// group into one row with Reconcile (Bind still reads a row alone).
type Reconciler interface {
	Profile
	// BindReports makes a report parser for the header h, and lists the
	// header's columns it does not read.
	BindReports(h *Header, o *Options) (p ReportParser, unused []string, err error)
	// Reconcile folds the reports of one incident into one row.
	Reconcile(reports []Report) (schema.Incident, error)
}

// ReportParser reads one row into a Report. Parse must depend on the row
// alone (its fields, line, file and SerialDates): reports that spill to disk
// are kept as their rows and parsed again when read back (with a Row.Warn
// that discards, the warnings having been counted the first time).
type ReportParser interface {
	Parse(r *Row) (Report, error)
}

// Converter normalizes one row into an incident.
type Converter interface {
	Convert(r *Row, in *schema.Incident) error
}

// Options are what the layouts' converters read.
type Options struct {
	Actors    *value.ActorNames // actor aliases; nil = whitespace clean-up only
	DateOrder value.DateOrder   // how to read 06/11/2019
	Reports   ReportsOptions    // the reports layout's own
	// Missing lists the cell texts read as null in every column (the Row
	// getter applies it); nil is value.DefaultMissing, value.NoMissing none.
	Missing *value.MissingValues
	// GDELT: the events the GDELT layout keeps (--cameo-roots).
	GDELT GDELTOptions
	// Columns names the schema columns the pipeline builds (nil: all), so
	// that a converter may skip work no column shows; ingest.Normalize sets
	// it from its own Options.Columns.
	Columns []string
}

// wants reports whether the built columns include any of cols.
func (o *Options) wants(cols ...string) bool {
	if len(o.Columns) == 0 {
		return true
	}
	for _, c := range cols {
		if slices.Contains(o.Columns, c) {
			return true
		}
	}
	return false
}

// ---- the registry ----

var registry struct {
	sync.RWMutex
	byName map[string]Profile
	order  []Profile // by Detect().Order, then name
}

// Register adds a layout; a layout file calls it from init. It panics when
// the name is taken, as flag.Var does.
func Register(p Profile) {
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = map[string]Profile{}
	}
	name := p.Name()
	if _, dup := registry.byName[name]; dup || name == "" || name == "auto" {
		panic("profile: Register of a duplicate or reserved name " + strconv.Quote(name))
	}
	registry.byName[name] = p
	registry.order = append(registry.order, p)
	sort.SliceStable(registry.order, func(i, j int) bool {
		a, b := registry.order[i], registry.order[j]
		if oa, ob := a.Detect().Order, b.Detect().Order; oa != ob {
			return oa < ob
		}
		return a.Name() < b.Name()
	})
}

// Lookup returns the registered layout of that name.
func Lookup(name string) (Profile, bool) {
	registry.RLock()
	defer registry.RUnlock()
	p, ok := registry.byName[name]
	return p, ok
}

// Named returns the registered layout of that name, as --profile gives it:
// nil for "" and "auto" (detect each input's), an error wrapping
// ErrUnknownProfile for a name not registered.
func Named(name string) (Profile, error) {
	if name == "" || name == "auto" {
		return nil, nil
	}
	if p, ok := Lookup(name); ok {
		return p, nil
	}
	return nil, fmt.Errorf("ingest: %w %q (want auto, %s)", ErrUnknownProfile, name, strings.Join(Names(), ", "))
}

// Names lists the registered layouts in detection order.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]string, len(registry.order))
	for i, p := range registry.order {
		out[i] = p.Name()
	}
	return out
}

// Detect returns the first registered layout, in detection order, whose
// signature columns the header has. A header none fits is an error listing
// what each layout expects.
func Detect(names []string) (Profile, error) {
	registry.RLock()
	defer registry.RUnlock()
	h := NewHeader(names)
	for _, p := range registry.order {
		if h.has(p.Detect().Signature...) {
			return p, nil
		}
	}
	var want []string
	for _, p := range registry.order {
		want = append(want, fmt.Sprintf("%s (%s)", p.Name(), strings.Join(p.Detect().Signature, ", ")))
	}
	return nil, fmt.Errorf("%w %s; expected one of: %s; or give --mapping",
		ErrNoProfile, listNames(names), strings.Join(want, "; "))
}

// Check reports whether the header fits the layout p: an error naming the
// signature columns missing, and the registered layout the header fits
// instead, if any (an ACLED file of 2016 given --profile acled).
func Check(p Profile, names []string) error {
	h := NewHeader(names)
	var missing []string
	for _, c := range p.Detect().Signature {
		if h.Col(c) < 0 {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	hint := ""
	if q, err := Detect(names); err == nil && q.Name() != p.Name() {
		hint = fmt.Sprintf(" (the header fits the %s layout: give --profile %s or leave --profile out)", q.Name(), q.Name())
	} else if err != nil {
		hint = "; no layout fits: give --mapping FILE naming which of its columns are ours"
	}
	return fmt.Errorf("not the %s layout: %w: %s%s", p.Name(), ErrMissingColumns, listNames(missing), hint)
}

// Unused lists the columns of names that the layout p does not read, in
// header order. A column without a name is listed as such: the row index
// pandas (DataFrame.to_csv) and R (write.csv) write first is not data.
func Unused(p Profile, names []string) []string {
	var out []string
	if u, ok := p.(interface{ unused([]string) []string }); ok {
		out = u.unused(names)
	} else {
		used := make(map[string]bool)
		for _, n := range p.Columns() {
			used[n] = true
		}
		for _, n := range names {
			if !used[strings.ToLower(n)] && n != "" {
				out = append(out, n)
			}
		}
	}
	var unnamed []string
	for i, n := range names {
		if n == "" {
			unnamed = append(unnamed, strconv.Itoa(i+1))
		}
	}
	switch {
	case len(unnamed) == 1 && unnamed[0] == "1":
		out = append(out, "column 1 without a name (a row index as pandas or R write it): ignored")
	case len(unnamed) > 0:
		out = append(out, "columns without a name ("+strings.Join(unnamed, ", ")+"): ignored")
	}
	return out
}

// ---- headers and rows ----

// Header indexes an input's column names case-insensitively.
type Header struct {
	Names []string
	index map[string]int
}

// NewHeader indexes names; of two names equal but for case, the first
// counts.
func NewHeader(names []string) *Header {
	h := &Header{Names: names, index: make(map[string]int, len(names))}
	for i, n := range names {
		k := strings.ToLower(n)
		if _, dup := h.index[k]; !dup {
			h.index[k] = i
		}
	}
	return h
}

// Col returns the index of the named (lower case) column, -1 when absent.
func (h *Header) Col(name string) int {
	if i, ok := h.index[name]; ok {
		return i
	}
	return -1
}

func (h *Header) has(names ...string) bool {
	for _, n := range names {
		if h.Col(n) < 0 {
			return false
		}
	}
	return true
}

// Row is one input row being normalized.
type Row struct {
	File        string
	Line        int64
	Fields      []string
	SerialDates bool         // the source's source.Source.SerialDates
	Warn        func(string) // counts a warning
	// Missing lists the texts read as null (Options.Missing); nil is
	// value.DefaultMissing.
	Missing *value.MissingValues
}

// get returns the trimmed field i, "" when the column is absent or the
// cell is a missing-value token (R's NA, pandas' NaN, ...): every layout
// reads its cells here, so every column of every layout sees the same
// list.
func (r *Row) get(i int) string {
	s := r.raw(i)
	if r.Missing.Is(s) {
		return ""
	}
	return s
}

// raw returns the trimmed field i as written, token or not.
func (r *Row) raw(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return strings.TrimSpace(r.Fields[i])
}

// fail builds the reject of field i (named name) with cause err, quoting
// the cell as written.
func (r *Row) fail(i int, name string, err error) *source.Error {
	return &source.Error{File: r.File, Line: r.Line, Column: i + 1, Field: name, Text: r.raw(i), Err: err}
}

// ---- helpers of the layouts ----

// parseInt reads an integer field; "" is ok=false.
func parseInt(r *Row, i int, name string) (n int, ok bool, err error) {
	s := r.get(i)
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	if err != nil {
		f, ferr := value.ParseDecimal(s) // xlsx and pandas write 3.0; never Go's 1_0
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return 0, false, r.fail(i, name, fmt.Errorf("%w: %q is not an integer", ErrBadNumber, s))
		}
		n = int(f)
	}
	return n, true, nil
}

// parseCount reads a count: a plain non-negative integer fast, else a
// casualty phrase.
func parseCount(r *Row, i int, name string) (schema.Estimate, error) {
	s := r.get(i)
	if s == "" {
		return schema.Estimate{}, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= math.MaxInt32 {
		return schema.Exact(int32(n)), nil
	}
	e, err := value.ParseCasualty(s)
	if err != nil {
		return e, r.fail(i, name, err)
	}
	return e, nil
}

// parseCoord reads a latitude or longitude; "" is null. Range is checked by
// validation.
func parseCoord(r *Row, i int, name string) (schema.NullFloat64, error) {
	s := r.get(i)
	if s == "" {
		return schema.NullFloat64{}, nil
	}
	f, err := value.ParseDecimal(s) // not Go's 1_0, 0x1p4, Inf or NaN
	if err != nil {
		return schema.NullFloat64{}, r.fail(i, name, fmt.Errorf("%w: %q is not a coordinate", ErrBadNumber, s))
	}
	return schema.Float64(f), nil
}

// parseDateField reads a date cell: an Excel serial number where the source
// has serial dates, else free text (value.ParseDateHint, without a row
// year).
func parseDateField(r *Row, i int, name string, order value.DateOrder) (start, end schema.Date, prec schema.DatePrecision, err error) {
	return parseDateFieldYear(r, i, name, value.DateHint{Order: order})
}

// parseDateFieldYear reads a date cell with what the row knows (h.Year: the
// row's year column, which settles "9-May-20" and checks "41712"); each
// date so settled is a counted warning (value.DateNote).
func parseDateFieldYear(r *Row, i int, name string, h value.DateHint) (start, end schema.Date, prec schema.DatePrecision, err error) {
	s := r.get(i)
	if s == "" {
		return 0, 0, 0, r.fail(i, name, fmt.Errorf("%w: date", schema.ErrRequired))
	}
	if r.SerialDates {
		if f, ferr := value.ParseDecimal(s); ferr == nil {
			d, derr := value.ExcelSerialDate(f)
			if derr != nil {
				return 0, 0, 0, r.fail(i, name, derr)
			}
			return d, d, schema.DateDay, nil
		}
	}
	start, end, prec, note, err := value.ParseDateHint(s, h)
	if err != nil {
		return 0, 0, 0, r.fail(i, name, err)
	}
	if note != 0 && r.Warn != nil {
		for _, w := range note.Warnings() {
			r.Warn(name + ": " + w)
		}
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

func appendDistinct(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
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

// countryOf resolves a dataset row's country as the layouts code it: by
// byCode when the row has a code (hasCode) that it knows, else by the name
// text (value.LookupCountry). The error is the lookup's, for the layout to
// reject the row with or to fall back from; setCountry then writes it.
func countryOf(code int, hasCode bool, byCode func(int) (value.Country, error), text string) (value.Country, error) {
	if hasCode {
		if c, err := byCode(code); err == nil {
			return c, nil
		}
	}
	return value.LookupCountry(text)
}

// setCoords reads a row's latitude and longitude into in.
func setCoords(r *Row, in *schema.Incident, lat, lon int) error {
	var err error
	if in.Latitude, err = parseCoord(r, lat, "latitude"); err != nil {
		return err
	}
	in.Longitude, err = parseCoord(r, lon, "longitude")
	return err
}

// setCountry resolves a country into in; a sea or ocean keeps its name in
// location.
func setCountry(in *schema.Incident, c value.Country, text string) {
	in.CountryISO3, in.Country = c.ISO3, c.Name
	if c.ISO3 == schema.UnknownCountryISO3 && text != "" {
		if in.Location == "" {
			in.Location = text
		} else if !strings.Contains(in.Location, text) {
			in.Location = in.Location + ", " + text
		}
	}
}

// bstr views b as a string without copying; b must not change while the
// string is in use.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// maxListed is how many column names an error lists before "and N more".
const maxListed = 20

// listNames joins names for an error message: at most maxListed of them,
// each cut to 80 bytes, then how many more there are (a file of 100,000
// columns gives a short line, not a 789 KB one).
func listNames(names []string) string {
	out := make([]string, 0, min(len(names), maxListed)+1)
	for i, n := range names {
		if i == maxListed {
			out = append(out, fmt.Sprintf("and %d more", len(names)-maxListed))
			break
		}
		if len(n) > 80 {
			n = strings.ToValidUTF8(n[:80], "") + "…"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}
