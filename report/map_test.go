package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// TestTopoJSONArcs decodes the TopoJSON specification's quantized example
// (section 2.1.2: transform, delta-encoded arcs) and joins a ring of an arc
// and the same arc reversed (~0), whose shared point is written once.
func TestTopoJSONArcs(t *testing.T) {
	doc := `{"type":"Topology","transform":{"scale":[0.0005,0.0001],"translate":[100,0]},
	"objects":{"countries":{"type":"GeometryCollection","geometries":[
	  {"type":"Polygon","id":"760","properties":{"name":"A"},"arcs":[[1]]},
	  {"type":"MultiPolygon","id":"004","properties":{"name":"B"},"arcs":[[[0,-1]]]}]}},
	"arcs":[[[4000,0],[1999,9999],[2000,-9999],[2000,9999]],[[0,0],[0,9999],[2000,0],[0,-9999],[-2000,0]]]}`
	cs, err := decodeCountries([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ISO3 != "SYR" || cs[1].ISO3 != "AFG" {
		t.Fatalf("countries %+v", cs)
	}
	near := func(got [][2]float64, want [][2]float64) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if math.Abs(got[i][0]-want[i][0]) > 1e-9 || math.Abs(got[i][1]-want[i][1]) > 1e-9 {
				return false
			}
		}
		return true
	}
	// the specification's decoded arc 1: 100,0 100,1 101,1 101,0 100,0 (scale 0.0005 x 0.0001)
	if got, want := cs[0].Polygons[0][0], [][2]float64{{100, 0}, {100, 0.9999}, {101, 0.9999}, {101, 0}, {100, 0}}; !near(got, want) {
		t.Errorf("polygon A %v, want %v", got, want)
	}
	if got, want := cs[1].Polygons[0][0], [][2]float64{{102, 0}, {102.9995, 0.9999}, {103.9995, 0}, {104.9995, 0.9999}, {103.9995, 0}, {102.9995, 0.9999}, {102, 0}}; !near(got, want) {
		t.Errorf("polygon B %v, want %v", got, want)
	}
	if cs[0].Bounds != [4]float64{100, 0, 101, 0.9999} {
		t.Errorf("bounds %v", cs[0].Bounds)
	}
	for _, bad := range []string{`{"type":"Feature"}`, `{"type":"Topology","objects":{}}`,
		`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"999","arcs":[]}]}}}`,
		`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"000","arcs":[]}]}}}`,
		`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"004","arcs":[[5]]}]}}}`} {
		if _, err := decodeCountries([]byte(bad)); err == nil {
			t.Errorf("decodeCountries(%s): no error", bad)
		}
	}
}

// TestWorld checks the embedded map: Natural Earth's 177 admin-0 units,
// each with an ISO3 code, closed rings inside the globe's range, and the
// ones whose codes are easy to get wrong.
func TestWorld(t *testing.T) {
	w := World()
	if len(w) != 177 {
		t.Fatalf("%d countries, want world-atlas's 177", len(w))
	}
	by := map[string]Country{}
	for _, c := range w {
		if len(c.ISO3) != 3 {
			t.Errorf("%s: ISO3 %q", c.Name, c.ISO3)
		}
		if _, dup := by[c.ISO3]; dup && c.ISO3 != "CYP" && c.ISO3 != "SOM" {
			t.Errorf("ISO3 %s twice (%s)", c.ISO3, c.Name)
		}
		by[c.ISO3] = c
		for _, p := range c.Polygons {
			for _, r := range p {
				if r[0] != r[len(r)-1] {
					t.Errorf("%s: ring not closed", c.Name)
				}
				for _, q := range r {
					if math.Abs(q[0]) > 180 || math.Abs(q[1]) > 90 {
						t.Fatalf("%s: point %v out of range", c.Name, q)
					}
				}
			}
		}
	}
	for iso, name := range map[string]string{"SYR": "Syria", "COD": "Dem. Rep. Congo", "SSD": "S. Sudan", "SDN": "Sudan",
		"XKX": "Kosovo", "MMR": "Myanmar", "PSE": "Palestine", "CIV": "Côte d'Ivoire", "TWN": "Taiwan", "ATA": "Antarctica"} {
		if by[iso].Name != name {
			t.Errorf("%s is %q, want %q", iso, by[iso].Name, name)
		}
	}
	// Syria lies within 35-43°E, 32-38°N
	if b := by["SYR"].Bounds; b[0] < 35 || b[2] > 43 || b[1] < 32 || b[3] > 38 {
		t.Errorf("Syria's bounds %v", b)
	}
}

