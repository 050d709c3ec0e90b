package stats

import (
	"fmt"
	"strconv"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// Period names the time buckets of date_start.
const (
	PeriodNone    = ""
	PeriodDay     = "day"
	PeriodWeek    = "week" // ISO 8601 week, Monday first; labels 2019-W45
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

func checkPeriod(p string) error {
	switch p {
	case PeriodNone, PeriodDay, PeriodWeek, PeriodMonth, PeriodQuarter, PeriodYear:
		return nil
	}
	return fmt.Errorf("stats: unknown period %q (day, week, month, quarter, year)", p)
}

// periodIndex numbers the periods so that consecutive periods have
// consecutive indexes: filling the gaps between two indexes fills the
// empty periods.
func periodIndex(period string, d schema.Date) int64 {
	switch period {
	case PeriodDay:
		return int64(d)
	case PeriodWeek:
		// 1970-01-01 was a Thursday: shift so that weeks start on Monday.
		return floorDiv(int64(d)+3, 7)
	case PeriodMonth:
		y, m, _ := d.Civil()
		return int64(y)*12 + int64(m) - 1
	case PeriodQuarter:
		y, m, _ := d.Civil()
		return int64(y)*4 + int64(m-1)/3
	default:
		return int64(d.Year())
	}
}

// periodLabel is the label of the period with the given index:
// 2019-11-06, 2019-W45, 2019-11, 2019-Q4, 2019.
func periodLabel(period string, k int64) string {
	switch period {
	case PeriodDay:
		return schema.Date(k).String()
	case PeriodWeek:
		monday := schema.Date(k*7 - 3)
		y, w := monday.Time().ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case PeriodMonth:
		y, m := floorDiv(k, 12), k-floorDiv(k, 12)*12
		return fmt.Sprintf("%04d-%02d", y, m+1)
	case PeriodQuarter:
		y, q := floorDiv(k, 4), k-floorDiv(k, 4)*4
		return fmt.Sprintf("%04d-Q%d", y, q+1)
	default:
		return strconv.FormatInt(k, 10)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// PeriodIndex, PeriodLabel and PeriodStart expose the bucketing of
// date_start to other packages (the panel builder), so that a period means
// the same thing in every command. Consecutive periods have consecutive
// indexes; the period name must be one of the Period constants (PeriodNone
// buckets by year).
func PeriodIndex(period string, d schema.Date) int64 { return periodIndex(period, d) }

// PeriodLabel is the label of period k: 2019-11-06, 2019-W45, 2019-11,
// 2019-Q4, 2019.
func PeriodLabel(period string, k int64) string { return periodLabel(period, k) }

// PeriodStart is the first day of period k (a Monday for ISO weeks); the
// last day is PeriodStart(period, k+1) - 1.
func PeriodStart(period string, k int64) schema.Date {
	switch period {
	case PeriodDay:
		return schema.Date(k)
	case PeriodWeek:
		return schema.Date(k*7 - 3)
	case PeriodMonth:
		y := floorDiv(k, 12)
		return schema.DateOf(int(y), time.Month(k-y*12+1), 1)
	case PeriodQuarter:
		y := floorDiv(k, 4)
		return schema.DateOf(int(y), time.Month(3*(k-y*4)+1), 1)
	default:
		return schema.DateOf(int(k), time.January, 1)
	}
}
