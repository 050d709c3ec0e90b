package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/export"
)

// runCmd runs one command line (with -q) and returns its stdout, stderr and
// error, the error with the hints main adds.
func runCmd(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append(args[:1:1], append([]string{"-q"}, args[1:]...)...))
	err := root.ExecuteContext(ctx)
	if err != nil {
		err = withHints(err)
	}
	return out.String(), errb.String(), err
}

const acledSample = "../../testdata/sample/acled.csv"

// copyFile copies src to dst and returns dst.
func copyFile(t *testing.T, src, dst string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// listDir returns the names in dir, sorted (temporary files included).
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestOutputRuleFolder: no command replaces a folder with a file, even with
// --overwrite (normalize used to delete the folder and all in it).
func TestOutputRuleFolder(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "d.parquet")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(folder, "precious.txt")
	os.WriteFile(keep, []byte("mine"), 0o644)
	in := copyFile(t, acledSample, filepath.Join(dir, "acled.csv"))
	pq := filepath.Join(dir, "ok.parquet")
	if _, stderr, err := runCmd(t, context.Background(), "normalize", "-o", pq, in); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, args := range [][]string{
		{"normalize", "-o", folder, in},
		{"normalize", "-f", "-o", folder, in},
		{"normalize", "-f", "--rejects", folder, "-o", filepath.Join(dir, "x.parquet"), in},
		{"export", "--overwrite", "-o", folder, pq},
		{"stats", "-f", "-o", folder, pq},
		{"report", "-f", "-o", folder, pq},
		{"plot", "-f", "-o", filepath.Join(dir, "d.svg"), pq}, // made a folder below
		{"gen", "-f", "-n", "10", "-o", folder},
	} {
		if args[0] == "plot" {
			os.MkdirAll(filepath.Join(dir, "d.svg"), 0o755)
		}
		_, _, err := runCmd(t, context.Background(), args...)
		if !errors.Is(err, export.ErrOutputIsFolder) {
			t.Errorf("%s: err = %v, want %v", strings.Join(args, " "), err, export.ErrOutputIsFolder)
		}
	}
	if string(mustRead(t, keep)) != "mine" {
		t.Error("the folder's file changed")
	}
	// A file is not replaced by a dataset folder either.
	_, _, err := runCmd(t, context.Background(), "export", "--overwrite", "--partition-by", "year", "-o", filepath.Join(dir, "acled.csv"), pq)
	if !errors.Is(err, export.ErrOutputIsFile) {
		t.Errorf("dataset over a file: err = %v", err)
	}
}

// TestOutputRuleInputs: an output that is an input (by any name: itself, a
// hard link, a symbolic link), contains one or lies in an input folder is
// refused, even with --overwrite, and the input is untouched.
func TestOutputRuleInputs(t *testing.T) {
	dir := t.TempDir()
	in := copyFile(t, acledSample, filepath.Join(dir, "in.csv"))
	orig := mustRead(t, in)
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}
	soft := filepath.Join(dir, "soft.csv")
	if err := os.Symlink("in.csv", soft); err != nil {
		t.Fatal(err)
	}
	sb2 := filepath.Join(dir, "sb2")
	os.Mkdir(sb2, 0o755)
	pq := filepath.Join(sb2, "in.parquet")
	if _, stderr, err := runCmd(t, context.Background(), "normalize", "-o", pq, in); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	pqBytes := mustRead(t, pq)
	ds := filepath.Join(dir, "ds")
	if _, stderr, err := runCmd(t, context.Background(), "export", "--partition-by", "year", "-o", ds, pq); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, args := range [][]string{
		{"normalize", "-f", "-o", in, in},
		{"normalize", "-f", "-o", hard, in},
		{"normalize", "-f", "-o", soft, in},
		{"normalize", "-f", "-o", filepath.Join(dir, "n.parquet"), "--rejects", in, in},
		{"normalize", "-f", "-o", filepath.Join(dir, "n.parquet"), "--rejects", hard, in},
		{"export", "--overwrite", "--partition-by", "year", "-o", sb2, pq},
		{"export", "-f", "-o", pq, pq},
		{"export", "-f", "-o", filepath.Join(ds, "all.parquet"), ds},
		{"stats", "-f", "-o", in, in},
		{"report", "-f", "-o", pq, pq},
		{"plot", "-f", "-o", filepath.Join(sb2, "x.svg"), sb2},
	} {
		_, _, err := runCmd(t, context.Background(), args...)
		if !errors.Is(err, export.ErrOutputIsInput) && !errors.Is(err, export.ErrOutputIsFolder) {
			t.Errorf("%s: err = %v, want %v", strings.Join(args, " "), err, export.ErrOutputIsInput)
		}
	}
	if !bytes.Equal(mustRead(t, in), orig) {
		t.Error("the raw input changed")
	}
	if !bytes.Equal(mustRead(t, pq), pqBytes) {
		t.Error("the Parquet input changed")
	}
	if _, err := os.Stat(filepath.Join(ds, "all.parquet")); !os.IsNotExist(err) {
		t.Error("a file was written into the input dataset")
	}
	if _, _, err := runCmd(t, context.Background(), "normalize", "-o", filepath.Join(dir, "n.parquet"), "--rejects", filepath.Join(dir, "n.parquet"), in); err == nil ||
		!strings.Contains(err.Error(), "is the output file") {
		t.Errorf("--rejects OUT: err = %v", err)
	}
}

