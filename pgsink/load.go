package pgsink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Mode says what a load does with a table that exists.
type Mode string

// Modes. In every mode the load is one transaction: an error or a
// cancelled context leaves the table as it was.
const (
	// ModeCreate creates the table; an existing table is an error.
	ModeCreate Mode = "create"
	// ModeAppend adds the rows to the table (created if absent); a key
	// already in it fails the load.
	ModeAppend Mode = "append"
	// ModeUpsert inserts new keys and updates the rows of known keys that
	// differ; rows equal to the table's are left alone and counted
	// unchanged.
	ModeUpsert Mode = "upsert"
	// ModeReplace empties the table and loads the rows, as one transaction:
	// readers see the old rows until the commit, then the new ones. A table
	// whose columns differ from the records' is dropped and created anew.
	ModeReplace Mode = "replace"
)

// Modes lists the modes, the default first.
var Modes = []Mode{ModeCreate, ModeAppend, ModeUpsert, ModeReplace}

// ParseMode reads a --mode value.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("pgsink: unknown mode %q (want create, append, upsert or replace)", s)
}

// Errors callers can test with errors.Is.
var (
	// ErrTableExists: ModeCreate and the table is there.
	ErrTableExists = errors.New("table already exists")
	// ErrColumns: the table's columns do not hold the records'.
	ErrColumns = errors.New("table columns differ")
	// ErrDuplicateKey: a key is already in the table (append) or twice in
	// the input (upsert).
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrNoKey: upsert without a key column or without a unique index on it.
	ErrNoKey = errors.New("no key to upsert by")
)

// Options configure Open.
type Options struct {
	// Mode; empty means ModeCreate.
	Mode Mode
	// Schema of the records to be written (every Write must match it).
	Schema *arrow.Schema
	// Key are the primary-key columns of a table Open creates, and what
	// upsert matches rows by. Nil means incident_id when Schema has it; an
	// empty non-nil slice means none.
	Key []string
	// Metadata goes into the table's comment as JSON, with the mode and the
	// time of the load (SetMetadata adds to it).
	Metadata map[string]string
	// ApplicationName is shown in pg_stat_activity (default "incidents").
	ApplicationName string
	// DeleteMissing (upsert only) also deletes the table's rows whose key
	// is not in the load, as applying a full release does: what the source
	// withdrew goes. With DeleteScope, only rows whose values in those
	// columns occur in the load are candidates, so that a full ACLED release
	// (DeleteScope: source_dataset) leaves a table's UCDP rows alone.
	DeleteMissing bool
	DeleteScope   []string
}

// Result is what a load did.
type Result struct {
	Table   string // schema.name as people read it
	Mode    Mode
	Created bool  // the table was created by this load
	Rows    int64 // rows written through COPY
	// Inserted, Updated and Unchanged add up to Rows. Without upsert every
	// row is inserted.
	Inserted, Updated, Unchanged int64
	// Replaced is how many rows a replace removed.
	Replaced int64
	// Deleted is how many rows an upsert with DeleteMissing removed.
	Deleted int64
	// DeleteMissing is Options.DeleteMissing, for String.
	DeleteMissing bool
}

// String is the summary line of a load.
func (r Result) String() string {
	s := fmt.Sprintf("%d rows loaded into %s (%s", r.Rows, r.Table, r.Mode)
	if r.Created {
		s += ", table created"
	}
	s += ")"
	switch {
	case r.Mode == ModeUpsert:
		s += fmt.Sprintf(": %d inserted, %d updated, %d unchanged", r.Inserted, r.Updated, r.Unchanged)
		if r.DeleteMissing {
			s += fmt.Sprintf(", %d deleted", r.Deleted)
		}
	case r.Mode == ModeReplace && !r.Created:
		s += fmt.Sprintf(", replacing %d rows", r.Replaced)
	}
	return s
}

// Loader loads Arrow records into one table in one transaction. Write
// hands records to a COPY (binary format) that streams them to the server
// as they come; Close completes the load and commits; Abort, or an error
// anywhere, rolls it back. It is not safe for concurrent use.
type Loader struct {
	target Target
	opts   Options
	cols   []column
	key    []string
	meta   map[string]string

	conn    *pgx.Conn
	tx      pgx.Tx
	into    pgx.Identifier // the table or the upsert's temporary table
	merging bool           // upsert into a table that existed: COPY into a temporary table, then merge

	ctx      context.Context
	cancel   context.CancelFunc
	recs     chan arrow.Record
	stopped  chan struct{} // COPY returned
	drained  chan struct{} // and the records it did not take are released
	closeRec sync.Once
	copied   int64
	copyErr  error

	res  Result
	done bool
	err  error
}

