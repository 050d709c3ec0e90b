package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the command line in a child process: the test
// binary itself, with INCIDENTS_TEST_MAIN=1, is the incidents binary.
func TestMain(m *testing.M) {
	if os.Getenv("INCIDENTS_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	code := m.Run()
	pgServer.Stop() // started by the first test that needs it (postgres_test.go)
	os.Exit(code)
}

// startIncidents starts the command line args in a child process.
func startIncidents(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	c := exec.Command(os.Args[0], args...)
	c.Env = append(os.Environ(), "INCIDENTS_TEST_MAIN=1")
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	return c, &stderr
}

// waitForTemp waits until a temporary file of out holds data.
func waitForTemp(t *testing.T, out string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".incidents-tmp-*"))
		for _, p := range m {
			if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
				return p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no temporary output appeared")
	return ""
}

// TestGenSignals: gen stops on SIGINT, SIGTERM and SIGHUP within a second,
// says "interrupted", exits 128 + the signal and leaves nothing (it used to
// ignore them and write straight to its target). After SIGKILL the next
// write of the same target removes the dead run's temporary file.
func TestGenSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		dir := t.TempDir()
		out := filepath.Join(dir, "big.csv")
		c, stderr := startIncidents(t, "gen", "-q", "--layout", "gtd", "-n", "200000000", "-o", out)
		waitForTemp(t, out)
		sent := time.Now()
		c.Process.Signal(sig)
		err := c.Wait()
		took := time.Since(sent)
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
			t.Errorf("%v: exit %v, want %d; stderr %q", sig, err, 128+int(sig), stderr)
		}
		if !strings.Contains(stderr.String(), "incidents: interrupted") || strings.Contains(stderr.String(), "context canceled") {
			t.Errorf("%v: stderr %q", sig, stderr)
		}
		if took > time.Second {
			t.Errorf("%v: took %v to stop", sig, took)
		}
		if names := listDir(t, dir); len(names) != 0 {
			t.Errorf("%v: left %v", sig, names)
		}
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "big.csv")
	c, _ := startIncidents(t, "gen", "-q", "--layout", "gtd", "-n", "200000000", "-o", out)
	tmp := waitForTemp(t, out)
	c.Process.Kill()
	c.Wait()
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("SIGKILL left no temporary file: %v", err)
	}
	if _, stderr, err := runCmd(t, t.Context(), "gen", "-n", "10", "-o", out); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != "big.csv" {
		t.Errorf("after the next run: %v", names)
	}
}

// TestExportPartitionsCancel: a write of thousands of partitions stops
// within a second of SIGINT and leaves nothing (it took 154 s to stop).
func TestExportPartitionsCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	raw := filepath.Join(dir, "a.csv")
	pq := filepath.Join(dir, "a.parquet")
	if _, stderr, err := runCmd(t, t.Context(), "gen", "-n", "5000", "-o", raw); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, t.Context(), "normalize", "--max-rejects", "5000", "-o", pq, raw); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	out := filepath.Join(dir, "ds")
	c, stderr := startIncidents(t, "export", "-q", "--partition-by", "incident_id", "-o", out, pq)
	deadline := time.Now().Add(20 * time.Second)
	for {
		m, _ := filepath.Glob(filepath.Join(dir, ".ds.incidents-tmp-*", "incident_id=*"))
		if len(m) >= 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no partitions appeared")
		}
		time.Sleep(5 * time.Millisecond)
	}
	sent := time.Now()
	c.Process.Signal(syscall.SIGINT)
	err := c.Wait()
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130; stderr %q", err, stderr)
	}
	if took > time.Second {
		t.Errorf("took %v to stop", took)
	}
	if names := listDir(t, dir); len(names) != 2 {
		t.Errorf("left %v", names)
	}
	t.Logf("stopped %v after SIGINT", took)
}
