package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Frequency is the frequency statistics of one group's counts per period.
type Frequency struct {
	Periods           int     // periods from the first to the last with an event, empty ones included
	Mean              float64 // events per period
	MeanLow, MeanHigh float64 // exact Poisson 95% confidence interval of Mean
	Dispersion        float64 // index of dispersion: sample variance / mean of the counts (NaN for one period)
	DispersionP       float64 // P(chi-square with Periods-1 df >= (Periods-1) * Dispersion): small means over-dispersed
	Slope             float64 // least-squares trend of the counts, events per period per period (NaN below 3 periods)
	SlopeSE           float64 // standard error of Slope
	SlopeP            float64 // two-sided p-value of Slope = 0, Student t with Periods-2 df
}

// poissonCI returns the exact (Garwood) confidence interval of a Poisson
// mean from n events: chi-square quantiles at (1-level)/2 with 2n degrees
// of freedom and at (1+level)/2 with 2n+2, halved.
func poissonCI(n int64, level float64) (lo, hi float64) {
	a := (1 - level) / 2
	if n > 0 {
		lo = distuv.ChiSquared{K: float64(2 * n)}.Quantile(a) / 2
	}
	hi = distuv.ChiSquared{K: float64(2*n + 2)}.Quantile(1-a) / 2
	return lo, hi
}

// FrequencyOf computes the frequency statistics of counts per period
// (empty periods included as zeros).
func FrequencyOf(counts []float64) Frequency {
	nan := math.NaN()
	f := Frequency{Periods: len(counts), Mean: nan, MeanLow: nan, MeanHigh: nan,
		Dispersion: nan, DispersionP: nan, Slope: nan, SlopeSE: nan, SlopeP: nan}
	t := len(counts)
	if t == 0 {
		return f
	}
	var total float64
	for _, c := range counts {
		total += c
	}
	f.Mean = total / float64(t)
	lo, hi := poissonCI(int64(total), 0.95)
	f.MeanLow, f.MeanHigh = lo/float64(t), hi/float64(t)
	if t >= 2 && f.Mean > 0 {
		v := stat.Variance(counts, nil)
		f.Dispersion = v / f.Mean
		df := float64(t - 1)
		f.DispersionP = distuv.ChiSquared{K: df}.Survival(df * f.Dispersion)
	}
	if t >= 3 {
		x := make([]float64, t)
		for i := range x {
			x[i] = float64(i)
		}
		alpha, beta := stat.LinearRegression(x, counts, nil, false)
		var ssr, sxx float64
		xm := float64(t-1) / 2
		for i, y := range counts {
			r := y - (alpha + beta*x[i])
			ssr += r * r
			sxx += (x[i] - xm) * (x[i] - xm)
		}
		f.Slope = beta
		f.SlopeSE = math.Sqrt(ssr / float64(t-2) / sxx)
		if f.SlopeSE > 0 {
			tt := math.Abs(beta / f.SlopeSE)
			f.SlopeP = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(t - 2)}.Survival(tt)
		} else if beta != 0 {
			f.SlopeP = 0
		}
	}
	return f
}