// TestOutputRuleExisting: every writing command refuses an existing file
// without --overwrite (-f), leaving it as it was, and replaces it with -f.
func TestOutputRuleExisting(t *testing.T) {
	dir := t.TempDir()
	in := copyFile(t, acledSample, filepath.Join(dir, "in.csv"))
	pq := filepath.Join(dir, "in.parquet")
	if _, stderr, err := runCmd(t, context.Background(), "normalize", "-o", pq, in); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, c := range []struct {
		out  string
		args []string
	}{
		{"n.parquet", []string{"normalize", in}},
		{"n.rejects.jsonl", []string{"normalize", "-o", filepath.Join(dir, "other.parquet"), "--rejects", filepath.Join(dir, "n.rejects.jsonl"), in}},
		{"e.arrow", []string{"export", pq}},
		{"s.csv", []string{"stats", pq}},
		{"s.parquet", []string{"stats", "--format", "parquet", pq}},
		{"r.html", []string{"report", "--bootstrap", "0", pq}},
		{"p.svg", []string{"plot", pq}},
		{"g.csv", []string{"gen", "-n", "5"}},
	} {
		out := filepath.Join(dir, c.out)
		os.WriteFile(out, []byte("keep me"), 0o644)
		args := append(append([]string{}, c.args[0]), "-o", out)
		if c.out == "n.rejects.jsonl" {
			args = c.args
		} else {
			args = append(args, c.args[1:]...)
		}
		_, _, err := runCmd(t, context.Background(), args...)
		if !errors.Is(err, export.ErrOutputExists) || !strings.Contains(err.Error(), "--overwrite (-f)") {
			t.Errorf("%s: err = %v, want %v with the flag named", strings.Join(args, " "), err, export.ErrOutputExists)
		}
		if string(mustRead(t, out)) != "keep me" {
			t.Errorf("%s: the existing file changed", strings.Join(args, " "))
		}
		if c.out == "n.rejects.jsonl" {
			continue // the no-rejects case with -f: TestRejectsAtomic
		}
		if _, stderr, err := runCmd(t, context.Background(), append([]string{args[0], "-f"}, args[1:]...)...); err != nil {
			t.Errorf("%s -f: %v\n%s", strings.Join(args, " "), err, stderr)
		} else if string(mustRead(t, out)) == "keep me" {
			t.Errorf("%s -f: not replaced", strings.Join(args, " "))
		}
	}
}

