package synth

import (
	"math"
	"strconv"
)

// appendField appends s as one CSV field, quoted only when it must be
// (a comma, quote, CR or LF inside, or a leading space), as encoding/csv does.
func appendField[T string | []byte](dst []byte, s T) []byte {
	if !needsQuote(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, s[start:i+1]...)
			dst = append(dst, '"')
			start = i + 1
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func needsQuote[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			return true
		}
	}
	return false
}

func appendInt(dst []byte, v int) []byte { return strconv.AppendInt(dst, int64(v), 10) }

// appendFixed appends v with exactly dec decimals (dec <= 6), without
// strconv's float formatting.
func appendFixed(dst []byte, v float64, dec int) []byte {
	scale := pow10[dec]
	n := int64(math.Round(v * float64(scale)))
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	dst = strconv.AppendInt(dst, n/scale, 10)
	if dec == 0 {
		return dst
	}
	dst = append(dst, '.')
	frac := n % scale
	for p := scale / 10; p > 0; p /= 10 {
		dst = append(dst, byte('0'+frac/p%10))
	}
	return dst
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000}

// appendPad appends v with at least width digits, zero-padded (v >= 0).
func appendPad(dst []byte, v, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if i == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

// A civil date; day numbers count days since 1970-01-01.
type civil struct{ y, m, d int }

// civilFromDays is Howard Hinnant's days_from_civil inverse.
func civilFromDays(z int) civil {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return civil{y, m, d}
}

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// weekday of a day number, 0 = Sunday.
func weekday(days int) int { return ((days % 7) + 7 + 4) % 7 }

var (
	monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// appendISO appends 2019-11-06.
func appendISO(dst []byte, c civil) []byte {
	dst = appendPad(dst, c.y, 4)
	dst = append(dst, '-')
	dst = appendPad(dst, c.m, 2)
	dst = append(dst, '-')
	return appendPad(dst, c.d, 2)
}

// appendLong appends "6 November 2019".
func appendLong(dst []byte, c civil) []byte {
	dst = appendInt(dst, c.d)
	dst = append(dst, ' ')
	dst = append(dst, monthNames[c.m]...)
	dst = append(dst, ' ')
	return appendInt(dst, c.y)
}

// dateDist draws days from a range of years, each year weighted.
type dateDist struct {
	years []int
	w     weights
}

func newDateDist(from, to int, skip map[int]bool, weight func(y int) int) dateDist {
	var ys, ws []int
	for y := from; y <= to; y++ {
		if skip[y] {
			continue
		}
		ys = append(ys, y)
		ws = append(ws, weight(y))
	}
	return dateDist{ys, newWeights(ws)}
}

// draw returns a day number.
func (d dateDist) draw(r *rng) int {
	y := d.years[d.w.draw(r)]
	start := daysFromCivil(y, 1, 1)
	end := daysFromCivil(y+1, 1, 1)
	return start + r.intn(end-start)
}

// powerLaw draws from a discrete power law P(k) ~ k^-alpha for k >= 1
// (Clauset, Shalizi and Newman's continuous approximation), capped at max.
func powerLaw(r *rng, alpha float64, max int) int {
	u := r.float()
	x := math.Floor(0.5*math.Pow(1-u, -1/(alpha-1)) + 0.5)
	if x > float64(max) || x < 1 {
		if x < 1 {
			return 1
		}
		return max
	}
	return int(x)
}

// Place names beyond the real ones: villages spelled from syllables, so a
// column has as many distinct values as a real export (tens of thousands).
var syllables = [...]string{"ka", "ma", "lo", "ba", "ri", "ta", "ne", "gu", "so", "di",
	"ra", "we", "zu", "fa", "ho", "ni", "ye", "mo", "sa", "li", "ko", "bu", "de", "na"}

const villageCount = 24 * 24 * 24 * 4

// appendVillage appends the name of village i (0 <= i < villageCount).
func appendVillage(dst []byte, i int) []byte {
	a, b, c, s := i%24, i/24%24, i/576%24, i/13824
	start := len(dst)
	dst = append(dst, syllables[a]...)
	dst = append(dst, syllables[b]...)
	if s != 3 {
		dst = append(dst, syllables[c]...)
	}
	dst[start] -= 'a' - 'A'
	switch s {
	case 1:
		dst = append(dst, " Market"...)
	case 2:
		dst = append(dst, "-Kebir"...)
	}
	return dst
}

// jitter returns a stable offset in degrees (-spread..spread) for key.
func jitter(key uint64, spread float64) (float64, float64) {
	r := rng{s: key * 0x9E3779B97F4A7C15}
	return (r.float()*2 - 1) * spread, (r.float()*2 - 1) * spread
}
