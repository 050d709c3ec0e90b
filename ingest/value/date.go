package value

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// DateOrder says how to read an ambiguous numeric date such as 06/11/2019.
type DateOrder uint8

// Date orders. DateOrderNone refuses ambiguous dates (ErrAmbiguousDate).
const (
	DateOrderNone DateOrder = iota // refuse 06/11/2019
	DateOrderDMY                   // 06/11/2019 is 6 November 2019
	DateOrderMDY                   // 06/11/2019 is 11 June 2019
)

// String returns "", "dmy" or "mdy", the text ParseDateOrder reads.
func (o DateOrder) String() string {
	switch o {
	case DateOrderDMY:
		return "dmy"
	case DateOrderMDY:
		return "mdy"
	case DateOrderNone:
		return ""
	}
	return fmt.Sprintf("DateOrder(%d)", uint8(o))
}

// ParseDateOrder reads "" (none), "dmy" or "mdy", case-insensitively.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return DateOrderNone, nil
	case "dmy":
		return DateOrderDMY, nil
	case "mdy":
		return DateOrderMDY, nil
	}
	return DateOrderNone, fmt.Errorf("ingest: date order %q is not dmy or mdy", s)
}

const (
	minYear = 1
	maxYear = 9999
)

var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday, "thursday": time.Thursday, "thu": time.Thursday,
	"thur": time.Thursday, "thurs": time.Thursday, "friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

