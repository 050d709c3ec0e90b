package link

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func field(name string, t arrow.DataType, nullable bool, doc string) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: nullable,
		Metadata: arrow.NewMetadata([]string{"description"}, []string{doc})}
}

// PairSchema is the schema of the links (pairs) output: one row per pair
// of incidents whose score reached Options.MinScore, left and right
// ordered by dataset then id, with the evidence of each feature.
var PairSchema = arrow.NewSchema([]arrow.Field{
	field("left_id", arrow.BinaryTypes.String, false, "incident_id of one event"),
	field("right_id", arrow.BinaryTypes.String, false, "incident_id of the other"),
	field("left_dataset", arrow.BinaryTypes.String, false, "source_dataset of left_id"),
	field("right_dataset", arrow.BinaryTypes.String, false, "source_dataset of right_id"),
	field("country_iso3", arrow.BinaryTypes.String, false, "the country both are in"),
	field("score", arrow.PrimitiveTypes.Float64, false, "weighted mean of the features present, 0..1"),
	field("date_gap_days", arrow.PrimitiveTypes.Int32, false, "days between the two date ranges (0: they overlap)"),
	field("distance_km", arrow.PrimitiveTypes.Float64, true, "haversine distance of the two points; null when one has none or it was not needed"),
	field("place_basis", arrow.BinaryTypes.String, false, "how places were compared: point (distance), admin1 (same admin1), country (same country)"),
	field("date_score", arrow.PrimitiveTypes.Float64, false, "1 - gap/(days+1), times 1, 0.9, 0.8, 0.5, 0.25 for the coarser date precision (day..year)"),
	field("place_score", arrow.PrimitiveTypes.Float64, false, "point: 1 - distance/(limit+1); admin1: 0.35; country: 0.15"),
	field("type_score", arrow.PrimitiveTypes.Float64, false, "compatibility of the two event types"),
	field("actor_score", arrow.PrimitiveTypes.Float64, true, "similarity of the actor names (token overlap, acronyms); null when either side names nobody"),
	field("fatalities_score", arrow.PrimitiveTypes.Float64, true, "1 when the tolls' ranges overlap, else (smaller+1)/(larger+1); null when either is unknown"),
}, nil)

// ClusterSchema is the schema of the clusters output: one row per event
// that is in at least one link, with its cluster (a connected component of
// the links); an event not listed is a cluster of one.
var ClusterSchema = arrow.NewSchema([]arrow.Field{
	field("incident_id", arrow.BinaryTypes.String, false, "the event"),
	field("source_dataset", arrow.BinaryTypes.String, false, "its dataset"),
	field("cluster_id", arrow.PrimitiveTypes.Int64, false, "the cluster, numbered from 1 in the order of its first event in the input"),
	field("cluster_size", arrow.PrimitiveTypes.Int32, false, "events in the cluster"),
	field("representative", arrow.FixedWidthTypes.Boolean, false, "true for the one event whose row counts the cluster (see Representative)"),
}, nil)

type pairBuilder struct {
	b                                 *array.RecordBuilder
	left, right, lds, rds, cty, basis *array.StringBuilder
	score, dist, ds, ps, ts, as, fs   *array.Float64Builder
	gap                               *array.Int32Builder
}

func newPairBuilder(mem memory.Allocator) *pairBuilder {
	b := array.NewRecordBuilder(mem, PairSchema)
	f := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	g := func(i int) *array.Float64Builder { return b.Field(i).(*array.Float64Builder) }
	return &pairBuilder{b: b, left: f(0), right: f(1), lds: f(2), rds: f(3), cty: f(4), score: g(5),
		gap: b.Field(6).(*array.Int32Builder), dist: g(7), basis: f(8), ds: g(9), ps: g(10), ts: g(11), as: g(12), fs: g(13)}
}

func appendNullable(b *array.Float64Builder, v float64) {
	if math.IsNaN(v) {
		b.AppendNull()
	} else {
		b.Append(v)
	}
}

func (p *pairBuilder) append(l, r *event, ev *evidence) {
	p.left.Append(l.id)
	p.right.Append(r.id)
	p.lds.Append(l.dataset)
	p.rds.Append(r.dataset)
	p.cty.Append(l.country)
	p.score.Append(ev.score)
	p.gap.Append(ev.gapDays)
	appendNullable(p.dist, ev.distanceKM)
	p.basis.Append(ev.basis)
	p.ds.Append(ev.date)
	p.ps.Append(ev.place)
	p.ts.Append(ev.etype)
	appendNullable(p.as, ev.actors)
	appendNullable(p.fs, ev.fatalities)
}

func (p *pairBuilder) len() int { return p.left.Len() }
