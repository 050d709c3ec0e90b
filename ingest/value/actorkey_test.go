package value

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestActorKey(t *testing.T) {
	// Spellings of one name, each line: real names (UCDP GED's and ACLED's,
	// as in testdata/real) first, then the ways they are typed or pasted.
	same := [][]string{
		{"Al-Shabaab", "al-Shabaab", "AL-SHABAAB", "Al Shabaab", "AL SHABAAB", "Al\u2010Shabaab", "Al\u2011Shabaab",
			"Al\u2013Shabaab", "Al \u2014 Shabaab", "Al\u2212Shabaab", "  al   shabaab ", "Al\u00a0Shabaab", "Al\uff0dShabaab",
			"\uff21\uff4c-Shabaab", "Al-Sha\u00adbaab", "\ufeffAl-Shabaab", "Al-Shabaab\u200b"},
		{"Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "Jama\u2019atu Ahlis Sunna Lidda\u2019awati wal-Jihad",
			"JAMA'ATU AHLIS SUNNA LIDDA'AWATI WAL-JIHAD", "Jama\u02bcatu Ahlis Sunna Lidda\u02bcawati wal\u2010Jihad",
			"Jama`atu Ahlis Sunna Lidda\u00b4awati wal Jihad", "Jama\u02bfatu Ahlis Sunna Lidda\u02beawati wal-Jihad",
			"Jama\uff07atu Ahlis Sunna Lidda'awati wal-Jihad"},
		{"Military Forces of C\u00f4te d'Ivoire (2011-)", "MILITARY FORCES OF C\u00d4TE D\u2019IVOIRE (2011\u2013)",
			"Military Forces of Co\u0302te d'Ivoire (2011-)"}, // NFD: o + combining circumflex
		{"Stra\u00dfenkampf", "STRASSENKAMPF", "strassenkampf"}, // full case folding
		{"Boko Haram - Wilayat Gharb Ifriqiyyah", "Boko Haram-Wilayat Gharb Ifriqiyyah", "Boko Haram \u2013 Wilayat Gharb Ifriqiyyah"},
		{"\u201cPeople's\u201d Militia", "\"People's\" Militia", "\u201ePeople\u2018s\u201f Militia"},
	}
	for _, names := range same {
		k := ActorKey(names[0])
		for _, n := range names[1:] {
			if got := ActorKey(n); got != k {
				t.Errorf("ActorKey(%q) = %q, want %q (the key of %q)", n, got, k, names[0])
			}
			if !SameActor(n, names[0]) {
				t.Errorf("SameActor(%q, %q) = false", n, names[0])
			}
		}
		if !norm.NFC.IsNormalString(k) {
			t.Errorf("ActorKey(%q) = %q is not NFC", names[0], k)
		}
	}
	// Names that stay apart: other punctuation, accents, transliterations,
	// a word more.
	apart := [][2]string{
		{"Military Forces of C\u00f4te d'Ivoire (2011-)", "Military Forces of Cote d'Ivoire (2011-)"},
		{"Jama'atu Ahlis Sunna", "Jamaatu Ahlis Sunna"},
		{"AMISOM: African Union Mission in Somalia (2007-)", "AMISOM: African Union Mission in Somalia (2007-) (Ethiopia)"},
		{"JeI: Jamaat-e-Islami", "JeI-ICS: Jamaat-e-Islami"},
		{"IS", "ISIS"},
		{"Al-Shabaab", "Alshabaab"},
		{"U.S. Army", "US Army"},
	}
	for _, p := range apart {
		if SameActor(p[0], p[1]) {
			t.Errorf("SameActor(%q, %q) = true, want two names", p[0], p[1])
		}
	}
	for in, want := range map[string]string{
		"":                              "",
		"   ":                           "",
		"-":                             "",
		"Al-Shabaab":                    "al shabaab",
		" CPI-Maoist ":                  "cpi maoist",
		"Donbass People\u2019s Militia": "donbass people's militia",
		"\u2018Ali":                     "'ali",
	} {
		if got := ActorKey(in); got != want {
			t.Errorf("ActorKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActorKeyASCIINoAlloc(t *testing.T) {
	buf := make([]byte, 0, 128)
	n := testing.AllocsPerRun(100, func() {
		buf = AppendActorKey(buf[:0], "Police Forces of Algeria (1999-)")
	})
	if n != 0 {
		t.Errorf("AppendActorKey of an ASCII name: %v allocations, want 0", n)
	}
}

func FuzzActorKey(f *testing.F) {
	for _, s := range []string{"Al-Shabaab", "JAMA\u2019ATU", "Co\u0302te", "\u00df", " a \u00a0 b ", "\ufeff\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := ActorKey(s)
		if k2 := ActorKey(k); k2 != k { // a key is its own key
			t.Errorf("ActorKey(%q) = %q, whose key is %q", s, k, k2)
		}
		if len(k) > 0 && (k[0] == ' ' || k[len(k)-1] == ' ') {
			t.Errorf("ActorKey(%q) = %q has surrounding space", s, k)
		}
	})
}
