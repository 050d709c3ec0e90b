package stats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
)

// Op is a comparison operator of a Filter.
type Op uint8

// Comparison operators.
const (
	OpEq Op = iota // =  (one value, or any of a comma-separated list)
	OpNe           // != (none of the values)
	OpLt           // <
	OpLe           // <=
	OpGt           // >
	OpGe           // >=
)

var opText = [...]string{OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">="}

func (o Op) String() string { return opText[o] }

// ErrBadFilter is the cause of every ParseFilter error.
var ErrBadFilter = errors.New("bad filter")

// Filter keeps the rows whose column compares true with the value(s), as SQL
// would: a null never matches, not even with !=. Numbers and dates
// (YYYY-MM-DD) compare as numbers and dates, text compares bytewise.
type Filter struct {
	Column string
	Op     Op
	Values []string // one value, or several for = and !=

	kind  arrow.Type // type of the column in the schema
	nums  []float64  // parsed Values of numeric and date columns
	strOK map[string]bool
}

// ParseFilter parses "column OP value", where OP is one of = != < <= > >=,
// and = and != take a comma-separated list: "year>=2015",
// "country_iso3=TJK,UZB", "event_type=battles". The column must be a
// scalar column of the schema.
func ParseFilter(s string) (Filter, error) {
	i := strings.IndexAny(s, "=!<>")
	if i <= 0 {
		return Filter{}, fmt.Errorf("stats: filter %q: want column, operator (= != < <= > >=) and value: %w", s, ErrBadFilter)
	}
	name := strings.TrimSpace(s[:i])
	rest := s[i:]
	var op Op
	switch {
	case strings.HasPrefix(rest, "!="):
		op, rest = OpNe, rest[2:]
	case strings.HasPrefix(rest, "<="):
		op, rest = OpLe, rest[2:]
	case strings.HasPrefix(rest, ">="):
		op, rest = OpGe, rest[2:]
	case strings.HasPrefix(rest, "=="):
		op, rest = OpEq, rest[2:]
	case strings.HasPrefix(rest, "="):
		op, rest = OpEq, rest[1:]
	case strings.HasPrefix(rest, "<"):
		op, rest = OpLt, rest[1:]
	case strings.HasPrefix(rest, ">"):
		op, rest = OpGt, rest[1:]
	default:
		return Filter{}, fmt.Errorf("stats: filter %q: unknown operator: %w", s, ErrBadFilter)
	}
	f := Filter{Column: name, Op: op}
	for _, v := range strings.Split(rest, ",") {
		f.Values = append(f.Values, strings.TrimSpace(v))
	}
	if len(f.Values) > 1 && op != OpEq && op != OpNe {
		return Filter{}, fmt.Errorf("stats: filter %q: a list of values needs = or !=: %w", s, ErrBadFilter)
	}
	if err := f.compile(); err != nil {
		return Filter{}, fmt.Errorf("stats: filter %q: %w", s, err)
	}
	return f, nil
}

// String returns the filter as ParseFilter reads it.
func (f Filter) String() string {
	v := strings.Join(f.Values, ",")
	if strings.IndexAny(v, "=!<>") == 0 {
		v = " " + v // keep "actor1< =x" from reading back as <=
	}
	return f.Column + f.Op.String() + v
}

func (f *Filter) compile() error {
	idx := schema.ColumnIndex(f.Column)
	if idx < 0 {
		return fmt.Errorf("unknown column %q: %w", f.Column, ErrBadFilter)
	}
	f.kind = schema.Columns[idx].Type.ID()
	f.nums, f.strOK = nil, nil
	switch f.kind {
	case arrow.STRING, arrow.DICTIONARY:
		f.strOK = make(map[string]bool, len(f.Values))
		for _, v := range f.Values {
			f.strOK[v] = true
		}
	case arrow.INT16, arrow.INT32, arrow.FLOAT64:
		for _, v := range f.Values {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) {
				return fmt.Errorf("%s is a number, not %q: %w", f.Column, v, ErrBadFilter)
			}
			f.nums = append(f.nums, x)
		}
	case arrow.DATE32:
		for _, v := range f.Values {
			d, err := schema.ParseDate(v)
			if err != nil {
				return fmt.Errorf("%s is a date (YYYY-MM-DD), not %q: %w", f.Column, v, ErrBadFilter)
			}
			f.nums = append(f.nums, float64(d))
		}
	default:
		return fmt.Errorf("column %s (%s) cannot be filtered: %w", f.Column, schema.Columns[idx].TypeName, ErrBadFilter)
	}
	return nil
}

func (f *Filter) matchNum(x float64) bool {
	switch f.Op {
	case OpEq, OpNe:
		in := false
		for _, v := range f.nums {
			if x == v {
				in = true
				break
			}
		}
		return in == (f.Op == OpEq)
	case OpLt:
		return x < f.nums[0]
	case OpLe:
		return x <= f.nums[0]
	case OpGt:
		return x > f.nums[0]
	default:
		return x >= f.nums[0]
	}
}

func (f *Filter) matchString(s string) bool {
	switch f.Op {
	case OpEq:
		return f.strOK[s]
	case OpNe:
		return !f.strOK[s]
	}
	c := strings.Compare(s, f.Values[0])
	switch f.Op {
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	default:
		return c >= 0
	}
}

// FilterRows appends to dst the indexes of the rows of rec that pass every
// filter of where, as Options.Where keeps them for the statistics (a null
// never matches), and returns it. Columns are found by name; text columns
// may be dictionary-encoded or plain. The filters are those ParseFilter
// returns. Other packages (the HTTP server's row listing) use it so that a
// where clause means the same thing everywhere.
func FilterRows(rec arrow.Record, where []Filter, dst []int32) ([]int32, error) {
	n := int(rec.NumRows())
	texts := make([]textColumn, len(where))
	nums := make([]numColumn, len(where))
	fs := make([]Filter, len(where))
	for i, f := range where {
		if f.strOK == nil && f.nums == nil {
			if err := f.compile(); err != nil {
				return dst, fmt.Errorf("stats: filter %s: %w", f, err)
			}
		}
		fs[i] = f
		col, err := field(rec, f.Column)
		if err != nil {
			return dst, err
		}
		if f.strOK != nil {
			texts[i], err = newTextColumn(f.Column, col)
		} else {
			nums[i], err = newNumColumn(f.Column, col)
		}
		if err != nil {
			return dst, err
		}
	}
rows:
	for r := 0; r < n; r++ {
		for i := range fs {
			f := &fs[i]
			if f.strOK != nil {
				c := &texts[i]
				if c.isNull(r) || !f.matchString(c.value(r)) {
					continue rows
				}
			} else {
				c := &nums[i]
				if c.isNull(r) || !f.matchNum(c.value(r)) {
					continue rows
				}
			}
		}
		dst = append(dst, int32(r))
	}
	return dst, nil
}
