package profile

import (
	"testing"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

func TestUCDPViolence(t *testing.T) {
	for code, want := range map[int]struct {
		vt  schema.ViolenceType
		typ schema.EventType
	}{
		1: {schema.ViolenceStateBased, schema.EventBattles},
		2: {schema.ViolenceNonState, schema.EventBattles},
		3: {schema.ViolenceOneSided, schema.EventViolenceAgainstCivilians},
	} {
		vt, c, ok := ucdpViolence(code)
		if !ok || vt != want.vt || c.Type != want.typ {
			t.Errorf("ucdpViolence(%d) = %v, %+v, %v", code, vt, c, ok)
		}
	}
	for _, code := range []int{0, 4, -1} {
		if vt, c, ok := ucdpViolence(code); ok || vt != schema.ViolenceNone || c != (value.EventClass{}) {
			t.Errorf("ucdpViolence(%d) = %v, %+v, %v; want not ok", code, vt, c, ok)
		}
	}
}
