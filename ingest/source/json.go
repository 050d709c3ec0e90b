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
	seen  []uint32 // per column: the object that last set it (duplicate keys)
	gen   uint32
}

func newJSONHeader() jsonHeader { return jsonHeader{index: map[string]int{}} }

func (h *jsonHeader) col(key string) int {
	if i, ok := h.index[key]; ok {
		return i
	}
	h.index[key] = len(h.names)
	h.names = append(h.names, key)
	h.seen = append(h.seen, 0)
	return len(h.names) - 1
}

// errDepth names the limit encoding/json puts on nesting.
var errDepth = errors.New("JSON nested deeper than 10000 levels")

// jsonErr returns a decoding error as a cause our users can act on.
func jsonErr(err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "exceeded max depth") {
		return fmt.Errorf("%w: %w", ErrSyntax, errDepth)
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return fmt.Errorf("%w: JSON ends in the middle of a value", ErrSyntax)
	}
	return fmt.Errorf("%w: %w", ErrSyntax, err)
}

// decodeObject reads one JSON object into fields aligned with h. Strings are
// taken as is, numbers and booleans as their text, null as empty, arrays of
// scalars joined with "; " (sources, assoc_actors), nested objects as JSON.
// A key given twice (after trimming) is an error naming it: which of the
// two values is meant cannot be known.
func decodeObject(data []byte, h *jsonHeader, fields []string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	fields, err := decodeObjectFrom(dec, h, fields[:0])
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, fmt.Errorf("%w: data after the end of the JSON object", ErrSyntax)
	}
	return fields, nil
}

// decodeObjectFrom reads the next value of dec, which must be an object,
// into fields.
func decodeObjectFrom(dec *json.Decoder, h *jsonHeader, fields []string) ([]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrSyntax)
	}
	h.gen++
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonErr(err)
		}
		i := h.col(strings.TrimSpace(key))
		if h.seen[i] == h.gen {
			return nil, fmt.Errorf("%w %q: the object gives it twice", ErrDuplicateColumn, h.names[i])
		}
		h.seen[i] = h.gen
		for len(fields) <= i {
			fields = append(fields, "")
		}
		fields[i] = jsonText(raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonErr(err)
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

// jsonRow is a row read ahead: its fields, line and row-level error.
type jsonRow struct {
	fields []string
	line   int64
	err    error
}

// rowQueue holds rows read ahead (the rows before the header is known, the
// second object of a JSON Lines line).
type rowQueue struct{ q []jsonRow }

func (r *rowQueue) push(f []string, line int64, err error) {
	r.q = append(r.q, jsonRow{f, line, err})
}

func (r *rowQueue) pop(width int) ([]string, int64, error, bool) {
	if len(r.q) == 0 {
		return nil, 0, nil, false
	}
	x := r.q[0]
	r.q = r.q[1:]
	for x.err == nil && len(x.fields) < width {
		x.fields = append(x.fields, "")
	}
	return x.fields, x.line, x.err, true
}

// primeRows is how many rows a JSON reader reads ahead at most to find a
// good one, whose keys make the header.
const primeRows = 1000

// jsonlSource reads JSON Lines: one object per non-blank line. A line of
// several objects (files joined without a final newline) gives a row each;
// a line that is not all objects is one reject.
type jsonlSource struct {
	path string
	br   *bufio.Reader
	max  int64
	h    jsonHeader
	line int64
	rowQueue
}

func newJSONLSource(path string, br *bufio.Reader, max int64) (*jsonlSource, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	s := &jsonlSource{path: path, br: br, max: max, h: newJSONHeader()}
	for i := 0; i < primeRows; i++ {
		f, line, err := s.read()
		if err == io.EOF {
			if len(s.q) == 0 {
				return nil, &Error{File: path, Err: fmt.Errorf("%w (empty input, no JSON object)", ErrNoHeader)}
			}
			break
		}
		if err != nil && !IsRowError(err) {
			return nil, err
		}
		s.push(f, line, err)
		if err == nil {
			break
		}
	}
	return s, nil
}

func (s *jsonlSource) Header() []string { return s.h.names }

func (s *jsonlSource) Next() ([]string, int64, error) {
	if f, l, err, ok := s.pop(len(s.h.names)); ok {
		return f, l, err
	}
	return s.read()
}

func (s *jsonlSource) read() ([]string, int64, error) {
	for {
		b, err := readLine(s.br, s.max)
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return nil, 0, io.EOF
			}
			if errors.Is(err, ErrTooLarge) {
				return nil, s.line + 1, &Error{File: s.path, Line: s.line + 1, Err: err, Stop: true}
			}
			return nil, 0, InFile(s.path, err)
		}
		s.line++
		t := bytes.TrimSpace(b)
		if len(t) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(t))
		var rows [][]string
		var derr error
		for len(bytes.TrimSpace(t[dec.InputOffset():])) > 0 { // not dec.More: false before a stray '}'
			f, err := decodeObjectFrom(dec, &s.h, nil)
			if err != nil {
				derr = err
				break
			}
			rows = append(rows, f)
		}
		if derr != nil {
			return nil, s.line, &Error{File: s.path, Line: s.line, Text: clip(string(t)), Err: derr}
		}
		for _, f := range rows[1:] {
			s.push(f, s.line, nil)
		}
		return rows[0], s.line, nil
	}
}

