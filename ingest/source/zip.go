package source

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// A zip archive that is not an xlsx workbook (GDELT's *.export.CSV.zip, a
// download bundle) is read as its members in order, one text stream: each
// member decompressed, capped like a .gz by --max-input-bytes. A zip's
// directory sits at its end, so the archive is first copied to a temporary
// file (read once: the checksum and progress count it as it is copied),
// removed on Close. A later member whose first line repeats the first
// member's header row has that line dropped, with a warning: the members of
// one export each carry the header. Lines are counted across the members.
type zipArchive struct {
	spool    *os.File
	size     int64 // of the copy
	zr       *zip.Reader
	members  []*zip.File
	workbook bool // holds xl/workbook.xml: an xlsx, whatever its name

	cur     io.ReadCloser
	next    int
	first   []byte // the first member's first line, once read
	warns   []string
	path    string
	atLine  bool // the current member's first line is still to be checked
	pending []byte
	last    byte // the last byte passed on
}

// openZipArchive copies the archive r to a temporary file and opens its
// directory.
func openZipArchive(ctx context.Context, file string, r io.Reader, limit int64) (*zipArchive, error) {
	f, err := os.CreateTemp("", "incidents-zip-*")
	if err != nil {
		return nil, &Error{File: file, Err: fmt.Errorf("a zip archive is read from a temporary copy: %w", err)}
	}
	os.Remove(f.Name()) // unlinked now: nothing is left behind, whatever happens
	za := &zipArchive{spool: f, path: file}
	n, err := copyCtx(ctx, f, r, limit)
	if err != nil {
		za.Close()
		return nil, &Error{File: file, Err: err}
	}
	za.size = n
	za.zr, err = zip.NewReader(f, n)
	if err != nil {
		za.Close()
		return nil, &Error{File: file, Err: fmt.Errorf("%w: not a readable zip archive: %w", ErrSyntax, err)}
	}
	for _, m := range za.zr.File {
		switch {
		case m.Name == "xl/workbook.xml":
			za.workbook = true
		case strings.HasSuffix(m.Name, "/"), strings.HasPrefix(m.Name, "__MACOSX/"), path.Base(m.Name) == ".DS_Store":
		default:
			za.members = append(za.members, m)
		}
	}
	if !za.workbook && len(za.members) == 0 {
		za.Close()
		return nil, &Error{File: file, Err: fmt.Errorf("%w (the zip archive holds no file)", ErrNoHeader)}
	}
	return za, nil
}

// copyCtx copies r to w, at most limit bytes, checking ctx between blocks.
func copyCtx(ctx context.Context, w io.Writer, r io.Reader, limit int64) (int64, error) {
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if ctx != nil {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		k, err := r.Read(buf)
		if k > 0 {
			if n += int64(k); n > limit {
				return n, fmt.Errorf("%w: the zip archive is larger than %s (--max-input-bytes raises the limit)", ErrTooLarge, byteSize(limit))
			}
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, fmt.Errorf("a zip archive is read from a temporary copy: %w", werr)
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Workbook returns the whole archive, for the xlsx reader.
func (za *zipArchive) Workbook() io.Reader {
	return io.NewSectionReader(za.spool, 0, za.size)
}

// FirstName is the first member's name (its extension picks the format).
func (za *zipArchive) FirstName() string { return za.members[0].Name }

// Read reads the members in order.
func (za *zipArchive) Read(p []byte) (int, error) {
	for {
		if len(za.pending) > 0 {
			n := copy(p, za.pending)
			za.pending = za.pending[n:]
			za.last = p[n-1]
			return n, nil
		}
		if za.cur == nil {
			if za.next >= len(za.members) {
				return 0, io.EOF
			}
			m := za.members[za.next]
			rc, err := m.Open()
			if err != nil {
				return 0, fmt.Errorf("zip member %s: %w", m.Name, err)
			}
			za.cur, za.atLine = rc, true
			za.next++
		}
		if za.atLine {
			line, err := za.firstLine()
			if err != nil {
				return 0, err
			}
			za.atLine = false
			za.pending = line
			continue
		}
		n, err := za.cur.Read(p)
		if n > 0 {
			za.last = p[n-1]
		}
		if err == io.EOF {
			za.cur.Close()
			za.cur = nil
			if za.last != '\n' && za.last != 0 {
				za.pending = []byte{'\n'} // a member without a final newline must not run into the next
			}
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			err = fmt.Errorf("zip member %s: %w", za.members[za.next-1].Name, err)
		}
		return n, err
	}
}

// firstLine reads the current member's first line (with its newline) and
// returns what is to be passed on: all of it, or nothing when it repeats the
// first member's header row.
func (za *zipArchive) firstLine() ([]byte, error) {
	br := bufio.NewReader(za.cur)
	line, err := br.ReadSlice('\n')
	for err == bufio.ErrBufferFull { // a first line over 4 KB: pass it on whole
		rest, e := br.ReadSlice('\n')
		line, err = append(append([]byte(nil), line...), rest...), e
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("zip member %s: %w", za.members[za.next-1].Name, err)
	}
	line = append([]byte(nil), line...)
	// the rest of the member: what bufio already holds, then the member
	rest, _ := br.Peek(br.Buffered())
	za.cur = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(append([]byte(nil), rest...)), za.cur), za.cur}
	if za.next == 1 {
		za.first = line
		return line, nil
	}
	if bytes.Equal(bytes.TrimRight(line, "\r\n"), bytes.TrimRight(za.first, "\r\n")) && len(bytes.TrimSpace(line)) > 0 && !LooksLikeData(splitLoose(za.first)) {
		za.warns = append(za.warns, fmt.Sprintf("zip member %s: its header row, the same as the first member's, was skipped", za.members[za.next-1].Name))
		return nil, nil
	}
	return line, nil
}

// splitLoose splits a line on its most frequent delimiter, for
// LooksLikeData.
func splitLoose(line []byte) []string {
	d := sniffDelimiter(line)
	return strings.Split(strings.TrimRight(string(line), "\r\n"), string(rune(d)))
}

// Close closes the member being read and the temporary copy.
func (za *zipArchive) Close() error {
	if za.cur != nil {
		za.cur.Close()
	}
	return za.spool.Close()
}
