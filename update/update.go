package update

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"golang.org/x/sys/unix"

	"github.com/incidentkit/incidents/diff"
	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/internal/spill"
	"github.com/incidentkit/incidents/schema"
)

// ManifestName is the manifest's file name in the dataset folder. Its
// leading '_' keeps dataset readers (ours, DuckDB's and pyarrow's globs of
// *.parquet) from taking it for data.
const ManifestName = "_incidents_updates.json"

// Source is one NEW input: its path (for the manifest and its checksum)
// and how to read its records (every schema column, diff.Columns).
type Source struct {
	Path string
	Read func(ctx context.Context, add func(arrow.Record) error) error
}

// Options configure Apply.
type Options struct {
	// NoDeletes keeps incidents that are not in NEW (an incremental
	// download) instead of removing them (a full release).
	NoDeletes bool
	// By names the columns of the summary's net effect (diff.Options.By).
	By []string
	// MemoryBytes bounds the rows each of the two sorts holds in memory
	// before it spills to $TMPDIR (default diff.DefaultMemoryBytes).
	MemoryBytes int
	// Mem allocates Arrow memory; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// Version is written to the manifest (the command's version).
	Version string
	// Now is the clock of the manifest; nil means time.Now.
	Now func() time.Time
	// beforeSwap, in tests, runs just before the new tree replaces the old.
	beforeSwap func() error
}

// Manifest is the dataset's record of its updates, oldest first.
type Manifest struct {
	Updates []Entry `json:"updates"`
}

// Entry records one update.
type Entry struct {
	Time       time.Time `json:"time"`
	Version    string    `json:"version,omitempty"`
	Inputs     []Input   `json:"inputs"`
	NoDeletes  bool      `json:"no_deletes"`
	RowsBefore int64     `json:"rows_before"`
	RowsAfter  int64     `json:"rows_after"`
	Added      int64     `json:"added"`
	Deleted    int64     `json:"deleted"`
	Revised    int64     `json:"revised"`
	Unchanged  int64     `json:"unchanged"`
	Kept       int64     `json:"kept"`
	// Partitions: folders rewritten (touched), created (new), removed
	// (left empty) and linked unchanged.
	PartitionsRewritten int    `json:"partitions_rewritten"`
	PartitionsCreated   int    `json:"partitions_created"`
	PartitionsRemoved   int    `json:"partitions_removed"`
	PartitionsUnchanged int    `json:"partitions_unchanged"`
	Swap                string `json:"swap"`
}

// Input is one NEW input of an update.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int64  `json:"bytes"`
	Rows   int64  `json:"rows"`
}

// Result is what Apply did: the change summary (as diff prints it) and
// the manifest entry it wrote.
type Result struct {
	Diff  *diff.Summary
	Entry Entry
}

// Swap methods, as Entry.Swap names them.
const (
	SwapExchange = "renameat2(RENAME_EXCHANGE)"
	SwapRename   = "two renames (the file system has no RENAME_EXCHANGE)"
	SwapNone     = "none (no changes)"
)

// ErrNotDataset is the error of a DATASET that is not a partitioned
// dataset folder of incidents.
var ErrNotDataset = errors.New("not a dataset folder")

// ErrBusy is the error of an update of a dataset another update holds.
var ErrBusy = errors.New("another update of this dataset is running")

// layout is the dataset as found on disk.
type layout struct {
	pcols  []string            // partition columns, in folder order
	format string              // data files' format
	parts  map[string][]string // partition folder (slash form, "" for the root) -> its data files (relative)
	rows   int64
}

