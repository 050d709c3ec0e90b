package main

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/serve"
)

func newServeCmd() *cobra.Command {
	var (
		addr       string
		opts       serve.Options
		logFormat  string
		timeout    time.Duration
		maxRows    int
		concurrent int
		cacheMB    int
	)
	cmd := &cobra.Command{
		Use:   "serve [flags] DATASET...",
		Short: "Serve Parquet/Arrow files and datasets read-only over HTTP: a JSON/CSV/Arrow API and a dashboard",
		Long: `Serve the given Parquet or Arrow files and Hive dataset folders, read
together as 'incidents stats' reads its inputs, over HTTP, read-only. No
request can name another file: the datasets are fixed when the server starts,
and files that change on disk are read anew (with new ETags) without a restart.

  GET /                 a dashboard (filters for country, dates, event type;
                        charts and a map redrawn from the API; works offline)
  GET /api/stats        incidents stats: by, period, where, top, series, tail,
                        bootstrap, seed, stats as parameters, the same numbers;
                        a JSON array of objects, or format=csv|arrow|parquet
  GET /api/incidents    rows: where, columns, limit (at most --max-rows), offset;
                        a Link header with rel="next" gives the next page
  GET /api/series       counts per period and group with an RFC 3339 "time"
                        (for Grafana's Infinity data source, Observable Plot)
  GET /api/schema       the columns, event types, JSON Schema and datasets
  GET /healthz          {"status":"ok"} while every dataset is there

Errors are one JSON envelope, {"status":"error","errorType":"bad_data",
"error":"limit: ..."}, naming the parameter at fault. Responses carry ETag
and Last-Modified (304 to a current copy) and are gzipped when asked; CORS
headers are sent only for --cors ORIGIN. Each request has --timeout; at most
--max-concurrent compute at once (64 more wait, others get 503); the same
request made by several clients at once is computed once, and recent replies
are kept (--cache-mb) until the files change. The access
log (log/slog) goes to stderr. Ctrl-C or SIGTERM stops accepting, lets the
requests under way finish (up to 10 s) and exits 0.`,
		Example: `  incidents serve events.parquet
  incidents serve --addr 127.0.0.1:9000 --cors 'https://*.static.observableusercontent.com' events.parquet ged.parquet
  incidents serve events_by_country      # a Hive-partitioned dataset folder
  curl 'http://127.0.0.1:8080/api/stats?by=country_iso3&period=year&where=year>=2015'
  curl 'http://127.0.0.1:8080/api/series?by=country_iso3&period=month&format=csv'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, datasets []string) error {
			if err := checkRange("serve", "--max-rows", int64(maxRows), 1, 1_000_000); err != nil {
				return err
			}
			if err := checkRange("serve", "--max-concurrent", int64(concurrent), 0, 1024); err != nil {
				return err
			}
			if err := checkRange("serve", "--cache-mb", int64(cacheMB), 0, 65536); err != nil {
				return err
			}
			opts.CacheBytes = cacheMB << 20
			if cacheMB == 0 {
				opts.CacheBytes = -1
			}
			if timeout < time.Second || timeout > time.Hour {
				return fmt.Errorf("serve: --timeout %s is out of range (1s to 1h)", timeout)
			}
			var h slog.Handler
			switch logFormat {
			case "text":
				h = slog.NewTextHandler(cmd.ErrOrStderr(), nil)
			case "json":
				h = slog.NewJSONHandler(cmd.ErrOrStderr(), nil)
			default:
				return fmt.Errorf("serve: unknown --log %q (text, json)", logFormat)
			}
			opts.Datasets, opts.Timeout, opts.MaxRows, opts.MaxConcurrent = datasets, timeout, maxRows, concurrent
			opts.Logger = slog.New(h)
			srv, err := serve.New(opts)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			opts.Logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "datasets", srv.Datasets())
			err = srv.Serve(cmd.Context(), ln)
			opts.Logger.Info("stopped")
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; :0 picks a free port)")
	fl.StringVar(&opts.CORSOrigin, "cors", "", "allow pages of this `ORIGIN` to call the API (https://example.org, https://*.example.org, or *; default: none)")
	fl.IntVar(&maxRows, "max-rows", serve.DefaultMaxRows, "most rows in one /api/incidents response (1 to 1,000,000)")
	fl.IntVar(&concurrent, "max-concurrent", 0, "requests computing at once (0: one per core; at most 1024)")
	fl.DurationVar(&timeout, "timeout", serve.DefaultTimeout, "time limit of one request (1s to 1h)")
	fl.IntVar(&cacheMB, "cache-mb", serve.DefaultCacheBytes>>20, "MiB of replies kept for repeated requests (0: none; at most 65536)")
	fl.StringVar(&logFormat, "log", "text", "access log format on stderr: text or json")
	return cmd
}
