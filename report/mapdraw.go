package report

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"

	"github.com/incidentkit/incidents/schema"
)

// MapOptions says how a map is drawn.
type MapOptions struct {
	Title string // drawn above the map; "" for none
	Width int    // pixels; 0 gives 1064 (the report's content width)
	// Height in pixels; 0 fits the height to the data's extent (the
	// report's choice), between the legend's height and 560.
	Height int
	ID     string // the <svg> element's id (SVG only)
	Label  string // its accessible name (SVG only)

	// CountryName, if set, names an ISO3 code for the tooltips; Natural
	// Earth's name is used where it returns "".
	CountryName func(iso3 string) string
}

// Map sizes and colours.
const (
	mapPad       = 8.0
	mapMinWidth  = 480
	mapTextPx    = 12.0 // legend and tooltips' text: 9 pt, as the charts' ticks
	mapTitlePx   = 18.0
	mapFootPx    = 12.0
	mapMaxHeight = 560.0
	pointAlpha   = 0xD0
)

var (
	oceanColour   = color.NRGBA{0xEE, 0xF3, 0xF7, 0xFF}
	noDataColour  = color.NRGBA{0xFA, 0xFA, 0xF8, 0xFF}
	borderColour  = color.NRGBA{0xA8, 0xA8, 0xA8, 0xFF}
	inkColour     = color.NRGBA{0x1A, 0x1A, 0x1A, 0xFF}
	mutedColour   = color.NRGBA{0x5A, 0x5A, 0x5A, 0xFF}
	white         = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	classColours  = []color.NRGBA{{0xE6, 0xE6, 0xE6, 0xFF}, {0xD2, 0xD2, 0xD2, 0xFF}, {0xBD, 0xBD, 0xBD, 0xFF}, {0xA6, 0xA6, 0xA6, 0xFF}, {0x8E, 0x8E, 0x8E, 0xFF}}
	unknownColour = color.NRGBA{0x77, 0x77, 0x77, 0xFF}
)

// EventTypeColour is the colour of an event type's points on the map
// (Okabe-Ito; unknown is grey). Yellow is left out: it vanishes on the
// light land.
func EventTypeColour(t schema.EventType) color.NRGBA {
	switch t {
	case 1:
		return Vermillion // battles
	case 2:
		return Orange // explosions/remote violence
	case 3:
		return ReddishPurple // violence against civilians
	case 4:
		return Blue // riots
	case 5:
		return SkyBlue // protests
	case 6:
		return BluishGreen // strategic developments
	}
	return unknownColour
}

// mapScene is a drawing in pixels, y down, that both the SVG writer and
// gonum's canvases (PNG, PDF) render.
type mapScene struct {
	w, h  float64
	area  [4]float64 // the map frame: x, y, width, height
	items []mapItem
}

type mapItemKind uint8

const (
	itemPath mapItemKind = iota
	itemCircle
	itemText
	itemRect
)

type mapItem struct {
	kind         mapItemKind
	rings        [][][2]float64 // path
	x, y, r      float64        // circle centre and radius; text anchor; rect corner
	w, h         float64        // rect
	fill, stroke color.NRGBA    // zero alpha: none
	strokeW      float64
	text         string
	size         float64 // text px
	anchor       byte    // text: 's'tart, 'm'iddle, 'e'nd
	bold         bool
	title        string // SVG tooltip
	attr         string // extra SVG attributes (data-*), already escaped
	class        string // SVG: paint by this class of the map's style sheet instead (event-type circles)
}

// mapFace returns Liberation Sans at px pixels, for measuring text.
func mapFace(px float64, bold bool) font.Face {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return font.DefaultCache.Lookup(f, vg.Length(px*0.75))
}

func textWidth(s string, px float64, bold bool) float64 {
	face := mapFace(px, bold)
	return face.Width(s).Points() / 0.75
}

// mapLegend is the legend column's content, laid out by layoutLegend.
type mapLegend struct {
	types   []schema.EventType
	sizes   []float64 // fatalities drawn as legend circles, largest first
	classes []mapClass
	radius  func(f float64) float64
}

type mapClass struct {
	lo, hi int64 // events per country, inclusive
	colour color.NRGBA
}