// readLine reads up to and including the next newline, refusing a line
// longer than max bytes (0: no limit) without holding more of it.
func readLine(br *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	for {
		b, err := br.ReadSlice('\n')
		if max > 0 && int64(len(line)+len(b)) > max {
			return nil, tooLarge("JSON line", max)
		}
		line = append(line, b...)
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// lineTracker records where the newlines of a stream are, so that a JSON
// value found at a byte offset by the decoder can be given its line.
type lineTracker struct {
	r    io.Reader
	off  int64   // bytes read
	nls  []int64 // offsets of newlines not yet passed by lineOf
	line int64   // line of the last offset asked
}

func (l *lineTracker) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, b := 0, p[:n]; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			break
		}
		l.nls = append(l.nls, l.off+int64(i+j))
		i += j + 1
	}
	l.off += int64(n)
	return n, err
}

// lineOf returns the line of byte offset off; offsets must not decrease.
func (l *lineTracker) lineOf(off int64) int64 {
	k := 0
	for k < len(l.nls) && l.nls[k] < off {
		k++
	}
	l.line += int64(k)
	l.nls = l.nls[k:]
	return l.line
}

// Kinds of JSON document, as named in Input.Format.
const (
	FormatGeoJSON  = "geojson"   // a FeatureCollection: properties as columns, a Point as latitude/longitude
	FormatACLEDAPI = "acled-api" // ACLED's API page: {"status":200,"success":true,"count":N,"data":[...]}
	FormatUCDPAPI  = "ucdp-api"  // UCDP's API page: {"TotalCount":N,"TotalPages":..,"Result":[...]}
)

// rowsKeys are the members of an envelope object that hold the rows.
var rowsKeys = map[string]string{"features": FormatGeoJSON, "data": FormatACLEDAPI, "Result": FormatUCDPAPI}

// jsonDocSource streams the rows of a JSON document (encoding/json's token
// walk, one row decoded at a time): a top-level array of objects; a GeoJSON
// FeatureCollection (each feature's properties as columns, a Point
// geometry as latitude and longitude unless the properties give them); an
// ACLED or UCDP API page (the objects of "data" or "Result"); or a sequence
// of objects, each a row (jq's output). Other members of an envelope are
// skipped. What follows the end of the document is one reject.
type jsonDocSource struct {
	path string
	lt   *lineTracker
	dec  *json.Decoder
	h    jsonHeader
	kind string // FormatJSON, FormatGeoJSON, FormatACLEDAPI, FormatUCDPAPI

	depth      int  // 0 top level, 1 in an envelope object's members
	inRows     bool // inside the rows array
	features   bool // the rows are GeoJSON features
	objMembers []member
	objLine    int64
	objRows    bool // the object being walked held a rows array
	done       bool
	rowQueue
}

type member struct {
	key string
	raw json.RawMessage
}

func newJSONDocSource(path string, r io.Reader) (*jsonDocSource, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	lt := &lineTracker{r: br, line: 1}
	s := &jsonDocSource{path: path, lt: lt, dec: json.NewDecoder(lt), h: newJSONHeader(), kind: FormatJSON}
	for i := 0; i < primeRows; i++ {
		f, line, err := s.read()
		if err == io.EOF {
			if len(s.q) == 0 {
				return nil, &Error{File: path, Err: fmt.Errorf("%w (no JSON object in the document)", ErrNoHeader)}
			}
			break
		}
		if err != nil && !IsRowError(err) {
			return nil, err
		}
		s.push(f, line, err)
		if err == nil {
			break
		}
	}
	return s, nil
}

