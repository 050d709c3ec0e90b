package link

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Dedupe reads a clusters output (ClusterSchema) and answers, for
// 'incidents stats --dedupe', which events to leave out so that each
// cluster counts once: the members that do not represent their cluster.
// It holds those members' ids in memory.
type Dedupe struct {
	drop     map[string]struct{}
	clusters int64
	rows     int64
	excluded int64
}

// NewDedupe returns an empty Dedupe.
func NewDedupe() *Dedupe { return &Dedupe{drop: map[string]struct{}{}} }

// Add reads the rows of a clusters record: incident_id and representative
// are required.
func (d *Dedupe) Add(rec arrow.Record) error {
	col := func(name string) (arrow.Array, error) {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("link: not a clusters file (no %s column; give the --clusters output of incidents link)", name)
		}
		return rec.Column(idx[0]), nil
	}
	a, err := col("incident_id")
	if err != nil {
		return err
	}
	ids, ok := a.(*array.String)
	if !ok {
		return fmt.Errorf("link: clusters file: incident_id has type %s, want utf8", a.DataType())
	}
	a, err = col("representative")
	if err != nil {
		return err
	}
	reps, ok := a.(*array.Boolean)
	if !ok {
		return fmt.Errorf("link: clusters file: representative has type %s, want bool", a.DataType())
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		if ids.IsNull(i) || reps.IsNull(i) {
			return fmt.Errorf("link: clusters file: row %d has a null incident_id or representative", d.rows+int64(i)+1)
		}
		if reps.Value(i) {
			d.clusters++
		} else {
			d.drop[ids.Value(i)] = struct{}{}
		}
	}
	d.rows += rec.NumRows()
	return nil
}

// Exclude reports whether the event is a member that does not represent
// its cluster, and counts it.
func (d *Dedupe) Exclude(id string) bool {
	_, ok := d.drop[id]
	if ok {
		d.excluded++
	}
	return ok
}

// Clusters is the number of clusters read (their representatives).
func (d *Dedupe) Clusters() int64 { return d.clusters }

// Members is the number of members that do not represent their cluster.
func (d *Dedupe) Members() int64 { return int64(len(d.drop)) }

// Excluded is the number of rows Exclude left out so far.
func (d *Dedupe) Excluded() int64 { return d.excluded }
