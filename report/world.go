package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/biter777/countries"

	"github.com/incidentkit/incidents/report/world"
)

// countries110m is world-atlas 2.0.2's countries-110m.json: Natural Earth's
// 1:110m admin-0 outlines as TopoJSON (see world/SOURCES.md), embedded by
// package report/world, which the dashboard of incidents serve reads too.
var countries110m = world.Countries110m

// Country is one country outline of the world map.
type Country struct {
	ISO3     string    // ISO 3166-1 alpha-3, as country_iso3 (XKX for Kosovo)
	Numeric  string    // ISO 3166-1 numeric, as world-atlas gives it ("" for Kosovo, N. Cyprus, Somaliland)
	Name     string    // Natural Earth's short name ("Dem. Rep. Congo")
	Polygons []Polygon // longitude/latitude degrees
	// Bounds is the bounding box: min longitude, min latitude, max
	// longitude, max latitude.
	Bounds [4]float64
}

// Polygon is an outer ring followed by its holes; each ring is closed (its
// last point equals its first) and holds [longitude, latitude] pairs.
type Polygon [][][2]float64

// unnumbered names the ISO3 of the three world-atlas countries without an
// ISO 3166-1 numeric code. N. Cyprus and Somaliland count as Cyprus and
// Somalia, as ACLED and UCDP code their events.
var unnumbered = map[string]string{"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}

// World returns the country outlines of Natural Earth's 1:110m admin-0
// map, decoded once from the embedded TopoJSON. Several outlines may share
// an ISO3 (Cyprus and N. Cyprus). Callers must not modify the result.
var World = sync.OnceValue(func() []Country {
	cs, err := decodeCountries(countries110m)
	if err != nil {
		panic("report: embedded world map: " + err.Error()) // the embedded file is fixed; its test decodes it
	}
	return cs
})

// topology is the part of a TopoJSON document we read
// (https://github.com/topojson/topojson-specification).
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][]float64              `json:"arcs"`
	Objects map[string]json.RawMessage `json:"objects"`
}

type topoGeometry struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoGeometry  `json:"geometries"`
}

// decodeCountries reads the "countries" GeometryCollection of a TopoJSON
// topology: quantized, delta-encoded arcs when it has a transform.
func decodeCountries(data []byte) ([]Country, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	arcs := decodeArcs(&t)
	raw, ok := t.Objects["countries"]
	if !ok {
		return nil, fmt.Errorf("topojson: no object named countries")
	}
	var coll topoGeometry
	if err := json.Unmarshal(raw, &coll); err != nil {
		return nil, fmt.Errorf("topojson: countries: %w", err)
	}
	var out []Country
	for i, g := range coll.Geometries {
		c := Country{}
		switch id := g.ID.(type) {
		case string:
			c.Numeric = id
		case float64:
			c.Numeric = fmt.Sprintf("%03d", int(id))
		}
		if name, ok := g.Properties["name"].(string); ok {
			c.Name = name
		}
		if c.Numeric != "" {
			n, err := strconv.Atoi(c.Numeric)
			if err != nil {
				return nil, fmt.Errorf("topojson: geometry %d: id %q is not an ISO 3166-1 numeric code", i, c.Numeric)
			}
			c.ISO3 = countries.ByNumeric(n).Alpha3()
			if !isISO3(c.ISO3) {
				return nil, fmt.Errorf("topojson: geometry %d (%s): unknown ISO 3166-1 numeric code %s", i, c.Name, c.Numeric)
			}
		} else if c.ISO3 = unnumbered[c.Name]; c.ISO3 == "" {
			return nil, fmt.Errorf("topojson: geometry %d (%s) has no id", i, c.Name)
		}
		var err error
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err = json.Unmarshal(g.Arcs, &rings); err == nil {
				var p Polygon
				if p, err = polygonOf(rings, arcs); err == nil {
					c.Polygons = []Polygon{p}
				}
			}
		case "MultiPolygon":
			var polys [][][]int
			if err = json.Unmarshal(g.Arcs, &polys); err == nil {
				for _, rings := range polys {
					var p Polygon
					if p, err = polygonOf(rings, arcs); err != nil {
						break
					}
					c.Polygons = append(c.Polygons, p)
				}
			}
		default:
			err = fmt.Errorf("type %s, want Polygon or MultiPolygon", g.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("topojson: geometry %d (%s): %w", i, c.Name, err)
		}
		c.Bounds = boundsOf(c.Polygons)
		out = append(out, c)
	}
	return out, nil
}

// decodeArcs turns the topology's arcs into absolute longitude/latitude:
// with a transform, positions are quantized and each is the delta from the
// one before.
func decodeArcs(t *topology) [][][2]float64 {
	out := make([][][2]float64, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([][2]float64, 0, len(arc))
		var x, y float64
		for _, p := range arc {
			if len(p) < 2 {
				continue
			}
			if t.Transform == nil {
				pts = append(pts, [2]float64{p[0], p[1]})
				continue
			}
			x, y = x+p[0], y+p[1]
			pts = append(pts, [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]})
		}
		out[i] = pts
	}
	return out
}

// polygonOf joins each ring's arcs: a negative index ^i is arc i reversed,
// and each arc after the first starts where the one before it ended.
func polygonOf(rings [][]int, arcs [][][2]float64) (Polygon, error) {
	var p Polygon
	for _, ring := range rings {
		var pts [][2]float64
		for k, a := range ring {
			rev := a < 0
			if rev {
				a = ^a
			}
			if a >= len(arcs) {
				return nil, fmt.Errorf("arc %d out of range (%d arcs)", a, len(arcs))
			}
			arc := arcs[a]
			for j := range arc {
				q := arc[j]
				if rev {
					q = arc[len(arc)-1-j]
				}
				if j == 0 && k > 0 {
					continue // the shared end point of the arc before
				}
				pts = append(pts, q)
			}
		}
		if len(pts) >= 4 {
			p = append(p, pts)
		}
	}
	return p, nil
}

func boundsOf(polys []Polygon) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range polys {
		for _, ring := range p {
			for _, q := range ring {
				b[0], b[1] = math.Min(b[0], q[0]), math.Min(b[1], q[1])
				b[2], b[3] = math.Max(b[2], q[0]), math.Max(b[3], q[1])
			}
		}
	}
	return b
}

// isISO3 reports whether s looks like an alpha-3 code (biter777/countries
// answers "International" for 999 and "Unknown" for codes it lacks).
func isISO3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
