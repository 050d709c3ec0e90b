package synth

// The Global Terrorism Database's 135 columns, in file order (as the CSV
// that researchers save from the distributed spreadsheet).
var gtdHeader = []string{
	"eventid", "iyear", "imonth", "iday", "approxdate", "extended", "resolution", "country",
	"country_txt", "region", "region_txt", "provstate", "city", "latitude", "longitude", "specificity",
	"vicinity", "location", "summary", "crit1", "crit2", "crit3", "doubtterr", "alternative",
	"alternative_txt", "multiple", "success", "suicide", "attacktype1", "attacktype1_txt",
	"attacktype2", "attacktype2_txt", "attacktype3", "attacktype3_txt", "targtype1", "targtype1_txt",
	"targsubtype1", "targsubtype1_txt", "corp1", "target1", "natlty1", "natlty1_txt", "targtype2",
	"targtype2_txt", "targsubtype2", "targsubtype2_txt", "corp2", "target2", "natlty2", "natlty2_txt",
	"targtype3", "targtype3_txt", "targsubtype3", "targsubtype3_txt", "corp3", "target3", "natlty3",
	"natlty3_txt", "gname", "gsubname", "gname2", "gsubname2", "gname3", "gsubname3", "motive",
	"guncertain1", "guncertain2", "guncertain3", "individual", "nperps", "nperpcap", "claimed",
	"claimmode", "claimmode_txt", "claim2", "claimmode2", "claimmode2_txt", "claim3", "claimmode3",
	"claimmode3_txt", "compclaim", "weaptype1", "weaptype1_txt", "weapsubtype1", "weapsubtype1_txt",
	"weaptype2", "weaptype2_txt", "weapsubtype2", "weapsubtype2_txt", "weaptype3", "weaptype3_txt",
	"weapsubtype3", "weapsubtype3_txt", "weaptype4", "weaptype4_txt", "weapsubtype4",
	"weapsubtype4_txt", "weapdetail", "nkill", "nkillus", "nkillter", "nwound", "nwoundus", "nwoundte",
	"property", "propextent", "propextent_txt", "propvalue", "propcomment", "ishostkid", "nhostkid",
	"nhostkidus", "nhours", "ndays", "divert", "kidhijcountry", "ransom", "ransomamt", "ransomamtus",
	"ransompaid", "ransompaidus", "ransomnote", "hostkidoutcome", "hostkidoutcome_txt", "nreleased",
	"addnotes", "scite1", "scite2", "scite3", "dbsource", "INT_LOG", "INT_IDEO", "INT_MISC", "INT_ANY",
	"related",
}

var gtdLayout = &layout{name: "gtd", header: gtdHeader, rows: gtdRows}

// Column positions used below.
const (
	gEventID = iota
	gYear
	gMonth
	gDay
	gApprox
	gExtended
	_
	gCountry
	gCountryTxt
	gRegion
	gRegionTxt
	gProvstate
	gCity
	gLat
	gLon
	gSpecificity
	gVicinity
	_
	gSummary
	gCrit1
	gCrit2
	gCrit3
	gDoubt
	_
	_
	gMultiple
	gSuccess
	gSuicide
	gAttack1
	gAttack1Txt
)

const (
	gTarg1       = 34
	gTarg1Txt    = 35
	gCorp1       = 38
	gTarget1     = 39
	gNatlty1     = 40
	gNatlty1Txt  = 41
	gGname       = 58
	gGuncertain1 = 65
	gIndividual  = 68
	gNperps      = 69
	gNperpcap    = 70
	gClaimed     = 71
	gWeap1       = 81
	gWeap1Txt    = 82
	gNkill       = 98
	gNkillus     = 99
	gNkillter    = 100
	gNwound      = 101
	gNwoundus    = 102
	gNwoundte    = 103
	gProperty    = 104
	gIshostkid   = 109
	gScite1      = 126
	gDBSource    = 129
	gIntLog      = 130
	gIntAny      = 133
	gLast        = 134
)

type gtdAttack struct {
	code        int
	name        string
	weapon      int
	weaponName  string
	weight, bad int // weight; bad: share (percent) with deaths
}

