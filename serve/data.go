package serve

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/export"
)

// apiVersion changes the ETags when the meaning of a response changes
// between versions of the server.
const apiVersion = "incidents-serve-1"

// maxDatasetFiles caps the files of a dataset folder the server looks at
// for its version (a folder of more is refused rather than walked forever).
const maxDatasetFiles = 1 << 20

// snapshot is the version of the datasets on disk: a hash of every file's
// path, size and modification time, and the latest modification time.
// Taken on every data request, it is what makes a file that changed on
// disk be read anew (every request opens the files) and be served with a
// new ETag, without a restart.
type snapshot struct {
	tag      string
	modified time.Time
}

func (s *Server) snapshot() (snapshot, error) {
	h := sha256.New()
	h.Write([]byte(apiVersion))
	var latest time.Time
	var buf [16]byte
	add := func(p string, fi fs.FileInfo) {
		h.Write([]byte(p))
		binary.LittleEndian.PutUint64(buf[:8], uint64(fi.Size()))
		binary.LittleEndian.PutUint64(buf[8:], uint64(fi.ModTime().UnixNano()))
		h.Write(buf[:])
		if fi.ModTime().After(latest) {
			latest = fi.ModTime()
		}
	}
	for _, d := range s.datasets {
		fi, err := os.Stat(d.path)
		if err != nil {
			return snapshot{}, &Error{Type: ErrUnavailable, Err: fmt.Errorf("dataset %s is gone (%v)", d.name, errors.Unwrap(err))}
		}
		add(d.path, fi)
		if !fi.IsDir() {
			continue
		}
		n := 0
		err = filepath.WalkDir(d.path, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != d.path && (strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_")) {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil // temporary files of a writer at work
			}
			if n++; n > maxDatasetFiles {
				return fmt.Errorf("more than %d files", maxDatasetFiles)
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			add(p, fi)
			return nil
		})
		if err != nil {
			return snapshot{}, &Error{Type: ErrUnavailable, Err: fmt.Errorf("dataset %s: %s", d.name, s.hidePaths(err.Error()))}
		}
	}
	return snapshot{tag: hex.EncodeToString(h.Sum(nil)[:12]), modified: latest.UTC().Truncate(time.Second)}, nil
}

// etag is the weak entity tag of the response to r over this snapshot:
// the same query on the same files gives the same tag.
func (sn snapshot) etag(r *http.Request) string {
	h := sha256.New()
	h.Write([]byte(sn.tag))
	h.Write([]byte(r.URL.Path))
	h.Write([]byte{0})
	h.Write([]byte(r.URL.Query().Encode()))
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// conditional sets the validators of a data response and reports whether
// the client's copy is current (a 304 was written).
func conditional(w http.ResponseWriter, r *http.Request, sn snapshot) bool {
	tag := sn.etag(r)
	h := w.Header()
	h.Set("ETag", tag)
	if !sn.modified.IsZero() {
		h.Set("Last-Modified", sn.modified.Format(http.TimeFormat))
	}
	h.Set("Cache-Control", "no-cache") // may be kept, but revalidated every time
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if matchETag(inm, tag) {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !sn.modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !sn.modified.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// matchETag is the weak comparison of If-None-Match: any listed tag equal
// to ours once W/ and the content coding's suffix (gzhttp adds -gzip or
// -zstd to a compressed response's tag) are set aside.
func matchETag(header, tag string) bool {
	norm := func(t string) string {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		t = strings.Trim(t, `"`)
		t = strings.TrimSuffix(t, "-gzip")
		return strings.TrimSuffix(t, "-zstd")
	}
	want := norm(tag)
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || norm(t) == want {
			return true
		}
	}
	return false
}

// errStop ends a scan early without an error.
var errStop = errors.New("serve: enough rows")

// scan streams the records of every dataset, projected to columns, to fn;
// fn returning errStop ends it without error.
func (s *Server) scan(ctx context.Context, columns []string, fn func(arrow.Record) error) error {
	for _, d := range s.datasets {
		err := func() error {
			rr, err := export.Open(ctx, d.path, export.ReadOptions{Columns: columns, Mem: s.opts.Mem})
			if err != nil {
				return err
			}
			defer rr.Release()
			for rr.Next() {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := fn(rr.Record()); err != nil {
					return err
				}
			}
			if err := rr.Err(); err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			return ctx.Err()
		}()
		if errors.Is(err, errStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}
