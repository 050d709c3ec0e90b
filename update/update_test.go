package update

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

var (
	baseOnce sync.Once
	baseRows []schema.Incident
	baseErr  error
)

// release returns 3,000 incidents normalized from generated ACLED rows.
func release(t testing.TB) []schema.Incident {
	t.Helper()
	baseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "update-test-*")
		if err != nil {
			baseErr = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "acled.csv")
		f, err := os.Create(path)
		if err != nil {
			baseErr = err
			return
		}
		if _, err := synth.Generate(f, "acled", 3000, 11, synth.Options{}); err != nil {
			baseErr = err
			return
		}
		f.Close()
		_, baseErr = ingest.Normalize(context.Background(), []string{path}, ingest.Options{NoChecksum: true}, func(rec arrow.Record) error {
			var err error
			baseRows, err = schema.AppendIncidents(baseRows, rec)
			return err
		})
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	out := slices.Clone(baseRows)
	for i := range out {
		out[i].AssocActors = slices.Clone(out[i].AssocActors)
		out[i].Sources = slices.Clone(out[i].Sources)
	}
	return out
}

// writeDataset writes rows as a dataset partitioned by source_dataset and
// event_type: two folder levels, six partitions (every partition file is
// synced, so hundreds of country-year partitions would make a slow test on
// a loaded disk).
func writeDataset(t *testing.T, dir string, rows []schema.Incident) {
	t.Helper()
	w, err := export.Create(context.Background(), dir, export.WriteOptions{PartitionBy: []string{"source_dataset", "event_type"}})
	if err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < len(rows); lo += 1000 {
		rec := schema.NewRecord(nil, rows[lo:min(lo+1000, len(rows))])
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// source gives rows as one NEW input (its path a file holding a
// placeholder, for the checksum).
func source(t *testing.T, dir, name string, rows []schema.Incident) Source {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(name), 0o644); err != nil {
		t.Fatal(err)
	}
	return Source{Path: path, Read: func(ctx context.Context, add func(arrow.Record) error) error {
		for lo := 0; lo < len(rows); lo += 700 {
			rec := schema.NewRecord(nil, rows[lo:min(lo+700, len(rows))])
			err := add(rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
		return nil
	}}
}

// readBack returns the dataset's incidents sorted by id, as %+v lines.
func readBack(t *testing.T, dir string) []string {
	t.Helper()
	rr, err := export.Open(context.Background(), dir, export.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var rows []schema.Incident
	for rr.Next() {
		if rows, err = schema.AppendIncidents(rows, rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return lines(rows)
}

func lines(rows []schema.Incident) []string {
	var out []string
	for _, in := range rows {
		in.TimeUTC = in.TimeUTC.UTC()
		if len(in.AssocActors) == 0 {
			in.AssocActors = nil
		}
		if len(in.Sources) == 0 {
			in.Sources = nil
		}
		out = append(out, fmt.Sprintf("%+v", in))
	}
	slices.Sort(out)
	return out
}

// files maps each file of the dataset (relative) to its FileInfo.
func files(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	m := map[string]os.FileInfo{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Stat(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = fi
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func partOf(in schema.Incident) string {
	return "source_dataset=" + in.SourceDataset + "/event_type=" + in.EventType.String()
}

// TestApplyRelease: a full release with planted additions, deletions and
// revisions (some moving an incident to another partition) applied
// to a partitioned dataset: the dataset then reads back as NEW exactly,
// untouched partitions keep their files (the same inodes: hard links),
// touched ones have new files, an emptied one is gone, the manifest
// records the counts, and applying NEW again changes nothing.
func TestApplyRelease(t *testing.T) {
	base := release(t)
	work := t.TempDir()
	ds := filepath.Join(work, "events")
	writeDataset(t, ds, base)
	before := files(t, ds)

	rng := rand.New(rand.NewPCG(5, 6))
	touched := map[string]bool{}
	var new []schema.Incident
	// the partition with fewest rows is emptied (all of them deleted)
	count := map[string]int{}
	for _, in := range base {
		count[partOf(in)]++
	}
	emptied := ""
	for p, n := range count {
		if emptied == "" || n < count[emptied] || (n == count[emptied] && p < emptied) {
			emptied = p
		}
	}
	var added, deleted, revised int
	for i, in := range base {
		switch u := rng.IntN(100); {
		case partOf(in) == emptied:
			deleted++
			touched[partOf(in)] = true
			continue
		case u < 1:
			deleted++
			touched[partOf(in)] = true
			continue
		case u < 3:
			revised++
			touched[partOf(in)] = true
			in.Fatalities.Best = schema.Int32(in.Fatalities.Best.Value + 1)
			if i%5 == 0 { // moved to another partition
				in.EventType = otherType(in.EventType, emptied)
				touched[partOf(in)] = true
			}
		}
		new = append(new, in)
	}
	for i := 0; added < 25; i++ {
		in := base[i*7]
		if partOf(in) == emptied {
			continue
		}
		in.IncidentID += "-new"
		new = append(new, in)
		added++
		touched[partOf(in)] = true
	}
	rng.Shuffle(len(new), func(i, j int) { new[i], new[j] = new[j], new[i] })

	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	res, err := Apply(context.Background(), ds, []Source{source(t, work, "release2.csv", new)},
		Options{Mem: mem, MemoryBytes: 16 << 10, Now: func() time.Time { return now }, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	mem.AssertSize(t, 0)
	if got, want := readBack(t, ds), lines(new); !slices.Equal(got, want) {
		t.Fatalf("dataset after update: %d rows, want NEW's %d", len(got), len(want))
	}
	e := res.Entry
	if e.Added != int64(added) || e.Deleted != int64(deleted) || e.Revised != int64(revised) || e.RowsBefore != int64(len(base)) || e.RowsAfter != int64(len(new)) {
		t.Errorf("entry %+v, want added %d deleted %d revised %d", e, added, deleted, revised)
	}
	if e.Swap != SwapExchange {
		t.Errorf("swap %q", e.Swap)
	}
	after := files(t, ds)
	parts := map[string]bool{}
	for rel, fi := range before {
		part := filepath.ToSlash(filepath.Dir(rel))
		parts[part] = true
		got, ok := after[rel]
		switch {
		case touched[part] && ok:
			t.Errorf("%s: a file of a touched partition is still there", rel)
		case !touched[part] && (!ok || !os.SameFile(fi, got)):
			t.Errorf("%s: an untouched partition's file was not kept as a hard link", rel)
		}
	}
	if _, ok := after[emptied+"/part-0000.parquet"]; ok {
		t.Errorf("emptied partition %s still has a file", emptied)
	}
	if _, err := os.Stat(filepath.Join(ds, filepath.FromSlash(emptied))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("emptied partition %s: folder still there (%v)", emptied, err)
	}
	finalParts := map[string]bool{}
	for _, in := range new {
		finalParts[partOf(in)] = true
	}
	var rewritten, created, removed int
	for part := range touched {
		if !finalParts[part] { // every row deleted or moved away
			removed++
			if _, err := os.Stat(filepath.Join(ds, filepath.FromSlash(part))); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("emptied partition %s: folder still there (%v)", part, err)
			}
			continue
		}
		if _, ok := after[part+"/part-u1-0000.parquet"]; !ok {
			t.Errorf("touched partition %s has no part-u1-0000.parquet", part)
		}
		if parts[part] {
			rewritten++
		} else {
			created++
		}
	}
	if e.PartitionsRewritten != rewritten || e.PartitionsCreated != created || e.PartitionsRemoved != removed || removed == 0 ||
		e.PartitionsUnchanged != len(parts)-rewritten-removed {
		t.Errorf("partitions %+v, want rewritten %d created %d removed %d", e, rewritten, created, removed)
	}
	m, err := ReadManifest(ds)
	if err != nil || len(m.Updates) != 1 || !m.Updates[0].Time.Equal(now) || m.Updates[0].Inputs[0].Rows != int64(len(new)) ||
		m.Updates[0].Inputs[0].SHA256 != fmt.Sprintf("%x", sha256.Sum256([]byte("release2.csv"))) {
		t.Errorf("manifest %+v (%v)", m, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(work, ".events.incidents-update-*"))
	if len(leftovers) > 0 {
		t.Errorf("left behind: %v", leftovers)
	}

	// again: nothing to rewrite, recorded all the same
	res, err = Apply(context.Background(), ds, []Source{source(t, work, "release2.csv", new)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diff.Changed() != 0 || res.Entry.Swap != SwapNone {
		t.Errorf("second update: %d changes, swap %q", res.Diff.Changed(), res.Entry.Swap)
	}
	if m, _ := ReadManifest(ds); len(m.Updates) != 2 {
		t.Errorf("manifest after the second update: %d entries", len(m.Updates))
	}
	again := files(t, ds)
	for rel, fi := range after {
		if rel == ManifestName {
			continue
		}
		if g, ok := again[rel]; !ok || !os.SameFile(fi, g) {
			t.Errorf("%s changed by an update without changes", rel)
		}
	}
}

// otherType returns an event type other than e whose partition is not
// the emptied one.
func otherType(e schema.EventType, emptied string) schema.EventType {
	for _, o := range []schema.EventType{schema.EventBattles, schema.EventRiots, schema.EventProtests} {
		if o != e && !strings.HasSuffix(emptied, "="+o.String()) {
			return o
		}
	}
	panic("no other type")
}

// TestApplyNoDeletes: an incremental download (a few added and revised
// incidents) with NoDeletes keeps everything else.
func TestApplyNoDeletes(t *testing.T) {
	base := release(t)
	work := t.TempDir()
	ds := filepath.Join(work, "events")
	writeDataset(t, ds, base)
	var weekly []schema.Incident
	want := slices.Clone(base)
	for i := 0; i < 10; i++ {
		rev := base[i*100]
		rev.Notes += " [revised]"
		weekly = append(weekly, rev)
		want[i*100] = rev
		add := base[i*100+1]
		add.IncidentID += "-w"
		weekly = append(weekly, add)
		want = append(want, add)
	}
	res, err := Apply(context.Background(), ds, []Source{source(t, work, "weekly.csv", weekly)}, Options{NoDeletes: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diff.Added != 10 || res.Diff.Revised != 10 || res.Diff.Deleted != 0 || res.Diff.Kept != int64(len(base)-10) {
		t.Errorf("summary %+v", res.Diff)
	}
	if got := readBack(t, ds); !slices.Equal(got, lines(want)) {
		t.Errorf("dataset: %d rows, want %d", len(got), len(want))
	}
	if res.Entry.RowsAfter != int64(len(want)) {
		t.Errorf("rows after %d, want %d", res.Entry.RowsAfter, len(want))
	}
}

// TestApplyInterrupted: a context cancelled just before the swap (the new
// tree complete beside the dataset), or before anything, leaves the
// dataset as it was, file for file, and no temporary folder.
func TestApplyInterrupted(t *testing.T) {
	base := release(t)
	for _, when := range []string{"start", "before swap"} {
		t.Run(when, func(t *testing.T) {
			work := t.TempDir()
			ds := filepath.Join(work, "events")
			writeDataset(t, ds, base)
			before := files(t, ds)
			rows := readBack(t, ds)
			ctx, cancel := context.WithCancel(context.Background())
			opts := Options{}
			sawTree := false
			if when == "start" {
				cancel()
			} else {
				opts.beforeSwap = func() error {
					tmp, _ := filepath.Glob(filepath.Join(work, ".events.incidents-update-*"))
					sawTree = len(tmp) == 1
					cancel()
					return nil
				}
			}
			_, err := Apply(ctx, ds, []Source{source(t, work, "next.csv", base[100:])}, opts)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if when != "start" && !sawTree {
				t.Error("the new tree was not beside the dataset before the swap")
			}
			after := files(t, ds)
			if len(after) != len(before) {
				t.Errorf("%d files, was %d", len(after), len(before))
			}
			for rel, fi := range before {
				if g, ok := after[rel]; !ok || !os.SameFile(fi, g) || g.ModTime() != fi.ModTime() {
					t.Errorf("%s changed", rel)
				}
			}
			if !slices.Equal(readBack(t, ds), rows) {
				t.Error("the dataset reads differently")
			}
			if left, _ := filepath.Glob(filepath.Join(work, ".events*")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestApplyRefusals: an input inside the dataset, a file for a dataset,
// and a second update while one runs are refused.
func TestApplyRefusals(t *testing.T) {
	base := release(t)[:50]
	work := t.TempDir()
	ds := filepath.Join(work, "events")
	writeDataset(t, ds, base)
	inside := source(t, ds, "inside.csv", base)
	if _, err := Apply(context.Background(), ds, []Source{inside}, Options{}); !errors.Is(err, export.ErrOutputIsInput) {
		t.Errorf("input inside the dataset: err = %v", err)
	}
	os.Remove(inside.Path)
	if _, err := Apply(context.Background(), filepath.Join(work, "x.csv"), []Source{source(t, work, "x.csv", base)}, Options{}); !errors.Is(err, ErrNotDataset) {
		t.Errorf("file as dataset: err = %v", err)
	}
	fi, _ := os.Stat(ds)
	unlock, err := lockDataset(ds, fi)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(context.Background(), ds, []Source{source(t, work, "n.csv", base)}, Options{})
	unlock()
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), ds) {
		t.Errorf("concurrent update: err = %v", err)
	}
}
