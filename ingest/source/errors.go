package source

import (
	"errors"
	"fmt"
)

// Causes of rows a reader cannot split, for errors.Is.
var (
	ErrRaggedRow = errors.New("ingest: row has a different number of fields than the header")
	ErrSyntax    = errors.New("ingest: malformed input")
)

// RowError says why an input row was rejected, and where: like
// encoding/csv.ParseError it carries the file, the line the row starts on and
// the 1-based column of the field at fault (0 when the row as a whole is at
// fault). It wraps the cause. Readers return it for rows they cannot split;
// profiles and the pipeline for rows they cannot convert.
type RowError struct {
	File   string // input path as given ("-" for stdin)
	Line   int64  // line (CSV, JSON Lines), row (xlsx) or object start line (JSON array)
	Column int    // 1-based column of the field at fault, 0 = whole row
	Field  string // the input column name at fault ("" = whole row)
	Text   string // the offending text
	Err    error  // the cause
}

func (e *RowError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("ingest: %s:%d:%d: %s %q: %v", e.File, e.Line, e.Column, e.Field, e.Text, e.Err)
	}
	return fmt.Sprintf("ingest: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }
