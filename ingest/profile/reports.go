package profile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The reports profile: the hand-coded layout of SCHEMA.md, one row per source
// report; rows with the same incident key are one incident (ReconcileReports).
//
//	column            ours                          how
//	incident          incident_id                   required; the key as given
//	source            sources                       required; distinct sources in input order
//	report_date       (ordering)                    "earliest report" = earliest report_date, then input order
//	claim             (reconciliation)              true/false, yes/no, 1/0; blank = false
//	date              date_start, date_end, ...     ParseDate (Options.DateOrder for 06/11/2019); xlsx serials
//	time              time_utc                      ParseTimeOfDay with the country's zone when it has one
//	country           country_iso3, country         LookupCountry
//	admin1, admin2,   admin1, admin2, location
//	location
//	latitude,         latitude, longitude           geo_precision: exact with coordinates, else admin2,
//	longitude                                       admin1 or country by the finest place given
//	event_type        event_type, sub_event_type    MapEventType; the text is kept in source_event_type
//	actor1, actor2    actor1, actor2                canonicalized (Options.Actors)
//	claimed_by        claimed_by                    a claim's actor1 when the claim names no claimant
//	killed            fatalities_low/best/high      ParseCasualty; a report without killed but with a
//	                                                party breakdown contributes the party sum
//	killed_actor1,    fatalities_actor1/actor2/     best of the reconciled estimate
//	killed_actor2,    civilians
//	killed_civilians
//	injured           injured_low/best/high
//	detained          detained_low/best/high
//	notes             notes                         "source: notes" joined, then any disagreements
//
// A custom mapping (Mapping) may also feed source_id, killed_unknown,
// assoc_actors and sources (split on ";").
func init() { Register(reports{}) }

// ReportsOptions are the reports layout's options.
type ReportsOptions struct {
	IgnoreUnknown bool // skip unknown columns (listed as unused) instead of failing
}

type reports struct{}

func (reports) Name() string { return "reports" }

// Detect: the reports layout is the most generic, tried last.
func (reports) Detect() Detection {
	return Detection{Order: 100, Signature: []string{"incident", "source"}}
}

func (reports) Columns() []string { return reportColumns }

func (reports) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "latitude", "longitude":
		return schemaColumn
	case "date_start":
		return "date"
	case "fatalities_low", "fatalities_best", "fatalities_high":
		return "killed"
	case "fatalities_actor1":
		return "killed_actor1"
	case "fatalities_actor2":
		return "killed_actor2"
	case "injured_low", "injured_best", "injured_high":
		return "injured"
	case "detained_low", "detained_best", "detained_high":
		return "detained"
	case "source_count":
		return "source"
	}
	return ""
}

// Bind reads each row alone, as an incident of one report.
func (reports) Bind(h *Header, opts *Options) (Converter, error) {
	p, _, err := newReportParser(h, opts, opts.Reports.IgnoreUnknown, false)
	if err != nil {
		return nil, err
	}
	return &singleReport{p: p}, nil
}

func (reports) BindReports(h *Header, opts *Options) (ReportParser, []string, error) {
	p, unknown, err := newReportParser(h, opts, opts.Reports.IgnoreUnknown, false)
	if err != nil {
		return nil, nil, err
	}
	return p, unknown, nil
}

func (reports) Reconcile(reps []Report) (schema.Incident, error) { return ReconcileReports(reps) }

var reportColumns = []string{"incident", "source", "report_date", "claim", "date", "time", "country", "admin1",
	"admin2", "location", "latitude", "longitude", "event_type", "actor1", "actor2", "claimed_by", "killed",
	"killed_actor1", "killed_actor2", "killed_civilians", "injured", "detained", "notes"}

// mappingOnlyColumns are the extra targets a custom mapping may use.
// year, month and day carry a date split over columns (see Mapping).
var mappingOnlyColumns = []string{"source_id", "killed_unknown", "assoc_actors", "sources", "year", "month", "day"}

