package value

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// TestGleditschWardCodes checks the Gleditsch-Ward table (UCDP's
// country_id) against G&W's own list as the R package states carries it
// (../shared/reference/states_pkg_gwstates.csv, not written by us): every
// code in the table is a GW code, and the state the list names there is the
// country the table gives, as the name lookup reads the list's name. The
// Pacific codes once held COW's numbers (946 Kiribati, 970 Nauru) where GW
// has 970 Kiribati, 971 Nauru, 972 Tonga, 973 Tuvalu.
func TestGleditschWardCodes(t *testing.T) {
	f, err := os.Open("../../../shared/reference/states_pkg_gwstates.csv")
	if err != nil {
		t.Fatal(err) // the reference lists sit beside the checkout (CI copies shared/ there)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[int][]string{}
	for _, r := range rows[1:] {
		code, err := strconv.Atoi(r[0])
		if err != nil {
			t.Fatalf("gwstates: %q: %v", r[0], err)
		}
		names[code] = append(names[code], r[2])
	}
	// G&W name these states by their earlier names; the code continues as
	// the country the table gives (UCDP codes Vietnam 816 and Serbia 345
	// after 1976 and 2006).
	continues := map[int]string{816: "VNM", 345: "SRB"}
	checked := 0
	for code, iso3 := range gleditschWard {
		list, ok := names[code]
		if !ok {
			t.Errorf("GW %d -> %s: not a Gleditsch-Ward code", code, iso3)
			continue
		}
		for _, name := range list {
			c, err := LookupCountry(name)
			if err != nil {
				continue // a historical name the lookup does not know: nothing to compare
			}
			checked++
			if c.ISO3 != iso3 && continues[code] != iso3 {
				t.Errorf("GW %d is %q (%s) in G&W's list; the table says %s", code, name, c.ISO3, iso3)
			}
		}
	}
	if checked < len(gleditschWard)*9/10 {
		t.Errorf("only %d of %d codes compared by name", checked, len(gleditschWard))
	}
}
