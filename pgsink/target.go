package pgsink

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ErrBadTarget is the cause of every error about a postgres:// output that
// is not well formed.
var ErrBadTarget = errors.New("not a usable PostgreSQL output")

// Target is a table in a PostgreSQL database, as a postgres:// URL names it:
// postgres://USER@HOST:PORT/DB?table=[SCHEMA.]NAME plus any connection
// parameters libpq knows (sslmode=, connect_timeout=, ...).
type Target struct {
	// ConnString is the URL without the table parameter: what pgx (and libpq)
	// read. A password in it is never printed: see Redacted.
	ConnString string
	// Schema is the table's schema (empty: the first schema of the
	// search_path, public by default); Table its name.
	Schema, Table string
	url           *url.URL
}

// IsURL reports whether out names a PostgreSQL output (postgres:// or
// postgresql://) rather than a file.
func IsURL(out string) bool {
	l := strings.ToLower(out)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// ParseTarget reads a postgres:// URL with its table parameter. The error
// never repeats a password the URL holds.
func ParseTarget(s string) (Target, error) {
	u, err := url.Parse(s)
	if err != nil || !IsURL(s) {
		return Target{}, fmt.Errorf("pgsink: %s: %w (want postgres://USER@HOST/DB?table=NAME)", redactRaw(s), ErrBadTarget)
	}
	q := u.Query()
	table := q.Get("table")
	if len(q["table"]) > 1 {
		return Target{}, fmt.Errorf("pgsink: %s: table= given %d times: %w", u.Redacted(), len(q["table"]), ErrBadTarget)
	}
	if table == "" {
		return Target{}, fmt.Errorf("pgsink: %s: no table: add ?table=NAME (or SCHEMA.NAME): %w", u.Redacted(), ErrBadTarget)
	}
	t := Target{url: u}
	if i := strings.IndexByte(table, '.'); i >= 0 {
		t.Schema, t.Table = table[:i], table[i+1:]
	} else {
		t.Table = table
	}
	for _, part := range []string{t.Schema, t.Table} {
		if len(part) > 63 {
			return Target{}, fmt.Errorf("pgsink: table %q: a PostgreSQL name holds at most 63 bytes: %w", table, ErrBadTarget)
		}
		if strings.ContainsAny(part, "\x00.") {
			return Target{}, fmt.Errorf("pgsink: table %q: want NAME or SCHEMA.NAME: %w", table, ErrBadTarget)
		}
	}
	if t.Table == "" || (t.Schema == "" && strings.Contains(table, ".")) {
		return Target{}, fmt.Errorf("pgsink: table %q: want NAME or SCHEMA.NAME: %w", table, ErrBadTarget)
	}
	q.Del("table")
	c := *u
	c.RawQuery = q.Encode()
	t.ConnString = c.String()
	if _, err := pgx.ParseConfig(t.ConnString); err != nil {
		// A ParseConfigError quotes the connection string; its cause does not.
		reason := "connection parameters not understood"
		if c := errors.Unwrap(err); c != nil {
			reason += ": " + t.scrub(c.Error())
		}
		return Target{}, fmt.Errorf("pgsink: %s: %s: %w", t.Redacted(), reason, ErrBadTarget)
	}
	return t, nil
}

// Redacted is the URL as printed: a password (user:PASSWORD@ or
// ?password=) replaced by xxxxx.
func (t Target) Redacted() string {
	if t.url == nil {
		return ""
	}
	return redactURL(t.url)
}

func redactURL(u *url.URL) string {
	c := *u
	q := c.Query()
	changed := false
	for _, k := range []string{"password", "sslpassword"} {
		if q.Has(k) {
			q.Set(k, "xxxxx")
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}

// passwords are the secrets the URL carries, for scrub.
func (t Target) passwords() []string {
	var pw []string
	if t.url == nil {
		return nil
	}
	if p, ok := t.url.User.Password(); ok && p != "" {
		pw = append(pw, p, url.QueryEscape(p), url.PathEscape(p))
	}
	q := t.url.Query()
	for _, k := range []string{"password", "sslpassword"} {
		if p := q.Get(k); p != "" {
			pw = append(pw, p, url.QueryEscape(p))
		}
	}
	return pw
}

// scrub removes the URL's passwords from a message, as a last guard: the
// driver's messages should never hold one.
func (t Target) scrub(msg string) string {
	for _, p := range t.passwords() {
		if len(p) >= 1 {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// Name is the table as written in SQL, quoted: "public"."incidents".
func (t Target) Name() string { return t.ident().Sanitize() }

// String is the table as people read it: public.incidents, or incidents.
func (t Target) String() string {
	if t.Schema == "" {
		return t.Table
	}
	return t.Schema + "." + t.Table
}

func (t Target) ident() pgx.Identifier {
	if t.Schema == "" {
		return pgx.Identifier{t.Table}
	}
	return pgx.Identifier{t.Schema, t.Table}
}

// sibling is a name in the table's schema.
func (t Target) sibling(name string) pgx.Identifier {
	if t.Schema == "" {
		return pgx.Identifier{name}
	}
	return pgx.Identifier{t.Schema, name}
}

// Redact returns out with any password replaced by xxxxx, for messages
// about an output that may be a postgres:// URL; other outputs unchanged.
func Redact(out string) string {
	if !IsURL(out) {
		return out
	}
	return redactRaw(out)
}

func redactRaw(s string) string {
	if u, err := url.Parse(s); err == nil {
		return redactURL(u)
	}
	// Unparsable: drop everything between :// and the last @.
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.LastIndexByte(s, '@'); j > i {
			return s[:i+3] + "xxxxx" + s[j:]
		}
	}
	return s
}
