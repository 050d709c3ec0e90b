package stats

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeColumnsUpToDate keeps README's column table in step with the
// code: the backquoted names in the stats section, in order, must be the
// summary's columns (injured_* and detained_* written once as a pattern).
func TestReadmeColumnsUpToDate(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<!-- usage:stats -->"), strings.Index(s, "<!-- /usage:stats -->")
	if start < 0 || end < start {
		t.Fatal("README has no usage:stats section")
	}
	s = s[start:end]
	tbl := s[strings.Index(s, "| column | meaning |"):]
	tbl = tbl[:strings.Index(tbl, "\n\n")]
	var documented []string
	name := regexp.MustCompile("`([a-z0-9_*]+)`")
	for _, line := range strings.Split(tbl, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(cells[1], -1) {
			documented = append(documented, m[1])
		}
	}
	var code []string
	for _, c := range ResultColumns(Options{Period: PeriodMonth, Tail: true}) {
		switch {
		case strings.HasPrefix(c.Name, "injured_"):
			if !slices.Contains(code, "injured_*") {
				code = append(code, "injured_*")
			}
		case strings.HasPrefix(c.Name, "detained_"):
			if !slices.Contains(code, "detained_*") {
				code = append(code, "detained_*")
			}
		default:
			code = append(code, c.Name)
		}
	}
	if !slices.Equal(documented, code) {
		t.Errorf("README columns:\n%v\ncode:\n%v", documented, code)
	}
	if n := len(quantityPrefix); strings.Count(strings.Join(code, " "), "fatalities_") < 13 || n != 3 {
		t.Errorf("unexpected quantity layout")
	}
	series := ResultColumns(Options{Period: PeriodMonth, Series: true})
	for _, c := range series {
		if !strings.Contains(s, "`"+c.Name+"`") {
			t.Errorf("README does not name the series column %s", c.Name)
		}
	}
}
