package value

// singleZone lists the IANA zone of each country whose territory keeps one
// civil time (one zone.tab entry, or several that have kept the same
// offsets since the 1990s, as Germany's Busingen and Uzbekistan's
// Samarkand). Countries with several civil times are left out on purpose,
// so TimeZoneOf says ok=false for them: USA, CAN, MEX, BRA, RUS, AUS, IDN,
// KAZ, COD, MNG, CHL, ARG, ECU, ESP, PRT, UKR (Crimea), PNG, KIR, FSM, NZL,
// MYS and GRL.
//
// China is given Asia/Shanghai: one official national time, which local
// reporting in Xinjiang also uses.
var singleZone = map[string]string{
	// Africa
	"DZA": "Africa/Algiers", "AGO": "Africa/Luanda", "BEN": "Africa/Porto-Novo", "BWA": "Africa/Gaborone",
	"BFA": "Africa/Ouagadougou", "BDI": "Africa/Bujumbura", "CMR": "Africa/Douala", "CPV": "Atlantic/Cape_Verde",
	"CAF": "Africa/Bangui", "TCD": "Africa/Ndjamena", "COM": "Indian/Comoro", "COG": "Africa/Brazzaville",
	"CIV": "Africa/Abidjan", "DJI": "Africa/Djibouti", "EGY": "Africa/Cairo", "GNQ": "Africa/Malabo",
	"ERI": "Africa/Asmara", "SWZ": "Africa/Mbabane", "ETH": "Africa/Addis_Ababa", "GAB": "Africa/Libreville",
	"GMB": "Africa/Banjul", "GHA": "Africa/Accra", "GIN": "Africa/Conakry", "GNB": "Africa/Bissau",
	"KEN": "Africa/Nairobi", "LSO": "Africa/Maseru", "LBR": "Africa/Monrovia", "LBY": "Africa/Tripoli",
	"MDG": "Indian/Antananarivo", "MWI": "Africa/Blantyre", "MLI": "Africa/Bamako", "MRT": "Africa/Nouakchott",
	"MUS": "Indian/Mauritius", "MAR": "Africa/Casablanca", "MOZ": "Africa/Maputo", "NAM": "Africa/Windhoek",
	"NER": "Africa/Niamey", "NGA": "Africa/Lagos", "RWA": "Africa/Kigali", "STP": "Africa/Sao_Tome",
	"SEN": "Africa/Dakar", "SYC": "Indian/Mahe", "SLE": "Africa/Freetown", "SOM": "Africa/Mogadishu",
	"ZAF": "Africa/Johannesburg", "SSD": "Africa/Juba", "SDN": "Africa/Khartoum", "TZA": "Africa/Dar_es_Salaam",
	"TGO": "Africa/Lome", "TUN": "Africa/Tunis", "UGA": "Africa/Kampala", "ZMB": "Africa/Lusaka",
	"ZWE": "Africa/Harare", "ESH": "Africa/El_Aaiun", "MYT": "Indian/Mayotte", "REU": "Indian/Reunion",
	// Middle East and Asia
	"AFG": "Asia/Kabul", "ARM": "Asia/Yerevan", "AZE": "Asia/Baku", "BHR": "Asia/Bahrain", "BGD": "Asia/Dhaka",
	"BTN": "Asia/Thimphu", "BRN": "Asia/Brunei", "KHM": "Asia/Phnom_Penh", "CHN": "Asia/Shanghai",
	"CYP": "Asia/Nicosia", "GEO": "Asia/Tbilisi", "HKG": "Asia/Hong_Kong", "IND": "Asia/Kolkata",
	"IRN": "Asia/Tehran", "IRQ": "Asia/Baghdad", "ISR": "Asia/Jerusalem", "JPN": "Asia/Tokyo",
	"JOR": "Asia/Amman", "KWT": "Asia/Kuwait", "KGZ": "Asia/Bishkek", "LAO": "Asia/Vientiane",
	"LBN": "Asia/Beirut", "MAC": "Asia/Macau", "MDV": "Indian/Maldives", "MMR": "Asia/Yangon",
	"NPL": "Asia/Kathmandu", "PRK": "Asia/Pyongyang", "OMN": "Asia/Muscat", "PAK": "Asia/Karachi",
	"PSE": "Asia/Gaza", "PHL": "Asia/Manila", "QAT": "Asia/Qatar", "SAU": "Asia/Riyadh",
	"SGP": "Asia/Singapore", "KOR": "Asia/Seoul", "LKA": "Asia/Colombo", "SYR": "Asia/Damascus",
	"TWN": "Asia/Taipei", "TJK": "Asia/Dushanbe", "THA": "Asia/Bangkok", "TLS": "Asia/Dili",
	"TUR": "Europe/Istanbul", "TKM": "Asia/Ashgabat", "ARE": "Asia/Dubai", "UZB": "Asia/Tashkent",
	"VNM": "Asia/Ho_Chi_Minh", "YEM": "Asia/Aden",
	// Europe
	"ALB": "Europe/Tirane", "AND": "Europe/Andorra", "AUT": "Europe/Vienna", "BLR": "Europe/Minsk",
	"BEL": "Europe/Brussels", "BIH": "Europe/Sarajevo", "BGR": "Europe/Sofia", "HRV": "Europe/Zagreb",
	"CZE": "Europe/Prague", "DNK": "Europe/Copenhagen", "EST": "Europe/Tallinn", "FIN": "Europe/Helsinki",
	"FRA": "Europe/Paris", "DEU": "Europe/Berlin", "GRC": "Europe/Athens", "HUN": "Europe/Budapest",
	"ISL": "Atlantic/Reykjavik", "IRL": "Europe/Dublin", "ITA": "Europe/Rome", "XKX": "Europe/Belgrade",
	"LVA": "Europe/Riga", "LIE": "Europe/Vaduz", "LTU": "Europe/Vilnius", "LUX": "Europe/Luxembourg",
	"MLT": "Europe/Malta", "MDA": "Europe/Chisinau", "MCO": "Europe/Monaco", "MNE": "Europe/Podgorica",
	"NLD": "Europe/Amsterdam", "MKD": "Europe/Skopje", "NOR": "Europe/Oslo", "POL": "Europe/Warsaw",
	"ROU": "Europe/Bucharest", "SMR": "Europe/San_Marino", "SRB": "Europe/Belgrade", "SVK": "Europe/Bratislava",
	"SVN": "Europe/Ljubljana", "SWE": "Europe/Stockholm", "CHE": "Europe/Zurich", "GBR": "Europe/London",
	"VAT": "Europe/Vatican",
	// Americas
	"BLZ": "America/Belize", "BOL": "America/La_Paz", "COL": "America/Bogota", "CRI": "America/Costa_Rica",
	"CUB": "America/Havana", "DOM": "America/Santo_Domingo", "SLV": "America/El_Salvador",
	"GTM": "America/Guatemala", "GUY": "America/Guyana", "HTI": "America/Port-au-Prince",
	"HND": "America/Tegucigalpa", "JAM": "America/Jamaica", "NIC": "America/Managua", "PAN": "America/Panama",
	"PRY": "America/Asuncion", "PER": "America/Lima", "SUR": "America/Paramaribo",
	"TTO": "America/Port_of_Spain", "URY": "America/Montevideo", "VEN": "America/Caracas",
	"BHS": "America/Nassau", "BRB": "America/Barbados", "PRI": "America/Puerto_Rico", "GRD": "America/Grenada",
	"LCA": "America/St_Lucia", "VCT": "America/St_Vincent", "ATG": "America/Antigua", "KNA": "America/St_Kitts",
	"DMA": "America/Dominica", "GUF": "America/Cayenne",
	// Oceania
	"FJI": "Pacific/Fiji", "SLB": "Pacific/Guadalcanal", "VUT": "Pacific/Efate", "WSM": "Pacific/Apia",
	"TON": "Pacific/Tongatapu", "PLW": "Pacific/Palau", "NRU": "Pacific/Nauru", "TUV": "Pacific/Funafuti",
	"NCL": "Pacific/Noumea",
}