func daysIn(year int, month time.Month) int {
	switch month {
	case time.April, time.June, time.September, time.November:
		return 30
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

func badDate(s, why string) error {
	if why != "" {
		why = ": " + why
	}
	return fmt.Errorf("%w: %q%s", ErrBadDate, s, why)
}

// ParseDate reads a free-form date and returns the span it covers and its
// precision. It reads
//
//	2019-11-06, 2019/11/06, 20191106                 day
//	2019-11-06 00:00:00.000, 2019-11-06T10:00Z       day (UCDP; the time part is ignored)
//	November 6, 2019; Nov. 6, 2019; 6 Nov 2019;
//	6 November 2019; 6th November 2019;
//	Wednesday, November 6, 2019                      day (a weekday that does not fit is an error)
//	Nov 2019, November 2019, 2019-11, 11/2019        month: first..last day
//	2019                                             year: 1 January..31 December
//	06/11/2019, 6.11.2019, 06-11-2019                day, read with order; without an order
//	                                                 ErrAmbiguousDate unless one part is above 12
//
// Impossible dates (31 February) and two-digit years are ErrBadDate.
func ParseDate(s string, order DateOrder) (start, end schema.Date, prec schema.DatePrecision, err error) {
	start, end, prec, _, err = parseDate(s, DateHint{Order: order}, false)
	return start, end, prec, err
}

// DateHint is what a row knows besides its date text.
type DateHint struct {
	// Order says how to read 06/11/2019: given by the user, or learnt
	// from the file's other rows (DateOrderSniffer); DateOrderNone rejects
	// a date no part of which is above 12.
	Order DateOrder
	// Year is the row's own year (ACLED's year column), 0 when it has
	// none. It settles a two-digit year that fits it ("9-May-20" with year
	// 2020) and checks an Excel serial number.
	Year int
}

// DateNote says how ParseDateHint settled a date that ParseDate would
// refuse, so that the caller can count it in the summary.
type DateNote uint8

// Date notes.
const (
	// NoteTwoDigitYear: a two-digit year was read as the row's year.
	NoteTwoDigitYear DateNote = 1 << iota
	// NoteExcelSerial: a number in a text date column was read as an
	// Excel 1900-system serial day ("41712" is 2014-03-14).
	NoteExcelSerial
)

// Warnings words the notes for a run's summary.
func (n DateNote) Warnings() []string {
	var out []string
	if n&NoteTwoDigitYear != 0 {
		out = append(out, "two-digit year in a date read as the row's year column")
	}
	if n&NoteExcelSerial != 0 {
		out = append(out, "number in a text date column read as an Excel 1900 serial day")
	}
	return out
}

// ParseDateHint reads a date as ParseDate does, and also, with what the
// row knows (h):
//
//	9-May-20, 31-12-19, 5/9/20     a two-digit year equal to h.Year's last two
//	                               digits is h.Year (NoteTwoDigitYear); one that
//	                               differs, or no h.Year, is ErrBadDate
//	41712, 41712.5                 a five-digit number is an Excel 1900-system
//	                               serial day (NoteExcelSerial: 2014-03-14), which
//	                               must fall in h.Year when there is one
//
// Callers count each note as a warning: the summary says how many dates
// were settled so.
func ParseDateHint(s string, h DateHint) (start, end schema.Date, prec schema.DatePrecision, note DateNote, err error) {
	return parseDate(s, h, true)
}

func parseDate(s string, h DateHint, serials bool) (start, end schema.Date, prec schema.DatePrecision, note DateNote, err error) {
	t := strings.TrimSpace(s)
	if serials && isSerialText(t) {
		d, err := excelSerialText(s, t, h.Year)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		return d, d, schema.DateDay, NoteExcelSerial, nil
	}
	start, end, prec, err = parseDateText(s, t, h)
	if err == nil && h.Year != 0 && twoDigitYearUsed(t, start, h.Year) {
		note = NoteTwoDigitYear
	}
	return start, end, prec, note, err
}

// isSerialText matches five digits with an optional fraction: "41712",
// "41712.5".
func isSerialText(t string) bool {
	whole, frac, dot := strings.Cut(t, ".")
	return len(whole) == 5 && isDigits(whole) && (!dot || isDigits(frac))
}

func excelSerialText(s, t string, year int) (schema.Date, error) {
	whole, _, _ := strings.Cut(t, ".")
	d, err := ExcelSerialDate(float64(atoi(whole)))
	if err != nil {
		return 0, err
	}
	if y, _, _ := d.Civil(); year != 0 && y != year {
		return 0, badDate(s, fmt.Sprintf("as an Excel serial day %s, not in the row's year %d", d, year))
	}
	return d, nil
}

// twoDigitYearUsed reports whether a date parsed to a year from a two-digit
// field (the text holds no four-digit run equal to the year).
func twoDigitYearUsed(t string, d schema.Date, year int) bool {
	y, _, _ := d.Civil()
	if y != year {
		return false
	}
	if year < 0 || year > 9999 {
		return !strings.Contains(t, fmt.Sprintf("%04d", year))
	}
	// "%04d" without fmt: this runs for every dated row (fmt.Sprintf was 3%
	// of normalize's CPU on 2M ACLED rows)
	four := [4]byte{byte('0' + year/1000), byte('0' + year/100%10), byte('0' + year/10%10), byte('0' + year%10)}
	for i := 0; i+4 <= len(t); i++ {
		if t[i] == four[0] && t[i+1] == four[1] && t[i+2] == four[2] && t[i+3] == four[3] {
			return false
		}
	}
	return true
}

func parseDateText(s, t string, h DateHint) (start, end schema.Date, prec schema.DatePrecision, err error) {
	order := h.Order
	if t == "" {
		return 0, 0, 0, badDate(s, "empty")
	}
	// fast path: ISO 8601 day, the form of most dataset rows
	if len(t) >= 10 && isISODay(t) {
		y, m, d := atoi4(t[0:4]), atoi2(t[5:7]), atoi2(t[8:10])
		if len(t) > 10 && !isTimeSuffix(t[10:]) {
			return 0, 0, 0, badDate(s, "unexpected text after the date")
		}
		return dayOrErr(s, y, time.Month(m), d)
	}
	// a numeric date with a time part, as spreadsheets export them: "6/11/2019 00:00", "11/6/2019 10:30:00 AM"
	if i := strings.IndexByte(t, ' '); i > 0 && isNumericDate(t[:i]) && isTimeSuffix(t[i:]) {
		return numericDate(s, t[:i], order, h.Year)
	}
	// fast path: "06 November 2019", ACLED's export format
	if start, end, prec, ok, err := dayMonthYear(s, t); ok {
		return start, end, prec, err
	}
	toks := dateTokens(t)
	if len(toks) == 0 {
		return 0, 0, 0, badDate(s, "")
	}
	// all-numeric forms
	if len(toks) == 1 && toks[0].num {
		return numericDate(s, toks[0].text, order, h.Year)
	}
	return wordDate(s, toks, h.Year)
}

// dayMonthYear reads "6 Nov 2019" and "06 November 2019" without
// allocating; ok is false for any other shape.
func dayMonthYear(s, t string) (start, end schema.Date, prec schema.DatePrecision, ok bool, err error) {
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i > 2 || i >= len(t) || t[i] != ' ' {
		return 0, 0, 0, false, nil
	}
	j := i + 1
	var buf [16]byte
	n := 0
	for j < len(t) && isLetter(t[j]) {
		if n == len(buf) {
			return 0, 0, 0, false, nil
		}
		buf[n] = t[j] | 0x20
		n++
		j++
	}
	if n == 0 || len(t)-j != 5 || t[j] != ' ' || !isDigits(t[j+1:]) {
		return 0, 0, 0, false, nil
	}
	m, found := monthNames[string(buf[:n])]
	if !found {
		return 0, 0, 0, false, nil
	}
	start, end, prec, err = dayOrErr(s, atoi(t[j+1:]), m, atoi(t[:i]))
	return start, end, prec, true, err
}

func isISODay(t string) bool {
	return isDigits(t[0:4]) && (t[4] == '-' || t[4] == '/') && isDigits(t[5:7]) && t[7] == t[4] && isDigits(t[8:10])
}

// isTimeSuffix accepts what follows the day in UCDP and ISO timestamps:
// " 00:00:00.000", "T10:00:00Z", "T10:00:00+05:00".
func isTimeSuffix(t string) bool {
	if t[0] != ' ' && t[0] != 'T' && t[0] != 't' {
		return false
	}
	t = strings.TrimSpace(t[1:])
	if t == "" {
		return true
	}
	if n := len(t); n > 3 && t[n-3] == ' ' && (t[n-1] == 'm' || t[n-1] == 'M') && strings.ContainsRune("apAP", rune(t[n-2])) {
		t = strings.TrimSpace(t[:n-3]) // 10:30:00 AM
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == ':' || c == '.' || c == '+' || c == '-' || c == 'Z' || c == 'z' || c == ' ') {
			return false
		}
	}
	return t[0] >= '0' && t[0] <= '9'
}

// isNumericDate reports whether t is digits with '-', '/' or '.' between
// them (the shape numericDate reads).
func isNumericDate(t string) bool {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= '0' && c <= '9' || c == '-' || c == '/' || c == '.') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi4(s string) int {
	return int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
}
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func atoi(s string) int {
	if len(s) > 9 {
		return math.MaxInt32
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func dayOrErr(s string, y int, m time.Month, d int) (schema.Date, schema.Date, schema.DatePrecision, error) {
	if y < minYear || y > maxYear {
		return 0, 0, 0, badDate(s, "year out of range")
	}
	if m < 1 || m > 12 {
		return 0, 0, 0, badDate(s, "no such month")
	}
	if d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, badDate(s, "no such day")
	}
	day := schema.DateOf(y, m, d)
	return day, day, schema.DateDay, nil
}

func monthSpan(s string, y int, m time.Month) (schema.Date, schema.Date, schema.DatePrecision, error) {
	if y < minYear || y > maxYear {
		return 0, 0, 0, badDate(s, "year out of range")
	}
	if m < 1 || m > 12 {
		return 0, 0, 0, badDate(s, "no such month")
	}
	return schema.DateOf(y, m, 1), schema.DateOf(y, m, daysIn(y, m)), schema.DateMonth, nil
}

func yearSpan(s string, y int) (schema.Date, schema.Date, schema.DatePrecision, error) {
	if y < minYear || y > maxYear {
		return 0, 0, 0, badDate(s, "year out of range")
	}
	return schema.DateOf(y, 1, 1), schema.DateOf(y, 12, 31), schema.DateYear, nil
}

// numericDate reads one token of digits and separators: 2019, 2019-11,
// 20191106, 06/11/2019, 11/2019, 2019/11/06.
func numericDate(s, t string, order DateOrder, rowYear int) (schema.Date, schema.Date, schema.DatePrecision, error) {
	var parts []string
	var sep byte
	start := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if sep != 0 && c != sep {
			return 0, 0, 0, badDate(s, "mixed separators")
		}
		sep = c
		parts = append(parts, t[start:i])
		start = i + 1
	}
	parts = append(parts, t[start:])
	for _, p := range parts {
		if p == "" {
			return 0, 0, 0, badDate(s, "")
		}
	}
	switch len(parts) {
	case 1:
		switch len(t) {
		case 4:
			return yearSpan(s, atoi(t))
		case 8:
			return dayOrErr(s, atoi(t[0:4]), time.Month(atoi(t[4:6])), atoi(t[6:8]))
		}
		return 0, 0, 0, badDate(s, "")
	case 2:
		a, b := parts[0], parts[1]
		switch {
		case len(a) == 4 && len(b) <= 2:
			return monthSpan(s, atoi(a), time.Month(atoi(b)))
		case len(b) == 4 && len(a) <= 2:
			return monthSpan(s, atoi(b), time.Month(atoi(a)))
		}
		return 0, 0, 0, badDate(s, "")
	case 3:
		a, b, c := parts[0], parts[1], parts[2]
		if len(a) == 4 && len(b) <= 2 && len(c) <= 2 {
			return dayOrErr(s, atoi(a), time.Month(atoi(b)), atoi(c))
		}
		if len(a) > 4 && len(b) <= 2 && len(c) <= 2 {
			return 0, 0, 0, badDate(s, "year out of range (at most 9999)")
		}
		if len(a) > 2 || len(b) > 2 || len(c) != 4 && len(c) != 2 {
			return 0, 0, 0, badDate(s, "")
		}
		x, y, year := atoi(a), atoi(b), atoi(c)
		if len(c) == 2 {
			var err error
			if year, err = settleTwoDigitYear(s, year, rowYear); err != nil {
				return 0, 0, 0, err
			}
		}
		var d, m int
		switch {
		case x == y:
			d, m = x, y
		case x > 12 && y <= 12:
			d, m = x, y
		case y > 12 && x <= 12:
			d, m = y, x
		case x > 12 && y > 12:
			return 0, 0, 0, badDate(s, "neither part is a month")
		case order == DateOrderDMY:
			d, m = x, y
		case order == DateOrderMDY:
			d, m = y, x
		default:
			return 0, 0, 0, fmt.Errorf("%w: %q could be day/month or month/day (give a date order: dmy or mdy)", ErrAmbiguousDate, s)
		}
		return dayOrErr(s, year, time.Month(m), d)
	}
	return 0, 0, 0, badDate(s, "")
}

type dateToken struct {
	text string
	num  bool // digits, possibly with - / . separators
}

// dateTokens splits text into words and numbers, dropping commas, periods
// after words ("Nov."), and ordinal suffixes ("6th").
func dateTokens(t string) []dateToken {
	var toks []dateToken
	i := 0
	for i < len(t) {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(t) && (t[j] >= '0' && t[j] <= '9' || (t[j] == '/' || t[j] == '-' || t[j] == '.') && j+1 < len(t) && t[j+1] >= '0' && t[j+1] <= '9') {
				j++
			}
			toks = append(toks, dateToken{t[i:j], true})
			// ordinal suffix
			if j+2 <= len(t) {
				suf := strings.ToLower(t[j : j+2])
				if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") && (j+2 == len(t) || !isLetter(t[j+2])) {
					j += 2
				}
			}
			i = j
		case isLetter(c):
			j := i
			for j < len(t) && isLetter(t[j]) {
				j++
			}
			toks = append(toks, dateToken{strings.ToLower(t[i:j]), false})
			i = j
		case c == ' ' || c == ',' || c == '.' || c == '\t':
			i++
		case (c == '-' || c == '/') && (i > 0 && isLetter(t[i-1]) || i+1 < len(t) && isLetter(t[i+1])):
			i++ // 6-Nov-2019
		default:
			toks = append(toks, dateToken{t[i : i+1], false})
			i++
		}
	}
	return toks
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// wordDate reads forms with a month name: an optional weekday, the month,
// an optional day and the year, in either order; "of" and "the" are filler.
func wordDate(s string, toks []dateToken, rowYear int) (schema.Date, schema.Date, schema.DatePrecision, error) {
	var (
		month   time.Month
		weekday = time.Weekday(-1)
		nums    []string
	)
	for i, tk := range toks {
		if tk.num {
			if strings.ContainsAny(tk.text, "-/.") {
				return 0, 0, 0, badDate(s, "unexpected "+tk.text)
			}
			nums = append(nums, tk.text)
			continue
		}
		if m, ok := monthNames[tk.text]; ok {
			if month != 0 {
				return 0, 0, 0, badDate(s, "two months")
			}
			month = m
			continue
		}
		if w, ok := weekdayNames[tk.text]; ok {
			if weekday >= 0 || i != 0 {
				return 0, 0, 0, badDate(s, "weekday out of place")
			}
			weekday = w
			continue
		}
		if tk.text == "of" || tk.text == "the" {
			continue
		}
		return 0, 0, 0, badDate(s, "unexpected "+tk.text)
	}
	if month == 0 {
		return 0, 0, 0, badDate(s, "no month")
	}
	var day, year = 0, -1
	switch len(nums) {
	case 1:
		if len(nums[0]) != 4 {
			return 0, 0, 0, badDate(s, "no year")
		}
		if weekday >= 0 {
			return 0, 0, 0, badDate(s, "weekday without a day")
		}
		return monthSpan(s, atoi(nums[0]), month)
	case 2:
		a, b := nums[0], nums[1]
		switch {
		case len(a) <= 2 && len(b) == 4:
			day, year = atoi(a), atoi(b)
		case len(a) == 4 && len(b) <= 2:
			day, year = atoi(b), atoi(a)
		case len(a) <= 2 && len(b) == 2:
			// "9-May-20": Excel's d-mmm-yy, the year last
			var err error
			if year, err = settleTwoDigitYear(s, atoi(b), rowYear); err != nil {
				return 0, 0, 0, err
			}
			day = atoi(a)
		default:
			return 0, 0, 0, badDate(s, "no four-digit year")
		}
	default:
		return 0, 0, 0, badDate(s, "expected a day and a year")
	}
	start, end, prec, err := dayOrErr(s, year, month, day)
	if err != nil {
		return 0, 0, 0, err
	}
	if weekday >= 0 && start.Time().Weekday() != weekday {
		return 0, 0, 0, badDate(s, fmt.Sprintf("%s was a %s", start, start.Time().Weekday()))
	}
	return start, end, prec, nil
}

