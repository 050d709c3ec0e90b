package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonHeader is the growing column list of a JSON input: keys in the order
// first seen.
type jsonHeader struct {
	names []string
	index map[string]int
}

func (h *jsonHeader) col(key string) int {
	if i, ok := h.index[key]; ok {
		return i
	}
	h.index[key] = len(h.names)
	h.names = append(h.names, key)
	return len(h.names) - 1
}

// decodeObject reads one JSON object into fields aligned with h. Strings are
// taken as is, numbers and booleans as their text, null as empty, arrays of
// scalars joined with "; " (sources, assoc_actors), nested objects as JSON.
func decodeObject(data []byte, h *jsonHeader, fields []string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	fields = fields[:0]
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		i := h.col(strings.TrimSpace(key))
		for len(fields) <= i {
			fields = append(fields, "")
		}
		fields[i] = jsonText(raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	for len(fields) < len(h.names) {
		fields = append(fields, "")
	}
	return fields, nil
}

func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case 'n':
		return ""
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			parts := make([]string, 0, len(items))
			for _, it := range items {
				if t := jsonText(it); t != "" {
					parts = append(parts, t)
				}
			}
			return strings.Join(parts, "; ")
		}
	}
	return string(raw)
}

// jsonlSource reads JSON Lines: one object per non-blank line.
type jsonlSource struct {
	path  string
	br    *bufio.Reader
	h     jsonHeader
	line  int64
	first []string // the first row, read to learn the header
	fline int64
	ferr  error
}

func newJSONLSource(path string, br *bufio.Reader) (*jsonlSource, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	s := &jsonlSource{path: path, br: br, h: jsonHeader{index: map[string]int{}}}
	f, line, err := s.read()
	if err == io.EOF {
		return nil, &Error{File: path, Err: fmt.Errorf("%w (empty input, no JSON object)", ErrNoHeader)}
	}
	var re *Error
	if err != nil && !errors.As(err, &re) {
		return nil, err
	}
	s.first, s.fline, s.ferr = append([]string(nil), f...), line, err
	if s.first == nil && err == nil {
		s.first = []string{}
	}
	return s, nil
}

func (s *jsonlSource) Header() []string { return s.h.names }

func (s *jsonlSource) Next() ([]string, int64, error) {
	if s.first != nil || s.ferr != nil {
		f, l, err := s.first, s.fline, s.ferr
		s.first, s.ferr = nil, nil
		for len(f) < len(s.h.names) {
			f = append(f, "")
		}
		return f, l, err
	}
	return s.read()
}

func (s *jsonlSource) read() ([]string, int64, error) {
	for {
		b, err := s.br.ReadBytes('\n')
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return nil, 0, io.EOF
			}
			return nil, 0, &Error{File: s.path, Err: err}
		}
		s.line++
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		fields, derr := decodeObject(b, &s.h, nil)
		if derr != nil {
			return nil, s.line, &Error{File: s.path, Line: s.line, Text: truncate(string(bytes.TrimSpace(b)), 200),
				Err: fmt.Errorf("%w: %w", ErrSyntax, derr)}
		}
		return fields, s.line, nil
	}
}

// jsonArraySource reads a JSON array of objects. The array is read whole
// (JSON arrays are the small-file format; large exports come as CSV or JSON
// Lines); the line of each object is its first byte's line.
type jsonArraySource struct {
	path    string
	data    []byte
	dec     *json.Decoder
	h       jsonHeader
	lineAt  int64 // line of byte offset lineOff
	lineOff int64
	done    bool
	first   []string
	fline   int64
	ferr    error
	primed  bool
}

func newJSONArraySource(path string, r io.Reader) (*jsonArraySource, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	s := &jsonArraySource{path: path, data: data, dec: json.NewDecoder(bytes.NewReader(data)), h: jsonHeader{index: map[string]int{}}, lineAt: 1}
	tok, err := s.dec.Token()
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: expected a JSON array of objects", ErrSyntax)}
	}
	f, line, err := s.read()
	if err == io.EOF {
		return nil, &Error{File: path, Err: fmt.Errorf("%w (empty JSON array)", ErrNoHeader)}
	}
	var re *Error
	if err != nil && !errors.As(err, &re) {
		return nil, err
	}
	s.first, s.fline, s.ferr, s.primed = f, line, err, true
	return s, nil
}

func (s *jsonArraySource) Header() []string { return s.h.names }

func (s *jsonArraySource) lineOf(off int64) int64 {
	if off < s.lineOff {
		return s.lineAt
	}
	s.lineAt += int64(bytes.Count(s.data[s.lineOff:off], []byte{'\n'}))
	s.lineOff = off
	return s.lineAt
}

func (s *jsonArraySource) Next() ([]string, int64, error) {
	if s.primed {
		s.primed = false
		f := s.first
		for len(f) < len(s.h.names) {
			f = append(f, "")
		}
		return f, s.fline, s.ferr
	}
	return s.read()
}

func (s *jsonArraySource) read() ([]string, int64, error) {
	if s.done || !s.dec.More() {
		s.done = true
		return nil, 0, io.EOF
	}
	off := s.dec.InputOffset()
	// skip the separator and blanks to find the object's first byte
	for off < int64(len(s.data)) && strings.IndexByte(", \t\r\n", s.data[off]) >= 0 {
		off++
	}
	line := s.lineOf(off)
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		s.done = true
		return nil, line, &Error{File: s.path, Line: line, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
	}
	fields, err := decodeObject(raw, &s.h, nil)
	if err != nil {
		return nil, line, &Error{File: s.path, Line: line, Text: truncate(string(raw), 200), Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
	}
	return fields, line, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// SerialDates is false: JSON values are read as their text.
func (s *jsonlSource) SerialDates() bool { return false }

// SerialDates is false: JSON values are read as their text.
func (s *jsonArraySource) SerialDates() bool { return false }
