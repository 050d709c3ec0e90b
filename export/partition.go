package export

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/compute"
)

// MaxPartitionValueBytes is the longest partition value, once escaped, a
// dataset folder name may hold: with the column name and "=" it must stay
// within the 255 bytes of a file name on common file systems. A longer
// value is refused (ErrPartitionValueTooLong) rather than shortened, as a
// shortened folder name would read back as another value in every Hive
// reader.
const MaxPartitionValueBytes = 200

// Errors of partitioned writes, for errors.Is.
var (
	ErrTooManyPartitions     = errors.New("too many partitions")
	ErrPartitionValueTooLong = errors.New("partition value too long for a folder name")
)

// EscapePartitionValue returns a partition value as it appears in a Hive
// folder name: the characters Hive escapes (path separators, '=', '%',
// quotes, control characters, ...) become %XX, so no value can name a
// parent or absolute folder; "" becomes __HIVE_DEFAULT_PARTITION__, as
// null does, and the literal text __HIVE_DEFAULT_PARTITION__ is written
// %5F_HIVE_DEFAULT_PARTITION__, which readers unescape to the text instead
// of taking it for null.
func EscapePartitionValue(s string) string {
	if s == "" {
		return hiveNull
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 || (i == 0 && s == hiveNull) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// UnescapePartitionValue undoes EscapePartitionValue; ok is false for the
// null partition.
func UnescapePartitionValue(s string) (value string, ok bool) {
	if s == hiveNull {
		return "", false
	}
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, ok := unhex(s[i+1], s[i+2]); ok {
				b.WriteByte(v)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

func unhex(a, b byte) (byte, bool) {
	h := func(c byte) (byte, bool) {
		switch {
		case '0' <= c && c <= '9':
			return c - '0', true
		case 'a' <= c && c <= 'f':
			return c - 'a' + 10, true
		case 'A' <= c && c <= 'F':
			return c - 'A' + 10, true
		}
		return 0, false
	}
	x, ok1 := h(a)
	y, ok2 := h(b)
	return x<<4 | y, ok1 && ok2
}

type partFile struct {
	key  string
	path string
	file *os.File
	sink sink
	rows int64
	elem *list.Element
}

// partitioner spreads records over Hive partition folders below root,
// keeping at most o.MaxOpenPartitions files open.
type partitioner struct {
	ctx      context.Context
	root     string
	format   string
	o        *WriteOptions
	full     *arrow.Schema
	partCols []int
	dataCols []int
	fileSc   *arrow.Schema
	open     map[string]*partFile
	lru      *list.List
	next     map[string]int
	meta     func() (keys, values []string)
	files    int
}

func newPartitioner(sc *arrow.Schema, by []string, format string, o *WriteOptions) (*partitioner, error) {
	p := &partitioner{format: format, o: o, full: sc, open: map[string]*partFile{}, lru: list.New(), next: map[string]int{}}
	seen := map[int]bool{}
	for _, name := range by {
		idx := sc.FieldIndices(name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("export: partition column %q is not in the schema", name)
		}
		switch t := sc.Field(idx[0]).Type; t.ID() {
		case arrow.LIST, arrow.LARGE_LIST, arrow.STRUCT, arrow.MAP, arrow.FLOAT32, arrow.FLOAT64:
			return nil, fmt.Errorf("export: cannot partition by %s (type %s)", name, t)
		}
		if seen[idx[0]] {
			return nil, fmt.Errorf("export: partition column %q named twice", name)
		}
		seen[idx[0]] = true
		p.partCols = append(p.partCols, idx[0])
	}
	var fields []arrow.Field
	for i, f := range sc.Fields() {
		if !seen[i] {
			p.dataCols = append(p.dataCols, i)
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("export: every column is a partition column")
	}
	md := sc.Metadata()
	p.fileSc = arrow.NewSchema(fields, &md)
	return p, nil
}

func (p *partitioner) extension() string {
	switch p.format {
	case FormatArrow:
		return ".arrow"
	case FormatArrowsIPC:
		return ".arrows"
	}
	return "." + p.format
}

func (p *partitioner) write(rec arrow.Record) error {
	n := int(rec.NumRows())
	cells := make([]cellWriter, len(p.partCols))
	for k, ci := range p.partCols {
		cells[k] = cellWriterFor(rec.Column(ci), false)
	}
	groups := map[string][]int32{}
	var order []string
	var buf, key []byte
	newKeys := 0
	for i := 0; i < n; i++ {
		key = key[:0]
		for k, ci := range p.partCols {
			if k > 0 {
				key = append(key, '/')
			}
			key = append(key, EscapePartitionValue(p.full.Field(ci).Name)...)
			key = append(key, '=')
			var ok bool
			buf, ok = cells[k](buf[:0], i)
			if ok {
				v := EscapePartitionValue(string(buf))
				if len(v) > MaxPartitionValueBytes {
					return fmt.Errorf("export: %w: a value of %s is %d bytes once escaped, more than %d (%s)",
						ErrPartitionValueTooLong, p.full.Field(ci).Name, len(v), MaxPartitionValueBytes, shortText(string(buf), 40))
				}
				key = append(key, v...)
			} else {
				key = append(key, hiveNull...)
			}
		}
		g, ok := groups[string(key)]
		if !ok {
			order = append(order, string(key))
			if _, known := p.next[string(key)]; !known {
				newKeys++
				if len(p.next)+newKeys > p.o.MaxPartitions {
					return fmt.Errorf("export: %w: more than %d distinct values of %s", ErrTooManyPartitions,
						p.o.MaxPartitions, p.columnNames())
				}
			}
		}
		groups[string(key)] = append(g, int32(i))
	}
	for _, key := range order {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		part, err := p.project(rec, groups[key], len(order) == 1)
		if err != nil {
			return err
		}
		err = p.writePart(key, part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *partitioner) columnNames() string {
	names := make([]string, len(p.partCols))
	for k, ci := range p.partCols {
		names[k] = p.full.Field(ci).Name
	}
	return strings.Join(names, ",")
}

// shortText quotes s, cut to n bytes (at a rune boundary) with "..." and
// the full length when longer.
func shortText(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// project returns the data columns of the rows idx of rec.
func (p *partitioner) project(rec arrow.Record, idx []int32, all bool) (arrow.Record, error) {
	cols := make([]arrow.Array, len(p.dataCols))
	if all {
		for k, ci := range p.dataCols {
			cols[k] = rec.Column(ci)
		}
		return array.NewRecord(p.fileSc, cols, rec.NumRows()), nil
	}
	ib := array.NewInt32Builder(p.o.Mem)
	ib.AppendValues(idx, nil)
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	ctx := compute.WithAllocator(context.Background(), p.o.Mem)
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for k, ci := range p.dataCols {
		c, err := takeArray(ctx, rec.Column(ci), indices)
		if err != nil {
			return nil, fmt.Errorf("take %s: %w", p.fileSc.Field(k).Name, err)
		}
		cols[k] = c
	}
	return array.NewRecord(p.fileSc, cols, int64(len(idx))), nil
}

func (p *partitioner) writePart(key string, rec arrow.Record) error {
	pf, ok := p.open[key]
	if ok {
		p.lru.MoveToFront(pf.elem)
	} else {
		for p.lru.Len() >= p.o.MaxOpenPartitions {
			if err := p.closePart(p.lru.Back().Value.(*partFile)); err != nil {
				return err
			}
		}
		dir := filepath.Join(p.root, filepath.FromSlash(key))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		seq := p.next[key]
		p.next[key] = seq + 1
		path := filepath.Join(dir, fmt.Sprintf("part-%04d%s", seq, p.extension()))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		s, err := newSink(p.ctx, p.format, f, path, p.fileSc, p.o)
		if err != nil {
			f.Close()
			return err
		}
		pf = &partFile{key: key, path: path, file: f, sink: s}
		pf.elem = p.lru.PushFront(pf)
		p.open[key] = pf
		p.files++
	}
	pf.rows += rec.NumRows()
	return pf.sink.write(rec)
}

func (p *partitioner) closePart(pf *partFile) error {
	p.lru.Remove(pf.elem)
	delete(p.open, pf.key)
	var keys, values []string
	if p.meta != nil {
		keys, values = p.meta()
	}
	keys, values = setMeta(keys, values, MetaRows, fmt.Sprint(pf.rows))
	err := pf.sink.finish(keys, values)
	if err == nil {
		err = pf.file.Sync()
	}
	if cerr := pf.file.Close(); err == nil {
		err = cerr
	}
	return err
}

func (p *partitioner) finish(keys, values []string) error {
	p.meta = func() ([]string, []string) { return keys, values }
	for p.lru.Len() > 0 {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if err := p.closePart(p.lru.Back().Value.(*partFile)); err != nil {
			return err
		}
	}
	return nil
}

func (p *partitioner) abort() {
	for _, pf := range p.open {
		pf.sink.abort()
		pf.file.Close()
	}
	p.open = map[string]*partFile{}
	p.lru.Init()
}

// setMeta returns copies of keys and values with key set to value.
func setMeta(keys, values []string, key, value string) ([]string, []string) {
	keys = append([]string{}, keys...)
	values = append([]string{}, values...)
	for i, k := range keys {
		if k == key {
			values[i] = value
			return keys, values
		}
	}
	return append(keys, key), append(values, value)
}

// takeArray is compute.TakeArray, which has no dictionary kernel in arrow
// v17: a dictionary column takes its indices and keeps its dictionary.
func takeArray(ctx context.Context, a, indices arrow.Array) (arrow.Array, error) {
	d, ok := a.(*array.Dictionary)
	if !ok {
		return compute.TakeArray(ctx, a, indices)
	}
	idx, err := compute.TakeArray(ctx, d.Indices(), indices)
	if err != nil {
		return nil, err
	}
	defer idx.Release()
	return array.NewDictionaryArray(d.DataType(), idx, d.Dictionary()), nil
}