// settleTwoDigitYear reads the two-digit year yy as the row's year when it
// fits it; there is no other way to know the century.
func settleTwoDigitYear(s string, yy, rowYear int) (int, error) {
	switch {
	case rowYear == 0:
		return 0, badDate(s, "two-digit year (no year column to settle it)")
	case rowYear%100 != yy:
		return 0, badDate(s, fmt.Sprintf("two-digit year %02d does not fit the row's year %d", yy, rowYear))
	}
	return rowYear, nil
}

// DateOrderSniffer learns from a file's numeric dates in which order they
// put day and month. A date with a part above 12 shows it (25/11/2019 is
// day first, 11/25/2019 month first); once a file shows one order and never
// the other, its ambiguous dates (05/09/2019) are read in that order rather
// than rejected one by one. ACLED's old files, for one, wrote 02/01/1997
// day first.
//
// A layout observes the values of a date column (all of them, or a first
// chunk) before reading them, then reads each with DateHint{Order:
// s.Order()}:
//
//	var sn value.DateOrderSniffer
//	for _, v := range dates {
//		sn.Observe(v)
//	}
//	order, err := sn.Order() // DateOrderNone when nothing showed it
//
// A user's --date-order wins over the sniffer. The zero value is ready; it
// is not safe for concurrent use (merge per-worker sniffers with Add).
type DateOrderSniffer struct {
	dayFirst, monthFirst int64
}

