package schema

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func TestEnumRoundTrip(t *testing.T) {
	for _, v := range DatePrecisions {
		got, err := ParseDatePrecision(v.String())
		if err != nil || got != v {
			t.Errorf("date precision %v: got %v, %v", v, got, err)
		}
		b, _ := v.MarshalText()
		var u DatePrecision
		if err := u.UnmarshalText(b); err != nil || u != v {
			t.Errorf("date precision text %s: got %v, %v", b, u, err)
		}
	}
	for _, v := range GeoPrecisions {
		got, err := ParseGeoPrecision(v.String())
		if err != nil || got != v {
			t.Errorf("geo precision %v: got %v, %v", v, got, err)
		}
		b, _ := v.MarshalText()
		var u GeoPrecision
		if err := u.UnmarshalText(b); err != nil || u != v {
			t.Errorf("geo precision text %s: got %v, %v", b, u, err)
		}
	}
	for _, v := range EventTypes {
		got, err := ParseEventType(v.String())
		if err != nil || got != v {
			t.Errorf("event type %v: got %v, %v", v, got, err)
		}
		b, _ := v.MarshalText()
		var u EventType
		if err := u.UnmarshalText(b); err != nil || u != v {
			t.Errorf("event type text %s: got %v, %v", b, u, err)
		}
	}
	for _, v := range append([]ViolenceType{ViolenceNone}, ViolenceTypes...) {
		got, err := ParseViolenceType(v.String())
		if err != nil || got != v {
			t.Errorf("violence type %v: got %v, %v", v, got, err)
		}
		b, _ := v.MarshalText()
		var u ViolenceType
		if err := u.UnmarshalText(b); err != nil || u != v {
			t.Errorf("violence type text %s: got %v, %v", b, u, err)
		}
	}
	for _, bad := range []string{"fortnight", "daily", "?"} {
		if _, err := ParseDatePrecision(bad); !errors.Is(err, ErrEnum) {
			t.Errorf("ParseDatePrecision(%q) = %v, want ErrEnum", bad, err)
		}
	}
	if _, err := ParseEventType("bombing"); !errors.Is(err, ErrEnum) {
		t.Errorf("ParseEventType takes only column values, got %v", err)
	}
	if _, err := ParseGeoPrecision("city"); !errors.Is(err, ErrEnum) {
		t.Errorf("ParseGeoPrecision(city) = %v", err)
	}
	if _, err := ParseViolenceType("interstate"); !errors.Is(err, ErrEnum) {
		t.Errorf("ParseViolenceType(interstate) = %v", err)
	}
	if got, _ := ParseEventType("  Battles "); got != EventBattles {
		t.Errorf("case and space folding: got %v", got)
	}
}

