// Package source reads the rows of incident inputs, whatever their format
// and encoding: CSV or TSV (delimiter sniffed, BOM, CRLF, RFC 4180 quoting;
// a TSV's quotes are data unless it quotes its fields), JSON Lines, JSON
// documents streamed (an array of objects, a GeoJSON FeatureCollection, an
// ACLED or UCDP API page, objects one after another), a sheet of an .xlsx
// workbook, each possibly gzip- or zstd-compressed. Text is UTF-8, checked
// while read, else Windows-1252 or UTF-16 (see ReadOptions.Encoding), never
// replaced. Open picks the format and returns an Input whose Source yields
// the header and the rows, the way encoding/csv's Reader does; CSV sources
// also hand their rest over as blocks of whole records for parallel parsing
// (Splitter). Sizes are capped (ReadOptions.MaxFieldBytes, MaxInputBytes).
// The package knows nothing of layouts or of the schema.
package source

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Input formats, as named in the summary.
const (
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatJSONL = "jsonl"
	FormatJSON  = "json"
	FormatXLSX  = "xlsx"
)

// Source yields the rows of one input, fields aligned with the header, the
// way encoding/csv's Reader yields records.
type Source interface {
	// Header returns the column names as written (trimmed, BOM removed). It
	// may grow while reading JSON (keys first seen in a later object are
	// appended).
	Header() []string
	// Next returns the next row and the line it starts on. A row-level
	// problem (ragged row, bad quoting) is a *Error with whatever fields
	// were read; the caller rejects that row and goes on. io.EOF ends the
	// input.
	Next() (fields []string, line int64, err error)
	// SerialDates reports whether date and time cells hold spreadsheet
	// serial numbers (an xlsx sheet read raw: days since 1899-12-30, a time
	// as the fraction of a day) rather than text.
	SerialDates() bool
}

// Splitter is a Source whose remaining input can be cut into blocks of whole
// records for parallel parsing (CSV and TSV).
type Splitter interface {
	Source
	Blocks(maxRows, spare int) *BlockReader
}

// Input is one opened input: its raw byte stream (counted and hashed), the
// decompressed stream and the row source over it.
type Input struct {
	Path   string
	Format string // csv, tsv, jsonl, json, xlsx, with "+gzip"/"+zstd"/"+zip" when compressed
	Src    Source
	closer io.Closer
	raw    *countingReader
	sha    hash.Hash
	zr     *zstd.Decoder
	text   *textReader // nil for xlsx
	zip    *zipArchive // a zip of text members
	warns  []string
}

// Encoding says how a text input was decoded when it was not plain UTF-8
// ("read as Windows-1252: invalid UTF-8 on line 53 (byte 0xE9)"), else "".
// It is final once the input was read to its end.
func (in *Input) Encoding() string {
	if in.text == nil {
		return ""
	}
	return in.text.Note()
}

// Warnings lists what the reader changed or noticed in the input (byte
// order marks removed from mid-file, ...).
func (in *Input) Warnings() []string {
	w := in.warns
	if in.zip != nil {
		w = append(w, in.zip.warns...)
	}
	if in.text == nil {
		return w
	}
	return append(w, in.text.Warnings()...)
}

// OpenOptions say how inputs are opened and read.
type OpenOptions struct {
	Open       func(name string) (io.ReadCloser, error) // by name, "-" included; nil = Opener(os.Stdin)
	NoChecksum bool                                     // Finish returns no SHA-256
	// Ctx, when set, is checked on every read, so that a long scan (a huge
	// field, a slow decompression) stops soon after cancellation.
	Ctx context.Context
	ReadOptions
}

// ReadOptions say how the bytes of an input are read.
type ReadOptions struct {
	// Encoding of text inputs: "" (auto: UTF-8, else Windows-1252 when the
	// first invalid UTF-8 comes before any multi-byte character; UTF-16 by
	// its byte order mark), or one of Encodings to force it.
	Encoding string
	// MaxFieldBytes caps a field, a CSV record and a JSON line or row
	// (0: DefaultMaxFieldBytes); a longer one is an error naming the limit.
	MaxFieldBytes int64
	// NoHeader says the first row is data; Columns then names the columns
	// (a layout's fixed, published order). CSV, TSV and xlsx only.
	NoHeader bool
	Columns  []string
	// Headerless, when set, is shown the first record of a CSV or TSV input
	// read with a header: when it returns column names (as many as the
	// record's fields), the input has no header row after all (a layout
	// published without one, as GDELT's) and the record is data.
	Headerless func(first []string) []string
	// MaxInputBytes caps what one compressed input (.gz, .zst) may
	// decompress to (0: DefaultMaxInputBytes) and what an xlsx workbook
	// may unzip to (0: 4 GiB): a zip bomb is an error naming the limit.
	MaxInputBytes int64
	// Sheet chooses the sheet of an xlsx workbook by name or 1-based number
	// ("": the first, with a warning when there are more).
	Sheet string
}

