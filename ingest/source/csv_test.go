package source

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// TestCSVQuirks: BOM, CRLF, semicolons, quoted newlines, commas and quotes.
func TestCSVQuirks(t *testing.T) {
	in := "\ufeffa;b;c\r\n1;\"x; \"\"y\"\"\r\nz\";3\r\n4;5;6\r\n"
	s, err := newCSVSource("q.csv", bufioReader([]byte(in)), 0, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Header(), "|"); got != "a|b|c" {
		t.Fatalf("header %q", got)
	}
	f, line, err := s.Next()
	if err != nil || line != 2 || f[1] != "x; \"y\"\r\nz" && f[1] != "x; \"y\"\nz" {
		t.Fatalf("row 1: %q line %d err %v", f, line, err)
	}
	_, line, err = s.Next()
	if err != nil || line != 4 {
		t.Fatalf("row 2 line %d err %v", line, err)
	}
	if _, _, err = s.Next(); err != io.EOF {
		t.Fatalf("want EOF, got %v", err)
	}
}

// TestLooksLikeData: the real headerless GTD cut (testdata/real/gtd-noheader)
// looks like data; the real headers of every fixture do not.
func TestLooksLikeData(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realDir, "*", "*.csv"))
	files2, _ := filepath.Glob(filepath.Join(realDir, "*", "*.txt"))
	if len(files) < 8 {
		t.Fatalf("fixtures: %v", files)
	}
	for _, f := range append(files, files2...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Open(f, OpenOptions{Open: opener(data)})
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Contains(f, "noheader")
		if got := LooksLikeData(in.Src.Header()); got != want {
			t.Errorf("%s: LooksLikeData(%.80q) = %v", f, in.Src.Header(), got)
		}
	}
	for _, h := range [][]string{{"197000000001", "1970", "7", "2", "", "0", "58", "Dominican Republic"}, {"2019-11-06", "Tajikistan", "17", "AFP"}} {
		if !LooksLikeData(h) {
			t.Errorf("%q does not look like data", h)
		}
	}
	for _, h := range [][]string{{"incident", "source", "date", "country", "killed"}, {"", "event_id_cnty", "year", "gwno"}, {"Year", "Month", "Day", "Country"}} {
		if LooksLikeData(h) {
			t.Errorf("%q looks like data", h)
		}
	}
}
