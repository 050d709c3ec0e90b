package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

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
// A custom mapping (Options.Mapping) may also feed source_id, killed_unknown,
// assoc_actors and sources (split on ";").
var reportColumns = []string{"incident", "source", "report_date", "claim", "date", "time", "country", "admin1",
	"admin2", "location", "latitude", "longitude", "event_type", "actor1", "actor2", "claimed_by", "killed",
	"killed_actor1", "killed_actor2", "killed_civilians", "injured", "detained", "notes"}

// mappingOnlyColumns are the extra targets a custom mapping may use.
var mappingOnlyColumns = []string{"source_id", "killed_unknown", "assoc_actors", "sources"}

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

	Country         Country
	HasCountry      bool
	Admin1, Admin2  string
	Location        string
	Latitude        schema.NullFloat64
	Longitude       schema.NullFloat64
	EventText       string
	Event           EventClass
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
	opts *Options
	col  map[string]int
}

// newReportParser binds the header (already renamed to our column names for
// a custom mapping). Unknown columns are an error unless allowUnknown.
func newReportParser(h *header, opts *Options, allowUnknown, mapping bool) (*reportParser, []string, error) {
	p := &reportParser{opts: opts, col: map[string]int{}}
	known := map[string]bool{}
	for _, c := range reportColumns {
		known[c] = true
		p.col[c] = h.col(c)
	}
	if mapping {
		for _, c := range mappingOnlyColumns {
			known[c] = true
			p.col[c] = h.col(c)
		}
	}
	var unknown []string
	for _, n := range h.names {
		if !known[strings.ToLower(n)] && n != "" {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 && !allowUnknown {
		return nil, nil, fmt.Errorf("ingest: unknown columns %s for the reports layout (expected %s); give --ignore-unknown to skip them",
			strings.Join(unknown, ", "), strings.Join(reportColumns, ", "))
	}
	return p, unknown, nil
}

func (p *reportParser) c(name string) int {
	if i, ok := p.col[name]; ok {
		return i
	}
	return -1
}

// parse reads one row into a Report.
func (p *reportParser) parse(r *rowCtx, requireKey bool) (Report, error) {
	rep := Report{File: r.file, Line: r.line}
	rep.Incident = r.get(p.c("incident"))
	rep.Source = r.get(p.c("source"))
	if requireKey {
		if rep.Incident == "" {
			return rep, r.fail(p.c("incident"), "incident", fmt.Errorf("%w: incident", ErrRequired))
		}
		if rep.Source == "" {
			return rep, r.fail(p.c("source"), "source", fmt.Errorf("%w: source", ErrRequired))
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
	if t := r.get(p.c("country")); t != "" {
		c, err := LookupCountry(t)
		if err != nil {
			return rep, r.fail(p.c("country"), "country", err)
		}
		rep.Country, rep.HasCountry = c, true
	}
	if t := r.get(p.c("time")); t != "" {
		if r.xlsx { // a time cell holds the fraction of a day (a date-time cell, serial + fraction)
			if f, err := strconv.ParseFloat(t, 64); err == nil && f >= 0 && !strings.ContainsAny(t, ":") {
				m := int(math.Round((f - math.Floor(f)) * 24 * 60))
				t = fmt.Sprintf("%02d:%02d", m/60%24, m%60)
			}
		}
		if !rep.HasDate {
			r.warn("reports: a time without a date is ignored")
		} else {
			var loc *time.Location
			if rep.HasCountry {
				loc, _ = TimeZoneOf(rep.Country.ISO3)
			}
			tm, ok, err := ParseTimeOfDay(t, rep.DateStart, loc)
			if err != nil {
				return rep, r.fail(p.c("time"), "time", err)
			}
			if ok {
				rep.TimeUTC = tm
			} else {
				r.warn("reports: local time in a country without a single time zone: time_utc left null")
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
		if cls, ok := MapEventType(t); ok {
			rep.Event, rep.HasEvent = cls, true
		} else {
			r.warn(fmt.Sprintf("reports: event type %q matches no synonym: event_type unknown", t))
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
