package ingest

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// One spelling per actor over a run. Names that are one under
// value.ActorKey (case, Unicode form, dashes, apostrophes, spacing) are
// written in one spelling in every actor column (actor1, actor2,
// assoc_actors, claimed_by): the first one written, in output order (row
// by row; in a row actor1, actor2, the associated actors in order, then
// claimed_by). The written rows come in input order whatever Workers and
// BatchSize are (dataset rows as their chunks finish in order, reconciled
// reports incident by incident in order of first appearance), so the kept
// spelling does not depend on them either.
//
// The table holds each name's key and kept spelling, and each spelling
// seen (a cache of its key), up to Options.actorBudget bytes
// (DefaultActorBudget). Past it, a name first seen later is written as
// spelled and a warning says so; names already in the table keep merging.

// DefaultActorBudget is about the memory the run's table of actor
// spellings may take: 138,317 distinct names of 38 characters fill it, and
// then hold 32 MB of Go heap (runtime.MemStats after GC), so the accounting
// matches the heap (ACLED's whole history has tens of thousands of names).
const DefaultActorBudget = 32 << 20

// actorEntryBytes is what one map entry costs beyond its strings (the
// string headers, the map's slot and overhead).
const actorEntryBytes = 64

type actorSpellings struct {
	byKey      map[string]string // value.ActorKey -> the spelling kept
	bySpelling map[string]string // a spelling seen -> the spelling kept
	size       int               // bytes accounted
	budget     int
	full       bool  // a name was not taken for want of room
	names      int   // names in byKey when it filled
	respelled  int64 // values written in another spelling than their own
	variants   int64 // distinct spellings written as another
	key        []byte
}

func newActorSpellings(budget int) *actorSpellings {
	if budget <= 0 {
		budget = DefaultActorBudget
	}
	return &actorSpellings{byKey: map[string]string{}, bySpelling: map[string]string{}, budget: budget}
}

// spell returns the spelling to write for s (not empty).
func (t *actorSpellings) spell(s string) string {
	if c, ok := t.bySpelling[s]; ok {
		return c
	}
	t.key = value.AppendActorKey(t.key[:0], s)
	c, known := t.byKey[string(t.key)]
	if !known {
		need := 2*actorEntryBytes + len(t.key) + 2*len(s)
		if t.size+need > t.budget {
			if !t.full {
				t.full, t.names = true, len(t.byKey)
			}
			return s
		}
		c = strings.Clone(s)
		t.byKey[string(t.key)] = c
		t.bySpelling[c] = c
		t.size += need
		return c
	}
	if need := actorEntryBytes + len(s); t.size+need <= t.budget {
		t.bySpelling[strings.Clone(s)] = c
		t.size += need
		t.variants++
	} else if !t.full {
		t.full, t.names = true, len(t.byKey)
	}
	return c
}