// classBreaks splits the countries' event counts into at most five
// classes at their quantiles, from 10 up rounded down to 1, 2 or 5 times a
// power of ten so the legend reads 1–9, 10–49, 50–199...
func classBreaks(counts []int64) []mapClass {
	var vals []int64
	for _, c := range counts {
		if c > 0 {
			vals = append(vals, c)
		}
	}
	if len(vals) == 0 {
		return nil
	}
	slices.Sort(vals)
	lows := []int64{vals[0]}
	k := min(5, len(vals))
	for i := 1; i < k; i++ {
		q := vals[len(vals)*i/k]
		if q >= 10 {
			q = niceFloor(float64(q)) // small counts stay as they are: 1, 2, 3-4
		}
		if q > lows[len(lows)-1] {
			lows = append(lows, q)
		}
	}
	var out []mapClass
	for i, lo := range lows {
		hi := vals[len(vals)-1]
		if i+1 < len(lows) {
			hi = lows[i+1] - 1
		}
		out = append(out, mapClass{lo: lo, hi: hi})
	}
	// spread over the ramp: its lightest and darkest for the end classes
	for i := range out {
		j := len(classColours) / 2 // one class: a middle grey, not the heaviest
		if len(out) > 1 {
			j = int(math.Round(float64(i*(len(classColours)-1)) / float64(len(out)-1)))
		}
		out[i].colour = classColours[j]
	}
	return out
}

// niceFloor rounds v >= 1 down to 1, 2 or 5 times a power of ten.
func niceFloor(v float64) int64 {
	if v < 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= v {
			return int64(m * p)
		}
	}
	return int64(p)
}

func classOf(classes []mapClass, n int64) (color.NRGBA, bool) {
	for _, c := range classes {
		if n >= c.lo && n <= c.hi {
			return c.colour, true
		}
	}
	return color.NRGBA{}, false
}

// legend row metrics
const (
	legendHead = 22.0
	legendRow  = 18.0
	legendGap  = 12.0
)

func (l *mapLegend) height() float64 {
	h := 0.0
	if len(l.types) > 0 {
		h += legendHead + legendRow*float64(len(l.types)) + legendGap
	}
	if len(l.sizes) > 0 {
		h += legendHead + 2*l.radius(l.sizes[0]) + legendRow + legendGap
	}
	if len(l.classes) > 0 {
		h += legendHead + legendRow*float64(len(l.classes))
	}
	return h
}

// Map draws d as an SVG element (no XML prolog): country outlines from
// Natural Earth 1:110m (World), filled by events per country in at most
// five classes, and the events as circles sized by fatalities (area
// proportional to the best estimate, a sqrt scale) and coloured by event
// type, with a legend. Every country and circle carries a <title> tooltip
// with its numbers. The projection is Equal Earth when the events spread
// over a large part of the world and equirectangular over a region; either
// is fitted to the events' extent. Nothing is fetched: the outlines are
// embedded.
func Map(d MapData, o MapOptions) (string, error) {
	s, err := layoutMap(d, o)
	if err != nil {
		return "", err
	}
	return s.svg(o.ID, o.Label), nil
}

// WriteMap draws d as format (svg, png or pdf) to w, as WritePlot draws a
// chart; an SVG file gets the XML prolog.
func WriteMap(w io.Writer, d MapData, o MapOptions, format string) error {
	s, err := layoutMap(d, o)
	if err != nil {
		return err
	}
	switch format {
	case "svg":
		_, err = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+s.svg(o.ID, o.Label))
	case "png", "pdf":
		W, H := pxToLength(int(math.Round(s.w))), pxToLength(int(math.Round(s.h)))
		var c vg.CanvasWriterTo
		if format == "png" {
			c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(W, H), vgimg.UseDPI(pxPerInch))}
		} else {
			c = vgpdf.New(W, H)
		}
		s.draw(draw.New(c))
		_, err = c.WriteTo(w)
	default:
		return fmt.Errorf("report: unknown plot format %q (svg, png, pdf)", format)
	}
	if err != nil {
		return fmt.Errorf("report: writing %s: %w", format, err)
	}
	return nil
}

// mapView is the projection and the projected extent that fills the frame.
type mapView struct {
	proj                   Projection
	minX, minY, maxX, maxY float64 // projected units
	world                  bool
}

