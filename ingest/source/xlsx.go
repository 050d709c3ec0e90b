package source

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads one sheet of a workbook (ReadOptions.Sheet, else the
// first). Cells are read raw, so a date cell arrives as its Excel serial
// day number (see value.ExcelSerialDate) and a number as its
// full-precision text, whatever the display format.
type xlsxSource struct {
	path  string
	f     *excelize.File
	rows  *excelize.Rows
	hdr   []string
	line  int64
	max   int64
	warns []string
	first []string // the first row of a sheet without a header row
}

// DefaultMaxInputBytes is the default of ReadOptions.MaxInputBytes: the
// most a compressed input (.gz, .zst) may decompress to, and the most an
// xlsx workbook's parts may unzip to.
const DefaultMaxInputBytes = 64 << 30

// xlsxMaxUnzip caps what a workbook may unzip to by default: Excel's own
// sheet (1,048,576 rows) of ACLED's columns is about 1.5 GB of XML.
const xlsxMaxUnzip = 4 << 30

func newXLSXSource(path string, r io.Reader, opts ReadOptions) (*xlsxSource, error) {
	limit := opts.MaxInputBytes
	if limit <= 0 {
		limit = xlsxMaxUnzip
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, InFile(path, err)
	}
	if err := checkZip(data, limit); err != nil {
		return nil, &Error{File: path, Err: err}
	}
	if err := checkCellText(data, opts.MaxFieldBytes); err != nil {
		return nil, &Error{File: path, Err: err}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: limit})
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: not a readable xlsx workbook: %w", ErrSyntax, err)}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &Error{File: path, Err: fmt.Errorf("%w (workbook has no sheet)", ErrNoHeader)}
	}
	s := &xlsxSource{path: path, f: f, max: opts.MaxFieldBytes}
	sheet, err := chooseSheet(sheets, opts.Sheet)
	if err != nil {
		f.Close()
		return nil, &Error{File: path, Err: err}
	}
	if opts.Sheet == "" && len(sheets) > 1 {
		s.warns = append(s.warns, fmt.Sprintf("%s: the workbook has %d sheets (%s): read the first, %q; --sheet NAME|N reads another",
			path, len(sheets), strings.Join(quoteAll(sheets), ", "), sheet))
	}
	if err := checkSharedStringIndexes(data); err != nil {
		f.Close()
		return nil, &Error{File: path, Err: err}
	}
	if s.rows, err = f.Rows(sheet); err != nil {
		f.Close()
		return nil, InFile(path, err)
	}
	for s.rows.Next() {
		s.line++
		h, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			f.Close()
			return nil, &Error{File: path, Line: s.line, Err: fmt.Errorf("header: %w: %w", ErrSyntax, err)}
		}
		if len(h) == 0 {
			continue
		}
		if len(opts.Columns) > 0 {
			if len(h) > len(opts.Columns) {
				f.Close()
				return nil, &Error{File: path, Line: s.line, Err: fmt.Errorf("%w: the first row has %d cells, the layout's fixed column order %d: not that layout",
					ErrRaggedRow, len(h), len(opts.Columns))}
			}
			s.hdr = opts.Columns
			s.first = h
			return s, nil
		}
		s.hdr = cleanHeader(h)
		if err := duplicateColumn(s.hdr); err != nil && !LooksLikeData(s.hdr) { // data: the layout's check says "no header row?"
			f.Close()
			return nil, &Error{File: path, Line: s.line, Err: err}
		}
		return s, nil
	}
	f.Close()
	return nil, &Error{File: path, Err: fmt.Errorf("%w (empty sheet %q)", ErrNoHeader, sheet)}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// chooseSheet returns the sheet named, or numbered (1-based), by want;
// the first when want is "".
func chooseSheet(sheets []string, want string) (string, error) {
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	if n, err := strconv.Atoi(want); err == nil && n >= 1 && n <= len(sheets) {
		return sheets[n-1], nil
	}
	return "", fmt.Errorf("%w: no sheet %q in the workbook (sheets: %s)", ErrNoHeader, want, strings.Join(quoteAll(sheets), ", "))
}

// checkZip refuses a workbook whose parts unzip to more than limit bytes
// (a zip bomb), by the sizes its central directory declares; the reader
// (excelize's UnzipSizeLimit) holds them to it.
func checkZip(data []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil // excelize says what is wrong with it
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return fmt.Errorf("%w: the workbook unzips to more than %s (part %s; --max-input-bytes raises the limit)", ErrTooLarge, byteSize(limit), f.Name)
		}
	}
	return nil
}

