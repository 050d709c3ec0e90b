package source

import (
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads the first sheet of a workbook. Cells are read raw, so a
// date cell arrives as its Excel serial day number (see value.ExcelSerialDate) and
// a number as its full-precision text, whatever the display format.
type xlsxSource struct {
	path string
	f    *excelize.File
	rows *excelize.Rows
	hdr  []string
	line int64
}

func newXLSXSource(path string, r io.Reader) (*xlsxSource, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: not a readable xlsx workbook: %w", ErrSyntax, err)}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &Error{File: path, Err: fmt.Errorf("%w (workbook has no sheet)", ErrNoHeader)}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, &Error{File: path, Err: err}
	}
	s := &xlsxSource{path: path, f: f, rows: rows}
	for rows.Next() {
		s.line++
		h, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			f.Close()
			return nil, &Error{File: path, Line: s.line, Err: fmt.Errorf("header: %w: %w", ErrSyntax, err)}
		}
		if len(h) > 0 {
			s.hdr = cleanHeader(h)
			return s, nil
		}
	}
	f.Close()
	return nil, &Error{File: path, Err: fmt.Errorf("%w (empty sheet %q)", ErrNoHeader, sheets[0])}
}

func (s *xlsxSource) Header() []string { return s.hdr }

func (s *xlsxSource) Next() ([]string, int64, error) {
	for s.rows.Next() {
		s.line++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, s.line, &Error{File: s.path, Line: s.line, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
		}
		if len(cells) == 0 {
			continue // excelize reports empty rows; a blank line is not a row
		}
		extra := false
		for i := len(s.hdr); i < len(cells); i++ {
			if cells[i] != "" {
				extra = true
			}
		}
		if extra {
			return cells, s.line, &Error{File: s.path, Line: s.line,
				Err: fmt.Errorf("%w: %d cells, header has %d", ErrRaggedRow, len(cells), len(s.hdr))}
		}
		if len(cells) > len(s.hdr) {
			cells = cells[:len(s.hdr)]
		}
		for len(cells) < len(s.hdr) {
			cells = append(cells, "") // excelize drops trailing empty cells
		}
		return cells, s.line, nil
	}
	if err := s.rows.Error(); err != nil {
		return nil, s.line, &Error{File: s.path, Err: err}
	}
	s.rows.Close()
	s.f.Close()
	return nil, 0, io.EOF
}

// SerialDates is true: cells are read raw, a date as its Excel serial day
// number (see value.ExcelSerialDate), a time as the fraction of a day.
func (s *xlsxSource) SerialDates() bool { return true }