// eeBounds is Equal Earth's extent on the unit sphere.
var eeBounds = func() [4]float64 {
	x, _ := EqualEarth{}.Project(180, 0)
	_, y := EqualEarth{}.Project(0, 90)
	return [4]float64{-x, -y, x, y}
}()

// chooseView picks the projection and the extent the map shows: the
// events' bounding box (or, without coordinates, their countries'),
// padded, at least 4° across; Equal Earth when it spans more than 90° of
// longitude or 60° of latitude (the whole world past 200°), else
// equirectangular true to scale at its middle latitude.
func chooseView(d MapData, drawn []Country, hasEvents map[string]bool) (mapView, bool) {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	grow := func(lon, lat float64) {
		lo[0], lo[1] = math.Min(lo[0], lon), math.Min(lo[1], lat)
		hi[0], hi[1] = math.Max(hi[0], lon), math.Max(hi[1], lat)
	}
	for _, p := range d.Points {
		grow(p.Lon, p.Lat)
	}
	if len(d.Points) == 0 {
		for _, c := range drawn {
			if hasEvents[c.ISO3] {
				grow(c.Bounds[0], c.Bounds[1])
				grow(c.Bounds[2], c.Bounds[3])
			}
		}
	}
	if math.IsInf(lo[0], 0) {
		return mapView{}, false
	}
	for i, minSpan := range []float64{4, 4} {
		span := hi[i] - lo[i]
		pad := math.Max(span*0.08, 1)
		if span+2*pad < minSpan {
			pad = (minSpan - span) / 2
		}
		lo[i], hi[i] = lo[i]-pad, hi[i]+pad
	}
	lo[0], hi[0] = math.Max(lo[0], -180), math.Min(hi[0], 180)
	lo[1], hi[1] = math.Max(lo[1], -89), math.Min(hi[1], 89)
	v := mapView{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	lonSpan, latSpan := hi[0]-lo[0], hi[1]-lo[1]
	switch {
	case lonSpan > 200:
		v.proj, v.world = EqualEarth{}, true
		v.minX, v.minY, v.maxX, v.maxY = eeBounds[0], eeBounds[1], eeBounds[2], eeBounds[3]
		return v, true
	case lonSpan > 90 || latSpan > 60:
		v.proj, v.world = EqualEarth{}, true
	default:
		v.proj = Equirectangular{Lat0: (lo[1] + hi[1]) / 2}
	}
	for i := 0; i <= 16; i++ { // the box's edges: Equal Earth bends its meridians
		f := float64(i) / 16
		for _, q := range [][2]float64{{lo[0] + f*lonSpan, lo[1]}, {lo[0] + f*lonSpan, hi[1]}, {lo[0], lo[1] + f*latSpan}, {hi[0], lo[1] + f*latSpan}} {
			x, y := v.proj.Project(q[0], q[1])
			v.minX, v.minY = math.Min(v.minX, x), math.Min(v.minY, y)
			v.maxX, v.maxY = math.Max(v.maxX, x), math.Max(v.maxY, y)
		}
	}
	return v, true
}

// layoutMap places the title, the map frame, the legend and the footnote
// and projects everything into pixels.
func layoutMap(d MapData, o MapOptions) (*mapScene, error) {
	W := float64(o.Width)
	if o.Width == 0 {
		W = 1064
	}
	if W < mapMinWidth {
		return nil, fmt.Errorf("report: a map with its legend needs a width of at least %d px, not %d", mapMinWidth, o.Width)
	}
	world := World()
	counts := map[string]int64{}
	for _, c := range d.Countries {
		counts[c.Label] += int64(c.Value)
	}
	hasEvents := map[string]bool{}
	for k, n := range counts {
		hasEvents[k] = n > 0
	}
	var drawn []Country
	for _, c := range world {
		if c.ISO3 == "ATA" && !hasEvents["ATA"] {
			continue // Antarctica takes a fifth of a world map; shown only with events of its own
		}
		drawn = append(drawn, c)
	}
	view, ok := chooseView(d, drawn, hasEvents)
	if !ok {
		return nil, ErrNoData
	}

	// the legend
	leg := mapLegend{}
	present := map[schema.EventType]bool{}
	var maxF int64
	for _, p := range d.Points {
		for t, n := range p.Types {
			if n > 0 {
				present[schema.EventType(t)] = true
			}
		}
		maxF = max(maxF, p.Fatalities)
	}
	for t := range schema.EventType(7) {
		if present[t] {
			leg.types = append(leg.types, t)
		}
	}
	leg.classes = classBreaks(dedupeCountries(drawn, counts))
	legendW := math.Round(math.Min(math.Max(0.22*W, 190), 230))
	rMax := math.Min(math.Max(W/60, 9), 18)
	leg.radius = func(f float64) float64 {
		if maxF <= 0 || f <= 0 {
			return 2.5
		}
		return math.Max(2.5, rMax*math.Sqrt(f/float64(maxF)))
	}
	if maxF > 0 {
		top := niceFloor(float64(maxF))
		leg.sizes = []float64{float64(top)}
		for _, div := range []int64{10, 100} {
			if v := niceFloor(float64(top) / float64(div)); v >= 1 && v < top && leg.radius(float64(v)) > 2.5 {
				leg.sizes = append(leg.sizes, float64(v))
			}
		}
	}

	titleLines := wrapWidth(o.Title, mapTitlePx, W-2*mapPad)
	titleH := 0.0
	if len(titleLines) > 0 {
		titleH = mapTitlePx*1.25*float64(len(titleLines)) + 10 - mapTitlePx*0.25
	}
	footH := mapFootPx + 8
	frameX, frameY := mapPad, mapPad+titleH
	frameW := W - 2*mapPad - legendW - 16
	var frameH float64
	if o.Height > 0 {
		frameH = float64(o.Height) - frameY - footH - mapPad
	} else {
		frameH = frameW * (view.maxY - view.minY) / (view.maxX - view.minX)
		frameH = math.Min(math.Max(frameH, leg.height()), mapMaxHeight)
	}
	if frameH < leg.height() || frameH < 120 {
		need := int(math.Ceil(math.Max(leg.height(), 120) + frameY + footH + mapPad))
		return nil, fmt.Errorf("report: a map with its legend needs a height of at least %d px, not %d", need, o.Height)
	}
	H := frameY + frameH + footH + mapPad

	// fit the extent into the frame, widening it to the frame's shape
	sc := math.Min(frameW/(view.maxX-view.minX), frameH/(view.maxY-view.minY))
	cx, cy := (view.minX+view.maxX)/2, (view.minY+view.maxY)/2
	px := func(x, y float64) [2]float64 {
		return [2]float64{frameX + frameW/2 + (x-cx)*sc, frameY + frameH/2 - (y-cy)*sc}
	}
	s := &mapScene{w: W, h: H, area: [4]float64{frameX, frameY, frameW, frameH}}
	frame := [4]float64{frameX, frameY, frameX + frameW, frameY + frameH}

	for i, line := range titleLines {
		s.items = append(s.items, mapItem{kind: itemText, x: W / 2, y: mapPad + mapTitlePx*0.8 + float64(i)*mapTitlePx*1.25, text: line, size: mapTitlePx, anchor: 'm', fill: inkColour})
	}
	// the sea: the whole frame for a region, the globe's outline for Equal Earth
	if view.world {
		var ring [][2]float64
		for lat := -90.0; lat <= 90; lat += 5 {
			x, y := view.proj.Project(-180, lat)
			ring = append(ring, px(x, y))
		}
		for lat := 90.0; lat >= -90; lat -= 5 {
			x, y := view.proj.Project(180, lat)
			ring = append(ring, px(x, y))
		}
		ring = append(ring, ring[0])
		if r := clipRing(ring, frame); len(r) >= 4 {
			s.items = append(s.items, mapItem{kind: itemPath, rings: [][][2]float64{r}, fill: oceanColour})
		}
	} else {
		s.items = append(s.items, mapItem{kind: itemRect, x: frameX, y: frameY, w: frameW, h: frameH, fill: oceanColour})
	}
	name := func(c Country) string {
		if o.CountryName != nil {
			if n := o.CountryName(c.ISO3); n != "" {
				return n
			}
		}
		return c.Name
	}
	for _, c := range drawn {
		var rings [][][2]float64
		for _, p := range c.Polygons {
			for _, whole := range p {
				for _, ring := range splitAntimeridian(whole) {
					pts := make([][2]float64, 0, len(ring))
					for _, q := range ring {
						x, y := view.proj.Project(q[0], q[1])
						pts = append(pts, px(x, y))
					}
					if r := simplifyRing(clipRing(pts, frame), 0.6); len(r) >= 4 {
						rings = append(rings, r)
					}
				}
			}
		}
		if len(rings) == 0 {
			continue
		}
		n := counts[c.ISO3]
		fill, ok := classOf(leg.classes, n)
		title := fmt.Sprintf("%s (%s): %s events", name(c), c.ISO3, thousands(n))
		if !ok {
			fill, title = noDataColour, fmt.Sprintf("%s (%s): 0 events", name(c), c.ISO3)
		}
		if n == 1 {
			title = fmt.Sprintf("%s (%s): 1 event", name(c), c.ISO3)
		}
		s.items = append(s.items, mapItem{kind: itemPath, rings: rings, fill: fill, stroke: borderColour, strokeW: 0.5,
			title: title, attr: `data-iso3="` + htmlAttr(c.ISO3) + `" data-events="` + strconv.FormatInt(n, 10) + `"`})
	}
	// the events, largest circles first so that small ones stay on top
	type dot struct {
		p    *MapPoint
		x, y float64
		r    float64
	}
	var dots []dot
	for i := range d.Points {
		p := &d.Points[i]
		x, y := view.proj.Project(p.Lon, p.Lat)
		q := px(x, y)
		if q[0] < frame[0] || q[0] > frame[2] || q[1] < frame[1] || q[1] > frame[3] {
			continue // cannot happen: the view holds every point
		}
		dots = append(dots, dot{p, q[0], q[1], leg.radius(float64(p.Fatalities))})
	}
	slices.SortStableFunc(dots, func(a, b dot) int { return cmp.Compare(b.r, a.r) })
	for _, dt := range dots {
		t := dt.p.Dominant()
		c := EventTypeColour(t)
		c.A = pointAlpha
		s.items = append(s.items, mapItem{kind: itemCircle, x: dt.x, y: dt.y, r: dt.r, fill: c, stroke: white, strokeW: 0.6,
			title: pointTitle(dt.p, d.CellDegrees), attr: `data-events="` + strconv.FormatInt(dt.p.Events, 10) + `"`, class: "t" + strconv.Itoa(int(t))})
	}

	// legend column
	lx := W - mapPad - legendW
	y := frameY
	head := func(t string) {
		s.items = append(s.items, mapItem{kind: itemText, x: lx, y: y + 15, text: t, size: mapTextPx, bold: true, fill: inkColour})
		y += legendHead
	}
	if len(leg.types) > 0 {
		head("Event type (most events)")
		for _, t := range leg.types {
			c := EventTypeColour(t)
			c.A = pointAlpha
			s.items = append(s.items, mapItem{kind: itemCircle, x: lx + 6, y: y + legendRow/2, r: 5, fill: c, stroke: white, strokeW: 0.6},
				mapItem{kind: itemText, x: lx + 18, y: y + legendRow/2 + 4, text: t.Label(), size: mapTextPx, fill: inkColour})
			y += legendRow
		}
		y += legendGap
	}
	if len(leg.sizes) > 0 {
		head("Fatalities (best estimate)")
		r0 := leg.radius(leg.sizes[0])
		x := lx + r0
		for _, f := range leg.sizes {
			r := leg.radius(f)
			s.items = append(s.items, mapItem{kind: itemCircle, x: x, y: y + r0, r: r, stroke: mutedColour, strokeW: 1},
				mapItem{kind: itemText, x: x, y: y + 2*r0 + 14, text: thousands(int64(f)), size: mapTextPx, anchor: 'm', fill: inkColour})
			x += math.Max(2*r, textWidth(thousands(int64(f)), mapTextPx, false)) + 14
		}
		y += 2*r0 + legendRow + legendGap
	}
	if len(leg.classes) > 0 {
		head("Events per country")
		for _, c := range leg.classes {
			label := thousands(c.lo) + "–" + thousands(c.hi)
			if c.lo == c.hi {
				label = thousands(c.lo)
			}
			s.items = append(s.items, mapItem{kind: itemRect, x: lx, y: y + 3, w: 18, h: 12, fill: c.colour, stroke: borderColour, strokeW: 0.5},
				mapItem{kind: itemText, x: lx + 26, y: y + legendRow/2 + 4, text: label, size: mapTextPx, fill: inkColour})
			y += legendRow
		}
	}
	foot := "Outlines: Natural Earth 1:110m (public domain). Projection: " + view.proj.Name() + "."
	s.items = append(s.items, mapItem{kind: itemText, x: frameX, y: frameY + frameH + 4 + mapFootPx, text: foot, size: mapFootPx, fill: mutedColour})
	return s, nil
}

// wrapWidth breaks s at spaces into lines no wider than width pixels at
// px (a single word wider than that keeps its own line).
func wrapWidth(s string, px, width float64) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case textWidth(cur+" "+w, px, false) <= width:
			cur += " " + w
		default:
			lines, cur = append(lines, cur), w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// dedupeCountries returns the event counts of the countries drawn, one
// per ISO3 (N. Cyprus shares Cyprus's).
func dedupeCountries(drawn []Country, counts map[string]int64) []int64 {
	seen := map[string]bool{}
	var out []int64
	for _, c := range drawn {
		if n := counts[c.ISO3]; n > 0 && !seen[c.ISO3] {
			seen[c.ISO3] = true
			out = append(out, n)
		}
	}
	return out
}

// MapUnmapped returns the countries of d.Countries with events that have
// no outline on the 1:110m map (XXX, small islands such as Bahrain or
// Malta), with their events, largest first.
func MapUnmapped(d MapData) []Bar {
	has := map[string]bool{}
	for _, c := range World() {
		has[c.ISO3] = true
	}
	var out []Bar
	for _, c := range d.Countries {
		if c.Value > 0 && !has[c.Label] {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Bar) int { return cmp.Compare(b.Value, a.Value) })
	return out
}

func pointTitle(p *MapPoint, cell float64) string {
	var b strings.Builder
	b.WriteString(latLon(p.Lat, p.Lon))
	if p.Events > 1 && cell > 0 {
		fmt.Fprintf(&b, " (cell of %s°)", strconv.FormatFloat(cell, 'g', 4, 64))
	}
	ev := "events"
	if p.Events == 1 {
		ev = "event"
	}
	fmt.Fprintf(&b, ": %s %s", thousands(p.Events), ev)
	var parts []string
	for t, n := range p.Types {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", schema.EventType(t).Label(), thousands(n)))
		}
	}
	if len(parts) > 1 || p.Events > 1 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	} else if len(parts) == 1 {
		b.WriteString(" (" + schema.EventType(p.Dominant()).Label() + ")")
	}
	fmt.Fprintf(&b, "; %s fatalities (best)", thousands(p.Fatalities))
	if p.Unknown > 0 {
		fmt.Fprintf(&b, ", %s with the toll unknown", thousands(p.Unknown))
	}
	return b.String()
}

