package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// csvSource reads CSV or TSV with encoding/csv, reusing the record slice:
// each row costs one string allocation (the fields are slices of it).
type csvSource struct {
	path     string
	r        *csv.Reader
	hdr      []string
	lastLine int64
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
	r := csv.NewReader(br)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	h, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("ingest: %s: empty input, no header row", path)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: %s: header: %w", path, err)
	}
	return &csvSource{path: path, r: r, hdr: cleanHeader(h)}, nil
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

func (s *csvSource) header() []string { return s.hdr }

func (s *csvSource) next() ([]string, int64, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line := int64(pe.StartLine)
			if line <= s.lastLine { // no progress: give up rather than loop
				return nil, line, fmt.Errorf("ingest: %s: %w", s.path, err)
			}
			s.lastLine = line
			return nil, line, &RowError{File: s.path, Line: line, Column: pe.Column, Err: fmt.Errorf("%w: %w", ErrSyntax, pe.Err)}
		}
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		return nil, 0, fmt.Errorf("ingest: %s: %w", s.path, err)
	}
	line, _ := s.r.FieldPos(0)
	s.lastLine = int64(line)
	if len(rec) != len(s.hdr) {
		return rec, int64(line), &RowError{File: s.path, Line: int64(line),
			Err: fmt.Errorf("%w: %d fields, header has %d", ErrRaggedRow, len(rec), len(s.hdr))}
	}
	return rec, int64(line), nil
}
