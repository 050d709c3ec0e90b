package report

import "math"

// A Projection maps longitude and latitude in degrees to plane coordinates
// on a unit sphere, x east and y north.
type Projection interface {
	Project(lon, lat float64) (x, y float64)
	Name() string
}

// EqualEarth is the Equal Earth projection (Šavrič, Patterson & Jenny
// 2018, "The Equal Earth map projection", International Journal of
// Geographical Information Science 33(3)): equal-area, with straight
// parallels and meridians curving like Robinson's. With θ = asin(√3/2 ·
// sin φ):
//
//	x = 2√3 λ cos θ / (3 (A1 + 3 A2 θ² + θ⁶ (7 A3 + 9 A4 θ²)))
//	y = θ (A1 + A2 θ² + θ⁶ (A3 + A4 θ²))
//
// with A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, and
// λ measured from the central meridian Lon0.
type EqualEarth struct{ Lon0 float64 }

const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

var eeM = math.Sqrt(3) / 2

// Project implements Projection.
func (p EqualEarth) Project(lon, lat float64) (x, y float64) {
	lambda := wrapLon(lon-p.Lon0) * math.Pi / 180
	phi := lat * math.Pi / 180
	t := math.Asin(eeM * math.Sin(phi))
	t2 := t * t
	t6 := t2 * t2 * t2
	x = lambda * math.Cos(t) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = t * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// Name implements Projection.
func (EqualEarth) Name() string { return "Equal Earth" }

// Equirectangular is the plate carrée stretched to be true to scale along
// the standard parallel Lat0: x = λ cos φ0, y = φ. Over a region a few
// hundred kilometres across it distorts little, and it keeps parallels and
// meridians straight.
type Equirectangular struct{ Lon0, Lat0 float64 }

// Project implements Projection.
func (p Equirectangular) Project(lon, lat float64) (x, y float64) {
	return wrapLon(lon-p.Lon0) * math.Pi / 180 * math.Cos(p.Lat0*math.Pi/180), lat * math.Pi / 180
}

// Name implements Projection.
func (Equirectangular) Name() string { return "equirectangular" }

// wrapLon brings a longitude difference into [-180, 180].
func wrapLon(d float64) float64 {
	for d > 180 {
		d -= 360
	}
	for d < -180 {
		d += 360
	}
	return d
}