func latLon(lat, lon float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns = "S"
	}
	if lon < 0 {
		ew = "W"
	}
	return fmt.Sprintf("%.2f°%s %.2f°%s", math.Abs(lat), ns, math.Abs(lon), ew)
}

// splitAntimeridian cuts a ring that crosses the 180th meridian (Fiji's
// and Russia's in world-atlas: a step of more than 180° of longitude) into
// its parts east and west of it: the ring is unwrapped to run continuously
// past ±180, then clipped to [-180, 180] as it is and shifted by 360°.
func splitAntimeridian(ring [][2]float64) [][][2]float64 {
	crosses := false
	for i := 1; i < len(ring); i++ {
		if math.Abs(ring[i][0]-ring[i-1][0]) > 180 {
			crosses = true
			break
		}
	}
	if !crosses {
		return [][][2]float64{ring}
	}
	un := make([][2]float64, len(ring))
	un[0] = ring[0]
	for i := 1; i < len(ring); i++ {
		lon := ring[i][0]
		for lon-un[i-1][0] > 180 {
			lon -= 360
		}
		for lon-un[i-1][0] < -180 {
			lon += 360
		}
		un[i] = [2]float64{lon, ring[i][1]}
	}
	var out [][][2]float64
	for _, shift := range []float64{-360, 0, 360} {
		moved := make([][2]float64, len(un))
		for i, q := range un {
			moved[i] = [2]float64{q[0] + shift, q[1]}
		}
		if r := clipRing(moved, [4]float64{-180, -90, 180, 90}); len(r) >= 4 {
			out = append(out, r)
		}
	}
	return out
}

