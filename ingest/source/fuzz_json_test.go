package source

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// FuzzTextEncoding: whatever the bytes and the read sizes, the text reader
// never panics, never hands on invalid UTF-8 or a U+FFFD it did not get,
// and gives back valid UTF-8 unchanged and an invalid file decoded as
// Windows-1252 throughout, or an encoding error.
func FuzzTextEncoding(f *testing.F) {
	f.Add([]byte("a,b\nCaf\xe9,1\n"), uint8(3))
	f.Add([]byte("a,b\nCafé,1\nCaf\xe9,2\n"), uint8(1))
	f.Add([]byte("\xff\xfea\x00,\x00b\x00\n\x00"), uint8(2))
	f.Add([]byte("\xfe\xff\x00a\x00\n\xd8\x00"), uint8(5))
	f.Add([]byte("\ufeffa,b\n\ufeffx,\xc3"), uint8(4))
	f.Add([]byte("x,\x93q\x94\r\n\x81\x8d"), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		head := data[:min(len(data), sniffBytes)]
		tr, err := newTextReader(nil, "f", &chunkReader{data, int(size%16) + 1}, EncodingAuto, head)
		if err != nil {
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("open: %v", err)
			}
			return
		}
		out, err := io.ReadAll(tr)
		if err != nil {
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("read: %v", err)
			}
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out: %q", out)
		}
		if tr.utf16 {
			return
		}
		var want []byte
		if utf8.Valid(data) {
			want = data
			if tr.Note() != "" {
				t.Fatalf("valid UTF-8 read as %q", tr.Note())
			}
		} else {
			if !strings.HasPrefix(tr.Note(), "read as Windows-1252") {
				t.Fatalf("invalid UTF-8 without a note")
			}
			want, _ = charmap.Windows1252.NewDecoder().Bytes(data)
		}
		// byte order marks after the start are removed
		if bytes.HasPrefix(want, utf8BOM) {
			want = append(append([]byte(nil), utf8BOM...), bytes.ReplaceAll(want[3:], utf8BOM, nil)...)
		} else {
			want = bytes.ReplaceAll(want, utf8BOM, nil)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("out %q, want %q", out, want)
		}
	})
}

// checkRows reads every row of a JSON input: no panic, no endless loop,
// lines never go back, a good row is never wider than the header, an
// error is a positional *Error.
func checkRows(t *testing.T, name string, data []byte) {
	in, err := Open(name, OpenOptions{Open: opener(data), ReadOptions: ReadOptions{MaxFieldBytes: 1 << 20}})
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("open: %T %v", err, err)
		}
		return
	}
	last := int64(0)
	for i := 0; ; i++ {
		if i > len(data)+2 {
			t.Fatalf("more rows than bytes")
		}
		f, line, err := in.Src.Next()
		if err == io.EOF {
			return
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("row error %T %v", err, err)
		}
		if err != nil && !IsRowError(err) {
			return
		}
		if line < last || line < 1 {
			t.Fatalf("line %d after %d", line, last)
		}
		last = line
		if err == nil && len(f) > len(in.Src.Header()) {
			t.Fatalf("row of %d fields, header %d", len(f), len(in.Src.Header()))
		}
		for _, v := range f {
			if !utf8.ValidString(v) {
				t.Fatalf("invalid UTF-8 value %q", v)
			}
		}
	}
}

// FuzzJSONDocument: JSON arrays, object sequences and whatever follows.
func FuzzJSONDocument(f *testing.F) {
	f.Add([]byte("[\n {\"a\":1,\"b\":[\"x\",\"y\"]},\n {\"a\":null,\"c\":{\"d\":2}}\n] junk"))
	f.Add([]byte("{\n \"a\": 1\n}\n{\"a\":2,\"a\":3}\n5\n"))
	f.Add([]byte(`[{"a":1},,{"a":2}]`))
	f.Add([]byte(`[[[[[{"a":1}]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, "f.json", data) })
}

// FuzzJSONLines: JSON Lines, several objects or junk on a line.
func FuzzJSONLines(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"a\":2}{\"b\":3}\n{\"a\":4} junk\n\n{\"a\":\"\\u00e9\",\"a\":5}\n"))
	f.Add([]byte("\ufeff{\"a\":[1,{\"x\":2}]}\r\n{"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, "f.jsonl", data) })
}

// FuzzGeoJSON: FeatureCollections, their geometries and properties.
func FuzzGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","name":"x","crs":{"type":"name"},"features":[` +
		`{"type":"Feature","id":1,"properties":{"date":"02-Aug-23","fatalities":0},"geometry":{"type":"Point","coordinates":[13.1517,11.8312]}},` +
		`{"type":"Feature","properties":{"latitude":35.7,"longitude":null},"geometry":null},` +
		`{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}},` +
		`{"type":"Feature","properties":{"LATITUDE":"1"},"geometry":{"type":"Point","coordinates":[1]}}]}`))
	f.Add([]byte("{\"features\": [\n{\"properties\":{\"a\":1,\"a\":2}}\n]\n}\n{\"type\":\"FeatureCollection\",\"features\":[]}"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, "f.geojson", data) })
}

// FuzzAPIJSON: ACLED's and UCDP's API pages.
func FuzzAPIJSON(f *testing.F) {
	f.Add([]byte(`{"status":200,"success":true,"last_update":289,"count":2,"messages":[],"data":[` +
		`{"event_id_cnty":"BEN769","event_date":"2022-11-10","sub_event_type":"Remote explosive\/landmine\/IED","fatalities":"0"},` +
		`{"event_id_cnty":"BEN770","actor2":""}],"filename":"2022-10-26-2022-11-10-Benin"}`))
	f.Add([]byte(`{"TotalCount":60,"TotalPages":6,"PreviousPageUrl":"","NextPageUrl":"https://ucdpapi.pcr.uu.se/api/gedevents/23.1?pagesize=10&page=1",` +
		`"Result":[{"id":300380,"active_year":true,"best":2,"source_article":"\"x\"","latitude":35.763369},{"id":21300,"best":null}]}`))
	f.Add([]byte(`{"status":400,"success":false,"error":{"status":400,"message":"bad key"}}`))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, "f.json", data) })
}

// FuzzXLSX: a workbook of fuzzed cells reads back cell for cell (what
// excelize writes), and a workbook of fuzzed bytes never panics.
func FuzzXLSX(f *testing.F) {
	f.Add("event_id", "x\ny", "2019-11-06", "\t\"q\"", []byte("PK\x03\x04"))
	f.Add("a", "", "41712", "é", []byte{})
	f.Fuzz(func(t *testing.T, h, a, b, c string, junk []byte) {
		checkRows(t, "f.xlsx", junk)
		for _, s := range []string{h, a, b, c} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\ufffe\uffff") || strings.TrimSpace(s) != s || len(s) > 1000 {
				return // what an Excel cell cannot hold, or a header trimmed
			}
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' {
					return
				}
			}
		}
		if h == "" {
			return
		}
		wb := excelize.NewFile()
		wb.SetSheetRow("Sheet1", "A1", &[]any{h, "b", "c"})
		wb.SetSheetRow("Sheet1", "A2", &[]any{a, b, c})
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			return
		}
		_, rows, err := readAll(t, "f.xlsx", buf.Bytes(), OpenOptions{})
		if err != nil {
			if errors.Is(err, ErrDuplicateColumn) {
				return
			}
			t.Fatal(err)
		}
		want := []string{a, b, c}
		if len(rows) != 2 || strings.Join(rows[1], "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("read %q, want %q", rows, want)
		}
	})
}
