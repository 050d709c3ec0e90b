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
		return nil, fmt.Errorf("ingest: %s: %w", path, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("ingest: %s: not a readable xlsx workbook: %w", path, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("ingest: %s: workbook has no sheet", path)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("ingest: %s: %w", path, err)
	}
	s := &xlsxSource{path: path, f: f, rows: rows}
	for rows.Next() {
		s.line++
		h, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("ingest: %s: row %d: %w", path, s.line, err)
		}
		if len(h) > 0 {
			s.hdr = cleanHeader(h)
			return s, nil
		}
	}
	f.Close()
	return nil, fmt.Errorf("ingest: %s: empty sheet %q, no header row", path, sheets[0])
}

func (s *xlsxSource) Header() []string { return s.hdr }

func (s *xlsxSource) Next() ([]string, int64, error) {
	for s.rows.Next() {
		s.line++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, s.line, &RowError{File: s.path, Line: s.line, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
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
			return cells, s.line, &RowError{File: s.path, Line: s.line,
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
		return nil, s.line, fmt.Errorf("ingest: %s: %w", s.path, err)
	}
	s.rows.Close()
	s.f.Close()
	return nil, 0, io.EOF
}

// SerialDates is true: cells are read raw, a date as its Excel serial day
// number (see value.ExcelSerialDate), a time as the fraction of a day.
func (s *xlsxSource) SerialDates() bool { return true }
