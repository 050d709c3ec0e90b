package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/xuri/excelize/v2"
)

// TestTSVQuotes: in a TSV, '"' is data unless the file quotes its fields
// (the sample parses under RFC 4180 with a quoted field in it).
func TestTSVQuotes(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"literal inside", "a\tb\n1\tsaid \"no\" twice\n2\tx\n", `said "no" twice|x`},
		{"literal at start", "a\tb\n1\t\"Boko Haram\" claimed\n", `"Boko Haram" claimed`},
		{"literal unbalanced", "a\tb\n1\t5\" shell\n2\tx\n", `5" shell|x`},
		{"excel quoting", "a\tb\n1\t\"two\nlines\"\n2\t\"say \"\"hi\"\"\"\n", "two\nlines|say \"hi\""},
		{"no quotes", "a\tb\n1\tx\n", "x"},
	}
	for _, c := range cases {
		_, rows, err := readAll(t, "t.tsv", []byte(c.in), OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[1])
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%s: %q, want %q", c.name, g, c.want)
		}
	}
	// a CSV keeps RFC 4180: a bare quote is a row error
	_, _, err := readAll(t, "t.csv", []byte("a,b\n1,said \"no\"\n"), OpenOptions{})
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("csv bare quote: %v", err)
	}
}

// TestSizeLimits: a record over MaxFieldBytes, a stream decompressing past
// MaxInputBytes and a truncated .gz/.zst are errors that say so.
func TestSizeLimits(t *testing.T) {
	// A record over the limit is one row error (the caller rejects it) and
	// reading goes on after it, on the right line; the record is passed over,
	// never held (quoted newlines inside it included).
	long := "a,b\n1,2\n3," + strings.Repeat("x", 5000) + "\n4,5\n6,\"" + strings.Repeat("y\n", 3000) + "\"\n7,8\n"
	_, rows, err := readAll(t, "t.csv", []byte(long), OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 1000}})
	var e *Error
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &e) || e.Line != 3 || e.Stop || !IsRowError(err) || !strings.Contains(err.Error(), "--max-field-bytes") || len(rows) != 2 {
		t.Errorf("long record: %v (rows %d)", err, len(rows))
	}
	in, err := Open("t.csv", OpenOptions{Open: func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(long)), nil },
		ReadOptions: ReadOptions{MaxFieldBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		f, line, err := in.Src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !IsRowError(err) {
				t.Fatalf("line %d: %v stops the input", line, err)
			}
			got = append(got, fmt.Sprintf("reject@%d", err.(*Error).Line))
			continue
		}
		got = append(got, fmt.Sprintf("%s@%d", f[0], line))
	}
	if want := "1@2 reject@3 4@4 reject@5 7@3006"; strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, " "), want)
	}
	quote := "a,b\n1,2\n3,\"" + strings.Repeat("x\n", 3000) + "\n"
	if _, _, err = readAll(t, "t.csv", []byte(quote), OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 1000}}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "never closed") {
		t.Errorf("open quote: %v", err)
	}
	if _, _, err = readAll(t, "t.csv", []byte(long), OpenOptions{}); err != nil {
		t.Errorf("default limit: %v", err)
	}
	jl := `{"a":"` + strings.Repeat("x", 5000) + `"}` + "\n"
	if _, _, err = readAll(t, "t.jsonl", []byte(`{"a":"1"}`+"\n"+jl), OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 1000}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("long JSON line: %v", err)
	}

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a,b\n" + strings.Repeat("1,2\n", 100000)))
	zw.Close()
	if _, _, err = readAll(t, "t.csv.gz", gz.Bytes(), OpenOptions{ReadOptions: ReadOptions{MaxInputBytes: 10000}}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "--max-input-bytes") {
		t.Errorf("gzip bomb: %v", err)
	}
	if _, rows, err = readAll(t, "t.csv.gz", gz.Bytes(), OpenOptions{}); err != nil || len(rows) != 100001 {
		t.Errorf("gzip: %v, %d rows", err, len(rows))
	}
	for _, cut := range []int{gz.Len() - 8, gz.Len() / 2, 12} {
		_, _, err = readAll(t, "t.csv.gz", gz.Bytes()[:cut], OpenOptions{})
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("gzip cut at %d: %v", cut, err)
		}
	}
	var zs bytes.Buffer
	zsw, _ := zstd.NewWriter(&zs)
	zsw.Write([]byte("a,b\n" + strings.Repeat("1,2\n", 100000)))
	zsw.Close()
	if _, _, err = readAll(t, "t.csv.zst", zs.Bytes()[:zs.Len()/2], OpenOptions{}); !errors.Is(err, ErrTruncated) {
		t.Errorf("zstd cut: %v", err)
	}
}