// DefaultMaxFieldBytes is the default of ReadOptions.MaxFieldBytes: far
// above any real field (ACLED's longest notes are a few KB), far below
// memory.
const DefaultMaxFieldBytes = 64 << 20

// Opener returns the usual Open: "-" reads stdin (not closed), any other
// name is a file opened with os.Open.
func Opener(stdin io.Reader) func(name string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		if name == "-" {
			return io.NopCloser(stdin), nil
		}
		return os.Open(name)
	}
}

// BytesRead returns the raw (possibly compressed) bytes read so far; safe
// to call from any goroutine.
func (in *Input) BytesRead() int64 { return in.raw.n.Load() }

// countingReader counts the raw bytes read, for progress reports.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Open opens path (with opts.Open), undoes compression, picks the
// format from the extension or, failing that, from the first bytes, and
// reads the header row.
func Open(path string, opts OpenOptions) (*Input, error) {
	if opts.MaxFieldBytes <= 0 {
		opts.MaxFieldBytes = DefaultMaxFieldBytes
	}
	in := &Input{Path: path, sha: sha256.New()}
	open := opts.Open
	if open == nil {
		open = Opener(os.Stdin)
	}
	f, err := open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	in.closer = f
	var rc io.Reader = f
	if opts.NoChecksum {
		in.sha = nil
		in.raw = &countingReader{r: rc}
	} else {
		in.raw = &countingReader{r: io.TeeReader(rc, in.sha)}
	}
	br := bufio.NewReaderSize(in.raw, 256<<10)
	var r io.Reader = br
	name := strings.ToLower(path)
	compression := ""
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = fmt.Errorf("%w: the gzip header ends early", ErrTruncated)
		}
		if err != nil {
			in.Close()
			return nil, &Error{File: path, Err: err}
		}
		r, compression = zr, "+gzip"
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			in.Close()
			return nil, &Error{File: path, Err: err}
		}
		in.zr = zr
		r, compression = zr, "+zstd"
	}
	if compression != "" {
		limit := opts.MaxInputBytes
		if limit <= 0 {
			limit = DefaultMaxInputBytes
		}
		r = &decompressed{r: r, kind: compression[1:], left: limit, limit: limit}
	}
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".zst")
	if compression == "" && bytes.HasPrefix(magic, []byte("PK\x03\x04")) && filepath.Ext(name) != ".xlsx" {
		limit := opts.MaxInputBytes
		if limit <= 0 {
			limit = DefaultMaxInputBytes
		}
		za, err := openZipArchive(opts.Ctx, path, br, limit)
		if err != nil {
			in.Close()
			return nil, err
		}
		if za.workbook { // an xlsx under another name
			in.closer = multiCloser{za, in.closer}
			r, name = za.Workbook(), name+".xlsx"
		} else {
			in.zip = za
			r = &decompressed{r: za, kind: "zip", left: limit, limit: limit}
			compression, name = "+zip", strings.ToLower(za.FirstName())
		}
	}
	body := bufio.NewReaderSize(r, 256<<10)
	ext := filepath.Ext(name)
	if ext != ".xlsx" {
		if head, _ := body.Peek(4); !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			head, _ = body.Peek(sniffBytes)
			enc, err := ParseEncoding(opts.Encoding)
			if err != nil {
				in.Close()
				return nil, err
			}
			in.text, err = newTextReader(opts.Ctx, path, body, enc, head)
			if err != nil {
				in.Close()
				return nil, err
			}
			body = bufio.NewReaderSize(in.text, 256<<10)
		}
	}
	format := formatOf(ext, body)
	in.Format = format + compression
	if opts.NoHeader {
		if len(opts.Columns) == 0 {
			in.Close()
			return nil, &Error{File: path, Err: fmt.Errorf("%w: a file without a header row needs its column names (a layout with a fixed column order)", ErrNoHeader)}
		}
		if format == FormatJSON || format == FormatJSONL {
			in.Close()
			return nil, &Error{File: path, Err: fmt.Errorf("%w: JSON names its columns in every object; no-header applies to CSV, TSV and xlsx", ErrNoHeader)}
		}
	} else {
		opts.Columns = nil
	}
	switch format {
	case FormatXLSX:
		var xs *xlsxSource
		if xs, err = newXLSXSource(path, body, opts.ReadOptions); err == nil {
			in.Src, in.warns = xs, xs.warns
		}
	case FormatJSON:
		var doc *jsonDocSource
		if doc, err = newJSONDocSource(path, body); err == nil {
			in.Src, in.Format = doc, doc.Kind()+compression
		}
	case FormatJSONL:
		in.Src, err = newJSONLSource(path, body, opts.MaxFieldBytes)
	default:
		var delim rune
		if format == FormatTSV {
			delim = '\t'
		}
		in.Src, err = newCSVSource(path, body, delim, opts.ReadOptions)
		if err == nil && format == FormatCSV && in.Src.(*csvSource).delim == '\t' {
			in.Format = FormatTSV + compression
		}
	}
	if err != nil {
		in.Close()
		return nil, err
	}
	return in, nil
}

