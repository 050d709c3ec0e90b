package synth

import "strconv"

// The hand-coded reports layout of SCHEMA.md: one row per source report,
// several rows per incident, casualties as the phrases people write.
var reportsHeader = []string{
	"incident", "source", "report_date", "claim", "date", "time", "country", "admin1", "admin2",
	"location", "latitude", "longitude", "event_type", "actor1", "actor2", "claimed_by", "killed",
	"killed_actor1", "killed_actor2", "killed_civilians", "injured", "detained", "notes",
}

var reportsLayout = &layout{name: "reports", header: reportsHeader, rows: reportsRows}

var (
	reportSources = []string{"Reuters", "AFP", "Ministry of Internal Affairs (via AFP)", "Local media",
		"BBC Monitoring", "Human Rights Watch", "Police spokesman", "Al Jazeera", "Associated Press",
		"Hospital officials (via Reuters)"}
	reportEventTypes = [][]string{
		evBattles:    {"armed clash", "clashes", "fighting", "armed attack on border post"},
		evExplosions: {"bombing", "shelling", "air strike"},
		evViolence:   {"attack", "attack on civilians", "abduction"},
		evProtests:   {"protest", "demonstration"},
		evRiots:      {"riot", "mob violence"},
		evStrategic:  {"strategic development", "arrests"},
	}
	reportTimes = []string{"3:30 a.m.", "22:30 GMT", "3:30 a.m. (2230 GMT)", "03:30 UTC+5", "11:15 p.m.",
		"14:05 UTC", "6 a.m."}
	numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
		"nineteen", "twenty"}
	shortMonths    = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	badFreeDates   = []string{"32 Foo 2019", "February 30, 2019", "2019-02-30", "sometime last week", "31/31/2020"}
	badPhrases     = []string{"a great many", "lots", "loads of people", "???", "countless-ish"}
	lowerBounds    = []string{"at least ", "more than ", "over "}
	reportGroupW   = newWeights([]int{50, 35, 15})
	reportDates    = newDateDist(2010, 2024, nil, func(int) int { return 1 })
	reportEventW   = newWeights([]int{25, 20, 25, 15, 10, 5})
	reportCountryW = newWeights([]int{60, 20, 20})
)

// appendPhrase appends a casualty figure k the way a report might word it;
// k < 0 means no figure was given.
func appendPhrase(dst []byte, r *rng, k int) []byte {
	if k < 0 {
		if r.chance(0.3) {
			return append(dst, "unknown"...)
		}
		return dst
	}
	if k == 0 {
		switch r.intn(3) {
		case 0:
			return append(dst, "none"...)
		case 1:
			return append(dst, "no casualties"...)
		}
		return append(dst, '0')
	}
	u := r.intn(100)
	switch {
	case u < 20 && k <= 20:
		w := numberWords[k]
		if r.chance(0.3) {
			dst = append(dst, w[0]-('a'-'A'))
			return append(dst, w[1:]...)
		}
		return append(dst, w...)
	case u < 25 && k == 12:
		return append(dst, "a dozen"...)
	case u < 30 && k >= 3 && k <= 9:
		return append(dst, "several"...)
	case u < 30 && k >= 24 && k <= 99:
		return append(dst, "dozens"...)
	case u < 30 && k >= 200 && k <= 999:
		return append(dst, "hundreds"...)
	case u < 45:
		dst = append(dst, pick(r, lowerBounds)...)
		return appendInt(dst, k)
	case u < 50:
		dst = append(dst, "up to "...)
		return appendInt(dst, k)
	case u < 60:
		dst = appendInt(dst, k)
		if r.chance(0.5) {
			dst = append(dst, '-')
		} else {
			dst = append(dst, " to "...)
		}
		return appendInt(dst, k+1+r.intn(k/3+2))
	}
	if k >= 1000 {
		return appendThousands(dst, k)
	}
	return appendInt(dst, k)
}

// appendThousands appends k with comma thousands separators ("1,000").
func appendThousands(dst []byte, k int) []byte {
	s := strconv.Itoa(k)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, s[i])
	}
	return dst
}

// appendFreeDate appends a date in one of the forms reporters write.
func appendFreeDate(dst []byte, r *rng, day int) []byte {
	c := civilFromDays(day)
	switch u := r.intn(100); {
	case u < 15:
		dst = append(dst, dayNames[weekday(day)]...)
		dst = append(dst, ", "...)
		fallthrough
	case u < 40:
		dst = append(dst, monthNames[c.m]...)
		dst = append(dst, ' ')
		dst = appendInt(dst, c.d)
		dst = append(dst, ", "...)
		return appendInt(dst, c.y)
	case u < 60:
		dst = appendInt(dst, c.d)
		dst = append(dst, ' ')
		dst = append(dst, shortMonths[c.m]...)
		dst = append(dst, ' ')
		return appendInt(dst, c.y)
	case u < 95:
		return appendISO(dst, c)
	case u < 98:
		dst = append(dst, shortMonths[c.m]...)
		dst = append(dst, ' ')
		return appendInt(dst, c.y)
	}
	return appendInt(dst, c.y)
}

