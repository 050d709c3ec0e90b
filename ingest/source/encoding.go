package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Text encodings of an input, as --encoding names them.
const (
	EncodingAuto   = ""       // UTF-8, else Windows-1252 (see Open); UTF-16 by its byte order mark
	EncodingUTF8   = "utf-8"  // strict: invalid UTF-8 is an error naming the line
	EncodingLatin1 = "latin1" // ISO-8859-1: every byte is the code point of its value
	EncodingCP1252 = "cp1252" // Windows-1252 (Latin-1 with printable 0x80-0x9F: € ‘ ’ “ ” …)
	EncodingUTF16  = "utf-16" // UTF-16, little-endian unless a byte order mark says big
	encodingNone   = "binary" // internal: xlsx, not decoded as text
	sniffBytes     = 4096     // prefix looked at for NUL bytes (binary or UTF-16 without a BOM)
	nameCP1252     = "Windows-1252"
)

// Encodings lists the values of OpenOptions.Encoding (besides "" = auto).
var Encodings = []string{EncodingUTF8, EncodingLatin1, EncodingCP1252, EncodingUTF16}

// ParseEncoding returns the canonical name of an --encoding value: utf-8
// (utf8), latin1 (iso-8859-1, latin-1), cp1252 (windows-1252), utf-16
// (utf16, utf-16le, utf-16be), or "" for auto.
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return EncodingLatin1, nil
	case "cp1252", "windows-1252", "win1252":
		return EncodingCP1252, nil
	case "utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2":
		return EncodingUTF16, nil
	}
	return "", fmt.Errorf("ingest: %w %q (want auto, %s)", ErrUnknownEncoding, s, strings.Join(Encodings, ", "))
}

// textReader turns an input's bytes into UTF-8 text, never replacing a byte
// it cannot read. In auto mode it passes UTF-8 through, checking it as it
// streams; at the first invalid sequence, if no multi-byte UTF-8 character
// came before it, everything read so far was ASCII, which Windows-1252
// reads the same, so the whole input is read as Windows-1252 from there on
// (the note says so, with the line); after a multi-byte UTF-8 character the
// file mixes encodings and the invalid byte is an error naming its line. A
// byte order mark after the start (files joined with cat) is removed, and
// counted in the warnings. Reads check ctx, so a long scan stops soon after
// cancellation.
type textReader struct {
	ctx      context.Context
	path     string
	r        io.Reader // the bytes, decoded when dec is set
	mode     string
	switched bool   // auto mode fell back to Windows-1252
	carry    []byte // an incomplete UTF-8 sequence at the end of the last read
	off      int64  // text bytes passed on so far
	line     int64  // newlines passed on so far
	mbLine   int64  // line of the first multi-byte character (0: none yet)
	note     string // how the input was read, for the summary ("" = plain UTF-8)
	boms     int64  // byte order marks removed after the start
	bomLine  int64  // line of the first of them
	err      error
	utf16    bool
}

func newTextReader(ctx context.Context, path string, r io.Reader, mode string, head []byte) (*textReader, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	t := &textReader{ctx: ctx, path: path, r: r, mode: mode}
	bomLE, bomBE := bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff})
	switch {
	case mode == EncodingUTF16 || (mode == EncodingAuto && (bomLE || bomBE)):
		t.utf16 = true
		t.r = transform.NewReader(r, unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()))
		switch {
		case bomBE:
			t.note = "read as UTF-16BE (byte order mark)"
		case bomLE:
			t.note = "read as UTF-16LE (byte order mark)"
		default:
			t.note = "read as UTF-16LE (--encoding utf-16, no byte order mark)"
		}
	case mode == EncodingLatin1:
		t.r = transform.NewReader(r, charmap.ISO8859_1.NewDecoder())
		t.note = "read as ISO-8859-1 (--encoding latin1)"
	case mode == EncodingCP1252:
		t.r = transform.NewReader(r, charmap.Windows1252.NewDecoder())
		t.note = "read as Windows-1252 (--encoding cp1252)"
	default:
		if i := bytes.IndexByte(head[:min(len(head), sniffBytes)], 0); i >= 0 {
			return nil, &Error{File: path, Line: 1 + int64(bytes.Count(head[:i], newline)), Err: fmt.Errorf(
				"%w: NUL byte at offset %d: not a text file, or UTF-16 without a byte order mark (--encoding utf-16 reads that)", ErrEncoding, i)}
		}
	}
	return t, nil
}

// Note says how the input was decoded when it was not plain UTF-8: "read as
// Windows-1252: invalid UTF-8 on line 53 (byte 0xE9)". It is final once the
// input was read to its end.
func (t *textReader) Note() string { return t.note }

