package pgsink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/incidentkit/incidents/internal/pgtest"
	"github.com/incidentkit/incidents/schema"
)

var server *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &server)) }

// newDB creates a database of its own for one test and returns a target
// URL (TCP, password in the URL) and a connection for checking.
func newDB(t *testing.T) (string, *pgx.Conn) {
	t.Helper()
	s := pgtest.Need(t, server)
	ctx := context.Background()
	name := strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if len(name) > 50 {
		name = name[:50]
	}
	if _, err := s.CreateDB(ctx, name); err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(ctx, s.SocketURL(name)+"&timezone=UTC")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return s.URLWithPassword(name), c
}

func target(t *testing.T, url, table string) Target {
	t.Helper()
	tg, err := ParseTarget(url + "?table=" + table)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// sample are incidents with every kind of value: nulls, empty and
// non-empty lists, a UTC time, non-ASCII text, quotes and backslashes.
func sample() []schema.Incident {
	return []schema.Incident{
		{
			IncidentID: "reports:kabul-1", SourceDataset: "reports", SourceID: "kabul-1",
			DateStart: schema.DateOf(2019, 11, 6), DateEnd: schema.DateOf(2019, 11, 6), DatePrecision: schema.DateDay,
			TimeUTC:     time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC),
			CountryISO3: "AFG", Country: "Afghanistan", Admin1: "Kābul", Admin2: "Kabul", Location: "Deh Sabz — \"Qala\" 'Now'",
			Latitude: schema.Float64(34.5553), Longitude: schema.Float64(69.2075), GeoPrecision: schema.GeoExact,
			EventType: schema.EventExplosionsRemoteViolence, SubEventType: "suicide_bomb", SourceEvent: "Suicide bomb",
			Actor1: "Islamic State (Khorasan)", Actor2: "Civilians (Afghanistan)",
			AssocActors: []string{"طالبان", "Haqqani, Network", `back\slash`}, ClaimedBy: "Islamic State (Khorasan)",
			Fatalities:       schema.Estimate{Low: schema.Int32(10), Best: schema.Int32(12), High: schema.NullInt32{}},
			FatalitiesActor1: schema.Int32(1), FatalitiesCivilians: schema.Int32(11),
			Injured: schema.Exact(40),
			Sources: []string{"Reuters", "Pajhwok — دری"}, SourceCount: 2, Notes: "line one\nline two; 100% 'quoted' \\ 日本語 🙂",
		},
		{
			IncidentID: "ucdp-ged:1", SourceDataset: "ucdp-ged", SourceID: "1",
			DateStart: schema.DateOf(1989, 1, 1), DateEnd: schema.DateOf(1989, 1, 31), DatePrecision: schema.DateMonth,
			CountryISO3: "XXX", Country: "", GeoPrecision: schema.GeoUnknown, Location: "Red Sea",
			EventType: schema.EventBattles, ViolenceType: schema.ViolenceStateBased,
			Fatalities: schema.Exact(0), SourceCount: 0,
		},
		{
			IncidentID: "gtd:197001000001", SourceDataset: "gtd", SourceID: "197001000001",
			DateStart: schema.DateOf(1970, 1, 1), DateEnd: schema.DateOf(1970, 12, 31), DatePrecision: schema.DateYear,
			TimeUTC:     time.Date(1970, 1, 1, 0, 0, 0, 1e6, time.UTC),
			CountryISO3: "DOM", Country: "Dominican Republic", GeoPrecision: schema.GeoCountry,
			Latitude: schema.Float64(-0.0), Longitude: schema.Float64(-179.99999999), EventType: schema.EventUnknown,
			AssocActors: []string{}, Sources: []string{""}, SourceCount: 1,
		},
	}
}

// bulk are n simple incidents with ids PREFIX:i.
func bulk(prefix string, n int) []schema.Incident {
	out := make([]schema.Incident, n)
	for i := range out {
		d := schema.DateOf(2000+i%20, time.Month(1+i%12), 1+i%28)
		out[i] = schema.Incident{IncidentID: fmt.Sprintf("%s:%d", prefix, i), SourceDataset: prefix, SourceID: fmt.Sprint(i),
			DateStart: d, DateEnd: d, CountryISO3: "SYR", Country: "Syria", EventType: schema.EventBattles,
			GeoPrecision: schema.GeoNear, Fatalities: schema.Exact(int32(i % 7)), Sources: []string{"src"}, SourceCount: 1}
	}
	return out
}

