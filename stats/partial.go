package stats

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
)

// Partial is the statistics of one group as a value that can be merged
// with another group part's: for engines that compute the statistics of
// one input in parts, on several machines (the Beam pipeline's combiner),
// and finish them with Summarize. Counts and sums merge exactly; the mean
// and the sum of squared deviations merge by Chan, Golub & LeVeque's
// parallel formula (equal to Welford's sequential update up to rounding:
// within 1e-12 relative, not bit for bit); exact quantiles and the
// power-law fit need every known value, kept in Values and concatenated;
// or a caller gives the quantiles (Quantiles, from a sketch) and keeps in
// Values only what the fit needs.
type Partial struct {
	Key     []Value // the group's values, in Options.By order, as Result has them
	Events  int64
	Qty     [3]PartialQuantity     // fatalities, injured, detained
	Party   [4]PartialSum          // fatalities_actor1, _actor2, _civilians, _unknown
	Periods map[int64]PeriodCounts // by PeriodIndex of date_start, with Options.Period
}

// PartialSum is the count and exact sum of a column's known values.
type PartialSum struct{ N, Total int64 }

// PeriodCounts is one period of one group.
type PeriodCounts struct {
	Events                         int64
	FatalBest, FatalLow, FatalHigh int64
}

// PartialQuantity is one casualty count's part of a group.
type PartialQuantity struct {
	Nulls, Positive int64 // best unknown; best >= 1
	Best, Low, High PartialSum
	N               int64   // known best values
	Mean, M2        float64 // their mean and sum of squared deviations
	Max             int32
	MaxOK, MaxHasID bool
	MaxID           string
	MaxOrder        uint64    // where the maximum's row stands in the input (the caller's order): ties keep the lower
	Values          []int32   // the known best values, any order (exact quantiles; fatalities' for the tail fit)
	Quantiles       *[3]Value // median, p90, p99 given by the caller; nil computes them from Values
}

// Merge adds o's rows to p (o is left as it was, its Values copied).
func (p *Partial) Merge(o *Partial) {
	p.Events += o.Events
	for q := range p.Qty {
		p.Qty[q].merge(&o.Qty[q])
	}
	for k := range p.Party {
		p.Party[k].N += o.Party[k].N
		p.Party[k].Total += o.Party[k].Total
	}
	if len(o.Periods) > 0 && p.Periods == nil {
		p.Periods = make(map[int64]PeriodCounts, len(o.Periods))
	}
	for k, c := range o.Periods {
		d := p.Periods[k]
		d.Events += c.Events
		d.FatalBest += c.FatalBest
		d.FatalLow += c.FatalLow
		d.FatalHigh += c.FatalHigh
		p.Periods[k] = d
	}
}

func (s *PartialSum) merge(o PartialSum) { s.N += o.N; s.Total += o.Total }

func (q *PartialQuantity) merge(o *PartialQuantity) {
	q.Nulls += o.Nulls
	q.Positive += o.Positive
	q.Best.merge(o.Best)
	q.Low.merge(o.Low)
	q.High.merge(o.High)
	switch {
	case o.N == 0:
	case q.N == 0:
		q.N, q.Mean, q.M2 = o.N, o.Mean, o.M2
	default: // Chan et al. (1979): the pairwise update of mean and M2
		n := q.N + o.N
		d := o.Mean - q.Mean
		q.Mean += d * float64(o.N) / float64(n)
		q.M2 += o.M2 + d*d*float64(q.N)*float64(o.N)/float64(n)
		q.N = n
	}
	if o.MaxOK && (!q.MaxOK || o.Max > q.Max || (o.Max == q.Max && o.MaxOrder < q.MaxOrder)) {
		q.Max, q.MaxOK, q.MaxHasID, q.MaxID, q.MaxOrder = o.Max, true, o.MaxHasID, o.MaxID, o.MaxOrder
	}
	q.Values = append(q.Values, o.Values...)
}

// Partials returns the state of every group added so far as Partials
// (Values holds each group's known values; MaxOrder is 0).
func (a *Accumulator) Partials() []*Partial {
	out := make([]*Partial, len(a.order))
	for i, g := range a.order {
		out[i] = a.partial(g, true)
	}
	return out
}

