package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/klauspost/compress/gzhttp"
	"golang.org/x/sync/singleflight"

	"github.com/incidentkit/incidents/export"
)

// Defaults of Options.
const (
	DefaultMaxRows       = 10000            // rows in one /api/incidents response
	DefaultLimit         = 100              // rows of /api/incidents without ?limit
	DefaultTimeout       = 60 * time.Second // per request
	DefaultMaxQueue      = 64               // requests waiting for a computing slot
	DefaultMaxBootstrap  = 10000            // ?bootstrap= of /api/stats
	DefaultShutdownGrace = 10 * time.Second
	MaxQueryBytes        = 8 << 10 // a longer query string is refused (414)
	MaxWhere             = 32      // where parameters in one request
	MaxListValues        = 1024    // values of one where list, columns of ?columns=, ...
)

// Options configure a Server.
type Options struct {
	// Datasets are the files (Parquet, Arrow IPC file or stream) and Hive
	// dataset folders served, read together as `incidents stats` reads its
	// inputs. They are fixed when the server starts: no request names a path.
	Datasets []string
	// MaxRows caps the rows of one /api/incidents response (DefaultMaxRows).
	MaxRows int
	// MaxConcurrent caps the data requests computing at once (default
	// GOMAXPROCS); up to MaxQueue more wait for a slot, others get 503.
	MaxConcurrent int
	MaxQueue      int
	// Timeout bounds one request (DefaultTimeout): past it the request is
	// cancelled and gets a timeout error.
	Timeout time.Duration
	// MaxBootstrap caps ?bootstrap= (DefaultMaxBootstrap).
	MaxBootstrap int
	// CORSOrigin, when set, lets pages of that origin call the API: an
	// origin (https://example.org), one with a wildcard first label
	// (https://*.static.observableusercontent.com) or "*" for any; empty
	// means no CORS headers (same-origin only).
	CORSOrigin string
	// CacheBytes is the budget of the replies kept for repeated requests
	// (DefaultCacheBytes when 0; negative: none kept).
	CacheBytes int
	// Logger receives the access log (one record per request) and errors;
	// nil discards them.
	Logger *slog.Logger
	// Mem allocates Arrow memory; nil means memory.DefaultAllocator.
	Mem memory.Allocator
}

// Server serves the datasets it was made with over HTTP. Its Handler is
// safe for concurrent use.
type Server struct {
	opts     Options
	datasets []dataset
	log      *slog.Logger
	slots    chan struct{}
	waiting  atomic.Int64
	handler  http.Handler
	cache    *replyCache
	flight   singleflight.Group

	// base is the parent of every computation: Close cancels it and
	// waits for computing to reach zero.
	base      context.Context
	stop      context.CancelFunc
	closeMu   sync.Mutex
	closed    bool
	computing sync.WaitGroup
}

// dataset is one input: its path as given, and the name clients see.
type dataset struct {
	path   string
	name   string // base name; the directory is never shown to clients
	format string
}

