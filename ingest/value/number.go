package value

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ErrBadNumber is the cause of a number ParseDecimal cannot read.
var ErrBadNumber = errors.New("unreadable number")

// ParseDecimal reads a finite decimal number as data files write it:
// an optional sign, digits with at most one decimal point, an optional
// exponent ("-12.5", "3.0", ".5", "1e3", "1.2E-4"). It refuses what
// strconv.ParseFloat would also take but no data file means: Go's digit
// separators ("1_0" would be 10), hexadecimal ("0x1p4"), "Inf", "NaN" and
// values beyond float64 ("1e309"). Missing values are the caller's
// business (MissingValues): here "NaN" is an error like any other text.
func ParseDecimal(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, fmt.Errorf("%w: %q is not a decimal number", ErrBadNumber, s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: %q is beyond the float64 range", ErrBadNumber, s)
	}
	return f, nil
}

// isDecimal matches [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