// partial returns g as a Partial; its Values are g's own unless clone.
func (a *Accumulator) partial(g *group, clone bool) *Partial {
	p := &Partial{Events: g.events}
	for ci, code := range g.codes {
		p.Key = append(p.Key, a.groupValue(ci, code))
	}
	for q := range g.qty {
		s := &g.qty[q]
		p.Qty[q] = PartialQuantity{Nulls: s.nulls, Positive: s.positive,
			Best: ps(s.best), Low: ps(s.low), High: ps(s.high),
			N: s.moments.n, Mean: s.moments.mean, M2: s.moments.m2,
			Max: s.max.value, MaxOK: s.max.ok, MaxHasID: s.max.hasID, MaxID: s.max.id,
			Values: s.sample.values}
		if clone {
			p.Qty[q].Values = slices.Clone(s.sample.values)
		}
	}
	for k := range g.party {
		p.Party[k] = ps(g.party[k])
	}
	if len(g.periods.counts) > 0 {
		p.Periods = make(map[int64]PeriodCounts, len(g.periods.counts))
		for k, c := range g.periods.counts {
			p.Periods[k] = PeriodCounts{c.events, c.fatalBest, c.fatalLow, c.fatalHi}
		}
	}
	return p
}

// Summarize finishes the statistics of parts (one merged Partial per
// group) as Accumulator.Result does: the same columns, the groups in the
// same order (by their values, nulls last; by events with Top), the same
// rows. Partials are not changed but for sorting their Values.
func Summarize(ctx context.Context, opts Options, parts []*Partial) (*Result, error) {
	if opts.Bootstrap == 0 {
		opts.Bootstrap = DefaultBootstrap
	}
	a, err := NewAccumulator(opts)
	if err != nil {
		return nil, err
	}
	parts = slices.Clone(parts)
	if len(opts.By) == 0 && len(parts) == 0 {
		parts = append(parts, &Partial{})
	}
	slices.SortFunc(parts, func(x, y *Partial) int { return a.compareKeys(x.Key, y.Key) })
	var total int64
	for _, p := range parts {
		total += p.Events
	}
	return a.finish(ctx, parts, total)
}

// compareKeys orders group values as compareGroups orders their codes.
func (a *Accumulator) compareKeys(x, y []Value) int {
	for ci := range min(len(x), len(y)) {
		vx, vy := x[ci], y[ci]
		switch {
		case vx.Null && vy.Null:
			continue
		case vx.Null:
			return 1
		case vy.Null:
			return -1
		}
		var c int
		switch groupColumns(a.opts)[ci].Kind {
		case KindString:
			c = strings.Compare(vx.Str, vy.Str)
		case KindFloat:
			c = cmp.Compare(vx.Num, vy.Num)
		default:
			c = cmp.Compare(vx.Int, vy.Int)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// finish builds the Result of parts, in key order.
func (a *Accumulator) finish(ctx context.Context, parts []*Partial, total int64) (*Result, error) {
	if a.opts.Top > 0 {
		slices.SortStableFunc(parts, func(x, y *Partial) int { return cmp.Compare(y.Events, x.Events) })
		if len(parts) > a.opts.Top {
			parts = parts[:a.opts.Top]
		}
	}
	if a.opts.Series {
		return a.seriesResult(parts), nil
	}
	res := &Result{Columns: ResultColumns(a.opts)}
	for _, p := range parts {
		row, err := a.summaryRow(ctx, p, total)
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// quantiles returns the median, p90 and p99 of q.
func (q *PartialQuantity) quantiles() [3]Value {
	if q.Quantiles != nil {
		return *q.Quantiles
	}
	slices.Sort(q.Values)
	var out [3]Value
	for i, p := range []float64{0.5, 0.9, 0.99} {
		out[i] = floatOK(quantileType7(q.Values, p))
	}
	return out
}

// std is the sample standard deviation of q's known values.
func (q *PartialQuantity) std() Value {
	if q.N < 2 {
		return null
	}
	return floatValue(math.Sqrt(q.M2 / float64(q.N-1)))
}

// series returns the counts per period from the first to the last period
// with an event, empty periods filled with zero.
func (p *Partial) series() (first int64, counts []PeriodCounts) {
	if len(p.Periods) == 0 {
		return 0, nil
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for k := range p.Periods {
		lo, hi = min(lo, k), max(hi, k)
	}
	counts = make([]PeriodCounts, hi-lo+1)
	for k, c := range p.Periods {
		counts[k-lo] = c
	}
	return lo, counts
}

func ps(s sum) PartialSum { return PartialSum{s.n, s.total} }
