package ingest

import (
	"io"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/internal/spill"
)

// Options configure a Normalize run, one concern per field, every value
// parsed by the caller (profile.Named, profile.LoadMapping,
// value.LoadActorNames, value.ParseDateOrder). The zero value detects each
// input's layout, opens files with os.Open and "-" as os.Stdin, and uses the
// defaults below.
type Options struct {
	// Profile reads every input, which must fit it (profile.Named for a
	// built-in layout, (*profile.Mapping).Profile for a user's mapping);
	// nil detects each input's layout from its header (profile.Detect).
	Profile profile.Profile
	// Read says how the layouts read rows: actor aliases, the order of
	// numeric dates, and each layout's own options (Read.Reports). Its
	// Columns are set from Options.Columns.
	Read profile.Options

	// Open opens an input by name ("-" included); nil opens files with
	// os.Open and "-" as os.Stdin (source.Opener).
	Open func(name string) (io.ReadCloser, error)
	// Input says how the bytes of inputs are read: text encoding, size
	// limits, the xlsx sheet, no header row (Input.NoHeader: the Profile
	// must have a fixed column order, FixedColumns() []string, which names
	// the columns).
	Input source.ReadOptions
	// NoChecksum skips the SHA-256 of each input (InputSummary.SHA256 stays
	// empty): for callers that discard the summary, such as stats on a raw
	// file. The hash costs a tenth of a raw stats run's CPU.
	NoChecksum bool

	// Columns names the schema columns the emitted records carry (nil: all
	// of schema.Arrow()); incident_id is always among them. A layout may
	// skip converting and checking the fields behind columns not built
	// (ACLED: coordinates, geo_precision, sources, event types), so a
	// projected run rejects the rows a full run rejects for what its
	// columns show, and writes those a full run rejects only for a field it
	// does not read: stats on a raw file counts a row with a bad latitude.
	Columns []string
	// Rejects receives JSON Lines, one object per rejected row; nil counts
	// them only.
	Rejects io.Writer
	// Progress, when set, is called after each chunk with the raw bytes
	// read so far.
	Progress func(bytesDone int64)

	// KeepActorSpellings writes every actor name as its row spells it
	// (whitespace cleaned); by default names that are one under
	// value.ActorKey are written in the first spelling the run writes
	// (actors.go).
	KeepActorSpellings bool

	BatchSize int              // rows per emitted record (default DefaultBatchSize)
	Workers   int              // parallel normalizers (default GOMAXPROCS)
	Mem       memory.Allocator // nil = memory.DefaultAllocator

	idBudget     int               // ids held in memory before the duplicate-id index spills (0: default; tests)
	reportBudget int               // bytes of reports held in memory before they spill (0: DefaultReportBudget; tests)
	actorBudget  int               // bytes of the actor spellings' table (0: DefaultActorBudget; tests)
	createTemp   spill.CreateFunc  // makes the spills' temporary files (nil: spill.Create; tests inject failures)
	rowsOut      func([]Row) error // set by NormalizeRows
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

// DefaultReportBudget is about the memory the reports layout holds before
// its reports spill to a temporary file: reports are reconciled at the end
// of a run, incident by incident, so a run's reports are gathered first; past
// this budget they are sorted by incident key on disk (package
// internal/spill), and only the reports of one incident are in memory
// at a time.
const DefaultReportBudget = 64 << 20
