// Package spill holds what a command keeps on disk when its data outgrow
// memory: unlinked temporary files in $TMPDIR (File, Create) and an external
// sort of records by key (Sorter), behind ingest's reconciliation of reports
// and diff's matching of two releases by incident_id. It is internal to the
// module and imports nothing of ours.
//
// A temporary folder that cannot be used is never a reason to fail a run:
// when a file cannot be created, or a write to it fails (a full disk), the
// callers keep what they would have spilled in memory and say so in a
// warning. Reading back what was written is still an error when it fails.
package spill

import (
	"io"
	"os"
)

// File is a temporary file: written and read at offsets, removed when
// closed.
type File interface {
	io.ReaderAt
	io.WriterAt
	Close() error
}

// CreateFunc makes a temporary file; pattern is os.CreateTemp's.
type CreateFunc func(pattern string) (File, error)

// Create makes a temporary file in $TMPDIR, unlinked at once where the
// system allows it, so that a crash leaves nothing behind; otherwise Close
// removes it.
func Create(pattern string) (File, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, err
	}
	t := &tempFile{File: f}
	t.removed = os.Remove(f.Name()) == nil
	return t, nil
}

type tempFile struct {
	*os.File
	removed bool
}

func (t *tempFile) Close() error {
	err := t.File.Close()
	if !t.removed {
		os.Remove(t.Name())
	}
	return err
}

// Writer appends to a File at a growing offset; a write error sticks.
type Writer struct {
	f    File
	off  int64
	buf  []byte
	werr error
}

// NewWriter appends to f from off, buffering bufSize bytes.
func NewWriter(f File, off int64, bufSize int) *Writer {
	return &Writer{f: f, off: off, buf: make([]byte, 0, bufSize)}
}

func (w *Writer) Write(p []byte) (int, error) {
	if w.werr != nil {
		return 0, w.werr
	}
	n := len(p)
	for len(p) > 0 {
		if len(w.buf) == cap(w.buf) {
			if err := w.Flush(); err != nil {
				return n - len(p), err
			}
		}
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
	}
	return n, nil
}

// Flush writes the buffer out.
func (w *Writer) Flush() error {
	if w.werr != nil {
		return w.werr
	}
	if len(w.buf) == 0 {
		return nil
	}
	n, err := w.f.WriteAt(w.buf, w.off)
	w.off += int64(n)
	if err == nil && n < len(w.buf) {
		err = io.ErrShortWrite
	}
	w.buf = w.buf[:0]
	w.werr = err
	return err
}

// Offset is where the next byte goes (after Flush: the file's end).
func (w *Writer) Offset() int64 { return w.off + int64(len(w.buf)) }
