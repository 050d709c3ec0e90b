package pipeline

import "math/rand/v2"

func randomID() uint64 { return rand.Uint64() }
