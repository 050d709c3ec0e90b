package link

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Options say which pairs are candidates and which are links.
type Options struct {
	// Days is the date window: two events may be one when their date
	// ranges (date_start..date_end, which already span a month for a
	// month-precision event) are at most Days apart.
	Days int
	// KM is the distance window for two points, widened by each side's geo
	// precision (near +25 km, admin2 +50 km); an event known only to its
	// admin1 matches anywhere in the same admin1, one known only to its
	// country anywhere in the country.
	KM float64
	// MinScore is the score a candidate needs to be a link (0..1).
	MinScore float64
	// Within also pairs events of the same dataset (source_dataset), for
	// sources that emit one event several times; by default only events
	// of different datasets are paired.
	Within bool
	// ActorName, if set, maps an actor name to its canonical form before
	// names are compared (ingest/value.ActorNames.Canonical, from an
	// --actors file).
	ActorName func(string) string
	// SortBudget is the memory, in bytes, the events may take before the
	// sort by country and date spills to temporary files (0: 64 MiB).
	SortBudget int
	// BatchRows is the number of rows of each record handed out (0: 65536).
	BatchRows int
	// Mem allocates the records handed out (nil: memory.DefaultAllocator).
	Mem memory.Allocator
}

// Defaults of the command's flags.
const (
	DefaultDays     = 2
	DefaultKM       = 25
	DefaultMinScore = 0.73
)

// DefaultOptions returns the options of 'incidents link' without flags.
func DefaultOptions() Options {
	return Options{Days: DefaultDays, KM: DefaultKM, MinScore: DefaultMinScore}
}

// Limits of the options.
const (
	MaxDays = 366
	MaxKM   = 1000
)

func (o *Options) check() error {
	if o.Days < 0 || o.Days > MaxDays {
		return fmt.Errorf("link: days %d is not in 0..%d", o.Days, MaxDays)
	}
	if !(o.KM >= 0 && o.KM <= MaxKM) {
		return fmt.Errorf("link: km %v is not in 0..%d", o.KM, MaxKM)
	}
	if !(o.MinScore >= 0 && o.MinScore <= 1) {
		return fmt.Errorf("link: min score %v is not in 0..1", o.MinScore)
	}
	if o.SortBudget <= 0 {
		o.SortBudget = 64 << 20
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 65536
	}
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	return nil
}

// Columns are the schema columns link reads, so that readers can project.
var Columns = []string{
	"incident_id", "source_dataset", "date_start", "date_end", "date_precision", "country_iso3", "country",
	"admin1", "latitude", "longitude", "geo_precision", "event_type", "violence_type", "actor1", "actor2",
	"fatalities_best", "fatalities_low", "fatalities_high",
}
