package synth

import (
	"math"
	"strconv"
)

// UCDP GED's columns (version 23.1 and later), in file order.
var ucdpHeader = []string{
	"id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
	"conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
	"side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
	"source_article", "source_office", "source_date", "source_headline", "source_original",
	"where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
	"geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
	"date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
	"high", "low", "gwnoa", "gwnob",
}

var ucdpLayout = &layout{name: "ucdp-ged", header: ucdpHeader, rows: ucdpRows}

var (
	ucdpDates     = newDateDist(1989, 2023, nil, func(y int) int { return 20 + (y-1989)*2 })
	ucdpWherePrec = newWeights([]int{0, 55, 20, 8, 9, 3, 4, 1}) // index = where_prec 1..7
	ucdpDatePrec  = newWeights([]int{0, 80, 10, 4, 5, 1})       // index = date_prec 1..5
	ucdpOffices   = []string{"Reuters", "Agence France Presse", "BBC Monitoring", "Xinhua",
		"Associated Press", "Al Jazeera", "UN OCHA", "Human Rights Watch"}
	ucdpOriginals = []string{"security forces", "police", "military spokesman", "local residents",
		"hospital officials", "the group", "witnesses"}
	unknownGW = []string{"999", "0", "xx"}
	ucdpGov   = func() []string {
		g := make([]string, len(countries))
		for i, c := range countries {
			g[i] = "Government of " + c.ucdp
		}
		return g
	}()
)