// New checks that every dataset is a Parquet or Arrow file or a dataset
// folder of them and returns the Server.
func New(opts Options) (*Server, error) {
	if len(opts.Datasets) == 0 {
		return nil, errors.New("serve: no dataset to serve")
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = runtime.GOMAXPROCS(0)
	}
	if opts.MaxQueue <= 0 {
		opts.MaxQueue = DefaultMaxQueue
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBootstrap <= 0 {
		opts.MaxBootstrap = DefaultMaxBootstrap
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	s := &Server{opts: opts, log: opts.Logger, slots: make(chan struct{}, opts.MaxConcurrent), cache: newReplyCache(opts.CacheBytes)}
	s.base, s.stop = context.WithCancel(context.Background())
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	seen := map[string]bool{}
	for _, p := range opts.Datasets {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		format, ok := export.Recognize(p)
		switch {
		case ok && (format == export.FormatParquet || format == export.FormatArrow || format == export.FormatArrowsIPC || format == export.FormatDataset):
		case fi.IsDir():
			return nil, fmt.Errorf("serve: %s: a folder without Parquet or Arrow files", p)
		case ok:
			return nil, fmt.Errorf("serve: %s: serve reads Parquet and Arrow files and datasets, not %s (incidents export -o FILE.parquet %s)", p, format, p)
		default:
			return nil, fmt.Errorf("serve: %s: not a Parquet or Arrow file of incidents (incidents normalize -o FILE.parquet %s)", p, p)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		if seen[abs] {
			return nil, fmt.Errorf("serve: %s given twice", p)
		}
		seen[abs] = true
		s.datasets = append(s.datasets, dataset{path: abs, name: filepath.Base(abs), format: format})
	}
	s.handler = s.buildHandler()
	return s, nil
}

// Handler returns the server's HTTP handler: the API, the page, gzip,
// CORS, bounded concurrency and the access log.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/stats", s.api(s.handleStats))
	mux.Handle("/api/incidents", s.api(s.handleIncidents))
	mux.Handle("/api/series", s.api(s.handleSeries))
	mux.Handle("/api/schema", s.api(s.handleSchema))
	mux.Handle("/healthz", s.api(s.handleHealth))
	mux.Handle("/assets/", s.api(s.handleAsset))
	mux.Handle("/{$}", s.api(s.handlePage))
	mux.Handle("/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return &Error{Type: ErrNotFound, Err: fmt.Errorf("no such page %q (the API: /api/stats, /api/incidents, /api/series, /api/schema, /healthz)", r.URL.Path)}
	}))
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.SuffixETag("-gzip"),
		gzhttp.ContentTypeFilter(func(ct string) bool {
			// Parquet pages are compressed already
			return !strings.Contains(ct, "parquet") && gzhttp.DefaultContentTypeFilter(ct)
		}))
	if err != nil {
		panic("serve: gzhttp: " + err.Error()) // the options are constants
	}
	return s.accessLog(s.recoverPanics(s.cors(gz(cleanPaths(mux)))))
}

// cleanPaths answers a path with "..", "//" or "." segments with a 404
// envelope, where ServeMux would redirect to the cleaned path: no request
// path is ever resolved, on disk or off it.
func cleanPaths(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if c := path.Clean(p); c != p && c+"/" != p {
			writeError(w, &Error{Type: ErrNotFound, Err: fmt.Errorf("no such page %q", p)})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// apiFunc is a handler that returns its failure instead of writing it.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// api turns an apiFunc into a handler: GET and HEAD only, a bounded query
// string, the request's timeout, and one JSON envelope for any error.
func (s *Server) api(h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, &Error{Type: ErrMethod, Err: fmt.Errorf("method %s: the server is read-only (GET, HEAD)", r.Method)})
			return
		}
		if len(r.URL.RawQuery) > MaxQueryBytes {
			writeError(w, &Error{Type: ErrTooLarge, Err: fmt.Errorf("query string of %d bytes: at most %d", len(r.URL.RawQuery), MaxQueryBytes)})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
		defer cancel()
		if err := h(w, r.WithContext(ctx)); err != nil {
			err = s.classify(ctx, err)
			if e := asError(err); e.Type == ErrInternal || e.Type == ErrExecution {
				s.log.Error("request failed", "path", r.URL.Path, "query", r.URL.RawQuery, "err", e.Error())
			}
			writeError(w, err)
		}
	})
}

// classify gives context and file errors their kind, and keeps the
// server's directories out of the message.
func (s *Server) classify(ctx context.Context, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &Error{Type: ErrTimeout, Err: fmt.Errorf("the request ran past the server's limit of %s", s.opts.Timeout)}
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return &Error{Type: ErrCanceled, Err: errors.New("request canceled")}
	case errors.Is(err, os.ErrNotExist):
		return &Error{Type: ErrUnavailable, Err: errors.New(s.hidePaths(err.Error()))}
	}
	return &Error{Type: ErrExecution, Err: errors.New(s.hidePaths(err.Error()))}
}

