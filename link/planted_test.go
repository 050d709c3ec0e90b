package link

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

// The planted generator: a world of countries with towns, admin units and
// armed groups, and events in it. A planted event is rendered as rows of two
// or three layouts (ACLED, UCDP GED, GTD), each the way that dataset would
// code it: its own spelling of the country and the actors, a date off by a
// day or coded to the week or month, a point moved within its precision or
// only the admin1 known, a toll of its own. Background events are rendered
// in one layout only, at realistic density (a dozen ACLED events a day per
// country among 1,000 places, as ACLED geolocates thousands a country), so they are the near misses a linker must not
// take. Every pair of renderings of one planted event is a true pair; any
// other link is a false one.

type plantedCountry struct {
	acled, ucdp, gtd string
	iso3             string
	isoNum, gw       int
	lat, lon         float64
	// groups: each with its spellings in ACLED, UCDP and the GTD (several
	// GTD spellings: the GTD's gname varies between records)
	groups [][3]string
}

var plantedCountries = []plantedCountry{
	{"Syria", "Syria", "Syria", "SYR", 760, 652, 35, 38.5, [][3]string{
		{"Islamic State (Syria)", "IS", "Islamic State of Iraq and the Levant (ISIL)"},
		{"HTS: Hayat Tahrir al Sham", "Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham (HTS)"},
		{"SDF: Syrian Democratic Forces", "SDF", "Syrian Democratic Forces"}}},
	{"Afghanistan", "Afghanistan", "Afghanistan", "AFG", 4, 700, 34, 67, [][3]string{
		{"Taliban", "Taleban", "Taliban"},
		{"Islamic State Khorasan Province", "IS", "Khorasan Chapter of the Islamic State"}}},
	{"Nigeria", "Nigeria", "Nigeria", "NGA", 566, 475, 10, 8, [][3]string{
		{"Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "Boko Haram"},
		{"Islamic State West Africa Province", "IS", "Islamic State West Africa Province (ISWAP)"}}},
	{"Democratic Republic of Congo", "DR Congo (Zaire)", "Democratic Republic of the Congo", "COD", 180, 490, -2, 28, [][3]string{
		{"M23: March 23 Movement", "M23", "M23"},
		{"ADF: Allied Democratic Forces", "ADF", "Allied Democratic Forces (ADF)"}}},
	{"Myanmar", "Myanmar (Burma)", "Myanmar", "MMR", 104, 775, 21, 96, [][3]string{
		{"AA: Arakan Army", "AA", "Arakan Army (AA)"},
		{"KIA: Kachin Independence Army", "KIO", "Kachin Independence Army (KIA)"}}},
	{"Somalia", "Somalia", "Somalia", "SOM", 706, 520, 4, 45.5, [][3]string{
		{"Al Shabaab", "Al-Shabaab", "Al-Shabaab"}}},
	{"Iraq", "Iraq", "Iraq", "IRQ", 368, 645, 33, 43.5, [][3]string{
		{"Islamic State (Iraq)", "IS", "Islamic State of Iraq and the Levant (ISIL)"}}},
	{"Mali", "Mali", "Mali", "MLI", 466, 432, 15, -3, [][3]string{
		{"JNIM: Group for Support of Islam and Muslims", "JNIM", "Jamaat Nusrat al-Islam wal Muslimin (JNIM)"},
		{"Islamic State (Greater Sahara)", "IS", "Islamic State in the Greater Sahara (ISGS)"}}},
	{"Pakistan", "Pakistan", "Pakistan", "PAK", 586, 770, 31, 70, [][3]string{
		{"TTP: Tehrik-i-Taliban Pakistan", "TTP", "Tehrik-i-Taliban Pakistan (TTP)"},
		{"BLA: Balochistan Liberation Army", "BLA", "Baloch Liberation Army (BLA)"}}},
	{"Yemen", "Yemen (North Yemen)", "Yemen", "YEM", 887, 678, 15.5, 46, [][3]string{
		{"Ansar Allah", "Ansarallah", "Houthi extremists (Ansar Allah)"},
		{"AQAP: Al Qaeda in the Arabian Peninsula", "AQAP", "Al-Qaida in the Arabian Peninsula (AQAP)"}}},
}

// townsPerCountry: ACLED geolocates events to thousands of places a country.
const townsPerCountry = 1000

type town struct {
	name, admin1, admin2 string
	lat, lon             float64
}

// kinds of events
const (
	kindBattle    = iota // state forces against a group
	kindMassacre         // a group kills civilians
	kindBombing          // a group's bomb
	kindAirstrike        // the state's air strike on a group
	kindProtest          // background only
)

type plantedEvent struct {
	country int
	town    *town
	day     int // days since 1970
	kind    int
	group   int
	toll    int
}

type world struct {
	r      *rand.Rand
	towns  [][]town
	admin1 [][]town // per country, a point for each admin1 (its centroid)
}

// localGroups are the many small armed groups of a conflict (ACLED codes
// dozens a country), spelled alike by the datasets but for the GTD's
// bracketed kind.
var localGroupWords = []string{"Liwa", "Kataib", "Jabhat", "Saraya", "Harakat", "Jaysh", "Ansar", "Fajr", "Nour", "Thuwar"}

func newWorld(seed uint64) *world {
	w := &world{r: rand.New(rand.NewPCG(seed, 7))}
	for ci := range plantedCountries {
		c := &plantedCountries[ci]
		if len(c.groups) < 8 {
			for k := range 8 {
				name := fmt.Sprintf("%s %s %c", localGroupWords[(ci+k)%len(localGroupWords)], c.iso3, 'A'+k)
				c.groups = append(c.groups, [3]string{name + " Militia", name, name + " (militia)"})
			}
		}
	}
	for ci, c := range plantedCountries {
		var ts []town
		for i := range townsPerCountry {
			lat := c.lat + (w.r.Float64()*2-1)*3
			lon := c.lon + (w.r.Float64()*2-1)*3
			// six admin1 units: a 3x2 grid over the country
			a1 := int((lat-c.lat+3)/2)*2 + int((lon-c.lon+3)/3)
			a1 = min(max(a1, 0), 5)
			ts = append(ts, town{name: fmt.Sprintf("Town %d-%d", ci, i), admin1: fmt.Sprintf("Region %s %d", c.iso3, a1),
				admin2: fmt.Sprintf("District %s %d", c.iso3, i/10), lat: lat, lon: lon})
		}
		w.towns = append(w.towns, ts)
		var a1s []town
		for a := range 6 {
			a1s = append(a1s, town{admin1: fmt.Sprintf("Region %s %d", c.iso3, a),
				lat: c.lat - 3 + 1 + float64(a/2)*2, lon: c.lon - 3 + 1.5 + float64(a%2)*3})
		}
		w.admin1 = append(w.admin1, a1s)
	}
	return w
}

func (w *world) event(country, day int, background bool) plantedEvent {
	e := plantedEvent{country: country, day: day, town: &w.towns[country][w.r.IntN(townsPerCountry)]}
	e.kind = w.r.IntN(4)
	if background && w.r.Float64() < 0.3 {
		e.kind = kindProtest
	}
	// the big groups are half of the events, the local ones the rest
	groups := plantedCountries[country].groups
	if w.r.Float64() < 0.5 {
		e.group = w.r.IntN(len(groups) - 8)
	} else {
		e.group = len(groups) - 8 + w.r.IntN(8)
	}
	// heavy-tailed tolls: most 1-10, a few hundreds
	e.toll = int(math.Floor(math.Pow(1-w.r.Float64(), -1/1.3)))
	if e.kind == kindProtest {
		e.toll = 0
	}
	return e
}

// moved returns the point d km (at most) from lat, lon in a random direction.
func (w *world) moved(lat, lon, d float64) (float64, float64) {
	d *= math.Sqrt(w.r.Float64())
	th := w.r.Float64() * 2 * math.Pi
	return lat + d*math.Cos(th)/111.2, lon + d*math.Sin(th)/(111.2*math.Cos(lat*math.Pi/180))
}

func civil(day int) (int, int, int) {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return t.Year(), int(t.Month()), t.Day()
}

func isoDay(day int) string {
	y, m, d := civil(day)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// jitterToll gives a dataset's own figure for a true toll.
func (w *world) jitterToll(toll int, lo, hi float64) int {
	return int(math.Round(float64(toll) * (lo + w.r.Float64()*(hi-lo))))
}

type layoutFile struct {
	header []string
	col    map[string]int
	rows   [][]string
}

func newLayoutFile(t *testing.T, name string) *layoutFile {
	h, err := synth.Header(name)
	if err != nil {
		t.Fatal(err)
	}
	f := &layoutFile{header: h, col: map[string]int{}}
	for i, c := range h {
		f.col[c] = i
	}
	return f
}

func (f *layoutFile) add(t *testing.T, vals map[string]string) {
	row := make([]string, len(f.header))
	for k, v := range vals {
		i, ok := f.col[k]
		if !ok {
			t.Fatalf("no column %s", k)
		}
		row[i] = v
	}
	f.rows = append(f.rows, row)
}

func (f *layoutFile) write(t *testing.T, path string) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(f.header)
	cw.WriteAll(f.rows)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 5, 64) }