func (t *textReader) Read(p []byte) (int, error) {
	for {
		if t.err != nil {
			return 0, t.err
		}
		if err := t.ctx.Err(); err != nil {
			t.err = err
			return 0, err
		}
		n, err := t.read(p)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// read is one Read, which may return 0, nil when it only carried bytes.
func (t *textReader) read(p []byte) (int, error) {
	if len(p) < utf8.UTFMax+1 {
		return 0, io.ErrShortBuffer
	}
	if t.utf16 || t.mode == EncodingLatin1 || t.mode == EncodingCP1252 || t.switched {
		n, err := t.r.Read(p)
		n = t.decoded(p[:n])
		if t.utf16 {
			if i := bytes.Index(p[:n], replacement); i >= 0 {
				t.err = &Error{File: t.path, Stop: true, Line: t.line + 1 + int64(bytes.Count(p[:i], newline)),
					Err: fmt.Errorf("%w: invalid UTF-16 (an unpaired surrogate or an odd number of bytes)", ErrEncoding)}
				t.pass(p[:i])
				return i, nil
			}
		}
		t.pass(p[:n])
		return n, t.wrap(err)
	}
	k := copy(p, t.carry)
	t.carry = t.carry[:0]
	n, err := t.r.Read(p[k:])
	n += k
	eof := err != nil
	good, bad := checkUTF8(p[:n], eof)
	if bad < 0 { // valid up to good; the rest an incomplete sequence
		t.carry = append(t.carry, p[good:n]...)
		if t.mbLine == 0 && !isASCII(p[:good]) {
			t.mbLine = t.line + 1 + int64(bytes.Count(p[:firstHigh(p[:good])], newline))
		}
		good = t.decoded(p[:good])
		t.pass(p[:good])
		if eof && len(t.carry) > 0 && err == io.EOF {
			err = nil // the carry is checked (as invalid) on the next read
		}
		return good, t.wrap(err)
	}
	// an invalid sequence at bad
	if t.mbLine == 0 && !isASCII(p[:bad]) {
		t.mbLine = t.line + 1 + int64(bytes.Count(p[:firstHigh(p[:bad])], newline))
	}
	line := t.line + 1 + int64(bytes.Count(p[:bad], newline))
	if t.mode == EncodingUTF8 || t.mbLine != 0 {
		why := "--encoding utf-8"
		if t.mode != EncodingUTF8 {
			why = fmt.Sprintf("the file mixes encodings: line %d holds UTF-8", t.mbLine)
		}
		t.err = &Error{File: t.path, Stop: true, Line: line, Err: fmt.Errorf("%w: invalid UTF-8 (byte 0x%02X) and %s; --encoding cp1252 or latin1 reads every byte as one character", ErrEncoding, p[bad], why)}
		bad = t.decoded(p[:bad])
		t.pass(p[:bad])
		return bad, nil
	}
	// All before bad is ASCII: read the rest as Windows-1252.
	t.note = fmt.Sprintf("read as %s: invalid UTF-8 on line %d (byte 0x%02X)", nameCP1252, line, p[bad])
	t.switched = true
	rest := append([]byte(nil), p[bad:n]...)
	var under io.Reader = t.r
	if eof {
		under = errReader{err}
	}
	t.r = transform.NewReader(io.MultiReader(bytes.NewReader(rest), under), charmap.Windows1252.NewDecoder())
	t.pass(p[:bad])
	return bad, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

var replacement = []byte("\uFFFD")

// wrap names the file in a read error of the stream below.
func (t *textReader) wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	t.err = InFile(t.path, err)
	return t.err
}

// decoded removes byte order marks past the start of the input from the
// text b (in place) and returns its new length.
func (t *textReader) decoded(b []byte) int {
	start := 0
	if t.off == 0 && bytes.HasPrefix(b, utf8BOM) {
		start = 3 // the input's own byte order mark: the format readers strip it
	}
	i := bytes.Index(b[start:], utf8BOM)
	if i < 0 {
		return len(b)
	}
	w := start + i // b[:w] is the text kept, b[r:] the text still to look at
	r := w
	for {
		if t.boms == 0 {
			t.bomLine = t.line + 1 + int64(bytes.Count(b[:w], newline))
		}
		t.boms++
		r += len(utf8BOM)
		j := bytes.Index(b[r:], utf8BOM)
		if j < 0 {
			return w + copy(b[w:], b[r:])
		}
		w += copy(b[w:], b[r:r+j])
		r += j
	}
}

// Warnings returns what the reader changed in the text (byte order marks
// removed from the middle of the input).
func (t *textReader) Warnings() []string {
	if t.boms == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: %d byte order mark(s) inside the file removed, the first on line %d (files joined with cat?)", t.path, t.boms, t.bomLine)}
}

func (t *textReader) pass(b []byte) {
	t.off += int64(len(b))
	t.line += int64(bytes.Count(b, newline))
}

// checkUTF8 returns how much of b is valid UTF-8: good is the end of the
// valid bytes and bad the offset of the first invalid sequence, or -1 when
// b[good:] is only an incomplete sequence that more input may complete
// (never at eof, where it is invalid).
func checkUTF8(b []byte, eof bool) (good, bad int) {
	cut := len(b)
	// an incomplete sequence can only start in the last three bytes
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if b[i] >= 0xC0 {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
		if b[i] < 0x80 {
			break
		}
	}
	if utf8.Valid(b[:cut]) {
		if cut < len(b) && eof {
			return cut, cut
		}
		return cut, -1
	}
	for i := 0; i < cut; {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:cut])
		if r == utf8.RuneError && n <= 1 {
			return i, i
		}
		i += n
	}
	return cut, -1 // not reached: Valid said there was an invalid sequence
}

func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func firstHigh(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return len(b)
}
