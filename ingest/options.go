package ingest

import (
	"io"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/value"
)

// Options configure a Normalize run. The zero value detects each input's
// profile and uses the defaults below.
type Options struct {
	Profile       string                                   // "auto" or "" (detect from the header), or a name of profile.Names
	Mapping       string                                   // YAML mapping file for other layouts (see profile.Mapping); overrides Profile
	Actors        *value.ActorNames                        // actor aliases; nil = whitespace clean-up only
	DateOrder     value.DateOrder                          // how to read 06/11/2019
	IgnoreUnknown bool                                     // reports layout: skip unknown columns instead of failing
	BatchSize     int                                      // rows per emitted record (default 65536)
	Workers       int                                      // parallel normalizers (default GOMAXPROCS)
	Rejects       io.Writer                                // JSON Lines, one object per rejected row; nil = count only
	Mem           memory.Allocator                         // nil = default
	Stdin         io.Reader                                // what "-" reads
	Open          func(name string) (io.ReadCloser, error) // nil = os.Open
	Progress      func(bytesDone int64)                    // optional, called after each chunk with raw bytes read so far
	// Columns names the schema columns the emitted records carry (nil: all
	// of schema.Arrow()); incident_id is always among them. Every row is
	// still converted and validated in full, so the same rows are written
	// and rejected whatever the projection: it only spares building the
	// columns a caller such as stats does not read.
	Columns []string
	// NoChecksum skips the SHA-256 of each input (InputSummary.SHA256 stays
	// empty): for callers that discard the summary, such as stats on a raw
	// file. The hash costs a tenth of a raw stats run's CPU.
	NoChecksum bool

	idBudget int // ids held in memory before the duplicate-id index spills (0: default; tests)
}

// DefaultBatchSize is the number of rows per emitted record. It also sets the
// chunk the workers parse, so it bounds memory: about six chunks (input
// bytes plus Arrow arrays) are in flight. 8192 ACLED rows are about 3.6 MB of
// CSV. Stats on a 2M-row raw ACLED file (`/usr/bin/time -f '%M KB %U user'
// incidents stats --quiet --by country_iso3,year -o s.csv
// bench-out/acled-2000000.csv`, builds differing only in this constant,
// run alternately) peaked at 250 MB RSS with 16384, 185 MB with 8192 and
// 158 MB with 4096, for the same CPU time within noise (3.5-3.7 s user;
// 4096 once 4.1 s).
const DefaultBatchSize = 8192
