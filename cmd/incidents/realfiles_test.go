package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var updateReal = flag.Bool("update-real", false, "rewrite the golden .out files of testdata/real/*/cases")

// realRoot holds one folder per shape of real file (testdata/real/SHAPE/),
// each with its fixture files, a SOURCES.md naming where they came from,
// and cases/NAME.cmd: the arguments of one `incidents normalize` run
// (relative to the shape's folder; -o is added), with optional directive
// lines
//
//	# rejects: N      the run must reject exactly N rows
//	# status: N       the run must exit with status N (default 0)
//	# expect: TEXT    the summary on stderr must contain TEXT
//	## TEXT           a comment: what the case shows
//
// Beside it, NAME.out is the golden result (status, summary, every output
// row, every reject), rewritten by `go test ./cmd/incidents -run
// TestRealFiles -update-real` and reviewed in the diff. Whatever the golden
// says, every case must also keep the accounting (rows read = written +
// merged + rejected, with the written and rejected rows counted in the
// files) and write no value that is a missing-value token or holds U+FFFD.
const realRoot = "../../testdata/real"

// naTokens are texts that must never appear as a value in our output: a
// reader that lets them through has read a missing value as data.
var naTokens = map[string]bool{"na": true, "n/a": true, "nan": true, "null": true, "none": true,
	".": true, "#n/a": true, "<na>": true, "nat": true}

var summaryLine = regexp.MustCompile(`rows read (\d+) = incidents written (\d+) \+ merged (\d+) \+ rejected (\d+)(?: \+ filtered (\d+))?`)

type realCase struct {
	dir, name string // shape folder, case name
	args      []string
	rejects   int // -1: any
	status    int
	expect    []string
}

func loadRealCases(t *testing.T) []realCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(realRoot, "*", "cases", "*.cmd"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []realCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := realCase{dir: filepath.Dir(filepath.Dir(f)), name: strings.TrimSuffix(filepath.Base(f), ".cmd"), rejects: -1}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "", strings.HasPrefix(line, "##"):
			case strings.HasPrefix(line, "#"):
				k, v, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ":")
				v = strings.TrimSpace(v)
				switch strings.TrimSpace(k) {
				case "rejects":
					c.rejects, err = strconv.Atoi(v)
				case "status":
					c.status, err = strconv.Atoi(v)
				case "expect":
					c.expect = append(c.expect, v)
				default:
					err = fmt.Errorf("unknown directive %q", k)
				}
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			default:
				c.args = append(c.args, strings.Fields(line)...)
			}
		}
		if len(c.args) == 0 {
			t.Fatalf("%s: no arguments", f)
		}
		out = append(out, c)
	}
	return out
}

// TestRealFiles runs every case of testdata/real.
func TestRealFiles(t *testing.T) {
	cases := loadRealCases(t)
	if len(cases) == 0 {
		t.Fatalf("no cases under %s/*/cases", realRoot)
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.dir)+"/"+c.name, func(t *testing.T) { runRealCase(t, c) })
	}
}

func runRealCase(t *testing.T, c realCase) {
	abs, err := filepath.Abs(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out.jsonl")
	rej := filepath.Join(tmp, "rejects.jsonl")
	args := []string{"normalize", "-o", out, "--rejects", rej}
	for _, a := range c.args {
		if !strings.HasPrefix(a, "-") && !filepath.IsAbs(a) {
			if _, err := os.Stat(filepath.Join(abs, a)); err == nil {
				a = filepath.Join(abs, a)
			}
		}
		args = append(args, a)
	}
	root := newRootCmd()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	status := 0
	if err := root.ExecuteContext(context.Background()); err != nil {
		status = exitError
		var ec *exitCodeError
		if errors.As(err, &ec) {
			status = ec.code
		}
		fmt.Fprintln(&stderr, "incidents:", err)
	}
	summary := strings.NewReplacer(abs+string(filepath.Separator), "", tmp+string(filepath.Separator), "$OUT/").Replace(stderr.String())
	rows := readLines(t, out)
	rejects := readLines(t, rej)

	if status != c.status {
		t.Errorf("exit status %d, want %d\n%s", status, c.status, summary)
	}
	for _, e := range c.expect {
		if !strings.Contains(summary, e) {
			t.Errorf("summary lacks %q:\n%s", e, summary)
		}
	}
	if status == 0 || status == exitRejected {
		m := summaryLine.FindStringSubmatch(summary)
		if m == nil {
			t.Fatalf("no accounting line in the summary:\n%s", summary)
		}
		n := make([]int, 5)
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1]) // filtered: "" is 0
		}
		if n[0] != n[1]+n[2]+n[3]+n[4] {
			t.Errorf("accounting: read %d != written %d + merged %d + rejected %d + filtered %d", n[0], n[1], n[2], n[3], n[4])
		}
		if n[1] != len(rows) {
			t.Errorf("summary says %d written, the output holds %d rows", n[1], len(rows))
		}
		if n[3] != len(rejects) {
			t.Errorf("summary says %d rejected, the rejects file holds %d", n[3], len(rejects))
		}
		if c.rejects >= 0 && n[3] != c.rejects {
			t.Errorf("%d rows rejected, want %d; first rejects:\n%s", n[3], c.rejects, strings.Join(first(rejects, 5), "\n"))
		}
	}
	for i, line := range rows {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("output row %d: %v", i+1, err)
		}
		for k, v := range row {
			checkRealValue(t, i+1, k, v)
		}
	}

	var got strings.Builder
	fmt.Fprintf(&got, "# incidents normalize %s\n# status %d\n# stderr\n%s", strings.Join(c.args, " "), status, summary)
	fmt.Fprintf(&got, "# output: %d rows\n", len(rows))
	for _, r := range rows {
		got.WriteString(r + "\n")
	}
	fmt.Fprintf(&got, "# rejects: %d rows\n", len(rejects))
	for _, r := range rejects {
		got.WriteString(strings.ReplaceAll(r, abs+string(filepath.Separator), "") + "\n")
	}
	golden := filepath.Join(c.dir, "cases", c.name+".out")
	if *updateReal {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-real to write it)", err)
	}
	if got.String() != string(want) {
		t.Errorf("result differs from %s (rerun with -update-real and review the diff):\n%s", golden, firstDiff(string(want), got.String()))
	}
}

func checkRealValue(t *testing.T, row int, col string, v any) {
	switch v := v.(type) {
	case string:
		if naTokens[strings.ToLower(strings.TrimSpace(v))] {
			t.Errorf("output row %d: %s = %q, a missing-value token read as data", row, col, v)
		}
		if strings.ContainsRune(v, '\uFFFD') {
			t.Errorf("output row %d: %s = %q holds U+FFFD (text decoded with the wrong encoding)", row, col, v)
		}
	case []any:
		for _, e := range v {
			checkRealValue(t, row, col, e)
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, a, b)
		}
	}
	return ""
}