// hidePaths replaces each dataset's directory in msg by nothing, so that a
// client reads "events.parquet", not the server's folders.
func (s *Server) hidePaths(msg string) string {
	for _, d := range s.datasets {
		msg = strings.ReplaceAll(msg, filepath.Dir(d.path)+string(filepath.Separator), "")
	}
	return msg
}

// acquire waits for a computing slot; the returned func gives it back.
func (s *Server) acquire(ctx context.Context) (func(), error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
	}
	if s.waiting.Add(1) > int64(s.opts.MaxQueue) {
		s.waiting.Add(-1)
		return nil, &Error{Type: ErrUnavailable, Err: fmt.Errorf("the server is busy (%d requests computing, %d waiting): try again", cap(s.slots), s.opts.MaxQueue)}
	}
	defer s.waiting.Add(-1)
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// cors adds the CORS headers for the one origin allowed, and answers its
// preflight requests; without CORSOrigin it adds nothing.
func (s *Server) cors(h http.Handler) http.Handler {
	if s.opts.CORSOrigin == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && originAllowed(s.opts.CORSOrigin, origin) {
			allow := origin
			if s.opts.CORSOrigin == "*" {
				allow = "*"
			}
			w.Header().Set("Access-Control-Allow-Origin", allow)
			w.Header().Set("Access-Control-Expose-Headers", "ETag, Last-Modified, Link, X-Incidents-Rows")
			if s.opts.CORSOrigin != "*" {
				w.Header().Add("Vary", "Origin")
			}
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
				w.Header().Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since")
				w.Header().Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// originAllowed reports whether origin matches the pattern of
// Options.CORSOrigin: "*" (any), an origin (https://example.org), or one
// with a wildcard first label (https://*.static.observableusercontent.com,
// where each Observable user's notebooks run).
func originAllowed(pattern, origin string) bool {
	if pattern == "*" || pattern == origin {
		return true
	}
	scheme, host, ok := strings.Cut(pattern, "://*.")
	if !ok {
		return false
	}
	rest, found := strings.CutPrefix(origin, scheme+"://")
	if !found || !strings.HasSuffix(rest, "."+host) {
		return false
	}
	label := strings.TrimSuffix(rest, "."+host)
	return label != "" && !strings.ContainsAny(label, "./:@")
}

// recoverPanics turns a handler's panic into an internal error envelope
// (when nothing was written yet) and a log record.
func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "query", r.URL.RawQuery, "panic", fmt.Sprint(v))
				writeError(w, &Error{Type: ErrInternal, Err: errors.New("internal error")})
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// loggedWriter records the status and size of a response.
type loggedWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *loggedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *loggedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *loggedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// accessLog writes one slog record per request.
func (s *Server) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &loggedWriter{ResponseWriter: w}
		h.ServeHTTP(lw, r)
		if lw.status == 0 {
			lw.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", r.URL.RawQuery),
			slog.Int("status", lw.status), slog.Int64("bytes", lw.bytes),
			slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets the requests under way finish (for
// up to DefaultShutdownGrace) and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.opts.Timeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), DefaultShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	<-done
	s.Close()
	if err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	return nil
}

// Close cancels the computations under way (those a departed client
// left, which go on for the others asking the same) and waits for them
// to end. A closed Server answers every data request with an error.
func (s *Server) Close() {
	s.closeMu.Lock()
	s.closed = true
	s.stop()
	s.closeMu.Unlock()
	s.computing.Wait()
}

// startComputing counts a computation in, unless the server is closed.
func (s *Server) startComputing() bool {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return false
	}
	s.computing.Add(1)
	return true
}

// Datasets returns the names clients see, in order.
func (s *Server) Datasets() []string {
	var names []string
	for _, d := range s.datasets {
		names = append(names, d.name)
	}
	return names
}

// sortedKeys is the sorted keys of m.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
