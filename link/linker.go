package link

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/internal/spill"
	"github.com/incidentkit/incidents/schema"
)

// Summary accounts for a run: every event read is in Events, and each
// candidate pair is either a link (Pairs) or below the score.
type Summary struct {
	Events    int64            // events read
	ByDataset map[string]int64 // events read per source_dataset
	// Compared counts the pairs looked at: same country, date ranges within
	// the window (and different datasets unless Within).
	Compared int64
	// Candidates counts the compared pairs whose places also fit (the
	// distance rule), by place basis; each was scored.
	Candidates        int64
	CandidatesByBasis map[string]int64
	// Candidates whose score reached MinScore are links when each event is
	// the other's best match in its dataset (one-to-one, as MELTT matches);
	// NotBest counts those that were not.
	Pairs           int64            // the rows of the links output
	NotBest         int64            // above the score, but one of the two had a better match in the other's dataset
	Below           int64            // scored below MinScore: Candidates = Pairs + NotBest + Below
	PairsByDatasets map[string]int64 // links by "left_dataset-right_dataset"
	Clusters        int64            // clusters of two events or more
	Clustered       int64            // events in them: the rows of the clusters output
	LargestCluster  int              // events in the largest cluster
	Spilled         int              // sorted runs written to temporary files
	InMemory        string           // why the sort kept everything in memory (a temporary file that could not be written), or ""
}

// Linker finds the links among the events given to Add. Use: New, Add for
// each record, Run (the links), then Clusters, then Close.
type Linker struct {
	opts   Options
	sorter *spill.Sorter
	buf    []schema.Incident
	key    []byte
	pay    []byte
	sum    Summary

	countryWords map[string]map[string]bool
	actorCache   map[string]actor

	// per event, by input position
	best []int32
	rank []uint8

	parent  []uint32
	linked  []uint64 // bitset: the event is in a link
	members *spill.Sorter
	ran     bool
}

// New returns a Linker; opts are checked (Options.Days 0..MaxDays, KM
// 0..MaxKM, MinScore 0..1).
func New(opts Options) (*Linker, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	return &Linker{
		opts:         opts,
		sorter:       spill.NewSorter(opts.SortBudget, nil, "incidents-link-*"),
		countryWords: map[string]map[string]bool{},
		actorCache:   map[string]actor{},
		sum: Summary{ByDataset: map[string]int64{}, CandidatesByBasis: map[string]int64{},
			PairsByDatasets: map[string]int64{}},
	}, nil
}

