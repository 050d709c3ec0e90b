package source

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// TestCSVQuirks: BOM, CRLF, semicolons, quoted newlines, commas and quotes.
func TestCSVQuirks(t *testing.T) {
	in := "\ufeffa;b;c\r\n1;\"x; \"\"y\"\"\r\nz\";3\r\n4;5;6\r\n"
	s, err := newCSVSource("q.csv", bufioReader([]byte(in)), 0)
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
