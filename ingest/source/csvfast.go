package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// CSV is cut into blocks of whole records by a cheap scan (a newline ends a
// record when the number of quote characters before it, since the block
// began, is even), so that workers can parse blocks in parallel. Fields are
// strings pointing into the block (no copy per field): whatever keeps one
// past the chunk's conversion must copy it (strings.Clone), because the
// block's buffer is recycled once the chunk is written (BlockReader.Recycle).

// Causes of CSV syntax errors (wrapped in ErrSyntax).
var (
	errBareQuote = errors.New(`bare " in non-quoted field`)
	errQuote     = errors.New(`extraneous or missing " in quoted field`)
	// errOpenQuote is errQuote where the input ends inside a quoted field.
	errOpenQuote = fmt.Errorf("%w", errQuote)
)

// limit is the longest record the reader holds.
func (b *BlockReader) limit() int64 {
	if b.max > 0 {
		return b.max
	}
	return DefaultMaxFieldBytes
}

// BlockReader cuts a CSV stream into blocks of at most maxRows records.
type BlockReader struct {
	r       io.Reader
	buf     []byte // pending bytes
	eof     bool
	err     error
	line    int64 // line number of buf[0]
	maxRows int
	last    []byte      // the whole buffer behind the block next returned last
	free    chan []byte // buffers handed back by Recycle, reused by Next
	delim   byte
	literal bool  // quotes are data: every newline ends a record
	max     int64 // longest record (0: maxBlockBytes)
}

// Dialect is how the records of a CSV or TSV input are split: the field
// delimiter, and whether '"' quotes fields (RFC 4180) or is data (a TSV
// that does not quote its fields).
type Dialect struct {
	Delim         byte
	LiteralQuotes bool
}

// Parse parses the record at the start of data into fields (reused), as
// ParseCSVRecord does, in this dialect.
func (d Dialect) Parse(data []byte, fields []string) (out []string, n, lines int, err error) {
	if !d.LiteralQuotes {
		return ParseCSVRecord(data, d.Delim, fields)
	}
	return parseLiteralRecord(data, d.Delim, fields)
}

// parseLiteralRecord splits the line at the start of data at each
// delimiter, quotes and all.
func parseLiteralRecord(data []byte, delim byte, fields []string) (out []string, n, lines int, err error) {
	fields = fields[:0]
	end := bytes.IndexByte(data, '\n')
	n = end + 1
	if end < 0 {
		end, n = len(data), len(data)
	} else {
		lines = 1
	}
	line := data[:end]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		return fields, n, lines, nil // blank line
	}
	for {
		k := bytes.IndexByte(line, delim)
		if k < 0 {
			return append(fields, bstr(line)), n, lines, nil
		}
		fields = append(fields, bstr(line[:k]))
		line = line[k+1:]
	}
}

// Dialect returns how the blocks' records are split.
func (b *BlockReader) Dialect() Dialect { return Dialect{Delim: b.delim, LiteralQuotes: b.literal} }

// Recycle hands back the buffer behind a block (Last, when the block was
// returned) once nothing refers to the block's bytes any more: no field
// string, no cache entry. The pipeline recycles a chunk's block after the
// chunk's rows were converted, written and rejected.
func (b *BlockReader) Recycle(buf []byte) {
	if b.free == nil || cap(buf) == 0 {
		return
	}
	select {
	case b.free <- buf[:0]:
	default:
	}
}

// Last returns the whole buffer behind the block Next returned last, to
// hand to Recycle.
func (b *BlockReader) Last() []byte { return b.last }

// Delim returns the field delimiter of the blocks' records.
func (b *BlockReader) Delim() byte { return b.delim }

// alloc returns a buffer of length n and capacity c or more, reused when
// one was recycled.
func (b *BlockReader) alloc(n, c int) []byte {
	select {
	case buf := <-b.free:
		if cap(buf) >= c {
			return buf[:n]
		}
	default:
	}
	return make([]byte, n, c)
}

func newBlockReader(r io.Reader, maxRows int, firstLine int64, pending []byte) *BlockReader {
	return &BlockReader{r: r, maxRows: maxRows, line: firstLine, buf: pending}
}

