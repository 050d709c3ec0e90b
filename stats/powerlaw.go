package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"

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
}

// TailOptions tunes FitPowerLaw.
type TailOptions struct {
	Bootstrap int    // replicates for the p-value; 0 or less: none
	Seed      uint64 // replicate i draws from a generator seeded by (Seed, i)
	Workers   int    // goroutines for the bootstrap (at least 1)
	MinTail   int    // smallest tail a candidate XMin may leave; 0 means 10
}

const (
	alphaLow  = 1.0001 // the likelihood diverges at 1
	alphaHigh = 6.0
)

// FitPowerLaw fits a discrete power law to the values >= 1 of x. ok is
// false when fewer than MinTail such values exist. The bootstrap p-value
// is the share of replicates whose own best fit has a KS distance at least
// the data's; replicates redraw the values below XMin from the data and the
// tail from the fitted law, and refit XMin and Alpha, as the paper does.
// The result depends only on x and the options, never on scheduling.
func FitPowerLaw(x []int64, opts TailOptions) (PowerLaw, bool) {
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
	fit, ok := fitSorted(vals, opts.MinTail)
	if !ok {
		return PowerLaw{}, false
	}
	fit.P = math.NaN()
	if opts.Bootstrap > 0 {
		fit.P = bootstrapP(vals, fit, opts)
		fit.Bootstrap = opts.Bootstrap
	}
	return fit, true
}

// fitSorted scans the candidate XMin values of sorted values >= 1.
func fitSorted(vals []int64, minTail int) (PowerLaw, bool) {
	n := len(vals)
	if n < minTail {
		return PowerLaw{}, false
	}
	// distinct values, their counts, and suffix sums of log x
	var uniq []int64
	var cnt []int
	for _, v := range vals {
		if len(uniq) > 0 && uniq[len(uniq)-1] == v {
			cnt[len(cnt)-1]++
			continue
		}
		uniq = append(uniq, v)
		cnt = append(cnt, 1)
	}
	m := len(uniq)
	tailN := make([]int, m+1)
	tailLog := make([]float64, m+1)
	for j := m - 1; j >= 0; j-- {
		tailN[j] = tailN[j+1] + cnt[j]
		tailLog[j] = tailLog[j+1] + float64(cnt[j])*math.Log(float64(uniq[j]))
	}
	best := PowerLaw{KS: math.Inf(1)}
	for j := 0; j < m-1; j++ { // the largest value alone is no tail
		if tailN[j] < minTail {
			break
		}
		xmin := uniq[j]
		alpha := mleAlpha(float64(xmin), tailN[j], tailLog[j])
		d := ksDistance(uniq[j:], cnt[j:], tailN[j], alpha)
		if d < best.KS {
			best = PowerLaw{Alpha: alpha, XMin: xmin, NTail: tailN[j], KS: d}
		}
	}
	if math.IsInf(best.KS, 1) {
		return PowerLaw{}, false
	}
	best.N = n
	best.AlphaSE = (best.Alpha - 1) / math.Sqrt(float64(best.NTail))
	return best, true
}

// mleAlpha maximizes the discrete power-law log-likelihood
// -n ln zeta(alpha, xmin) - alpha sum(ln x) over alpha in (1, 6] by
// golden-section search; the likelihood is concave in alpha.
func mleAlpha(xmin float64, n int, sumLog float64) float64 {
	nll := func(a float64) float64 { return float64(n)*math.Log(mathext.Zeta(a, xmin)) + a*sumLog }
	const invPhi = 0.6180339887498949
	lo, hi := alphaLow, alphaHigh
	c := hi - invPhi*(hi-lo)
	d := lo + invPhi*(hi-lo)
	fc, fd := nll(c), nll(d)
	for hi-lo > 1e-7 {
		if fc < fd {
			hi, d, fd = d, c, fc
			c = hi - invPhi*(hi-lo)
			fc = nll(c)
		} else {
			lo, c, fc = c, d, fd
			d = lo + invPhi*(hi-lo)
			fd = nll(d)
		}
	}
	return (lo + hi) / 2
}