// checkCellText refuses a workbook holding a text longer than 4 x maxField
// bytes in its shared strings or a sheet (a cell bomb: excelize holds every
// shared string in memory, about 4 bytes of memory per byte of text, so a
// 512 MiB cell took 2.1 GB), before excelize reads it; a cell over maxField
// but under that bound is read and rejected alone (its row). The parts are
// streamed, never held; text is what lies between a '>' and the next '<'
// (markup cannot hold a raw '<' in text).
func checkCellText(data []byte, maxField int64) error {
	if maxField <= 0 {
		maxField = DefaultMaxFieldBytes
	}
	bound := 4 * maxField
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil // excelize says what is wrong with it
	}
	buf := make([]byte, 256<<10)
	for _, zf := range zr.File {
		if zf.Name != "xl/sharedStrings.xml" && !(strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml")) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil
		}
		var run int64 // text bytes since the last '>'
		inTag := false
		for {
			n, err := rc.Read(buf)
			chunk := buf[:n]
			for len(chunk) > 0 && run <= bound {
				if inTag {
					i := bytes.IndexByte(chunk, '>')
					if i < 0 {
						break
					}
					inTag, run, chunk = false, 0, chunk[i+1:]
					continue
				}
				i := bytes.IndexByte(chunk, '<')
				if i < 0 {
					run += int64(len(chunk))
					break
				}
				run += int64(i)
				if run <= bound {
					inTag, chunk = true, chunk[i+1:]
				}
			}
			if run > bound {
				rc.Close()
				return fmt.Errorf("%w: a cell's text in %s is longer than %s, 4 times --max-field-bytes (a cell bomb? --max-field-bytes raises the limit)", ErrTooLarge, zf.Name, byteSize(bound))
			}
			if err != nil {
				break
			}
		}
		rc.Close()
	}
	return nil
}

// checkSharedStringIndexes reads the sheet's XML for cells of shared
// strings whose index is not a number in range: excelize reads such an
// index as 0 (the first string) without a word.
// Every worksheet part is read (which part holds which sheet is the
// workbook's business); the error names the part.
func checkSharedStringIndexes(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	nStrings := -1
	for _, zf := range zr.File {
		if zf.Name == "xl/sharedStrings.xml" {
			nStrings = countSharedStrings(zf)
		}
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		dec := xml.NewDecoder(rc)
		var ref, typ string
		inV := false
		for {
			tok, err := dec.Token()
			if err != nil {
				return nil // excelize reports broken XML
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "c":
					ref, typ = "", ""
					for _, a := range t.Attr {
						switch a.Name.Local {
						case "r":
							ref = a.Value
						case "t":
							typ = a.Value
						}
					}
				case "v":
					inV = typ == "s"
				}
			case xml.EndElement:
				if t.Name.Local == "v" {
					inV = false
				}
			case xml.CharData:
				if inV {
					v := strings.TrimSpace(string(t))
					n, err := strconv.Atoi(v)
					if err != nil || n < 0 || (nStrings >= 0 && n >= nStrings) {
						return fmt.Errorf("%w: cell %s of %s refers to shared string %q, which the workbook does not have (a corrupt file)", ErrSyntax, ref, zf.Name, v)
					}
				}
			}
		}
	}
	return nil
}

// countSharedStrings counts the <si> items of the shared strings part.
func countSharedStrings(zf *zip.File) int {
	rc, err := zf.Open()
	if err != nil {
		return -1
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	n := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return n
			}
			return -1
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			n++
		}
	}
}

func (s *xlsxSource) Header() []string { return s.hdr }

func (s *xlsxSource) Next() ([]string, int64, error) {
	if s.first != nil {
		cells := s.first
		s.first = nil
		return s.row(cells, s.line)
	}
	for s.rows.Next() {
		s.line++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, s.line, &Error{File: s.path, Line: s.line, Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
		}
		if len(cells) == 0 {
			continue // excelize reports empty rows; a blank line is not a row
		}
		return s.row(cells, s.line)
	}
	if err := s.rows.Error(); err != nil {
		return nil, s.line, &Error{File: s.path, Err: err}
	}
	s.rows.Close()
	s.f.Close()
	return nil, 0, io.EOF
}

// row checks a row's cells against the header and the size limit.
func (s *xlsxSource) row(cells []string, line int64) ([]string, int64, error) {
	for i, c := range cells {
		if s.max > 0 && int64(len(c)) > s.max {
			return nil, line, &Error{File: s.path, Line: line, Column: i + 1, Text: clip(c), Err: tooLarge("cell", s.max)}
		}
	}
	extra := false
	for i := len(s.hdr); i < len(cells); i++ {
		if cells[i] != "" {
			extra = true
		}
	}
	if extra {
		return cells, line, &Error{File: s.path, Line: line,
			Err: fmt.Errorf("%w: %d cells, header has %d", ErrRaggedRow, len(cells), len(s.hdr))}
	}
	if len(cells) > len(s.hdr) {
		cells = cells[:len(s.hdr)]
	}
	for len(cells) < len(s.hdr) {
		cells = append(cells, "") // excelize drops trailing empty cells
	}
	return cells, line, nil
}

// SerialDates is true: cells are read raw, a date as its Excel serial day
// number (see value.ExcelSerialDate), a time as the fraction of a day.
func (s *xlsxSource) SerialDates() bool { return true }
