package stats

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
)

// Options says how to group, filter and summarize.
type Options struct {
	By        []string // group columns: any scalar schema column, dictionary or plain
	Period    string   // "", day, week (ISO), month, quarter, year: bucket of date_start
	Where     []Filter // rows must match every filter (see ParseFilter)
	Top       int      // keep the Top groups with the most events (0: all groups)
	Tail      bool     // fit a discrete power law to fatalities_best >= 1 per group
	Bootstrap int      // goodness-of-fit replicates of the tail fit: 0 means 1000, <0 none
	Seed      uint64   // seed of the bootstrap; the same seed gives the same p-value
	Workers   int      // bootstrap goroutines: 0 means GOMAXPROCS
	Series    bool     // emit the counts per group and period (needs Period) instead of the summary

	// Exclude, if set, leaves out the rows whose incident_id it returns
	// true for, before the filters: 'stats --dedupe' leaves out the
	// members of link clusters that do not represent their cluster.
	Exclude func(incidentID string) bool

	// Progress, if set, is told how the bootstrap of each group's tail fit
	// goes: done of total replicates for the group named group (its
	// values as Result prints them, joined by ", "; "" without By). The
	// groups' fits run one after another, each group's calls come one at a
	// time with done increasing, and the package never prints.
	Progress func(group string, done, total int)
}

// DefaultBootstrap is the number of bootstrap replicates when
// Options.Bootstrap is 0.
const DefaultBootstrap = 1000

// The count columns every summary reads, in schema order.
var quantityColumns = [3][3]string{
	{"fatalities_best", "fatalities_low", "fatalities_high"},
	{"injured_best", "injured_low", "injured_high"},
	{"detained_best", "detained_low", "detained_high"},
}

var partyColumns = [4]string{"fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown"}

// Columns returns the schema columns the statistics of opts read, in
// schema order, so that readers can project.
func Columns(opts Options) []string {
	need := map[string]bool{"incident_id": true}
	for _, q := range quantityColumns {
		for _, c := range q {
			need[c] = true
		}
	}
	for _, c := range partyColumns {
		need[c] = true
	}
	for _, c := range opts.By {
		need[c] = true
	}
	for _, f := range opts.Where {
		need[f.Column] = true
	}
	if opts.Period != "" {
		need["date_start"] = true
	}
	var cols []string
	for _, c := range schema.Columns {
		if need[c.Name] {
			cols = append(cols, c.Name)
		}
	}
	return cols
}

// Accumulator gathers the statistics of the records given to Add. It is not
// safe for concurrent use.
type Accumulator struct {
	opts    Options
	byKinds []arrow.Type     // schema type of each group column
	groups  map[string]int32 // group key codes -> index in order
	order   []*group
	strs    []internTable // per group column
	key     []byte
	total   int64 // events that passed the filters
	scratch batchScratch
}

// group is the state of one group.
type group struct {
	codes   []int64 // group key codes, decoded by Accumulator.groupValue
	events  int64
	qty     [3]quantity
	party   [4]sum
	periods periods
}

// internTable numbers the distinct strings of one text group column.
type internTable struct {
	ids  map[string]int64
	strs []string
}

func (t *internTable) id(s string) int64 {
	if id, ok := t.ids[s]; ok {
		return id
	}
	s = strings.Clone(s)
	id := int64(len(t.strs))
	t.ids[s] = id
	t.strs = append(t.strs, s)
	return id
}

// nullCode marks a null group value.
const nullCode = -1 << 63

