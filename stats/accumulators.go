package stats

import (
	"math"
	"slices"
	"strings"
)

// The accumulators below are the statistics of one group, one type each, in
// the manner of Miller's stats1 accumulators: each ingests values one at a
// time and emits its result at the end. Counts and sums are exact int64
// (a sum of int32 values cannot overflow before 2^32 rows); moments use
// Welford's update, which stays accurate where the textbook sum of squares
// cancels.

// sum is the exact sum and count of the known values of one column.
type sum struct {
	n     int64 // known values
	total int64
}

func (s *sum) add(v int32) { s.n++; s.total += int64(v) }

func (s *sum) merge(o sum) { s.n += o.n; s.total += o.total }

// moments is Welford's running mean and sum of squared deviations.
type moments struct {
	n    int64
	mean float64
	m2   float64
}

func (m *moments) add(v float64) {
	m.n++
	d := v - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (v - m.mean)
}

// std returns the sample standard deviation (n-1 denominator), ok false
// for fewer than two values.
func (m *moments) std() (float64, bool) {
	if m.n < 2 {
		return 0, false
	}
	return math.Sqrt(m.m2 / float64(m.n-1)), true
}

// maximum is the largest value and the id of the first row that had it.
type maximum struct {
	ok    bool
	value int32
	id    string
	hasID bool
}

// add reads the id from row i of ids only when v is a new maximum.
func (m *maximum) add(v int32, ids *textColumn, i int) {
	if m.ok && v <= m.value {
		return
	}
	m.ok, m.value = true, v
	m.hasID = !ids.isNull(i)
	m.id = ""
	if m.hasID {
		m.id = strings.Clone(ids.value(i)) // the record's memory is released after Add
	}
}

// sample keeps the known values of one column for exact quantiles.
type sample struct {
	values []int32
	sorted bool
}

func (s *sample) add(v int32) { s.values = append(s.values, v); s.sorted = false }

func (s *sample) quantile(p float64) (float64, bool) {
	if !s.sorted {
		slices.Sort(s.values)
		s.sorted = true
	}
	return quantileType7(s.values, p)
}

// quantileType7 is R's type 7 quantile of sorted values: linear
// interpolation between the order statistics at h = (n-1)p, the default
// of numpy, pandas and DuckDB's quantile_cont. gonum's stat.Quantile with
// LinInterp interpolates at h = np instead, a different estimator.
func quantileType7[T int32 | int64 | float64](sorted []T, p float64) (float64, bool) {
	n := len(sorted)
	if n == 0 || p < 0 || p > 1 || math.IsNaN(p) {
		return 0, false
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return float64(sorted[n-1]), true
	}
	a, b := float64(sorted[lo]), float64(sorted[lo+1])
	return a + (h-float64(lo))*(b-a), true
}

// quantity accumulates one casualty count (fatalities, injured or detained)
// from its best, low and high columns.
type quantity struct {
	nulls    int64 // rows whose best estimate is unknown
	positive int64 // rows with best >= 1
	best     sum
	low      sum
	high     sum
	moments  moments
	max      maximum
	sample   sample
}

func (q *quantity) add(best, low, high int32, bestOK, lowOK, highOK bool, ids *textColumn, row int) {
	if lowOK {
		q.low.add(low)
	}
	if highOK {
		q.high.add(high)
	}
	if !bestOK {
		q.nulls++
		return
	}
	if best >= 1 {
		q.positive++
	}
	q.best.add(best)
	q.moments.add(float64(best))
	q.max.add(best, ids, row)
	q.sample.add(best)
}

// periodCount is what one period of one group holds.
type periodCount struct {
	events                       int64
	fatalBest, fatalLow, fatalHi int64
}

// periods counts events per period (see Period), keyed by period index.
type periods struct {
	counts   map[int64]*periodCount
	min, max int64
}

func (p *periods) add(k int64, best, low, high int32, bestOK, lowOK, highOK bool) {
	if p.counts == nil {
		p.counts = make(map[int64]*periodCount)
		p.min, p.max = k, k
	}
	c := p.counts[k]
	if c == nil {
		c = &periodCount{}
		p.counts[k] = c
	}
	c.events++
	if bestOK {
		c.fatalBest += int64(best)
	}
	if lowOK {
		c.fatalLow += int64(low)
	}
	if highOK {
		c.fatalHi += int64(high)
	}
	p.min, p.max = min(p.min, k), max(p.max, k)
}

// series returns the counts per period from the first to the last period
// with an event, empty periods filled with zero.
func (p *periods) series() (first int64, counts []periodCount) {
	if len(p.counts) == 0 {
		return 0, nil
	}
	counts = make([]periodCount, p.max-p.min+1)
	for k, c := range p.counts {
		counts[k-p.min] = *c
	}
	return p.min, counts
}
