package value

// Country tables kept in our code: the standard ISO 3166-1 names and codes
// come from github.com/biter777/countries; here are only the names we
// prefer to its, former states, aliases and dataset spellings, bodies of
// water and the Gleditsch-Ward state list.

// nameOverrides replaces the library's formal or odd names with the short
// names researchers expect and ACLED/UCDP use. We write "Côte d'Ivoire"
// (the ISO and UN short name, which the country itself asks for), not
// "Ivory Coast"; both spellings resolve to CIV.
var nameOverrides = map[string]string{
	"IRN": "Iran",
	"RUS": "Russia",
	"SYR": "Syria",
	"PRK": "North Korea",
	"KOR": "South Korea",
	"LAO": "Laos",
	"LBY": "Libya",
	"MDA": "Moldova",
	"FSM": "Federated States of Micronesia", // "Micronesia" alone is also the region: a reject
	"MKD": "North Macedonia",
	"PSE": "Palestine",
	"TZA": "Tanzania",
	"TWN": "Taiwan",
	"TLS": "Timor-Leste",
	"HKG": "Hong Kong",
	"MAC": "Macau",
	"VAT": "Vatican City",
	"BRN": "Brunei",
	"SWZ": "Eswatini",
	"CIV": "Côte d'Ivoire",
	"COG": "Republic of the Congo",
	"COD": "Democratic Republic of the Congo",
	"VGB": "British Virgin Islands",
	"VIR": "United States Virgin Islands",
	"IMN": "Isle of Man",
	"MAF": "Saint Martin (French part)", // "Saint Martin" alone is the whole island: a reject
	"SXM": "Sint Maarten",
	"WLF": "Wallis and Futuna",
	"SJM": "Svalbard and Jan Mayen",
	"FLK": "Falkland Islands",
	"SGS": "South Georgia and the South Sandwich Islands",
	"BES": "Bonaire, Sint Eustatius and Saba",
	"BOL": "Bolivia",
	"VEN": "Venezuela",
	"CZE": "Czechia",
	"REU": "Réunion",
	"CUW": "Curaçao",
	"ALA": "Åland Islands",
	"BLM": "Saint Barthélemy",
	"CPV": "Cape Verde",
}

// historicCountries are former states with ISO 3166-3 codes that GTD and
// UCDP rows still name. Where a successor has the same extent (Zaire,
// Burma, West Germany, North Yemen) the alias table maps to the successor
// instead.
var historicCountries = []Country{
	{ISO3: "SUN", ISO2: "SU", Name: "Soviet Union", Numeric: 810},
	{ISO3: "DDR", ISO2: "DD", Name: "East Germany", Numeric: 278},
	{ISO3: "CSK", ISO2: "CS", Name: "Czechoslovakia", Numeric: 200},
	{ISO3: "YMD", ISO2: "YD", Name: "South Yemen", Numeric: 720},
	{ISO3: "SCG", ISO2: "", Name: "Serbia and Montenegro", Numeric: 891},
	{ISO3: "VDR", ISO2: "VD", Name: "North Vietnam", Numeric: 0},
	{ISO3: "GEL", ISO2: "" /* GE, now Georgia's */, Name: "Gilbert and Ellice Islands", Numeric: 296},
	{ISO3: "NTZ", ISO2: "NT", Name: "Neutral Zone", Numeric: 536},
	{ISO3: "PCI", ISO2: "PC", Name: "Pacific Islands (Trust Territory)", Numeric: 582},
}