var (
	gtdAttacks = []gtdAttack{
		{1, "Assassination", 5, "Firearms", 10, 60},
		{2, "Armed Assault", 5, "Firearms", 24, 60},
		{3, "Bombing/Explosion", 6, "Explosives", 48, 45},
		{4, "Hijacking", 13, "Unknown", 1, 10},
		{5, "Hostage Taking (Barricade Incident)", 5, "Firearms", 1, 40},
		{6, "Hostage Taking (Kidnapping)", 13, "Unknown", 6, 15},
		{7, "Facility/Infrastructure Attack", 8, "Incendiary", 6, 5},
		{8, "Unarmed Assault", 9, "Melee", 1, 20},
		{9, "Unknown", 13, "Unknown", 4, 40},
	}
	gtdAttackW = func() weights {
		w := make([]int, len(gtdAttacks))
		for i, a := range gtdAttacks {
			w[i] = a.weight
		}
		return newWeights(w)
	}()
	gtdTargets = []string{1: "Business", 2: "Government (General)", 3: "Police", 4: "Military",
		6: "Airports & Aircraft", 7: "Government (Diplomatic)", 8: "Educational Institution",
		10: "Journalists & Media", 12: "NGO", 14: "Private Citizens & Property",
		15: "Religious Figures/Institutions", 19: "Transportation", 20: "Unknown", 21: "Utilities"}
	gtdTargetW = newWeights([]int{0, 12, 12, 14, 16, 0, 1, 2, 3, 0, 2, 0, 1, 0, 27, 3, 0, 0, 0, 4, 3, 2})
	gtdSources = []string{"START Primary Collection", "PGIS", "CETIS", "ISVG", "UMD Schmid 2012",
		"CAIN", "Hewitt Project"}
	gtdCorps = []string{"Not Applicable", "Unknown", "Ministry of Interior", "Village council",
		"Civilians", "Police Department", "Army", "Private Company"}
	// The GTD has no 1993: those records were lost before the database
	// was taken over, and the distributed file simply skips the year.
	gtdDates = newDateDist(1970, 2020, map[int]bool{1993: true}, func(y int) int {
		switch {
		case y >= 2012 && y <= 2017:
			return 100
		case y > 2017:
			return 60
		}
		return 10 + (y-1970)/2
	})
	badMonths = []string{"13", "-1", "Nov", "14"}
	gtdYesNo  = []string{"0", "1", "-9"}
)

