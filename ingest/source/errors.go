package source

import (
	"errors"
	"fmt"
)

// Causes of what a reader cannot read, for errors.Is. Like encoding/csv's,
// the sentinels are bare: the Error that carries them adds the "ingest: "
// prefix and the position, once.
var (
	ErrRaggedRow = errors.New("row has a different number of fields than the header")
	ErrSyntax    = errors.New("malformed input")
	ErrNoHeader  = errors.New("no header row")
	// ErrEncoding: the bytes are not text in the encoding read (invalid
	// UTF-8 after UTF-8 characters, invalid UTF-16, NUL bytes).
	ErrEncoding        = errors.New("unreadable text encoding")
	ErrUnknownEncoding = errors.New("unknown encoding")
	// ErrTooLarge: a field, record or decompressed input passed its limit
	// (OpenOptions.MaxFieldBytes, MaxInputBytes).
	ErrTooLarge = errors.New("input over the size limit")
	// ErrTruncated: a compressed stream ends before its end marker.
	ErrTruncated = errors.New("file is truncated")
	// ErrDuplicateColumn: two columns (CSV header, xlsx header, keys of a
	// JSON object) have the same name.
	ErrDuplicateColumn = errors.New("duplicate column name")
)

// Error is the one positional error of ingest and its rooms: like
// encoding/csv.ParseError it carries the input file, the line the row starts
// on (0 when the input as a whole is at fault: its header, its layout), the
// 1-based column of the field at fault (0 when the row as a whole is) and
// the field's name and text; it wraps the cause, so errors.Is and errors.As
// see through it. Readers return it for rows they cannot split, layouts
// for rows they cannot convert, the pipeline for inputs it cannot read.
type Error struct {
	File   string // input path as given ("-" for stdin)
	Line   int64  // line (CSV, JSON Lines), row (xlsx) or object start line (JSON array); 0 = whole input
	Column int    // 1-based column of the field at fault, 0 = whole row
	Field  string // the input column name at fault ("" = whole row)
	Text   string // the offending text
	Err    error  // the cause
	// Stop says the input cannot be read past this error (a JSON
	// document broken mid-way, a record over the size limit): the caller
	// ends the input with it instead of rejecting a row and going on.
	Stop bool
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("ingest: %s: %v", e.File, e.Err)
	case e.Column > 0:
		return fmt.Sprintf("ingest: %s:%d:%d: %s %q: %v", e.File, e.Line, e.Column, e.Field, e.Text, e.Err)
	}
	return fmt.Sprintf("ingest: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// InFile returns err as an *Error of the file path: err itself when it is
// an *Error already, else wrapped.
func InFile(path string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		if e.File == "" {
			e.File = path
		}
		return e
	}
	return &Error{File: path, Err: err}
}

// IsRowError reports whether err is a row-level *Error: the row is
// rejected and reading goes on. nil, io.EOF, an error of the input as a
// whole (Line 0: a read error, a broken stream) and an Error with Stop are
// not.
func IsRowError(err error) bool {
	var e *Error
	return errors.As(err, &e) && !e.Stop && e.Line > 0
}

// tooLarge is the cause of a field, line or record over max bytes.
func tooLarge(what string, max int64) error {
	return fmt.Errorf("%w: %s longer than the limit of %s (OpenOptions.MaxFieldBytes; --max-field-bytes raises it)", ErrTooLarge, what, byteSize(max))
}

// byteSize writes n as people read sizes: 64 MiB, 1.5 GiB, 300 bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
