package export

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	flatbuffers "github.com/google/flatbuffers/go"
)

// Arrow's schema decoder (ipc.fieldFromFB) follows a Field's children
// without a depth limit, so a corrupt schema flatbuffer whose children
// point back at an ancestor recurses until the goroutine's stack overflows,
// which no recover can catch. checkSchemaFlatbuffer walks the same tables
// first, bounds-checked, with limits on depth and on fields, so that such a
// file is an error.
const (
	maxFieldDepth = 64
	maxFields     = 1 << 16
)

var errCorruptSchema = errors.New("corrupt Arrow schema")

// checkSchemaFlatbuffer checks an IPC Message flatbuffer holding a Schema.
func checkSchemaFlatbuffer(buf []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrDamaged // the panic names the decoder's internals, nothing a user can act on
		}
	}()
	if len(buf) < 8 {
		return errCorruptSchema
	}
	msg := table(buf, flatbuffers.GetUOffsetT(buf))
	// Message: version, header_type, header (slot 2), bodyLength, custom_metadata
	o := msg.Offset(slot(2))
	if o == 0 {
		return fmt.Errorf("%w: message without header", errCorruptSchema)
	}
	var sch flatbuffers.Table
	msg.Union(&sch, flatbuffers.UOffsetT(o))
	checkPos(buf, sch.Pos)
	n := 0
	// Message.custom_metadata (slot 4); Schema: endianness, fields (slot
	// 1), custom_metadata (2), features (3)
	if err := checkVector(msg, slot(4), 4); err != nil {
		return err
	}
	if err := checkVector(&sch, slot(2), 4); err != nil {
		return err
	}
	if err := checkVector(&sch, slot(3), 8); err != nil {
		return err
	}
	return walkFields(&sch, slot(1), 0, &n)
}

// checkVector checks that the vector in slot s of t, of elements of size
// bytes, lies inside the buffer (arrow allocates by the claimed length).
func checkVector(t *flatbuffers.Table, s flatbuffers.VOffsetT, size int) error {
	o := t.Offset(s)
	if o == 0 {
		return nil
	}
	checkPos(t.Bytes, t.Pos+flatbuffers.UOffsetT(o))
	vec := t.Vector(flatbuffers.UOffsetT(o))
	l := t.VectorLen(flatbuffers.UOffsetT(o))
	if l < 0 || int64(vec)+int64(size)*int64(l) > int64(len(t.Bytes)) {
		return fmt.Errorf("%w: vector of %d elements out of range", errCorruptSchema, l)
	}
	return nil
}

func slot(i int) flatbuffers.VOffsetT { return flatbuffers.VOffsetT(4 + 2*i) }

func table(buf []byte, pos flatbuffers.UOffsetT) *flatbuffers.Table {
	checkPos(buf, pos)
	t := &flatbuffers.Table{Bytes: buf, Pos: pos}
	// the vtable must lie inside buf too
	vt := int64(pos) - int64(t.GetInt32(pos))
	if vt < 0 || vt+4 > int64(len(buf)) {
		panic("vtable out of range")
	}
	return t
}

func checkPos(buf []byte, pos flatbuffers.UOffsetT) {
	if int64(pos)+4 > int64(len(buf)) {
		panic("offset out of range")
	}
}

func walkFields(t *flatbuffers.Table, s flatbuffers.VOffsetT, depth int, n *int) error {
	if depth > maxFieldDepth {
		return fmt.Errorf("%w: fields nested deeper than %d", errCorruptSchema, maxFieldDepth)
	}
	o := t.Offset(s)
	if o == 0 {
		return nil
	}
	at := t.Pos + flatbuffers.UOffsetT(o)
	checkPos(t.Bytes, at)
	vec := t.Vector(flatbuffers.UOffsetT(o))
	l := t.VectorLen(flatbuffers.UOffsetT(o))
	if l < 0 || int64(vec)+4*int64(l) > int64(len(t.Bytes)) {
		return fmt.Errorf("%w: field vector out of range", errCorruptSchema)
	}
	for i := 0; i < l; i++ {
		*n++
		if *n > maxFields {
			return fmt.Errorf("%w: more than %d fields", errCorruptSchema, maxFields)
		}
		f := table(t.Bytes, t.Indirect(vec+flatbuffers.UOffsetT(4*i)))
		// Field: name, nullable, type_type, type, dictionary, children (slot
		// 5), custom_metadata (slot 6)
		if err := checkVector(f, slot(6), 4); err != nil {
			return err
		}
		if err := walkFields(f, slot(5), depth+1, n); err != nil {
			return err
		}
	}
	return nil
}

// checkIPCSchemaAt checks the schema message at offset off of r (an IPC
// stream: continuation marker, length, flatbuffer).
func checkIPCSchemaAt(r io.ReaderAt, off, size int64) error {
	head := make([]byte, 8)
	if _, err := r.ReadAt(head, off); err != nil {
		return fmt.Errorf("%w: %v", errCorruptSchema, err)
	}
	n := int64(binary.LittleEndian.Uint32(head[:4]))
	start := off + 4
	if n == 0xffffffff {
		n = int64(binary.LittleEndian.Uint32(head[4:]))
		start = off + 8
	}
	if n <= 0 || start+n > size {
		return fmt.Errorf("%w: schema message length %d out of range", errCorruptSchema, n)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, start); err != nil {
		return fmt.Errorf("%w: %v", errCorruptSchema, err)
	}
	return checkSchemaFlatbuffer(buf)
}

