package stats

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
)

// Kind is the type of a result column.
type Kind uint8

// Result column kinds.
const (
	KindString Kind = iota
	KindInt
	KindFloat
)

// Column is one column of a Result.
type Column struct {
	Name    string
	Kind    Kind
	Meaning string
}

// Value is one cell of a Result. A null (unknown, or undefined such as the
// standard deviation of one value) has Null set.
type Value struct {
	Null bool
	Int  int64
	Num  float64
	Str  string
}

func intValue(v int64) Value  { return Value{Int: v} }
func strValue(s string) Value { return Value{Str: s} }

// floatValue is null for NaN and infinities, which no output format carries.
func floatValue(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{Null: true}
	}
	return Value{Num: f}
}

func floatOK(f float64, ok bool) Value {
	if !ok {
		return Value{Null: true}
	}
	return floatValue(f)
}

var null = Value{Null: true}

// Result is the statistics as one flat table: a row per group (or per group
// and period with Options.Series), in a stable column order that every
// output format keeps.
type Result struct {
	Columns []Column
	Rows    [][]Value
}

// ColumnIndex returns the position of the named column, or -1.
func (r *Result) ColumnIndex(name string) int {
	return slices.IndexFunc(r.Columns, func(c Column) bool { return c.Name == name })
}

// Value returns the cell of the named column in row i; ok is false for an
// unknown column.
func (r *Result) Value(i int, name string) (v Value, ok bool) {
	j := r.ColumnIndex(name)
	if j < 0 {
		return Value{}, false
	}
	return r.Rows[i][j], true
}

var quantityPrefix = [3]string{"fatalities", "injured", "detained"}

// summaryColumns lists the columns of the summary in their fixed order.
func summaryColumns(opts Options) []Column {
	cols := groupColumns(opts)
	add := func(name string, k Kind, meaning string) { cols = append(cols, Column{name, k, meaning}) }
	add("events", KindInt, "incidents in the group")
	add("events_share", KindFloat, "share of all incidents that passed the filters")
	for _, p := range quantityPrefix {
		add(p+"_events", KindInt, "incidents with "+p+"_best >= 1")
		add(p+"_share", KindFloat, "share of incidents with "+p+"_best >= 1")
		add(p+"_null", KindInt, "incidents whose "+p+"_best is unknown (null)")
		add(p+"_null_share", KindFloat, "share of incidents whose "+p+"_best is unknown (null)")
		add(p+"_best_sum", KindInt, "sum of the known "+p+"_best")
		add(p+"_low_sum", KindInt, "sum of the known "+p+"_low")
		add(p+"_high_sum", KindInt, "sum of the known "+p+"_high")
		add(p+"_mean", KindFloat, "mean of the known "+p+"_best")
		add(p+"_std", KindFloat, "sample standard deviation (n-1) of the known "+p+"_best")
		add(p+"_median", KindFloat, "median of the known "+p+"_best (R type 7)")
		add(p+"_p90", KindFloat, "90th percentile of the known "+p+"_best (R type 7)")
		add(p+"_p99", KindFloat, "99th percentile of the known "+p+"_best (R type 7)")
		add(p+"_max", KindInt, "largest "+p+"_best")
		add(p+"_max_id", KindString, "incident_id of the first incident with the largest "+p+"_best")
	}
	for _, c := range partyColumns {
		add(c+"_sum", KindInt, "sum of the known "+c)
	}
	for _, c := range partyColumns {
		add(c+"_share", KindFloat, "share of "+c+" in the four party sums")
	}
	if opts.Period != "" {
		add("periods", KindInt, "periods from the group's first to its last, empty ones included")
		add("first_period", KindString, "the group's first period with an event")
		add("last_period", KindString, "the group's last period with an event")
		add("events_per_period", KindFloat, "mean events per period")
		add("events_per_period_low", KindFloat, "exact Poisson 95% confidence interval of events_per_period, low end")
		add("events_per_period_high", KindFloat, "exact Poisson 95% confidence interval of events_per_period, high end")
		add("dispersion", KindFloat, "index of dispersion: variance / mean of the counts per period")
		add("dispersion_p", KindFloat, "chi-square p-value of dispersion (upper tail: small means over-dispersed)")
		add("trend_slope", KindFloat, "least-squares slope of the counts per period, events per period per period")
		add("trend_se", KindFloat, "standard error of trend_slope")
		add("trend_p", KindFloat, "two-sided p-value of trend_slope = 0 (Student t)")
	}
	if opts.Tail {
		add("tail_n", KindInt, "incidents with fatalities_best >= 1 given to the power-law fit")
		add("tail_xmin", KindInt, "x_min of the discrete power law (smallest KS distance)")
		add("tail_n_tail", KindInt, "incidents with fatalities_best >= tail_xmin")
		add("tail_alpha", KindFloat, "maximum-likelihood exponent alpha")
		add("tail_alpha_se", KindFloat, "standard error of alpha, (alpha-1)/sqrt(tail_n_tail)")
		add("tail_ks", KindFloat, "Kolmogorov-Smirnov distance of the fit")
		add("tail_p", KindFloat, "goodness-of-fit p-value by semi-parametric bootstrap")
		add("tail_alpha_at_bound", KindInt, "1 when tail_alpha is an end of the search range (1.0001, 20), so the likelihood's maximum lies beyond it; else 0")
	}
	return cols
}