// Kind names the document: json, geojson, acled-api or ucdp-api.
func (s *jsonDocSource) Kind() string { return s.kind }

func (s *jsonDocSource) Header() []string { return s.h.names }

func (s *jsonDocSource) Next() ([]string, int64, error) {
	if f, l, err, ok := s.pop(len(s.h.names)); ok {
		return f, l, err
	}
	return s.read()
}

// stop is the error after which the document cannot be read on.
func (s *jsonDocSource) stop(line int64, err error) error {
	s.done = true
	return &Error{File: s.path, Line: line, Err: jsonErr(err), Stop: true}
}

func (s *jsonDocSource) line() int64 { return s.lt.lineOf(s.dec.InputOffset()) }

func (s *jsonDocSource) read() ([]string, int64, error) {
	for !s.done {
		switch {
		case s.inRows:
			if !s.dec.More() {
				if _, err := s.dec.Token(); err != nil { // ]
					return nil, s.line(), s.stop(s.line(), err)
				}
				s.inRows = false
				continue
			}
			var raw json.RawMessage
			if err := s.dec.Decode(&raw); err != nil {
				return nil, s.line(), s.stop(s.line(), err)
			}
			line := s.lt.lineOf(s.dec.InputOffset() - int64(len(raw)))
			var f []string
			var err error
			if s.features {
				f, err = s.feature(raw)
			} else {
				f, err = decodeObject(raw, &s.h, nil)
			}
			if err != nil {
				return nil, line, &Error{File: s.path, Line: line, Text: clip(string(raw)), Err: err}
			}
			return f, line, nil

		case s.depth == 1: // the members of a top-level object
			if !s.dec.More() {
				if _, err := s.dec.Token(); err != nil { // }
					return nil, s.line(), s.stop(s.line(), err)
				}
				s.depth = 0
				if s.objRows {
					continue
				}
				// no rows array: the object is a row itself
				return s.objectRow()
			}
			kt, err := s.dec.Token()
			if err != nil {
				return nil, s.line(), s.stop(s.line(), err)
			}
			key, _ := kt.(string)
			if kind, ok := rowsKeys[key]; ok && !s.objRows && s.nextIsArray() {
				if _, err := s.dec.Token(); err != nil { // [
					return nil, s.line(), s.stop(s.line(), err)
				}
				s.objRows, s.inRows = true, true
				s.features = kind == FormatGeoJSON
				s.kind = kind
				if kind == FormatACLEDAPI && !s.hasMember("success", "status", "count") {
					s.kind = FormatJSON
				}
				continue
			}
			var raw json.RawMessage
			if err := s.dec.Decode(&raw); err != nil {
				return nil, s.line(), s.stop(s.line(), err)
			}
			if !s.objRows {
				s.objMembers = append(s.objMembers, member{key, raw})
			}

		default: // top level
			tok, err := s.dec.Token()
			if err == io.EOF {
				s.done = true
				return nil, 0, io.EOF
			}
			line := s.line()
			if err != nil {
				// what follows the document: one reject, then the end
				s.done = true
				rest, _ := io.ReadAll(io.LimitReader(s.dec.Buffered(), 200))
				return nil, line, &Error{File: s.path, Line: line, Text: clip(strings.TrimSpace(string(rest))),
					Err: fmt.Errorf("%w: data after the end of the JSON document: %w", ErrSyntax, err)}
			}
			switch tok {
			case json.Delim('['):
				s.inRows, s.features = true, false
			case json.Delim('{'):
				s.depth, s.objMembers, s.objRows, s.objLine = 1, s.objMembers[:0], false, line
			default:
				s.done = true
				return nil, line, &Error{File: s.path, Line: line, Text: clip(fmt.Sprint(tok)),
					Err: fmt.Errorf("%w: a JSON value that is neither an object nor an array of objects", ErrSyntax)}
			}
		}
	}
	return nil, 0, io.EOF
}

func (s *jsonDocSource) hasMember(keys ...string) bool {
	for _, m := range s.objMembers {
		for _, k := range keys {
			if m.key == k {
				return true
			}
		}
	}
	return false
}

