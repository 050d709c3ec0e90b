package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// FuzzReadCSV: no input panics or loops; every row the reader yields is
// counted, and the accounting holds through the whole pipeline.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("incident,source,date,country,killed\nx,AFP,2019-11-06,TJK,17\n"))
	f.Add([]byte("\ufeffa;b\r\n\"1;2\";\"x\"\"y\"\r\n"))
	f.Add([]byte("a,b\n\"unterminated\n"))
	f.Add([]byte("a,b\n1,2,3\n4\n"))
	f.Add([]byte("a\tb\n1\t\"2\n3\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := newCSVSource("fuzz.csv", bufioReader(data), 0)
		if err != nil {
			return
		}
		n := len(s.header())
		for i := 0; i < 1<<16; i++ {
			fields, _, err := s.next()
			if err == io.EOF {
				break
			}
			var re *RowError
			if err != nil && !errors.As(err, &re) {
				break
			}
			if err == nil && len(fields) != n {
				t.Fatalf("row of %d fields passed as good with a header of %d", len(fields), n)
			}
		}
		// the whole pipeline on the same bytes, as a reports file
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		sum, _ := Normalize(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data), Profile: ProfileReports,
			IgnoreUnknown: true, Mem: mem, Workers: 2, BatchSize: 3}, func(arrow.Record) error { return nil })
		if sum != nil && sum.RowsRead != sum.Incidents+sum.Merged+sum.Rejected {
			t.Fatalf("accounting: %+v", sum)
		}
		mem.AssertSize(t, 0)
	})
}