// TestEqualEarth checks the projection against the published figures: the
// aspect ratio 2.05458 of the paper (Šavrič et al. 2018) and the extent
// PROJ gives for the WGS84 authalic sphere (x ±17243959.06 m, y
// ±8392927.60 m, as cartopy's tests quote it), and that it is equal-area:
// the Jacobian of (λ, φ) -> (x, y) is proportional to cos φ everywhere.
func TestEqualEarth(t *testing.T) {
	p := EqualEarth{}
	xmax, y0 := p.Project(180, 0)
	x0, ymax := p.Project(0, 90)
	if y0 != 0 || x0 != 0 {
		t.Errorf("the centre goes to %v, %v", x0, y0)
	}
	if r := xmax / ymax; math.Abs(r-2.05458) > 5e-6 {
		t.Errorf("aspect %.6f, want 2.05458", r)
	}
	const rq = 6371007.180918 // authalic radius of WGS84
	if x := xmax * rq; math.Abs(x-17243959.0622169) > 0.05 {
		t.Errorf("x(180°, 0) = %.4f m, want 17243959.0622", x)
	}
	if y := ymax * rq; math.Abs(y-8392927.59846646) > 0.05 {
		t.Errorf("y(0, 90°) = %.4f m, want 8392927.5985", y)
	}
	if x, _ := p.Project(-180, 0); x != -xmax {
		t.Errorf("x(-180°) = %v", x)
	}
	const h = 1e-5
	det := func(lon, lat float64) float64 {
		x1, y1 := p.Project(lon+h, lat)
		x2, y2 := p.Project(lon-h, lat)
		x3, y3 := p.Project(lon, lat+h)
		x4, y4 := p.Project(lon, lat-h)
		d := h * math.Pi / 180 * 2
		return math.Abs((x1-x2)/d*(y3-y4)/d-(x3-x4)/d*(y1-y2)/d) / math.Cos(lat*math.Pi/180)
	}
	ref := det(0, 0)
	for _, lat := range []float64{-80, -45, -10, 15, 33.3, 60, 85} {
		for _, lon := range []float64{-170, -30, 0, 77} {
			if d := det(lon, lat); math.Abs(d/ref-1) > 1e-5 {
				t.Errorf("area scale at %v,%v is %.8f of the equator's", lon, lat, d/ref)
			}
		}
	}
	if x, y := (Equirectangular{Lat0: 60}).Project(10, 45); math.Abs(x-10*math.Pi/180*0.5) > 1e-12 || math.Abs(y-45*math.Pi/180) > 1e-12 {
		t.Errorf("equirectangular: %v, %v", x, y)
	}
}

