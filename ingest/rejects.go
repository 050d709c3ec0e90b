package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/schema"
)

// reject records one rejected row: counts it and writes its JSON object.
func (r *run) reject(is *InputSummary, hdr, fields []string, e *source.Error) error {
	kind := reasonKind(e.Err)
	r.sum.Rejected++
	is.Rejected++
	r.sum.RejectReasons[kind]++
	if r.opts.Rejects == nil {
		return nil
	}
	b := &r.rejBuf
	b.Reset()
	b.WriteString(`{"file":`)
	writeJSONString(b, e.File)
	b.WriteString(`,"line":`)
	b.WriteString(strconv.FormatInt(e.Line, 10))
	b.WriteString(`,"row":{`)
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name := "column_" + strconv.Itoa(i+1)
		if i < len(hdr) && hdr[i] != "" {
			name = hdr[i]
		}
		writeJSONString(b, name)
		b.WriteByte(':')
		writeJSONString(b, f)
	}
	b.WriteString(`},"field":`)
	writeJSONString(b, e.Field)
	b.WriteString(`,"column":`)
	b.WriteString(strconv.Itoa(e.Column))
	b.WriteString(`,"kind":`)
	writeJSONString(b, kind)
	b.WriteString(`,"reason":`)
	writeJSONString(b, clipText(e.Err.Error()))
	b.WriteString(`,"text":`)
	writeJSONString(b, clipText(e.Text))
	b.WriteString("}\n")
	if _, err := r.opts.Rejects.Write(b.Bytes()); err != nil {
		return fmt.Errorf("ingest: writing rejects: %w", err)
	}
	return nil
}

// writeJSONString writes s as a JSON string (encoding/json's escaping,
// without its HTML escapes).
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// validationReject turns a failed Validate into a row error naming the input
// column behind the first schema column at fault (when h is given).
func validationReject(file string, line int64, err error, h *profile.Header, p profile.Profile) *source.Error {
	e := &source.Error{File: file, Line: line, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		e.Field, e.Text = fe.Field, fe.Value
		if c := p.InputColumn(fe.Field); c != "" && h != nil {
			if i := h.Col(strings.ToLower(c)); i >= 0 {
				e.Column, e.Field = i+1, h.Names[i]
			}
		}
	}
	return e
}

// maxRejectText bounds the text and reason quoted in a reject (the row
// itself is written whole, each field within the readers' size limit).
const maxRejectText = 1 << 10

// clipText cuts s to maxRejectText bytes (at a character boundary) and
// says how much was left out.
func clipText(s string) string {
	if len(s) <= maxRejectText {
		return s
	}
	n := maxRejectText
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf("… [%d more bytes]", len(s)-n)
}
