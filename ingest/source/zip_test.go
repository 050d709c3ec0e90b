package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func zipOf(t *testing.T, members ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(members); i += 2 {
		w, err := zw.Create(members[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(members[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestZipMembers: a zip of text files reads as its members in order; a
// later member's repeated header row is dropped with a warning, a member
// without a final newline does not run into the next, folders and macOS
// litter are skipped, and the format says "+zip".
func TestZipMembers(t *testing.T) {
	data := zipOf(t, "a/", "", "a/2019.csv", "id,name\n1,x\n2,y", "__MACOSX/a/._2019.csv", "junk",
		"a/2020.csv", "id,name\n3,z\n")
	in, rows, err := readAll(t, "bundle.zip", data, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"id", "name"}, {"1", "x"}, {"2", "y"}, {"3", "z"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if in.Format != "csv+zip" {
		t.Errorf("format %q", in.Format)
	}
	if w := strings.Join(in.Warnings(), "; "); !strings.Contains(w, "a/2020.csv: its header row") {
		t.Errorf("warnings %q lack the skipped header", w)
	}
	in.Close()
}

// TestZipHeaderless: members of headerless data keep every first line, even
// one equal to the first member's (it is data, not a header).
func TestZipHeaderless(t *testing.T) {
	data := zipOf(t, "1.CSV", "10\t20190101\t5\n", "2.CSV", "10\t20190101\t5\n11\t20190102\t6\n")
	_, rows, err := readAll(t, "x.export.CSV.zip", data, OpenOptions{ReadOptions: ReadOptions{NoHeader: true, Columns: []string{"a", "b", "c"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 { // the header plus three data rows
		t.Errorf("rows %q: a data row was dropped", rows)
	}
}

// TestZipLimits: what the members decompress to is capped like a .gz, and
// an archive that is no zip, or holds nothing, is an error naming the file.
func TestZipLimits(t *testing.T) {
	data := zipOf(t, "big.csv", "id\n"+strings.Repeat("1\n", 5000))
	_, _, err := readAll(t, "big.zip", data, OpenOptions{ReadOptions: ReadOptions{MaxInputBytes: 4096}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "--max-input-bytes") {
		t.Errorf("a zip over the limit: %v", err)
	}
	_, _, err = readAll(t, "empty.zip", zipOf(t, "dir/", ""), OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "empty.zip") {
		t.Errorf("an empty zip: %v", err)
	}
	_, _, err = readAll(t, "cut.zip", data[:len(data)/2], OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "cut.zip") {
		t.Errorf("a truncated zip: %v", err)
	}
}

// TestZipRealGDELT: the GDELT 2.0 export as published reads the same as
// its unzipped member.
func TestZipRealGDELT(t *testing.T) {
	dir := filepath.Join(realDir, "gdelt")
	z, err := os.ReadFile(filepath.Join(dir, "20170701234500.export.CSV.zip"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := os.ReadFile(filepath.Join(dir, "20170701234500.export.CSV"))
	if err != nil {
		t.Fatal(err)
	}
	opts := OpenOptions{ReadOptions: ReadOptions{NoHeader: true, Columns: make([]string, 61)}}
	_, a, err := readAll(t, "20170701234500.export.CSV.zip", z, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := readAll(t, "20170701234500.export.CSV", plain, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 51 || !reflect.DeepEqual(a, b) {
		t.Errorf("zip gives %d rows, the member %d, or they differ", len(a), len(b))
	}
}

// TestZipWorkbookByContent: an xlsx under another name (a download saved
// as .zip) is told by its xl/workbook.xml and read as a workbook.
func TestZipWorkbookByContent(t *testing.T) {
	data := workbook(t, map[string][][]any{"s": {{"a", "b"}, {"1", "x"}}}, []string{"s"})
	in, rows, err := readAll(t, "download.zip", data, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"a", "b"}, {"1", "x"}}; !reflect.DeepEqual(rows, want) || in.Format != "xlsx" {
		t.Errorf("rows %q, format %q", rows, in.Format)
	}
	in.Close()
}