// Report is one parsed source report of an incident.
type Report struct {
	File  string
	Line  int64
	Order int // position in the run, for "earliest" ties

	Incident   string
	Source     string
	ReportDate schema.Date
	HasReport  bool // ReportDate given
	Claim      bool

	DateStart, DateEnd schema.Date
	DatePrecision      schema.DatePrecision
	HasDate            bool
	DateText           string
	TimeUTC            time.Time // zero = none

	Country         value.Country
	HasCountry      bool
	Admin1, Admin2  string
	Location        string
	Latitude        schema.NullFloat64
	Longitude       schema.NullFloat64
	EventText       string
	Event           value.EventClass
	HasEvent        bool
	Actor1, Actor2  string
	ClaimedBy       string
	AssocActors     []string
	Killed          schema.Estimate
	KilledActor1    schema.Estimate
	KilledActor2    schema.Estimate
	KilledCivilians schema.Estimate
	KilledUnknown   schema.Estimate
	Injured         schema.Estimate
	Detained        schema.Estimate
	Notes           string
	SourceID        string
	ExtraSources    []string
}

// reportParser reads report rows of one header.
type reportParser struct {
	opts    *Options
	col     map[string]int
	mapping bool // a custom mapping's: the incident key is not required
}

// newReportParser binds the header (already renamed to our column names for
// a custom mapping). Unknown columns are an error unless allowUnknown.
func newReportParser(h *Header, opts *Options, allowUnknown, mapping bool) (*reportParser, []string, error) {
	p := &reportParser{opts: opts, col: map[string]int{}, mapping: mapping}
	known := map[string]bool{}
	for _, c := range reportColumns {
		known[c] = true
		p.col[c] = h.Col(c)
	}
	if mapping {
		for _, c := range mappingOnlyColumns {
			known[c] = true
			p.col[c] = h.Col(c)
		}
	}
	var unknown []string
	for _, n := range h.Names {
		if !known[strings.ToLower(n)] && n != "" {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 && !allowUnknown {
		return nil, nil, fmt.Errorf("%w %s for the reports layout (expected %s); give --ignore-unknown to skip them",
			ErrUnknownColumns, listNames(unknown), strings.Join(reportColumns, ", "))
	}
	return p, unknown, nil
}

func (p *reportParser) c(name string) int {
	if i, ok := p.col[name]; ok {
		return i
	}
	return -1
}

// Parse reads one row into a Report.
func (p *reportParser) Parse(r *Row) (Report, error) {
	rep := Report{File: r.File, Line: r.Line}
	rep.Incident = r.get(p.c("incident"))
	rep.Source = r.get(p.c("source"))
	if !p.mapping {
		if rep.Incident == "" {
			return rep, r.fail(p.c("incident"), "incident", fmt.Errorf("%w: incident", schema.ErrRequired))
		}
		if rep.Source == "" {
			return rep, r.fail(p.c("source"), "source", fmt.Errorf("%w: source", schema.ErrRequired))
		}
	}
	if r.get(p.c("report_date")) != "" {
		d, _, _, err := parseDateField(r, p.c("report_date"), "report_date", p.opts.DateOrder)
		if err != nil {
			return rep, err
		}
		rep.ReportDate, rep.HasReport = d, true
	}
	switch v := strings.ToLower(r.get(p.c("claim"))); v {
	case "", "false", "no", "0", "n", "f":
	case "true", "yes", "1", "y", "t":
		rep.Claim = true
	default:
		return rep, r.fail(p.c("claim"), "claim", fmt.Errorf("%w: claim is true or false", ErrUnknownValue))
	}
	if t := r.get(p.c("date")); t != "" {
		s, e, pr, err := parseDateField(r, p.c("date"), "date", p.opts.DateOrder)
		if err != nil {
			return rep, err
		}
		rep.DateStart, rep.DateEnd, rep.DatePrecision, rep.HasDate, rep.DateText = s, e, pr, true, t
	}
	if !rep.HasDate && p.c("year") >= 0 {
		if err := p.splitDate(r, &rep); err != nil {
			return rep, err
		}
	}
	if t := r.get(p.c("country")); t != "" {
		c, err := value.LookupCountry(t)
		if err != nil {
			return rep, r.fail(p.c("country"), "country", err)
		}
		rep.Country, rep.HasCountry = c, true
	}
	if t := r.get(p.c("time")); t != "" {
		if r.SerialDates { // a time cell holds the fraction of a day (a date-time cell, serial + fraction)
			if f, err := value.ParseDecimal(t); err == nil && f >= 0 {
				m := int(math.Round((f - math.Floor(f)) * 24 * 60))
				t = fmt.Sprintf("%02d:%02d", m/60%24, m%60)
			}
		}
		if !rep.HasDate {
			r.Warn("reports: a time without a date is ignored")
		} else {
			var loc *time.Location
			if rep.HasCountry {
				loc, _ = value.TimeZoneOf(rep.Country.ISO3)
			}
			tm, ok, err := value.ParseTimeOfDay(t, rep.DateStart, loc)
			if err != nil {
				return rep, r.fail(p.c("time"), "time", err)
			}
			if ok {
				rep.TimeUTC = tm
			} else {
				r.Warn("reports: local time in a country without a single time zone: time_utc left null")
			}
		}
	}
	rep.Admin1, rep.Admin2, rep.Location = r.get(p.c("admin1")), r.get(p.c("admin2")), r.get(p.c("location"))
	var err error
	if rep.Latitude, err = parseCoord(r, p.c("latitude"), "latitude"); err != nil {
		return rep, err
	}
	if rep.Longitude, err = parseCoord(r, p.c("longitude"), "longitude"); err != nil {
		return rep, err
	}
	if t := r.get(p.c("event_type")); t != "" {
		rep.EventText = t
		if cls, ok := value.MapEventType(t); ok {
			rep.Event, rep.HasEvent = cls, true
		} else {
			r.Warn(fmt.Sprintf("reports: event type %q matches no synonym: event_type unknown", t))
		}
	}
	a := p.opts.Actors
	rep.Actor1, rep.Actor2 = a.Canonical(r.get(p.c("actor1"))), a.Canonical(r.get(p.c("actor2")))
	rep.ClaimedBy = a.Canonical(r.get(p.c("claimed_by")))
	rep.AssocActors = splitList(r.get(p.c("assoc_actors")), a.Canonical)
	for _, f := range []struct {
		name string
		dst  *schema.Estimate
	}{{"killed", &rep.Killed}, {"killed_actor1", &rep.KilledActor1}, {"killed_actor2", &rep.KilledActor2},
		{"killed_civilians", &rep.KilledCivilians}, {"killed_unknown", &rep.KilledUnknown},
		{"injured", &rep.Injured}, {"detained", &rep.Detained}} {
		if *f.dst, err = parseCount(r, p.c(f.name), f.name); err != nil {
			return rep, err
		}
	}
	rep.Notes = r.get(p.c("notes"))
	rep.SourceID = r.get(p.c("source_id"))
	rep.ExtraSources = splitList(r.get(p.c("sources")), nil)
	return rep, nil
}

// splitDate reads a date split over year, month and day columns (a
// mapping's): 0 or blank month or day is unknown, as the GTD codes it, so
// day 0 gives the month and month 0 the year; pandas' 3.0 is 3. A blank
// year leaves the date missing.
func (p *reportParser) splitDate(r *Row, rep *Report) error {
	var parts [3]int
	for k, name := range [3]string{"year", "month", "day"} {
		n, ok, err := parseInt(r, p.c(name), name)
		if err != nil {
			return err
		}
		if !ok && k == 0 {
			return nil
		}
		if n < 0 {
			return r.fail(p.c(name), name, fmt.Errorf("%w: %s is negative", value.ErrBadDate, name))
		}
		parts[k] = n
	}
	s, e, pr, err := value.DateFromParts(parts[0], parts[1], parts[2])
	if err != nil {
		return r.fail(p.c("day"), "day", err)
	}
	rep.DateStart, rep.DateEnd, rep.DatePrecision, rep.HasDate = s, e, pr, true
	rep.DateText = fmt.Sprintf("%d-%d-%d", parts[0], parts[1], parts[2])
	return nil
}

// singleReport converts a row as an incident of one report (a custom
// mapping's rows, or reports read without reconciliation).
type singleReport struct {
	p *reportParser
	m *Mapping // nil for the reports layout
}

func (c *singleReport) Convert(r *Row, in *schema.Incident) error {
	rep, err := c.p.Parse(r)
	if err != nil {
		if c.m != nil {
			c.m.userColumn(err)
		}
		return err
	}
	inc, err := ReconcileReports([]Report{rep})
	if err != nil {
		return &source.Error{File: r.File, Line: r.Line, Err: err}
	}
	*in = inc
	if c.m == nil {
		return nil
	}
	in.SourceDataset = c.m.Dataset
	in.SourceID = rep.SourceID
	if rep.SourceID != "" {
		in.IncidentID = c.m.Dataset + ":" + rep.SourceID
	} else {
		in.IncidentID = c.m.Dataset + ":" + strconv.FormatInt(r.Line, 10)
	}
	for _, a := range rep.AssocActors {
		in.AssocActors = appendDistinct(in.AssocActors, a)
	}
	return nil
}
