package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNormalizeActorSpellings: spellings of one actor come out as the
// first, the summary says how many; --keep-actor-spellings leaves them.
func TestNormalizeActorSpellings(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "r.jsonl")
	os.WriteFile(in, []byte(`{"incident":"a","source":"AFP","date":"2019-11-06","country":"SOM","actor1":"al-Shabaab","killed":"3"}
{"incident":"b","source":"AFP","date":"2019-11-07","country":"SOM","actor1":"AL SHABAAB","killed":"1"}
{"incident":"c","source":"AFP","date":"2019-11-08","country":"SOM","actor1":"Al\u2019Shabaab","killed":"1"}
`), 0o644)
	stdout, stderr, err := runNormalizeCmd(t, "-o", "-", in)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if strings.Count(stdout, `"actor1":"al-Shabaab"`) != 2 || !strings.Contains(stdout, "Al\u2019Shabaab") {
		t.Errorf("output:\n%s", stdout)
	}
	if !strings.Contains(stderr, "actor names: 1 value written in the first spelling") {
		t.Errorf("summary:\n%s", stderr)
	}
	stdout, _, err = runNormalizeCmd(t, "--keep-actor-spellings", "-o", "-", in)
	if err != nil || !strings.Contains(stdout, `"actor1":"AL SHABAAB"`) {
		t.Errorf("--keep-actor-spellings: err %v\n%s", err, stdout)
	}
}
