package source

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

const realDir = "../../testdata/real"

// readAll opens data as name and returns the header and every row; a
// row-level error is returned with the rows read before it.
func readAll(t *testing.T, name string, data []byte, opts OpenOptions) (*Input, [][]string, error) {
	t.Helper()
	opts.Open = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	in, err := Open(name, opts)
	if err != nil {
		return nil, nil, err
	}
	rows := [][]string{in.Src.Header()}
	for {
		f, _, err := in.Src.Next()
		if err == io.EOF {
			return in, rows, nil
		}
		if err != nil {
			return in, rows, err
		}
		rows = append(rows, append([]string(nil), f...))
	}
}

// TestLatin1GTD: the real GTD extract in ISO-8859-1 (testdata/real/gtd-latin1,
// see its SOURCES.md) reads as Windows-1252 with its four é intact, the note
// naming line 53 (data row 52, Reno), and no U+FFFD anywhere.
func TestLatin1GTD(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(realDir, "gtd-latin1", "gtd_usa_2013_2016_latin1_crlf.csv"))
	if err != nil {
		t.Fatal(err)
	}
	in, rows, err := readAll(t, "gtd.csv", data, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 147 {
		t.Fatalf("%d records, want header + 146", len(rows))
	}
	col := -1
	for i, n := range rows[0] {
		if n == "targsubtype1_txt" {
			col = i
		}
	}
	var cafe []int
	for i, r := range rows {
		for _, v := range r {
			if strings.ContainsRune(v, utf8.RuneError) || !utf8.ValidString(v) {
				t.Fatalf("row %d: %q", i, v)
			}
		}
		if strings.Contains(r[col], "é") {
			if r[col] != "Restaurant/Bar/Café" {
				t.Errorf("row %d: %q", i, r[col])
			}
			cafe = append(cafe, i)
		}
	}
	if !reflect.DeepEqual(cafe, []int{52, 81, 89, 144}) {
		t.Errorf("Café on rows %v, want 52 81 89 144", cafe)
	}
	if got, want := in.Encoding(), "read as Windows-1252: invalid UTF-8 on line 53 (byte 0xE9)"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	// forced UTF-8 refuses it, naming the line
	_, _, err = readAll(t, "gtd.csv", data, OpenOptions{ReadOptions: ReadOptions{Encoding: EncodingUTF8}})
	var e *Error
	if !errors.Is(err, ErrEncoding) || !errors.As(err, &e) || e.Line != 53 {
		t.Errorf("--encoding utf-8: %v", err)
	}
	// forced latin1 reads the same text (no byte 0x80-0x9F in the file)
	_, rows2, err := readAll(t, "gtd.csv", data, OpenOptions{ReadOptions: ReadOptions{Encoding: EncodingLatin1}})
	if err != nil || !reflect.DeepEqual(rows, rows2) {
		t.Errorf("--encoding latin1 differs: %v", err)
	}
}