// Close removes the temporary files.
func (l *Linker) Close() error {
	err := l.sorter.Close()
	if l.members != nil {
		if e := l.members.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Summary returns the accounting so far.
func (l *Linker) Summary() Summary { return l.sum }

const maxActorCache = 1 << 17

func (l *Linker) actor(name, countryName, iso3 string) actor {
	if name == "" {
		return actor{}
	}
	if l.opts.ActorName != nil {
		name = l.opts.ActorName(name)
	}
	k := iso3 + "\x00" + name
	if a, ok := l.actorCache[k]; ok {
		return a
	}
	words, ok := l.countryWords[iso3]
	if !ok {
		words = countryWordSet(countryName, iso3)
		l.countryWords[iso3] = words
	}
	var a actor
	a.tokens, a.acronym = tokenizeActor(name, words)
	if len(l.actorCache) >= maxActorCache {
		clear(l.actorCache)
	}
	l.actorCache[k] = a
	return a
}

// eventOf fills e with what link keeps of in.
func (l *Linker) eventOf(in *schema.Incident, idx uint32, e *event) {
	*e = event{idx: idx, id: in.IncidentID, dataset: in.SourceDataset, country: in.CountryISO3,
		start: int32(in.DateStart), end: int32(max(in.DateEnd, in.DateStart)), datePrec: in.DatePrecision,
		geoPrec: in.GeoPrecision, admin1: normalizeAdmin(in.Admin1), etype: in.EventType, vtype: in.ViolenceType,
		best: nullInt(in.Fatalities.Best), low: nullInt(in.Fatalities.Low), high: nullInt(in.Fatalities.High)}
	if in.Latitude.Valid && in.Longitude.Valid && !math.IsNaN(in.Latitude.Value) && !math.IsNaN(in.Longitude.Value) {
		e.hasPoint, e.lat, e.lon = true, in.Latitude.Value, in.Longitude.Value
	}
	e.actors[0] = l.actor(in.Actor1, in.Country, in.CountryISO3)
	e.actors[1] = l.actor(in.Actor2, in.Country, in.CountryISO3)
	e.prepare()
}

// Add reads the events of rec (a record of the incidents schema, or a
// projection holding at least Columns). Add does not retain rec.
func (l *Linker) Add(rec arrow.Record) error {
	if l.ran {
		panic("link: Add after Run")
	}
	for _, c := range []string{"incident_id", "source_dataset", "date_start", "country_iso3"} {
		if len(rec.Schema().FieldIndices(c)) == 0 {
			return fmt.Errorf("link: the input has no %s column", c)
		}
	}
	var err error
	l.buf, err = schema.AppendIncidents(l.buf[:0], rec)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	var e event
	for i := range l.buf {
		in := &l.buf[i]
		if l.sum.Events >= math.MaxUint32 {
			return fmt.Errorf("link: more than %d events", uint32(math.MaxUint32))
		}
		idx := uint32(l.sum.Events)
		l.eventOf(in, idx, &e)
		l.key = appendSortKey(l.key[:0], &e)
		l.pay = appendEvent(l.pay[:0], &e)
		l.sorter.Add(l.key, uint64(idx), l.pay)
		l.best = append(l.best, e.best)
		l.rank = append(l.rank, e.precisionRank())
		l.sum.Events++
		l.sum.ByDataset[e.dataset]++
	}
	return nil
}

func (l *Linker) find(x uint32) uint32 {
	for l.parent[x] != x {
		l.parent[x] = l.parent[l.parent[x]]
		x = l.parent[x]
	}
	return x
}

func (l *Linker) union(a, b uint32) {
	ra, rb := l.find(a), l.find(b)
	if ra == rb {
		return
	}
	if ra > rb { // the smaller index is the root: deterministic
		ra, rb = rb, ra
	}
	l.parent[rb] = ra
}

// Run sorts the events by country and date and sweeps them with a window
// of Options.Days (plus each event's own date range), scoring every pair
// in the window whose places fit, and hands fn the links (PairSchema) in
// records of Options.BatchRows rows, in country and date order. The
// records are released after fn returns. Run checks ctx as it goes.
func (l *Linker) Run(ctx context.Context, fn func(arrow.Record) error) (Summary, error) {
	if l.ran {
		return l.sum, fmt.Errorf("link: Run called twice")
	}
	l.ran = true
	l.sum.Spilled = l.sorter.Spilled()
	if err := l.sorter.InMemory(); err != nil {
		l.sum.InMemory = err.Error()
	}
	l.parent = make([]uint32, l.sum.Events)
	for i := range l.parent {
		l.parent[i] = uint32(i)
	}
	l.linked = make([]uint64, (l.sum.Events+63)/64)
	l.members = spill.NewSorter(max(l.opts.SortBudget/4, 1<<20), nil, "incidents-link-members-*")

	pb := newPairBuilder(l.opts.Mem)
	defer pb.b.Release()
	flush := func() error {
		if pb.len() == 0 {
			return nil
		}
		rec := pb.b.NewRecord()
		defer rec.Release()
		return fn(rec)
	}

	days := int32(l.opts.Days)
	it := l.sorter.Sort()
	var (
		active  []*event
		free    []*event
		country string
		n       int64
		ev      evidence
		err     error
	)
	// emit writes a decided link.
	emit := func(c *cand) error {
		left, right := c.a, c.b
		if cmp.Or(cmp.Compare(left.dataset, right.dataset), cmp.Compare(left.id, right.id)) > 0 {
			left, right = right, left
		}
		pb.append(left, right, &c.ev)
		l.sum.Pairs++
		l.sum.PairsByDatasets[left.dataset+"-"+right.dataset]++
		l.union(left.idx, right.idx)
		l.member(left)
		l.member(right)
		if pb.len() >= l.opts.BatchRows {
			return flush()
		}
		return nil
	}
	// retire makes x final: no later event can be its candidate. Each of
	// its pairs whose other event is final too is decided now: a link when
	// each is the other's best match in its dataset. An event with
	// candidates is left to the garbage collector (a pending pair may
	// still read it); the others are reused.
	retire := func(x *event) error {
		x.final = true
		for _, c := range x.cands {
			y := c.other(x)
			if !y.final {
				continue // y decides it
			}
			if x.bestIn(y.dataset) == y.idx && y.bestIn(x.dataset) == x.idx {
				if err := emit(c); err != nil {
					return err
				}
			} else {
				l.sum.NotBest++
			}
		}
		if len(x.cands) == 0 { // nothing points to it: reuse it
			free = append(free, x)
		}
		return nil
	}
	for it.Next() {
		n++
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return l.sum, err
			}
		}
		var e *event
		if k := len(free); k > 0 {
			e, free = free[k-1], free[:k-1]
			e.reset()
		} else {
			e = new(event)
		}
		if err := decodeEvent(it.Payload(), uint32(it.Seq()), e); err != nil {
			return l.sum, err
		}
		if e.country != country {
			for _, a := range active {
				if err := retire(a); err != nil {
					return l.sum, err
				}
			}
			active = active[:0]
			country = e.country
		}
		kept := active[:0]
		for _, a := range active {
			if a.end+days < e.start { // no later event can match it
				if err = retire(a); err != nil {
					return l.sum, err
				}
				continue
			}
			kept = append(kept, a)
			if !l.opts.Within && a.dataset == e.dataset {
				continue
			}
			l.sum.Compared++
			if l.sum.Compared&(1<<16-1) == 0 {
				if err := ctx.Err(); err != nil {
					return l.sum, err
				}
			}
			if !place(a, e, l.opts.KM, &ev) {
				continue
			}
			l.sum.Candidates++
			l.sum.CandidatesByBasis[ev.basis]++
			dateFeature(a, e, days, &ev)
			ev.etype = typeFeature(a, e)
			ev.actors = actorFeature(a, e)
			ev.fatalities = fatalitiesFeature(a, e)
			ev.combine()
			if ev.score < l.opts.MinScore {
				l.sum.Below++
				continue
			}
			c := &cand{a: a, b: e, ev: ev}
			a.addCand(c, e)
			e.addCand(c, a)
		}
		active = append(kept, e)
	}
	if err := it.Err(); err != nil {
		return l.sum, fmt.Errorf("link: %w", err)
	}
	for _, a := range active {
		if err := retire(a); err != nil {
			return l.sum, err
		}
	}
	if err := flush(); err != nil {
		return l.sum, err
	}
	return l.sum, ctx.Err()
}