// acledRow renders e as ACLED codes it.
func (w *world) acledRow(f *layoutFile, t *testing.T, e *plantedEvent, id string) {
	c := &plantedCountries[e.country]
	day, tp := e.day, 1
	switch u := w.r.Float64(); {
	case u < 0.08:
		tp = 2 // within a week: ACLED gives a day of it
		day += w.r.IntN(5) - 2
	case u < 0.11:
		tp = 3 // the month
	}
	y, _, _ := civil(day)
	lat, lon := e.town.lat, e.town.lon
	gp, loc, admin2 := 1, e.town.name, e.town.admin2
	switch u := w.r.Float64(); {
	case u < 0.80:
		lat, lon = w.moved(lat, lon, 2)
	case u < 0.95:
		gp = 2
		lat, lon = w.moved(lat, lon, 20)
	default:
		gp = 3 // ACLED's admin1 centroid
		a := w.admin1Of(e)
		lat, lon, loc, admin2 = a.lat, a.lon, a.admin1, ""
	}
	group := c.groups[e.group][0]
	state := "Military Forces of " + c.acled + " (2019-)"
	civilians := "Civilians (" + c.acled + ")"
	var et, sub, a1, a2 string
	switch e.kind {
	case kindBattle:
		et, sub, a1, a2 = "Battles", "Armed clash", state, group
		if w.r.Float64() < 0.4 {
			a1, a2 = group, state
		}
	case kindMassacre:
		et, sub, a1, a2 = "Violence against civilians", "Attack", group, civilians
	case kindBombing:
		et, sub, a1, a2 = "Explosions/Remote violence", "Remote explosive/landmine/IED", group, civilians
		if w.r.Float64() < 0.5 {
			a2 = state
		}
	case kindAirstrike:
		et, sub, a1, a2 = "Explosions/Remote violence", "Air/drone strike", state, group
	case kindProtest:
		et, sub, a1, a2 = "Protests", "Peaceful protest", "Protesters ("+c.acled+")", ""
	}
	toll := e.toll
	if e.kind != kindProtest {
		toll = w.jitterToll(e.toll, 0.7, 1.1)
	}
	f.add(t, map[string]string{"event_id_cnty": id, "event_date": isoDay(day), "year": strconv.Itoa(y),
		"time_precision": strconv.Itoa(tp), "disorder_type": "Political violence", "event_type": et, "sub_event_type": sub,
		"actor1": a1, "actor2": a2, "iso": strconv.Itoa(c.isoNum), "region": "Region", "country": c.acled,
		"admin1": e.town.admin1, "admin2": admin2, "location": loc, "latitude": ftoa(lat), "longitude": ftoa(lon),
		"geo_precision": strconv.Itoa(gp), "source": "Local Source", "notes": "planted", "fatalities": strconv.Itoa(toll)})
}

