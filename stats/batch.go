package stats

import (
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"

	"github.com/incidentkit/incidents/schema"
)

// The columnar path of Add: the rows that pass the filters are found
// first, then the group of each of them (through a small dense table over
// the group columns' codes, not a hash per row), then each statistic
// reads its column from top to bottom. Every group still sees its rows in
// record order, so the running mean, the standard deviation and the first
// incident with the maximum are those of the row-by-row path, bit for bit.

// batchScratch holds the buffers of the columnar path, reused by each Add.
type batchScratch struct {
	rows  []int32   // rows that pass the filters
	codes [][]int64 // per group column, the code of each selected row
	gids  []int32   // per selected row, its group's index in Accumulator.order
	dense []int32   // dense key -> group index, -1 not yet known
	count []int64   // per group, its selected rows in this record
	sums  []sum     // per group, one column's known values in this record
}

// denseLimit bounds the dense table (entries) beyond a record's rows.
const denseLimit = 1 << 14

// columnar reports whether addColumns can take the record: it cannot
// report errors, so int64 count columns (whose values must be checked
// against the int32 range) and null dates (with a period) go row by row,
// where the error names its row.
func (a *Accumulator) columnar(v *recordView) bool {
	for q := range v.qty {
		for k := range v.qty[q] {
			if v.qty[q][k].i32 == nil {
				return false
			}
		}
	}
	for k := range v.party {
		if v.party[k].i32 == nil {
			return false
		}
	}
	return a.opts.Period == "" || v.date.a.NullN() == 0
}

func (a *Accumulator) addColumns(v *recordView, n int) {
	sc := &a.scratch
	rows := a.selectRows(v, n)
	m := n
	if rows != nil {
		m = len(rows)
	}
	if m == 0 {
		return
	}
	gids := a.groupIDs(v, rows, m)
	sc.count = grow(sc.count, len(a.order))
	clear(sc.count)
	for _, gi := range gids {
		sc.count[gi]++
	}
	for gi, c := range sc.count {
		a.order[gi].events += c
	}
	a.total += int64(m)
	for q := range quantityColumns {
		a.addBest(q, &v.qty[q][0], &v.id, rows, gids)
		if sums := a.sums(&v.qty[q][1], rows, gids); sums != nil {
			for gi, g := range a.order {
				g.qty[q].low.merge(sums[gi])
			}
		}
		if sums := a.sums(&v.qty[q][2], rows, gids); sums != nil {
			for gi, g := range a.order {
				g.qty[q].high.merge(sums[gi])
			}
		}
	}
	for k := range partyColumns {
		if sums := a.sums(&v.party[k], rows, gids); sums != nil {
			for gi, g := range a.order {
				g.party[k].merge(sums[gi])
			}
		}
	}
	if a.opts.Period != "" {
		dates := v.date.d32.Date32Values()
		fq := &v.qty[0]
		for j, gi := range gids {
			i := rowOf(rows, j)
			best, bestOK, _ := fq[0].get(i)
			low, lowOK, _ := fq[1].get(i)
			high, highOK, _ := fq[2].get(i)
			k := periodIndex(a.opts.Period, schema.Date(dates[i]))
			a.order[gi].periods.add(k, best, low, high, bestOK, lowOK, highOK)
		}
	}
}