func seriesColumns(opts Options) []Column {
	cols := groupColumns(opts)
	return append(cols,
		Column{"period", KindString, "the period of date_start (" + opts.Period + ")"},
		Column{"events", KindInt, "incidents in the group and period (0 for an empty period)"},
		Column{"fatalities_best_sum", KindInt, "sum of the known fatalities_best"},
		Column{"fatalities_low_sum", KindInt, "sum of the known fatalities_low"},
		Column{"fatalities_high_sum", KindInt, "sum of the known fatalities_high"},
	)
}

func groupColumns(opts Options) []Column {
	var cols []Column
	for _, name := range opts.By {
		c := schema.Columns[schema.ColumnIndex(name)]
		k := KindString
		switch c.Type.ID() {
		case arrow.INT16, arrow.INT32:
			k = KindInt
		case arrow.FLOAT64:
			k = KindFloat
		}
		cols = append(cols, Column{name, k, "group: " + name})
	}
	return cols
}

// groupValue decodes the code of group column ci.
func (a *Accumulator) groupValue(ci int, code int64) Value {
	if code == nullCode {
		return null
	}
	switch a.byKinds[ci] {
	case arrow.STRING, arrow.DICTIONARY:
		return strValue(a.strs[ci].strs[code])
	case arrow.FLOAT64:
		return Value{Num: math.Float64frombits(uint64(code))}
	case arrow.DATE32:
		return strValue(schema.Date(code).String())
	}
	return intValue(code)
}

// compareGroups orders groups by their key values, nulls last.
func (a *Accumulator) compareGroups(x, y *group) int {
	for ci := range x.codes {
		cx, cy := x.codes[ci], y.codes[ci]
		if cx == cy {
			continue
		}
		if cx == nullCode {
			return 1
		}
		if cy == nullCode {
			return -1
		}
		switch a.byKinds[ci] {
		case arrow.STRING, arrow.DICTIONARY:
			if c := cmp.Compare(a.strs[ci].strs[cx], a.strs[ci].strs[cy]); c != 0 {
				return c
			}
		case arrow.FLOAT64:
			if c := cmp.Compare(math.Float64frombits(uint64(cx)), math.Float64frombits(uint64(cy))); c != 0 {
				return c
			}
		default:
			return cmp.Compare(cx, cy)
		}
	}
	return 0
}

// Result computes the statistics of everything added so far. Without
// group columns there is always one row, even for no input.
func (a *Accumulator) Result() (*Result, error) {
	return a.ResultContext(context.Background())
}

// ResultContext is Result that stops the tail fits' bootstrap when ctx is
// done (within a replicate, well under a second), returning ctx's error.
func (a *Accumulator) ResultContext(ctx context.Context) (*Result, error) {
	groups := slices.Clone(a.order)
	if len(a.opts.By) == 0 && len(groups) == 0 {
		groups = append(groups, &group{})
	}
	slices.SortFunc(groups, a.compareGroups)
	parts := make([]*Partial, len(groups))
	for i, g := range groups {
		parts[i] = a.partial(g, false)
	}
	return a.finish(ctx, parts, a.total)
}

func share(part, whole int64) Value {
	if whole == 0 {
		return null
	}
	return floatValue(float64(part) / float64(whole))
}