func (w *world) admin1Of(e *plantedEvent) *town {
	for i := range w.admin1[e.country] {
		if w.admin1[e.country][i].admin1 == e.town.admin1 {
			return &w.admin1[e.country][i]
		}
	}
	panic("no admin1")
}

// ucdpRow renders e as UCDP GED codes it: a state-based or one-sided
// event, the provinces named "... province".
func (w *world) ucdpRow(f *layoutFile, t *testing.T, e *plantedEvent, id int) {
	c := &plantedCountries[e.country]
	start := e.day
	if w.r.Float64() < 0.25 {
		start += w.r.IntN(3) - 1
	}
	end, dp := start, 1
	switch u := w.r.Float64(); {
	case u < 0.12:
		dp = 2
		start, end = start-w.r.IntN(2), start+1+w.r.IntN(3)
	case u < 0.15:
		dp = 4 // the month
		y, m, _ := civil(start)
		first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		start = int(first.Unix() / 86400)
		end = int(first.AddDate(0, 1, -1).Unix() / 86400)
	}
	lat, lon := e.town.lat, e.town.lon
	wp, adm2 := 1, e.town.admin2+" district"
	switch u := w.r.Float64(); {
	case u < 0.7:
		lat, lon = w.moved(lat, lon, 3)
	case u < 0.85:
		wp = 2
		lat, lon = w.moved(lat, lon, 20)
	case u < 0.95:
		wp = 3                           // an admin2 centroid: the first town of the district
		lat, lon = w.moved(lat, lon, 40) // the district's centroid
	default:
		wp = 4
		a := w.admin1Of(e)
		lat, lon, adm2 = a.lat, a.lon, ""
	}
	group := c.groups[e.group][1]
	tv, sideA, sideB := 1, "Government of "+c.ucdp, group
	switch e.kind {
	case kindMassacre:
		tv, sideA, sideB = 3, group, "Civilians"
	case kindBombing:
		if w.r.Float64() < 0.5 {
			tv, sideA, sideB = 3, group, "Civilians"
		}
	}
	best := max(1, w.jitterToll(e.toll, 0.8, 1.3))
	low, high := max(1, best*8/10), best*13/10+1
	y, _, _ := civil(start)
	var da, db, dc string = "0", "0", "0"
	if tv == 3 {
		dc = strconv.Itoa(best)
	} else {
		db = strconv.Itoa(best)
	}
	f.add(t, map[string]string{"id": strconv.Itoa(id), "relid": "X-" + strconv.Itoa(id), "year": strconv.Itoa(y),
		"active_year": "1", "code_status": "Clear", "type_of_violence": strconv.Itoa(tv), "side_a": sideA, "side_b": sideB,
		"number_of_sources": "1", "where_prec": strconv.Itoa(wp), "where_coordinates": e.town.name,
		"adm_1": e.town.admin1 + " province", "adm_2": adm2, "latitude": ftoa(lat), "longitude": ftoa(lon),
		"country": c.ucdp, "country_id": strconv.Itoa(c.gw), "region": "Region", "event_clarity": "1",
		"date_prec": strconv.Itoa(dp), "date_start": isoDay(start) + " 00:00:00.000", "date_end": isoDay(end) + " 00:00:00.000",
		"deaths_a": da, "deaths_b": db, "deaths_civilians": dc, "deaths_unknown": "0",
		"best": strconv.Itoa(best), "low": strconv.Itoa(low), "high": strconv.Itoa(high)})
}