// Open connects to the target's database, begins the transaction, creates
// or checks the table as the mode says and starts the COPY. The password
// comes from the URL, PGPASSWORD or ~/.pgpass, as libpq reads them.
func Open(ctx context.Context, t Target, opts Options) (*Loader, error) {
	if opts.Mode == "" {
		opts.Mode = ModeCreate
	}
	if _, err := ParseMode(string(opts.Mode)); err != nil {
		return nil, err
	}
	if opts.Schema == nil {
		return nil, fmt.Errorf("pgsink: Options.Schema is nil")
	}
	cols, err := columnsOf(opts.Schema)
	if err != nil {
		return nil, err
	}
	key := opts.Key
	if key == nil && opts.Schema.HasField("incident_id") {
		key = []string{"incident_id"}
	}
	for _, k := range key {
		if !opts.Schema.HasField(k) {
			return nil, fmt.Errorf("pgsink: key column %s is not among the records' columns: %w", k, ErrNoKey)
		}
	}
	if opts.Mode == ModeUpsert && len(key) == 0 {
		return nil, fmt.Errorf("pgsink: upsert needs a key column (incident_id): %w", ErrNoKey)
	}
	if (opts.DeleteMissing || len(opts.DeleteScope) > 0) && opts.Mode != ModeUpsert {
		return nil, fmt.Errorf("pgsink: DeleteMissing and DeleteScope apply to an upsert, not %s", opts.Mode)
	}
	for _, c := range opts.DeleteScope {
		if !opts.Schema.HasField(c) {
			return nil, fmt.Errorf("pgsink: DeleteScope column %s is not among the records' columns", c)
		}
	}
	l := &Loader{target: t, opts: opts, cols: cols, key: key, meta: map[string]string{},
		res: Result{Table: t.String(), Mode: opts.Mode, DeleteMissing: opts.DeleteMissing}}
	for k, v := range opts.Metadata {
		l.meta[k] = v
	}
	cfg, err := pgx.ParseConfig(t.ConnString)
	if err != nil {
		return nil, fmt.Errorf("pgsink: %s: connection parameters not understood: %w", t.Redacted(), ErrBadTarget)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	// A cancelled context sends the server a cancel request, so that a long
	// statement (the upsert's merge) stops there too and its locks go, and
	// gives up on the connection within a second if that is not answered.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 900 * time.Millisecond}
	}
	app := opts.ApplicationName
	if app == "" {
		app = "incidents"
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = app
	}
	l.conn, err = pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, l.connectError(ctx, cfg, err)
	}
	if l.tx, err = l.conn.Begin(ctx); err != nil {
		l.rollback()
		return nil, l.wrap(ctx, "", err)
	}
	if err := l.prepare(ctx); err != nil {
		l.rollback()
		return nil, err
	}
	l.start(ctx)
	return l, nil
}

// wrap makes a driver error the package's: the table named, the password
// never shown, the server's detail and hint kept.
func (l *Loader) wrap(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	var own *Error
	if errors.As(err, &own) && own.err == nil {
		return own // ours already (a row pgsink refused)
	}
	var pe *pgconn.PgError
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) ||
		errors.As(err, &pe) && pe.Code == "57014") { // query_canceled: the cancel request the context sent
		return fmt.Errorf("pgsink: table %s: load stopped: %w", l.target, ctx.Err())
	}
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Where != "" {
			// COPY's context names the row (its "line": the row's number in
			// the load) and the column: "COPY incidents, line 12, column notes".
			where := pe.Where
			if m := copyWhere.FindStringSubmatch(where); m != nil {
				where = "row " + m[1]
				if m[2] != "" {
					where += ", column " + m[2]
				}
			}
			msg = where + ": " + msg
		}
		if d := pe.Detail; d != "" {
			if len(d) > 300 { // "Failing row contains (...)": all 40 values
				d = strings.ToValidUTF8(d[:300], "") + "..."
			}
			msg += " (" + d + ")"
		}
		if pe.Hint != "" {
			msg += "; hint: " + pe.Hint
		}
		if what != "" {
			msg = what + ": " + msg
		}
		return &Error{Table: l.target.String(), Code: pe.Code, Msg: l.target.scrub(msg), err: err}
	}
	msg := l.target.scrub(err.Error())
	if what != "" {
		msg = what + ": " + msg
	}
	return &Error{Table: l.target.String(), Msg: msg, err: err}
}

