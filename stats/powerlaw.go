package stats

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mathext"
)

// PowerLaw is a discrete power-law fit of a tail, p(x) = x^-Alpha / zeta(Alpha, XMin)
// for x >= XMin, by the method of Clauset, Shalizi & Newman (2009).
type PowerLaw struct {
	Alpha     float64 // maximum-likelihood exponent at XMin
	AlphaSE   float64 // standard error of Alpha: (Alpha-1)/sqrt(NTail)
	XMin      int64   // lower bound of the tail, the candidate with the smallest KS distance
	NTail     int     // values >= XMin
	N         int     // values >= 1 given to the fit
	KS        float64 // Kolmogorov-Smirnov distance between the tail and the fit
	P         float64 // goodness-of-fit p-value by semi-parametric bootstrap (NaN without bootstrap)
	Bootstrap int     // bootstrap replicates behind P

	// AlphaAtBound is set when Alpha is an end of the search range
	// (AlphaMin or AlphaMax) rather than an interior maximum of the
	// likelihood: the maximum lies beyond it, and Alpha is only a bound.
	AlphaAtBound bool
}

// TailOptions tunes FitPowerLaw.
type TailOptions struct {
	Bootstrap int    // replicates for the p-value; 0 or less: none
	Seed      uint64 // replicate i draws from a generator seeded by (Seed, i)
	Workers   int    // goroutines for the bootstrap: 0 means GOMAXPROCS
	MinTail   int    // smallest tail a candidate XMin may leave; 0 means 10

	// Progress, if set, is called after each bootstrap replicate with the
	// number done so far and Bootstrap. Calls come from the bootstrap
	// goroutines one at a time, with done increasing.
	Progress func(done, total int)
}

// The range of the search for alpha. The likelihood diverges at 1. The
// search first covers (AlphaMin, 6], the range of the first release, so
// that its fits are reproduced to the last digit; only when the maximum
// lies at 6 or beyond does it go on to AlphaMax.
const (
	AlphaMin = 1.0001
	AlphaMax = 20.0

	alphaFirst = 6.0
	alphaTol   = 1e-7 // width of the final bracket of the golden-section search
)

// FitPowerLaw fits a discrete power law to the values >= 1 of x. ok is
// false when fewer than MinTail such values exist. The bootstrap p-value
// is the share of replicates whose own best fit has a KS distance at least
// the data's; replicates redraw the values below XMin from the data and the
// tail from the fitted law, and refit XMin and Alpha, as the paper does.
// The result depends only on x and the options, never on scheduling.
func FitPowerLaw(x []int64, opts TailOptions) (PowerLaw, bool) {
	fit, ok, _ := FitPowerLawContext(context.Background(), x, opts)
	return fit, ok
}

