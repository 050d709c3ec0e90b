package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/schema"
)

// Collector gathers, from normalized Arrow records, what the page shows row
// by row rather than as a statistic: the severity sample behind the CCDF
// (fatalities_best of every incident with at least one death) and the N
// deadliest incidents. Statistics themselves come from the stats package.
type Collector struct {
	n         int
	severity  []float64
	deadliest []DeadlyIncident // sorted, deadliest first, at most n
	rows      []schema.Incident
}

// NewCollector returns a Collector that keeps the n deadliest incidents.
func NewCollector(n int) *Collector { return &Collector{n: n} }

// Add reads one record of the incidents schema (all columns or a
// projection holding at least incident_id, date_start and fatalities_best).
// Only fatalities_best is read row by row; a row is decoded in full only
// when it enters the deadliest table.
func (c *Collector) Add(rec arrow.Record) error {
	idx := rec.Schema().FieldIndices("fatalities_best")
	if len(idx) == 0 {
		return fmt.Errorf("report: record has no column fatalities_best")
	}
	best, ok := rec.Column(idx[0]).(*array.Int32)
	if !ok {
		return fmt.Errorf("report: column fatalities_best has type %s, want int32", rec.Column(idx[0]).DataType())
	}
	for i := range best.Len() {
		if best.IsNull(i) || best.Value(i) < 1 {
			continue
		}
		v := best.Value(i)
		c.severity = append(c.severity, float64(v))
		if c.n <= 0 || (len(c.deadliest) == c.n && v < c.deadliest[c.n-1].Best.Value) {
			continue
		}
		row := rec.NewSlice(int64(i), int64(i+1))
		var err error
		c.rows, err = schema.AppendIncidents(c.rows[:0], row)
		row.Release()
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		c.consider(&c.rows[0])
	}
	return nil
}

// consider puts in into the deadliest table if it belongs there.
func (c *Collector) consider(in *schema.Incident) {
	if len(c.deadliest) == c.n && !deadlier(in, &c.deadliest[c.n-1]) {
		return
	}
	place := in.Location
	for _, alt := range []string{in.Admin2, in.Admin1} {
		if place == "" {
			place = alt
		}
	}
	d := DeadlyIncident{ID: in.IncidentID, Date: in.DateStart, Country: in.Country, Place: place,
		Actor1: in.Actor1, Actor2: in.Actor2, Low: in.Fatalities.Low, Best: in.Fatalities.Best, High: in.Fatalities.High}
	if d.Country == "" {
		d.Country = in.CountryISO3
	}
	at, _ := slices.BinarySearchFunc(c.deadliest, d, compareDeadly)
	c.deadliest = slices.Insert(c.deadliest, at, d)
	if len(c.deadliest) > c.n {
		c.deadliest = c.deadliest[:c.n]
	}
}

// compareDeadly orders by fatalities_best descending, then by date and id,
// so that ties come out the same on every run.
func compareDeadly(a, b DeadlyIncident) int {
	return cmp.Or(cmp.Compare(b.Best.Value, a.Best.Value), cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
}

func deadlier(in *schema.Incident, last *DeadlyIncident) bool {
	return compareDeadly(DeadlyIncident{ID: in.IncidentID, Date: in.DateStart, Best: in.Fatalities.Best}, *last) < 0
}

// Severity returns fatalities_best of every incident with at least one
// death, in input order.
func (c *Collector) Severity() []float64 { return c.severity }

// Deadliest returns the deadliest incidents, deadliest first.
func (c *Collector) Deadliest() []DeadlyIncident { return c.deadliest }