var copyWhere = regexp.MustCompile(`^COPY .*, line (\d+)(?:, column ([^:]+))?`)

// connectError says which server could not be reached and why, in one
// line: pgx's error lists each attempt (TLS, then plain) with its address.
func (l *Loader) connectError(ctx context.Context, cfg *pgx.ConnConfig, err error) error {
	var pe *pgconn.PgError
	if ctx.Err() != nil || errors.As(err, &pe) {
		e := l.wrap(ctx, "cannot connect", err)
		return e
	}
	where := fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	if strings.HasPrefix(cfg.Host, "/") {
		where = fmt.Sprintf("the socket in %s (port %d)", cfg.Host, cfg.Port)
	}
	reason := err.Error()
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		reason = "no such host " + dns.Name
	case errors.As(err, &op) && op.Err != nil:
		reason = op.Err.Error()
		var sc *os.SyscallError
		if errors.As(op.Err, &sc) {
			reason = sc.Err.Error()
		}
	case pgconn.Timeout(err):
		reason = "timed out"
	}
	return &Error{Table: l.target.String(), Msg: l.target.scrub(fmt.Sprintf("cannot connect to %s (database %s, user %s): %s",
		where, cfg.Database, cfg.User, reason)), err: err}
}

// Error is a failed load: the table, the server's SQLSTATE code (when the
// server refused something) and the message. The transaction was rolled
// back.
type Error struct {
	Table string
	Code  string // SQLSTATE, e.g. 23505 for a duplicate key
	Msg   string
	err   error
}

func (e *Error) Error() string { return "pgsink: table " + e.Table + ": " + e.Msg }

func (e *Error) Unwrap() error { return e.err }

// existing is what the catalog says of the target table.
type existing struct {
	found   bool
	relkind string
	cols    map[string]string // name -> format_type
	notNull map[string]bool
}