// FitPowerLawContext is FitPowerLaw that stops the bootstrap when ctx is
// done, returning ctx's error.
func FitPowerLawContext(ctx context.Context, x []int64, opts TailOptions) (PowerLaw, bool, error) {
	if opts.MinTail <= 0 {
		opts.MinTail = 10
	}
	vals := make([]int64, 0, len(x))
	for _, v := range x {
		if v >= 1 {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	var s tailScan
	s.reset(vals)
	fit, ok := s.fit(opts.MinTail)
	if !ok {
		return PowerLaw{}, false, nil
	}
	fit.P = math.NaN()
	if opts.Bootstrap > 0 {
		p, err := bootstrapP(ctx, vals, fit, opts)
		if err != nil {
			return PowerLaw{}, false, err
		}
		fit.P = p
		fit.Bootstrap = opts.Bootstrap
	}
	return fit, true, nil
}

// tailScan is a sorted sample as the x_min scan reads it: the distinct
// values, their logs and counts, and for each distinct value the size of
// the tail it starts and the sum of that tail's logs. reset reuses the
// slices, so a bootstrap worker allocates them once.
type tailScan struct {
	// replicate marks a bootstrap sample: its alpha comes from the fast
	// zeta function alone, without the steps of gonum's that make the
	// data's own fit that of the first release to the bit (the two differ
	// in the 7th decimal at most, far below the sampling noise of a
	// replicate's KS distance).
	replicate bool

	uniq    []int64
	logs    []float64 // log uniq[k]
	cnt     []int
	tailN   []int     // values >= uniq[k]; tailN[len(uniq)] = 0
	tailLog []float64 // sum of their logs
}

func (s *tailScan) reset(sorted []int64) {
	s.uniq, s.cnt = s.uniq[:0], s.cnt[:0]
	s.appendSorted(sorted)
	s.finish()
}

// resetCounts is reset for a sample given as the distinct values vals with
// counts cnt (zeros skipped), all below the values of sorted, and sorted:
// a bootstrap replicate, whose body needs no sorting.
func (s *tailScan) resetCounts(vals []int64, cnt []int, sorted []int64) {
	s.uniq, s.cnt = s.uniq[:0], s.cnt[:0]
	for k, c := range cnt {
		if c > 0 {
			s.uniq = append(s.uniq, vals[k])
			s.cnt = append(s.cnt, c)
		}
	}
	s.appendSorted(sorted)
	s.finish()
}

func (s *tailScan) appendSorted(sorted []int64) {
	for _, v := range sorted {
		if len(s.uniq) > 0 && s.uniq[len(s.uniq)-1] == v {
			s.cnt[len(s.cnt)-1]++
			continue
		}
		s.uniq = append(s.uniq, v)
		s.cnt = append(s.cnt, 1)
	}
}

func (s *tailScan) finish() {
	m := len(s.uniq)
	s.logs = slices.Grow(s.logs[:0], m)[:m]
	s.tailN = slices.Grow(s.tailN[:0], m+1)[:m+1]
	s.tailLog = slices.Grow(s.tailLog[:0], m+1)[:m+1]
	s.tailN[m], s.tailLog[m] = 0, 0
	// from the top down, in the order of the first release, so that each
	// sum is the same to the last bit
	for j := m - 1; j >= 0; j-- {
		s.logs[j] = math.Log(float64(s.uniq[j]))
		s.tailN[j] = s.tailN[j+1] + s.cnt[j]
		s.tailLog[j] = s.tailLog[j+1] + float64(s.cnt[j])*s.logs[j]
	}
}

// candidates returns how many distinct values, from the smallest, may be
// x_min: each must leave minTail values, and the largest value alone is no
// tail.
func (s *tailScan) candidates(minTail int) int {
	m := len(s.uniq)
	if m < 2 {
		return 0
	}
	// tailN falls as j rises: the first j whose tail is too short ends the scan
	return min(m-1, sort.Search(m, func(j int) bool { return s.tailN[j] < minTail }))
}

// seedCandidates is how many candidates, spread over the range, are fully
// evaluated before the scan to give it a bound to prune by.
const seedCandidates = 8

// fit scans the candidate x_min values for the smallest KS distance. A
// candidate's distance only grows as more points are seen, so once it
// passes the smallest distance so far (or that of the seed candidates) the
// candidate is dropped; the first candidate with the smallest distance,
// which a full scan would choose, is never dropped, so the result is that
// of a full scan.
func (s *tailScan) fit(minTail int) (PowerLaw, bool) {
	n := 0
	if len(s.tailN) > 0 {
		n = s.tailN[0]
	}
	if n < minTail {
		return PowerLaw{}, false
	}
	last := s.candidates(minTail)
	if last == 0 {
		return PowerLaw{}, false
	}
	bound := math.Inf(1)
	for i := 0; i < seedCandidates && i < last; i++ {
		j := int(int64(i) * int64(last) / seedCandidates)
		alpha, _ := s.alpha(j)
		d, _ := s.ksDistance(j, alpha, math.Inf(1))
		bound = min(bound, d)
	}
	best := PowerLaw{KS: math.Inf(1)}
	hint := 0
	for j := 0; j < last; j++ {
		alpha, atBound := s.alpha(j)
		d, complete, at := s.ksPruned(j, alpha, min(bound, best.KS), hint)
		hint = at
		if complete && d < best.KS {
			best = PowerLaw{Alpha: alpha, XMin: s.uniq[j], NTail: s.tailN[j], KS: d, AlphaAtBound: atBound}
		}
	}
	if math.IsInf(best.KS, 1) {
		return PowerLaw{}, false
	}
	best.N = n
	best.AlphaSE = (best.Alpha - 1) / math.Sqrt(float64(best.NTail))
	return best, true
}

// anyBelow reports whether some candidate x_min has a KS distance below
// d: the bootstrap's question about a replicate (is its best fit better
// than the data's?), which it answers without finding the best fit. Every
// candidate is dropped once its distance reaches d, and the scan ends at
// the first that stays below it. The answer is that of comparing fit's KS
// distance with d, no fit counting as no.
func (s *tailScan) anyBelow(minTail int, d float64) bool {
	if len(s.tailN) == 0 || s.tailN[0] < minTail {
		return false
	}
	bound := math.Nextafter(d, math.Inf(-1)) // ksDistance stops once the distance passes bound, that is reaches d
	hint := 0
	for j, last := 0, s.candidates(minTail); j < last; j++ {
		alpha, _ := s.alpha(j)
		_, complete, at := s.ksPruned(j, alpha, bound, hint)
		if complete {
			return true
		}
		hint = at
	}
	return false
}

// alpha is the maximum-likelihood exponent of the tail from uniq[j].
func (s *tailScan) alpha(j int) (float64, bool) {
	return mleAlpha(s.uniq[j], s.logs[j], s.tailN[j], s.tailLog[j], s.replicate)
}

// ksPruned is ksDistance that first looks at the point hint (where the
// previous candidate was dropped, if it was: neighbouring candidates tend
// to fail at the same place) and returns the point at which it stopped.
func (s *tailScan) ksPruned(j int, alpha, bound float64, hint int) (d float64, complete bool, at int) {
	if hint > j && hint < len(s.uniq) {
		// gapAt reaches zeta(alpha, uniq[hint]) by another path than
		// ksDistance, so the two may differ in the last bits: only a gap
		// clearly past the bound drops the candidate here.
		if g := s.gapAt(j, hint, alpha); g > bound+1e-12 {
			return g, false, hint
		}
	}
	d, at = s.ksDistance(j, alpha, bound)
	return d, at == len(s.uniq), at
}

// gapAt is the largest of the two gaps ksDistance measures at point k of
// the candidate j.
func (s *tailScan) gapAt(j, k int, alpha float64) float64 {
	n := float64(s.tailN[j])
	z0 := zeta(alpha, s.uniq[j], s.logs[j])
	t := math.Exp(-alpha * s.logs[k])
	z := zetaWith(alpha, s.uniq[k], t)
	below := float64(s.tailN[j]-s.tailN[k]) / n
	cum := float64(s.tailN[j]-s.tailN[k+1]) / n
	return max(math.Abs(below-(1-z/z0)), math.Abs(cum-(1-(z-t)/z0)))
}

// ksDistance is the largest gap, over every integer x >= xmin = uniq[j],
// between the empirical CDF of the tail and the fitted CDF
// P(x) = 1 - zeta(alpha, x+1)/zeta(alpha, xmin). Between two data values
// the empirical CDF is flat and P rises, so the gap is largest at a data
// value or just below the next one: those are the only points measured.
// It stops once the gap passes bound, returning the index of that point
// (len(uniq) when it saw every point).
func (s *tailScan) ksDistance(j int, alpha, bound float64) (float64, int) {
	uniq, logs, cnt := s.uniq, s.logs, s.cnt
	n := float64(s.tailN[j])
	z0 := zeta(alpha, uniq[j], logs[j])
	z := z0        // zeta(alpha, uniq[k])
	var t0 float64 // uniq[k-1]^-alpha
	var cum int
	var d float64
	for k := j; k < len(uniq); k++ {
		v := uniq[k]
		t := math.Exp(-alpha * logs[k])
		if k > j {
			switch prev := uniq[k-1]; {
			case v-prev == 1:
				z -= t0
			case v >= eulerMaclaurinFrom:
				z = zetaWith(alpha, v, t)
			default:
				for i := prev; i < v; i++ {
					z -= math.Pow(float64(i), -alpha)
				}
			}
			d = max(d, math.Abs(float64(cum)/n-(1-z/z0))) // at v-1
		}
		cum += cnt[k]
		d = max(d, math.Abs(float64(cum)/n-(1-(z-t)/z0)))
		if d > bound {
			return d, k
		}
		t0 = t
	}
	return d, len(uniq)
}

// mleAlpha maximizes the discrete power-law log-likelihood
// -n ln zeta(alpha, xmin) - alpha sum(ln x) over alpha by golden-section
// search; the likelihood is concave in alpha (ln zeta is a log-sum-exp of
// linear functions of alpha). The search covers (AlphaMin, 6] first and
// goes on to AlphaMax only if the maximum is at 6 or beyond; atBound says
// the maximum lies outside (AlphaMin, AlphaMax).
//
// With fast (bootstrap replicates), alpha is instead the root of the score
// by Newton's method when xmin >= eulerMaclaurinFrom (a few steps to 1e-10
// in place of 39), and below that the golden section on the fast zeta
// function alone.
func mleAlpha(xmin int64, logXmin float64, n int, sumLog float64, fast bool) (alpha float64, atBound bool) {
	l := likelihood{xmin: xmin, logXmin: logXmin, n: float64(n), sumLog: sumLog, fastOnly: fast}
	if fast && xmin >= eulerMaclaurinFrom {
		return l.newton()
	}
	lo, hi := l.golden(AlphaMin, alphaFirst)
	if hi == alphaFirst { // the bracket never left 6
		lo, hi = l.golden(lo, AlphaMax)
		return (lo + hi) / 2, hi == AlphaMax
	}
	return (lo + hi) / 2, lo == AlphaMin
}

// likelihood is the negative log-likelihood in alpha of a tail of n values
// >= xmin whose logs sum to sumLog.
type likelihood struct {
	xmin    int64
	logXmin float64
	n       float64
	sumLog  float64

	fastOnly bool // never ask gonum's zeta function
}

// probe is a point of the golden-section search: the likelihood by the fast
// zeta function, and by gonum's when a comparison needs it.
type probe struct {
	a, fast, exact float64
	haveExact      bool
}

func (l *likelihood) probe(a float64) probe {
	if l.xmin < eulerMaclaurinFrom {
		e := l.exact(a)
		return probe{a: a, fast: e, exact: e, haveExact: true}
	}
	return probe{a: a, fast: l.n*math.Log(zetaWith(a, l.xmin, math.Exp(-a*l.logXmin))) + a*l.sumLog}
}

func (l *likelihood) exact(a float64) float64 {
	return l.n*math.Log(mathext.Zeta(a, float64(l.xmin))) + a*l.sumLog
}

// zetaRelErr bounds the relative difference between zetaWith and
// mathext.Zeta over 1 + alpha ln q, since the exponential in zetaWith
// carries the rounding of its argument (TestZetaWithMatchesGonum measures
// it). A tail of n values >= q has sumLog >= n ln q, so the margin in less
// covers n times that relative error with room to spare.
const zetaRelErr = 1e-15

// less reports whether the likelihood at c is below that at d as computed
// with gonum's zeta function: the fast values decide when they are further
// apart than their error, which leaves gonum's only for the last steps of a
// search, where the two points are nearly level. So every step goes the way
// the first release's went and the result is the same to the bit.
func (l *likelihood) less(c, d *probe) bool {
	margin := 4 * zetaRelErr * (l.n + math.Abs(c.a*l.sumLog) + math.Abs(d.a*l.sumLog))
	if diff := c.fast - d.fast; l.fastOnly || diff > margin || diff < -margin {
		return diff < 0
	}
	if !c.haveExact {
		c.exact, c.haveExact = l.exact(c.a), true
	}
	if !d.haveExact {
		d.exact, d.haveExact = l.exact(d.a), true
	}
	return c.exact < d.exact
}

// golden narrows [lo, hi] around the minimum to a bracket alphaTol wide
// and returns the bracket. The steps are those of the first release's
// search, to the bit.
func (l *likelihood) golden(lo, hi float64) (float64, float64) {
	const invPhi = 0.6180339887498949
	c := l.probe(hi - invPhi*(hi-lo))
	d := l.probe(lo + invPhi*(hi-lo))
	for hi-lo > alphaTol {
		if l.less(&c, &d) {
			hi, d = d.a, c
			c = l.probe(hi - invPhi*(hi-lo))
		} else {
			lo, c = c.a, d
			d = l.probe(lo + invPhi*(hi-lo))
		}
	}
	return lo, hi
}

// newton finds the root of the score g(a) = n zeta'(a, q)/zeta(a, q) + sumLog,
// which rises with a (g' is n times the variance of ln X), by Newton's
// method kept inside a bracket, from the continuous law's estimate
// 1 + n / sum ln(x/(q - 1/2)) (Clauset et al. 2009, eq. 3.7). It needs
// q >= eulerMaclaurinFrom.
func (l *likelihood) newton() (float64, bool) {
	lo, hi := AlphaMin, AlphaMax
	a := 1 + l.n/(l.sumLog-l.n*math.Log(float64(l.xmin)-0.5))
	if !(a > lo && a < hi) {
		a = 2.5
	}
	for range 100 {
		z0, z1, z2 := zetaDerivs(a, float64(l.xmin), l.logXmin)
		r := z1 / z0
		g := l.n*r + l.sumLog
		if g > 0 {
			hi = a
		} else {
			lo = a
		}
		step := g / (l.n * (z2/z0 - r*r))
		next := a - step
		if !(next > lo && next < hi) { // outside the bracket: bisect
			next = (lo + hi) / 2
		}
		if math.Abs(next-a) < 1e-10 || hi-lo < 1e-10 {
			a = next
			break
		}
		a = next
	}
	const edge = 1e-9
	return a, a-AlphaMin < edge || AlphaMax-a < edge
}

// zetaDerivs returns zeta(a, q) and its first two derivatives in a, for
// q >= eulerMaclaurinFrom, logQ = ln q, by differentiating zetaWith's
// Euler-Maclaurin terms: each is a product of powers of q and of (a+i).
func zetaDerivs(a, q, logQ float64) (z0, z1, z2 float64) {
	const machEp = 1.0 / (1 << 53)
	b := math.Exp(-a * logQ)
	// q^(1-a)/(a-1): d ln/da = -ln q - 1/(a-1), d2 ln/da2 = 1/(a-1)^2
	t := b * q / (a - 1)
	d := -logQ - 1/(a-1)
	z0, z1, z2 = t, t*d, t*(d*d+1/((a-1)*(a-1)))
	// q^-a/2
	t = 0.5 * b
	z0, z1, z2 = z0+t, z1-logQ*t, z2+logQ*logQ*t
	prod, h1, h2 := 1.0, 0.0, 0.0 // product of (a+i), sums of 1/(a+i) and 1/(a+i)^2
	k := 0.0
	for _, coef := range zetaCoefs {
		prod *= a + k
		h1 += 1 / (a + k)
		h2 += 1 / ((a + k) * (a + k))
		b /= q
		t = prod * b / coef
		d = h1 - logQ
		z0 += t
		z1 += t * d
		z2 += t * (d*d - h2)
		if math.Abs(t/z0) < machEp {
			break
		}
		k++
		prod *= a + k
		h1 += 1 / (a + k)
		h2 += 1 / ((a + k) * (a + k))
		b /= q
		k++
	}
	return z0, z1, z2
}

// eulerMaclaurinFrom is the smallest q whose zeta(alpha, q) zetaWith sums
// directly: from here the Euler-Maclaurin remainder after a few terms is
// below the last bit.
const eulerMaclaurinFrom = 64

// zeta is the Hurwitz zeta function zeta(alpha, q) = sum_{k>=0} (q+k)^-alpha,
// logQ = ln q.
func zeta(alpha float64, q int64, logQ float64) float64 {
	if q < eulerMaclaurinFrom {
		return mathext.Zeta(alpha, float64(q))
	}
	return zetaWith(alpha, q, math.Exp(-alpha*logQ))
}

// Bernoulli coefficients of the Euler-Maclaurin formula, as in Cephes'
// zeta.c (gonum's mathext.Zeta).
var zetaCoefs = [...]float64{
	12.0,
	-720.0,
	30240.0,
	-1209600.0,
	47900160.0,
	-1.307674368e12 / 691,
	7.47242496e10,
	-1.067062284288e16 / 3617,
	5.109094217170944e18 / 43867,
	-8.028576626982912e20 / 174611,
	1.5511210043330985984e23 / 854513,
	-1.6938241367317436694528e27 / 236364091,
}

// zetaWith is zeta(alpha, q) given b = q^-alpha. From eulerMaclaurinFrom
// on it is the Euler-Maclaurin formula at q itself, which costs one
// exponential where mathext.Zeta sums nine powers first; below, it is
// mathext.Zeta.
func zetaWith(alpha float64, q int64, b float64) float64 {
	if q < eulerMaclaurinFrom {
		return mathext.Zeta(alpha, float64(q))
	}
	const machEp = 1.0 / (1 << 53)
	w := float64(q)
	s := b*w/(alpha-1) + 0.5*b
	a, k := 1.0, 0.0
	for _, coef := range zetaCoefs {
		a *= alpha + k
		b /= w
		t := a * b / coef
		s += t
		if math.Abs(t/s) < machEp {
			break
		}
		k++
		a *= alpha + k
		b /= w
		k++
	}
	return s
}

// powerLawSampler draws from the discrete power law (alpha, xmin) exactly by
// inverting a table of its CDF, and beyond the table from the continuous
// approximation of the far tail, where the two agree.
type powerLawSampler struct {
	alpha float64
	xmin  int64
	cdf   []float64 // cdf[k] = P(X <= xmin+k)
	guide []int32   // guide[b] = the first k with cdf[k] > b/samplerGuide
}

const (
	samplerTable = 1 << 14
	samplerGuide = 1 << 12 // buckets of u, a power of two so that b/samplerGuide is exact
)

func newPowerLawSampler(alpha float64, xmin int64) *powerLawSampler {
	s := &powerLawSampler{alpha: alpha, xmin: xmin, cdf: make([]float64, samplerTable), guide: make([]int32, samplerGuide+1)}
	z0 := mathext.Zeta(alpha, float64(xmin))
	var c float64
	for k := range s.cdf {
		c += math.Pow(float64(xmin+int64(k)), -alpha) / z0
		s.cdf[k] = c
	}
	k := 0
	for b := range s.guide {
		for k < len(s.cdf) && s.cdf[k] <= float64(b)/samplerGuide {
			k++
		}
		s.guide[b] = int32(k)
	}
	return s
}

func (s *powerLawSampler) draw(r *rand.Rand) int64 {
	u := r.Float64()
	last := s.cdf[len(s.cdf)-1]
	if u < last {
		// the first k with cdf[k] > u lies between the guides of u's
		// bucket b (b/samplerGuide <= u) and of the next
		b := int(u * samplerGuide)
		lo, hi := int(s.guide[b]), int(s.guide[b+1])
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if s.cdf[mid] > u {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return s.xmin + int64(lo)
	}
	// the remaining mass, beyond the table, from the continuous law
	// starting half a step below the first value past the table
	start := float64(s.xmin+int64(len(s.cdf))) - 0.5
	v := (1 - u) / (1 - last) // uniform in (0, 1]
	if v <= 0 {
		v = math.SmallestNonzeroFloat64
	}
	x := math.Floor(start*math.Pow(v, -1/(s.alpha-1)) + 0.5)
	if x > math.MaxInt64/2 {
		x = math.MaxInt64 / 2
	}
	return int64(x)
}

// bootstrapP is the semi-parametric bootstrap of Clauset et al. (2009),
// section 4.1: the share of replicates whose best fit has a KS distance at
// least the data's (tailScan.anyBelow answers that without the best fit). Replicate i uses its own generator seeded with (seed, i) and
// writes its own slot, so the result does not depend on the workers. The
// workers check ctx between replicates; one replicate of a large sample
// takes well under a second.
func bootstrapP(ctx context.Context, vals []int64, fit PowerLaw, opts TailOptions) (float64, error) {
	body := vals[:len(vals)-fit.NTail] // sorted: the values below XMin
	// A draw from the body picks body[i] for a uniform i; which distinct
	// value that is, is a search of the body's run ends, so the body of a
	// replicate is counted, never stored or sorted: only its tail is.
	var bodyVals []int64
	var bodyEnds []int // body[bodyEnds[k-1]:bodyEnds[k]] are copies of bodyVals[k]
	for i, v := range body {
		if i+1 == len(body) || body[i+1] != v {
			bodyVals = append(bodyVals, v)
			bodyEnds = append(bodyEnds, i+1)
		}
	}
	s := newPowerLawSampler(fit.Alpha, fit.XMin)
	pTail := float64(fit.NTail) / float64(len(vals))
	better := make([]bool, opts.Bootstrap) // replicate i's best fit has a KS distance below the data's
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opts.Bootstrap)
	var next atomic.Int64
	var progMu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tail []int64
			bodyCnt := make([]int, len(bodyVals))
			scan := tailScan{replicate: true}
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(better) {
					return
				}
				r := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
				tail = tail[:0]
				clear(bodyCnt)
				for range len(vals) {
					if len(body) == 0 || r.Float64() < pTail {
						tail = append(tail, s.draw(r))
					} else {
						idx := r.IntN(len(body))
						k, _ := slices.BinarySearch(bodyEnds, idx+1) // the first run ending past idx
						bodyCnt[k]++
					}
				}
				slices.Sort(tail)
				scan.resetCounts(bodyVals, bodyCnt, tail)
				better[i] = scan.anyBelow(opts.MinTail, fit.KS) // no fit at all is as bad as it gets
				if opts.Progress != nil {
					progMu.Lock()
					done++
					opts.Progress(done, len(better))
					progMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return math.NaN(), fmt.Errorf("stats: power-law bootstrap: %w", err)
	}
	var worse int
	for _, b := range better {
		if !b {
			worse++
		}
	}
	return float64(worse) / float64(len(better)), nil
}