// fill reads more input into buf; false at the end of input.
func (b *BlockReader) fill() bool {
	if b.eof {
		return false
	}
	if cap(b.buf)-len(b.buf) < 64<<10 {
		nb := make([]byte, len(b.buf), max(2*cap(b.buf), 256<<10))
		copy(nb, b.buf)
		b.buf = nb
	}
	n, err := b.r.Read(b.buf[len(b.buf):cap(b.buf)])
	b.buf = b.buf[:len(b.buf)+n]
	if err != nil {
		b.eof = true
		if err != io.EOF {
			b.err = err
		}
	}
	return n > 0 || !b.eof
}

// Next returns the next block of whole records, the line its first byte is
// on, and io.EOF after the last.
func (b *BlockReader) Next() ([]byte, int64, error) {
	pos, parity, rows, cut := 0, 0, 0, 0
	scanned := 0 // buf[pos:scanned] holds no newline: a long line is not searched again after each fill
	for rows < b.maxRows {
		j := bytes.IndexByte(b.buf[max(pos, scanned):], '\n')
		if j >= 0 {
			j += max(pos, scanned) - pos
		}
		if j < 0 {
			scanned = len(b.buf)
			if int64(len(b.buf)-cut) > b.limit() {
				if cut > 0 {
					break // the whole records before it first
				}
				return nil, 0, b.skipRecord(pos, parity)
			}
			if !b.fill() {
				if b.err != nil {
					if cut > 0 {
						break // the whole records before the error first
					}
					return nil, 0, b.err
				}
				if len(b.buf) > 0 {
					cut = len(b.buf) // last record without a newline
				}
				break
			}
			continue
		}
		seg := b.buf[pos : pos+j+1]
		if !b.literal {
			parity ^= bytes.Count(seg, quote) & 1
		}
		pos += j + 1
		if parity == 0 {
			if int64(pos-cut) > b.limit() {
				if cut > 0 {
					break // the whole records before it first
				}
				return nil, 0, b.skipRecord(0, 0)
			}
			rows++
			cut = pos
		} else if int64(pos-cut) > b.limit() {
			if cut > 0 {
				break // the whole records before it first
			}
			return nil, 0, b.skipRecord(pos, parity) // a long quoted field: one reject when it closes
		}
	}
	if cut == 0 {
		return nil, 0, io.EOF
	}
	block := b.buf[:cut:cut]
	rest := b.buf[cut:]
	b.last = b.buf
	// the next block will be about as long as this one
	nb := b.alloc(len(rest), max(len(block)+len(block)/8, len(rest)+256<<10))
	copy(nb, rest)
	b.buf = nb
	first := b.line
	b.line += int64(bytes.Count(block, newline))
	return block, first, nil
}

// skipRecord passes over a record longer than the limit that starts at
// buf[0], of which buf[:scanned] was read with quote parity parity,
// without holding it: it reads on, dropping what it has scanned, to the
// newline that ends the record outside quotes, and returns the record's
// row error (the caller rejects that one row and goes on, Line naming it).
// A quote still open at the end of the input is the error that stops it.
func (b *BlockReader) skipRecord(scanned, parity int) error {
	start, lines := b.line, int64(0)
	rest := b.buf[scanned:]
	lines += int64(bytes.Count(b.buf[:scanned], newline))
	for {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			if !b.literal {
				parity ^= bytes.Count(rest, quote) & 1
			}
			b.buf = b.buf[:0]
			if !b.fill() {
				if b.err != nil {
					return b.err
				}
				if parity != 0 {
					return &Error{Line: start, Err: tooLarge("record (a quoted field never closed?)", b.limit()), Stop: true}
				}
				b.line = start + lines
				return &Error{Line: start, Err: tooLarge("record", b.limit())}
			}
			rest = b.buf
			continue
		}
		if !b.literal {
			parity ^= bytes.Count(rest[:j+1], quote) & 1
		}
		lines++
		rest = rest[j+1:]
		if parity == 0 {
			n := copy(b.buf, rest)
			b.buf = b.buf[:n]
			b.line = start + lines
			return &Error{Line: start, Err: tooLarge("record", b.limit())}
		}
	}
}