func (l *Loader) lookup(ctx context.Context) (existing, error) {
	var ex existing
	var oid *uint32
	if err := l.tx.QueryRow(ctx, "SELECT to_regclass($1)::oid", l.target.Name()).Scan(&oid); err != nil {
		return ex, l.wrap(ctx, "", err)
	}
	if oid == nil {
		return ex, nil
	}
	ex.found = true
	if err := l.tx.QueryRow(ctx, "SELECT relkind::text FROM pg_class WHERE oid = $1", *oid).Scan(&ex.relkind); err != nil {
		return ex, l.wrap(ctx, "", err)
	}
	rows, err := l.tx.Query(ctx, `SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
		WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, *oid)
	if err != nil {
		return ex, l.wrap(ctx, "", err)
	}
	ex.cols, ex.notNull = map[string]string{}, map[string]bool{}
	for rows.Next() {
		var name, typ string
		var nn bool
		if err := rows.Scan(&name, &typ, &nn); err != nil {
			rows.Close()
			return ex, l.wrap(ctx, "", err)
		}
		ex.cols[name], ex.notNull[name] = typ, nn
	}
	rows.Close()
	return ex, l.wrap(ctx, "", rows.Err())
}

// mismatch says why the table cannot take the records' columns, or "".
// Columns of the table the records lack are fine when they may be null or
// have a default (PostgreSQL refuses the rows otherwise).
func (l *Loader) mismatch(ex existing) string {
	var why []string
	for _, c := range l.cols {
		typ, ok := ex.cols[c.name]
		switch {
		case !ok:
			why = append(why, "no column "+c.name)
		case typ != c.pgType:
			why = append(why, fmt.Sprintf("%s is %s, the records' is %s", c.name, typ, c.pgType))
		}
	}
	return strings.Join(why, "; ")
}

func (l *Loader) exec(ctx context.Context, sql string, args ...any) error {
	_, err := l.tx.Exec(ctx, sql, args...)
	return l.wrap(ctx, "", err)
}

// prepare creates or checks the table and picks what COPY writes into.
func (l *Loader) prepare(ctx context.Context) error {
	ex, err := l.lookup(ctx)
	if err != nil {
		return err
	}
	name := l.target.ident()
	l.into = name
	if ex.found && ex.relkind != "r" && ex.relkind != "p" {
		return &Error{Table: l.target.String(), Msg: "not a table (a view, sequence or foreign table): nothing was loaded"}
	}
	create := func() error {
		l.res.Created = true
		if err := l.exec(ctx, createSQL(name, l.target.Table+"_pkey", l.cols, l.key)); err != nil {
			return err
		}
		return l.comment(ctx)
	}
	switch {
	case !ex.found:
		return create()
	case l.opts.Mode == ModeCreate:
		return &Error{Table: l.target.String(), Msg: "already exists; --mode append, upsert or replace loads into it", err: ErrTableExists}
	}
	why := l.mismatch(ex)
	if l.opts.Mode == ModeReplace {
		if why != "" {
			// The columns changed: the table is made anew.
			if err := l.count(ctx); err != nil {
				return err
			}
			if err := l.exec(ctx, "DROP TABLE "+name.Sanitize()); err != nil {
				return err
			}
			err := create()
			l.res.Created = false
			return err
		}
		if err := l.count(ctx); err != nil {
			return err
		}
		if err := l.exec(ctx, "TRUNCATE "+name.Sanitize()); err != nil {
			return err
		}
		return l.comment(ctx)
	}
	if why != "" {
		return &Error{Table: l.target.String(), Msg: "cannot take these rows: " + why + "; --mode replace makes the table anew", err: ErrColumns}
	}
	if l.opts.Mode == ModeUpsert {
		if err := l.checkKey(ctx); err != nil {
			return err
		}
		tmp := pgx.Identifier{"incidents_load"}
		if err := l.exec(ctx, "CREATE TEMPORARY TABLE "+tmp.Sanitize()+" (LIKE "+name.Sanitize()+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
			return err
		}
		l.into, l.merging = tmp, true
	}
	return nil
}

// count records how many rows a replace removes.
func (l *Loader) count(ctx context.Context) error {
	return l.wrap(ctx, "", l.tx.QueryRow(ctx, "SELECT count(*) FROM "+l.target.Name()).Scan(&l.res.Replaced))
}

// checkKey makes sure the table has a unique index on the key, which
// INSERT ... ON CONFLICT needs.
func (l *Loader) checkKey(ctx context.Context) error {
	key := append([]string(nil), l.key...)
	sort.Strings(key)
	var ok bool
	err := l.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indisunique
		AND i.indpred IS NULL AND i.indexprs IS NULL
		AND ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[]) ORDER BY 1) = $2::text[])`,
		l.target.Name(), key).Scan(&ok)
	if err != nil {
		return l.wrap(ctx, "", err)
	}
	if !ok {
		return &Error{Table: l.target.String(), Msg: fmt.Sprintf("no primary key or unique index on %s, which upsert matches rows by", strings.Join(l.key, ", ")), err: ErrNoKey}
	}
	return nil
}

