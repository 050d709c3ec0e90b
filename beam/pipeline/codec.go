package pipeline

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/schema"
)

// The rows cross the shuffle of the duplicate-id GroupByKey as bytes in a
// compact binary form of ingest.Row (varints, length-prefixed strings): no
// reflection per element, and the shuffle volume per row is its input
// fields plus its normalized values, about what the row weighs in CSV
// twice (docs/scale.md measures it).

var errShortRow = errors.New("beam: damaged row in the shuffle")

type enc struct{ b []byte }

func (e *enc) uv(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) v(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) s(s string)  { e.uv(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) ss(l []string) {
	e.uv(uint64(len(l)))
	for _, s := range l {
		e.s(s)
	}
}
func (e *enc) n32(n schema.NullInt32) {
	if !n.Valid {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.v(int64(n.Value))
}
func (e *enc) f64(n schema.NullFloat64) {
	if !n.Valid {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(n.Value))
}
func (e *enc) est(x schema.Estimate) { e.n32(x.Low); e.n32(x.Best); e.n32(x.High) }

// encodeRow appends the encoding of r to dst.
func encodeRow(dst []byte, r *ingest.Row) []byte {
	e := enc{dst}
	e.uv(uint64(r.Input))
	e.v(r.Line)
	e.ss(r.Fields)
	in := &r.Incident
	e.s(in.IncidentID)
	e.s(in.SourceDataset)
	e.s(in.SourceID)
	e.v(int64(in.DateStart))
	e.v(int64(in.DateEnd))
	e.b = append(e.b, byte(in.DatePrecision))
	if in.TimeUTC.IsZero() {
		e.b = append(e.b, 0)
	} else {
		e.b = append(e.b, 1)
		e.v(in.TimeUTC.UnixNano())
	}
	e.s(in.CountryISO3)
	e.s(in.Country)
	e.s(in.Admin1)
	e.s(in.Admin2)
	e.s(in.Location)
	e.f64(in.Latitude)
	e.f64(in.Longitude)
	e.b = append(e.b, byte(in.GeoPrecision), byte(in.EventType))
	e.s(in.SubEventType)
	e.s(in.SourceEvent)
	e.b = append(e.b, byte(in.ViolenceType))
	e.s(in.Actor1)
	e.s(in.Actor2)
	e.ss(in.AssocActors)
	e.s(in.ClaimedBy)
	e.est(in.Fatalities)
	e.n32(in.FatalitiesActor1)
	e.n32(in.FatalitiesActor2)
	e.n32(in.FatalitiesCivilians)
	e.n32(in.FatalitiesUnknown)
	e.est(in.Injured)
	e.est(in.Detained)
	e.ss(in.Sources)
	e.v(int64(in.SourceCount))
	e.s(in.Notes)
	return e.b
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() { d.err = errShortRow; d.b = nil }
func (d *dec) uv() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}
func (d *dec) v() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}
func (d *dec) byte1() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}
func (d *dec) s() string {
	n := d.uv()
	if uint64(len(d.b)) < n {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
func (d *dec) ss() []string {
	n := d.uv()
	if n == 0 || n > uint64(len(d.b)) {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = d.s()
	}
	return l
}
func (d *dec) n32() schema.NullInt32 {
	if d.byte1() == 0 {
		return schema.NullInt32{}
	}
	return schema.Int32(int32(d.v()))
}
func (d *dec) f64() schema.NullFloat64 {
	if d.byte1() == 0 {
		return schema.NullFloat64{}
	}
	if len(d.b) < 8 {
		d.fail()
		return schema.NullFloat64{}
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return schema.Float64(v)
}
func (d *dec) est() schema.Estimate {
	return schema.Estimate{Low: d.n32(), Best: d.n32(), High: d.n32()}
}

// decodeRow decodes what encodeRow wrote; withFields false skips the
// input fields (kept rows need them no more).
func decodeRow(b []byte, r *ingest.Row, withFields bool) error {
	d := dec{b: b}
	r.Input = int(d.uv())
	r.Line = d.v()
	if withFields {
		r.Fields = d.ss()
	} else {
		r.Fields = nil
		n := d.uv()
		for range n {
			d.s()
		}
	}
	in := &r.Incident
	*in = schema.Incident{}
	in.IncidentID = d.s()
	in.SourceDataset = d.s()
	in.SourceID = d.s()
	in.DateStart = schema.Date(d.v())
	in.DateEnd = schema.Date(d.v())
	in.DatePrecision = schema.DatePrecision(d.byte1())
	if d.byte1() == 1 {
		in.TimeUTC = time.Unix(0, d.v()).UTC()
	}
	in.CountryISO3 = d.s()
	in.Country = d.s()
	in.Admin1 = d.s()
	in.Admin2 = d.s()
	in.Location = d.s()
	in.Latitude = d.f64()
	in.Longitude = d.f64()
	in.GeoPrecision = schema.GeoPrecision(d.byte1())
	in.EventType = schema.EventType(d.byte1())
	in.SubEventType = d.s()
	in.SourceEvent = d.s()
	in.ViolenceType = schema.ViolenceType(d.byte1())
	in.Actor1 = d.s()
	in.Actor2 = d.s()
	in.AssocActors = d.ss()
	in.ClaimedBy = d.s()
	in.Fatalities = d.est()
	in.FatalitiesActor1 = d.n32()
	in.FatalitiesActor2 = d.n32()
	in.FatalitiesCivilians = d.n32()
	in.FatalitiesUnknown = d.n32()
	in.Injured = d.est()
	in.Detained = d.est()
	in.Sources = d.ss()
	in.SourceCount = int16(d.v())
	in.Notes = d.s()
	if d.err == nil && len(d.b) != 0 {
		return errShortRow
	}
	return d.err
}
