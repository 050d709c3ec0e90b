package synth

import (
	"strconv"
	"strings"
)

// The GDELT 2.0 events layout: 61 tab-separated columns in the codebook's
// order, no header row (GDELT publishes none), as in the
// YYYYMMDDHHMMSS.export.CSV member of each 15-minute zip. Most GDELT
// events are verbal (CAMEO roots 01-13); about a third fall in the roots a
// conflict study keeps (14 protest, 18 assault, 19 fight, 20 mass
// violence), so `normalize`'s default --cameo-roots filters the rest.
// Countries are FIPS 10-4 codes, the way GDELT writes them.
var gdeltLayout = &layout{name: "gdelt", noHeader: true, header: gdeltHeader, rows: gdeltRows}

// gdeltHeader is the codebook's column order (ingest/profile.GDELTColumns2,
// written out again here so that a drift between the two fails
// TestGDELTHeaderAgrees).
var gdeltHeader = strings.Fields(`GLOBALEVENTID SQLDATE MonthYear Year FractionDate
	Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
	Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
	IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone
	Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
	Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
	ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
	DATEADDED SOURCEURL`)

// gdeltFIPS is the FIPS 10-4 code of each country of the tables, by ISO3.
var gdeltFIPS = map[string]string{"TJK": "TI", "AFG": "AF", "PAK": "PK", "IND": "IN", "BGD": "BG", "MMR": "BM",
	"THA": "TH", "PHL": "RP", "SYR": "SY", "IRQ": "IZ", "YEM": "YM", "ISR": "IS", "PSE": "WE", "LBN": "LE",
	"TUR": "TU", "IRN": "IR", "EGY": "EG", "LBY": "LY", "DZA": "AG", "TUN": "TS", "NGA": "NI", "CMR": "CM",
	"NER": "NG", "MLI": "ML", "BFA": "UV", "TCD": "CD", "SDN": "SU", "SSD": "OD", "ETH": "ET", "SOM": "SO",
	"KEN": "KE", "UGA": "UG", "COD": "CG", "CAF": "CT", "BDI": "BY", "MOZ": "MZ", "CIV": "IV", "UKR": "UP",
	"RUS": "RS", "AZE": "AJ", "ARM": "AM", "KGZ": "KG", "MEX": "MX", "COL": "CO", "BRA": "BR", "VEN": "VE",
	"HTI": "HA", "USA": "US", "FRA": "FR", "GBR": "UK"}

var (
	gdeltDates = newDateDist(2015, 2024, nil, func(y int) int { return 10 })
	// CAMEO event codes with rough GDELT shares: verbal roots dominate.
	gdeltCodes = []string{"010", "020", "036", "040", "042", "043", "046", "051", "057", "061", "071", "090",
		"100", "111", "112", "120", "130", "138", "150", "160", "172", "173", "175",
		"140", "141", "143", "145", "1411", "180", "181", "182", "1823", "183", "1831", "186",
		"190", "193", "194", "195", "1951", "196", "200", "202"}
	gdeltCodeWeights = newWeights([]int{30, 20, 25, 60, 25, 20, 15, 15, 10, 10, 8, 8,
		10, 15, 15, 10, 6, 3, 4, 6, 5, 12, 4,
		6, 10, 3, 4, 2, 6, 4, 5, 2, 3, 1, 2,
		10, 6, 3, 3, 1, 1, 1, 1})
	gdeltGeoType = newWeights([]int{8, 20, 0, 0, 60, 12}) // index = ActionGeo_Type 0..5
	gdeltActors  = []string{"POLICE", "MILITARY", "PROTESTER", "REBEL", "MILITANT", "GOVERNMENT", "CIVILIAN",
		"PRESIDENT", "INSURGENT", "SECURITY FORCES", "OPPOSITION", "STUDENT", "ARMED GANG", "SOLDIER"}
	gdeltDomains = []string{"reuters.com", "aljazeera.com", "bbc.co.uk", "apnews.com", "thenationonlineng.net",
		"dawn.com", "kyivindependent.com", "allafrica.com"}
)