// Observe looks at one date text: a numeric day with a part above 12 counts
// for its order; anything else is ignored.
func (sn *DateOrderSniffer) Observe(s string) {
	t := strings.TrimSpace(s)
	if i := strings.IndexByte(t, ' '); i > 0 {
		t = t[:i] // "6/11/2019 00:00"
	}
	var parts [3]string
	n, start := 0, 0
	var sep byte
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i] >= '0' && t[i] <= '9' {
			continue
		}
		if i < len(t) {
			if c := t[i]; c != '/' && c != '-' && c != '.' || sep != 0 && c != sep {
				return
			} else {
				sep = c
			}
		}
		if n == 3 || i == start {
			return
		}
		parts[n] = t[start:i]
		n++
		start = i + 1
	}
	if n != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 2 && len(parts[2]) != 4 {
		return
	}
	a, b := atoi(parts[0]), atoi(parts[1])
	switch {
	case a > 12 && b >= 1 && b <= 12 && a <= 31:
		sn.dayFirst++
	case b > 12 && a >= 1 && a <= 12 && b <= 31:
		sn.monthFirst++
	}
}

// Add merges another sniffer's evidence.
func (sn *DateOrderSniffer) Add(o *DateOrderSniffer) {
	sn.dayFirst += o.dayFirst
	sn.monthFirst += o.monthFirst
}