// TestRejectsAtomic: the rejects file is written like the output. An
// existing rejects file, or a symbolic link at its path, is not truncated
// by a run that fails; a run without rejects writes none and says so; a run
// with rejects installs them complete.
func TestRejectsAtomic(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	target := filepath.Join(dir, "target.txt")
	os.WriteFile(target, []byte("linked"), 0o644)
	out := filepath.Join(dir, "o.parquet")
	rejects := out + ".rejects.jsonl"
	if err := os.Symlink("target.txt", rejects); err != nil {
		t.Fatal(err)
	}
	// A failed run (empty input) with -f: nothing written, nothing truncated.
	_, stderr, err := runCmd(t, context.Background(), "normalize", "-f", "-o", out, empty)
	if err == nil {
		t.Fatal("empty input accepted")
	}
	if !strings.Contains(stderr, "nothing was written") || strings.Contains(stderr, "incidents written") {
		t.Errorf("failure summary:\n%s", stderr)
	}
	if string(mustRead(t, target)) != "linked" {
		t.Error("the symbolic link's target was truncated")
	}
	if names := listDir(t, dir); len(names) != 3 { // empty.csv, target.txt, the link, nothing else
		t.Errorf("left behind: %v", names)
	}
	// An interrupted run (cancelled context) likewise.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, stderr, err = runCmd(t, ctx, "normalize", "-f", "-o", out, acledSample)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v", err)
	}
	if !strings.Contains(stderr, "nothing was written") || string(mustRead(t, target)) != "linked" {
		t.Errorf("cancelled run: %q, target %q", stderr, mustRead(t, target))
	}
	// Rejects: installed in place of the link (not through it), complete.
	_, stderr, err = runCmd(t, context.Background(), "normalize", "-f", "--max-rejects", "100", "-o", out, "../../ingest/testdata/broken_acled.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if string(mustRead(t, target)) != "linked" {
		t.Error("the rejects were written through the link")
	}
	if fi, err := os.Lstat(rejects); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("rejects: %v %v", fi, err)
	}
	if n := bytes.Count(mustRead(t, rejects), []byte("\n")); n != 8 || !strings.Contains(stderr, "8 rejects in "+rejects) {
		t.Errorf("%d rejects written; summary:\n%s", n, stderr)
	}
	// No rejects with -f: the earlier run's file goes, none is written.
	_, stderr, err = runCmd(t, context.Background(), "normalize", "-f", "-o", out, acledSample)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, err := os.Lstat(rejects); !os.IsNotExist(err) || !strings.Contains(stderr, "no rejects") {
		t.Errorf("no rejects: file %v; summary:\n%s", err, stderr)
	}
}

// TestStaleTemps: temporary files of a process that is gone (SIGKILL) are
// removed by the next write of the same target; a live process's, and
// anything not matching the pattern exactly, are left alone.
func TestStaleTemps(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "o.parquet")
	dead := filepath.Join(dir, ".o.parquet.incidents-tmp-99999999-12345-abc")
	deadDir := filepath.Join(dir, ".o.parquet.incidents-tmp-99999999-12345-def.old")
	reused := filepath.Join(dir, fmt.Sprintf(".o.parquet.incidents-tmp-%d-1-ghi", os.Getpid())) // our pid, another start time
	live := filepath.Join(dir, fmt.Sprintf(".o.parquet.incidents-tmp-%d-%s-jkl", os.Getpid(), processStartForTest()))
	other := filepath.Join(dir, ".o.parquet.tmp-99999999-12345-abc")         // not our pattern
	sibling := filepath.Join(dir, ".p.parquet.incidents-tmp-99999999-1-abc") // another target's
	for _, p := range []string{dead, reused, live, other, sibling} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	os.MkdirAll(filepath.Join(deadDir, "year=2019"), 0o755)
	if _, stderr, err := runCmd(t, context.Background(), "normalize", "-o", out, acledSample); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, p := range []string{dead, deadDir, reused} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s kept", filepath.Base(p))
		}
	}
	for _, p := range []string{live, other, sibling} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed", filepath.Base(p))
		}
	}
}

// processStartForTest reads this process's start time as export does.
func processStartForTest() string {
	b, _ := os.ReadFile("/proc/self/stat")
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return f[19]
}
