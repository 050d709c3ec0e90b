// Package serve is the read-only HTTP server of `incidents serve`: the
// Parquet and Arrow files and Hive datasets it is made with, over an API
// for programs and a dashboard for people, as Datasette serves its
// databases.
//
//	GET /api/stats      incidents stats (by, period, where, top, series, tail,
//	                    bootstrap, seed, stats): the stats package's numbers,
//	                    a JSON array of objects, or format=csv|arrow|parquet
//	GET /api/incidents  rows passing every where: columns, limit, offset, format
//	GET /api/series     counts per period and group with an RFC 3339 time
//	GET /api/schema     the columns, event types, JSON Schema, datasets
//	GET /healthz        {"status":"ok"} while every dataset is on disk
//	GET /               the dashboard (assets embedded: no network needed)
//
// Each endpoint is one handler returning an *Error, which reaches the client
// as one JSON envelope in the style of Prometheus's HTTP API,
// {"status":"error","errorType":"bad_data","error":"limit: ..."}. No request
// can name a file: a parameter an endpoint does not take is refused. Every
// request reads the files anew (their sizes and times make the ETag), so a
// file replaced on disk is served without a restart. Replies are computed in
// full, once for identical requests made at the same time, kept in a
// bounded cache, gzipped when asked, under a per-request timeout and a cap
// on the requests computing at once. The package never prints: the access
// log goes to Options.Logger (log/slog).
package serve