func ucdpRows(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64) {
	var nMessy int64
	var buf []byte
	for i := range count {
		row := first + int64(i)
		ci := countryWeights.draw(r)
		c := &countries[ci]
		gi := r.intn(len(c.groups))
		group := c.groups[gi]
		tv := 1 + newTypeOfViolence(r)
		day := ucdpDates.draw(r)
		date := civilFromDays(day)
		kind := -1
		if messy > 0 && r.chance(messy) {
			kind = r.intn(3)
			nMessy++
		}

		var sideA, sideB string
		govA := false
		switch tv {
		case 1:
			sideA, sideB, govA = ucdpGov[ci], group, true
		case 2:
			sideA, sideB = group, c.groups[(gi+1)%len(c.groups)]
			if sideA == sideB {
				sideB = "Unidentified militia"
			}
		default:
			if r.chance(0.3) {
				sideA, govA = ucdpGov[ci], true
			} else {
				sideA = group
			}
			sideB = "Civilians"
		}
		conflictID := 200 + ci*10 + gi + tv*1000

		// deaths by side, heavy-tailed, and the range around their sum.
		var da, db, dc, du int
		if r.chance(0.85) {
			total := powerLaw(r, 2.2, 20000)
			switch tv {
			case 3:
				dc = total
			default:
				da = r.intn(total + 1)
				db = total - da
				if r.chance(0.2) {
					du, db = db, 0
				}
			}
		}
		best := da + db + dc + du
		low, high := best, best
		if r.chance(0.3) {
			high = best + best/2 + r.intn(3)
			low = best - best/4
		}
		wp := ucdpWherePrec.draw(r)
		dp := ucdpDatePrec.draw(r)
		end := day
		switch dp {
		case 2:
			end = day + 1 + r.intn(5)
		case 3:
			end = day + 6
		case 4:
			end = day + 29
		case 5:
			end = day + 364
		}
		place := pick(r, c.places)
		admin1, rest, _ := cut(place, '|')
		admin2, location, _ := cut(rest, '|')
		village := -1
		if r.chance(0.6) {
			village = r.intn(villageCount)
		}
		dlat, dlon := jitter(uint64(ci)<<32|uint64(village+1), 2.0)
		lat, lon := clampLat(c.lat+dlat), clampLon(c.lon+dlon)

		dst = strconv.AppendInt(dst, row+1, 10)
		dst = append(dst, ',')
		dst = append(dst, c.iso3...)
		dst = append(dst, '-')
		dst = appendInt(dst, date.y)
		dst = append(dst, '-')
		dst = appendInt(dst, tv)
		dst = append(dst, '-')
		dst = appendInt(dst, conflictID)
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, row%997+1, 10)
		dst = append(dst, ',')
		dst = appendInt(dst, date.y)
		dst = append(dst, ",1,Clear,"...)
		dst = appendInt(dst, tv)
		dst = append(dst, ',')
		dst = appendInt(dst, conflictID)
		dst = append(dst, ',')
		dst = appendInt(dst, conflictID)
		dst = append(dst, ',')
		buf = buf[:0]
		if tv == 1 {
			buf = append(buf, c.ucdp...)
			buf = append(buf, ": Government"...)
		} else {
			buf = append(buf, sideA...)
			buf = append(buf, " - "...)
			buf = append(buf, sideB...)
		}
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		dst = appendInt(dst, conflictID+5000)
		dst = append(dst, ',')
		dst = appendInt(dst, conflictID+5000)
		dst = append(dst, ',')
		buf = append(buf[:0], sideA...)
		buf = append(buf, " - "...)
		buf = append(buf, sideB...)
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		dst = appendInt(dst, 100+ci)
		dst = append(dst, ',')
		dst = appendInt(dst, 100+ci)
		dst = append(dst, ',')
		dst = appendField(dst, sideA)
		dst = append(dst, ',')
		dst = appendInt(dst, 1000+ci*10+gi)
		dst = append(dst, ',')
		dst = appendInt(dst, 1000+ci*10+gi)
		dst = append(dst, ',')
		dst = appendField(dst, sideB)
		dst = append(dst, ',')
		nsrc := 1 + r.intn(4)
		dst = appendInt(dst, nsrc)
		dst = append(dst, ',')
		// source_article: "Office,date,headline" items joined by ';'.
		off := r.intn(len(ucdpOffices))
		buf = buf[:0]
		for k := range nsrc {
			if k > 0 {
				buf = append(buf, ';')
			}
			buf = append(buf, ucdpOffices[(off+k)%len(ucdpOffices)]...)
			buf = append(buf, ',')
			buf = appendISO(buf, civilFromDays(day+k))
			buf = append(buf, `,"Fighting in `...)
			buf = append(buf, admin1...)
			buf = append(buf, `"`...)
		}
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		buf = buf[:0]
		for k := range nsrc {
			if k > 0 {
				buf = append(buf, ';')
			}
			buf = append(buf, ucdpOffices[(off+k)%len(ucdpOffices)]...)
		}
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		buf = buf[:0]
		for k := range nsrc {
			if k > 0 {
				buf = append(buf, ';')
			}
			buf = appendISO(buf, civilFromDays(day+k))
		}
		dst = append(dst, buf...)
		dst = append(dst, ',')
		buf = append(buf[:0], "Clashes in "...)
		buf = append(buf, admin1...)
		buf = append(buf, ", "...)
		buf = appendInt(buf, best)
		buf = append(buf, " dead"...)
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		dst = appendField(dst, pick(r, ucdpOriginals))
		dst = append(dst, ',')
		dst = appendInt(dst, wp)
		dst = append(dst, ',')
		buf = buf[:0]
		if village >= 0 {
			buf = appendVillage(buf, village)
		} else {
			buf = append(buf, location...)
		}
		buf = append(buf, " town"...)
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		buf = append(buf, ", "...)
		buf = append(buf, admin2...)
		buf = append(buf, " district"...)
		if wp == 7 {
			buf = append(buf[:0], "Lake Chad, near the shore"...)
		}
		dst = appendField(dst, buf)
		dst = append(dst, ',')
		dst = appendField(dst, append(append(buf[:0], admin1...), " province"...))
		dst = append(dst, ',')
		dst = appendField(dst, append(append(buf[:0], admin2...), " district"...))
		dst = append(dst, ',')
		dst = appendFixed(dst, lat, 6)
		dst = append(dst, ',')
		dst = appendFixed(dst, lon, 6)
		dst = append(dst, ",POINT ("...)
		dst = appendFixed(dst, lon, 6)
		dst = append(dst, ' ')
		dst = appendFixed(dst, lat, 6)
		dst = append(dst, "),"...)
		dst = appendInt(dst, int(math.Floor((lat+90)*2))*720+int(math.Floor((lon+180)*2))+1)
		dst = append(dst, ',')
		if kind == 0 {
			dst = appendField(dst, pick(r, unknownCountries))
			dst = append(dst, ',')
			dst = append(dst, pick(r, unknownGW)...)
		} else {
			dst = appendField(dst, c.ucdp)
			dst = append(dst, ',')
			dst = appendInt(dst, c.gw)
		}
		dst = append(dst, ',')
		dst = appendField(dst, c.ucdpRegion)
		dst = append(dst, ',')
		dst = appendInt(dst, 1+r.intn(2))
		dst = append(dst, ',')
		dst = appendInt(dst, dp)
		dst = append(dst, ',')
		if kind == 1 {
			dst = append(dst, pick(r, badISODates)...)
		} else {
			dst = appendISO(dst, date)
		}
		dst = append(dst, " 00:00:00.000,"...)
		dst = appendISO(dst, civilFromDays(end))
		dst = append(dst, " 00:00:00.000,"...)
		for _, v := range [...]int{da, db, dc, du} {
			dst = appendInt(dst, v)
			dst = append(dst, ',')
		}
		if kind == 2 {
			dst = append(dst, pick(r, badCounts)...)
		} else {
			dst = appendInt(dst, best)
		}
		dst = append(dst, ',')
		dst = appendInt(dst, high)
		dst = append(dst, ',')
		dst = appendInt(dst, low)
		dst = append(dst, ',')
		if govA {
			dst = appendInt(dst, c.gw)
		}
		dst = append(dst, ",\n"...)
	}
	return dst, nMessy
}

// newTypeOfViolence draws UCDP's type_of_violence minus one:
// state-based 60%, non-state 15%, one-sided 25%.
func newTypeOfViolence(r *rng) int {
	u := r.intn(100)
	switch {
	case u < 60:
		return 0
	case u < 75:
		return 1
	}
	return 2
}