// ksDistance is the largest gap, over every integer x >= xmin, between the
// empirical CDF of the tail (distinct values uniq with counts cnt, n in
// all) and the fitted CDF P(x) = 1 - zeta(alpha, x+1)/zeta(alpha, xmin).
// Between two data values the empirical CDF is flat and P rises, so the
// gap is largest at a data value or just below the next one.
func ksDistance(uniq []int64, cnt []int, n int, alpha float64) float64 {
	z0 := mathext.Zeta(alpha, float64(uniq[0]))
	z := z0 // zeta(alpha, uniq[k])
	var cum int
	var d float64
	for k, v := range uniq {
		if k > 0 {
			z = zetaStep(alpha, z, uniq[k-1], v)
			below := float64(cum) / float64(n)
			d = math.Max(d, math.Abs(below-(1-z/z0))) // at v-1
		}
		cum += cnt[k]
		at := 1 - (z-math.Pow(float64(v), -alpha))/z0
		d = math.Max(d, math.Abs(float64(cum)/float64(n)-at))
	}
	return d
}

// zetaStep returns zeta(alpha, b) from z = zeta(alpha, a), a < b: a short
// gap is summed term by term, a long one recomputed.
func zetaStep(alpha, z float64, a, b int64) float64 {
	if b-a > 64 {
		return mathext.Zeta(alpha, float64(b))
	}
	for k := a; k < b; k++ {
		z -= math.Pow(float64(k), -alpha)
	}
	return z
}

// powerLawSampler draws from the discrete power law (alpha, xmin) exactly by
// inverting a table of its CDF, and beyond the table from the continuous
// approximation of the far tail, where the two agree.
type powerLawSampler struct {
	alpha float64
	xmin  int64
	cdf   []float64 // cdf[k] = P(X <= xmin+k)
}

const samplerTable = 1 << 14

func newPowerLawSampler(alpha float64, xmin int64) *powerLawSampler {
	s := &powerLawSampler{alpha: alpha, xmin: xmin, cdf: make([]float64, samplerTable)}
	z0 := mathext.Zeta(alpha, float64(xmin))
	var c float64
	for k := range s.cdf {
		c += math.Pow(float64(xmin+int64(k)), -alpha) / z0
		s.cdf[k] = c
	}
	return s
}

func (s *powerLawSampler) draw(r *rand.Rand) int64 {
	u := r.Float64()
	last := s.cdf[len(s.cdf)-1]
	if u < last {
		k := sort.SearchFloat64s(s.cdf, u)
		for k < len(s.cdf) && s.cdf[k] <= u { // SearchFloat64s finds cdf[k] >= u; want cdf[k] > u
			k++
		}
		return s.xmin + int64(k)
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
// section 4.1. Replicate i uses its own generator seeded with (seed, i) and
// writes its own slot, so the result does not depend on the workers.
func bootstrapP(vals []int64, fit PowerLaw, opts TailOptions) float64 {
	body := vals[:len(vals)-fit.NTail] // sorted: the values below XMin
	s := newPowerLawSampler(fit.Alpha, fit.XMin)
	pTail := float64(fit.NTail) / float64(len(vals))
	ks := make([]float64, opts.Bootstrap)
	workers := max(opts.Workers, 1)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]int64, len(vals))
			for i := range next {
				r := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
				for j := range buf {
					if len(body) == 0 || r.Float64() < pTail {
						buf[j] = s.draw(r)
					} else {
						buf[j] = body[r.IntN(len(body))]
					}
				}
				slices.Sort(buf)
				f, ok := fitSorted(buf, opts.MinTail)
				if ok {
					ks[i] = f.KS
				} else {
					ks[i] = math.Inf(1) // no fit at all: as bad as it gets
				}
			}
		}()
	}
	for i := range ks {
		next <- i
	}
	close(next)
	wg.Wait()
	var worse int
	for _, d := range ks {
		if d >= fit.KS {
			worse++
		}
	}
	return float64(worse) / float64(len(ks))
}