// checkStoredSchema checks the base64 ARROW:schema value of a Parquet file.
func checkStoredSchema(b64 string) error {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(b64); err != nil {
			return nil // pqarrow ignores what it cannot decode
		}
	}
	return checkIPCSchemaAt(bytesReaderAt(raw), 0, int64(len(raw)))
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.ErrUnexpectedEOF
	}
	return n, nil
}

// checkParquetChunks checks what pqarrow would otherwise trust before it
// reads columns in goroutines of its own (where a panic cannot be
// recovered): every column chunk's offset and length lie inside the file.
func checkParquetChunks(md *metadata.FileMetaData, size int64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrDamaged
		}
	}()
	ncols := md.Schema.NumColumns()
	for g := range md.RowGroups {
		rg := md.RowGroup(g)
		if rg.NumColumns() != ncols {
			return fmt.Errorf("corrupt Parquet footer: row group %d has %d columns, the schema %d", g, rg.NumColumns(), ncols)
		}
		if rg.NumRows() < 0 {
			return fmt.Errorf("corrupt Parquet footer: row group %d has %d rows", g, rg.NumRows())
		}
		for i := 0; i < ncols; i++ {
			col, err := rg.ColumnChunk(i)
			if err != nil {
				return fmt.Errorf("corrupt Parquet footer: %w", err)
			}
			start := col.DataPageOffset()
			if col.HasDictionaryPage() && col.DictionaryPageOffset() > 0 && start > col.DictionaryPageOffset() {
				start = col.DictionaryPageOffset()
			}
			n := col.TotalCompressedSize()
			if start < 0 || n < 0 || start > size || n > size-start {
				return fmt.Errorf("corrupt Parquet footer: column chunk %d of row group %d at %d+%d, file has %d bytes", i, g, start, n, size)
			}
		}
	}
	return nil
}

// maxBuffer caps one Arrow buffer allocated while reading. A corrupt file
// can claim any length (an IPC body's uncompressed size, a page's size),
// and a Go allocation beyond the machine's memory is a fatal error rather
// than a panic; no batch of ours comes near this. (A variable so that the
// fuzz tests can lower it.)
var maxBuffer = 1 << 29

// cappedAllocator refuses single allocations above maxBuffer with a panic
// that the readers recover into an error.
type cappedAllocator struct{ memory.Allocator }

func (c cappedAllocator) Allocate(size int) []byte {
	if size < 0 || size > maxBuffer {
		panic(fmt.Sprintf("export: refusing to allocate %d bytes (corrupt length?)", size))
	}
	return c.Allocator.Allocate(size)
}

func (c cappedAllocator) Reallocate(size int, b []byte) []byte {
	if size < 0 || size > maxBuffer {
		panic(fmt.Sprintf("export: refusing to allocate %d bytes (corrupt length?)", size))
	}
	return c.Allocator.Reallocate(size, b)
}

// checkIPCFraming walks the messages of an IPC stream stored in r between
// start and end (continuation marker, metadata length, metadata, body) and
// checks that each lies inside and that they end at end or at an
// end-of-stream marker. arrow's reader takes a message cut short by a
// corrupt length for a clean end of the stream, silently dropping rows.
func checkIPCFraming(r io.ReaderAt, start, end int64) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = ErrDamaged
		}
	}()
	head := make([]byte, 8)
	pos := start
	for pos < end {
		if end-pos < 8 {
			return fmt.Errorf("truncated Arrow message at byte %d", pos)
		}
		if _, err := r.ReadAt(head, pos); err != nil {
			return err
		}
		n, hdr := int64(binary.LittleEndian.Uint32(head[:4])), int64(4)
		if n == 0xffffffff {
			n, hdr = int64(binary.LittleEndian.Uint32(head[4:])), 8
		}
		if n == 0 { // end of stream
			return nil
		}
		if pos+hdr+n > end {
			return fmt.Errorf("truncated Arrow message at byte %d (metadata of %d bytes)", pos, n)
		}
		meta := make([]byte, n)
		if _, err := r.ReadAt(meta, pos+hdr); err != nil {
			return err
		}
		msg := table(meta, flatbuffers.GetUOffsetT(meta))
		body := int64(0)
		if o := msg.Offset(slot(3)); o != 0 { // Message.bodyLength
			at := msg.Pos + flatbuffers.UOffsetT(o)
			if int64(at)+8 > int64(len(meta)) {
				return fmt.Errorf("corrupt Arrow message at byte %d", pos)
			}
			body = msg.GetInt64(at)
		}
		if body < 0 || body > end-(pos+hdr+n) {
			return fmt.Errorf("truncated Arrow message at byte %d (body of %d bytes)", pos, body)
		}
		pos += hdr + n + body
	}
	if pos != end {
		return fmt.Errorf("truncated Arrow message at byte %d", pos)
	}
	return nil
}