func TestDateMatchesTimePackage(t *testing.T) {
	for d := time.Date(1582, 10, 15, 0, 0, 0, 0, time.UTC); d.Year() < 2101; d = d.AddDate(0, 0, 13) {
		got := DateOf(d.Year(), d.Month(), d.Day())
		want := Date(d.Unix() / 86400)
		if got != want {
			t.Fatalf("DateOf(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
		if got.String() != d.Format(time.DateOnly) {
			t.Fatalf("String(%d) = %s, want %s", got, got, d.Format(time.DateOnly))
		}
		if got.Year() != d.Year() {
			t.Fatalf("Year(%s) = %d", d.Format(time.DateOnly), got.Year())
		}
	}
	if _, err := ParseDate("2019-02-31"); err == nil {
		t.Error("ParseDate accepted 31 February")
	}
	if d, err := ParseDate("2019-11-06"); err != nil || d.String() != "2019-11-06" || d != 18206 {
		t.Errorf("ParseDate(2019-11-06) = %d %v", d, err)
	}
}

// seedIncident is the border-post attack of the seed article as it should
// come out of reconciliation.
func seedIncident() Incident {
	return Incident{
		IncidentID:       "tjk-2019-11-06-ishqobod",
		SourceDataset:    "reports",
		DateStart:        DateOf(2019, time.November, 6),
		DateEnd:          DateOf(2019, time.November, 6),
		DatePrecision:    DateDay,
		TimeUTC:          time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC),
		CountryISO3:      "TJK",
		Country:          "Tajikistan",
		Admin1:           "Districts of Republican Subordination",
		Location:         "Ishqobod border post",
		Latitude:         Float64(38.52),
		Longitude:        Float64(68.8),
		GeoPrecision:     GeoNear,
		EventType:        EventBattles,
		SubEventType:     "armed_clash",
		SourceEvent:      "armed attack on border post",
		Actor1:           "Islamic State",
		Actor2:           "Military Forces of Tajikistan",
		AssocActors:      []string{"Police Forces of Tajikistan"},
		ClaimedBy:        "Islamic State",
		Fatalities:       Estimate{Low: Int32(17), Best: Int32(17), High: Int32(17)},
		FatalitiesActor1: Int32(15),
		FatalitiesActor2: Int32(2),
		Detained:         Estimate{Low: Int32(4), Best: Int32(4), High: Int32(5)},
		Sources:          []string{"AFP", "Ministry of Internal Affairs", "Amaq"},
		SourceCount:      3,
		Notes:            "IS claimed at least 10 guards killed",
	}
}

func TestValidate(t *testing.T) {
	ok := seedIncident()
	if err := ok.Validate(); err != nil {
		t.Fatalf("seed incident invalid: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(*Incident)
		field string
		cause error
	}{
		{"missing id", func(in *Incident) { in.IncidentID = "" }, "incident_id", ErrRequired},
		{"missing dataset", func(in *Incident) { in.SourceDataset = "" }, "source_dataset", ErrRequired},
		{"missing country", func(in *Incident) { in.Country = "" }, "country", ErrRequired},
		{"bad iso3", func(in *Incident) { in.CountryISO3 = "tj" }, "country_iso3", ErrCountryCode},
		{"negative best", func(in *Incident) { in.Fatalities.Best = Int32(-1); in.Fatalities.Low = NullInt32{} }, "fatalities_best", ErrNegative},
		{"low above best", func(in *Incident) { in.Injured = Estimate{Low: Int32(5), Best: Int32(3)} }, "injured_low", ErrOrder},
		{"best above high", func(in *Incident) { in.Detained = Estimate{Best: Int32(6), High: Int32(5)} }, "detained_high", ErrOrder},
		{"low above high without best", func(in *Incident) { in.Injured = Estimate{Low: Int32(9), High: Int32(5)} }, "injured_low", ErrOrder},
		{"breakdown above high", func(in *Incident) { in.FatalitiesCivilians = Int32(1) }, "fatalities_high", ErrBreakdown},
		{"negative party", func(in *Incident) { in.FatalitiesUnknown = Int32(-3) }, "fatalities_unknown", ErrNegative},
		{"dates reversed", func(in *Incident) { in.DateEnd = in.DateStart - 1 }, "date_start", ErrDateOrder},
		{"latitude out of range", func(in *Incident) { in.Latitude = Float64(91) }, "latitude", ErrCoordinates},
		{"longitude out of range", func(in *Incident) { in.Longitude = Float64(-180.5) }, "longitude", ErrCoordinates},
		{"only one coordinate", func(in *Incident) { in.Longitude = NullFloat64{} }, "latitude", ErrCoordinates},
		{"source count short", func(in *Incident) { in.SourceCount = 2 }, "source_count", ErrSourceCount},
	}
	for _, c := range cases {
		in := seedIncident()
		c.edit(&in)
		err := in.Validate()
		if !errors.Is(err, c.cause) {
			t.Errorf("%s: Validate() = %v, want %v", c.name, err, c.cause)
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: field = %v, want %s", c.name, fe, c.field)
		}
		if !strings.HasPrefix(err.Error(), "schema: "+c.field) {
			t.Errorf("%s: message %q does not name the field first", c.name, err)
		}
	}
	// High unknown ("at least 17") leaves the breakdown unbounded.
	in := seedIncident()
	in.Fatalities.High = NullInt32{}
	in.FatalitiesCivilians = Int32(40)
	if err := in.Validate(); err != nil {
		t.Errorf("unbounded high: %v", err)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	full := seedIncident()
	sparse := Incident{ // every nullable field null, lists empty
		IncidentID: "acled:XYZ1", SourceDataset: "acled", DateStart: DateOf(2020, 2, 29), DateEnd: DateOf(2020, 3, 2),
		DatePrecision: DateDays, CountryISO3: UnknownCountryISO3, Country: "Unknown", GeoPrecision: GeoUnknown,
		EventType: EventUnknown, Fatalities: Estimate{Best: Int32(0), Low: Int32(0), High: Int32(0)},
	}
	ucdp := full
	ucdp.IncidentID, ucdp.SourceDataset, ucdp.SourceID, ucdp.ViolenceType = "ucdp-ged:1", "ucdp-ged", "1", ViolenceOneSided
	ucdp.TimeUTC = time.Time{}
	want := []Incident{full, sparse, ucdp}

	rec := NewRecord(mem, want)
	defer rec.Release()
	if !rec.Schema().Equal(Arrow()) {
		t.Fatalf("record schema differs from Arrow():\n%s\n%s", rec.Schema(), Arrow())
	}
	if rec.NumRows() != 3 || rec.NumCols() != NumColumns {
		t.Fatalf("shape %dx%d", rec.NumRows(), rec.NumCols())
	}
	if y := rec.Column(ColYear).ValueStr(1); y != "2020" {
		t.Errorf("year of row 1 = %s", y)
	}
	if !rec.Column(ColAdmin1).IsNull(1) || !rec.Column(ColTimeUTC).IsNull(2) || !rec.Column(ColViolenceType).IsNull(0) {
		t.Error("empty nullable fields must be written as null")
	}
	if !rec.Column(ColInjuredBest).IsNull(0) || rec.Column(ColFatalitiesBest).IsNull(1) {
		t.Error("null counts must stay null and 0 must stay 0")
	}
	got, err := AppendIncidents(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		w := want[i]
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], w)
		}
	}

	// A projected record (a subset of columns, plain strings instead of
	// dictionaries) decodes the columns it has.
	sub := rec.NewSlice(0, 1)
	defer sub.Release()
	one, err := AppendIncidents(got[:0], sub)
	if err != nil || len(one) != 1 || one[0].Fatalities.Best.Value != 17 {
		t.Errorf("slice decode: %v %+v", err, one)
	}
	// A slice that does not start at row 0 reads its own rows' lists (row 1
	// has none, row 0 has some).
	tail := rec.NewSlice(1, 2)
	defer tail.Release()
	last, err := AppendIncidents(nil, tail)
	if err != nil || len(last) != 1 || !reflect.DeepEqual(last[0], want[1]) {
		t.Errorf("slice [1:2] decode: %v\n got %+v\nwant %+v", err, last, want[1])
	}
}