func gdeltRows(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64) {
	var nMessy int64
	tab := func() { dst = append(dst, '\t') }
	for i := range count {
		row := first + int64(i)
		c := &countries[countryWeights.draw(r)]
		day := gdeltDates.draw(r)
		date := civilFromDays(day)
		code := gdeltCodes[gdeltCodeWeights.draw(r)]
		fips := gdeltFIPS[c.iso3]
		kind := -1
		if messy > 0 && r.chance(messy) {
			kind = r.intn(3)
			nMessy++
		}
		id := strconv.FormatInt(410000000+row, 10)
		sqldate := date.y*10000 + date.m*100 + date.d
		dst = append(dst, id...)
		tab()
		if kind == 0 { // an impossible day
			dst = strconv.AppendInt(dst, int64(date.y*10000+200+30), 10)
		} else {
			dst = strconv.AppendInt(dst, int64(sqldate), 10)
		}
		tab()
		dst = strconv.AppendInt(dst, int64(date.y*100+date.m), 10)
		tab()
		dst = strconv.AppendInt(dst, int64(date.y), 10)
		tab()
		dst = strconv.AppendFloat(dst, float64(date.y)+float64((date.m-1)*30+date.d)/365, 'f', 4, 64)
		// two actors: code, name, country, 7 blank codes, type
		for a := 0; a < 2; a++ {
			tab()
			if r.chance(0.15) { // no actor
				dst = append(dst, "\t\t\t\t\t\t\t\t\t"...)
				continue
			}
			name := pick(r, gdeltActors)
			dst = append(dst, c.iso3...)
			tab()
			dst = append(dst, name...)
			tab()
			dst = append(dst, c.iso3...)
			dst = append(dst, "\t\t\t\t\t"...) // four blank codes, then Type1Code
			dst = append(dst, name[:3]...)
			dst = append(dst, "\t\t"...)
		}
		tab()
		dst = append(dst, '1') // IsRootEvent
		tab()
		if kind == 1 { // not a CAMEO code
			dst = append(dst, "19x"...)
		} else {
			dst = append(dst, code...)
		}
		tab()
		dst = append(dst, code[:min(3, len(code))]...)
		tab()
		dst = append(dst, code[:2]...)
		root, _ := strconv.Atoi(code[:2])
		quad := 1
		switch {
		case root >= 18:
			quad = 4
		case root >= 14:
			quad = 3
		case root >= 10:
			quad = 3
		case root >= 6:
			quad = 2
		}
		tab()
		dst = strconv.AppendInt(dst, int64(quad), 10)
		tab()
		dst = strconv.AppendFloat(dst, float64(r.intn(201)-100)/10, 'f', 1, 64)
		mentions := 1 + powerLaw(r, 2.5, 400)
		sources := 1 + r.intn(min(mentions, 8))
		articles := sources + r.intn(mentions-sources+1)
		for _, n := range []int{mentions, sources, articles} {
			tab()
			dst = strconv.AppendInt(dst, int64(n), 10)
		}
		tab()
		dst = strconv.AppendFloat(dst, float64(r.intn(2001)-1500)/100, 'f', 2, 64)
		// geo blocks: actor1, actor2 (blank), action
		gt := gdeltGeoType.draw(r)
		if kind == 2 && gt == 0 {
			gt = 4 // the bad country code needs a place to stand in
		}
		place := pick(r, c.places)
		admin1, rest, _ := cut(place, '|')
		_, location, _ := cut(rest, '|')
		dlat, dlon := jitter(uint64(row), 0.5)
		for g := 0; g < 3; g++ {
			tab()
			if g == 1 || gt == 0 {
				dst = append(dst, '0')
				dst = append(dst, "\t\t\t\t\t\t\t"...)
				continue
			}
			dst = strconv.AppendInt(dst, int64(gt), 10)
			tab()
			switch gt {
			case 1:
				dst = append(dst, c.acled...)
			case 5:
				dst = append(dst, admin1...)
				dst = append(dst, ", "...)
				dst = append(dst, c.acled...)
			default:
				dst = append(dst, location...)
				dst = append(dst, ", "...)
				dst = append(dst, admin1...)
				dst = append(dst, ", "...)
				dst = append(dst, c.acled...)
			}
			tab()
			if g == 2 && kind == 2 { // a country code FIPS does not have
				dst = append(dst, "ZZ"...)
			} else {
				dst = append(dst, fips...)
			}
			tab()
			dst = append(dst, fips...)
			dst = append(dst, "01"...)
			tab() // ADM2Code blank
			tab()
			lat, lon := c.lat, c.lon
			if gt != 1 {
				lat, lon = clampLat(c.lat+dlat), clampLon(c.lon+dlon)
			}
			dst = strconv.AppendFloat(dst, lat, 'f', 4, 64)
			tab()
			dst = strconv.AppendFloat(dst, lon, 'f', 4, 64)
			tab()
			dst = strconv.AppendInt(dst, int64(-1000000+r.intn(2000000)), 10)
		}
		tab()
		dst = strconv.AppendInt(dst, int64(sqldate)*1000000+int64(r.intn(24))*10000+int64(15*r.intn(4))*100, 10)
		tab()
		dst = append(dst, "https://"...)
		dst = append(dst, pick(r, gdeltDomains)...)
		dst = append(dst, "/news/"...)
		dst = append(dst, id...)
		dst = append(dst, '\n')
	}
	return dst, nMessy
}