// openError is the error of opening path: an *Error of the file, naming the
// path once.
func openError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return &Error{File: path, Err: err}
}

// formatOf picks the format from the file extension, else from the first
// non-blank byte: '[' JSON array, '{' JSON Lines, "PK" a zip (xlsx), anything
// else CSV.
func formatOf(ext string, br *bufio.Reader) string {
	if head, _ := br.Peek(4); bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatXLSX // a zip is never text, whatever its name
	}
	switch ext {
	case ".csv", ".txt":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".json", ".geojson":
		return FormatJSON
	case ".xlsx":
		return FormatXLSX
	}
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimPrefix(head, utf8BOM)
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatXLSX
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(t) > 0 && t[0] == '[':
		return FormatJSON
	case len(t) > 0 && t[0] == '{' && sniffJSONLines(t):
		return FormatJSONL
	case len(t) > 0 && t[0] == '{':
		return FormatJSON // GeoJSON, an API page, pretty-printed objects
	}
	return FormatCSV
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// Finish drains the raw stream so the SHA-256 covers every byte, and returns
// the hex digest.
func (in *Input) Finish() (string, error) {
	if in.sha == nil {
		return "", nil
	}
	if _, err := io.Copy(io.Discard, in.raw); err != nil {
		return "", &Error{File: in.Path, Err: err}
	}
	return fmt.Sprintf("%x", in.sha.Sum(nil)), nil
}

// Close releases the input.
func (in *Input) Close() {
	if in.zr != nil {
		in.zr.Close()
	}
	if in.zip != nil {
		in.zip.Close()
	}
	if in.closer != nil {
		in.closer.Close()
	}
}

// multiCloser closes each in order.
type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for _, c := range m {
		if c == nil {
			continue
		}
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// cleanHeader trims names and removes a byte order mark.
func cleanHeader(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		s = strings.TrimPrefix(s, "\ufeff")
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// decompressed holds a decompressed stream to its size limit and says
// "truncated" when the compressed file ends early.
type decompressed struct {
	r           io.Reader
	kind        string // gzip, zstd
	left, limit int64
}

func (d *decompressed) Read(p []byte) (int, error) {
	if d.left <= 0 {
		return 0, fmt.Errorf("%w: the %s stream decompresses to more than %s (--max-input-bytes raises the limit)", ErrTooLarge, d.kind, byteSize(d.limit))
	}
	if int64(len(p)) > d.left+1 {
		p = p[:d.left+1]
	}
	n, err := d.r.Read(p)
	d.left -= int64(n)
	if d.left < 0 {
		n += int(d.left)
		d.left = 0
		return n, fmt.Errorf("%w: the %s stream decompresses to more than %s (--max-input-bytes raises the limit)", ErrTooLarge, d.kind, byteSize(d.limit))
	}
	if err == io.ErrUnexpectedEOF || (err != nil && err != io.EOF && strings.Contains(err.Error(), "unexpected EOF")) {
		err = fmt.Errorf("%w: the %s stream ends before its end (%v)", ErrTruncated, d.kind, err)
	}
	return n, err
}
