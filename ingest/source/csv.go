package source

import (
	"bufio"
	"bytes"
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
}

// newCSVSource strips a UTF-8 byte order mark, sniffs the delimiter from the
// header line when delim is 0 (the most frequent of , ; tab | outside
// quotes; comma on a tie) and reads the header.
func newCSVSource(path string, br *bufio.Reader, delim rune) (*csvSource, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	if delim == 0 {
		head, _ := br.Peek(64 << 10)
		delim = sniffDelimiter(head)
	}
	s := &csvSource{path: path, delim: byte(delim), br: newBlockReader(br, 4096, 1, nil)}
	for {
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
		s.hdr = cleanHeader(h)
		return s, nil
	}
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
		fields, n, lines, err := ParseCSVRecord(s.block, s.delim, s.fields)
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
