package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ErrNoData is returned when a chart has nothing to draw.
var ErrNoData = errors.New("report: no data to draw")

// newPlot returns a plot in Liberation Sans with light horizontal grid
// lines: a sans face reads better at the small sizes charts are pasted in.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	sans := func(f *font.Font) { f.Typeface, f.Variant = "Liberation", "Sans" }
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		sans(&s.Font)
	}
	// Titles stay regular weight: gonum/plot's PDF canvas cannot set a bold
	// face (vgpdf registers the face without its style).
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.X.Tick.Label.Font.Size = vg.Points(9)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Title.Padding = vg.Points(6)
	return p
}

// legendAbove moves p's legend out of the plotting area, right-aligned
// between the title and the data, so that it covers no data: gonum/plot
// draws legends inside the data area, where a series' peak runs under it.
func legendAbove(p *plot.Plot, entries int) {
	n := vg.Length(entries)
	sty := p.Legend.TextStyle
	h := n*(sty.Rectangle("Xg").Max.Y+p.Legend.Padding) + sty.FontExtents().Descent + vg.Points(4)
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.YOffs = h
	p.Title.Padding += h
}

func gridY() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	g.Horizontal.Color = color.Gray{Y: 0xDD}
	return g
}

// periodTicks labels at most about n of the period indexes
// 0..len(labels)-1 with calendar-friendly steps (every 3, 6 or 12 months,
// 4 quarters, 5 or 10 years), starting at a year's first period where the
// step spans whole years. With few periods every period gets a minor tick.
func periodTicks(labels []string, n int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		step, first := periodStep(labels, n)
		ticks := make([]plot.Tick, 0, len(labels))
		for i, l := range labels {
			t := plot.Tick{Value: float64(i)}
			if i >= first && (i-first)%step == 0 {
				t.Label = l
			} else if len(labels) > 4*n {
				continue // minor ticks at every period would fuse into a bar
			}
			ticks = append(ticks, t)
		}
		return ticks
	})
}

// periodStep returns the labelling step and the first labelled index.
func periodStep(labels []string, n int) (step, first int) {
	if len(labels) == 0 {
		return 1, 0
	}
	perYear, steps := 0, []int{1, 2, 5, 10, 20, 50, 100, 200, 500}
	l := labels[0]
	switch {
	case len(l) == 7 && l[4] == '-' && l[5] != 'Q' && l[5] != 'W': // 2019-11
		perYear, steps = 12, []int{1, 2, 3, 6, 12, 24, 36, 60, 120, 240, 600}
	case len(l) == 7 && l[5] == 'Q': // 2019-Q4
		perYear, steps = 4, []int{1, 2, 4, 8, 12, 20, 40, 80, 200}
	case len(l) == 8 && l[5] == 'W': // 2019-W45
		perYear, steps = 52, []int{1, 2, 4, 13, 26, 52, 104, 260, 520}
	case len(l) == 10: // 2019-11-06
		steps = []int{1, 2, 7, 14, 28, 91, 182, 364, 728, 1820}
	}
	need := (len(labels) + n - 1) / n
	step = steps[len(steps)-1]
	for _, s := range steps {
		if s >= need {
			step = s
			break
		}
	}
	if perYear > 0 && step%perYear == 0 {
		for i, l := range labels {
			if strings.HasSuffix(l, "-01") || strings.HasSuffix(l, "-Q1") || strings.HasSuffix(l, "-W01") {
				first = i
				break
			}
		}
		first %= step
	}
	if perYear == 0 && len(l) == 4 { // years: label multiples of the step
		if y, err := strconv.Atoi(l); err == nil {
			first = (step - y%step) % step
		}
	}
	return step, first
}

// countTicks are the default ticks without fractions and with thousands
// separators: counts of incidents are whole numbers.
func countTicks() plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		def := plot.DefaultTicks{}.Ticks(min, max)
		out := def[:0]
		for _, t := range def {
			if t.Label != "" && t.Value != math.Trunc(t.Value) {
				t.Label = ""
				if max-min < 4 { // a tiny range: no fractional minor ticks either
					continue
				}
			}
			if t.Label != "" {
				t.Label = thousands(int64(t.Value))
			}
			out = append(out, t)
		}
		return out
	})
}

