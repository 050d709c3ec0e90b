package profile

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// ReconcileReports folds the reports of one incident into one row, by the
// rules of SCHEMA.md "Reconciliation":
//
//   - per quantity (fatalities total, each party, injured, detained): low = the
//     minimum of the non-claim reports' lows; high = the maximum of every
//     report's high, claims included, an unbounded high ("at least 10")
//     counting as its low; best = the lower median of the non-claim reports'
//     bests, or of the claims' when only claims give the figure;
//   - a report with no total but a party breakdown contributes the party sum
//     as its total (15 attackers + 2 guards = 17);
//   - date, time, place, actors and event type come from the earliest
//     non-claim report that gives them (earliest report_date, then input
//     order; claims after every non-claim); other reports that disagree on
//     date, place or actors are listed in notes;
//   - claimed_by is the first claimant named (a claim's claimed_by, else its
//     actor1, else any report's claimed_by);
//   - sources are the distinct sources in input order.
//
// Where reconciled figures would break low <= best <= high (one report's
// "up to 20" against another's "at least 30"), low and high are widened to
// the best and a note says so. The result is not validated; reports must not
// be empty.
func ReconcileReports(reports []Report) (schema.Incident, error) {
	if len(reports) == 0 {
		panic("ingest: ReconcileReports of no reports")
	}
	ord := make([]*Report, len(reports))
	for i := range reports {
		ord[i] = &reports[i]
	}
	sort.SliceStable(ord, func(i, j int) bool {
		a, b := ord[i], ord[j]
		if a.Claim != b.Claim {
			return !a.Claim
		}
		if a.HasReport != b.HasReport {
			return a.HasReport
		}
		if a.HasReport && a.ReportDate != b.ReportDate {
			return a.ReportDate < b.ReportDate
		}
		return a.Order < b.Order
	})
	in := schema.Incident{IncidentID: reports[0].Incident, SourceDataset: "reports"}
	var notes, disagree []string

	// date
	var dateFrom *Report
	for _, r := range ord {
		if r.HasDate {
			dateFrom = r
			break
		}
	}
	if dateFrom == nil {
		return in, fmt.Errorf("%w: no report of incident %q gives a date", schema.ErrRequired, in.IncidentID)
	}
	in.DateStart, in.DateEnd, in.DatePrecision = dateFrom.DateStart, dateFrom.DateEnd, dateFrom.DatePrecision
	for _, r := range ord {
		if r.HasDate && (r.DateStart != in.DateStart || r.DateEnd != in.DateEnd) {
			disagree = append(disagree, fmt.Sprintf("date %q (%s)", r.DateText, r.Source))
		}
	}
	for _, r := range ord {
		if !r.TimeUTC.IsZero() {
			in.TimeUTC = r.TimeUTC
			break
		}
	}

	// place: the winner's fields, gaps filled from later reports
	var place *Report
	for _, r := range ord {
		if r.HasCountry {
			place = r
			break
		}
	}
	if place == nil {
		return in, fmt.Errorf("%w: no report of incident %q gives a country", value.ErrUnknownCountry, in.IncidentID)
	}
	in.CountryISO3, in.Country = place.Country.ISO3, place.Country.Name
	in.Admin1, in.Admin2, in.Location = place.Admin1, place.Admin2, place.Location
	in.Latitude, in.Longitude = place.Latitude, place.Longitude
	for _, r := range ord {
		if r == place {
			continue
		}
		if r.HasCountry && r.Country.ISO3 != in.CountryISO3 {
			disagree = append(disagree, fmt.Sprintf("country %s (%s)", r.Country.Name, r.Source))
			continue
		}
		if in.Admin1 == "" {
			in.Admin1 = r.Admin1
		}
		if in.Admin2 == "" {
			in.Admin2 = r.Admin2
		}
		if in.Location == "" {
			in.Location = r.Location
		} else if r.Location != "" && !strings.EqualFold(r.Location, in.Location) {
			disagree = append(disagree, fmt.Sprintf("location %q (%s)", r.Location, r.Source))
		}
		if !in.Latitude.Valid && r.Latitude.Valid && r.Longitude.Valid {
			in.Latitude, in.Longitude = r.Latitude, r.Longitude
		} else if r.Latitude.Valid && r.Longitude.Valid &&
			(math.Abs(r.Latitude.Value-in.Latitude.Value) > 0.01 || math.Abs(r.Longitude.Value-in.Longitude.Value) > 0.01) {
			disagree = append(disagree, fmt.Sprintf("coordinates %g,%g (%s)", r.Latitude.Value, r.Longitude.Value, r.Source))
		}
	}
	switch {
	case in.Latitude.Valid && in.Longitude.Valid:
		in.GeoPrecision = schema.GeoExact
	case in.Admin2 != "":
		in.GeoPrecision = schema.GeoAdmin2
	case in.Admin1 != "":
		in.GeoPrecision = schema.GeoAdmin1
	case in.CountryISO3 != schema.UnknownCountryISO3:
		in.GeoPrecision = schema.GeoCountry
	}

	// event type and actors
	for _, r := range ord {
		if r.EventText != "" {
			in.EventType, in.SubEventType, in.SourceEvent = r.Event.Type, r.Event.SubType, r.EventText
			break
		}
	}
	pick := func(get func(*Report) string, what string) string {
		v := ""
		for _, r := range ord {
			s := get(r)
			if s == "" {
				continue
			}
			if v == "" {
				v = s
			} else if !value.SameActor(s, v) {
				disagree = append(disagree, fmt.Sprintf("%s %q (%s)", what, s, r.Source))
			}
		}
		return v
	}
	in.Actor1 = pick(func(r *Report) string { return r.Actor1 }, "actor1")
	in.Actor2 = pick(func(r *Report) string { return r.Actor2 }, "actor2")
	for _, r := range ord {
		for _, a := range r.AssocActors {
			in.AssocActors = appendDistinct(in.AssocActors, a)
		}
	}
	for _, r := range ord {
		if r.Claim && r.ClaimedBy != "" {
			in.ClaimedBy = r.ClaimedBy
			break
		}
	}
	if in.ClaimedBy == "" {
		for _, r := range ord {
			if r.Claim && r.Actor1 != "" {
				in.ClaimedBy = r.Actor1
				break
			}
		}
	}
	if in.ClaimedBy == "" {
		for _, r := range ord {
			if r.ClaimedBy != "" {
				in.ClaimedBy = r.ClaimedBy
				break
			}
		}
	}

	// quantities
	claims := make([]bool, len(reports))
	totals := make([]schema.Estimate, len(reports))
	for i := range reports {
		r := &reports[i]
		claims[i] = r.Claim
		totals[i] = r.Killed
		if r.Killed.IsNull() {
			totals[i] = sumEstimates(r.KilledActor1, r.KilledActor2, r.KilledCivilians, r.KilledUnknown)
		}
	}
	var widened []string
	est := func(name string, get func(*Report) schema.Estimate) schema.Estimate {
		es := make([]schema.Estimate, len(reports))
		for i := range reports {
			es[i] = get(&reports[i])
		}
		e, w := reconcileEstimate(es, claims)
		if w {
			widened = append(widened, name)
		}
		return e
	}
	in.Fatalities = est("fatalities", func(r *Report) schema.Estimate { return totals[indexOf(reports, r)] })
	in.FatalitiesActor1 = est("fatalities_actor1", func(r *Report) schema.Estimate { return r.KilledActor1 }).Best
	in.FatalitiesActor2 = est("fatalities_actor2", func(r *Report) schema.Estimate { return r.KilledActor2 }).Best
	in.FatalitiesCivilians = est("fatalities_civilians", func(r *Report) schema.Estimate { return r.KilledCivilians }).Best
	in.FatalitiesUnknown = est("fatalities_unknown", func(r *Report) schema.Estimate { return r.KilledUnknown }).Best
	in.Injured = est("injured", func(r *Report) schema.Estimate { return r.Injured })
	in.Detained = est("detained", func(r *Report) schema.Estimate { return r.Detained })

	for i := range reports {
		r := &reports[i]
		if r.Source != "" {
			in.Sources = appendDistinct(in.Sources, r.Source)
		}
		for _, s := range r.ExtraSources {
			in.Sources = appendDistinct(in.Sources, s)
		}
		if r.Notes != "" {
			if len(reports) == 1 || r.Source == "" {
				notes = append(notes, r.Notes)
			} else {
				notes = append(notes, r.Source+": "+r.Notes)
			}
		}
	}
	in.SourceCount = int16(min(len(in.Sources), math.MaxInt16))
	if len(disagree) > 0 {
		notes = append(notes, "reports disagree: "+strings.Join(disagree, "; "))
	}
	if len(widened) > 0 {
		notes = append(notes, "low/high widened to the best where reports conflict: "+strings.Join(widened, ", "))
	}
	in.Notes = strings.Join(notes, " | ")
	return in, nil
}

