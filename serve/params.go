package serve

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// query reads the parameters of one request. Each endpoint names the
// parameters it takes; any other is refused (so a stray or misspelt
// parameter is never silently ignored, and none can name a file).
type query struct {
	v     url.Values
	taken []string
}

func newQuery(u *url.URL, names ...string) (*query, error) {
	v, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, &Error{Type: ErrBadData, Err: err}
	}
	q := &query{v: v, taken: names}
	for _, k := range sortedKeys(v) {
		known := false
		for _, n := range names {
			known = known || k == n
		}
		if !known {
			return nil, badParam(k, "unknown parameter (this endpoint takes %s)", strings.Join(names, ", "))
		}
	}
	return q, nil
}

// one returns the parameter's value, "" when absent; given twice is an error.
func (q *query) one(name string) (string, bool, error) {
	vs := q.v[name]
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		return vs[0], true, nil
	}
	return "", false, badParam(name, "given %d times; give it once", len(vs))
}

// list returns the comma-separated values of every occurrence of name.
func (q *query) list(name string) ([]string, error) {
	var out []string
	for _, v := range q.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	if len(out) > MaxListValues {
		return nil, badParam(name, "%d values: at most %d", len(out), MaxListValues)
	}
	return out, nil
}

func (q *query) integer(name string, def, min, max int64) (int64, error) {
	s, ok, err := q.one(name)
	if err != nil || !ok {
		return def, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, badParam(name, "%q is not a whole number", s)
	}
	if n < min || n > max {
		return 0, badParam(name, "%d is out of range: %d to %d", n, min, max)
	}
	return n, nil
}

func (q *query) boolean(name string) (bool, error) {
	s, ok, err := q.one(name)
	if err != nil || !ok {
		return false, err
	}
	if s == "" {
		return true, nil // ?series alone
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badParam(name, "%q is not true or false", s)
	}
	return b, nil
}

// choice returns the value, which must be one of allowed (def when absent).
func (q *query) choice(name, def string, allowed ...string) (string, error) {
	s, ok, err := q.one(name)
	if err != nil || !ok {
		return def, err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", badParam(name, "%q: want one of %s", s, strings.Join(allowed, ", "))
}

// where parses every where parameter as `incidents stats --where` does.
func (q *query) where() ([]stats.Filter, error) {
	ws := q.v["where"]
	if len(ws) > MaxWhere {
		return nil, badParam("where", "%d filters: at most %d", len(ws), MaxWhere)
	}
	var out []stats.Filter
	for _, w := range ws {
		f, err := stats.ParseFilter(w)
		if err != nil {
			msg := strings.TrimSuffix(strings.TrimPrefix(err.Error(), "stats: "), ": "+stats.ErrBadFilter.Error())
			return nil, badParam("where", "%s", msg)
		}
		if len(f.Values) > MaxListValues {
			return nil, badParam("where", "%d values in %q: at most %d", len(f.Values), f.Column, MaxListValues)
		}
		out = append(out, f)
	}
	return out, nil
}

// columns reads a list of schema columns (none twice).
func (q *query) columns(name string) ([]string, error) {
	cols, err := q.list(name)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if schema.ColumnIndex(c) < 0 {
			return nil, badParam(name, "unknown column %q (see /api/schema)", c)
		}
		if seen[c] {
			return nil, badParam(name, "column %q given twice", c)
		}
		seen[c] = true
	}
	return cols, nil
}

// statsOptions reads the parameters shared by /api/stats and /api/series,
// checked as `incidents stats` checks its flags.
func (q *query) statsOptions(defPeriod string) (stats.Options, error) {
	var opts stats.Options
	var err error
	if opts.By, err = q.columns("by"); err != nil {
		return opts, err
	}
	if _, err := stats.NewAccumulator(stats.Options{By: opts.By}); err != nil {
		return opts, badParam("by", "%s", strings.TrimPrefix(err.Error(), "stats: "))
	}
	if opts.Period, err = q.choice("period", defPeriod, "day", "week", "month", "quarter", "year"); err != nil {
		return opts, err
	}
	if opts.Where, err = q.where(); err != nil {
		return opts, err
	}
	top, err := q.integer("top", 0, 0, 1_000_000)
	if err != nil {
		return opts, err
	}
	opts.Top = int(top)
	return opts, nil
}
