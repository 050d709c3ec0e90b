package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"testing"
)

// blockRecords parses data the way the dataset pipeline does: blocks of at
// most maxRows records, each parsed on its own.
func blockRecords(data []byte, delim byte, maxRows int) ([][]string, error) {
	br := newBlockReader(bytes.NewReader(data), maxRows, 1, nil)
	var out [][]string
	for {
		block, _, err := br.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		for off := 0; off < len(block); {
			f, n, _, err := ParseCSVRecord(block[off:], delim, nil)
			if err != nil {
				return out, err
			}
			if len(f) > 0 {
				out = append(out, f)
			}
			off += n
		}
	}
}

// FuzzReadCSV: no input panics or loops; where encoding/csv reads the input
// without error, our reader (record by record, and cut into blocks as the
// parallel path does) yields the same records. (ingest's FuzzNormalizeCSV
// checks the accounting through the whole pipeline.)
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("incident,source,date,country,killed\nx,AFP,2019-11-06,TJK,17\n"))
	f.Add([]byte("\ufeffa;b\r\n\"1;2\";\"x\"\"y\"\r\n"))
	f.Add([]byte("a,b\n\"unterminated\n"))
	f.Add([]byte("a,b\n1,2,3\n4\n"))
	f.Add([]byte("a\tb\n1\t\"2\n3\"\n"))
	f.Add([]byte("a,b\n\n\"x\r\ny\",2\r\n3,\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		body := bytes.TrimPrefix(data, utf8BOM)
		delim := byte(sniffDelimiter(body))
		cr := csv.NewReader(bytes.NewReader(body))
		cr.Comma = rune(delim)
		cr.FieldsPerRecord = -1
		want, werr := cr.ReadAll()
		if delim == '\t' && sniffLiteralQuotes(body[:min(len(body), 64<<10)]) {
			werr = errors.New("quotes are data in this TSV: encoding/csv is no oracle")
		}
		if werr == nil {
			got, err := blockRecords(body, delim, 2)
			if err != nil {
				t.Fatalf("encoding/csv reads it, blocks fail: %v", err)
			}
			if len(want) != len(got) || (len(want) > 0 && !reflect.DeepEqual(want, got)) {
				t.Fatalf("blocks differ from encoding/csv:\nwant %q\ngot  %q", want, got)
			}
		}
		s, err := newCSVSource("fuzz.csv", bufioReader(data), 0, ReadOptions{})
		if err != nil {
			return
		}
		n := len(s.Header())
		var seq [][]string
		if werr == nil && len(want) > 0 {
			seq = append(seq, want[0])
		}
		for i := 0; i < 1<<16; i++ {
			fields, _, err := s.Next()
			if err == io.EOF {
				break
			}
			var re *Error
			if err != nil && !errors.As(err, &re) {
				break
			}
			if err == nil && len(fields) != n {
				t.Fatalf("row of %d fields passed as good with a header of %d", len(fields), n)
			}
			if err == nil || errors.Is(err, ErrRaggedRow) {
				seq = append(seq, append([]string(nil), fields...))
			}
		}
		if werr == nil && !reflect.DeepEqual(want, seq) {
			t.Fatalf("record reader differs from encoding/csv:\nwant %q\ngot  %q", want, seq)
		}
	})
}
