package stats

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// referenceSets are Clauset, Shalizi & Newman's data sets as the python
// powerlaw package ships them (testdata/SOURCES.md).
var referenceSets = []string{"blackouts", "cities", "flares", "terrorism", "words"}

// loadReference reads testdata/<name>.txt: one integer per line (some
// written as floats, 1.0).
func loadReference(tb testing.TB, name string) []int64 {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".txt"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var x []int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != math.Trunc(v) {
			tb.Fatalf("%s: %q is no integer", name, s)
		}
		x = append(x, int64(v))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return x
}

// refFitSorted is the first implementation of the x_min scan, kept as the
// oracle of the fast one: every candidate refits alpha from scratch and its
// KS distance sums the zeta function term by term between data values.
// It is slow (11.5 s on cities) and simple enough to read against the
// definitions in Clauset et al. (2009).
func refFitSorted(vals []int64, minTail int) (PowerLaw, bool) {
	n := len(vals)
	if n < minTail {
		return PowerLaw{}, false
	}
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
	for j := 0; j < m-1; j++ {
		if tailN[j] < minTail {
			break
		}
		xmin := uniq[j]
		alpha := refMLEAlpha(float64(xmin), tailN[j], tailLog[j])
		d := refKSDistance(uniq[j:], cnt[j:], tailN[j], alpha)
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

// refMLEAlpha is golden-section search on (1.0001, 6].
func refMLEAlpha(xmin float64, n int, sumLog float64) float64 {
	nll := func(a float64) float64 { return float64(n)*math.Log(mathext.Zeta(a, xmin)) + a*sumLog }
	const invPhi = 0.6180339887498949
	lo, hi := 1.0001, 6.0
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

// refKSDistance is the largest gap over every integer x >= xmin between the
// empirical CDF of the tail and P(x) = 1 - zeta(alpha, x+1)/zeta(alpha, xmin):
// at each data value, and just below the next one.
func refKSDistance(uniq []int64, cnt []int, n int, alpha float64) float64 {
	z0 := mathext.Zeta(alpha, float64(uniq[0]))
	z := z0
	var cum int
	var d float64
	for k, v := range uniq {
		if k > 0 {
			if v-uniq[k-1] > 64 {
				z = mathext.Zeta(alpha, float64(v))
			} else {
				for i := uniq[k-1]; i < v; i++ {
					z -= math.Pow(float64(i), -alpha)
				}
			}
			below := float64(cum) / float64(n)
			d = math.Max(d, math.Abs(below-(1-z/z0)))
		}
		cum += cnt[k]
		at := 1 - (z-math.Pow(float64(v), -alpha))/z0
		d = math.Max(d, math.Abs(float64(cum)/float64(n)-at))
	}
	return d
}

// refBootstrapP is the first release's bootstrap, one replicate after
// another, with refFitSorted for every replicate.
func refBootstrapP(vals []int64, fit PowerLaw, replicates int, seed uint64, minTail int) float64 {
	body := vals[:len(vals)-fit.NTail]
	s := newPowerLawSampler(fit.Alpha, fit.XMin)
	pTail := float64(fit.NTail) / float64(len(vals))
	buf := make([]int64, len(vals))
	var worse int
	for i := 0; i < replicates; i++ {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		for j := range buf {
			if len(body) == 0 || r.Float64() < pTail {
				buf[j] = s.draw(r)
			} else {
				buf[j] = body[r.IntN(len(body))]
			}
		}
		slices.Sort(buf)
		f, ok := refFitSorted(buf, minTail)
		if !ok || f.KS >= fit.KS {
			worse++
		}
	}
	return float64(worse) / float64(replicates)
}

// TestBootstrapMatchesReference: the parallel bootstrap, whose replicates
// fit alpha with the fast zeta function alone, gives the first release's
// p-value on samples small enough for the slow scan.
func TestBootstrapMatchesReference(t *testing.T) {
	for s := uint64(0); s < 3; s++ {
		x := syntheticPowerLaw(400, 2.2+0.4*float64(s), int64(2+2*s), 0.3, 70+s)
		vals := sortedPositive(x)
		fit, ok := FitPowerLaw(x, TailOptions{Bootstrap: 60, Seed: 9 + s, Workers: 2})
		if !ok {
			t.Fatal("no fit")
		}
		want := refBootstrapP(vals, fit, 60, 9+s, 10)
		if fit.P != want {
			t.Errorf("sample %d: p = %v, reference %v", s, fit.P, want)
		}
		t.Logf("sample %d: xmin %d alpha %.4f p %v (reference %v)", s, fit.XMin, fit.Alpha, fit.P, want)
	}
	terror := loadReference(t, "terrorism")
	fit, _ := FitPowerLaw(terror, TailOptions{Bootstrap: 20, Seed: 1, Workers: 2})
	if want := refBootstrapP(sortedPositive(terror), fit, 20, 1, 10); fit.P != want {
		t.Errorf("terrorism: p = %v, reference %v", fit.P, want)
	}
}
