// Package pgsink loads incidents (or any Arrow records of the types the
// schema uses, such as stats results) into a PostgreSQL table, for the
// dashboards that read from a database (Grafana, Superset, Metabase).
//
// A Target is a postgres://USER@HOST/DB?table=[SCHEMA.]NAME URL. Open
// connects with jackc/pgx (the password from the URL, PGPASSWORD or
// ~/.pgpass, as libpq reads them), begins one transaction, creates or
// checks the table as the Mode says and starts a binary COPY; Write streams
// each record into it as it comes (memory holds at most two records);
// Close completes the COPY, merges an upsert and commits; Abort, an error
// or a cancelled context rolls everything back, so that the table is as it
// was.
//
// A table Open creates has the schema's types: date, timestamp with time
// zone, smallint, integer, double precision, text, text[] for the lists;
// NOT NULL where the schema says so; the enumerations as text with CHECK
// constraints listing their values; primary key incident_id; each column's
// description as its comment. The table's comment is a JSON object
// recording the last load (Options.Metadata, mode, time).
//
// ModeUpsert copies into a temporary table, then runs
//
//	INSERT INTO t SELECT ... FROM tmp ON CONFLICT (incident_id)
//	DO UPDATE SET ... WHERE ROW(t.cols) IS DISTINCT FROM ROW(EXCLUDED.cols)
//
// counting inserted rows (xmax = 0), updated ones, and the rest as
// unchanged; with Options.DeleteMissing it then deletes the rows whose key
// the load does not hold (within Options.DeleteScope's values), as
// applying a full release does. ModeReplace truncates the table and copies into it in the
// same transaction, so that readers wait and then see the new rows (its
// grants, views and indexes kept); a table whose columns differ is dropped
// and created anew.
//
// Errors are *Error (the table, the server's SQLSTATE and message, never
// the password) wrapping ErrTableExists, ErrColumns, ErrDuplicateKey or
// ErrNoKey where they apply.
package pgsink