// gtdRow renders e as the GTD codes it: an attack by a group.
func (w *world) gtdRow(f *layoutFile, t *testing.T, e *plantedEvent, id int64) {
	c := &plantedCountries[e.country]
	day := e.day
	if w.r.Float64() < 0.15 {
		day += w.r.IntN(3) - 1
	}
	y, m, d := civil(day)
	if w.r.Float64() < 0.05 {
		d = 0 // the day is not known
	}
	lat, lon := e.town.lat, e.town.lon
	spec, city := 1, e.town.name
	switch u := w.r.Float64(); {
	case u < 0.75:
		lat, lon = w.moved(lat, lon, 3)
	case u < 0.9:
		spec = 2
		lat, lon = w.moved(lat, lon, 15)
	default:
		spec = 4
		a := w.admin1Of(e)
		lat, lon, city = a.lat, a.lon, "Unknown"
	}
	attack, targ, target := "Armed Assault", "14", "Private Citizens & Property"
	corp := "Villagers"
	switch e.kind {
	case kindBattle:
		targ, target, corp = "4", "Military", "Army checkpoint"
	case kindBombing:
		attack = "Bombing/Explosion"
	}
	nkill := strconv.Itoa(w.jitterToll(e.toll, 0.8, 1.2))
	if w.r.Float64() < 0.1 {
		nkill = ""
	}
	f.add(t, map[string]string{"eventid": strconv.FormatInt(id, 10), "iyear": strconv.Itoa(y), "imonth": strconv.Itoa(m),
		"iday": strconv.Itoa(d), "extended": "0", "country": "1", "country_txt": c.gtd, "region": "10", "region_txt": "Region",
		"provstate": e.town.admin1, "city": city, "latitude": ftoa(lat), "longitude": ftoa(lon), "specificity": strconv.Itoa(spec),
		"crit1": "1", "crit2": "1", "crit3": "1", "success": "1", "attacktype1_txt": attack, "targtype1": targ,
		"targtype1_txt": target, "corp1": corp, "target1": corp, "gname": c.groups[e.group][2], "nkill": nkill, "claimed": "0"})
}