// iso3166Part3 is ISO 3166-3 (formerly used codes, as pycountry's
// iso3166-3.json has it). An entity that dissolved, merged or split keeps
// its own code (a historicCountries entry, successor ""); a renamed one
// resolves to its successor, the country the four-letter code points at
// (BUMM: Burma -> MM).
var iso3166Part3 = []struct{ iso3, name, successor string }{
	{"AFI", "French Afars and Issas", "DJI"},
	{"ANT", "Netherlands Antilles", ""},
	{"ATB", "British Antarctic Territory", "ATA"},
	{"BUR", "Burma, Socialist Republic of the Union of", "MMR"},
	{"BYS", "Byelorussian SSR Soviet Socialist Republic", "BLR"},
	{"CSK", "Czechoslovakia, Czechoslovak Socialist Republic", ""},
	{"SCG", "Serbia and Montenegro", ""},
	{"CTE", "Canton and Enderbury Islands", "KIR"},
	{"DDR", "German Democratic Republic", ""},
	{"DHY", "Dahomey", "BEN"},
	{"ATF", "French Southern and Antarctic Territories", ""},
	{"FXX", "France, Metropolitan", "FRA"},
	{"GEL", "Gilbert and Ellice Islands", ""},
	{"HVO", "Upper Volta, Republic of", "BFA"},
	{"JTN", "Johnston Island", "UMI"},
	{"MID", "Midway Islands", "UMI"},
	{"NHB", "New Hebrides", "VUT"},
	{"ATN", "Dronning Maud Land", "ATA"},
	{"NTZ", "Neutral Zone", ""},
	{"PCI", "Pacific Islands (trust territory)", ""},
	{"PUS", "US Miscellaneous Pacific Islands", "UMI"},
	{"PCZ", "Panama Canal Zone", "PAN"},
	{"RHO", "Southern Rhodesia", "ZWE"},
	{"SKM", "Sikkim", "IND"},
	{"SUN", "USSR, Union of Soviet Socialist Republics", ""},
	{"TMP", "East Timor", "TLS"},
	{"VDR", "Viet-Nam, Democratic Republic of", ""},
	{"WAK", "Wake Island", "UMI"},
	{"YMD", "Yemen, Democratic, People's Democratic Republic of", ""},
	{"YUG", "Yugoslavia, (Socialist) Federal Republic of", ""},
	{"ZAR", "Zaire, Republic of", "COD"},
}

// formerNames are former names of one territory that is one country today
// (colonial names, the union republics of the USSR): they give today's
// code, as countrycode does ("gold coast" GHA, "ukrainian soviet socialist
// republic" UKR). Regions that are part of a state or spread over several
// (Gaul, Mesopotamia, Bohemia, Bessarabia, the Trucial States) are not
// here: they are rejects.
var formerNames = map[string]string{
	"Gold Coast": "GHA", "Basutoland": "LSO", "Bechuanaland": "BWA", "Nyasaland": "MWI",
	"Northern Rhodesia": "ZMB", "Formosa": "TWN", "East Pakistan": "BGD", "British Guiana": "GUY",
	"British Guyana": "GUY", "Dutch Guiana": "SUR", "Dutch Guyana": "SUR", "French Guyana": "GUF",
	"Portuguese Guinea": "GNB", "Belgian Congo": "COD", "Congo Free State": "COD", "French Congo": "COG",
	"British East Africa": "KEN", "East Africa Protectorate": "KEN", "Hellas": "GRC", "Argentine": "ARG",
	"Roumania": "ROU", "Rumania": "ROU", "Tanganyika": "TZA", "Italian Somaliland": "SOM",
	"Portuguese Timor": "TLS", "Spanish Guinea": "GNQ", "French Sudan": "MLI", "Ubangi-Shari": "CAF",
	"Armenian Soviet Socialist Republic": "ARM", "Azerbaijan Soviet Socialist Republic": "AZE",
	"Byelorussian Soviet Socialist Republic": "BLR", "Estonian Soviet Socialist Republic": "EST",
	"Georgian Soviet Socialist Republic": "GEO", "Kazakh Soviet Socialist Republic": "KAZ",
	"Kirghiz Soviet Socialist Republic": "KGZ", "Latvian Soviet Socialist Republic": "LVA",
	"Lithuanian Soviet Socialist Republic": "LTU", "Moldavian Soviet Socialist Republic": "MDA",
	"Moldovian Soviet Socialist Republic": "MDA", "Russian Soviet Federative Socialist Republic": "RUS",
	"Tajik Soviet Socialist Republic": "TJK", "Turkmen Soviet Socialist Republic": "TKM",
	"Ukrainian Soviet Socialist Republic": "UKR", "Uzbek Soviet Socialist Republic": "UZB",
	"Armenian SSR": "ARM", "Azerbaijan SSR": "AZE", "Byelorussian SSR": "BLR", "Estonian SSR": "EST",
	"Georgian SSR": "GEO", "Kazakh SSR": "KAZ", "Kirghiz SSR": "KGZ", "Latvian SSR": "LVA",
	"Lithuanian SSR": "LTU", "Moldavian SSR": "MDA", "Russian SFSR": "RUS", "Tajik SSR": "TJK",
	"Turkmen SSR": "TKM", "Ukrainian SSR": "UKR", "Uzbek SSR": "UZB",
}