func load(t *testing.T, tg Target, mode Mode, batches ...[]schema.Incident) (Result, error) {
	t.Helper()
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(ctx, tg, Options{Mode: mode, Schema: schema.Arrow(), Metadata: map[string]string{"incidents.version": "test"}})
	if err != nil {
		return Result{}, err
	}
	defer l.Abort()
	for _, b := range batches {
		rec := schema.NewRecord(mem, b)
		err := l.Write(rec)
		rec.Release()
		if err != nil {
			return Result{}, err
		}
	}
	return l.Close()
}

func count(t *testing.T, c *pgx.Conn, table string) int64 {
	t.Helper()
	var n int64
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func exists(t *testing.T, c *pgx.Conn, table string) bool {
	t.Helper()
	var ok bool
	if err := c.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestTableTypes checks the table as psql's \d shows it (format_type from
// pg_attribute), its key, constraints and comments.
func TestTableTypes(t *testing.T) {
	url, c := newDB(t)
	if _, err := load(t, target(t, url, "incidents"), ModeCreate, sample()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"incident_id": "text NOT NULL", "source_dataset": "text NOT NULL", "source_id": "text",
		"date_start": "date NOT NULL", "date_end": "date NOT NULL", "date_precision": "text NOT NULL",
		"time_utc": "timestamp with time zone", "year": "smallint NOT NULL",
		"country_iso3": "text NOT NULL", "country": "text NOT NULL", "admin1": "text", "admin2": "text", "location": "text",
		"latitude": "double precision", "longitude": "double precision", "geo_precision": "text NOT NULL",
		"event_type": "text NOT NULL", "sub_event_type": "text", "source_event_type": "text", "violence_type": "text",
		"actor1": "text", "actor2": "text", "assoc_actors": "text[] NOT NULL", "claimed_by": "text",
		"sources": "text[] NOT NULL", "source_count": "smallint NOT NULL", "notes": "text",
	}
	for _, n := range []string{"fatalities", "injured", "detained"} {
		for _, s := range []string{"best", "low", "high"} {
			want[n+"_"+s] = "integer"
		}
	}
	for _, n := range []string{"actor1", "actor2", "civilians", "unknown"} {
		want["fatalities_"+n] = "integer"
	}
	rows, err := c.Query(context.Background(), `SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
		coalesce(col_description(a.attrelid, a.attnum), '') FROM pg_attribute a
		WHERE a.attrelid = 'incidents'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name, typ, comment string
		if err := rows.Scan(&name, &typ, &comment); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
		if want[name] != typ {
			t.Errorf("column %s: %q, want %q", name, typ, want[name])
		}
		if i := schema.ColumnIndex(name); i < 0 || schema.Columns[i].Meaning != comment {
			t.Errorf("column %s: comment %q, want the schema's description", name, comment)
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if !reflect.DeepEqual(got, schema.ColumnNames()) {
		t.Errorf("columns %v, want the schema's, in order", got)
	}
	var pkey string
	if err := c.QueryRow(context.Background(), `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'incidents'::regclass AND contype = 'p'`).Scan(&pkey); err != nil {
		t.Fatal(err)
	}
	if pkey != "PRIMARY KEY (incident_id)" {
		t.Errorf("primary key %q", pkey)
	}
	var comment string
	if err := c.QueryRow(context.Background(), `SELECT obj_description('incidents'::regclass, 'pg_class')`).Scan(&comment); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(comment, `"incidents.version":"test"`) || !strings.Contains(comment, `"incidents.load_mode":"create"`) {
		t.Errorf("table comment %s", comment)
	}
	// The CHECK constraints refuse what the schema's enumerations do not hold.
	for _, bad := range []string{
		"event_type = 'battle'", "date_precision = 'decade'", "geo_precision = 'EXACT'", "violence_type = 'war'",
		"country_iso3 = 'sy'", "latitude = 91", "longitude = -180.5",
	} {
		_, err := c.Exec(context.Background(), "UPDATE incidents SET "+bad+" WHERE incident_id = 'ucdp-ged:1'")
		if err == nil || !strings.Contains(err.Error(), "check constraint") {
			t.Errorf("SET %s: %v, want a check constraint violation", bad, err)
		}
	}
}

// readBack reads the table into incidents, each value converted by
// PostgreSQL's own text output where the Go driver could hide a mistake
// (dates, the timestamp in UTC).
func readBack(t *testing.T, c *pgx.Conn, table string) []schema.Incident {
	t.Helper()
	rows, err := c.Query(context.Background(), `SELECT incident_id, source_dataset, source_id, date_start::text, date_end::text, date_precision,
		to_char(time_utc AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), year, country_iso3, country, admin1, admin2, location,
		latitude, longitude, geo_precision, event_type, sub_event_type, source_event_type, violence_type, actor1, actor2,
		array_to_json(assoc_actors)::text, claimed_by, fatalities_best, fatalities_low, fatalities_high, fatalities_actor1, fatalities_actor2,
		fatalities_civilians, fatalities_unknown, injured_best, injured_low, injured_high, detained_best, detained_low, detained_high,
		array_to_json(sources)::text, source_count, notes FROM `+table+` ORDER BY incident_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []schema.Incident
	for rows.Next() {
		var in schema.Incident
		var srcID, admin1, admin2, loc, sub, srcEv, vt, a1, a2, claimed, notes, tm *string
		var ds, de, dp, gp, et, assoc, sources string
		var year int16
		var lat, lon *float64
		var n [13]*int32
		if err := rows.Scan(&in.IncidentID, &in.SourceDataset, &srcID, &ds, &de, &dp, &tm, &year, &in.CountryISO3, &in.Country,
			&admin1, &admin2, &loc, &lat, &lon, &gp, &et, &sub, &srcEv, &vt, &a1, &a2, &assoc, &claimed,
			&n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10], &n[11], &n[12],
			&sources, &in.SourceCount, &notes); err != nil {
			t.Fatal(err)
		}
		s := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		in.SourceID, in.Admin1, in.Admin2, in.Location = s(srcID), s(admin1), s(admin2), s(loc)
		in.SubEventType, in.SourceEvent, in.Actor1, in.Actor2, in.ClaimedBy, in.Notes = s(sub), s(srcEv), s(a1), s(a2), s(claimed), s(notes)
		var err error
		if in.DateStart, err = schema.ParseDate(ds); err != nil {
			t.Fatal(err)
		}
		if in.DateEnd, err = schema.ParseDate(de); err != nil {
			t.Fatal(err)
		}
		if int(year) != in.DateStart.Year() {
			t.Errorf("%s: year %d, date_start %s", in.IncidentID, year, ds)
		}
		if in.DatePrecision, err = schema.ParseDatePrecision(dp); err != nil {
			t.Fatal(err)
		}
		if in.GeoPrecision, err = schema.ParseGeoPrecision(gp); err != nil {
			t.Fatal(err)
		}
		if in.EventType, err = schema.ParseEventType(et); err != nil {
			t.Fatal(err)
		}
		if vt != nil {
			if in.ViolenceType, err = schema.ParseViolenceType(*vt); err != nil {
				t.Fatal(err)
			}
		}
		if tm != nil {
			if in.TimeUTC, err = time.Parse("2006-01-02T15:04:05.000Z", *tm); err != nil {
				t.Fatal(err)
			}
		}
		if lat != nil {
			in.Latitude = schema.Float64(*lat)
		}
		if lon != nil {
			in.Longitude = schema.Float64(*lon)
		}
		num := func(p *int32) schema.NullInt32 {
			if p == nil {
				return schema.NullInt32{}
			}
			return schema.Int32(*p)
		}
		in.Fatalities = schema.Estimate{Best: num(n[0]), Low: num(n[1]), High: num(n[2])}
		in.FatalitiesActor1, in.FatalitiesActor2, in.FatalitiesCivilians, in.FatalitiesUnknown = num(n[3]), num(n[4]), num(n[5]), num(n[6])
		in.Injured = schema.Estimate{Best: num(n[7]), Low: num(n[8]), High: num(n[9])}
		in.Detained = schema.Estimate{Best: num(n[10]), Low: num(n[11]), High: num(n[12])}
		in.AssocActors, in.Sources = jsonList(t, assoc), jsonList(t, sources)
		out = append(out, in)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

func jsonList(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return out
}

// sorted is in, ordered by incident_id as the table's read is, with lists
// made non-nil as they come back.
func sorted(in []schema.Incident) []schema.Incident {
	out := append([]schema.Incident(nil), in...)
	for i := range out {
		if out[i].AssocActors == nil {
			out[i].AssocActors = []string{}
		}
		if out[i].Sources == nil {
			out[i].Sources = []string{}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].IncidentID < out[j-1].IncidentID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	url, c := newDB(t)
	in := sample()
	res, err := load(t, target(t, url, "incidents"), ModeCreate, in[:1], in[1:])
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 || res.Inserted != 3 || !res.Created {
		t.Errorf("result %+v", res)
	}
	got := readBack(t, c, "incidents")
	want := sorted(in)
	if len(got) != len(want) {
		t.Fatalf("%d rows back, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %s:\n got %+v\nwant %+v", want[i].IncidentID, got[i], want[i])
		}
	}
	// The timestamp is the instant, whatever the session's time zone.
	var local string
	if _, err := c.Exec(context.Background(), "SET TIME ZONE 'Asia/Kabul'"); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRow(context.Background(), "SELECT time_utc::text FROM incidents WHERE incident_id = 'reports:kabul-1'").Scan(&local); err != nil {
		t.Fatal(err)
	}
	if local != "2019-11-06 03:00:00+04:30" {
		t.Errorf("time_utc in Kabul time %s, want 2019-11-06 03:00:00+04:30", local)
	}
}

func TestCreateRefusesExistingTable(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	if _, err := load(t, tg, ModeCreate, bulk("a", 10)); err != nil {
		t.Fatal(err)
	}
	_, err := load(t, tg, ModeCreate, bulk("b", 10))
	if !errors.Is(err, ErrTableExists) || !strings.Contains(err.Error(), "pgsink: table incidents: already exists") {
		t.Fatalf("second create: %v", err)
	}
	if n := count(t, c, "incidents"); n != 10 {
		t.Errorf("%d rows, want the first load's 10", n)
	}
}

func TestAppend(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "public.incidents")
	if _, err := load(t, tg, ModeAppend, bulk("a", 100)); err != nil { // creates it
		t.Fatal(err)
	}
	res, err := load(t, tg, ModeAppend, bulk("b", 50))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || res.Rows != 50 || res.Inserted != 50 {
		t.Errorf("result %+v", res)
	}
	if n := count(t, c, "incidents"); n != 150 {
		t.Errorf("%d rows, want 150", n)
	}
	// A key already there fails the whole load: the new rows before it are not kept.
	_, err = load(t, tg, ModeAppend, bulk("c", 500), bulk("a", 1))
	if !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), "Key (incident_id)=(a:0) already exists") {
		t.Fatalf("append of a known id: %v", err)
	}
	if n := count(t, c, "incidents"); n != 150 {
		t.Errorf("%d rows after the failed append, want 150", n)
	}
}

func TestUpsert(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	first := append(bulk("u", 1000), sample()...)
	res, err := load(t, tg, ModeUpsert, first)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Inserted != 1003 {
		t.Errorf("first upsert %+v", res)
	}
	// The same rows again: nothing changes.
	res, err = load(t, tg, ModeUpsert, first[:500], first[500:])
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 1003 || res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 1003 {
		t.Errorf("second upsert of the same rows: %+v, want all 1003 unchanged", res)
	}
	if !strings.Contains(res.String(), "0 inserted, 0 updated, 1003 unchanged") {
		t.Errorf("summary %q", res.String())
	}
	// A revision: two rows changed (one to a null, one list), three new.
	rev := append([]schema.Incident(nil), first...)
	rev[3].Fatalities = schema.Estimate{}
	rev[1001].AssocActors = append([]string(nil), "new actor")
	rev = append(rev, bulk("v", 3)...)
	res, err = load(t, tg, ModeUpsert, rev)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 3 || res.Updated != 2 || res.Unchanged != 1001 || res.Rows != 1006 {
		t.Errorf("revision: %+v, want 3 inserted, 2 updated, 1001 unchanged", res)
	}
	got := readBack(t, c, "incidents")
	want := sorted(rev)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("table after the revision differs from it")
	}
	// A key twice in one input fails the upsert, naming it.
	_, err = load(t, tg, ModeUpsert, bulk("w", 10), bulk("w", 2))
	if !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), "incident_id w:0 is in the input more than once") &&
		!strings.Contains(err.Error(), "incident_id w:1 is in the input more than once") {
		t.Fatalf("upsert with a key twice: %v", err)
	}
	if n := count(t, c, "incidents"); n != 1006 {
		t.Errorf("%d rows after the failed upsert, want 1006", n)
	}
}