type plantedData struct {
	files []string
	truth map[string]int // incident_id -> planted event
	pairs int            // true pairs
}

// plant writes the three layouts into dir: planted events per country and
// day, each in 2 or 3 datasets, and background events in one each.
func plant(t *testing.T, dir string, seed uint64, days int, planted, acledBG, ucdpBG, gtdBG float64) plantedData {
	w := newWorld(seed)
	acled, ucdp, gtd := newLayoutFile(t, "acled"), newLayoutFile(t, "ucdp-ged"), newLayoutFile(t, "gtd")
	pd := plantedData{truth: map[string]int{}}
	first := int(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	var np, nbA, nbU, nbG int
	draws := func(mean float64) int { // Poisson-ish: floor(mean) plus one with the remainder's chance
		n := int(mean)
		if w.r.Float64() < mean-float64(n) {
			n++
		}
		return n
	}
	for ci := range plantedCountries {
		for d := range days {
			day := first + d
			for range draws(planted) {
				e := w.event(ci, day, false)
				k := np
				np++
				in := [3]bool{w.r.Float64() < 0.9, w.r.Float64() < 0.7, e.kind != kindAirstrike && w.r.Float64() < 0.6}
				n := 0
				for _, b := range in {
					if b {
						n++
					}
				}
				if n < 2 {
					in = [3]bool{true, true, false}
					n = 2
				}
				pd.pairs += n * (n - 1) / 2
				if in[0] {
					id := fmt.Sprintf("%sP%d", plantedCountries[ci].iso3, k)
					w.acledRow(acled, t, &e, id)
					pd.truth["acled:"+id] = k
				}
				if in[1] {
					w.ucdpRow(ucdp, t, &e, 900000000+k)
					pd.truth["ucdp-ged:"+strconv.Itoa(900000000+k)] = k
				}
				if in[2] {
					w.gtdRow(gtd, t, &e, 300000000000+int64(k))
					pd.truth["gtd:"+strconv.FormatInt(300000000000+int64(k), 10)] = k
				}
			}
			for range draws(acledBG) {
				e := w.event(ci, day, true)
				nbA++
				w.acledRow(acled, t, &e, fmt.Sprintf("%sB%d", plantedCountries[ci].iso3, nbA))
			}
			for range draws(ucdpBG) {
				e := w.event(ci, day, false)
				if e.kind == kindProtest {
					continue
				}
				nbU++
				w.ucdpRow(ucdp, t, &e, 100000000+nbU)
			}
			for range draws(gtdBG) {
				e := w.event(ci, day, false)
				if e.kind == kindAirstrike {
					e.kind = kindBombing
				}
				nbG++
				w.gtdRow(gtd, t, &e, 400000000000+int64(nbG))
			}
		}
	}
	for name, f := range map[string]*layoutFile{"acled.csv": acled, "ucdp_ged.csv": ucdp, "gtd.csv": gtd} {
		p := filepath.Join(dir, name)
		f.write(t, p)
		pd.files = append(pd.files, p)
	}
	t.Logf("planted %d events (%d true pairs); background %d ACLED, %d UCDP, %d GTD rows; %d ACLED, %d UCDP, %d GTD rows in all",
		np, pd.pairs, nbA, nbU, nbG, len(acled.rows), len(ucdp.rows), len(gtd.rows))
	return pd
}

// TestPlanted measures precision and recall of the pairs on planted
// duplicates, and checks that no link breaks the blocking rules.
func TestPlanted(t *testing.T) {
	if testing.Short() {
		t.Skip("planted data: a few seconds")
	}
	pd := plant(t, t.TempDir(), 1, 120, 1.5, 12, 0.5, 0.5)
	opts := DefaultOptions()
	ctx := context.Background()
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events := map[string]schema.Incident{}
	sum, err := ingest.Normalize(ctx, pd.files, ingest.Options{Columns: Columns, NoChecksum: true}, func(rec arrow.Record) error {
		ins, err := schema.AppendIncidents(nil, rec)
		if err != nil {
			return err
		}
		for _, in := range ins {
			events[in.IncidentID] = in
		}
		return l.Add(rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected > 0 {
		t.Fatalf("%d rows rejected: %v", sum.Rejected, sum.RejectReasons)
	}
	var tp, fp int
	fpByKind := map[string]int{}
	ls, err := l.Run(ctx, func(rec arrow.Record) error {
		left, right := rec.Column(0).(*array.String), rec.Column(1).(*array.String)
		basis := rec.Column(8).(*array.String)
		for i := 0; i < int(rec.NumRows()); i++ {
			a, b := events[left.Value(i)], events[right.Value(i)]
			checkBlocking(t, &a, &b, basis.Value(i), opts)
			ka, oka := pd.truth[a.IncidentID]
			kb, okb := pd.truth[b.IncidentID]
			if oka && okb && ka == kb {
				tp++
			} else {
				fp++
				fpByKind[fmt.Sprintf("%s-%s planted %v/%v", a.SourceDataset, b.SourceDataset, oka, okb)]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ls.Candidates != ls.Pairs+ls.NotBest+ls.Below || ls.Pairs != int64(tp+fp) {
		t.Errorf("accounting: candidates %d != links %d + not best %d + below %d, or %d links handed out", ls.Candidates, ls.Pairs, ls.NotBest, ls.Below, tp+fp)
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(pd.pairs)
	t.Logf("events %d, compared %d, candidates %d %v, links %d: precision %.4f, recall %.4f at min score %.2f; false links %v",
		ls.Events, ls.Compared, ls.Candidates, ls.CandidatesByBasis, ls.Pairs, precision, recall, opts.MinScore, fpByKind)
	// The target: both at least 0.95 (measured 0.960 and 0.955;
	// seeds 2 to 5 gave 0.958-0.966 and 0.948-0.955).
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.4f, recall %.4f: want both >= 0.95", precision, recall)
	}
}

// checkBlocking fails the test for a link across countries, outside the
// date window or, for two points, outside the distance window.
func checkBlocking(t *testing.T, a, b *schema.Incident, basis string, opts Options) {
	t.Helper()
	if a.CountryISO3 != b.CountryISO3 {
		t.Errorf("%s (%s) and %s (%s) linked across countries", a.IncidentID, a.CountryISO3, b.IncidentID, b.CountryISO3)
	}
	gap := max(0, int(b.DateStart)-int(a.DateEnd), int(a.DateStart)-int(b.DateEnd))
	if gap > opts.Days {
		t.Errorf("%s and %s linked %d days apart", a.IncidentID, b.IncidentID, gap)
	}
	if basis == BasisPoint {
		r := func(in *schema.Incident) float64 {
			switch in.GeoPrecision {
			case schema.GeoNear:
				return 25
			case schema.GeoAdmin2:
				return 50
			}
			return 0
		}
		if d := haversineKM(a.Latitude.Value, a.Longitude.Value, b.Latitude.Value, b.Longitude.Value); d > opts.KM+r(a)+r(b) {
			t.Errorf("%s and %s linked %.1f km apart", a.IncidentID, b.IncidentID, d)
		}
	}
}
