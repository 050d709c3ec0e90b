package value

import (
	"fmt"
	"strings"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// clock is one time-of-day figure read from text, with its zone when the
// text names one.
type clock struct {
	sec    int  // seconds after midnight
	zoned  bool // the text gives UTC/GMT or a UTC offset
	offset int  // seconds east of UTC when zoned
	utc    bool // the zone is UTC/GMT itself (no offset): its date may differ from the local one
}

// ParseTimeOfDay reads a time of day on the local date day at a place whose
// time zone is loc (nil when unknown) and returns the UTC instant. It reads
//
//	3:30 a.m., 3:30am, 3 pm, 03:30, 0330, 03:30:15, 15h30, noon, midnight   local time
//	22:30 GMT, 2230 GMT, 22:30 UTC, 22:30Z                                   UTC
//	0330 UTC+5, 03:30 UTC+05:00, 03:30 GMT-3, 03:30 +05:00                   a stated offset
//	3:30 a.m. (2230 GMT)                                                      both: the zoned figure wins
//
// "midnight" is 00:00 at the start of day. A bare UTC figure is placed on
// the UTC date that makes its local date day when loc is known ("3:30 a.m.
// local, 2230 GMT" on 2019-11-06 in Asia/Dushanbe is 2019-11-05T22:30Z);
// beside a local figure, on the UTC date nearest the local clock; alone
// with loc nil, on day itself.
//
// ok is false, with a nil error, when the text is a local time and loc is
// nil (the caller warns), and for empty text. Unreadable text is ErrBadTime.
func ParseTimeOfDay(s string, day schema.Date, loc *time.Location) (t time.Time, ok bool, err error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return time.Time{}, false, nil
	}
	low := strings.ToLower(text)
	// split "3:30 a.m. (2230 GMT)" into the figure and the bracketed one
	var parts []string
	if i := strings.IndexByte(low, '('); i >= 0 {
		j := strings.LastIndexByte(low, ')')
		if j < i || strings.TrimSpace(low[j+1:]) != "" {
			return time.Time{}, false, badTime(s, "unbalanced brackets")
		}
		parts = []string{low[:i], low[i+1 : j]}
	} else if a, b, found := strings.Cut(low, "/"); found {
		parts = []string{a, b} // "3:30 a.m. / 2230 GMT"
	} else {
		parts = []string{low}
	}
	var local, zoned *clock
	for _, p := range parts {
		p = trimClockPrefix(strings.TrimSpace(p))
		if (p == "local" || p == "local time") && len(parts) == 2 {
			continue // "15:45 (local time)"
		}
		if p == "" {
			return time.Time{}, false, badTime(s, "")
		}
		c, err := parseClock(p)
		if err != nil {
			return time.Time{}, false, badTime(s, err.Error())
		}
		if c.zoned {
			if zoned != nil {
				return time.Time{}, false, badTime(s, "two zoned times")
			}
			zoned = &c
		} else {
			if local != nil {
				return time.Time{}, false, badTime(s, "two local times")
			}
			local = &c
		}
	}
	if local == nil && zoned == nil {
		return time.Time{}, false, badTime(s, "no time")
	}
	midnight := day.Time() // day at 00:00 as if UTC
	if zoned != nil {
		if !zoned.utc {
			// a clock in a stated offset, read on the local date
			return midnight.Add(time.Duration(zoned.sec-zoned.offset) * time.Second), true, nil
		}
		u := midnight.Add(time.Duration(zoned.sec) * time.Second)
		switch {
		case local != nil:
			// the UTC date whose time is nearest the local clock: offsets are within ±14 h
			naive := midnight.Add(time.Duration(local.sec) * time.Second)
			best := u
			for _, k := range []int{-1, 1} {
				c := u.AddDate(0, 0, k)
				if absDur(c.Sub(naive)) < absDur(best.Sub(naive)) {
					best = c
				}
			}
			return best, true, nil
		case loc != nil:
			y, m, d := day.Civil()
			for _, k := range []int{0, -1, 1} {
				c := u.AddDate(0, 0, k)
				ly, lm, ld := c.In(loc).Date()
				if ly == y && lm == m && ld == d {
					return c, true, nil
				}
			}
		}
		return u, true, nil
	}
	if loc == nil {
		return time.Time{}, false, nil
	}
	y, m, d := day.Civil()
	return time.Date(y, m, d, 0, 0, local.sec, 0, loc).UTC(), true, nil
}

// clockPrefixes are words before a time that do not change it: "at",
// "around 3:30 a.m.", "shortly after midnight".
var clockPrefixes = []string{"shortly after ", "shortly before ", "just after ", "just before ", "approximately ",
	"approx. ", "approx ", "around ", "about ", "circa ", "ca. ", "c. ", "at ", "~"}

