package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/export"
)

func runNormalizeCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"normalize", "-q"}, args...))
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// TestNormalizeCmd: the sample normalizes to Parquet with no rejects, the
// inputs and counts in the file's metadata, the summary on stderr.
func TestNormalizeCmd(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "events.parquet")
	inputs := []string{"../../testdata/sample/reports.csv", "../../testdata/sample/acled.csv",
		"../../testdata/sample/ucdp_ged.csv", "../../testdata/sample/gtd.csv"}
	_, stderr, err := runNormalizeCmd(t, append([]string{"-o", out}, inputs...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "rows read 70 = incidents written 45 + merged 25 + rejected 0") {
		t.Errorf("summary:\n%s", stderr)
	}
	info, err := export.Inspect(context.Background(), out, 0)
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != 45 {
		t.Errorf("file has %d rows, want 45", info.Rows)
	}
	// The counts of the summary line above, and each input with the SHA-256
	// of its bytes and its rows (counted here from the fixtures).
	for k, want := range map[string]string{"incidents.rows_read": "70", "incidents.rows_written": "45",
		"incidents.rows_merged": "25", "incidents.rows_rejected": "0"} {
		if got := info.Metadata[k]; got != want {
			t.Errorf("metadata %s = %q, want %q", k, got, want)
		}
	}
	var meta []struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
		Rows   int64  `json:"rows"`
	}
	if err := json.Unmarshal([]byte(info.Metadata["incidents.inputs"]), &meta); err != nil || len(meta) != len(inputs) {
		t.Fatalf("incidents.inputs = %s (%v), want %d inputs", info.Metadata["incidents.inputs"], err, len(inputs))
	}
	for i, m := range meta {
		b, err := os.ReadFile(inputs[i])
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(bytes.NewReader(b)).ReadAll() // encoding/csv counts the rows
		if err != nil {
			t.Fatal(err)
		}
		rows := int64(len(records) - 1)
		if sum := sha256.Sum256(b); m.Path != inputs[i] || m.SHA256 != hex.EncodeToString(sum[:]) || m.Rows != rows {
			t.Errorf("incidents.inputs[%d] = %+v, want %s, sha256 %x, %d rows", i, m, inputs[i], sum, rows)
		}
	}
	if _, err := os.Lstat(out + ".rejects.jsonl"); !os.IsNotExist(err) {
		t.Errorf("a rejects file was written for no rejects (%v)", err)
	}
	if !strings.Contains(stderr, "\nno rejects\n") {
		t.Errorf("the summary does not say there were no rejects:\n%s", stderr)
	}
}

// TestNormalizeCmdRejects: more rejects than --max-rejects is exit status 3,
// with the output and the rejects file written.
func TestNormalizeCmdRejects(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "broken.jsonl")
	_, stderr, err := runNormalizeCmd(t, "-o", out, "--max-rejects", "2", "../../ingest/testdata/broken_acled.csv")
	var ec *exitCodeError
	if !errors.As(err, &ec) || ec.code != exitRejected {
		t.Fatalf("err = %v, want exit status 3\n%s", err, stderr)
	}
	rows, _ := os.ReadFile(out)
	rejects, _ := os.ReadFile(out + ".rejects.jsonl")
	if n := strings.Count(string(rows), "\n"); n != 2 {
		t.Errorf("%d rows written, want 2", n)
	}
	if n := strings.Count(string(rejects), "\n"); n != 8 {
		t.Errorf("%d rejects, want 8", n)
	}
	if _, stderr, err := runNormalizeCmd(t, "-f", "-o", out, "--max-rejects", "8", "../../ingest/testdata/broken_acled.csv"); err != nil {
		t.Errorf("8 rejects with --max-rejects 8: %v\n%s", err, stderr)
	}
	if _, _, err := runNormalizeCmd(t, "--date-order", "ymd", "-o", out, "../../ingest/testdata/broken_acled.csv"); err == nil {
		t.Error("--date-order ymd accepted")
	}
}
