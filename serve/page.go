package serve

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/incidentkit/incidents/report/world"
)

// The dashboard and its libraries (assets/vendor/SOURCES.md names their
// packages, versions and licenses), embedded so that the page works with
// no network: nothing is fetched from anywhere but this server.
//
//go:embed assets
var assets embed.FS

// asset is one embedded file with its validator.
type asset struct {
	body []byte
	etag string
	ct   string
}

var assetFiles = func() map[string]asset {
	m := map[string]asset{}
	err := fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".md":
			ct = "text/markdown; charset=utf-8"
		case ".json":
			ct = "application/json"
		}
		m[strings.TrimPrefix(p, "assets/")] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ct: ct}
		return nil
	})
	if err != nil {
		panic("serve: embedded assets: " + err.Error())
	}
	// the world's outlines, as the report's map has them (report/world)
	sum := sha256.Sum256(world.Countries110m)
	m["world/countries-110m.json"] = asset{body: world.Countries110m, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ct: "application/json"}
	return m
}()

// startTime is the Last-Modified of the embedded files: they change only
// with the binary.
var startTime = time.Now()

func serveAsset(w http.ResponseWriter, r *http.Request, name string, maxAge time.Duration) error {
	a, ok := assetFiles[name]
	if !ok {
		return &Error{Type: ErrNotFound, Err: fmt.Errorf("no such file %q", r.URL.Path)}
	}
	h := w.Header()
	h.Set("ETag", a.etag)
	h.Set("Content-Type", a.ct)
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds())))
	h.Set("X-Content-Type-Options", "nosniff")
	if inm := r.Header.Get("If-None-Match"); inm != "" && matchETag(inm, a.etag) {
		w.WriteHeader(http.StatusNotModified) // ServeContent would not see through gzhttp's -gzip suffix
		return nil
	}
	http.ServeContent(w, r, "", startTime, bytes.NewReader(a.body))
	return nil
}

// handlePage is GET /: the dashboard.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) error {
	if _, err := newQuery(r.URL); err != nil {
		return err
	}
	// the page may load only what this server sends
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return serveAsset(w, r, "index.html", 0)
}

// handleAsset is GET /assets/NAME: an embedded file, never one from disk.
func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimPrefix(r.URL.Path, "/assets/")
	return serveAsset(w, r, name, time.Hour)
}