// TestMapCollector checks the binned points against a direct group-by of
// the same events into cells of the size the collector ended at: the
// counts, sums and mean positions agree cell by cell, and nothing is lost.
func TestMapCollector(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	var rows []schema.Incident
	for i := range 5000 {
		in := schema.Incident{IncidentID: "m:" + strconv.Itoa(i), SourceDataset: "reports", DateStart: 18000, DateEnd: 18000,
			CountryISO3: "SYR", Country: "Syria", EventType: schema.EventTypes[rng.IntN(7)]}
		if i%10 != 0 { // every tenth has no coordinates
			in.Latitude, in.Longitude = schema.Float64(32+6*rng.Float64()), schema.Float64(35+7*rng.Float64())
		}
		if i%3 != 0 {
			in.Fatalities = schema.Exact(int32(rng.IntN(20)))
		}
		rows = append(rows, in)
	}
	m := NewMapCollector(150)
	for i := 0; i < len(rows); i += 700 {
		rec := schema.NewRecord(mem, rows[i:min(i+700, len(rows))])
		err := m.Add(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := m.Data()
	if len(d.Points) > 150 || len(d.Points) < 20 {
		t.Fatalf("%d points for a limit of 150", len(d.Points))
	}
	if d.Unlocated != 500 || d.Located != 4500 {
		t.Errorf("located %d + unlocated %d, want 4500 + 500", d.Located, d.Unlocated)
	}
	type cell struct {
		n, f, unknown int64
		lon, lat      float64
		types         [7]int64
	}
	want := map[[2]int64]*cell{}
	for _, in := range rows {
		if !in.Latitude.Valid {
			continue
		}
		k := [2]int64{int64(math.Floor((in.Longitude.Value + 180) / d.CellDegrees)), int64(math.Floor((in.Latitude.Value + 90) / d.CellDegrees))}
		c := want[k]
		if c == nil {
			c = &cell{}
			want[k] = c
		}
		c.n++
		c.lon += in.Longitude.Value
		c.lat += in.Latitude.Value
		if in.Fatalities.Best.Valid {
			c.f += int64(in.Fatalities.Best.Value)
		} else {
			c.unknown++
		}
		c.types[in.EventType]++
	}
	if len(want) != len(d.Points) {
		t.Errorf("%d points, the group-by has %d cells of %g°", len(d.Points), len(want), d.CellDegrees)
	}
	for _, p := range d.Points {
		k := [2]int64{int64(math.Floor((p.Lon + 180) / d.CellDegrees)), int64(math.Floor((p.Lat + 90) / d.CellDegrees))}
		c := want[k]
		if c == nil {
			t.Errorf("point %+v: no such cell", p)
			continue
		}
		if p.Events != c.n || p.Fatalities != c.f || p.Unknown != c.unknown || p.Types != c.types ||
			math.Abs(p.Lon-c.lon/float64(c.n)) > 1e-9 || math.Abs(p.Lat-c.lat/float64(c.n)) > 1e-9 {
			t.Errorf("point %+v, group-by %+v", p, *c)
		}
	}
	for i := 1; i < len(d.Points); i++ {
		if d.Points[i].Events > d.Points[i-1].Events {
			t.Fatal("points not ordered by events")
		}
	}
}

func TestClassBreaks(t *testing.T) {
	for _, counts := range [][]int64{{1}, {5, 5, 5}, {1, 2, 3, 4, 5, 6, 7}, {137, 140, 200, 260, 499, 800, 1572}, {1, 10, 100, 1000, 10000, 100000}} {
		cl := classBreaks(counts)
		if len(cl) == 0 || len(cl) > 5 {
			t.Errorf("%v: %d classes", counts, len(cl))
		}
		for _, n := range counts {
			hits := 0
			for _, c := range cl {
				if n >= c.lo && n <= c.hi {
					hits++
				}
			}
			if hits != 1 {
				t.Errorf("%v: %d falls in %d classes of %+v", counts, n, hits, cl)
			}
		}
		for i := 1; i < len(cl); i++ {
			if cl[i].lo != cl[i-1].hi+1 || cl[i].colour == cl[i-1].colour {
				t.Errorf("%v: classes %+v do not follow on", counts, cl)
			}
		}
	}
	if n := niceFloor(137); n != 100 {
		t.Errorf("niceFloor(137) = %d", n)
	}
	if n := niceFloor(260); n != 200 {
		t.Errorf("niceFloor(260) = %d", n)
	}
}

// ringArea is the shoelace area.
func ringArea(r [][2]float64) float64 {
	a := 0.0
	for i := 1; i < len(r); i++ {
		a += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return math.Abs(a) / 2
}

func TestClipAndSplit(t *testing.T) {
	sq := [][2]float64{{-5, -5}, {5, -5}, {5, 5}, {-5, 5}, {-5, -5}}
	if a := ringArea(clipRing(sq, [4]float64{0, 0, 100, 100})); math.Abs(a-25) > 1e-9 {
		t.Errorf("clipped area %v, want 25", a)
	}
	if r := clipRing(sq, [4]float64{10, 10, 20, 20}); r != nil {
		t.Errorf("outside ring clipped to %v", r)
	}
	// a ring over the antimeridian, as world-atlas writes Fiji's: 178°E to 178°W
	fiji := [][2]float64{{178, -17}, {-178, -17}, {-178, -16}, {178, -16}, {178, -17}}
	parts := splitAntimeridian(fiji)
	if len(parts) != 2 {
		t.Fatalf("split into %d parts: %v", len(parts), parts)
	}
	total := 0.0
	for _, p := range parts {
		for _, q := range p {
			if math.Abs(q[0]) > 180 {
				t.Errorf("point %v past 180°", q)
			}
		}
		total += ringArea(p)
	}
	if math.Abs(total-4) > 1e-9 {
		t.Errorf("parts' area %v, want 4 (square degrees)", total)
	}
	if parts := splitAntimeridian(sq); len(parts) != 1 {
		t.Errorf("a ring off the antimeridian split in %d", len(parts))
	}
}

var (
	circleTitle = regexp.MustCompile(`<circle [^>]*data-events="(\d+)"[^>]*><title>([^<]*)</title>`)
	countryPath = regexp.MustCompile(`<path [^>]*data-iso3="([A-Z]{3})" data-events="(\d+)"><title>([^<]*)</title>`)
)

// TestMapSVG draws the sample's map and reads it back: one circle per
// point with its numbers in the tooltip, every country with events shaded
// and titled with its count, the legend's classes and the extent fitted to
// the region (Afghanistan to Nigeria: 62° by 33°, equirectangular).
func TestMapSVG(t *testing.T) {
	r := sampleReport()
	svg, err := Map(r.Map, MapOptions{Title: "Sample", ID: "m", Label: "Map", CountryName: func(s string) string {
		if s == "AFG" {
			return "Afghanistan"
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	circles := circleTitle.FindAllStringSubmatch(svg, -1)
	if len(circles) != len(r.Map.Points) {
		t.Errorf("%d circles with titles, want %d", len(circles), len(r.Map.Points))
	}
	var sum int64
	for _, c := range circles {
		n, _ := strconv.ParseInt(c[1], 10, 64)
		sum += n
		if !strings.Contains(c[2], thousands(n)+" event") || !strings.Contains(c[2], "fatalities (best)") {
			t.Errorf("circle title %q lacks its numbers", c[2])
		}
	}
	if sum != r.Map.Located {
		t.Errorf("circles hold %d events, want %d", sum, r.Map.Located)
	}
	shaded := map[string]string{}
	for _, m := range countryPath.FindAllStringSubmatch(svg, -1) {
		if m[2] != "0" {
			shaded[m[1]] = m[3]
		}
	}
	for _, c := range r.Map.Countries {
		if c.Label == "XXX" {
			continue
		}
		want := thousands(int64(c.Value)) + " events"
		if !strings.Contains(shaded[c.Label], want) {
			t.Errorf("%s: title %q, want %q", c.Label, shaded[c.Label], want)
		}
	}
	if !strings.HasPrefix(shaded["AFG"], "Afghanistan (AFG)") {
		t.Errorf("AFG titled %q", shaded["AFG"])
	}
	for _, want := range []string{"Events per country", "Fatalities (best estimate)", "Battles", "Projection: equirectangular", `id="m"`, `aria-label="Map"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	var png, pdf bytes.Buffer
	if err := WriteMap(&png, r.Map, MapOptions{Width: 800, Height: 500}, "png"); err != nil || !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Errorf("png: %v", err)
	}
	if err := WriteMap(&pdf, r.Map, MapOptions{Width: 800, Height: 500}, "pdf"); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Errorf("pdf: %v", err)
	}
	if err := WriteMap(&pdf, r.Map, MapOptions{Width: 800, Height: 200}, "png"); err == nil || !strings.Contains(err.Error(), "height of at least") {
		t.Errorf("a map too low for its legend: %v", err)
	}
	if _, err := Map(MapData{}, MapOptions{}); err != ErrNoData {
		t.Errorf("empty map: %v", err)
	}

	// a region: Syria alone is drawn equirectangular, fitted to it
	one := MapData{Points: []MapPoint{{Lon: 36.3, Lat: 33.5, Events: 3, Fatalities: 4, Types: [7]int64{1: 3}}}, Located: 3,
		Countries: []Bar{{Label: "SYR", Value: 3}}}
	svg, err = Map(one, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg, "Projection: equirectangular") || strings.Contains(svg, `data-iso3="USA"`) || !strings.Contains(svg, `data-iso3="LBN"`) {
		t.Errorf("Syria's map is not a region: %.300s", svg)
	}
	// the world: points from Mexico to Indonesia are Equal Earth
	one.Points = append(one.Points, MapPoint{Lon: -99, Lat: 19, Events: 1}, MapPoint{Lon: 107, Lat: -6, Events: 1})
	if svg, err = Map(one, MapOptions{}); err != nil || !strings.Contains(svg, "Projection: Equal Earth") {
		t.Errorf("Mexico to Indonesia is not Equal Earth (%v)", err)
	}
}

// TestMapBounded draws 200,000 events at distinct places: the collector
// keeps at most its limit of points and the SVG stays small.
func TestMapBounded(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rng := rand.New(rand.NewPCG(9, 9))
	m := NewMapCollector(0)
	rows := make([]schema.Incident, 10000)
	for range 20 {
		for i := range rows {
			rows[i] = schema.Incident{IncidentID: "b", SourceDataset: "reports", DateStart: 1, DateEnd: 1, CountryISO3: "NGA", Country: "Nigeria",
				Latitude: schema.Float64(-40 + 100*rng.Float64()), Longitude: schema.Float64(-20 + 120*rng.Float64()), EventType: schema.EventBattles,
				Fatalities: schema.Exact(int32(rng.IntN(50)))}
		}
		rec := schema.NewRecord(mem, rows)
		if err := m.Add(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	d := m.Data()
	d.Countries = []Bar{{Label: "NGA", Value: 200000}}
	if len(d.Points) > DefaultMapPoints || d.Located != 200000 {
		t.Fatalf("%d points, %d located", len(d.Points), d.Located)
	}
	svg, err := Map(d, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(svg) > 400<<10 {
		t.Errorf("map of %d points is %d bytes", len(d.Points), len(svg))
	}
	t.Logf("%d points in cells of %g°, %d bytes", len(d.Points), d.CellDegrees, len(svg))
}