func TestUpsertNeedsUniqueKey(t *testing.T) {
	url, c := newDB(t)
	if _, err := c.Exec(context.Background(), "CREATE TABLE incidents AS SELECT * FROM (VALUES (1)) v(x) WHERE false"); err != nil {
		t.Fatal(err)
	}
	_, err := load(t, target(t, url, "incidents"), ModeUpsert, bulk("a", 1))
	if !errors.Is(err, ErrColumns) || !strings.Contains(err.Error(), "no column incident_id") {
		t.Errorf("upsert into another table: %v", err)
	}
	// The right columns, but no key.
	if _, err := c.Exec(context.Background(), "DROP TABLE incidents"); err != nil {
		t.Fatal(err)
	}
	tg := target(t, url, "incidents")
	if _, err := load(t, tg, ModeCreate, bulk("a", 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(context.Background(), "ALTER TABLE incidents DROP CONSTRAINT incidents_pkey"); err != nil {
		t.Fatal(err)
	}
	_, err = load(t, tg, ModeUpsert, bulk("a", 3))
	if !errors.Is(err, ErrNoKey) {
		t.Errorf("upsert without a unique index: %v", err)
	}
}

// waitFor polls q (a boolean query) on c until it is true.
func waitFor(t *testing.T, c *pgx.Conn, q string) {
	t.Helper()
	for i := 0; i < 600; i++ {
		var ok bool
		if err := c.QueryRow(context.Background(), q).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not true after 30 s: %s", q)
}

// TestCancelMidCopy cancels a load while the server is taking its rows:
// the table is as it was (absent for create, its rows for append, upsert
// and replace).
func TestCancelMidCopy(t *testing.T) {
	for _, mode := range Modes {
		t.Run(string(mode), func(t *testing.T) {
			url, c := newDB(t)
			tg := target(t, url, "incidents")
			if mode != ModeCreate {
				if _, err := load(t, tg, ModeCreate, bulk("old", 100)); err != nil {
					t.Fatal(err)
				}
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l, err := Open(ctx, tg, Options{Mode: mode, Schema: schema.Arrow()})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Abort()
			var rec arrow.Record
			for i := 0; i < 3; i++ {
				rec = schema.NewRecord(mem, bulk(fmt.Sprintf("new%d", i), 5000))
				defer rec.Release()
				if err := l.Write(rec); err != nil {
					t.Fatal(err)
				}
			}
			// the server is in the COPY, with rows received
			waitFor(t, c, "SELECT EXISTS (SELECT 1 FROM pg_stat_progress_copy WHERE tuples_processed > 0)")
			cancel()
			err = l.Write(rec)
			if err == nil {
				_, err = l.Close()
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("write after cancel: %v, want context.Canceled", err)
			}
			l.Abort()
			// the server has let go of the load
			waitFor(t, c, "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'incidents' AND datname = current_database())")
			if mode == ModeCreate {
				if exists(t, c, "incidents") {
					t.Errorf("table created by a cancelled load")
				}
				return
			}
			if n := count(t, c, "incidents"); n != 100 {
				t.Errorf("%d rows after the cancelled %s, want the 100 before it", n, mode)
			}
			var id string
			if err := c.QueryRow(context.Background(), "SELECT max(incident_id) FROM incidents").Scan(&id); err != nil || !strings.HasPrefix(id, "old:") {
				t.Errorf("max id %q (%v), want the old rows", id, err)
			}
		})
	}
}

// TestReplaceAtomic: a reader during a replace waits for it and then sees
// the whole new table; a replace that fails leaves the old one.
func TestReplaceAtomic(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	if _, err := load(t, tg, ModeCreate, bulk("old", 50)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(context.Background(), "CREATE ROLE dashboard; GRANT SELECT ON incidents TO dashboard; CREATE VIEW deadly AS SELECT * FROM incidents WHERE fatalities_best > 0"); err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	l, err := Open(ctx, tg, Options{Mode: ModeReplace, Schema: schema.Arrow()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Abort()
	rec := schema.NewRecord(mem, bulk("new", 3000))
	defer rec.Release()
	first := rec.NewSlice(0, 1000)
	err = l.Write(first)
	first.Release()
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		n   int64
		min string
		err error
	}
	reader := make(chan seen, 1)
	rc, err := pgx.Connect(ctx, pgtest.Need(t, server).SocketURL(c.Config().Database))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(ctx)
	go func() {
		var s seen
		s.err = rc.QueryRow(ctx, "SELECT count(*), min(incident_id) FROM incidents").Scan(&s.n, &s.min)
		reader <- s
	}()
	// the reader waits on the replace's lock
	waitFor(t, c, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT count(*), min(incident_id)%')")
	for _, r := range []arrow.Record{rec.NewSlice(1000, 2000), rec.NewSlice(2000, 3000)} {
		err := l.Write(r)
		r.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	res, err := l.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced != 50 || res.Rows != 3000 || res.Created {
		t.Errorf("result %+v", res)
	}
	s := <-reader
	if s.err != nil || s.n != 3000 || !strings.HasPrefix(s.min, "new:") {
		t.Errorf("reader during the replace saw %d rows from %q (%v), want the 3000 new ones", s.n, s.min, s.err)
	}
	// grants and views survive a replace of the same columns
	var grant, view bool
	if err := c.QueryRow(ctx, "SELECT has_table_privilege('dashboard', 'incidents', 'SELECT'), to_regclass('deadly') IS NOT NULL").Scan(&grant, &view); err != nil {
		t.Fatal(err)
	}
	if !grant || !view {
		t.Errorf("after replace: dashboard's grant %v, view %v", grant, view)
	}
	// A replace that fails (a row the table refuses) leaves the table as it was.
	bad := bulk("bad", 10)
	bad[9].CountryISO3 = "sy"
	_, err = load(t, tg, ModeReplace, bulk("x", 100), bad)
	if err == nil || !strings.Contains(err.Error(), "check constraint") {
		t.Fatalf("replace with a bad row: %v", err)
	}
	if n := count(t, c, "incidents"); n != 3000 {
		t.Errorf("%d rows after the failed replace, want 3000", n)
	}
}

// TestReplaceNewColumns: a table of other columns is made anew by replace,
// refused by append.
func TestReplaceNewColumns(t *testing.T) {
	url, c := newDB(t)
	if _, err := c.Exec(context.Background(), "CREATE TABLE incidents (incident_id text PRIMARY KEY, year integer)"); err != nil {
		t.Fatal(err)
	}
	tg := target(t, url, "incidents")
	_, err := load(t, tg, ModeAppend, bulk("a", 5))
	if !errors.Is(err, ErrColumns) || !strings.Contains(err.Error(), "year is integer, the records' is smallint") {
		t.Fatalf("append into other columns: %v", err)
	}
	res, err := load(t, tg, ModeReplace, bulk("a", 5))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 5 || res.Replaced != 0 {
		t.Errorf("result %+v", res)
	}
	if got := readBack(t, c, "incidents"); len(got) != 5 {
		t.Errorf("%d rows", len(got))
	}
}

// TestStatsTable loads a table of other columns (a stats result): types
// from the Arrow schema, no key.
func TestStatsTable(t *testing.T) {
	url, c := newDB(t)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "country_iso3", Type: arrow.BinaryTypes.String},
		{Name: "year", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "events", Type: arrow.PrimitiveTypes.Int64},
		{Name: "fatalities_mean", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"SYR", "TJK"}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{2019, 0}, []bool{true, false})
	b.Field(2).(*array.Int64Builder).AppendValues([]int64{5000000000, 2}, nil)
	b.Field(3).(*array.Float64Builder).AppendValues([]float64{1.25, 0}, []bool{true, false})
	rec := b.NewRecord()
	defer rec.Release()
	ctx := context.Background()
	for _, mode := range []Mode{ModeCreate, ModeReplace} {
		l, err := Open(ctx, target(t, url, "stats_country_year"), Options{Mode: mode, Schema: sc})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Write(rec); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var types, vals string
	if err := c.QueryRow(ctx, `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = 'stats_country_year'::regclass AND attnum > 0`).Scan(&types); err != nil {
		t.Fatal(err)
	}
	if types != "country_iso3 text, year bigint, events bigint, fatalities_mean double precision" {
		t.Errorf("types %s", types)
	}
	if err := c.QueryRow(ctx, `SELECT string_agg(concat_ws('|', country_iso3, coalesce(year::text, 'null'), events, coalesce(fatalities_mean::text, 'null')), ';' ORDER BY country_iso3) FROM stats_country_year`).Scan(&vals); err != nil {
		t.Fatal(err)
	}
	if vals != "SYR|2019|5000000000|1.25;TJK|null|2|null" {
		t.Errorf("values %s", vals)
	}
	_, err := Open(ctx, target(t, url, "stats_country_year"), Options{Mode: ModeUpsert, Schema: sc})
	if !errors.Is(err, ErrNoKey) {
		t.Errorf("upsert of a table without incident_id: %v", err)
	}
}

// TestPassword: the password comes from the URL, PGPASSWORD or a pgpass
// file, and a wrong one is never printed.
func TestPassword(t *testing.T) {
	url, _ := newDB(t)
	s := pgtest.Need(t, server)
	db := strings.TrimPrefix(url[strings.LastIndexByte(url, '/'):], "/")
	plain := s.URL(db)
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))

	secret := "S3cret-not-this-one"
	wrong := strings.Replace(s.URLWithPassword(db), s.Password, secret, 1)
	_, err := load(t, target(t, wrong, "incidents"), ModeCreate, bulk("a", 1))
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("wrong password: %v", err)
	}
	if tg := target(t, wrong, "incidents"); strings.Contains(tg.Redacted(), secret) || strings.Contains(tg.String(), secret) {
		t.Errorf("redacted %s", tg.Redacted())
	}
	_, err = load(t, target(t, plain, "incidents"), ModeCreate, bulk("a", 1))
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("no password: %v", err)
	}

	t.Setenv("PGPASSWORD", s.Password)
	if _, err := load(t, target(t, plain, "from_env"), ModeCreate, bulk("a", 1)); err != nil {
		t.Errorf("PGPASSWORD: %v", err)
	}
	os.Unsetenv("PGPASSWORD")
	pass := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(pass, []byte(fmt.Sprintf("127.0.0.1:%d:*:postgres:%s\n", s.Port, s.Password)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", pass)
	if _, err := load(t, target(t, plain, "from_pgpass"), ModeCreate, bulk("a", 1)); err != nil {
		t.Errorf("pgpass: %v", err)
	}
}

func TestParseTarget(t *testing.T) {
	for _, c := range []struct{ in, schema, table, conn, err string }{
		{in: "postgres://u@h/db?table=incidents", table: "incidents", conn: "postgres://u@h/db"},
		{in: "postgresql://u:pw@h:5433/db?sslmode=disable&table=acled.events", schema: "acled", table: "events",
			conn: "postgresql://u:pw@h:5433/db?sslmode=disable"},
		{in: "postgres://u@h/db?table=Événements", table: "Événements", conn: "postgres://u@h/db"},
		{in: "postgres://u:pw@h/db", err: "pgsink: postgres://u:xxxxx@h/db: no table: add ?table=NAME"},
		{in: "postgres://u@h/db?table=a.b.c", err: `table "a.b.c": want NAME or SCHEMA.NAME`},
		{in: "postgres://u@h/db?table=.x", err: `want NAME or SCHEMA.NAME`},
		{in: "postgres://u@h/db?table=a&table=b", err: "table= given 2 times"},
		{in: "postgres://u@h/db?table=" + strings.Repeat("x", 64), err: "at most 63 bytes"},
		{in: "postgres://u:topsecret@h:notaport/db?table=t", err: "xxxxx"},
		{in: "postgres://u@h/db?password=topsecret&table=t&sslmode=bogus", err: "password=xxxxx"},
	} {
		tg, err := ParseTarget(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "topsecret") || !errors.Is(err, ErrBadTarget) {
				t.Errorf("%s: %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if tg.Schema != c.schema || tg.Table != c.table || tg.ConnString != c.conn {
			t.Errorf("%s: %q %q %q", c.in, tg.Schema, tg.Table, tg.ConnString)
		}
	}
	if Redact("postgres://u:pw@h/db?table=t") != "postgres://u:xxxxx@h/db?table=t" || Redact("out.parquet") != "out.parquet" {
		t.Errorf("Redact")
	}
}

// TestUpsertDeleteMissing: a full release's upsert deletes the rows it no
// longer holds, within its scope.
func TestUpsertDeleteMissing(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	if _, err := load(t, tg, ModeCreate, bulk("a", 10), bulk("b", 5)); err != nil {
		t.Fatal(err)
	}
	up := func(opts Options, batches ...[]schema.Incident) Result {
		t.Helper()
		opts.Mode, opts.Schema = ModeUpsert, schema.Arrow()
		l, err := Open(context.Background(), tg, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Abort()
		for _, b := range batches {
			rec := schema.NewRecord(memory.DefaultAllocator, b)
			err := l.Write(rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := l.Close()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	release := append(bulk("a", 8), schema.Incident{IncidentID: "a:new", SourceDataset: "a", CountryISO3: "SYR", Country: "Syria"})
	res := up(Options{DeleteMissing: true, DeleteScope: []string{"source_dataset"}}, release)
	if res.Inserted != 1 || res.Unchanged != 8 || res.Deleted != 2 || res.Updated != 0 {
		t.Errorf("scoped: %+v, want 1 inserted, 8 unchanged, 2 deleted (a:8, a:9)", res)
	}
	if !strings.HasSuffix(res.String(), "1 inserted, 0 updated, 8 unchanged, 2 deleted") {
		t.Errorf("summary %q", res)
	}
	if n := count(t, c, "incidents WHERE source_dataset = 'b'"); n != 5 {
		t.Errorf("%d b rows, want the 5 outside the scope", n)
	}
	if n := count(t, c, "incidents WHERE incident_id IN ('a:8', 'a:9')"); n != 0 {
		t.Errorf("withdrawn rows still there")
	}
	res = up(Options{DeleteMissing: true}, release)
	if res.Deleted != 5 || res.Unchanged != 9 {
		t.Errorf("unscoped: %+v, want the 5 b rows deleted", res)
	}
	if n := count(t, c, "incidents"); n != 9 {
		t.Errorf("%d rows, want 9", n)
	}
	if _, err := Open(context.Background(), tg, Options{Mode: ModeAppend, Schema: schema.Arrow(), DeleteMissing: true}); err == nil {
		t.Errorf("DeleteMissing with append accepted")
	}
}

// TestCancelMerge cancels an upsert during its merge (INSERT ... ON
// CONFLICT on the server): Close returns the cancellation, the server
// stops the statement, and the table is as it was.
func TestCancelMerge(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	old := bulk("m", 200000)
	if _, err := load(t, tg, ModeCreate, old); err != nil {
		t.Fatal(err)
	}
	rev := bulk("m", 200000)
	for i := range rev {
		rev[i].Notes = "revised"
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, err := Open(ctx, tg, Options{Mode: ModeUpsert, Schema: schema.Arrow()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Abort()
	for i := 0; i < len(rev); i += 50000 {
		rec := schema.NewRecord(memory.DefaultAllocator, rev[i:i+50000])
		err := l.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	closed := make(chan error, 1)
	go func() { _, err := l.Close(); closed <- err }()
	waitFor(t, c, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'incidents' AND state = 'active' AND query LIKE 'WITH m AS (INSERT INTO%')")
	sent := time.Now()
	cancel()
	err = <-closed
	t.Logf("Close returned %v after the cancel", time.Since(sent))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Close after cancel: %v, want context.Canceled", err)
	}
	// The server stopped the statement (the cancel request), not only the
	// client waiting for it.
	if n := count(t, c, "pg_stat_activity WHERE state = 'active' AND query LIKE 'WITH m AS (INSERT INTO%'"); n != 0 {
		t.Errorf("the merge still runs on the server after Close returned")
	}
	waitFor(t, c, "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'incidents' AND datname = current_database())")
	if n := count(t, c, "incidents WHERE notes = 'revised'"); n != 0 {
		t.Errorf("%d revised rows after the cancelled upsert", n)
	}
	if n := count(t, c, "incidents"); n != 200000 {
		t.Errorf("%d rows", n)
	}
}

// TestRefusedRows: a value PostgreSQL cannot store or a row the table's
// constraints refuse fails the load naming the row and the column; the
// table is as it was.
func TestRefusedRows(t *testing.T) {
	url, c := newDB(t)
	tg := target(t, url, "incidents")
	if _, err := load(t, tg, ModeCreate, bulk("a", 10)); err != nil {
		t.Fatal(err)
	}
	nul := bulk("n", 5)
	nul[3].Notes = "before\x00after"
	_, err := load(t, tg, ModeAppend, bulk("x", 100), nul)
	if err == nil || !strings.Contains(err.Error(), "pgsink: table incidents: row 104 (incident_id n:3), column notes: text with a NUL byte") {
		t.Errorf("NUL: %v", err)
	}
	list := bulk("l", 2)
	list[1].Sources = []string{"ok", "bad\x00"}
	_, err = load(t, tg, ModeAppend, list)
	if err == nil || !strings.Contains(err.Error(), "row 2 (incident_id l:1), column sources") {
		t.Errorf("NUL in a list: %v", err)
	}
	bad := bulk("c", 3)
	bad[2].Latitude = schema.Float64(123)
	_, err = load(t, tg, ModeAppend, bad)
	if err == nil || !strings.Contains(err.Error(), `pgsink: table incidents: row 3: new row for relation "incidents" violates check constraint "incidents_latitude_check"`) {
		t.Errorf("check constraint: %v", err)
	}
	if n := count(t, c, "incidents"); n != 10 {
		t.Errorf("%d rows, want the 10 before", n)
	}
}

// TestConnectError: a server that cannot be reached is named in one line,
// without the password.
func TestConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tg := target(t, fmt.Sprintf("postgres://me:hunter2@127.0.0.1:%d/conflict", port), "incidents")
	_, err = Open(context.Background(), tg, Options{Schema: schema.Arrow()})
	want := fmt.Sprintf("pgsink: table incidents: cannot connect to 127.0.0.1:%d (database conflict, user me): connection refused", port)
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	tg, err = ParseTarget("postgres://me:hunter2@/conflict?table=incidents&host=" + t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), tg, Options{Schema: schema.Arrow()})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to the socket in ") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("socket: %v", err)
	}
}
