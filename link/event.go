package link

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/incidentkit/incidents/schema"
)

// actor is one actor name in comparable form (see tokenizeActor).
type actor struct {
	tokens  []string // sorted, distinct
	acronym string
}

func (a *actor) empty() bool { return len(a.tokens) == 0 && a.acronym == "" }

// event is what link keeps of an incident: the fields the features read,
// in comparable form. It travels through the external sort as bytes
// (appendEvent, decodeEvent).
type event struct {
	idx      uint32 // position in the input, 0-based over all inputs
	id       string
	dataset  string
	country  string // country_iso3
	start    int32  // date_start, days since 1970-01-01
	end      int32  // date_end
	datePrec schema.DatePrecision
	geoPrec  schema.GeoPrecision
	hasPoint bool
	lat, lon float64
	admin1   string // normalizeAdmin(admin1)
	etype    schema.EventType
	vtype    schema.ViolenceType
	actors   [2]actor
	best     int32 // fatalities; -1 = null
	low      int32
	high     int32

	cls    placeClass // class(), kept for the sweep
	radius float64    // radiusKM(), kept for the sweep

	// the sweep's state: the candidates above the score, the best match in
	// each other dataset, whether no later event can be a candidate, and
	// how many pending candidates of final events still point here
	cands []*cand
	bests []bestMatch
	final bool
	refs  int
}

// cand is a candidate pair above the score, decided when both are final.
type cand struct {
	a, b *event
	ev   evidence
}

func (c *cand) other(x *event) *event {
	if c.a == x {
		return c.b
	}
	return c.a
}

type bestMatch struct {
	dataset string
	score   float64
	idx     uint32
}

// addCand records c, whose other event is y, and keeps the best match in
// y's dataset (the higher score; of equal scores the first in input).
func (e *event) addCand(c *cand, y *event) {
	e.cands = append(e.cands, c)
	for i := range e.bests {
		b := &e.bests[i]
		if b.dataset == y.dataset {
			if c.ev.score > b.score || (c.ev.score == b.score && y.idx < b.idx) {
				b.score, b.idx = c.ev.score, y.idx
			}
			return
		}
	}
	e.bests = append(e.bests, bestMatch{y.dataset, c.ev.score, y.idx})
}

// bestIn is the input position of e's best match in the dataset.
func (e *event) bestIn(dataset string) uint32 {
	for _, b := range e.bests {
		if b.dataset == dataset {
			return b.idx
		}
	}
	return math.MaxUint32
}

// reset clears the sweep's state of a recycled event.
func (e *event) reset() {
	e.cands, e.bests, e.final = e.cands[:0], e.bests[:0], false
}

// placeClass says how precisely an event's place is known, for the
// distance rule.
type placeClass uint8

const (
	classPoint   placeClass = iota // coordinates at exact, near or admin2 precision
	classAdmin1                    // somewhere in its admin1
	classCountry                   // somewhere in its country (country or unknown precision)
)

func (e *event) class() placeClass {
	switch {
	case e.hasPoint && (e.geoPrec == schema.GeoExact || e.geoPrec == schema.GeoNear || e.geoPrec == schema.GeoAdmin2):
		return classPoint
	case e.geoPrec == schema.GeoAdmin1 || (e.geoPrec != schema.GeoCountry && e.admin1 != ""):
		return classAdmin1
	}
	return classCountry
}

// prepare keeps what the sweep asks of e at every comparison.
func (e *event) prepare() { e.cls, e.radius = e.class(), e.radiusKM() }

// radiusKM widens the distance rule by geo precision: a point said to be
// "near" (within ~25 km, SCHEMA.md) may be 25 km from the place, an admin2
// centroid 50 km from any place in the unit, an admin1 centroid (used only
// when an admin1 name is missing) 100 km.
func (e *event) radiusKM() float64 {
	switch e.geoPrec {
	case schema.GeoNear:
		return 25
	case schema.GeoAdmin2:
		return 50
	case schema.GeoAdmin1:
		return 100
	}
	return 0
}

// precisionRank orders events by how precisely they are known (lower is
// finer): the date precision, then the geo precision.
func (e *event) precisionRank() uint8 {
	g := uint8(5)
	switch e.geoPrec {
	case schema.GeoExact:
		g = 0
	case schema.GeoNear:
		g = 1
	case schema.GeoAdmin2:
		g = 2
	case schema.GeoAdmin1:
		g = 3
	case schema.GeoCountry:
		g = 4
	}
	return uint8(e.datePrec)*8 + g
}

func nullInt(n schema.NullInt32) int32 {
	if !n.Valid || n.Value < 0 {
		return -1
	}
	return n.Value
}

// sortKey is country_iso3, a zero byte and date_start as a big-endian
// offset number, so that bytes order as (country, date_start).
func appendSortKey(dst []byte, e *event) []byte {
	dst = append(dst, e.country...)
	dst = append(dst, 0)
	return binary.BigEndian.AppendUint32(dst, uint32(e.start)^0x80000000)
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendEvent encodes e (all but idx, which is the sort's seq).
func appendEvent(dst []byte, e *event) []byte {
	dst = appendString(dst, e.id)
	dst = appendString(dst, e.dataset)
	dst = appendString(dst, e.country)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(e.start))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(e.end))
	flags := byte(0)
	if e.hasPoint {
		flags = 1
	}
	dst = append(dst, byte(e.datePrec), byte(e.geoPrec), flags, byte(e.etype), byte(e.vtype))
	if e.hasPoint {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(e.lat))
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(e.lon))
	}
	dst = appendString(dst, e.admin1)
	for _, a := range e.actors {
		dst = appendString(dst, a.acronym)
		dst = binary.AppendUvarint(dst, uint64(len(a.tokens)))
		for _, t := range a.tokens {
			dst = appendString(dst, t)
		}
	}
	for _, n := range [3]int32{e.best, e.low, e.high} {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	}
	return dst
}

var errShort = errors.New("link: damaged spill record")

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if n > len(d.b) || n < 0 {
		d.err = errShort
		d.b = nil
		return make([]byte, max(n, 0))
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string { return string(d.bytes(int(d.uvarint()))) }
func (d *decoder) u32() uint32    { return binary.LittleEndian.Uint32(d.bytes(4)) }
func (d *decoder) u64() uint64    { return binary.LittleEndian.Uint64(d.bytes(8)) }

// decodeEvent decodes appendEvent's bytes into e.
func decodeEvent(b []byte, idx uint32, e *event) error {
	d := decoder{b: b}
	e.idx = idx
	e.id = d.string()
	e.dataset = d.string()
	e.country = d.string()
	e.start = int32(d.u32())
	e.end = int32(d.u32())
	f := d.bytes(5)
	e.datePrec, e.geoPrec, e.hasPoint = schema.DatePrecision(f[0]), schema.GeoPrecision(f[1]), f[2] == 1
	e.etype, e.vtype = schema.EventType(f[3]), schema.ViolenceType(f[4])
	e.lat, e.lon = 0, 0
	if e.hasPoint {
		e.lat = math.Float64frombits(d.u64())
		e.lon = math.Float64frombits(d.u64())
	}
	e.admin1 = d.string()
	for i := range e.actors {
		a := &e.actors[i]
		a.acronym = d.string()
		n := int(d.uvarint())
		if n > len(d.b) {
			return errShort
		}
		a.tokens = make([]string, n)
		for j := range a.tokens {
			a.tokens[j] = d.string()
		}
	}
	e.best = int32(d.u32())
	e.low = int32(d.u32())
	e.high = int32(d.u32())
	e.prepare()
	return d.err
}