func scanDataset(root string) (*layout, error) {
	l := &layout{parts: map[string][]string{}}
	first := true
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		format := export.FormatFromPath(name)
		switch format {
		case export.FormatParquet, export.FormatArrow, export.FormatArrowsIPC:
		default:
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		dir := filepath.ToSlash(filepath.Dir(rel))
		if dir == "." {
			dir = ""
		}
		var cols []string
		if dir != "" {
			for _, seg := range strings.Split(dir, "/") {
				k, v, ok := strings.Cut(seg, "=")
				if !ok {
					return fmt.Errorf("%s: folder %q is not a key=value partition", p, seg)
				}
				val, valid := export.UnescapePartitionValue(v)
				canon := "__HIVE_DEFAULT_PARTITION__"
				if valid {
					canon = export.EscapePartitionValue(val)
				}
				if canon != v {
					return fmt.Errorf("%s: folder %q is not written as incidents export writes it (%s=%s)", p, seg, k, canon)
				}
				key, _ := export.UnescapePartitionValue(k)
				cols = append(cols, key)
			}
		}
		if first {
			l.pcols, l.format, first = cols, format, false
		} else if !slices.Equal(cols, l.pcols) {
			return fmt.Errorf("%s: partition folders %v, want %v as the others", p, cols, l.pcols)
		}
		l.parts[dir] = append(l.parts[dir], filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if first {
		return nil, fmt.Errorf("%w: %s holds no Parquet or Arrow files", ErrNotDataset, root)
	}
	return l, nil
}

// partKey returns the partition folder a row goes to, as export's
// partitioner names it.
func partKey(dst []byte, r *diff.Row, pcols []string) []byte {
	for k, c := range pcols {
		if k > 0 {
			dst = append(dst, '/')
		}
		dst = append(dst, export.EscapePartitionValue(c)...)
		dst = append(dst, '=')
		v, ok := r.Text(c)
		if ok {
			dst = append(dst, export.EscapePartitionValue(v)...)
		} else {
			dst = append(dst, "__HIVE_DEFAULT_PARTITION__"...)
		}
	}
	return dst
}

// Apply applies the NEW inputs to the Hive-partitioned dataset folder
// (written by export with PartitionBy): incidents added or revised are
// written, those not in NEW removed (unless NoDeletes), and only the
// partitions they touch are rewritten. The new tree is built beside the
// dataset, untouched partitions' files hard-linked into it, and swapped in
// with one renameat2(RENAME_EXCHANGE), so a reader lists the old or the new
// dataset, never a mix; a failure or a cancelled ctx before the swap
// leaves the dataset as it was, and the temporary tree is removed.
func Apply(ctx context.Context, dataset string, news []Source, opts Options) (res *Result, err error) {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MemoryBytes <= 0 {
		opts.MemoryBytes = diff.DefaultMemoryBytes
	}
	if len(news) == 0 {
		return nil, errors.New("update: no NEW inputs")
	}
	fi, err := os.Stat(dataset)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("update: %w: %s is a file", ErrNotDataset, dataset)
	}
	var paths []string
	for _, s := range news {
		paths = append(paths, s.Path)
	}
	// The dataset is rewritten in place by design; an input inside it (or
	// the dataset itself as an input) is refused, as for any output.
	if err := export.CheckOutput(dataset, export.OutputOptions{Folder: true, Overwrite: true, Inputs: paths}); err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	unlock, err := lockDataset(dataset, fi)
	if err != nil {
		return nil, err
	}
	defer unlock()
	lay, err := scanDataset(dataset)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	for _, c := range lay.pcols {
		if schema.ColumnIndex(c) < 0 {
			return nil, fmt.Errorf("update: %s: partition column %s is not a schema column", dataset, c)
		}
	}
	manifest, err := readManifest(dataset)
	if err != nil {
		return nil, err
	}

	// Pass 1: diff the dataset against NEW. Every incident's final row goes
	// to a second sort by (partition, incident_id), and every partition a
	// change touches is noted.
	final := spill.NewSorter(opts.MemoryBytes, nil, "incidents-update-*")
	defer final.Close()
	touched := map[string]bool{}
	var key, enc, okey []byte
	var rowsAfter int64
	visit := func(c diff.Change, old, new *diff.Row) error {
		var keep *diff.Row
		switch c {
		case diff.Added, diff.Revised, diff.Unchanged:
			keep = new
		case diff.Kept:
			keep = old
		}
		if old != nil && c != diff.Unchanged && c != diff.Kept {
			okey = partKey(okey[:0], old, lay.pcols)
			touched[string(okey)] = true
		}
		if keep == nil {
			return nil
		}
		key = partKey(key[:0], keep, lay.pcols)
		if c == diff.Added || c == diff.Revised {
			touched[string(key)] = true
		}
		if len(touched) > export.DefaultMaxPartitions {
			return fmt.Errorf("update: %w: the changes touch more than %d partitions", export.ErrTooManyPartitions, export.DefaultMaxPartitions)
		}
		key = append(key, 0)
		key = append(key, keep.ID()...)
		enc = keep.Encoded(enc[:0])
		final.Add(key, 0, enc)
		rowsAfter++
		return nil
	}
	d, err := diff.NewDiffer(diff.Options{OldName: dataset, NewName: strings.Join(paths, ", "), NoDeletes: opts.NoDeletes, By: opts.By,
		MemoryBytes: opts.MemoryBytes, Mem: opts.Mem, Visit: visit})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	rr, err := export.Open(ctx, dataset, export.ReadOptions{Columns: diff.Columns(), Mem: opts.Mem})
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	for rr.Next() {
		if err := d.Add(diff.Old, rr.Record()); err != nil {
			rr.Release()
			return nil, err
		}
	}
	rerr := rr.Err()
	rr.Release()
	if rerr != nil {
		return nil, fmt.Errorf("update: %s: %w", dataset, rerr)
	}
	var inputs []Input
	for _, s := range news {
		in := Input{Path: s.Path}
		err := s.Read(ctx, func(rec arrow.Record) error {
			in.Rows += rec.NumRows()
			return d.Add(diff.New, rec)
		})
		if err != nil {
			return nil, err
		}
		if in.SHA256, in.Bytes, err = FileSHA256(ctx, s.Path); err != nil {
			return nil, fmt.Errorf("update: %w", err)
		}
		inputs = append(inputs, in)
	}
	sum, err := d.Run(ctx, nil)
	if err != nil {
		return nil, err
	}
	entry := Entry{Time: opts.Now().UTC().Truncate(time.Second), Version: opts.Version, Inputs: inputs, NoDeletes: opts.NoDeletes,
		RowsBefore: sum.OldRows, RowsAfter: rowsAfter, Added: sum.Added, Deleted: sum.Deleted, Revised: sum.Revised,
		Unchanged: sum.Unchanged, Kept: sum.Kept}
	res = &Result{Diff: sum}
	if len(touched) == 0 {
		// Nothing to rewrite: the dataset already is NEW. The update is
		// still recorded, the manifest replaced by a rename.
		entry.Swap = SwapNone
		entry.PartitionsUnchanged = len(lay.parts)
		manifest.Updates = append(manifest.Updates, entry)
		if err := writeManifest(dataset, manifest); err != nil {
			return nil, err
		}
		res.Entry = entry
		return res, nil
	}

	// Pass 2: the new tree beside the dataset.
	tmp, err := makeTemp(dataset)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
	}()
	seq := len(manifest.Updates) + 1
	written, err := writeTouched(ctx, tmp, final, touched, lay, seq, opts)
	if err != nil {
		return nil, err
	}
	for part := range touched {
		_, existed := lay.parts[part]
		switch {
		case written[part] && existed:
			entry.PartitionsRewritten++
		case written[part]:
			entry.PartitionsCreated++
		case existed:
			entry.PartitionsRemoved++
		}
	}
	entry.PartitionsUnchanged = len(lay.parts) - entry.PartitionsRewritten - entry.PartitionsRemoved
	if err := linkUntouched(ctx, dataset, tmp, lay, touched); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entry.Swap = SwapExchange
	manifest.Updates = append(manifest.Updates, entry)
	if err := writeManifest(tmp, manifest); err != nil {
		return nil, err
	}
	if opts.beforeSwap != nil {
		if err := opts.beforeSwap(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The swap: from here the update is done whatever ctx says.
	method, err := swap(tmp, dataset)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	swapped = true
	os.RemoveAll(tmp) // the old tree, now at the temporary name
	if method != SwapExchange {
		// the manifest says how it was done
		entry.Swap = method
		manifest.Updates[len(manifest.Updates)-1] = entry
		writeManifest(dataset, manifest)
	}
	res.Entry = entry
	return res, nil
}

// writeTouched writes the final rows of the touched partitions into tmp,
// named part-uSEQ-NNNN so that no file of the old tree's listing names a
// file of the new one. It returns the partitions that got rows.
func writeTouched(ctx context.Context, tmp string, final *spill.Sorter, touched map[string]bool, lay *layout, seq int, opts Options) (map[string]bool, error) {
	staged := filepath.Join(tmp, ".staged")
	meta := map[string]string{"incidents.version": opts.Version}
	var w *export.Writer
	var err error
	if len(lay.pcols) > 0 {
		w, err = export.Create(ctx, staged, export.WriteOptions{Format: lay.format, PartitionBy: lay.pcols, Mem: opts.Mem,
			MaxPartitions: export.DefaultMaxPartitions + 1, Metadata: meta,
			// The rows come partition by partition: one open file at a time,
			// each closed (its row group written) when the next begins,
			// instead of a row group held for every partition (670 MB of
			// heap at 2M rows over 28 partitions before).
			MaxOpenPartitions: 1})
	} else { // an unpartitioned folder: its files are one partition
		if err = os.Mkdir(staged, 0o755); err == nil {
			w, err = export.Create(ctx, filepath.Join(staged, "part-0000."+ext(lay.format)), export.WriteOptions{Format: lay.format, Mem: opts.Mem, Metadata: meta})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	b := array.NewRecordBuilder(opts.Mem, schema.Arrow())
	defer b.Release()
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		rec := b.NewRecord()
		n = 0
		defer rec.Release()
		return w.Write(rec)
	}
	it := final.Sort()
	var rows int64
	var cur []byte
	for it.Next() {
		if rows++; rows&4095 == 0 {
			if err := ctx.Err(); err != nil {
				w.Abort()
				return nil, err
			}
		}
		k := it.Key()
		i := bytes.IndexByte(k, 0)
		if !touched[string(k[:i])] {
			continue
		}
		// One partition per record: the partitioned writer then writes
		// it whole, where a record spanning partitions is split with
		// arrow's Take, whose text kernel grows its buffers a value at a
		// time (74% of the CPU of an update of 200k rows before).
		if !bytes.Equal(k[:i], cur) {
			if err := flush(); err != nil {
				w.Abort()
				return nil, fmt.Errorf("update: %w", err)
			}
			cur = append(cur[:0], k[:i]...)
		}
		r, err := diff.DecodeRow(k[i+1:], it.Payload())
		if err != nil {
			w.Abort()
			return nil, fmt.Errorf("update: %w", err)
		}
		r.Append(b)
		if n++; n >= 1<<16 {
			if err := flush(); err != nil {
				w.Abort()
				return nil, fmt.Errorf("update: %w", err)
			}
		}
	}
	if err := it.Err(); err != nil {
		w.Abort()
		return nil, fmt.Errorf("update: %w", err)
	}
	if err := flush(); err != nil {
		w.Abort()
		return nil, fmt.Errorf("update: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	// Move the staged files into the tree under their new names.
	written := map[string]bool{}
	counter := map[string]int{}
	err = filepath.WalkDir(staged, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch export.FormatFromPath(d.Name()) {
		case export.FormatParquet, export.FormatArrow, export.FormatArrowsIPC:
		default:
			return nil
		}
		rel, _ := filepath.Rel(staged, filepath.Dir(p))
		part := filepath.ToSlash(rel)
		if part == "." {
			part = ""
		}
		if !touched[part] {
			return fmt.Errorf("update: the writer made partition %q, which no change touched (a partition value written two ways?)", part)
		}
		dir := filepath.Join(tmp, filepath.FromSlash(part))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		name := fmt.Sprintf("part-u%d-%04d.%s", seq, counter[part], ext(lay.format))
		counter[part]++
		written[part] = true
		return os.Rename(p, filepath.Join(dir, name))
	})
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(staged); err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	return written, nil
}

func ext(format string) string {
	if format == export.FormatArrowsIPC {
		return "arrows"
	}
	return format
}

// linkUntouched hard-links into tmp every file of the dataset but the data
// files of touched partitions and the manifest: untouched partitions cost
// a link each, not a copy.
func linkUntouched(ctx context.Context, dataset, tmp string, lay *layout, touched map[string]bool) error {
	replaced := map[string]bool{}
	for part := range touched {
		for _, f := range lay.parts[part] {
			replaced[f] = true
		}
	}
	return filepath.WalkDir(dataset, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dataset, p)
		if rel == "." {
			return nil
		}
		slash := filepath.ToSlash(rel)
		if d.IsDir() {
			return nil // made for the files linked into it: a partition left empty has no folder
		}
		if replaced[slash] || slash == ManifestName {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // links and sockets are not the dataset's
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(tmp, rel)), 0o755); err != nil {
			return err
		}
		if err := os.Link(p, filepath.Join(tmp, rel)); err != nil {
			return fmt.Errorf("update: cannot hard-link %s into the new tree: %w", p, err)
		}
		return nil
	})
}

// swap puts the tree at tmp in place of dataset; the old tree ends at tmp.
// renameat2(RENAME_EXCHANGE) swaps the two names in one step, so every
// lookup of the dataset's path finds one whole tree; where the file system
// lacks it, two renames leave a moment with no dataset at all, never a mix.
func swap(tmp, dataset string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dataset, unix.RENAME_EXCHANGE)
	if err == nil {
		return SwapExchange, nil
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return "", fmt.Errorf("swapping %s into place: %w", dataset, err)
	}
	aside := tmp + "-old"
	if err := os.Rename(dataset, aside); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dataset); err != nil {
		os.Rename(aside, dataset)
		return "", err
	}
	if err := os.Rename(aside, tmp); err != nil {
		os.RemoveAll(aside)
	}
	return SwapRename, nil
}

