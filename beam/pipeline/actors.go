package pipeline

import (
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// One spelling per actor, as incidents normalize writes them: names that
// are one under value.ActorKey are written in every actor column in the
// spelling first written in output order (input order of the rows kept,
// and in a row actor1, actor2, the associated actors, claimed_by). Across
// workers that is a CombinePerKey on the key keeping the spelling of the
// lowest (input, line, position), then the table as a side input of a
// step that respells the rows.

func init() {
	beam.RegisterType(reflect.TypeOf((*spelling)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*actorNamesFn)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*respellFn)(nil)).Elem())
	beam.RegisterFunction(firstSpelling)
}

// spelling is one actor name as written, with where it stands in output order.
type spelling struct {
	Order uint64 // input << 40 | line
	Pos   int    // in the row: actor1 0, actor2 1, associated actors 2.., claimed_by after them
	Text  string
}

func (a spelling) before(b spelling) bool {
	return a.Order < b.Order || (a.Order == b.Order && a.Pos < b.Pos)
}

// firstSpelling is the combiner: the spelling first in output order.
func firstSpelling(a, b spelling) spelling {
	if b.before(a) {
		return b
	}
	return a
}

func eachActor(in *schema.Incident, f func(pos int, name string)) {
	if in.Actor1 != "" {
		f(0, in.Actor1)
	}
	if in.Actor2 != "" {
		f(1, in.Actor2)
	}
	for j, a := range in.AssocActors {
		if a != "" {
			f(2+j, a)
		}
	}
	if in.ClaimedBy != "" {
		f(2+len(in.AssocActors), in.ClaimedBy)
	}
}

// actorNamesFn emits each actor name of a row keyed by its ActorKey.
type actorNamesFn struct{}

func (actorNamesFn) ProcessElement(row []byte, emit func(string, spelling)) error {
	var r ingest.Row
	if err := decodeRow(row, &r, false); err != nil {
		return err
	}
	order := rowOrder(&r)
	eachActor(&r.Incident, func(pos int, name string) {
		emit(value.ActorKey(name), spelling{Order: order, Pos: pos, Text: name})
	})
	return nil
}

// respellFn writes each actor name of a row in its kept spelling.
type respellFn struct {
	kept map[string]string
}

func (f *respellFn) ProcessElement(row []byte, table func(*string, *spelling) bool, emit func([]byte)) error {
	if f.kept == nil {
		f.kept = map[string]string{}
		var k string
		var s spelling
		for table(&k, &s) {
			f.kept[k] = s.Text
		}
	}
	var r ingest.Row
	if err := decodeRow(row, &r, true); err != nil {
		return err
	}
	changed := false
	spell := func(name string) string {
		if c, ok := f.kept[value.ActorKey(name)]; ok && c != name {
			changed = true
			return c
		}
		return name
	}
	in := &r.Incident
	if in.Actor1 != "" {
		in.Actor1 = spell(in.Actor1)
	}
	if in.Actor2 != "" {
		in.Actor2 = spell(in.Actor2)
	}
	if len(in.AssocActors) > 0 {
		out := in.AssocActors[:0:0]
		for _, a := range in.AssocActors {
			if a == "" {
				continue
			}
			out = appendNew(out, spell(a))
		}
		if len(out) != len(in.AssocActors) {
			changed = true
		}
		in.AssocActors = out
	}
	if in.ClaimedBy != "" {
		in.ClaimedBy = spell(in.ClaimedBy)
	}
	if !changed {
		emit(row)
		return nil
	}
	emit(encodeRow(nil, &r))
	return nil
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// buildSpellings adds the one-spelling-per-actor steps to the kept rows.
func buildSpellings(s beam.Scope, kept beam.PCollection) beam.PCollection {
	names := beam.ParDo(s.Scope("actor names"), actorNamesFn{}, kept)
	table := beam.CombinePerKey(s.Scope("first spelling"), firstSpelling, names)
	return beam.ParDo(s.Scope("one spelling per actor"), &respellFn{}, kept, beam.SideInput{Input: table})
}