// TimeSeriesChart draws s as a line with points, one per period, with the
// Low..High band behind it when s has one.
func TimeSeriesChart(title string, s Series, c color.NRGBA) (*plot.Plot, error) {
	if s.Len() == 0 {
		return nil, ErrNoData
	}
	if len(s.Value) != s.Len() || (s.Low != nil && len(s.Low) != s.Len()) || (s.High != nil && len(s.High) != s.Len()) {
		panic("report: series length mismatch")
	}
	p := newPlot(title, "period", s.Unit)
	p.Add(gridY())
	p.X.Tick.Marker = periodTicks(s.Labels, 8)
	p.Y.Tick.Marker = countTicks()
	p.Y.Min = 0
	p.X.Min, p.X.Max = -0.5, float64(s.Len())-0.5
	if s.Len() > 6 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	if s.Low != nil && s.High != nil && !s.BandFlat() {
		band := make(plotter.XYs, 0, 2*s.Len())
		for i := range s.Len() {
			band = append(band, plotter.XY{X: float64(i), Y: s.High[i]})
		}
		for i := s.Len() - 1; i >= 0; i-- {
			band = append(band, plotter.XY{X: float64(i), Y: s.Low[i]})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		poly.Color = tint(c, 0.75)
		poly.LineStyle.Width = 0
		p.Add(poly)
		p.Legend.Add("low to high", poly)
	}
	xys := make(plotter.XYs, s.Len())
	for i, v := range s.Value {
		xys[i] = plotter.XY{X: float64(i), Y: v}
	}
	line, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	line.Color = c
	line.Width = vg.Points(1.5)
	pts.Color = c
	pts.Shape = draw.CircleGlyph{}
	pts.Radius = vg.Points(2)
	if s.Len() > 120 {
		pts.Radius = 0
	}
	p.Add(line, pts)
	top := 0.0
	for i, v := range s.Value {
		top = math.Max(top, v)
		if s.High != nil {
			top = math.Max(top, s.High[i])
		}
	}
	switch {
	case top == 0:
		p.Y.Max = 1 // an all-zero series still gets an axis
	}
	if s.Low != nil {
		name := s.Name
		if s.BandFlat() {
			name += " (low = high = best in every period: no band)"
		}
		p.Legend.Add(name, line, pts)
		entries := 1
		if !s.BandFlat() {
			entries = 2
		}
		legendAbove(p, entries)
	}
	return p, nil
}

// BarChart draws bars horizontally, the first at the top, so that long
// labels (actor names) stay readable.
func BarChart(title, unit string, bars []Bar, c color.NRGBA) (*plot.Plot, error) {
	if len(bars) == 0 {
		return nil, ErrNoData
	}
	p := newPlot(title, unit, "")
	vals := make(plotter.Values, len(bars))
	names := make([]string, len(bars))
	for i, b := range bars {
		// plot draws category 0 at the bottom; reverse so the largest is on top
		j := len(bars) - 1 - i
		vals[j] = b.Value
		names[j] = strings.Join(wrapLabel(b.Label), "\n")
	}
	bc, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	bc.Horizontal = true
	bc.Color = c
	bc.LineStyle.Width = 0
	g := plotter.NewGrid()
	g.Horizontal.Width = 0
	g.Vertical.Color = color.Gray{Y: 0xDD}
	p.Add(g, bc)
	p.NominalY(names...)
	p.X.Min = 0
	p.X.Max = headroom(slices.Max(vals))
	p.X.Tick.Marker = countTicks()
	return p, nil
}

// headroom is the end of a bar chart's value axis: the first labelled
// tick at or above top, so that the largest bar ends inside the last tick
// (3,920 ends before 4,000, not past 3,000).
func headroom(top float64) float64 {
	if top <= 0 {
		return 1
	}
	var labelled []float64
	for _, t := range (plot.DefaultTicks{}).Ticks(0, top) {
		if t.Label != "" {
			labelled = append(labelled, t.Value)
		}
	}
	n := len(labelled)
	switch {
	case n == 0:
		return top
	case labelled[n-1] >= top:
		return labelled[n-1]
	case n == 1:
		return 2 * labelled[0]
	}
	step := labelled[n-1] - labelled[n-2]
	return labelled[n-1] + step*math.Ceil((top-labelled[n-1])/step)
}

// CCDFChart draws the empirical complementary CDF P(X >= x) of the severity
// sample on log-log axes, and, when fit is valid, the fitted discrete power
// law over x >= XMin, scaled to the tail's share of the sample:
// P(X >= x) = NTail/n * zeta(alpha, x) / zeta(alpha, xmin).
func CCDFChart(title string, t Tail) (*plot.Plot, error) {
	sample := xsCount(t.Severity)
	xs, ps := ccdf(sample)
	if len(xs) == 0 {
		return nil, ErrNoData
	}
	p := newPlot(title, "fatalities per incident (best estimate, log scale)", "P(X ≥ x) (log scale)")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}
	emp := make(plotter.XYs, len(xs))
	for i := range xs {
		emp[i] = plotter.XY{X: xs[i], Y: ps[i]}
	}
	sc, err := plotter.NewScatter(emp)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	sc.Color = Blue
	sc.Shape = draw.CircleGlyph{}
	sc.Radius = vg.Points(2.5)
	p.Add(sc)
	// explicit ranges with a margin: a single distinct value would otherwise
	// give an empty range, which gonum widens to include 0 on a log axis
	p.X.Min, p.X.Max = xs[0]/1.3, xs[len(xs)-1]*1.3
	p.Y.Min, p.Y.Max = ps[len(ps)-1]/1.3, 1.3
	p.Legend.Add(fmt.Sprintf("incidents (n = %s)", thousands(int64(len(sample)))), sc)
	if f := t.Fit; f.Valid && f.XMin >= 1 && f.Alpha > 1 && f.NTail > 0 && xs[len(xs)-1] >= f.XMin {
		n := float64(len(sample))
		z0 := mathext.Zeta(f.Alpha, f.XMin)
		// one point per integer up to 50, then geometric steps: smooth on a log axis
		var fit plotter.XYs
		for x := f.XMin; x <= xs[len(xs)-1]; {
			fit = append(fit, plotter.XY{X: x, Y: float64(f.NTail) / n * mathext.Zeta(f.Alpha, x) / z0})
			next := math.Max(x+1, math.Ceil(x*1.05))
			if x < xs[len(xs)-1] && next > xs[len(xs)-1] {
				next = xs[len(xs)-1]
			}
			x = next
		}
		l, err := plotter.NewLine(fit)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		l.Color = Vermillion
		l.Width = vg.Points(2)
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("power law: α = %.2f ± %.2f, x_min = %s", f.Alpha, f.AlphaSE, strconv.FormatFloat(f.XMin, 'f', -1, 64)), l)
	}
	entries := 1
	if f := t.Fit; f.Valid && f.XMin >= 1 && f.Alpha > 1 && f.NTail > 0 && xs[len(xs)-1] >= f.XMin {
		entries = 2
	}
	legendAbove(p, entries)
	return p, nil
}