func TestArrowTypes(t *testing.T) {
	s := Arrow()
	want := map[string]arrow.Type{
		"date_start": arrow.DATE32, "time_utc": arrow.TIMESTAMP, "year": arrow.INT16, "source_count": arrow.INT16,
		"fatalities_best": arrow.INT32, "latitude": arrow.FLOAT64, "sources": arrow.LIST, "assoc_actors": arrow.LIST,
		"country_iso3": arrow.DICTIONARY, "event_type": arrow.DICTIONARY, "incident_id": arrow.STRING,
	}
	for name, id := range want {
		f, ok := s.FieldsByName(name)
		if !ok || f[0].Type.ID() != id {
			t.Errorf("%s: %v, want %v", name, f, id)
		}
	}
	ts := s.Field(ColTimeUTC).Type.(*arrow.TimestampType)
	if ts.Unit != arrow.Millisecond || ts.TimeZone != "UTC" {
		t.Errorf("time_utc type %s", ts)
	}
	if v, ok := s.Metadata().GetValue(MetadataVersionKey); !ok || v != Version {
		t.Errorf("schema metadata %v", s.Metadata())
	}
}

// schemaDoc returns SCHEMA.md: the shared contract when it is beside the
// checkout, else the copy in testdata.
func schemaDoc(t *testing.T) string {
	for _, p := range []string{"../../shared/SCHEMA.md", "testdata/SCHEMA.md"} {
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	t.Fatal("SCHEMA.md not found")
	return ""
}

// TestSchemaDocUpToDate fails when SCHEMA.md's column table and Columns
// disagree on names, order, types, nullability or meaning.
func TestSchemaDocUpToDate(t *testing.T) {
	doc := schemaDoc(t)
	var docRows []string
	sc := bufio.NewScanner(strings.NewReader(doc))
	inTable := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "| column |") {
			inTable = true
			continue
		}
		if inTable {
			if !strings.HasPrefix(line, "|") {
				break
			}
			if strings.HasPrefix(line, "|---") {
				continue
			}
			docRows = append(docRows, line)
		}
	}
	var codeRows []string
	for _, line := range strings.Split(strings.TrimSpace(MarkdownTable()), "\n")[2:] {
		codeRows = append(codeRows, line)
	}
	if len(docRows) != len(codeRows) {
		t.Fatalf("SCHEMA.md has %d column rows, code has %d", len(docRows), len(codeRows))
	}
	for i := range docRows {
		if docRows[i] != codeRows[i] {
			t.Errorf("row %d differs:\n SCHEMA.md: %s\n      code: %s", i, docRows[i], codeRows[i])
		}
	}
	// The testdata copy must not go stale either.
	if b, err := os.ReadFile("testdata/SCHEMA.md"); err == nil && string(b) != doc {
		t.Errorf("schema/testdata/SCHEMA.md differs from ../shared/SCHEMA.md; copy it again")
	}
}