// countryAliases maps other names and dataset spellings to ISO3. Keys are
// folded by normCountry, so case, accents and punctuation do not matter.
var countryAliases = map[string]string{
	// common short names and alternative spellings
	"United States of America": "USA", "US": "USA", "U.S.": "USA", "U.S.A.": "USA", "America": "USA",
	"UK": "GBR", "U.K.": "GBR", "Great Britain": "GBR", "Britain": "GBR", "England": "GBR", "Scotland": "GBR",
	"Wales": "GBR", "Northern Ireland": "GBR", "United Kingdom of Great Britain and Northern Ireland": "GBR",
	"Russian Federation": "RUS", "Iran (Islamic Republic of)": "IRN", "Islamic Republic of Iran": "IRN", "Persia": "IRN",
	"Syrian Arab Republic": "SYR", "Lao PDR": "LAO", "Lao People's Democratic Republic": "LAO",
	"Libyan Arab Jamahiriya": "LBY", "Republic of Moldova": "MDA", "Moldova (Republic of)": "MDA",
	"Macedonia": "MKD", "Macedonia, FYR": "MKD", "FYROM": "MKD", "Former Yugoslav Republic of Macedonia": "MKD",
	"Republic of North Macedonia":   "MKD",
	"Tanzania (United Republic of)": "TZA", "United Republic of Tanzania": "TZA",
	"Taiwan (Province of China)": "TWN", "Republic of China": "TWN",
	"East Timor": "TLS", "Timor Leste": "TLS",
	"Swaziland": "SWZ", "Kingdom of Eswatini": "SWZ",
	"Ivory Coast": "CIV", "Cote dIvoire": "CIV",
	"Congo": "COG", "Republic of Congo": "COG", "Congo-Brazzaville": "COG", "Congo, Republic of the": "COG",
	"Congo (Brazzaville)": "COG", "People's Republic of the Congo": "COG", "Congo, Rep.": "COG",
	"DR Congo": "COD", "DRC": "COD", "D.R. Congo": "COD", "Democratic Republic of Congo": "COD",
	"Congo-Kinshasa": "COD", "Congo, Democratic Republic of the": "COD", "Congo (Kinshasa)": "COD",
	"Congo, Dem. Rep.": "COD", "Zaire": "COD", "DR Congo (Zaire)": "COD",
	"Burma": "MMR", "Myanmar (Burma)": "MMR",
	"North Korea": "PRK", "Korea, North": "PRK", "DPRK": "PRK", "Korea, Dem. People's Rep.": "PRK",
	"Democratic People's Republic of Korea": "PRK",
	"South Korea":                           "KOR", "Korea, South": "KOR", "Korea": "KOR", "Republic of Korea": "KOR", "Korea, Rep.": "KOR",
	"Vietnam": "VNM", "Viet Nam": "VNM", "South Vietnam": "VNM", "Vietnam (North Vietnam)": "VNM",
	"Vietnam (South Vietnam)": "VNM",
	"Palestine":               "PSE", "State of Palestine": "PSE", "Palestinian Territories": "PSE", "Palestinian Territory": "PSE",
	"Occupied Palestinian Territory": "PSE", "West Bank": "PSE", "Gaza": "PSE", "Gaza Strip": "PSE",
	"West Bank and Gaza": "PSE", "West Bank and Gaza Strip": "PSE", "Palestinian Territory (Occupied)": "PSE",
	"Brunei Darussalam": "BRN", "Vatican": "VAT", "Holy See": "VAT", "Holy See (Vatican City State)": "VAT",
	"Czech Republic": "CZE", "Slovak Republic": "SVK",
	"Bosnia": "BIH", "Bosnia-Herzegovina": "BIH", "Bosnia and Herzegovina": "BIH", "Bosnia & Herzegovina": "BIH",
	"Kosovo": "XKX", "Republic of Kosovo": "XKX",
	"Turkey": "TUR", "Türkiye": "TUR", "Turkiye": "TUR",
	"Cabo Verde": "CPV", "The Gambia": "GMB", "Gambia, The": "GMB", "The Bahamas": "BHS", "Bahamas, The": "BHS",
	"Micronesia (Federated States of)": "FSM", "Federated States of Micronesia": "FSM",
	"St. Kitts and Nevis": "KNA", "St Kitts and Nevis": "KNA", "Saint Kitts & Nevis": "KNA",
	"St. Lucia": "LCA", "St Lucia": "LCA", "St. Vincent and the Grenadines": "VCT",
	"St Vincent and the Grenadines": "VCT", "St. Helena": "SHN", "St. Barthelemy": "BLM",
	"St. Pierre and Miquelon":      "SPM",
	"Collectivity of Saint Martin": "MAF", "BES Islands": "BES", "Republic of Ireland": "IRL",
	"Republic of Macedonia": "MKD", "Republic of the Union of Myanmar": "MMR", "Chinese Taipei": "TWN",
	"RDC": "COD", "DROC": "COD", "Saint-Martin (French part)": "MAF",
	"Hong Kong SAR": "HKG", "Hong Kong SAR, China": "HKG", "Macao": "MAC", "Macao SAR, China": "MAC",
	"Falkland Islands (Malvinas)": "FLK", "Malvinas": "FLK", "Netherlands Antilles": "ANT",
	"Virgin Islands, U.S.": "VIR", "US Virgin Islands": "VIR", "Virgin Islands, British": "VGB",
	"Curacao": "CUW", "Reunion": "REU", "Aland Islands": "ALA", "Saint Barthelemy": "BLM", "Caribbean Netherlands": "BES",
	"Holland": "NLD", "The Netherlands": "NLD", "UAE": "ARE", "U.A.E.": "ARE", "Emirates": "ARE",
	"KSA": "SAU", "CAR": "CAF", "Central African Rep.": "CAF", "PNG": "PNG",
	"Kyrgyz Republic": "KGZ", "Kirghizia": "KGZ", "Kirgizia": "KGZ", "Tadjikistan": "TJK", "Tajikstan": "TJK",
	"Byelorussia": "BLR", "Belorussia": "BLR", "Ceylon": "LKA", "Siam": "THA", "Kampuchea": "KHM",
	"Dahomey": "BEN", "Upper Volta": "BFA", "Rhodesia": "ZWE", "Southern Rhodesia": "ZWE",
	"Zimbabwe (Rhodesia)": "ZWE", "New Hebrides": "VUT", "British Honduras": "BLZ", "Abyssinia": "ETH",
	"Sri Lanka (Ceylon)": "LKA", "Cambodia (Kampuchea)": "KHM", "Benin (Dahomey)": "BEN",
	"Burkina Faso (Upper Volta)": "BFA", "Madagascar (Malagasy)": "MDG", "Malagasy Republic": "MDG",
	"Yemen (North Yemen)": "YEM", "North Yemen": "YEM", "Yemen Arab Republic": "YEM",
	"South Yemen": "YMD", "People's Democratic Republic of Yemen": "YMD", "Yemen, South": "YMD",
	"Russia (Soviet Union)": "RUS", "Soviet Union": "SUN", "USSR": "SUN", "U.S.S.R.": "SUN",
	"West Germany": "DEU", "West Germany (FRG)": "DEU", "Federal Republic of Germany": "DEU",
	"East Germany": "DDR", "East Germany (GDR)": "DDR", "German Democratic Republic": "DDR",
	"Germany (GDR)": "DDR", "German Federal Republic": "DEU",
	"Czechoslovakia": "CSK", "Yugoslavia": "YUG", "Serbia (Yugoslavia)": "SRB", "Serbia-Montenegro": "SCG",
	"Serbia and Montenegro": "SCG", "Serbia & Montenegro": "SCG", "Federal Republic of Yugoslavia": "SCG",
	"Cambodia": "KHM", "Laos": "LAO", "Libya": "LBY", "Syria": "SYR", "Iran": "IRN", "Russia": "RUS",
	"Bolivia (Plurinational State of)": "BOL", "Venezuela (Bolivarian Republic of)": "VEN",
	"Surinam": "SUR", "Eswatini": "SWZ", "Swaziland (Eswatini)": "SWZ", "eSwatini": "SWZ",
	// explicit "no country" values in the datasets
	"International": "XXX", "International waters": "XXX", "High seas": "XXX", "At sea": "XXX",
	"Unknown": "XXX",
}

