package value

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/incidentkit/incidents/schema"
)

func day(y int, m time.Month, d int) schema.Date { return schema.DateOf(y, m, d) }

func TestParseDate(t *testing.T) {
	nov6 := day(2019, 11, 6)
	for _, c := range []struct {
		in         string
		order      DateOrder
		start, end schema.Date
		prec       schema.DatePrecision
	}{
		{"2019-11-06", DateOrderNone, nov6, nov6, schema.DateDay},
		{" 2019-11-06 ", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019/11/06", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019-11-6", DateOrderNone, nov6, nov6, schema.DateDay},
		{"20191106", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019-11-06 00:00:00.000", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019-11-06 00:00:00", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019-11-06T22:30:00Z", DateOrderNone, nov6, nov6, schema.DateDay},
		{"2019-11-06T03:30:00+05:00", DateOrderNone, nov6, nov6, schema.DateDay},
		{"November 6, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"november 6 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"NOVEMBER 6, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"6 Nov 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"06 November 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"6 November 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"6-Nov-2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"06-November-2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"Wednesday, November 6, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"Wed, 6 Nov 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"Nov. 6, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"Sept. 30, 2019", DateOrderNone, day(2019, 9, 30), day(2019, 9, 30), schema.DateDay},
		{"6th November 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"the 6th of November, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"November 6th, 2019", DateOrderNone, nov6, nov6, schema.DateDay},
		{"1st May 2020", DateOrderNone, day(2020, 5, 1), day(2020, 5, 1), schema.DateDay},
		{"2019 November 6", DateOrderNone, nov6, nov6, schema.DateDay},
		{"29 February 2020", DateOrderNone, day(2020, 2, 29), day(2020, 2, 29), schema.DateDay},
		{"29 Feb 2000", DateOrderNone, day(2000, 2, 29), day(2000, 2, 29), schema.DateDay},
		// month and year precision
		{"Nov 2019", DateOrderNone, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{"November 2019", DateOrderNone, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{"Nov. 2019", DateOrderNone, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{"2019-11", DateOrderNone, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{"11/2019", DateOrderNone, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{"February 2020", DateOrderNone, day(2020, 2, 1), day(2020, 2, 29), schema.DateMonth},
		{"February 2019", DateOrderNone, day(2019, 2, 1), day(2019, 2, 28), schema.DateMonth},
		{"December 2019", DateOrderNone, day(2019, 12, 1), day(2019, 12, 31), schema.DateMonth},
		{"2019", DateOrderNone, day(2019, 1, 1), day(2019, 12, 31), schema.DateYear},
		{"1970", DateOrderNone, day(1970, 1, 1), day(1970, 12, 31), schema.DateYear},
		// numeric day/month: order needed only when both parts could be a month
		{"06/11/2019", DateOrderDMY, nov6, nov6, schema.DateDay},
		{"11/06/2019", DateOrderMDY, nov6, nov6, schema.DateDay},
		{"6.11.2019", DateOrderDMY, nov6, nov6, schema.DateDay},
		{"06-11-2019", DateOrderDMY, nov6, nov6, schema.DateDay},
		{"25/11/2019", DateOrderNone, day(2019, 11, 25), day(2019, 11, 25), schema.DateDay},
		{"11/25/2019", DateOrderNone, day(2019, 11, 25), day(2019, 11, 25), schema.DateDay},
		{"25/11/2019", DateOrderMDY, day(2019, 11, 25), day(2019, 11, 25), schema.DateDay},
		{"05/05/2019", DateOrderNone, day(2019, 5, 5), day(2019, 5, 5), schema.DateDay},
		// spreadsheet exports with a time part
		{"6/11/2019 00:00", DateOrderDMY, nov6, nov6, schema.DateDay},
		{"11/6/2019 10:30:00 AM", DateOrderMDY, nov6, nov6, schema.DateDay},
		{"25/11/2019 22:30", DateOrderNone, day(2019, 11, 25), day(2019, 11, 25), schema.DateDay},
	} {
		s, e, p, err := ParseDate(c.in, c.order)
		if err != nil {
			t.Errorf("ParseDate(%q, %v): %v", c.in, c.order, err)
			continue
		}
		if s != c.start || e != c.end || p != c.prec {
			t.Errorf("ParseDate(%q, %v) = %v..%v %v, want %v..%v %v", c.in, c.order, s, e, p, c.start, c.end, c.prec)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	for _, c := range []struct {
		in    string
		order DateOrder
		want  error
	}{
		{"06/11/2019", DateOrderNone, ErrAmbiguousDate},
		{"6.11.2019", DateOrderNone, ErrAmbiguousDate},
		{"", DateOrderNone, ErrBadDate},
		{"31 February 2019", DateOrderNone, ErrBadDate},
		{"2019-02-31", DateOrderNone, ErrBadDate},
		{"29 February 2019", DateOrderNone, ErrBadDate},
		{"29 Feb 1900", DateOrderNone, ErrBadDate},
		{"2019-13-01", DateOrderNone, ErrBadDate},
		{"2019-00-10", DateOrderNone, ErrBadDate},
		{"2019-11-00", DateOrderNone, ErrBadDate},
		{"2019-11-06 lunchtime", DateOrderNone, ErrBadDate},
		{"Thursday, November 6, 2019", DateOrderNone, ErrBadDate},
		{"Wednesday, November 2019", DateOrderNone, ErrBadDate},
		{"November 6, 2019 Wednesday", DateOrderNone, ErrBadDate},
		{"32 November 2019", DateOrderNone, ErrBadDate},
		{"November 6", DateOrderNone, ErrBadDate},
		{"6 Nov 19", DateOrderNone, ErrBadDate},
		{"06/11/19", DateOrderDMY, ErrBadDate},
		{"13/13/2019", DateOrderDMY, ErrBadDate},
		{"Nov Dec 2019", DateOrderNone, ErrBadDate},
		{"Smarch 6, 2019", DateOrderNone, ErrBadDate},
		{"yesterday", DateOrderNone, ErrBadDate},
		{"0000", DateOrderNone, ErrBadDate},
		{"201", DateOrderNone, ErrBadDate},
		{"2019-11-06-07", DateOrderNone, ErrBadDate},
		{"2019/11-06", DateOrderNone, ErrBadDate},
		{"6 Nov 2019 - 8 Nov 2019", DateOrderNone, ErrBadDate},
		{"43775", DateOrderNone, ErrBadDate},
		{"6/11/2019 00:00", DateOrderNone, ErrAmbiguousDate},
		{"25/11/2019 lunchtime", DateOrderNone, ErrBadDate},
	} {
		s, e, p, err := ParseDate(c.in, c.order)
		if err == nil {
			t.Errorf("ParseDate(%q, %v) = %v..%v %v, want %v", c.in, c.order, s, e, p, c.want)
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("ParseDate(%q, %v): %v, want %v", c.in, c.order, err, c.want)
		}
		if !contains(err.Error(), fmt.Sprintf("%q", c.in)) {
			t.Errorf("ParseDate(%q): error %q does not quote the text", c.in, err)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestParseDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{"": DateOrderNone, "dmy": DateOrderDMY, "MDY": DateOrderMDY, " dmy ": DateOrderDMY} {
		got, err := ParseDateOrder(in)
		if err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, _ := ParseDateOrder(got.String()); back != got {
			t.Errorf("ParseDateOrder(%v.String()) = %v", got, back)
		}
	}
	for _, in := range []string{"ymd", "d/m/y", "x"} {
		if _, err := ParseDateOrder(in); err == nil {
			t.Errorf("ParseDateOrder(%q): no error", in)
		}
	}
}

func TestDateFromParts(t *testing.T) {
	for _, c := range []struct {
		y, m, d    int
		start, end schema.Date
		prec       schema.DatePrecision
	}{
		{2019, 11, 6, day(2019, 11, 6), day(2019, 11, 6), schema.DateDay},
		{2019, 11, 0, day(2019, 11, 1), day(2019, 11, 30), schema.DateMonth},
		{2020, 2, 0, day(2020, 2, 1), day(2020, 2, 29), schema.DateMonth},
		{2019, 0, 0, day(2019, 1, 1), day(2019, 12, 31), schema.DateYear},
		{1970, 1, 1, 0, 0, schema.DateDay},
	} {
		s, e, p, err := DateFromParts(c.y, c.m, c.d)
		if err != nil || s != c.start || e != c.end || p != c.prec {
			t.Errorf("DateFromParts(%d, %d, %d) = %v..%v %v %v, want %v..%v %v", c.y, c.m, c.d, s, e, p, err, c.start, c.end, c.prec)
		}
	}
	for _, c := range [][3]int{{2019, 0, 6}, {2019, 13, 1}, {2019, 2, 29}, {2019, 4, 31}, {0, 1, 1}, {2019, -1, 0}, {2019, 1, -1}, {2019, 1, 32}, {10000, 1, 1}} {
		if _, _, _, err := DateFromParts(c[0], c[1], c[2]); !errors.Is(err, ErrBadDate) {
			t.Errorf("DateFromParts(%d, %d, %d): %v, want ErrBadDate", c[0], c[1], c[2], err)
		}
	}
}

func TestExcelSerialDate(t *testing.T) {
	for _, c := range []struct {
		serial float64
		want   schema.Date
	}{
		// values as Excel displays them
		{1, day(1900, 1, 1)},
		{59, day(1900, 2, 28)},
		{61, day(1900, 3, 1)},
		{25569, day(1970, 1, 1)},
		{43775, day(2019, 11, 6)},
		{43775.9375, day(2019, 11, 6)}, // 22:30
		{2958465, day(9999, 12, 31)},
	} {
		got, err := ExcelSerialDate(c.serial)
		if err != nil || got != c.want {
			t.Errorf("ExcelSerialDate(%v) = %v, %v; want %v", c.serial, got, err, c.want)
		}
	}
	for _, s := range []float64{0, -1, 60, 60.5, 2958466, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := ExcelSerialDate(s); !errors.Is(err, ErrBadDate) {
			t.Errorf("ExcelSerialDate(%v): %v, want ErrBadDate", s, err)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2019-11-06", "November 6, 2019", "6 Nov 2019", "Wednesday, November 6, 2019",
		"Nov. 6, 2019", "Nov 2019", "2019-11", "2019", "2019-11-06 00:00:00.000", "06/11/2019", "25/11/2019",
		"31 February 2019", "the 6th of November, 2019"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, o uint8) {
		order := DateOrder(o % 3)
		start, end, prec, err := ParseDate(s, order)
		if err != nil {
			if !errors.Is(err, ErrBadDate) && !errors.Is(err, ErrAmbiguousDate) {
				t.Fatalf("ParseDate(%q): error %v wraps neither ErrBadDate nor ErrAmbiguousDate", s, err)
			}
			return
		}
		if start > end {
			t.Fatalf("ParseDate(%q) = %v..%v: start after end", s, start, end)
		}
		if prec == schema.DateDay && start != end {
			t.Fatalf("ParseDate(%q) = %v..%v day precision over a span", s, start, end)
		}
		if prec > schema.DateYear {
			t.Fatalf("ParseDate(%q): precision %v", s, prec)
		}
		// the day it reads prints back and reads again to itself
		if prec == schema.DateDay {
			s2, _, _, err := ParseDate(start.String(), DateOrderNone)
			if err != nil || s2 != start {
				t.Fatalf("ParseDate(%q) = %v, which reads back as %v, %v", s, start, s2, err)
			}
		}
	})
}

func BenchmarkParseDate(b *testing.B) {
	for _, in := range []string{"2019-11-06", "2019-11-06 00:00:00.000", "6 November 2019", "Wednesday, November 6, 2019"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				_, _, _, _ = ParseDate(in, DateOrderNone)
			}
		})
	}
}

func ExampleParseDate() {
	for _, s := range []string{"Wednesday, November 6, 2019", "Nov 2019", "2019", "25/11/2019"} {
		start, end, prec, _ := ParseDate(s, DateOrderNone)
		fmt.Println(start, end, prec)
	}
	_, _, _, err := ParseDate("06/11/2019", DateOrderNone)
	fmt.Println(err != nil)
	// Output:
	// 2019-11-06 2019-11-06 day
	// 2019-11-01 2019-11-30 month
	// 2019-01-01 2019-12-31 year
	// 2019-11-25 2019-11-25 day
	// true
}

func TestParseDateNoAllocCommonForms(t *testing.T) {
	for _, in := range []string{"2019-11-06", "2019-11-06 00:00:00.000", "06 November 2019", "6 Nov 2019"} {
		if n := testing.AllocsPerRun(100, func() { _, _, _, _ = ParseDate(in, DateOrderNone) }); n != 0 {
			t.Errorf("ParseDate(%q) allocates %v times", in, n)
		}
	}
}

func TestParseDateHint(t *testing.T) {
	day := func(y int, m time.Month, d int) schema.Date { return schema.DateOf(y, m, d) }
	for _, c := range []struct {
		in   string
		h    DateHint
		want schema.Date
		note DateNote
	}{
		{"9-May-20", DateHint{Year: 2020}, day(2020, 5, 9), NoteTwoDigitYear},
		{"30-Apr-20", DateHint{Year: 2020}, day(2020, 4, 30), NoteTwoDigitYear},
		{"31-12-19", DateHint{Year: 2019}, day(2019, 12, 31), NoteTwoDigitYear},
		{"02-04-04", DateHint{Year: 2004, Order: DateOrderDMY}, day(2004, 4, 2), NoteTwoDigitYear},
		{"07-11-19", DateHint{Year: 2019, Order: DateOrderDMY}, day(2019, 11, 7), NoteTwoDigitYear},
		{"5/9/20", DateHint{Year: 2020, Order: DateOrderMDY}, day(2020, 5, 9), NoteTwoDigitYear},
		{"41712", DateHint{}, day(2014, 3, 14), NoteExcelSerial},
		{"41712", DateHint{Year: 2014}, day(2014, 3, 14), NoteExcelSerial},
		{"41712.75", DateHint{Year: 2014}, day(2014, 3, 14), NoteExcelSerial},
		{"2020-05-09", DateHint{Year: 2020}, day(2020, 5, 9), 0},
		{"9 May 2020", DateHint{Year: 2020}, day(2020, 5, 9), 0},
		{"18/04/2001", DateHint{Year: 2001}, day(2001, 4, 18), 0},
	} {
		got, _, prec, note, err := ParseDateHint(c.in, c.h)
		if err != nil || got != c.want || prec != schema.DateDay || note != c.note {
			t.Errorf("ParseDateHint(%q, %+v) = %s %v note %d, %v; want %s note %d", c.in, c.h, got, prec, note, err, c.want, c.note)
		}
	}
	for _, c := range []struct {
		in   string
		h    DateHint
		want string
	}{
		{"9-May-20", DateHint{}, "no year column"},
		{"9-May-20", DateHint{Year: 2019}, "does not fit the row's year 2019"},
		{"31-12-19", DateHint{}, "no year column"},
		{"07-11-19", DateHint{Year: 2019}, "could be day/month"},
		{"41712", DateHint{Year: 2013}, "not in the row's year 2013"},
		{"99999-01-01", DateHint{}, "year out of range"},
	} {
		_, _, _, _, err := ParseDateHint(c.in, c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseDateHint(%q, %+v): %v, want an error saying %q", c.in, c.h, err, c.want)
		}
	}
	// ParseDate, which has no row to settle anything, still refuses both
	for _, in := range []string{"9-May-20", "31-12-19", "41712"} {
		if _, _, _, err := ParseDate(in, DateOrderDMY); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q): %v, want ErrBadDate", in, err)
		}
	}
	if _, _, _, err := ParseDate("99999-01-01", DateOrderNone); err == nil || strings.Contains(err.Error(), "two-digit") {
		t.Errorf("ParseDate(99999-01-01): %v, want year out of range (issue 11 item 15)", err)
	}
}

func TestDateOrderSniffer(t *testing.T) {
	var sn DateOrderSniffer
	for _, v := range []string{"31-12-19", "07-11-19", "03-07-19", "25-01-2019", "2019-05-06", "6 Nov 2019", "", "x", "12/12/2019"} {
		sn.Observe(v)
	}
	if o, err := sn.Order(); o != DateOrderDMY || err != nil {
		t.Errorf("day-first file: %v, %v; want dmy", o, err)
	}
	if d, m := sn.Evidence(); d != 2 || m != 0 {
		t.Errorf("evidence %d/%d, want 2/0", d, m)
	}
	var us DateOrderSniffer
	for _, v := range []string{"5/9/2020", "5/19/2020 10:30", "12/31/2019"} {
		us.Observe(v)
	}
	if o, err := us.Order(); o != DateOrderMDY || err != nil {
		t.Errorf("month-first file: %v, %v; want mdy", o, err)
	}
	var none DateOrderSniffer
	none.Observe("05/09/2020")
	if o, err := none.Order(); o != DateOrderNone || err != nil {
		t.Errorf("no evidence: %v, %v; want none", o, err)
	}
	sn.Add(&us)
	if _, err := sn.Order(); !errors.Is(err, ErrAmbiguousDate) {
		t.Errorf("mixed orders: %v, want ErrAmbiguousDate", err)
	}
}

func ExampleParseDateHint() {
	for _, s := range []string{"9-May-20", "41712", "2020-05-09"} {
		d, _, _, note, err := ParseDateHint(s, DateHint{Year: 2020})
		if err != nil {
			fmt.Println(s, "error:", err)
			continue
		}
		fmt.Println(s, d, note.Warnings())
	}
	// Output:
	// 9-May-20 2020-05-09 [two-digit year in a date read as the row's year column]
	// 41712 error: unreadable date: "41712": as an Excel serial day 2014-03-14, not in the row's year 2020
	// 2020-05-09 2020-05-09 []
}

// TestTwoDigitYearUsedMatchesSprintf: the hand-written "%04d" search gives
// what strings.Contains(t, fmt.Sprintf("%04d", year)) gave, for years of
// every width and texts that hold the year, part of it, or another year.
func TestTwoDigitYearUsedMatchesSprintf(t *testing.T) {
	texts := []string{"", "19", "2019", "x2019", "20199", "06/11/19", "6 Nov 2019", "0099-01-01", "99", "0007",
		"12345", "-5", "2018-2019", "201", "1/1/0"}
	for _, year := range []int{-5, 0, 7, 99, 100, 201, 1999, 2018, 2019, 9999, 12345} {
		d := schema.DateOf(year, 1, 1)
		for _, text := range texts {
			want := !strings.Contains(text, fmt.Sprintf("%04d", year))
			if got := twoDigitYearUsed(text, d, year); got != want {
				t.Errorf("twoDigitYearUsed(%q, %d) = %v, want %v", text, year, got, want)
			}
			if twoDigitYearUsed(text, d, year+1) {
				t.Errorf("twoDigitYearUsed(%q) true for a date outside the year", text)
			}
		}
	}
}