// comment writes the column comments and the table's, which records the
// load.
func (l *Loader) comment(ctx context.Context) error {
	for _, s := range commentSQL(l.target.ident(), l.cols) {
		if err := l.exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (l *Loader) tableComment(ctx context.Context) error {
	m := map[string]string{}
	for k, v := range l.meta {
		m[k] = v
	}
	m["incidents.load_mode"] = string(l.opts.Mode)
	m["incidents.loaded_at"] = time.Now().UTC().Format(time.RFC3339)
	j, _ := json.Marshal(m) // sorted keys
	return l.exec(ctx, "COMMENT ON TABLE "+l.target.Name()+" IS "+quoteLiteral(string(j)))
}

func (l *Loader) columnNames() []string {
	out := make([]string, len(l.cols))
	for i, c := range l.cols {
		out[i] = c.name
	}
	return out
}

// start runs COPY on its own goroutine, fed by Write.
func (l *Loader) start(ctx context.Context) {
	l.ctx, l.cancel = context.WithCancel(ctx)
	l.recs = make(chan arrow.Record)
	l.stopped = make(chan struct{})
	l.drained = make(chan struct{})
	src := &rowSource{ctx: l.ctx, recs: l.recs, getters: make([]getter, len(l.cols)), vals: make([]any, len(l.cols)),
		table: l.target.String(), names: l.columnNames(), idCol: -1}
	if idx := l.opts.Schema.FieldIndices("incident_id"); len(idx) > 0 {
		src.idCol = idx[0]
	}
	go func() {
		defer close(l.drained)
		n, err := l.tx.CopyFrom(l.ctx, l.into, l.columnNames(), src)
		if err == nil {
			err = src.Err()
		}
		l.copied, l.copyErr = n, err
		close(l.stopped)
		src.drain()
	}()
}

// SetMetadata adds a key to the table comment's JSON.
func (l *Loader) SetMetadata(key, value string) { l.meta[key] = value }

// Rows is the number of rows handed to Write so far.
func (l *Loader) Rows() int64 { return l.res.Rows }

// Format names the output kind in summaries.
func (l *Loader) Format() string { return "postgres" }

// Write streams one record to the server. Its columns must be Options.Schema's.
func (l *Loader) Write(rec arrow.Record) error {
	if l.err != nil {
		return l.err
	}
	if l.done {
		return fmt.Errorf("pgsink: Write after Close")
	}
	if !sameFields(rec.Schema(), l.opts.Schema) {
		l.fail(fmt.Errorf("pgsink: table %s: a record's columns differ from the table's", l.target))
		return l.err
	}
	rec.Retain()
	select {
	case l.recs <- rec:
		l.res.Rows += rec.NumRows()
		return nil
	case <-l.stopped:
		rec.Release()
		l.fail(l.copyError())
		return l.err
	case <-l.ctx.Done():
		rec.Release()
		l.fail(fmt.Errorf("pgsink: table %s: load stopped: %w", l.target, l.ctx.Err()))
		return l.err
	}
}

// copyError is the reason COPY stopped early.
func (l *Loader) copyError() error {
	if l.copyErr == nil {
		return fmt.Errorf("pgsink: table %s: COPY ended before the last record", l.target)
	}
	return l.loadError(l.ctx, l.copyErr)
}

// loadError words the errors a load meets in the user's terms.
func (l *Loader) loadError(ctx context.Context, err error) error {
	e := l.wrap(ctx, "", err)
	var le *Error
	if errors.As(e, &le) && le.Code == "23505" {
		le.Msg = strings.TrimSuffix(le.Msg, ")")
		if i := strings.Index(le.Msg, "(Key "); i >= 0 {
			le.Msg = le.Msg[i+1:]
		}
		le.Msg += "; nothing was loaded"
		if l.opts.Mode == ModeAppend {
			le.Msg += " (append adds new rows only: --mode upsert updates the rows of known keys)"
		}
		le.err = errors.Join(ErrDuplicateKey, le.err)
	}
	return e
}

func (l *Loader) fail(err error) {
	if l.err == nil {
		l.err = err
	}
	l.rollback()
}

// Close completes the COPY, merges an upsert, writes the table comment and
// commits. On any error the transaction is rolled back.
func (l *Loader) Close() (Result, error) {
	if l.err != nil {
		return Result{}, l.err
	}
	if l.done {
		return l.res, nil
	}
	l.done = true
	l.closeRec.Do(func() { close(l.recs) })
	<-l.drained
	ctx := l.ctx
	if l.copyErr != nil {
		l.fail(l.copyError())
		return Result{}, l.err
	}
	if ctx.Err() != nil {
		l.fail(fmt.Errorf("pgsink: table %s: load stopped: %w", l.target, ctx.Err()))
		return Result{}, l.err
	}
	l.res.Rows = l.copied
	l.res.Inserted = l.copied
	if l.merging {
		if err := l.merge(ctx); err != nil {
			l.fail(err)
			return Result{}, l.err
		}
	}
	if err := l.tableComment(ctx); err != nil {
		l.fail(err)
		return Result{}, l.err
	}
	if err := l.tx.Commit(ctx); err != nil {
		l.fail(l.wrap(ctx, "commit", err))
		return Result{}, l.err
	}
	l.conn.Close(context.Background())
	l.conn = nil
	l.cancel()
	return l.res, nil
}

// merge applies the upsert: new keys inserted, known keys updated where a
// value differs (IS DISTINCT FROM: a null equals a null), the rest left.
func (l *Loader) merge(ctx context.Context) error {
	tbl := l.target.Name()
	isKey := map[string]bool{}
	for _, k := range l.key {
		isKey[k] = true
	}
	var all, set, old, neu, keys []string
	for _, c := range l.cols {
		q := pgx.Identifier{c.name}.Sanitize()
		all = append(all, q)
		if isKey[c.name] {
			keys = append(keys, q)
			continue
		}
		set = append(set, q+" = EXCLUDED."+q)
		old = append(old, "t."+q)
		neu = append(neu, "EXCLUDED."+q)
	}
	action := "DO NOTHING"
	if len(set) > 0 {
		action = "DO UPDATE SET " + strings.Join(set, ", ") +
			" WHERE ROW(" + strings.Join(old, ", ") + ") IS DISTINCT FROM ROW(" + strings.Join(neu, ", ") + ")"
	}
	sql := "WITH m AS (INSERT INTO " + tbl + " AS t (" + strings.Join(all, ", ") + ") SELECT " + strings.Join(all, ", ") +
		" FROM " + l.into.Sanitize() + " ON CONFLICT (" + strings.Join(keys, ", ") + ") " + action +
		" RETURNING (xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m"
	if err := l.exec(ctx, "SAVEPOINT incidents_merge"); err != nil {
		return err
	}
	err := l.tx.QueryRow(ctx, sql).Scan(&l.res.Inserted, &l.res.Updated)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "21000" { // a key twice in the input
			if l.exec(ctx, "ROLLBACK TO SAVEPOINT incidents_merge") == nil {
				var dup string
				q := "SELECT concat_ws(', ', " + strings.Join(keys, "::text, ") + "::text) FROM " + l.into.Sanitize() +
					" GROUP BY " + strings.Join(keys, ", ") + " HAVING count(*) > 1 LIMIT 1"
				if l.tx.QueryRow(ctx, q).Scan(&dup) == nil {
					return &Error{Table: l.target.String(), Code: pe.Code,
						Msg: fmt.Sprintf("%s %s is in the input more than once; nothing was loaded", strings.Join(l.key, ", "), dup),
						err: errors.Join(ErrDuplicateKey, err)}
				}
			}
		}
		return l.wrap(ctx, "upsert", err)
	}
	l.res.Unchanged = l.copied - l.res.Inserted - l.res.Updated
	if l.opts.DeleteMissing {
		return l.deleteMissing(ctx, keys)
	}
	return nil
}

// deleteMissing deletes the rows whose key the load does not hold, within
// the scope's values.
func (l *Loader) deleteMissing(ctx context.Context, keys []string) error {
	tmp := l.into.Sanitize()
	match := make([]string, len(keys))
	for i, k := range keys {
		match[i] = "s." + k + " = t." + k
	}
	sql := "DELETE FROM " + l.target.Name() + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + tmp + " AS s WHERE " +
		strings.Join(match, " AND ") + ")"
	for _, c := range l.opts.DeleteScope {
		q := pgx.Identifier{c}.Sanitize()
		sql += " AND t." + q + " IN (SELECT DISTINCT " + q + " FROM " + tmp + ")"
	}
	tag, err := l.tx.Exec(ctx, sql)
	if err != nil {
		return l.wrap(ctx, "deleting the rows the load does not hold", err)
	}
	l.res.Deleted = tag.RowsAffected()
	return nil
}

// Abort rolls the load back (a no-op after a successful Close). The table
// is as it was before Open.
func (l *Loader) Abort() {
	if l.done && l.err == nil {
		return
	}
	if l.err == nil && !l.done {
		l.err = fmt.Errorf("pgsink: table %s: load aborted", l.target)
	}
	l.rollback()
}

// rollback stops the COPY, rolls back and closes the connection. The
// server also rolls back by itself when the connection drops.
func (l *Loader) rollback() {
	if l.cancel != nil {
		l.cancel()
	}
	if l.recs != nil {
		l.closeRec.Do(func() { close(l.recs) })
		<-l.drained
	}
	if l.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if l.tx != nil {
		_ = l.tx.Rollback(ctx)
	}
	_ = l.conn.Close(ctx)
	l.conn = nil
}

func sameFields(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.Fields() {
		if a.Field(i).Name != b.Field(i).Name || !arrow.TypeEqual(a.Field(i).Type, b.Field(i).Type) {
			return false
		}
	}
	return true
}
