package synth_test

import (
	"bytes"
	"encoding/csv"
	"fmt"

	"github.com/incidentkit/incidents/ingest/synth"
)

// Generate writes n rows plus a header; the same seed gives the same bytes.
func ExampleGenerate() {
	var buf bytes.Buffer
	sum, err := synth.Generate(&buf, "acled", 1000, 42, synth.Options{Messy: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF"))))
	rows, err := rd.ReadAll()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sum.Rows, len(rows)-1, len(rows[0]))
	fmt.Println(rows[0][:3])
	// Output:
	// 1000 1000 31
	// [event_id_cnty event_date year]
}
