package link

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

func joinCounts(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// WriteText writes the summary for people, as 'incidents link' prints it
// on stderr.
func (s Summary) WriteText(w io.Writer, opts Options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "events read %d (%s)\n", s.Events, joinCounts(s.ByDataset))
	which := "of different datasets"
	if opts.Within {
		which = "of any datasets"
	}
	fmt.Fprintf(&b, "pairs compared %d (same country, %s, dates within %d days)\n", s.Compared, which, opts.Days)
	fmt.Fprintf(&b, "candidates %d (places fit: %s) = links %d + not one-to-one best %d (score >= %g) + below the score %d\n",
		s.Candidates, joinCounts(s.CandidatesByBasis), s.Pairs, s.NotBest, opts.MinScore, s.Below)
	if s.Pairs > 0 {
		fmt.Fprintf(&b, "links by datasets: %s\n", joinCounts(s.PairsByDatasets))
	}
	if s.Clustered > 0 {
		fmt.Fprintf(&b, "clusters %d of %d events (largest %d); each counts once as its representative: %s\n",
			s.Clusters, s.Clustered, s.LargestCluster, Representative)
	}
	if len(s.ByDataset) == 1 && !opts.Within {
		b.WriteString("warning: one dataset only: no pairs across datasets (--within links duplicates inside one)\n")
	}
	if s.Spilled > 0 {
		fmt.Fprintf(&b, "sorted on disk: %d runs\n", s.Spilled)
	}
	if s.InMemory != "" {
		fmt.Fprintf(&b, "warning: sorted in memory: %s\n", s.InMemory)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
