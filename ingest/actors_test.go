package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

const (
	jas     = "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad" // UCDP's side_b, as the real HDX GED file spells it
	nigeria = "Government of Nigeria"
)

// gedVariants rewrites the real HDX GED Nigeria slice (testdata/real/
// ged-inconsistent) so that some rows spell its two actors another way
// (the spellings are made here; the rows are real): upper case, typographic
// apostrophes and hyphens, modifier-letter apostrophes, a no-break space.
// Data row k (1 is the HXL row) is rewritten when rewrite(k) says so; it
// returns the file and the number of actor values rewritten.
func gedVariants(t *testing.T, rewrite func(k int) bool) (string, int64) {
	t.Helper()
	raw, err := os.ReadFile("../testdata/real/ged-inconsistent/hdx_ged_nigeria_pandas_hxl.csv")
	if err != nil {
		t.Fatal(err)
	}
	variants := []string{
		"JAMA'ATU AHLIS SUNNA LIDDA'AWATI WAL-JIHAD",
		"Jama\u2019atu Ahlis Sunna Lidda\u2019awati wal\u2010Jihad",
		"Jama\u02bcatu Ahlis Sunna Lidda\u02bcawati wal Jihad",
		"jama'atu  ahlis sunna lidda'awati wal\u2013jihad",
	}
	lines := strings.SplitAfter(string(raw), "\n")
	var n int64
	for k := 1; k < len(lines); k++ {
		if !rewrite(k) || !strings.Contains(lines[k], ","+jas+",") {
			continue
		}
		// side_b only: ",<side_b_new_id>,<side_b>," (dyad_name keeps its text)
		lines[k] = strings.Replace(lines[k], ","+jas+",", ","+variants[(k/2)%len(variants)]+",", 1)
		n++
		if k%3 == 0 {
			lines[k] = strings.Replace(lines[k], ","+nigeria+",", ",GOVERNMENT OF\u00a0NIGERIA,", 1)
			n++
		}
	}
	p := filepath.Join(t.TempDir(), "ged_variants.csv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, n
}

// TestActorSpellingsRealGED: the spellings of one actor are written as the
// first one, in every configuration of workers and chunks, and the summary
// counts them.
func TestActorSpellingsRealGED(t *testing.T) {
	p, rewritten := gedVariants(t, func(k int) bool { return k >= 3 && k%2 == 1 })
	if rewritten < 20 {
		t.Fatalf("only %d values rewritten", rewritten)
	}
	var want string
	for _, o := range []Options{{}, {Workers: 1, BatchSize: 1}, {Workers: 4, BatchSize: 7}, {Workers: 3, BatchSize: 2}} {
		rows, sum, _, err := runNormalize(t, []string{p}, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 40 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			if r.Actor1 != nigeria || r.Actor2 != jas {
				t.Fatalf("workers %d batch %d: row %s: actor1 %q actor2 %q, want %q and %q", o.Workers, o.BatchSize, r.IncidentID, r.Actor1, r.Actor2, nigeria, jas)
			}
		}
		if sum.ActorsRespelled != rewritten || sum.ActorSpellings != 5 {
			t.Errorf("summary: %d values respelled (%d spellings), want %d (5)", sum.ActorsRespelled, sum.ActorSpellings, rewritten)
		}
		var b strings.Builder
		sum.WriteText(&b)
		if !strings.Contains(b.String(), "actor names: ") {
			t.Errorf("summary text does not say so:\n%s", b.String())
		}
		if got := rowsJSONL(t, rows); want == "" {
			want = got
		} else if got != want {
			t.Errorf("workers %d batch %d: output differs:\n%s", o.Workers, o.BatchSize, firstDiff(want, got))
		}
	}

	// As spelled, on request.
	rows, sum, _, err := runNormalize(t, []string{p}, Options{KeepActorSpellings: true})
	if err != nil {
		t.Fatal(err)
	}
	spellings := map[string]bool{}
	for _, r := range rows {
		spellings[r.Actor2] = true
	}
	if len(spellings) != 5 || sum.ActorsRespelled != 0 {
		t.Errorf("KeepActorSpellings: %d spellings of actor2 (want 5), %d respelled", len(spellings), sum.ActorsRespelled)
	}
}

// TestActorSpellingsFirstWins: the kept spelling is the first written, even
// when it is the odd one.
func TestActorSpellingsFirstWins(t *testing.T) {
	p, _ := gedVariants(t, func(k int) bool { return k == 2 }) // the first data row after the HXL row
	rows, _, _, err := runNormalize(t, []string{p}, Options{Workers: 2, BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	first := rows[0].Actor2
	if first == jas {
		t.Fatalf("the first row was not rewritten")
	}
	for _, r := range rows {
		if r.Actor2 != first {
			t.Fatalf("row %s: actor2 %q, want the first spelling %q", r.IncidentID, r.Actor2, first)
		}
	}
}

// TestActorSpellingsBudget: past its budget the table takes no new name
// (written as spelled, with a warning) and still merges the names it has.
func TestActorSpellingsBudget(t *testing.T) {
	p, _ := gedVariants(t, func(k int) bool { return k >= 3 })
	budget := 2*actorEntryBytes + 3*len(nigeria) + 1 // room for the first name, not the second
	for _, o := range []Options{{actorBudget: budget}, {actorBudget: budget, Workers: 3, BatchSize: 4}} {
		rows, sum, _, err := runNormalize(t, []string{p}, o)
		if err != nil {
			t.Fatal(err)
		}
		spellings := map[string]bool{}
		for _, r := range rows {
			if r.Actor1 != nigeria {
				t.Fatalf("actor1 %q: the name in the table should still merge", r.Actor1)
			}
			spellings[r.Actor2] = true
		}
		if len(spellings) < 4 {
			t.Errorf("actor2 in %d spellings: a name past the budget should be written as spelled", len(spellings))
		}
		if !strings.Contains(strings.Join(sum.Warnings, "\n"), "actor names: the table of spellings reached its budget") {
			t.Errorf("no warning: %q", sum.Warnings)
		}
	}
}

// TestActorSpellingsAssocDeduped: the real ACLED rows (acled-upper) with an
// ally spelled in capitals beside the same ally: one name in assoc_actors.
func TestActorSpellingsAssocDeduped(t *testing.T) {
	raw, err := os.ReadFile("../testdata/real/acled-upper/hdx_acled_algeria_2001_upper.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 (2229RTA): ALLY_ACTOR_1 "Berber Ethnic Group (Algeria)", ALLY_ACTOR_2 empty.
	const from = "Berber Ethnic Group (Algeria),5,Police Forces of Algeria (1999-),,1,"
	const to = "Berber Ethnic Group (Algeria),5,POLICE FORCES OF ALGERIA (1999\u2013),BERBER ETHNIC GROUP (ALGERIA),1,"
	if strings.Count(string(raw), from) < 1 {
		t.Fatalf("fixture changed: %q not found", from)
	}
	p := filepath.Join(t.TempDir(), "acled_upper_variants.csv")
	os.WriteFile(p, []byte(strings.Replace(string(raw), from, to, 1)), 0o644)
	rows, _, _, err := runNormalize(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got *schema.Incident
	for i := range rows {
		if strings.HasSuffix(rows[i].IncidentID, "2229RTA") {
			got = &rows[i]
		}
	}
	if got == nil {
		t.Fatal("row 2229RTA not written")
	}
	if got.Actor2 != "Police Forces of Algeria (1999-)" {
		t.Errorf("actor2 %q, want the spelling of row 1", got.Actor2)
	}
	if strings.Join(got.AssocActors, ";") != "Berber Ethnic Group (Algeria)" {
		t.Errorf("assoc_actors %q, want the one ally once", got.AssocActors)
	}
}

// TestActorSpellingsReports: reconciled reports take the first written
// spelling too, the same in memory and spilled, and spellings of one actor
// are no disagreement.
func TestActorSpellingsReports(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.jsonl")
	os.WriteFile(p, []byte(`{"incident":"a","source":"AFP","date":"2019-11-06","country":"SOM","actor1":"al-Shabaab","killed":"3"}
{"incident":"a","source":"BBC","date":"2019-11-06","country":"SOM","actor1":"AL SHABAAB","killed":"4"}
{"incident":"b","source":"AFP","date":"2019-11-07","country":"SOM","actor1":"Al\u2010Shabaab","actor2":"Military Forces of Somalia","killed":"1"}
{"incident":"c","source":"AFP","date":"2019-11-08","country":"SOM","actor1":"MILITARY FORCES OF SOMALIA","actor2":"Al Shabaab","claimed_by":"AL-SHABAAB","killed":"2"}
`), 0o644)
	var want string
	for _, o := range []Options{{}, {reportBudget: 1, BatchSize: 1}} {
		rows, sum, _, err := runNormalize(t, []string{p}, o)
		if err != nil || len(rows) != 3 {
			t.Fatalf("%d rows, err %v", len(rows), err)
		}
		for _, r := range rows {
			for _, a := range []string{r.Actor1, r.Actor2, r.ClaimedBy} {
				if a != "" && a != "al-Shabaab" && a != "Military Forces of Somalia" {
					t.Errorf("incident %s: actor %q is not the first spelling", r.IncidentID, a)
				}
			}
			if strings.Contains(r.Notes, "actor1") {
				t.Errorf("incident %s: spellings of one actor noted as a disagreement: %q", r.IncidentID, r.Notes)
			}
		}
		if sum.ActorsRespelled != 4 {
			t.Errorf("%d respelled, want 4", sum.ActorsRespelled)
		}
		if got := rowsJSONL(t, rows); want == "" {
			want = got
		} else if got != want {
			t.Errorf("spilled output differs:\n%s", firstDiff(want, got))
		}
	}
}