// makeTemp makes the new tree's folder beside dataset, hidden.
func makeTemp(dataset string) (string, error) {
	clean := filepath.Clean(dataset)
	dir, base := filepath.Dir(clean), filepath.Base(clean)
	for range 100 {
		p := filepath.Join(dir, fmt.Sprintf(".%s.incidents-update-%d-%08x", base, os.Getpid(), rand.Uint32()))
		if err := os.Mkdir(p, 0o755); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", errors.New("cannot make a temporary folder beside the dataset")
}

// lockDataset takes an exclusive flock on the dataset folder, so that two
// updates never build on the same old tree.
func lockDataset(dataset string, fi os.FileInfo) (func(), error) {
	f, err := os.Open(dataset)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("update: %s: %w", dataset, ErrBusy)
		}
		return nil, fmt.Errorf("update: %s: lock: %w", dataset, err)
	}
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, fmt.Errorf("update: %s: %w", dataset, ErrBusy)
	}
	return func() { f.Close() }, nil
}

func readManifest(dataset string) (*Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dataset, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return &m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("update: %s: %w", filepath.Join(dataset, ManifestName), err)
	}
	return &m, nil
}

// ReadManifest returns the updates recorded in a dataset folder (none for
// a dataset never updated).
func ReadManifest(dataset string) (*Manifest, error) { return readManifest(dataset) }

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	path := filepath.Join(dir, ManifestName)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("update: %w", err)
	}
	return nil
}

// FileSHA256 returns the SHA-256 of a file (of a folder: of its files' sums and
// names, in order) and its size, as the manifest records each input.
func FileSHA256(ctx context.Context, path string) (string, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	if fi.IsDir() {
		// a dataset folder as input: the files' names and sums, in order
		h := sha256.New()
		var total int64
		var files []string
		filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		sort.Strings(files)
		for _, f := range files {
			s, n, err := FileSHA256(ctx, f)
			if err != nil {
				return "", 0, err
			}
			rel, _ := filepath.Rel(path, f)
			fmt.Fprintf(h, "%s  %s\n", s, filepath.ToSlash(rel))
			total += n
		}
		return hex.EncodeToString(h.Sum(nil)), total, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