// NewAccumulator checks opts and returns an empty Accumulator.
func NewAccumulator(opts Options) (*Accumulator, error) {
	if err := checkPeriod(opts.Period); err != nil {
		return nil, err
	}
	if opts.Series && opts.Period == "" {
		return nil, errors.New("stats: counts per period need a period (day, week, month, quarter, year)")
	}
	if opts.Top < 0 {
		return nil, fmt.Errorf("stats: top %d is negative", opts.Top)
	}
	if opts.Bootstrap == 0 {
		opts.Bootstrap = DefaultBootstrap
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	a := &Accumulator{opts: opts, groups: make(map[string]int32)}
	seen := map[string]bool{}
	for _, name := range opts.By {
		idx := schema.ColumnIndex(name)
		if idx < 0 {
			return nil, fmt.Errorf("stats: unknown group column %q", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("stats: group column %q given twice", name)
		}
		seen[name] = true
		t := schema.Columns[idx].Type.ID()
		switch t {
		case arrow.STRING, arrow.DICTIONARY, arrow.INT16, arrow.INT32, arrow.FLOAT64, arrow.DATE32:
		default:
			return nil, fmt.Errorf("stats: cannot group by %s (%s)", name, schema.Columns[idx].TypeName)
		}
		a.byKinds = append(a.byKinds, t)
	}
	a.strs = make([]internTable, len(opts.By))
	for i := range a.strs {
		a.strs[i].ids = make(map[string]int64)
	}
	for i := range opts.Where {
		if err := opts.Where[i].compile(); err != nil {
			return nil, fmt.Errorf("stats: filter %s: %w", opts.Where[i], err)
		}
	}
	a.key = make([]byte, 8*len(opts.By))
	return a, nil
}

// recordView holds the columns of one record that the statistics read.
type recordView struct {
	id     textColumn
	qty    [3][3]countColumn
	party  [4]countColumn
	date   numColumn
	byText []textColumn
	byNum  []numColumn
	byDict [][]int64 // per group column: dictionary index -> intern id (-2: not yet)
	fText  []textColumn
	fNum   []numColumn
	isText []bool
}

func field(rec arrow.Record, name string) (arrow.Array, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil, fmt.Errorf("stats: record has no column %s", name)
	}
	return rec.Column(idx[0]), nil
}

func (a *Accumulator) view(rec arrow.Record) (*recordView, error) {
	v := &recordView{}
	col, err := field(rec, "incident_id")
	if err != nil {
		return nil, err
	}
	if v.id, err = newTextColumn("incident_id", col); err != nil {
		return nil, err
	}
	for q := range quantityColumns {
		for k, name := range quantityColumns[q] {
			if col, err = field(rec, name); err != nil {
				return nil, err
			}
			if v.qty[q][k], err = newCountColumn(name, col); err != nil {
				return nil, err
			}
		}
	}
	for k, name := range partyColumns {
		if col, err = field(rec, name); err != nil {
			return nil, err
		}
		if v.party[k], err = newCountColumn(name, col); err != nil {
			return nil, err
		}
	}
	if a.opts.Period != "" {
		if col, err = field(rec, "date_start"); err != nil {
			return nil, err
		}
		if v.date, err = newNumColumn("date_start", col); err != nil {
			return nil, err
		}
		if v.date.d32 == nil {
			return nil, fmt.Errorf("stats: column date_start has type %s, want date32", col.DataType())
		}
	}
	v.byText = make([]textColumn, len(a.opts.By))
	v.byNum = make([]numColumn, len(a.opts.By))
	v.byDict = make([][]int64, len(a.opts.By))
	for i, name := range a.opts.By {
		if col, err = field(rec, name); err != nil {
			return nil, err
		}
		switch a.byKinds[i] {
		case arrow.STRING, arrow.DICTIONARY:
			if v.byText[i], err = newTextColumn(name, col); err != nil {
				return nil, err
			}
			if d := v.byText[i].dict; d != nil {
				m := make([]int64, d.Dictionary().Len())
				for j := range m {
					m[j] = -2
				}
				v.byDict[i] = m
			}
		default:
			if v.byNum[i], err = newNumColumn(name, col); err != nil {
				return nil, err
			}
		}
	}
	v.fText = make([]textColumn, len(a.opts.Where))
	v.fNum = make([]numColumn, len(a.opts.Where))
	v.isText = make([]bool, len(a.opts.Where))
	for i, f := range a.opts.Where {
		if col, err = field(rec, f.Column); err != nil {
			return nil, err
		}
		if f.strOK != nil {
			v.isText[i] = true
			v.fText[i], err = newTextColumn(f.Column, col)
		} else {
			v.fNum[i], err = newNumColumn(f.Column, col)
		}
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

// keep reports whether row i passes every --where filter (and is not
// excluded).
func (a *Accumulator) keep(v *recordView, i int) bool {
	if a.opts.Exclude != nil && !v.id.isNull(i) && a.opts.Exclude(v.id.value(i)) {
		return false
	}
	for fi := range a.opts.Where {
		f := &a.opts.Where[fi]
		if v.isText[fi] {
			c := &v.fText[fi]
			if c.isNull(i) || !f.matchString(c.value(i)) {
				return false
			}
		} else {
			c := &v.fNum[fi]
			if c.isNull(i) || !f.matchNum(c.value(i)) {
				return false
			}
		}
	}
	return true
}

// Add accumulates the rows of rec that pass the filters. Columns are found
// by name (see Columns); text columns may be dictionary-encoded or plain.
// Add does not retain rec.
func (a *Accumulator) Add(rec arrow.Record) error {
	v, err := a.view(rec)
	if err != nil {
		return err
	}
	n := int(rec.NumRows())
	if a.columnar(v) {
		a.addColumns(v, n)
		return nil
	}
	for i := 0; i < n; i++ {
		if !a.keep(v, i) {
			continue
		}
		g := a.lookup(v, i)
		if err := a.addRow(g, v, i); err != nil {
			return err
		}
	}
	return nil
}

func (a *Accumulator) lookup(v *recordView, i int) *group {
	for ci := range a.opts.By {
		var code int64
		switch a.byKinds[ci] {
		case arrow.STRING, arrow.DICTIONARY:
			c := &v.byText[ci]
			switch {
			case c.isNull(i):
				code = nullCode
			case c.dict != nil:
				di := c.dict.GetValueIndex(i)
				code = v.byDict[ci][di]
				if code == -2 {
					code = a.strs[ci].id(c.dvals.Value(di))
					v.byDict[ci][di] = code
				}
			default:
				code = a.strs[ci].id(c.value(i))
			}
		default:
			c := &v.byNum[ci]
			if c.isNull(i) {
				code = nullCode
			} else {
				code = c.code(i)
			}
		}
		binary.LittleEndian.PutUint64(a.key[8*ci:], uint64(code))
	}
	return a.order[a.groupIndex()]
}

// groupIndex returns the index in a.order of the group whose codes are in
// a.key, making the group if it is new.
func (a *Accumulator) groupIndex() int32 {
	if gi, ok := a.groups[string(a.key)]; ok {
		return gi
	}
	g := &group{codes: make([]int64, len(a.opts.By))}
	for ci := range g.codes {
		g.codes[ci] = int64(binary.LittleEndian.Uint64(a.key[8*ci:]))
	}
	gi := int32(len(a.order))
	a.groups[string(a.key)] = gi
	a.order = append(a.order, g)
	return gi
}

func (a *Accumulator) addRow(g *group, v *recordView, i int) error {
	a.total++
	g.events++
	id := func() string { // for error messages only
		if v.id.isNull(i) {
			return "no incident_id"
		}
		return v.id.value(i)
	}
	var vals [3]int32
	var oks [3]bool
	for q := range g.qty {
		for k := range vals {
			var good bool
			vals[k], oks[k], good = v.qty[q][k].get(i)
			if !good {
				return fmt.Errorf("stats: row %d (%s): %s outside the int32 range", i, id(), quantityColumns[q][k])
			}
		}
		g.qty[q].add(vals[0], vals[1], vals[2], oks[0], oks[1], oks[2], &v.id, i)
		if q == 0 && a.opts.Period != "" {
			if v.date.isNull(i) {
				return fmt.Errorf("stats: row %d (%s): date_start is null", i, id())
			}
			k := periodIndex(a.opts.Period, schema.Date(v.date.d32.Value(i)))
			g.periods.add(k, vals[0], vals[1], vals[2], oks[0], oks[1], oks[2])
		}
	}
	for k := range g.party {
		x, ok, good := v.party[k].get(i)
		if !good {
			return fmt.Errorf("stats: row %d (%s): %s outside the int32 range", i, id(), partyColumns[k])
		}
		if ok {
			g.party[k].add(x)
		}
	}
	return nil
}