// incident respells the actors of one row (the reports' reconciled rows).
func (t *actorSpellings) incident(in *schema.Incident) {
	for _, p := range []*string{&in.Actor1, &in.Actor2} {
		if *p != "" {
			if c := t.spell(*p); c != *p {
				*p = c
				t.respelled++
			}
		}
	}
	if len(in.AssocActors) > 0 {
		out := in.AssocActors[:0:0]
		for _, a := range in.AssocActors {
			if a == "" {
				continue
			}
			c := t.spell(a)
			if c != a {
				t.respelled++
			}
			out = appendNew(out, c)
		}
		in.AssocActors = out
	}
	if in.ClaimedBy != "" {
		if c := t.spell(in.ClaimedBy); c != in.ClaimedBy {
			in.ClaimedBy = c
			t.respelled++
		}
	}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// actorColumns are the columns respelled, in the order a row's values are
// seen.
var actorColumns = [...]string{"actor1", "actor2", "assoc_actors", "claimed_by"}

// record respells the actor columns of rec (those it has), row by row in
// the order of actorColumns. It returns nil when every value is written as
// spelled, else a new record (the caller releases it) in which the columns
// with another spelling are rebuilt.
func (t *actorSpellings) record(mem memory.Allocator, rec arrow.Record) arrow.Record {
	type column struct {
		pos       int
		flat      *array.String
		list      *array.List
		elems     *array.String
		changed   bool
		prev, out string // the last value and its spelling: runs of one actor are common
	}
	var cols []column
	sc := rec.Schema()
	for _, name := range actorColumns {
		k := sc.FieldIndices(name)
		if len(k) != 1 {
			continue
		}
		c := column{pos: k[0]}
		switch a := rec.Column(k[0]).(type) {
		case *array.String:
			c.flat = a
		case *array.List:
			e, ok := a.ListValues().(*array.String)
			if !ok {
				continue
			}
			c.list, c.elems = a, e
		default:
			continue
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil
	}
	spell := func(c *column, v string) string {
		if v == c.prev {
			return c.out
		}
		o := t.spell(v)
		c.prev, c.out = v, o
		return o
	}
	n := int(rec.NumRows())
	any := false
	for i := 0; i < n; i++ {
		for k := range cols {
			c := &cols[k]
			if c.flat != nil {
				if c.flat.IsValid(i) {
					if v := c.flat.Value(i); v != "" && spell(c, v) != v {
						c.changed, any = true, true
						t.respelled++
					}
				}
				continue
			}
			if c.list.IsNull(i) {
				continue
			}
			start, end := c.list.ValueOffsets(i)
			for j := start; j < end; j++ {
				if v := c.elems.Value(int(j)); v != "" && spell(c, v) != v {
					c.changed, any = true, true
					t.respelled++
				}
			}
		}
	}
	if !any {
		return nil
	}
	arrs := make([]arrow.Array, rec.NumCols())
	copy(arrs, rec.Columns())
	var built []arrow.Array
	defer func() {
		for _, a := range built {
			a.Release()
		}
	}()
	for k := range cols {
		c := &cols[k]
		if !c.changed {
			continue
		}
		c.prev, c.out = "", ""
		var a arrow.Array
		if c.flat != nil {
			b := array.NewStringBuilder(mem)
			b.Reserve(n)
			b.ReserveData(len(c.flat.ValueBytes()))
			for i := 0; i < n; i++ {
				switch {
				case c.flat.IsNull(i):
					b.AppendNull()
				case c.flat.Value(i) == "":
					b.Append("")
				default:
					b.Append(spell(c, c.flat.Value(i)))
				}
			}
			a = b.NewArray()
			b.Release()
		} else {
			lt, _ := c.list.DataType().(*arrow.ListType)
			b := array.NewListBuilderWithField(mem, lt.ElemField())
			vb := b.ValueBuilder().(*array.StringBuilder)
			b.Reserve(n)
			var row []string
			for i := 0; i < n; i++ {
				if c.list.IsNull(i) {
					b.AppendNull()
					continue
				}
				b.Append(true)
				row = row[:0]
				start, end := c.list.ValueOffsets(i)
				for j := start; j < end; j++ {
					v := c.elems.Value(int(j))
					if v != "" {
						v = spell(c, v)
					}
					row = appendNew(row, v) // the list stays one of distinct names
				}
				for _, v := range row {
					vb.Append(v)
				}
			}
			a = b.NewArray()
			b.Release()
		}
		built = append(built, a)
		arrs[c.pos] = a
	}
	return array.NewRecord(sc, arrs, rec.NumRows())
}

// warning says what a full table left unmerged, or "".
func (t *actorSpellings) warning() string {
	if t == nil || !t.full {
		return ""
	}
	return fmt.Sprintf("actor names: the table of spellings reached its budget (%d bytes) at %d names: names first seen after that are written as spelled, not merged with their other spellings",
		t.budget, t.names)
}