// clipRing clips a closed ring to the rectangle r (x0, y0, x1, y1) by
// Sutherland-Hodgman: exact for convex clip regions, and a concave ring
// keeps degenerate edges along the border, which fill the same.
func clipRing(ring [][2]float64, r [4]float64) [][2]float64 {
	inside := true
	for _, q := range ring {
		if q[0] < r[0] || q[0] > r[2] || q[1] < r[1] || q[1] > r[3] {
			inside = false
			break
		}
	}
	if inside {
		return ring
	}
	pts := ring
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	for edge := range 4 {
		in := func(q [2]float64) bool {
			switch edge {
			case 0:
				return q[0] >= r[0]
			case 1:
				return q[0] <= r[2]
			case 2:
				return q[1] >= r[1]
			}
			return q[1] <= r[3]
		}
		cross := func(a, b [2]float64) [2]float64 {
			var t float64
			switch edge {
			case 0:
				t = (r[0] - a[0]) / (b[0] - a[0])
			case 1:
				t = (r[2] - a[0]) / (b[0] - a[0])
			case 2:
				t = (r[1] - a[1]) / (b[1] - a[1])
			default:
				t = (r[3] - a[1]) / (b[1] - a[1])
			}
			return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
		}
		var out [][2]float64
		for i, cur := range pts {
			prev := pts[(i+len(pts)-1)%len(pts)]
			switch {
			case in(cur):
				if !in(prev) {
					out = append(out, cross(prev, cur))
				}
				out = append(out, cur)
			case in(prev):
				out = append(out, cross(prev, cur))
			}
		}
		pts = out
		if len(pts) == 0 {
			return nil
		}
	}
	return append(pts, pts[0])
}