// member records that e is in a link, once.
func (l *Linker) member(e *event) {
	w, bit := e.idx/64, uint64(1)<<(e.idx%64)
	if l.linked[w]&bit != 0 {
		return
	}
	l.linked[w] |= bit
	var key [4]byte
	binary.BigEndian.PutUint32(key[:], e.idx)
	l.pay = appendString(l.pay[:0], e.id)
	l.pay = appendString(l.pay, e.dataset)
	l.members.Add(key[:], uint64(e.idx), l.pay)
}

// Representative is the rule that picks the one event whose row stands for
// a cluster when each real-world event is counted once: the member whose
// fatalities_best is the lower median of the members' known bests (the
// rule normalize uses for the best of several reports of one incident);
// among members with that figure, or when no member's toll is known, the
// one with the finest date precision, then the finest geo precision, then
// the first in the input.
const Representative = "lower median of fatalities_best, then finest date and geo precision, then first in input"

// Clusters hands fn the clusters output (ClusterSchema): every event in a
// link, in input order, with its cluster (the connected components of the
// links, by union-find) and whether it represents the cluster (see
// Representative). Call it after Run.
func (l *Linker) Clusters(ctx context.Context, fn func(arrow.Record) error) (Summary, error) {
	if !l.ran {
		return l.sum, fmt.Errorf("link: Clusters before Run")
	}
	type member struct{ root, idx uint32 }
	var ms []member
	for w, word := range l.linked {
		for word != 0 {
			b := uint32(w)*64 + uint32(bits.TrailingZeros64(word))
			word &= word - 1
			ms = append(ms, member{l.find(b), b})
		}
	}
	type info struct {
		no   int64
		size int32
		rep  uint32
	}
	clusters := map[uint32]*info{}
	// numbered in the order of their first member (ms is in input order)
	for _, m := range ms {
		if _, ok := clusters[m.root]; !ok {
			clusters[m.root] = &info{no: int64(len(clusters) + 1)}
		}
		clusters[m.root].size++
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].root < ms[j].root })
	var known []int32
	for i := 0; i < len(ms); {
		j := i
		for j < len(ms) && ms[j].root == ms[i].root {
			j++
		}
		group := ms[i:j]
		known = known[:0]
		for _, m := range group {
			if b := l.best[m.idx]; b >= 0 {
				known = append(known, b)
			}
		}
		want := int32(-1)
		if len(known) > 0 {
			slices.Sort(known)
			want = known[(len(known)-1)/2]
		}
		rep := uint32(math.MaxUint32)
		for _, m := range group {
			if want >= 0 && l.best[m.idx] != want {
				continue
			}
			if rep == math.MaxUint32 || l.rank[m.idx] < l.rank[rep] || (l.rank[m.idx] == l.rank[rep] && m.idx < rep) {
				rep = m.idx
			}
		}
		c := clusters[group[0].root]
		c.rep = rep
		l.sum.LargestCluster = max(l.sum.LargestCluster, int(c.size))
		i = j
	}
	l.sum.Clusters = int64(len(clusters))
	l.sum.Clustered = int64(len(ms))

	b := array.NewRecordBuilder(l.opts.Mem, ClusterSchema)
	defer b.Release()
	ids, dss := b.Field(0).(*array.StringBuilder), b.Field(1).(*array.StringBuilder)
	nos, sizes, reps := b.Field(2).(*array.Int64Builder), b.Field(3).(*array.Int32Builder), b.Field(4).(*array.BooleanBuilder)
	flush := func() error {
		if ids.Len() == 0 {
			return nil
		}
		rec := b.NewRecord()
		defer rec.Release()
		return fn(rec)
	}
	it := l.members.Sort()
	n := 0
	for it.Next() {
		if n++; n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return l.sum, err
			}
		}
		idx := uint32(it.Seq())
		d := decoder{b: it.Payload()}
		id, ds := d.string(), d.string()
		if d.err != nil {
			return l.sum, d.err
		}
		c := clusters[l.find(idx)]
		ids.Append(id)
		dss.Append(ds)
		nos.Append(c.no)
		sizes.Append(c.size)
		reps.Append(c.rep == idx)
		if ids.Len() >= l.opts.BatchRows {
			if err := flush(); err != nil {
				return l.sum, err
			}
		}
	}
	if err := it.Err(); err != nil {
		return l.sum, fmt.Errorf("link: %w", err)
	}
	if err := flush(); err != nil {
		return l.sum, err
	}
	return l.sum, ctx.Err()
}