func rowOf(rows []int32, j int) int {
	if rows == nil {
		return j
	}
	return int(rows[j])
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// selectRows returns the rows that pass the filters, nil for all rows.
func (a *Accumulator) selectRows(v *recordView, n int) []int32 {
	if len(a.opts.Where) == 0 && a.opts.Exclude == nil {
		return nil
	}
	rows := a.scratch.rows[:0]
	for i := 0; i < n; i++ {
		if a.keep(v, i) {
			rows = append(rows, int32(i))
		}
	}
	a.scratch.rows = rows
	return rows
}

// groupIDs returns the group index of each selected row.
func (a *Accumulator) groupIDs(v *recordView, rows []int32, m int) []int32 {
	sc := &a.scratch
	sc.gids = grow(sc.gids, m)
	gids := sc.gids
	nb := len(a.opts.By)
	if nb == 0 {
		gi := a.groupIndex() // the one group, of the empty key
		for j := range gids {
			gids[j] = gi
		}
		return gids
	}
	if len(sc.codes) < nb {
		sc.codes = make([][]int64, nb)
	}
	// Each column's codes, and their range: a null is one more slot.
	var lo, card [8]int64
	size := int64(1)
	dense := nb <= len(lo)
	for ci := 0; ci < nb; ci++ {
		sc.codes[ci] = a.columnCodes(v, ci, rows, grow(sc.codes[ci], m))
		if !dense {
			continue
		}
		first := true
		var l, h int64
		for _, c := range sc.codes[ci] {
			switch {
			case c == nullCode:
			case first:
				l, h, first = c, c, false
			case c < l:
				l = c
			case c > h:
				h = c
			}
		}
		if first {
			l, h = 0, -1
		}
		span := h - l
		limit := int64(max(denseLimit, 2*m))
		if span < -1 || span >= limit {
			dense = false
			continue
		}
		lo[ci], card[ci] = l, span+2
		if size *= card[ci]; size > limit {
			dense = false
		}
	}
	if !dense {
		for j := range gids {
			for ci := 0; ci < nb; ci++ {
				binary.LittleEndian.PutUint64(a.key[8*ci:], uint64(sc.codes[ci][j]))
			}
			gids[j] = a.groupIndex()
		}
		return gids
	}
	sc.dense = grow(sc.dense, int(size))
	for k := range sc.dense {
		sc.dense[k] = -1
	}
	for j := range gids {
		var local int64
		for ci := 0; ci < nb; ci++ {
			c := sc.codes[ci][j]
			slot := card[ci] - 1
			if c != nullCode {
				slot = c - lo[ci]
			}
			local = local*card[ci] + slot
		}
		gi := sc.dense[local]
		if gi < 0 {
			for ci := 0; ci < nb; ci++ {
				binary.LittleEndian.PutUint64(a.key[8*ci:], uint64(sc.codes[ci][j]))
			}
			gi = a.groupIndex()
			sc.dense[local] = gi
		}
		gids[j] = gi
	}
	return gids
}

// columnCodes fills codes with the group code of group column ci for each
// selected row (see lookup).
func (a *Accumulator) columnCodes(v *recordView, ci int, rows []int32, codes []int64) []int64 {
	switch a.byKinds[ci] {
	case arrow.STRING, arrow.DICTIONARY:
		c := &v.byText[ci]
		if c.dict == nil {
			for j := range codes {
				i := rowOf(rows, j)
				if c.isNull(i) {
					codes[j] = nullCode
				} else {
					codes[j] = a.strs[ci].id(c.value(i))
				}
			}
			return codes
		}
		ids := v.byDict[ci]
		idx32, _ := c.dict.Indices().(*array.Int32)
		nulls := c.dict.NullN() > 0
		for j := range codes {
			i := rowOf(rows, j)
			if nulls && c.dict.IsNull(i) {
				codes[j] = nullCode
				continue
			}
			var di int
			if idx32 != nil {
				di = int(idx32.Value(i))
			} else {
				di = c.dict.GetValueIndex(i)
			}
			code := ids[di]
			if code == -2 {
				code = a.strs[ci].id(c.dvals.Value(di))
				ids[di] = code
			}
			codes[j] = code
		}
		return codes
	}
	c := &v.byNum[ci]
	nulls := c.a.NullN() > 0
	for j := range codes {
		i := rowOf(rows, j)
		switch {
		case nulls && c.isNull(i):
			codes[j] = nullCode
		case c.i16 != nil:
			codes[j] = int64(c.i16.Value(i))
		default:
			codes[j] = c.code(i)
		}
	}
	return codes
}

// addBest accumulates the best estimate of quantity q: nulls, count,
// sum, moments, maximum and sample.
func (a *Accumulator) addBest(q int, c *countColumn, ids *textColumn, rows []int32, gids []int32) {
	if c.allNull {
		for gi, n := range a.scratch.count {
			a.order[gi].qty[q].nulls += n
		}
		return
	}
	groups := a.order
	for j, gi := range gids {
		i := rowOf(rows, j)
		s := &groups[gi].qty[q]
		if c.valid != nil && !bitutil.BitIsSet(c.valid, c.offset+i) {
			s.nulls++
			continue
		}
		x := c.i32[i]
		if x >= 1 {
			s.positive++
		}
		s.best.add(x)
		s.moments.add(float64(x))
		if !s.max.ok || x > s.max.value {
			s.max.add(x, ids, i)
		}
		s.sample.add(x)
	}
}

// sums returns the count and sum of the known values of c in each group
// (by index in Accumulator.order), nil when c has none.
func (a *Accumulator) sums(c *countColumn, rows []int32, gids []int32) []sum {
	if c.allNull {
		return nil
	}
	sums := grow(a.scratch.sums, len(a.order))
	clear(sums)
	a.scratch.sums = sums
	for j, gi := range gids {
		i := rowOf(rows, j)
		if c.valid != nil && !bitutil.BitIsSet(c.valid, c.offset+i) {
			continue
		}
		sums[gi].add(c.i32[i])
	}
	return sums
}