var (
	quote   = []byte{'"'}
	newline = []byte{'\n'}
)

func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// ParseCSVRecord parses the record at the start of data into fields (reused).
// It returns the bytes consumed and the newlines among them. A syntax error
// consumes the rest of the line it occurs on; blank lines give no fields and
// a nil error.
func ParseCSVRecord(data []byte, delim byte, fields []string) (out []string, n, lines int, err error) {
	fields = fields[:0]
	i := 0
	if len(data) > 0 && (data[0] == '\n' || (data[0] == '\r' && len(data) > 1 && data[1] == '\n')) {
		if data[0] == '\r' {
			return fields, 2, 1, nil
		}
		return fields, 1, 1, nil
	}
	if len(data) == 1 && data[0] == '\r' { // a last line of just CR
		return fields, 1, 0, nil
	}
	// Fast path: the fields of the line before its first quote are not
	// quoted, so they are cut at each delimiter with bytes.IndexByte (SIMD)
	// instead of byte by byte; the loop below takes over at the field that
	// holds the quote.
	eol := bytes.IndexByte(data, '\n')
	end := eol
	if eol < 0 {
		end = len(data)
	}
	q := bytes.IndexByte(data[:end], '"')
	limit := end
	if q >= 0 {
		limit = q
	}
	for {
		k := bytes.IndexByte(data[i:limit], delim)
		if k < 0 {
			break
		}
		fields = append(fields, bstr(data[i:i+k]))
		i += k + 1
	}
	if q < 0 { // the rest of the line is the last field
		f := data[i:end]
		if len(f) > 0 && f[len(f)-1] == '\r' {
			f = f[:len(f)-1]
		}
		fields = append(fields, bstr(f))
		if eol < 0 {
			return fields, end, lines, nil
		}
		return fields, end + 1, lines + 1, nil
	}
	for {
		if i < len(data) && data[i] == '"' {
			// quoted field
			j := i + 1
			esc := false
			for {
				k := bytes.IndexByte(data[j:], '"')
				if k < 0 {
					return fields, len(data), bytes.Count(data, newline), errOpenQuote
				}
				q := j + k
				if q+1 < len(data) && data[q+1] == '"' {
					esc, j = true, q+2
					continue
				}
				content := data[i+1 : q]
				lines += bytes.Count(content, newline)
				var s string
				if esc || bytes.IndexByte(content, '\r') >= 0 {
					c := bytes.ReplaceAll(content, []byte(`""`), quote)
					c = bytes.ReplaceAll(c, []byte("\r\n"), newline)
					s = string(c)
				} else {
					s = bstr(content)
				}
				fields = append(fields, s)
				i = q + 1
				break
			}
			switch {
			case i >= len(data):
				return fields, i, lines, nil
			case data[i] == delim:
				i++
				continue
			case data[i] == '\n':
				return fields, i + 1, lines + 1, nil
			case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
				return fields, i + 2, lines + 1, nil
			case data[i] == '\r' && i+1 == len(data): // a last line ending in CR
				return fields, i + 1, lines, nil
			}
			return fields, skipLine(data, i), lines + 1, errQuote
		}
		// unquoted field
		j := i
		for j < len(data) {
			c := data[j]
			if c == delim || c == '\n' {
				break
			}
			if c == '"' {
				return fields, skipLine(data, j), lines + 1, errBareQuote
			}
			j++
		}
		f := data[i:j]
		if j >= len(data) || data[j] == '\n' {
			if len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			fields = append(fields, bstr(f))
			if j >= len(data) {
				return fields, j, lines, nil
			}
			return fields, j + 1, lines + 1, nil
		}
		fields = append(fields, bstr(f))
		i = j + 1
	}
}

func skipLine(data []byte, i int) int {
	k := bytes.IndexByte(data[i:], '\n')
	if k < 0 {
		return len(data)
	}
	return i + k + 1
}