func trimClockPrefix(p string) string {
	for again := true; again; {
		again = false
		for _, w := range clockPrefixes {
			if strings.HasPrefix(p, w) {
				p, again = strings.TrimSpace(p[len(w):]), true
			}
		}
	}
	return p
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func badTime(s, why string) error {
	if why != "" {
		why = ": " + why
	}
	return fmt.Errorf("%w: %q%s", ErrBadTime, s, why)
}

type clockErr string

func (e clockErr) Error() string { return string(e) }

// parseClock reads one lowercased figure: the clock, an optional a.m./p.m.,
// an optional "local"/"hrs" and an optional zone.
func parseClock(p string) (clock, error) {
	var c clock
	p = strings.TrimSpace(p)
	switch p {
	case "noon", "midday", "12 noon":
		return clock{sec: 12 * 3600}, nil
	case "midnight", "12 midnight":
		return clock{}, nil
	}
	i := 0
	readNum := func() (int, int) {
		j := i
		n := 0
		for j < len(p) && p[j] >= '0' && p[j] <= '9' && j-i < 4 {
			n = n*10 + int(p[j]-'0')
			j++
		}
		if j < len(p) && p[j] >= '0' && p[j] <= '9' {
			return -1, 0
		}
		w := j - i
		i = j
		return n, w
	}
	h, hw := readNum()
	if hw == 0 || h < 0 {
		return c, clockErr("no hour")
	}
	m := 0
	var sec int
	full := true // the figure has minutes or an hour marker, not a bare "3"
	switch {
	case hw == 4 || hw == 3:
		// 2230, 930
		h, m = h/100, h%100
	case i < len(p) && (p[i] == ':' || p[i] == '.' || p[i] == 'h') && i+1 < len(p) && p[i+1] >= '0' && p[i+1] <= '9':
		i++
		var mw int
		m, mw = readNum()
		if mw != 2 {
			return c, clockErr("minutes need two digits")
		}
		if i < len(p) && p[i] == ':' {
			i++
			var sw int
			sec, sw = readNum()
			if sw != 2 || sec > 59 {
				return c, clockErr("bad seconds")
			}
			// fractions of a second are dropped
			if i < len(p) && p[i] == '.' {
				i++
				for i < len(p) && p[i] >= '0' && p[i] <= '9' {
					i++
				}
			}
		}
	case i < len(p) && p[i] == 'h':
		i++ // "15h"
	default:
		full = false
	}
	if m > 59 {
		return c, clockErr("minutes above 59")
	}
	rest := strings.TrimSpace(p[i:])
	// a.m. / p.m.
	ampm := ""
	for _, f := range []struct{ text, v string }{
		{"a.m.", "am"}, {"a.m", "am"}, {"am", "am"}, {"a. m.", "am"},
		{"p.m.", "pm"}, {"p.m", "pm"}, {"pm", "pm"}, {"p. m.", "pm"},
	} {
		if strings.HasPrefix(rest, f.text) && (len(rest) == len(f.text) || !isLetter(rest[len(f.text)])) {
			ampm = f.v
			rest = strings.TrimSpace(rest[len(f.text):])
			break
		}
	}
	switch ampm {
	case "am", "pm":
		if h < 1 || h > 12 {
			return c, clockErr("hour out of range for a.m./p.m.")
		}
		if h == 12 {
			h = 0
		}
		if ampm == "pm" {
			h += 12
		}
	default:
		if h > 23 {
			return c, clockErr("hour above 23")
		}
	}
	c.sec = h*3600 + m*60 + sec
	for _, w := range []string{"local time", "local", "hrs", "hours", "hr", "h"} {
		if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isLetter(rest[len(w)])) {
			rest = strings.TrimSpace(rest[len(w):])
			full = full || w != "local time" && w != "local"
			break
		}
	}
	if !full && ampm == "" {
		return c, clockErr("a bare number is not a time")
	}
	if rest == "" {
		return c, nil
	}
	// the zone
	switch {
	case rest == "z" || rest == "zulu":
		c.zoned, c.utc = true, true
		return c, nil
	case strings.HasPrefix(rest, "utc"), strings.HasPrefix(rest, "gmt"):
		rest = strings.TrimSpace(rest[3:])
		c.zoned = true
		if rest == "" {
			c.utc = true
			return c, nil
		}
	case rest[0] == '+' || rest[0] == '-':
		c.zoned = true
	default:
		return c, clockErr("unexpected " + fmt.Sprintf("%q", rest))
	}
	off, err := parseOffset(rest)
	if err != nil {
		return c, err
	}
	c.offset = off
	return c, nil
}

// parseOffset reads +5, +05, +0500, +05:00, -3:30.
func parseOffset(s string) (int, error) {
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return 0, clockErr("bad UTC offset")
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = strings.TrimSpace(s[1:])
	var h, m int
	digits := 0
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	switch {
	case digits == 1 || digits == 2:
		h = atoi(s[:i])
		if i < len(s) {
			if s[i] != ':' || len(s) != i+3 || !isDigits(s[i+1:]) {
				return 0, clockErr("bad UTC offset")
			}
			m = atoi(s[i+1:])
		}
	case digits == 4 && i == len(s):
		h, m = atoi(s[:2]), atoi(s[2:4])
	default:
		return 0, clockErr("bad UTC offset")
	}
	if i < len(s) && digits == 4 {
		return 0, clockErr("bad UTC offset")
	}
	if h > 14 || m > 59 {
		return 0, clockErr("UTC offset out of range")
	}
	return sign * (h*3600 + m*60), nil
}