// TestUTF16Excel: Excel's "Unicode Text" save of real ACLED rows
// (testdata/real/excel-utf16) gives exactly the records of the CSV original.
func TestUTF16Excel(t *testing.T) {
	u16, err := os.ReadFile(filepath.Join(realDir, "excel-utf16", "acled_asia_2015_excel_unicode_text.txt"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join(realDir, "acled-upper", "acled_asia_2015_running_upper_crlf.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{EncodingAuto, EncodingUTF16} {
		in, got, err := readAll(t, "x.txt", u16, OpenOptions{ReadOptions: ReadOptions{Encoding: enc}})
		if err != nil {
			t.Fatal(enc, err)
		}
		if in.Format != FormatTSV || !strings.Contains(in.Encoding(), "UTF-16LE") {
			t.Errorf("%q: format %s, note %q", enc, in.Format, in.Encoding())
		}
		_, want, err := readAll(t, "x.csv", orig, OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 31 {
			t.Fatalf("%d records, want header + 30", len(got))
		}
		for i := range got {
			for j, v := range got[i] {
				w := strings.ReplaceAll(want[i][j], "\r\n", "\n")
				v = strings.ReplaceAll(v, "\r\n", "\n")
				if v != w || strings.ContainsAny(v, "\x00\uFFFD") {
					t.Fatalf("record %d field %d: %q, want %q", i, j, v, w)
				}
			}
		}
	}
}

// TestEncodingPolicy: the rules of auto detection, one case each.
func TestEncodingPolicy(t *testing.T) {
	cases := []struct {
		name, in, enc string
		want          []string // the second record's first field, "" when an error is wanted
		note          string
		errLine       int64
	}{
		{name: "ascii", in: "a,b\nx,1\n", want: []string{"x"}},
		{name: "utf-8", in: "a,b\nCafé,1\n", want: []string{"Café"}},
		{name: "latin1 late", in: "a,b\nx,1\ny,2\nCaf\xe9,3\n", want: []string{"x", "y", "Café"}, note: "read as Windows-1252: invalid UTF-8 on line 4 (byte 0xE9)"},
		{name: "cp1252 quotes", in: "a,b\n\x93quoted\x94,1\n", want: []string{"“quoted”"}, note: "line 2 (byte 0x93)"},
		{name: "mixed", in: "a,b\nCafé,1\nCaf\xe9,2\n", errLine: 3},
		{name: "latin1 at eof", in: "a,b\nx,\xe9", want: []string{"x"}, note: "line 2"},
		{name: "truncated utf-8 at eof", in: "a,b\nCafé,1\nx,\xc3", errLine: 3},
		{name: "forced cp1252 of utf-8", in: "a,b\nCafé,1\n", enc: EncodingCP1252, want: []string{"CafÃ©"}, note: "--encoding cp1252"},
		{name: "latin1 0x93 is a control", in: "a,b\n\x93,1\n", enc: EncodingLatin1, want: []string{"\u0093"}, note: "--encoding latin1"},
		{name: "utf-16be bom", in: "\xfe\xff\x00a\x00,\x00b\x00\n\x00x\x00,\x00\xe9\x00\n", want: []string{"x"}, note: "UTF-16BE"},
		{name: "utf-16 odd byte", in: "\xff\xfea\x00,\x00b\x00\n\x00x\x00,\x00y", errLine: 2},
		{name: "NUL without BOM", in: "a\x00,\x00b\x00\n\x00", errLine: 1},
		{name: "bom mid-file", in: "\ufeffa,b\nx,1\n\ufeffy,2\n", want: []string{"x", "y"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, rows, err := readAll(t, "t.csv", []byte(c.in), OpenOptions{ReadOptions: ReadOptions{Encoding: c.enc}})
			if c.errLine > 0 {
				var e *Error
				if !errors.Is(err, ErrEncoding) || !errors.As(err, &e) || e.Line != c.errLine {
					t.Fatalf("err %v, want an encoding error on line %d", err, c.errLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[0])
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("rows %q, want %q", got, c.want)
			}
			if !strings.Contains(in.Encoding(), c.note) || (c.note == "" && in.Encoding() != "") {
				t.Errorf("note %q, want %q", in.Encoding(), c.note)
			}
		})
	}
}

// TestEncodingAcrossReads: the fallback holds whatever the read sizes (an
// invalid byte or a multi-byte character cut between two reads).
func TestEncodingAcrossReads(t *testing.T) {
	body := strings.Repeat("x,1\n", 5000)
	for _, tail := range []string{"Caf\xe9,2\n", "Café,2\n"} {
		data := []byte("a,b\n" + body + tail)
		for _, size := range []int{5, 6, 7, 4096} {
			tr, err := newTextReader(nil, "t", &chunkReader{data, size}, EncodingAuto, nil)
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(size, err)
			}
			if !bytes.HasSuffix(out, []byte("Café,2\n")) || len(out) != len(data)+1-len(tail)+len("Café,2\n")-1 {
				t.Errorf("size %d tail %q: ends %q", size, tail, out[max(0, len(out)-10):])
			}
			if (tail[3] == 0xe9) != (tr.Note() != "") {
				t.Errorf("size %d tail %q: note %q", size, tail, tr.Note())
			}
		}
	}
}

type chunkReader struct {
	b    []byte
	size int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.size)], c.b)
	c.b = c.b[n:]
	return n, nil
}

func opener(data []byte) func(string) (io.ReadCloser, error) {
	return func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}