// nextIsArray reports whether the value after the key just read starts
// with '[', looking at the decoder's buffered bytes (the colon and blanks
// before the value are not consumed yet).
func (s *jsonDocSource) nextIsArray() bool {
	rest, _ := io.ReadAll(io.LimitReader(s.dec.Buffered(), 4096))
	t := bytes.TrimLeft(rest, " \t\r\n:")
	return len(t) > 0 && t[0] == '['
}

// objectRow makes the row of a top-level object that held no rows array.
func (s *jsonDocSource) objectRow() ([]string, int64, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range s.objMembers {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.raw)
	}
	b.WriteByte('}')
	f, err := decodeObject(b.Bytes(), &s.h, nil)
	if err != nil {
		return nil, s.objLine, &Error{File: s.path, Line: s.objLine, Text: clip(b.String()), Err: err}
	}
	return f, s.objLine, nil
}

// feature reads one GeoJSON feature: its properties, then the Point of its
// geometry into latitude and longitude where the properties leave them
// empty; a feature id fills "id" when the properties have none.
func (s *jsonDocSource) feature(raw json.RawMessage) ([]string, error) {
	var ft struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Properties json.RawMessage `json:"properties"`
		Geometry   *struct {
			Type        string            `json:"type"`
			Coordinates []json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal(raw, &ft); err != nil {
		return nil, fmt.Errorf("%w: not a GeoJSON feature: %w", ErrSyntax, jsonErr(err))
	}
	var f []string
	if p := bytes.TrimSpace(ft.Properties); len(p) > 0 && !bytes.Equal(p, []byte("null")) {
		var err error
		if f, err = decodeObject(p, &s.h, nil); err != nil {
			return nil, fmt.Errorf("properties: %w", err)
		}
	}
	set := func(name, v string) {
		i := s.h.col(name)
		for len(f) <= i {
			f = append(f, "")
		}
		if f[i] == "" {
			f[i] = v
		}
	}
	if id := jsonText(ft.ID); id != "" {
		set("id", id)
	}
	if g := ft.Geometry; g != nil {
		switch {
		case g.Type == "Point" && len(g.Coordinates) >= 2:
			lon, lat := jsonText(g.Coordinates[0]), jsonText(g.Coordinates[1])
			set(s.coordColumn("longitude"), lon)
			set(s.coordColumn("latitude"), lat)
		case g.Type == "Point":
			return nil, fmt.Errorf("%w: a Point geometry without two coordinates", ErrSyntax)
		default:
			lat, lon := s.h.index[s.coordColumn("latitude")], s.h.index[s.coordColumn("longitude")]
			if _, ok := s.h.index[s.coordColumn("latitude")]; !ok || lat >= len(f) || lon >= len(f) || f[lat] == "" || f[lon] == "" {
				return nil, fmt.Errorf("%w: geometry %s: only a Point gives a latitude and longitude", ErrSyntax, g.Type)
			}
		}
	}
	for len(f) < len(s.h.names) {
		f = append(f, "")
	}
	return f, nil
}

// coordColumn returns the properties' own spelling of latitude or longitude
// (LATITUDE, Latitude) when they have one, else name.
func (s *jsonDocSource) coordColumn(name string) string {
	if _, ok := s.h.index[name]; ok {
		return name
	}
	for _, n := range s.h.names {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return name
}

// sniffJSONLines tells JSON Lines from a JSON document that starts with
// '{': the first line is a whole object, and not an envelope of rows
// (GeoJSON, an API page written on one line).
func sniffJSONLines(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	i := bytes.IndexByte(t, '\n')
	if i < 0 {
		return false
	}
	first := bytes.TrimSpace(t[:i])
	if !json.Valid(first) {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(first, &top) != nil {
		return false
	}
	for k := range rowsKeys {
		if v := bytes.TrimSpace(top[k]); len(v) > 0 && v[0] == '[' {
			return false
		}
	}
	return true
}

// clip shortens the text quoted in an error or a reject.
func clip(s string) string { return truncate(s, 200) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// SerialDates is false: JSON values are read as their text.
func (s *jsonlSource) SerialDates() bool { return false }

// SerialDates is false: JSON values are read as their text.
func (s *jsonDocSource) SerialDates() bool { return false }
