package ingest

import (
	"bytes"
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
)

// FuzzNormalizeCSV: whatever the CSV, the pipeline's accounting holds
// (read = written + merged + rejected + unwritten) and no Arrow memory leaks.
func FuzzNormalizeCSV(f *testing.F) {
	f.Add([]byte("incident,source,date,country,killed\nx,AFP,2019-11-06,TJK,17\n"))
	f.Add([]byte("\ufeffa;b\r\n\"1;2\";\"x\"\"y\"\r\n"))
	f.Add([]byte("a,b\n\"unterminated\n"))
	f.Add([]byte("a,b\n1,2,3\n4\n"))
	f.Add([]byte("a\tb\n1\t\"2\n3\"\n"))
	f.Add([]byte("a,b\n\n\"x\r\ny\",2\r\n3,\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		sum, err := Normalize(context.Background(), []string{"-"}, Options{Open: source.Opener(bytes.NewReader(data)), Profile: named(t, "reports"),
			Read: profile.Options{Reports: profile.ReportsOptions{IgnoreUnknown: true}}, Mem: mem, Workers: 2, BatchSize: 3}, func(arrow.Record) error { return nil })
		checkAccounting(t, sum, err)
		mem.AssertSize(t, 0)
	})
}