func (a *Accumulator) summaryRow(ctx context.Context, g *Partial, total int64) ([]Value, error) {
	row := make([]Value, 0, 64)
	row = append(row, g.Key...)
	row = append(row, intValue(g.Events), share(g.Events, total))
	for q := range g.Qty {
		s := &g.Qty[q]
		row = append(row, intValue(s.Positive), share(s.Positive, g.Events), intValue(s.Nulls),
			share(s.Nulls, g.Events), intValue(s.Best.Total), intValue(s.Low.Total), intValue(s.High.Total))
		if s.Best.N == 0 {
			row = append(row, null, null, null, null, null, null, null)
			continue
		}
		row = append(row, floatValue(float64(s.Best.Total)/float64(s.Best.N)))
		row = append(row, s.std())
		qs := s.quantiles()
		row = append(row, qs[:]...)
		row = append(row, intValue(int64(s.Max)))
		if s.MaxHasID {
			row = append(row, strValue(s.MaxID))
		} else {
			row = append(row, null)
		}
	}
	var partyTotal int64
	for k := range g.Party {
		row = append(row, intValue(g.Party[k].Total))
		partyTotal += g.Party[k].Total
	}
	for k := range g.Party {
		row = append(row, share(g.Party[k].Total, partyTotal))
	}
	if a.opts.Period != "" {
		first, counts := g.series()
		if len(counts) == 0 {
			row = append(row, intValue(0), null, null, null, null, null, null, null, null, null, null)
		} else {
			xs := make([]float64, len(counts))
			for i, c := range counts {
				xs[i] = float64(c.Events)
			}
			f := FrequencyOf(xs)
			row = append(row, intValue(int64(f.Periods)),
				strValue(periodLabel(a.opts.Period, first)),
				strValue(periodLabel(a.opts.Period, first+int64(len(counts))-1)),
				floatValue(f.Mean), floatValue(f.MeanLow), floatValue(f.MeanHigh),
				floatValue(f.Dispersion), floatValue(f.DispersionP),
				floatValue(f.Slope), floatValue(f.SlopeSE), floatValue(f.SlopeP))
		}
	}
	if a.opts.Tail {
		vals := make([]int64, len(g.Qty[0].Values))
		for i, v := range g.Qty[0].Values {
			vals[i] = int64(v)
		}
		topts := TailOptions{Bootstrap: max(a.opts.Bootstrap, 0), Seed: a.opts.Seed, Workers: a.opts.Workers}
		if a.opts.Progress != nil {
			label := a.groupLabel(g)
			topts.Progress = func(done, total int) { a.opts.Progress(label, done, total) }
		}
		fit, ok, err := FitPowerLawContext(ctx, vals, topts)
		if err != nil {
			return nil, err
		}
		row = append(row, intValue(g.Qty[0].Positive))
		if !ok {
			row = append(row, null, null, null, null, null, null, null)
		} else {
			atBound := int64(0)
			if fit.AlphaAtBound {
				atBound = 1
			}
			row = append(row, intValue(fit.XMin), intValue(int64(fit.NTail)), floatValue(fit.Alpha),
				floatValue(fit.AlphaSE), floatValue(fit.KS), floatValue(fit.P), intValue(atBound))
		}
	}
	return row, nil
}

// groupLabel names g for Options.Progress: its values as the text formats
// write them, joined by ", ".
func (a *Accumulator) groupLabel(g *Partial) string {
	cols := groupColumns(a.opts)
	parts := make([]string, len(g.Key))
	for ci, v := range g.Key {
		if v.Null {
			parts[ci] = "null"
		} else {
			parts[ci] = v.text(cols[ci].Kind)
		}
	}
	return strings.Join(parts, ", ")
}

func (a *Accumulator) seriesResult(groups []*Partial) *Result {
	res := &Result{Columns: ResultColumns(a.opts)}
	for _, g := range groups {
		first, counts := g.series()
		for i, c := range counts {
			row := make([]Value, 0, len(res.Columns))
			row = append(row, g.Key...)
			row = append(row, strValue(periodLabel(a.opts.Period, first+int64(i))),
				intValue(c.Events), intValue(c.FatalBest), intValue(c.FatalLow), intValue(c.FatalHigh))
			res.Rows = append(res.Rows, row)
		}
	}
	return res
}

// text renders v for CSV and JSON: integers in full, floats in the
// shortest form that reads back exactly.
func (v Value) text(k Kind) string {
	if v.Null {
		return ""
	}
	switch k {
	case KindInt:
		return strconv.FormatInt(v.Int, 10)
	case KindFloat:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return v.Str
}

// ResultColumns returns the columns of the Result that opts produce, in
// their fixed order: the group columns, then (with Series) period and the
// counts, or the summary's casualty, party, frequency (with Period) and
// tail (with Tail) columns.
func ResultColumns(opts Options) []Column {
	if opts.Series {
		return seriesColumns(opts)
	}
	return summaryColumns(opts)
}