// waterNames are seas, gulfs and oceans that ACLED and UCDP put in the
// country column; they resolve to XXX. Names ending in sea/ocean/gulf/
// strait/bay/channel are recognized without a table entry.
var waterNames = []string{
	"Red Sea", "Gulf of Aden", "Mediterranean Sea", "Mediterranean", "Black Sea", "Caspian Sea",
	"Arabian Sea", "Persian Gulf", "Arabian Gulf", "Gulf of Oman", "Gulf of Guinea", "Indian Ocean",
	"Atlantic Ocean", "Pacific Ocean", "Arctic Ocean", "Southern Ocean", "South China Sea",
	"East China Sea", "Sea of Azov", "Sea of Japan", "Baltic Sea", "North Sea", "Aegean Sea",
	"Adriatic Sea", "Ionian Sea", "Caribbean Sea", "Bab el-Mandeb", "Bab-el-Mandeb", "Strait of Hormuz",
	"Lake Chad", "Lake Victoria", "Lake Tanganyika", "Lake Kivu", "Lake Albert",
	"Gulf of Mexico", "Gulf of Thailand", "Bay of Bengal", "Andaman Sea", "Sulu Sea", "Celebes Sea",
}

// gleditschWard maps Gleditsch and Ward (1999) state codes ("A revised
// list of independent states since the Congress of Vienna", the list UCDP
// uses for country_id) to ISO 3166-1 alpha-3. Nineteenth-century states
// with no ISO code (Hanover, Bavaria, the Two Sicilies, Tibet, Zanzibar...)
// are left out: no UCDP or GTD row names them.
var gleditschWard = map[int]string{
	2: "USA", 20: "CAN", 31: "BHS", 40: "CUB", 41: "HTI", 42: "DOM", 51: "JAM", 52: "TTO", 53: "BRB",
	54: "DMA", 55: "GRD", 56: "LCA", 57: "VCT", 58: "ATG", 60: "KNA", 70: "MEX", 80: "BLZ", 90: "GTM",
	91: "HND", 92: "SLV", 93: "NIC", 94: "CRI", 95: "PAN", 100: "COL", 101: "VEN", 110: "GUY", 115: "SUR",
	130: "ECU", 135: "PER", 140: "BRA", 145: "BOL", 150: "PRY", 155: "CHL", 160: "ARG", 165: "URY",
	200: "GBR", 205: "IRL", 210: "NLD", 211: "BEL", 212: "LUX", 220: "FRA", 221: "MCO", 223: "LIE",
	225: "CHE", 230: "ESP", 232: "AND", 235: "PRT",
	255: "DEU", // Germany (Prussia to 1945, unified Germany from 1990)
	260: "DEU", // German Federal Republic (West Germany)
	265: "DDR", // German Democratic Republic (East Germany)
	290: "POL", 305: "AUT", 310: "HUN",
	315: "CSK", // Czechoslovakia
	316: "CZE", 317: "SVK", 325: "ITA", 331: "SMR", 338: "MLT", 339: "ALB",
	340: "SRB", // Serbia
	341: "MNE", 343: "MKD", 344: "HRV",
	345: "SRB", // Yugoslavia / Serbia: UCDP's "Serbia (Yugoslavia)"
	346: "BIH",
	347: "XKX", // Kosovo
	349: "SVN", 350: "GRC", 352: "CYP", 355: "BGR", 359: "MDA", 360: "ROU",
	365: "RUS", // Russia (Soviet Union)
	366: "EST", 367: "LVA", 368: "LTU", 369: "UKR", 370: "BLR", 371: "ARM", 372: "GEO", 373: "AZE",
	375: "FIN", 380: "SWE", 385: "NOR", 390: "DNK", 395: "ISL",
	402: "CPV", 403: "STP", 404: "GNB", 411: "GNQ", 420: "GMB", 432: "MLI", 433: "SEN", 434: "BEN",
	435: "MRT", 436: "NER", 437: "CIV", 438: "GIN", 439: "BFA", 450: "LBR", 451: "SLE", 452: "GHA",
	461: "TGO", 471: "CMR", 475: "NGA", 481: "GAB", 482: "CAF", 483: "TCD", 484: "COG", 490: "COD",
	500: "UGA", 501: "KEN", 510: "TZA", 516: "BDI", 517: "RWA", 520: "SOM", 522: "DJI", 530: "ETH",
	531: "ERI", 540: "AGO", 541: "MOZ", 551: "ZMB", 552: "ZWE", 553: "MWI", 560: "ZAF", 565: "NAM",
	570: "LSO", 571: "BWA", 572: "SWZ", 580: "MDG", 581: "COM", 590: "MUS", 591: "SYC", 600: "MAR",
	615: "DZA", 616: "TUN", 620: "LBY", 625: "SDN", 626: "SSD", 630: "IRN", 640: "TUR", 645: "IRQ",
	651: "EGY", 652: "SYR", 660: "LBN", 663: "JOR", 666: "ISR", 670: "SAU",
	678: "YEM", // Yemen (Arab Republic of Yemen to 1990, unified Yemen after)
	680: "YMD", // Yemen, People's Republic (South Yemen)
	690: "KWT", 692: "BHR", 694: "QAT", 696: "ARE", 698: "OMN", 700: "AFG", 701: "TKM", 702: "TJK",
	703: "KGZ", 704: "UZB", 705: "KAZ", 710: "CHN", 712: "MNG", 713: "TWN", 731: "PRK", 732: "KOR",
	740: "JPN", 750: "IND", 760: "BTN", 770: "PAK", 771: "BGD", 775: "MMR", 780: "LKA", 781: "MDV",
	790: "NPL", 800: "THA", 811: "KHM", 812: "LAO",
	816: "VNM", // Vietnam, Democratic Republic (North Vietnam, unified Vietnam after 1976)
	817: "VNM", // Vietnam, Republic of (South Vietnam)
	820: "MYS", 830: "SGP", 835: "BRN", 840: "PHL", 850: "IDN", 860: "TLS", 900: "AUS", 910: "PNG",
	920: "NZL", 935: "VUT", 940: "SLB", 950: "FJI",
	970: "KIR", 971: "NRU", 972: "TON", 973: "TUV", // GW's Pacific codes (COW's are 946, 970, 955, 947)
	983: "MHL", 986: "PLW", 987: "FSM", 990: "WSM",
}