// Evidence returns the number of dates seen that were day first and month
// first.
func (sn *DateOrderSniffer) Evidence() (dayFirst, monthFirst int64) {
	return sn.dayFirst, sn.monthFirst
}

// Order returns the order the file showed: DateOrderDMY or DateOrderMDY,
// DateOrderNone when no date showed one, and ErrAmbiguousDate when dates
// showed both (the file mixes orders: read nothing by guess).
func (sn *DateOrderSniffer) Order() (DateOrder, error) {
	switch {
	case sn.dayFirst > 0 && sn.monthFirst > 0:
		return DateOrderNone, fmt.Errorf("%w: the file's dates show both orders (%d day first, %d month first)",
			ErrAmbiguousDate, sn.dayFirst, sn.monthFirst)
	case sn.dayFirst > 0:
		return DateOrderDMY, nil
	case sn.monthFirst > 0:
		return DateOrderMDY, nil
	}
	return DateOrderNone, nil
}

// DateFromParts builds the span from numeric parts as the GTD gives them:
// month or day 0 means unknown (day 0 gives the month, month 0 the year).
// A known day in an unknown month, and parts out of range, are ErrBadDate.
func DateFromParts(year, month, day int) (start, end schema.Date, prec schema.DatePrecision, err error) {
	s := fmt.Sprintf("%d-%d-%d", year, month, day)
	if year < minYear || year > maxYear {
		return 0, 0, 0, badDate(s, "year out of range")
	}
	switch {
	case month == 0 && day == 0:
		return yearSpan(s, year)
	case month == 0:
		return 0, 0, 0, badDate(s, "day without a month")
	case month < 0 || month > 12:
		return 0, 0, 0, badDate(s, "no such month")
	case day == 0:
		return monthSpan(s, year, time.Month(month))
	}
	return dayOrErr(s, year, time.Month(month), day)
}