// xsCount returns the sample values that the CCDF draws (>= 1).
func xsCount(sample []float64) []float64 {
	out := make([]float64, 0, len(sample))
	for _, v := range sample {
		if v >= 1 && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// ccdf returns the distinct values x of sample values >= 1 (ascending) and
// the share of the sample that is >= each.
func ccdf(sample []float64) (xs, ps []float64) {
	s := xsCount(sample)
	slices.Sort(s)
	n := float64(len(s))
	for i, v := range s {
		if i > 0 && s[i-1] == v {
			continue
		}
		xs = append(xs, v)
		ps = append(ps, float64(len(s)-i)/n)
	}
	return xs, ps
}

// logTicks labels powers of ten (1, 10, 100 or 0.01, 0.1, 1) with minor
// ticks between; on a narrow range, where fewer than three powers of ten
// fall inside, it also labels 2 and 5 times them, and on a very narrow one
// every minor tick.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		return nil
	}
	var ticks []plot.Tick
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	for e := lo; e <= hi; e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			if v := m * base; v >= min*(1-1e-9) && v <= max*(1+1e-9) {
				ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprint(m)}) // m marks the label set for now
			}
		}
	}
	sets := [][]string{{"1"}, {"1", "2", "5"}, {"1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	for k, set := range sets {
		n := 0
		for _, t := range ticks {
			if slices.Contains(set, t.Label) {
				n++
			}
		}
		if n >= 3 || k == len(sets)-1 {
			for i, t := range ticks {
				ticks[i].Label = ""
				if slices.Contains(set, t.Label) {
					ticks[i].Label = logLabel(t.Value)
				}
			}
			break
		}
	}
	return ticks
}

// logLabel writes a tick value without float noise: 0.2, not 0.20000000000000001.
func logLabel(v float64) string {
	if v >= 1000 {
		return thousands(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// Bar labels wrap at word boundaries into lines of at most labelLine runes,
// at most labelLines of them; only a label longer than that is cut, with an
// ellipsis (the <details> table under the chart has it whole).
const (
	labelLine  = 30
	labelLines = 3
)

// wrapLabel breaks s into lines for a bar label: greedily by words, a
// word longer than a line split; past labelLines lines the last one ends
// in an ellipsis.
func wrapLabel(s string) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		for len([]rune(w)) > labelLine {
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			r := []rune(w)
			lines, w = append(lines, string(r[:labelLine])), string(r[labelLine:])
		}
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= labelLine:
			cur += " " + w
		default:
			lines, cur = append(lines, cur), w
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	if len(lines) > labelLines {
		rest := strings.Join(lines[labelLines-1:], " ")
		lines = append(lines[:labelLines-1], shorten(rest, labelLine))
	}
	return lines
}

// labelLinesOf is the most lines a bar label of bars takes.
func labelLinesOf(bars []Bar) int {
	n := 1
	for _, b := range bars {
		n = max(n, len(wrapLabel(b.Label)))
	}
	return n
}

// shorten cuts s to at most n runes, ending in an ellipsis when cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// thousands formats n with comma thousands separators: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
