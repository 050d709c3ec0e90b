package profile

import (
	"fmt"
	"strings"
	"testing"
)

// TestListNames: 100,000 unknown columns give a short error naming 20.
func TestListNames(t *testing.T) {
	names := make([]string, 100000)
	for i := range names {
		names[i] = fmt.Sprintf("col%d", i)
	}
	_, err := Detect(names)
	if err == nil || len(err.Error()) > 2000 || !strings.Contains(err.Error(), "col19, and 99980 more") {
		t.Errorf("%d bytes: %.300s", len(err.Error()), err)
	}
}