func indexOf(reports []Report, r *Report) int {
	for i := range reports {
		if &reports[i] == r {
			return i
		}
	}
	return -1
}

// sumEstimates adds party estimates: lows (a missing low counts as the
// best), bests, and highs when every party bounds its high; all null gives
// null.
func sumEstimates(parts ...schema.Estimate) schema.Estimate {
	var lo, best, hi int64
	any, bounded := false, true
	for _, p := range parts {
		if p.IsNull() {
			continue
		}
		any = true
		b := p.Best
		if !b.Valid {
			b = p.High
			if !b.Valid {
				b = p.Low
			}
		}
		best += int64(b.Value)
		if p.Low.Valid {
			lo += int64(p.Low.Value)
		} else {
			lo += int64(b.Value)
		}
		if p.High.Valid {
			hi += int64(p.High.Value)
		} else {
			bounded = false
		}
	}
	if !any {
		return schema.Estimate{}
	}
	e := schema.Estimate{Low: clampInt32(lo), Best: clampInt32(best)}
	if bounded {
		e.High = clampInt32(hi)
	}
	return e
}

func clampInt32(n int64) schema.NullInt32 {
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return schema.Int32(int32(n))
}

// reconcileEstimate applies the low/best/high rules to one quantity; widened
// reports whether low or high had to be moved to keep low <= best <= high.
func reconcileEstimate(es []schema.Estimate, claims []bool) (schema.Estimate, bool) {
	var out schema.Estimate
	var bests, claimBests []int32
	for i, e := range es {
		if e.IsNull() {
			continue
		}
		if !claims[i] && e.Low.Valid && (!out.Low.Valid || e.Low.Value < out.Low.Value) {
			out.Low = e.Low
		}
		h := e.High
		if !h.Valid {
			h = e.Low // unbounded: counts as its low
			if !h.Valid {
				h = e.Best
			}
		}
		if h.Valid && (!out.High.Valid || h.Value > out.High.Value) {
			out.High = h
		}
		if e.Best.Valid {
			if claims[i] {
				claimBests = append(claimBests, e.Best.Value)
			} else {
				bests = append(bests, e.Best.Value)
			}
		}
	}
	if len(bests) == 0 {
		bests = claimBests
	}
	if len(bests) > 0 {
		sort.Slice(bests, func(i, j int) bool { return bests[i] < bests[j] })
		out.Best = schema.Int32(bests[(len(bests)-1)/2])
	}
	widened := false
	if out.Best.Valid {
		if out.Low.Valid && out.Low.Value > out.Best.Value {
			out.Low, widened = out.Best, true
		}
		if out.High.Valid && out.High.Value < out.Best.Value {
			out.High, widened = out.Best, true
		}
	}
	return out, widened
}
