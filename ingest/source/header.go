package source

import (
	"strconv"
	"strings"
)

// LooksLikeData reports whether a header row reads like a row of data, as
// the first row of a file saved without its header does (GTD sheets,
// extracts cut from larger files, GDELT): at least a third of its cells,
// and two or more, are numbers or dates, or a cell is a sentence (longer
// than 64 characters). Column names are rarely either.
func LooksLikeData(header []string) bool {
	valued, filled := 0, 0
	for _, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		filled++
		if len(h) > 64 {
			return true
		}
		if isNumberLike(h) {
			valued++
		}
	}
	return valued >= 2 && 3*valued >= filled
}

// isNumberLike: a number (1970, -99, 47.25, 1e3) or a date of digits and
// separators (2013-01-17, 01/17/2013, 17.01.2013).
func isNumberLike(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	digits := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '-' || c == '/' || c == '.' || c == ':' || c == ' ' || c == 'T':
		default:
			return false
		}
	}
	return digits >= 4
}