func reportsRows(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64) {
	var nMessy int64
	var buf []byte
	for i := 0; i < count; {
		size := min(1+reportGroupW.draw(r), count-i)
		ci := countryWeights.draw(r)
		c := &countries[ci]
		ca := &countryActors[ci]
		day := reportDates.draw(r)
		evi := reportEventW.draw(r)
		place := pick(r, c.places)
		admin1, rest, _ := cut(place, '|')
		admin2, location, _ := cut(rest, '|')
		var actor1, actor2 string
		switch evi {
		case evProtests:
			actor1 = ca.protesters
		case evRiots:
			actor1 = ca.rioters
		default:
			actor1 = pick(r, c.groups)
			actor2 = ca.military
			if evi == evViolence {
				actor2 = ca.civilians
			}
		}
		killed := -1 // the true figure; -1 unknown
		if !r.chance(0.1) {
			killed = 0
			if evi != evProtests && evi != evStrategic && r.chance(0.6) {
				killed = powerLaw(r, 2.2, 30000)
			}
		}
		claimAt := -1
		if size > 1 && actor2 != "" && r.chance(0.3) {
			claimAt = size - 1
		}
		lat, lon := c.lat, c.lon
		dlat, dlon := jitter(uint64(ci)<<32|uint64(len(location))<<16|uint64(len(admin2)), 2.0)
		lat, lon = clampLat(lat+dlat), clampLon(lon+dlon)
		src := r.intn(len(reportSources))

		for k := range size {
			kind := -1
			if messy > 0 && r.chance(messy) {
				kind = r.intn(3)
				nMessy++
			}
			claim := k == claimAt
			// incident key
			for _, b := range []byte(c.iso3) {
				dst = append(dst, b+('a'-'A'))
			}
			dst = append(dst, '-')
			dst = appendISO(dst, civilFromDays(day))
			dst = append(dst, "-r"...)
			dst = strconv.AppendInt(dst, first+int64(i)+1, 10)
			dst = append(dst, ',')
			if claim {
				buf = append(buf[:0], actor1...)
				buf = append(buf, " (statement on Telegram)"...)
				dst = appendField(dst, buf)
			} else {
				dst = appendField(dst, reportSources[(src+k)%len(reportSources)])
			}
			dst = append(dst, ',')
			dst = appendISO(dst, civilFromDays(day+r.intn(3)))
			if claim {
				dst = append(dst, ",true,"...)
			} else {
				dst = append(dst, ",false,"...)
			}
			if kind == 1 {
				dst = appendField(dst, pick(r, badFreeDates))
			} else {
				dst = appendField(dst, appendFreeDate(buf[:0], r, day))
			}
			dst = append(dst, ',')
			if r.chance(0.4) {
				dst = appendField(dst, pick(r, reportTimes))
			}
			dst = append(dst, ',')
			switch {
			case kind == 0:
				dst = appendField(dst, pick(r, unknownCountries))
			default:
				switch reportCountryW.draw(r) {
				case 0:
					dst = appendField(dst, c.acled)
				case 1:
					dst = append(dst, c.iso3...)
				default:
					dst = appendField(dst, c.gtd)
				}
			}
			dst = append(dst, ',')
			if !claim {
				dst = appendField(dst, admin1)
				dst = append(dst, ',')
				dst = appendField(dst, admin2)
			} else {
				dst = append(dst, ',')
			}
			dst = append(dst, ',')
			dst = appendField(dst, location)
			dst = append(dst, ',')
			if !claim && r.chance(0.7) {
				dst = appendFixed(dst, lat, 4)
				dst = append(dst, ',')
				dst = appendFixed(dst, lon, 4)
			} else {
				dst = append(dst, ',')
			}
			dst = append(dst, ',')
			dst = appendField(dst, pick(r, reportEventTypes[evi]))
			dst = append(dst, ',')
			dst = appendField(dst, actor1)
			dst = append(dst, ',')
			dst = appendField(dst, actor2)
			dst = append(dst, ',')
			if claim {
				dst = appendField(dst, actor1)
			}
			dst = append(dst, ',')
			// killed: reports disagree a little; a claim inflates.
			fig := killed
			switch {
			case fig > 0 && claim:
				fig += fig/2 + 1
			case fig > 3 && k > 0:
				fig -= r.intn(fig/4 + 1)
			}
			buf = buf[:0]
			if kind == 2 {
				buf = append(buf, pick(r, badPhrases)...)
			} else if claim && fig > 0 {
				buf = append(buf, "at least "...)
				buf = appendInt(buf, fig)
			} else {
				buf = appendPhrase(buf, r, fig)
			}
			dst = appendField(dst, buf)
			dst = append(dst, ',')
			// a party breakdown, sometimes
			if fig > 1 && !claim && evi <= evViolence && r.chance(0.25) {
				a := r.intn(fig + 1)
				if evi == evViolence {
					dst = append(dst, ",,"...)
					dst = appendInt(dst, fig)
				} else {
					dst = appendInt(dst, a)
					dst = append(dst, ',')
					dst = appendInt(dst, fig-a)
					dst = append(dst, ',')
				}
			} else {
				dst = append(dst, ",,"...)
			}
			dst = append(dst, ',')
			if fig > 0 && r.chance(0.4) {
				dst = appendField(dst, appendPhrase(buf[:0], r, fig+r.intn(2*fig+1)))
			}
			dst = append(dst, ',')
			if evi != evExplosions && r.chance(0.1) {
				dst = appendField(dst, appendPhrase(buf[:0], r, 1+r.intn(12)))
			}
			dst = append(dst, ',')
			buf = append(buf[:0], "According to "...)
			buf = append(buf, reportSources[(src+k)%len(reportSources)]...)
			buf = append(buf, ", the incident took place near "...)
			buf = append(buf, location...)
			buf = append(buf, `; officials called it "a cowardly act".`...)
			dst = appendField(dst, buf)
			dst = append(dst, '\n')
		}
		i += size
	}
	return dst, nMessy
}
