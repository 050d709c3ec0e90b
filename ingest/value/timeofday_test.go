package value

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/incidentkit/incidents/schema"
)

func TestParseTimeOfDay(t *testing.T) {
	dushanbe, ok := TimeZoneOf("TJK")
	if !ok {
		t.Fatal("TimeZoneOf(TJK): no zone")
	}
	london, _ := TimeZoneOf("GBR")
	nov6 := day(2019, 11, 6)
	jul1 := day(2019, 7, 1)
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct {
		in   string
		day  schema.Date
		loc  *time.Location
		want time.Time
		ok   bool
	}{
		// the seed article: 3:30 a.m. local in Tajikistan (UTC+5) on 6 November is 22:30 GMT on the 5th
		{"3:30 a.m. (2230 GMT)", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3:30 a.m. (2230 GMT)", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"3:30 a.m.", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3:30 A.M.", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3:30am", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3.30 am", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"03:30", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"0330 hrs", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"03h30", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"03:30 local time", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3 pm", nov6, dushanbe, utc("2019-11-06T10:00:00Z"), true},
		{"12:15 a.m.", nov6, dushanbe, utc("2019-11-05T19:15:00Z"), true},
		{"12:15 p.m.", nov6, dushanbe, utc("2019-11-06T07:15:00Z"), true},
		{"noon", nov6, dushanbe, utc("2019-11-06T07:00:00Z"), true},
		{"midnight", nov6, dushanbe, utc("2019-11-05T19:00:00Z"), true},
		{"22:30:15", nov6, dushanbe, utc("2019-11-06T17:30:15Z"), true},
		{"around 3:30 a.m.", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"at about 03:30", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"shortly after midnight", nov6, dushanbe, utc("2019-11-05T19:00:00Z"), true},
		{"1530Z", nov6, nil, utc("2019-11-06T15:30:00Z"), true},
		{"08:30 (local time)", nov6, dushanbe, utc("2019-11-06T03:30:00Z"), true},
		// UTC figures: with a zone, on the UTC date whose local date is day
		{"22:30 GMT", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"2230 GMT", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"22:30 UTC", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"22:30Z", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"10:00 GMT", nov6, dushanbe, utc("2019-11-06T10:00:00Z"), true},
		{"22:30 GMT", nov6, nil, utc("2019-11-06T22:30:00Z"), true},
		{"22:30 GMT", nov6, london, utc("2019-11-06T22:30:00Z"), true},
		// stated offsets: the clock is read on the local date
		{"0330 UTC+5", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"03:30 UTC+05:00", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"03:30 UTC+0500", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"03:30 GMT+5", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"03:30 +05:00", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"21:00 UTC-3", nov6, nil, utc("2019-11-07T00:00:00Z"), true},
		{"09:15 UTC+5:30", nov6, nil, utc("2019-11-06T03:45:00Z"), true},
		{"03:30 UTC+0", nov6, dushanbe, utc("2019-11-06T03:30:00Z"), true},
		// the zoned figure wins over the local one, whichever is bracketed
		{"2230 GMT (3:30 a.m.)", nov6, dushanbe, utc("2019-11-05T22:30:00Z"), true},
		{"3:30 a.m. / 22:30 UTC", nov6, nil, utc("2019-11-05T22:30:00Z"), true},
		{"11 p.m. (0100 GMT)", nov6, nil, utc("2019-11-07T01:00:00Z"), true},
		// daylight saving: London is UTC+1 in July
		{"14:00", jul1, london, utc("2019-07-01T13:00:00Z"), true},
		// local figure without a zone: not an error, not a time
		{"3:30 a.m.", nov6, nil, time.Time{}, false},
		{"noon", nov6, nil, time.Time{}, false},
		{"", nov6, dushanbe, time.Time{}, false},
		{"   ", nov6, dushanbe, time.Time{}, false},
	} {
		got, ok, err := ParseTimeOfDay(c.in, c.day, c.loc)
		if err != nil {
			t.Errorf("ParseTimeOfDay(%q, %v, %v): %v", c.in, c.day, c.loc, err)
			continue
		}
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("ParseTimeOfDay(%q, %v, %v) = %v, %v; want %v, %v", c.in, c.day, c.loc, got, ok, c.want, c.ok)
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("ParseTimeOfDay(%q): location %v, want UTC", c.in, got.Location())
		}
	}
}

func TestParseTimeOfDayErrors(t *testing.T) {
	dushanbe, _ := TimeZoneOf("TJK")
	for _, in := range []string{
		"3", "17", "25:00", "24:00", "12:60", "3:5", "13 pm", "0 am", "3:30 xm", "3:30 a.m. (2230 GMT",
		"3:30 a.m. (2230 GMT) extra", "(2230 GMT) (0330 GMT)", "2230 GMT (0330 UTC)", "3:30 (4:30)", "22:30 UTC+15",
		"22:30 UTC+5:3", "22:30 UTC+", "22:30 EST", "morning", "half past three", "at", "around", "(local)", "local (local)", "22:30:61", "12345", "()",
	} {
		got, ok, err := ParseTimeOfDay(in, day(2019, 11, 6), dushanbe)
		if err == nil {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want an error", in, got, ok)
			continue
		}
		if !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTimeOfDay(%q): %v does not wrap ErrBadTime", in, err)
		}
		if ok || !got.IsZero() {
			t.Errorf("ParseTimeOfDay(%q) returned %v, %v with its error", in, got, ok)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"3:30 a.m. (2230 GMT)", "3:30 a.m.", "03:30", "22:30 GMT", "2230 GMT", "22:30 UTC",
		"0330 UTC+5", "03:30 UTC+05:00", "noon", "midnight", "11 p.m. (0100 GMT)", "21:00 UTC-3"} {
		f.Add(s, int32(18206), true)
	}
	dushanbe, _ := TimeZoneOf("TJK")
	f.Fuzz(func(t *testing.T, s string, d int32, withZone bool) {
		loc := dushanbe
		if !withZone {
			loc = nil
		}
		// keep the day within years 1..9999
		day := schema.Date(int64(d)%2900000 - 719162)
		got, ok, err := ParseTimeOfDay(s, day, loc)
		if err != nil {
			if !errors.Is(err, ErrBadTime) {
				t.Fatalf("ParseTimeOfDay(%q): %v does not wrap ErrBadTime", s, err)
			}
			return
		}
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseTimeOfDay(%q) = %v with ok=false", s, got)
			}
			return
		}
		// the instant lies within a day and a half of the local date: offsets are within ±14 h
		mid := day.Time().Add(12 * time.Hour)
		if diff := got.Sub(mid); diff < -38*time.Hour || diff > 38*time.Hour {
			t.Fatalf("ParseTimeOfDay(%q, %v) = %v: too far from the date", s, day, got)
		}
	})
}

func BenchmarkParseTimeOfDay(b *testing.B) {
	dushanbe, _ := TimeZoneOf("TJK")
	for _, in := range []string{"03:30", "3:30 a.m. (2230 GMT)"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _, _ = ParseTimeOfDay(in, 18206, dushanbe)
			}
		})
	}
}

func ExampleParseTimeOfDay() {
	dushanbe, _ := TimeZoneOf("TJK")
	d := schema.DateOf(2019, time.November, 6)
	t, ok, _ := ParseTimeOfDay("3:30 a.m. (2230 GMT)", d, dushanbe)
	fmt.Println(t.Format(time.RFC3339), ok)
	_, ok, _ = ParseTimeOfDay("3:30 a.m.", d, nil) // local time, zone unknown
	fmt.Println(ok)
	// Output:
	// 2019-11-05T22:30:00Z true
	// false
}