func workbook(t *testing.T, sheets map[string][][]any, order []string) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			f.SetSheetRow(name, cell, &row)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestXLSXSheets: several sheets warn and --sheet chooses by name or number.
func TestXLSXSheets(t *testing.T) {
	data := workbook(t, map[string][][]any{
		"events": {{"a", "b"}, {"1", "x"}},
		"notes":  {{"c"}, {"about"}, {"this"}},
	}, []string{"events", "notes"})
	in, rows, err := readAll(t, "w.xlsx", data, OpenOptions{})
	if err != nil || len(rows) != 2 || len(in.Warnings()) != 1 || !strings.Contains(in.Warnings()[0], `2 sheets ("events", "notes")`) {
		t.Fatalf("first sheet: %v %q %q", err, rows, in.Warnings())
	}
	for _, want := range []string{"notes", "2"} {
		in, rows, err = readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{Sheet: want}})
		if err != nil || len(rows) != 3 || rows[0][0] != "c" || len(in.Warnings()) != 0 {
			t.Errorf("--sheet %s: %v %q", want, err, rows)
		}
	}
	if _, _, err = readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{Sheet: "3"}}); err == nil || !strings.Contains(err.Error(), `no sheet "3"`) {
		t.Errorf("--sheet 3: %v", err)
	}
}

// TestXLSXCorrupt: a shared-string index that is no number, or out of
// range, is an error (excelize alone reads it as string 0); a cell over
// MaxFieldBytes is a reject.
func TestXLSXCorrupt(t *testing.T) {
	data := workbook(t, map[string][][]any{"s": {{"a", "b"}, {"first", "second"}}}, []string{"s"})
	for _, bad := range []string{"x1", "99"} {
		b := rezip(t, data, "xl/worksheets/sheet1.xml", func(x []byte) []byte {
			return bytes.Replace(x, []byte("<v>3</v>"), []byte("<v>"+bad+"</v>"), 1)
		})
		_, _, err := readAll(t, "w.xlsx", b, OpenOptions{})
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "shared string") {
			t.Errorf("index %s: %v", bad, err)
		}
	}
	_, _, err := readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 5}})
	if !errors.Is(err, ErrTooLarge) || !IsRowError(err) {
		t.Errorf("long cell: %v", err)
	}
	if _, _, err := readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{MaxInputBytes: 2000}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("unzip limit: %v", err)
	}
}

// TestXLSXCellBomb: a shared string over 4 x MaxFieldBytes refuses the
// workbook before excelize loads it (a 512 MiB cell in a 0.5 MB xlsx took
// 2.1 GB and 148 s; now 41 MB and 0.1 s), naming the part and the flag;
// one in a sheet's inline string too. Under the bound, the workbook reads.
func TestXLSXCellBomb(t *testing.T) {
	data := workbook(t, map[string][][]any{"s": {{"a", "b"}, {"first", strings.Repeat("x", 5000)}}}, []string{"s"})
	_, _, err := readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 1000}})
	if !errors.Is(err, ErrTooLarge) || IsRowError(err) || !strings.Contains(err.Error(), "xl/sharedStrings.xml") || !strings.Contains(err.Error(), "--max-field-bytes") {
		t.Errorf("5000-byte cell, limit 1000: %v", err)
	}
	if _, _, err := readAll(t, "w.xlsx", data, OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 2000}}); IsRowError(err) == false && err != nil {
		t.Errorf("5000-byte cell, limit 2000 (bound 8000): the workbook must read, the cell be one reject: %v", err)
	}
	inline := rezip(t, data, "xl/worksheets/sheet1.xml", func(x []byte) []byte {
		return bytes.Replace(x, []byte("</sheetData>"), []byte(`<row r="9"><c r="A9" t="inlineStr"><is><t>`+strings.Repeat("y", 9000)+`</t></is></c></row></sheetData>`), 1)
	})
	if _, _, err := readAll(t, "w.xlsx", inline, OpenOptions{ReadOptions: ReadOptions{MaxFieldBytes: 2000}}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "sheet1.xml") {
		t.Errorf("9000-byte inline string, bound 8000: %v", err)
	}
}

// rezip returns the zip data with part name rewritten by edit.
func rezip(t *testing.T, data []byte, name string, edit func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			nb := edit(b)
			if bytes.Equal(nb, b) {
				t.Fatalf("%s: edit changed nothing:\n%s", name, b)
			}
			b = nb
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// TestRealTSVQuotes checks the facts of testdata/real/tsv-quotes/SOURCES.md.
func TestRealTSVQuotes(t *testing.T) {
	in, rows := readReal(t, "tsv-quotes", "acled_africa_2016_literal_quotes.tsv")
	if in.Format != FormatTSV || len(rows) != 128 {
		t.Fatalf("format %s, %d records", in.Format, len(rows))
	}
	ids, notes := column(t, rows, "event_id_cnty"), column(t, rows, "notes")
	var got []string
	for i, n := range notes {
		if strings.Contains(n, `"`) {
			got = append(got, ids[i])
		}
	}
	if g := strings.Join(got, " "); g != "8084RTA 8025RTA 8061RTA 8060RTA 7906RTA 8118RTA" || !strings.Contains(notes[48], `killed "militants and civilians."`) {
		t.Errorf("notes with quotes: %s; row 49 %q", g, notes[48])
	}
}