func TestJSONSchema(t *testing.T) {
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", doc["$schema"])
	}
	props := doc["properties"].(map[string]any)
	if len(props) != NumColumns {
		t.Errorf("%d properties, want %d", len(props), NumColumns)
	}
	fb := props["fatalities_best"].(map[string]any)
	if !reflect.DeepEqual(fb["type"], []any{"integer", "null"}) {
		t.Errorf("fatalities_best type %v", fb["type"])
	}
	et := props["event_type"].(map[string]any)
	if len(et["enum"].([]any)) != len(EventTypes) {
		t.Errorf("event_type enum %v", et["enum"])
	}
}

// TestProjectedRecordBuilder: a projected builder makes records of the named
// columns only, in schema order, whose values equal the full record's.
func TestProjectedRecordBuilder(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := []Incident{seedIncident(), seedIncident()}
	rows[1].IncidentID, rows[1].Fatalities.Best, rows[1].Latitude = "x:2", NullInt32{}, NullFloat64{}
	full := NewRecord(mem, rows)
	defer full.Release()

	names := []string{"fatalities_best", "country_iso3", "year", "latitude", "sources", "notes", "date_start"}
	rb, err := NewProjectedRecordBuilder(mem, names)
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Release()
	for round := 0; round < 2; round++ { // the second record uses the reserved buffers
		for i := range rows {
			rb.Append(&rows[i])
		}
		rec := rb.NewRecord()
		var got []string
		for k, f := range rec.Schema().Fields() {
			got = append(got, f.Name)
			want := full.Column(ColumnIndex(f.Name))
			if !arrow.TypeEqual(f.Type, want.DataType()) {
				t.Errorf("%s: type %s, want %s", f.Name, f.Type, want.DataType())
			}
			for i := 0; i < len(rows); i++ {
				if g, w := rec.Column(k).ValueStr(i), want.ValueStr(i); g != w {
					t.Errorf("round %d %s row %d: %q, want %q", round, f.Name, i, g, w)
				}
			}
		}
		if strings.Join(got, ",") != "date_start,year,country_iso3,latitude,fatalities_best,sources,notes" {
			t.Errorf("columns %v, want schema order", got)
		}
		rec.Release()
	}
	if _, err := NewProjectedRecordBuilder(mem, []string{"fatalities"}); err == nil {
		t.Error("unknown column accepted")
	}
}

// Every event type has words for people, as ACLED's codebook writes them.
func TestEventTypeLabel(t *testing.T) {
	for ty, want := range map[EventType]string{EventUnknown: "Unknown", EventBattles: "Battles",
		EventExplosionsRemoteViolence: "Explosions/remote violence", EventViolenceAgainstCivilians: "Violence against civilians",
		EventRiots: "Riots", EventProtests: "Protests", EventStrategicDevelopments: "Strategic developments"} {
		if got := ty.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", ty, got, want)
		}
	}
	if len(eventTypeLabels) != len(eventTypes.names) {
		t.Errorf("%d labels for %d event types", len(eventTypeLabels), len(eventTypes.names))
	}
}
