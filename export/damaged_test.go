package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file whose bytes make a decoder panic is reported in one sentence that
// names it, with the panic's runtime text dropped.
func TestDamagedFileOneSentence(t *testing.T) {
	// An IPC schema message whose flatbuffer offsets point past its end:
	// flatbuffers' accessors index out of range (recovered in
	// checkSchemaFlatbuffer).
	msg := []byte{0xf0, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	data := append([]byte("\xff\xff\xff\xff\x10\x00\x00\x00"), msg...)
	data = append(data, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0) // end of stream
	path := filepath.Join(t.TempDir(), "events.arrows")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, ReadOptions{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open: %v, want ErrDamaged", err)
	}
	if want := "export: " + path + ": damaged or unsupported file"; err.Error() != want {
		t.Errorf("Open: %q, want %q", err, want)
	}
	_, err = Inspect(context.Background(), path, 3)
	if want := "export: " + path + ": damaged or unsupported file"; err == nil || err.Error() != want {
		t.Errorf("Inspect: %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), "runtime error") || strings.Contains(err.Error(), "index out of range") {
		t.Errorf("Open shows the panic: %v", err)
	}
}
