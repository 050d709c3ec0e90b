package ingest

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// InputSummary accounts for one input.
type InputSummary struct {
	Path          string   `json:"path"`
	Profile       string   `json:"profile"`
	Format        string   `json:"format"`
	SHA256        string   `json:"sha256"` // hex, of the raw (possibly compressed) bytes
	RowsRead      int64    `json:"rows"`
	Rejected      int64    `json:"rejected"`
	Filtered      int64    `json:"filtered,omitempty"` // left out by the options (--cameo-roots)
	Encoding      string   `json:"encoding,omitempty"` // how the text was decoded when not plain UTF-8
	UnusedColumns []string `json:"unused_columns,omitempty"`
	// Header is the input's column names as its rejects name them (for
	// callers that write rejects of their own, see RejectJSON).
	Header []string `json:"-"`
}

// Summary is the accounting of a run. On every path, failures included,
//
//	RowsRead == Incidents + Merged + Rejected + Filtered + Unwritten
//
// and Unwritten is 0 when Normalize returns no error.
type Summary struct {
	Inputs []InputSummary
	// RowsRead counts the rows the run reached, in input order. When a run
	// stops early, rows its readers had buffered beyond that point are not
	// counted (nor anywhere else).
	RowsRead int64
	// Incidents counts the rows in the records emit took (returned nil for).
	// When the run fails, whether they reached a file is the caller's to
	// say: incidents normalize discards its output, so nothing was written.
	Incidents int64
	Merged    int64 // report rows folded into another row of the same incident (in records emit took)
	Rejected  int64 // rows rejected (in the rejects, when Options.Rejects took them)
	// Filtered counts the rows the options left out on purpose (GDELT
	// events outside --cameo-roots): read, neither written nor rejected.
	Filtered      int64
	FilterReasons map[string]int64 // what left them out -> count
	// Unwritten counts the rows read that were neither written, merged nor
	// rejected because the run stopped first (an error, a cancellation): the
	// rest of the chunk being finished, the rows of records emit did not
	// take, reports gathered but not yet reconciled (with the reports merged
	// into them).
	Unwritten     int64
	RejectReasons map[string]int64 // reason kind -> count
	// ActorsRespelled counts the actor values written in another spelling
	// of their name (the first the run wrote: "AL SHABAAB" as "Al-Shabaab"),
	// ActorSpellings the distinct spellings so replaced.
	ActorsRespelled int64
	ActorSpellings  int64
	Warnings        []string // distinct warnings, each with its count
}

// warnings counts distinct warning texts.
type warnings map[string]int64

func (w warnings) add(s string) { w[s]++ }

func (w warnings) list() []string {
	out := make([]string, 0, len(w))
	for _, k := range slices.Sorted(maps.Keys(w)) {
		if n := w[k]; n > 1 {
			out = append(out, fmt.Sprintf("%s (%d rows)", k, n))
		} else {
			out = append(out, k)
		}
	}
	return out
}

// WriteText writes the summary for people (normalize prints it on stderr).
func (s *Summary) WriteText(w io.Writer) {
	for _, in := range s.Inputs {
		sha := ""
		if in.SHA256 != "" { // empty with Options.NoChecksum
			sha = ", sha256 " + in.SHA256[:min(12, len(in.SHA256))]
		}
		fmt.Fprintf(w, "input %s: profile %s, format %s, %d rows read, %d rejected%s\n",
			in.Path, in.Profile, in.Format, in.RowsRead, in.Rejected, sha)
		if in.Encoding != "" {
			fmt.Fprintf(w, "  %s\n", in.Encoding)
		}
		if len(in.UnusedColumns) > 0 {
			fmt.Fprintf(w, "  unused columns: %s\n", strings.Join(in.UnusedColumns, ", "))
		}
	}
	filtered := ""
	if s.Filtered > 0 {
		filtered = fmt.Sprintf(" + filtered %d", s.Filtered)
	}
	if s.Unwritten > 0 {
		fmt.Fprintf(w, "rows read %d = incidents written %d + merged %d + rejected %d%s + not written (the run stopped) %d\n",
			s.RowsRead, s.Incidents, s.Merged, s.Rejected, filtered, s.Unwritten)
	} else {
		fmt.Fprintf(w, "rows read %d = incidents written %d + merged %d + rejected %d%s\n",
			s.RowsRead, s.Incidents, s.Merged, s.Rejected, filtered)
	}
	if len(s.FilterReasons) > 0 {
		fmt.Fprintf(w, "filtered (left out by the options, not rejected):\n")
		for _, k := range slices.Sorted(maps.Keys(s.FilterReasons)) {
			fmt.Fprintf(w, "  %s: %d\n", k, s.FilterReasons[k])
		}
	}
	if s.ActorsRespelled > 0 {
		fmt.Fprintf(w, "actor names: %s written in the first spelling seen of their name (%s: case, dashes, apostrophes, Unicode form)\n",
			plural(s.ActorsRespelled, "value", "values"), plural(s.ActorSpellings, "other spelling", "other spellings"))
	}
	if len(s.RejectReasons) > 0 {
		kinds := slices.Sorted(maps.Keys(s.RejectReasons))
		sort.SliceStable(kinds, func(i, j int) bool { return s.RejectReasons[kinds[i]] > s.RejectReasons[kinds[j]] })
		fmt.Fprintf(w, "rejected by reason:\n")
		for _, k := range kinds {
			fmt.Fprintf(w, "  %-22s %d\n", k, s.RejectReasons[k])
		}
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(w, "warnings:\n")
		for _, x := range s.Warnings {
			fmt.Fprintf(w, "  %s\n", x)
		}
	}
}

// plural writes n with the word's singular or plural form.
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
