package source

import (
	"bytes"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

// BenchmarkParseCSV parses a generated ACLED CSV record by record, as the
// workers do with their blocks.
func BenchmarkParseCSV(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "acled", 50_000, 1, synth.Options{}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var fields []string
	for i := 0; i < b.N; i++ {
		rows := 0
		for off := 0; off < len(data); {
			f, n, _, err := ParseCSVRecord(data[off:], ',', fields)
			if err != nil {
				b.Fatal(err)
			}
			fields = f
			off += n
			rows++
		}
		if rows < 50_000 {
			b.Fatal("short")
		}
	}
}
