package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// csvSource reads CSV or TSV record by record (the reports path and the
// header); dataset profiles take its BlockReader and parse blocks in
// parallel (see read_csvfast.go). Quoting follows RFC 4180 as encoding/csv
// reads it without LazyQuotes; blank lines are skipped.
type csvSource struct {
	path   string
	delim  byte
	br     *BlockReader
	hdr    []string
	block  []byte
	line   int64 // line of block[0]
	fields []string
	rec    []byte // where the record Next returned last starts
}

// newCSVSource strips a UTF-8 byte order mark, sniffs the delimiter from the
// header line when delim is 0 (the most frequent of , ; tab | outside
// quotes; comma on a tie) and, for TSV, whether quotes quote (see
// sniffLiteralQuotes), and reads the header: the first record, or
// opts.Columns for a file without one (the first record must then have as
// many fields).
func newCSVSource(path string, br *bufio.Reader, delim rune, opts ReadOptions) (*csvSource, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	if delim == 0 {
		delim = sniffDelimiter(head)
	}
	s := &csvSource{path: path, delim: byte(delim), br: newBlockReader(br, 4096, 1, nil)}
	s.br.max = opts.MaxFieldBytes
	if delim == '\t' {
		s.br.literal = sniffLiteralQuotes(head)
	}
	s.br.delim = s.delim
	if len(opts.Columns) > 0 {
		s.hdr = opts.Columns
		f, line, err := s.Next()
		if err == io.EOF {
			return nil, &Error{File: path, Err: fmt.Errorf("%w (empty input)", ErrNoHeader)}
		}
		if err != nil && !errors.Is(err, ErrRaggedRow) {
			return nil, err
		}
		if len(f) != len(opts.Columns) {
			return nil, &Error{File: path, Line: line, Err: fmt.Errorf("%w: the first row has %d fields, the layout's fixed column order %d: not that layout, or not its full column set",
				ErrRaggedRow, len(f), len(opts.Columns))}
		}
		s.block, s.line = s.rec, line // the first record is data: read it again
		return s, nil
	}
	h, line, err := s.Next()
	if err == io.EOF {
		return nil, &Error{File: path, Err: fmt.Errorf("%w (empty input)", ErrNoHeader)}
	}
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Err = fmt.Errorf("header: %w", e.Err)
			return nil, e
		}
		return nil, &Error{File: path, Line: line, Err: fmt.Errorf("header: %w", err)}
	}
	if opts.Headerless != nil {
		if cols := opts.Headerless(h); len(cols) == len(h) {
			s.hdr = cols
			s.block, s.line = s.rec, line // the first record is data: read it again
			return s, nil
		}
	}
	s.hdr = cleanHeader(h)
	if err := duplicateColumn(s.hdr); err != nil && !LooksLikeData(s.hdr) { // data: the layout's check says "no header row?"
		return nil, &Error{File: path, Line: line, Err: err}
	}
	return s, nil
}

// duplicateColumn returns an error naming the first name given twice
// (empty names, unnamed columns, aside): which of the two a layout should
// read cannot be known.
func duplicateColumn(h []string) error {
	seen := make(map[string]int, len(h))
	for i, n := range h {
		if n == "" {
			continue
		}
		if j, ok := seen[n]; ok {
			return fmt.Errorf("%w %q (columns %d and %d)", ErrDuplicateColumn, n, j+1, i+1)
		}
		seen[n] = i
	}
	return nil
}

// sniffLiteralQuotes tells whether a TSV's quotes are data: unless the
// sample's records hold a quoted field and all parse under RFC 4180
// quoting (Excel's Unicode Text quotes the fields with a tab, quote or
// line break), a '"' is a character like any other (the PITF file's
// literal quotes). The sample is cut at its last newline; a quoted field
// still open there is not held against it.
func sniffLiteralQuotes(head []byte) bool {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	if bytes.IndexByte(head, '"') < 0 {
		return true
	}
	quoted := false
	var fields []string
	for off := 0; off < len(head); {
		start := off
		f, n, _, err := ParseCSVRecord(head[off:], '\t', fields)
		fields = f
		off += n
		if err != nil {
			// a quoted field still open at the sample's end is quoting;
			// any other error is a quote used as data
			return err != errOpenQuote
		}
		if !quoted && bytes.IndexByte(head[start:off], '"') >= 0 {
			quoted = true
		}
	}
	return !quoted
}

// sniffDelimiter counts candidate delimiters outside quotes on the first line.
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range head {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',', ';', '\t', '|':
			counts[c]++
		}
	}
	best, n := byte(','), counts[',']
	for _, c := range []byte{'\t', ';', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

func (s *csvSource) Header() []string { return s.hdr }

// next returns the next record (the slice is reused; the strings are not).
func (s *csvSource) Next() ([]string, int64, error) {
	for {
		if len(s.block) == 0 {
			b, line, err := s.br.Next()
			if err == io.EOF {
				return nil, 0, io.EOF
			}
			if err != nil {
				return nil, 0, InFile(s.path, err)
			}
			s.block, s.line = b, line
		}
		s.rec = s.block
		fields, n, lines, err := s.br.Dialect().Parse(s.block, s.fields)
		s.fields = fields
		s.block = s.block[n:]
		line := s.line
		s.line += int64(lines)
		if err != nil {
			return fields, line, &Error{File: s.path, Line: line, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
		}
		if len(fields) == 0 {
			continue // blank line
		}
		if s.hdr != nil && len(fields) != len(s.hdr) {
			return fields, line, &Error{File: s.path, Line: line,
				Err: fmt.Errorf("%w: %d fields, header has %d", ErrRaggedRow, len(fields), len(s.hdr))}
		}
		return fields, line, nil
	}
}

// Blocks hands over the unread input as a block reader positioned after the
// header, for parallel parsing with ParseCSVRecord: blocks of at most
// maxRows records, with up to spare buffers kept for reuse. The source
// itself must not be read after.
func (s *csvSource) Blocks(maxRows, spare int) *BlockReader {
	br := s.br
	br.maxRows, br.delim = maxRows, s.delim
	br.free = make(chan []byte, spare)
	if len(s.block) > 0 {
		pending := make([]byte, 0, len(s.block)+len(br.buf))
		pending = append(append(pending, s.block...), br.buf...)
		br.buf, br.line = pending, s.line
		s.block = nil
	}
	return br
}

// SerialDates is false: CSV cells are text as written.
func (s *csvSource) SerialDates() bool { return false }
