package value

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const actorsYAML = `# actor aliases
Islamic State: [ISIS, IS, ISIL, Daesh, "Islamic State of Iraq and the Levant"]
Taliban:
  - Afghan Taliban
  - Islamic Emirate of Afghanistan
Tehrik-i-Taliban Pakistan: TTP
Al-Shabaab: []
`

func TestActorNames(t *testing.T) {
	a, err := ParseActorNames(strings.NewReader(actorsYAML), "actors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"ISIS":                                  "Islamic State",
		"isis":                                  "Islamic State",
		"  Daesh ":                              "Islamic State",
		"islamic   state":                       "Islamic State",
		"Islamic State":                         "Islamic State",
		"ISLAMIC STATE OF IRAQ AND THE LEVANT":  "Islamic State",
		"Afghan\tTaliban":                       "Taliban",
		"TTP":                                   "Tehrik-i-Taliban Pakistan",
		"al-shabaab":                            "Al-Shabaab",
		"Boko Haram":                            "Boko Haram",
		"  Boko   Haram  ":                      "Boko Haram",
		"Military Forces of Tajikistan (2006-)": "Military Forces of Tajikistan (2006-)",
		"":                                      "",
		"   ":                                   "",
		"ISIS-K":                                "ISIS-K",
	} {
		if got := a.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
	var none *ActorNames
	if got := none.Canonical("  Islamic \n State "); got != "Islamic State" {
		t.Errorf("nil Canonical = %q", got)
	}
	var zero ActorNames
	if got := zero.Canonical(" ISIS "); got != "ISIS" {
		t.Errorf("zero Canonical = %q", got)
	}
}

func TestActorNamesErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"A: [x]\nB: [y, X]\n", `actors.yaml:2: "X" is claimed by "A" (line 1) and "B"`},
		{"A: [x]\nB: [a]\n", `actors.yaml:2: "a" is claimed by "A" (line 1) and "B"`},
		{"A: [x]\nx: [y]\n", `actors.yaml:2: "x" is claimed by "A" (line 1) and "x"`},
		{"- a\n- b\n", "actors.yaml:1: want a mapping"},
		{"A: {b: c}\n", "actors.yaml:1: aliases of \"A\" must be a list"},
		{"A: [[b]]\n", "actors.yaml:1: an alias of \"A\" must be text"},
		{"A: [\"\"]\n", "actors.yaml:1: empty name"},
		{"A: [b\n", "actors.yaml"},
	} {
		_, err := ParseActorNames(strings.NewReader(c.yaml), "actors.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseActorNames(%q): %v, want %q", c.yaml, err, c.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "ingest: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
	// an alias repeating its own canonical name is fine; an empty file has no aliases
	for _, y := range []string{"A: [a, A]\n", "", "# nothing\n"} {
		if _, err := ParseActorNames(strings.NewReader(y), "x.yaml"); err != nil {
			t.Errorf("ParseActorNames(%q): %v", y, err)
		}
	}
}

func TestLoadActorNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "actors.yaml")
	if err := os.WriteFile(path, []byte(actorsYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadActorNames(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Canonical("ISIL"); got != "Islamic State" {
		t.Errorf("Canonical(ISIL) = %q", got)
	}
	if _, err := LoadActorNames(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("A: [x]\nB:\n  - y\n  - x\n"), 0o644)
	if _, err := LoadActorNames(bad); err == nil || !strings.Contains(err.Error(), bad+":4:") {
		t.Errorf("conflict: %v, want the file and line 4", err)
	}
}

func TestActorNamesConcurrentNoAlloc(t *testing.T) {
	a, err := ParseActorNames(strings.NewReader(actorsYAML), "actors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				if a.Canonical("daesh") != "Islamic State" {
					t.Error("concurrent Canonical")
					return
				}
			}
		})
	}
	wg.Wait()
	for _, in := range []string{"Boko Haram", "ISIS", "Military Forces of Tajikistan (2006-)"} {
		if n := testing.AllocsPerRun(100, func() { a.Canonical(in) }); n != 0 {
			t.Errorf("Canonical(%q) allocates %v times", in, n)
		}
	}
}

func BenchmarkActorNames(b *testing.B) {
	a, err := ParseActorNames(strings.NewReader(actorsYAML), "actors.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range []string{"Military Forces of Tajikistan (2006-)", "ISIS", "  Boko  Haram "} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a.Canonical(in)
			}
		})
	}
}

func ExampleActorNames() {
	a, _ := ParseActorNames(strings.NewReader("Islamic State: [ISIS, IS, ISIL, Daesh]\n"), "actors.yaml")
	fmt.Println(a.Canonical("  daesh "))
	fmt.Println(a.Canonical("Boko   Haram"))
	// Output:
	// Islamic State
	// Boko Haram
}

// FuzzParseActorNames: any --actors file either fails with an error naming
// it or gives a table where every name it maps to is its own canonical name.
func FuzzParseActorNames(f *testing.F) {
	f.Add(actorsYAML)
	f.Add("")
	f.Add("~\n")
	f.Add("a: [b, c]\nb: d\n")
	f.Add("a: {b: c}\n")
	f.Add("? [a]\n: b\n")
	f.Add("a: &x [b]\nc: *x\n")
	f.Fuzz(func(t *testing.T, doc string) {
		a, err := ParseActorNames(strings.NewReader(doc), "actors.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "actors.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, line := range strings.FieldsFunc(doc, func(r rune) bool { return strings.ContainsRune("\n:[],-", r) }) {
			c := a.Canonical(line)
			if again := a.Canonical(c); again != c {
				t.Fatalf("Canonical(%q) = %q, but Canonical(%q) = %q", line, c, c, again)
			}
		}
	})
}