func gtdRows(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64) {
	var nMessy int64
	var buf []byte
	col := 0
	to := func(k int) {
		for col < k {
			dst = append(dst, ',')
			col++
		}
	}
	for i := range count {
		row := first + int64(i)
		col = 0
		ci := countryWeights.draw(r)
		c := &countries[ci]
		day := gtdDates.draw(r)
		date := civilFromDays(day)
		kind := -1
		if messy > 0 && r.chance(messy) {
			kind = r.intn(3)
			nMessy++
		}
		iday, imonth := date.d, date.m
		switch u := r.intn(1000); {
		case u < 5:
			iday, imonth = 0, 0
		case u < 25:
			iday = 0
		}
		att := gtdAttacks[gtdAttackW.draw(r)]
		targ := gtdTargetW.draw(r)
		known := r.chance(0.45)
		gname := "Unknown"
		if known {
			gname = pick(r, c.groups)
		}
		nkill := 0
		if r.intn(100) < att.bad {
			nkill = powerLaw(r, 2.2, 1500)
		}
		nkillBlank := r.chance(0.06)
		nkillter := 0
		if nkill > 2 && r.chance(0.15) {
			nkillter = r.intn(nkill/2 + 1)
		}
		nwound := 0
		if r.chance(0.5) {
			nwound = powerLaw(r, 2.0, 5000)
		}

		// eventid: YYYYMMDD and a sequence number unique in the file.
		dst = appendPad(dst, date.y, 4)
		dst = appendPad(dst, imonth, 2)
		dst = appendPad(dst, iday, 2)
		dst = appendPad(dst, int(row%1e9), 4)
		to(gYear)
		dst = appendInt(dst, date.y)
		to(gMonth)
		if kind == 1 {
			dst = append(dst, pick(r, badMonths)...)
		} else {
			dst = appendInt(dst, imonth)
		}
		to(gDay)
		dst = appendInt(dst, iday)
		to(gApprox)
		if iday == 0 {
			buf = append(buf[:0], monthNames[date.m]...)
			buf = append(buf, ' ')
			buf = appendInt(buf, date.d)
			buf = append(buf, ", "...)
			buf = appendInt(buf, date.y)
			dst = appendField(dst, buf)
		}
		to(gExtended)
		dst = append(dst, '0')
		to(gCountry)
		if kind == 0 {
			dst = append(dst, "999,"...)
			col++
			dst = appendField(dst, pick(r, unknownCountries))
		} else {
			dst = appendInt(dst, c.gtdCode)
			to(gCountryTxt)
			dst = appendField(dst, c.gtd)
		}
		to(gRegion)
		dst = appendInt(dst, c.gtdRegion)
		to(gRegionTxt)
		dst = appendField(dst, gtdRegions[c.gtdRegion])
		place := pick(r, c.places)
		admin1, rest, _ := cut(place, '|')
		_, location, _ := cut(rest, '|')
		village := -1
		if r.chance(0.5) {
			village = r.intn(villageCount)
		}
		to(gProvstate)
		dst = appendField(dst, admin1)
		to(gCity)
		buf = buf[:0]
		if village >= 0 {
			buf = appendVillage(buf, village)
		} else {
			buf = append(buf, location...)
		}
		city := len(buf)
		dst = appendField(dst, buf)
		dlat, dlon := jitter(uint64(ci)<<32|uint64(village+1), 2.0)
		if !r.chance(0.03) { // some GTD rows have no coordinates
			to(gLat)
			dst = appendFixed(dst, clampLat(c.lat+dlat), 6)
			to(gLon)
			dst = appendFixed(dst, clampLon(c.lon+dlon), 6)
		}
		to(gSpecificity)
		dst = appendInt(dst, 1+r.intn(5))
		to(gVicinity)
		dst = appendInt(dst, r.intn(2))
		to(gSummary)
		if date.y >= 1998 || r.chance(0.2) {
			buf = buf[:city]
			buf = appendPad(buf, date.m, 2)
			buf = append(buf, '/')
			buf = appendPad(buf, date.d, 2)
			buf = append(buf, '/')
			buf = appendInt(buf, date.y)
			buf = append(buf, ": Assailants carried out an attack ("...)
			buf = append(buf, att.name...)
			buf = append(buf, ") in "...)
			buf = append(buf, buf[:city]...)
			buf = append(buf, " city, "...)
			buf = append(buf, admin1...)
			buf = append(buf, ", "...)
			buf = append(buf, c.gtd...)
			buf = append(buf, ". "...)
			if known {
				buf = append(buf, gname...)
				buf = append(buf, ` claimed responsibility, calling it "revenge".`...)
			} else {
				buf = append(buf, "No group claimed responsibility for the incident."...)
			}
			dst = appendField(dst, buf[city:])
		}
		to(gCrit1)
		dst = append(dst, "1,1,1,"...)
		col += 3
		dst = appendInt(dst, r.intn(2))
		to(gMultiple)
		dst = appendInt(dst, r.intn(2))
		to(gSuccess)
		dst = append(dst, "1,"...)
		col++
		if att.code == 3 && r.chance(0.05) {
			dst = append(dst, '1')
		} else {
			dst = append(dst, '0')
		}
		to(gAttack1)
		dst = appendInt(dst, att.code)
		to(gAttack1Txt)
		dst = appendField(dst, att.name)
		to(gTarg1)
		dst = appendInt(dst, targ)
		to(gTarg1Txt)
		dst = appendField(dst, gtdTargets[targ])
		to(gCorp1)
		dst = appendField(dst, pick(r, gtdCorps))
		to(gTarget1)
		dst = appendField(dst, gtdTargets[targ])
		to(gNatlty1)
		dst = appendInt(dst, c.gtdCode)
		to(gNatlty1Txt)
		dst = appendField(dst, c.gtd)
		to(gGname)
		dst = appendField(dst, gname)
		to(gGuncertain1)
		dst = append(dst, '0')
		to(gIndividual)
		dst = append(dst, '0')
		to(gNperps)
		if r.chance(0.7) {
			dst = append(dst, "-99"...)
		} else {
			dst = appendInt(dst, 1+r.intn(20))
		}
		to(gNperpcap)
		dst = append(dst, '0')
		to(gClaimed)
		if known {
			dst = appendInt(dst, r.intn(2))
		} else if r.chance(0.5) {
			dst = append(dst, "-9"...)
		}
		to(gWeap1)
		dst = appendInt(dst, att.weapon)
		to(gWeap1Txt)
		dst = appendField(dst, att.weaponName)
		to(gNkill)
		switch {
		case kind == 2:
			dst = append(dst, pick(r, gtdBadCounts)...)
		case !nkillBlank:
			dst = appendInt(dst, nkill)
		}
		to(gNkillus)
		dst = append(dst, '0')
		to(gNkillter)
		if !nkillBlank {
			dst = appendInt(dst, nkillter)
		}
		to(gNwound)
		dst = appendInt(dst, nwound)
		to(gNwoundus)
		dst = append(dst, '0')
		to(gNwoundte)
		dst = append(dst, '0')
		to(gProperty)
		dst = append(dst, pick(r, gtdYesNo)...)
		to(gIshostkid)
		if att.code == 6 || att.code == 5 {
			dst = append(dst, '1')
		} else {
			dst = append(dst, '0')
		}
		to(gScite1)
		if date.y >= 1998 {
			buf = append(buf[:0], `"Attack in `...)
			buf = append(buf, c.gtd...)
			buf = append(buf, `," Reuters, `...)
			buf = append(buf, monthNames[date.m]...)
			buf = append(buf, ' ')
			buf = appendInt(buf, date.d)
			buf = append(buf, ", "...)
			buf = appendInt(buf, date.y)
			buf = append(buf, '.')
			dst = appendField(dst, buf)
		}
		to(gDBSource)
		dst = appendField(dst, pick(r, gtdSources))
		for k := gIntLog; k <= gIntAny; k++ {
			to(k)
			dst = append(dst, pick(r, gtdYesNo)...)
		}
		to(gLast)
		dst = append(dst, '\n')
	}
	return dst, nMessy
}