// Excel's 1900 date system counts 1 = 1900-01-01 and keeps Lotus 1-2-3's
// phantom 1900-02-29 as serial 60, so serials from 61 on are one day ahead
// of a plain count from 1899-12-31.
var (
	excelEpoch     = schema.DateOf(1899, 12, 30) // serial 0 for serials >= 61
	excelMaxSerial = float64(schema.DateOf(9999, 12, 31) - excelEpoch)
)

// ExcelSerialDate converts an Excel 1900-system serial day number (as xlsx
// cells store dates) to a Date. A fractional part (the time of day) is
// dropped. Serial 60, Excel's nonexistent 29 February 1900, and serials
// below 1 or beyond 9999-12-31 are ErrBadDate.
func ExcelSerialDate(serial float64) (schema.Date, error) {
	if math.IsNaN(serial) || serial < 1 || serial >= excelMaxSerial+1 {
		return 0, fmt.Errorf("%w: Excel serial %v out of range", ErrBadDate, serial)
	}
	n := int64(math.Floor(serial))
	switch {
	case n == 60:
		return 0, fmt.Errorf("%w: Excel serial 60 is the nonexistent 1900-02-29", ErrBadDate)
	case n < 60:
		return excelEpoch + schema.Date(n+1), nil
	}
	return excelEpoch + schema.Date(n), nil
}