// simplifyRing drops points closer than tol pixels to the last one kept:
// at 1:110m many vertices of a small country fall on one pixel.
func simplifyRing(ring [][2]float64, tol float64) [][2]float64 {
	if len(ring) < 4 {
		return ring
	}
	out := [][2]float64{ring[0]}
	for _, q := range ring[1 : len(ring)-1] {
		l := out[len(out)-1]
		if math.Hypot(q[0]-l[0], q[1]-l[1]) >= tol {
			out = append(out, q)
		}
	}
	out = append(out, ring[len(ring)-1])
	if len(out) < 4 {
		return nil
	}
	return out
}

// svg writes the scene as an <svg> element.
func (s *mapScene) svg(id, label string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %s %s"`,
		int(math.Round(s.w)), int(math.Round(s.h)), num1(s.w), num1(s.h))
	if id != "" {
		b.WriteString(` id="` + htmlAttr(id) + `"`)
	}
	if label != "" {
		b.WriteString(` role="img" aria-label="` + htmlAttr(label) + `"`)
	}
	fmt.Fprintf(&b, ` data-plot-area="%s %s %s %s" class="map">`, num1(s.area[0]), num1(s.area[1]), num1(s.area[2]), num1(s.area[3]))
	// the circles' paint is one rule per event type: a map holds up to
	// DefaultMapPoints of them
	b.WriteString("\n<style>text{font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif}")
	fmt.Fprintf(&b, "circle[class]{fill-opacity:%.2f;stroke:#FFFFFF;stroke-width:0.6}", float64(pointAlpha)/255)
	for t := range schema.EventType(7) {
		fmt.Fprintf(&b, ".t%d{fill:%s}", t, hexColour(EventTypeColour(t)))
	}
	b.WriteString("</style>\n")
	for i := range s.items {
		it := &s.items[i]
		paint := ""
		if it.class != "" {
			paint = ` class="` + it.class + `"`
		} else if it.fill.A > 0 {
			paint += ` fill="` + hexColour(it.fill) + `"`
			if it.fill.A < 0xFF {
				paint += ` fill-opacity="` + strconv.FormatFloat(float64(it.fill.A)/255, 'f', 2, 64) + `"`
			}
		} else {
			paint += ` fill="none"`
		}
		if it.stroke.A > 0 && it.strokeW > 0 && it.class == "" {
			paint += ` stroke="` + hexColour(it.stroke) + `" stroke-width="` + strconv.FormatFloat(it.strokeW, 'g', 3, 64) + `"`
		}
		if it.attr != "" {
			paint += " " + it.attr
		}
		var open, tag string
		switch it.kind {
		case itemPath:
			var d strings.Builder
			for _, r := range it.rings {
				for j, q := range r[:len(r)-1] {
					if j == 0 {
						d.WriteByte('M')
					} else {
						d.WriteByte('L')
					}
					d.WriteString(num1(q[0]) + " " + num1(q[1]))
				}
				d.WriteByte('Z')
			}
			open, tag = `<path d="`+d.String()+`" fill-rule="evenodd"`+paint, "path"
		case itemCircle:
			open, tag = `<circle cx="`+num1(it.x)+`" cy="`+num1(it.y)+`" r="`+num1(it.r)+`"`+paint, "circle"
		case itemRect:
			open, tag = `<rect x="`+num1(it.x)+`" y="`+num1(it.y)+`" width="`+num1(it.w)+`" height="`+num1(it.h)+`"`+paint, "rect"
		case itemText:
			anchor := ""
			switch it.anchor {
			case 'm':
				anchor = ` text-anchor="middle"`
			case 'e':
				anchor = ` text-anchor="end"`
			}
			weight := ""
			if it.bold {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%spx"%s%s fill="%s">%s</text>`+"\n",
				num1(it.x), num1(it.y), num1(it.size), anchor, weight, hexColour(it.fill), htmlAttr(it.text))
			continue
		}
		if it.title != "" {
			b.WriteString(open + "><title>" + htmlAttr(it.title) + "</title></" + tag + ">\n")
		} else {
			b.WriteString(open + "/>\n")
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// draw renders the scene on a gonum canvas (origin bottom left, points).
func (s *mapScene) draw(c draw.Canvas) {
	k := 0.75 // points per pixel
	pt := func(x, y float64) vg.Point { return vg.Point{X: vg.Length(x * k), Y: vg.Length((s.h - y) * k)} }
	fillStroke := func(p vg.Path, it *mapItem) {
		if it.fill.A > 0 {
			c.SetColor(it.fill)
			c.Fill(p)
		}
		if it.stroke.A > 0 && it.strokeW > 0 {
			c.SetColor(it.stroke)
			c.SetLineWidth(vg.Length(it.strokeW * k))
			c.Stroke(p)
		}
	}
	c.SetColor(white)
	c.Fill(rectPath(pt(0, s.h), pt(s.w, 0)))
	for i := range s.items {
		it := &s.items[i]
		switch it.kind {
		case itemPath:
			var p vg.Path
			for _, r := range it.rings {
				for j, q := range r {
					if j == 0 {
						p.Move(pt(q[0], q[1]))
					} else {
						p.Line(pt(q[0], q[1]))
					}
				}
				p.Close()
			}
			fillStroke(p, it)
		case itemCircle:
			var p vg.Path
			ctr := pt(it.x, it.y)
			p.Move(vg.Point{X: ctr.X + vg.Length(it.r*k), Y: ctr.Y})
			p.Arc(ctr, vg.Length(it.r*k), 0, 2*math.Pi)
			p.Close()
			fillStroke(p, it)
		case itemRect:
			fillStroke(rectPath(pt(it.x, it.y+it.h), pt(it.x+it.w, it.y)), it)
		case itemText:
			// regular weight: gonum's PDF canvas cannot register a bold face
			face := mapFace(it.size, false)
			x := it.x
			switch it.anchor {
			case 'm':
				x -= textWidth(it.text, it.size, false) / 2
			case 'e':
				x -= textWidth(it.text, it.size, false)
			}
			c.SetColor(it.fill)
			c.FillString(face, pt(x, it.y), it.text)
		}
	}
}

func rectPath(a, b vg.Point) vg.Path {
	var p vg.Path
	p.Move(a)
	p.Line(vg.Point{X: b.X, Y: a.Y})
	p.Line(b)
	p.Line(vg.Point{X: a.X, Y: b.Y})
	p.Close()
	return p
}

func num1(f float64) string {
	s := strconv.FormatFloat(math.Round(f*10)/10, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

func hexColour(c color.NRGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }
