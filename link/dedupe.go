package link

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

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
		d.add(ids.Value(i), reps.Value(i))
	}
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

// ReadCSV reads a clusters output written as CSV (a header row naming
// incident_id and representative; representative true or false); name is
// the file's name for errors.
func (d *Dedupe) ReadCSV(r io.Reader, name string) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("link: %s: no header row: %w", name, err)
	}
	id, rep := -1, -1
	for i, h := range head {
		switch strings.TrimPrefix(h, "\ufeff") {
		case "incident_id":
			id = i
		case "representative":
			rep = i
		}
	}
	if id < 0 || rep < 0 {
		return fmt.Errorf("link: %s: not a clusters file (its header has no incident_id or representative column; give the --clusters output of incidents link)", name)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("link: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(rep)
		v, err := strconv.ParseBool(rec[rep])
		if err != nil || rec[id] == "" {
			return fmt.Errorf("link: %s: line %d: want an incident_id and representative true or false, got %q, %q", name, line, rec[id], rec[rep])
		}
		d.add(rec[id], v)
	}
}

// ReadJSONLines reads a clusters output written as JSON Lines.
func (d *Dedupe) ReadJSONLines(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var row struct {
			IncidentID     *string `json:"incident_id"`
			Representative *bool   `json:"representative"`
		}
		if err := json.Unmarshal(b, &row); err != nil {
			return fmt.Errorf("link: %s: line %d: %w", name, line, err)
		}
		if row.IncidentID == nil || row.Representative == nil {
			return fmt.Errorf("link: %s: line %d: not a clusters row (no incident_id or representative; give the --clusters output of incidents link)", name, line)
		}
		d.add(*row.IncidentID, *row.Representative)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("link: %s: %w", name, err)
	}
	return nil
}

func (d *Dedupe) add(id string, representative bool) {
	if representative {
		d.clusters++
	} else {
		d.drop[id] = struct{}{}
	}
	d.rows++
}
