package export

import (
	"encoding/base64"
	"os"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/flight"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
)

// The footer lists each key once, and the stored Arrow schema (what pyarrow
// and pandas take the metadata from) carries the same keys and values,
// provenance included; created_by names us and the Parquet library.
func TestParquetMetadataOnceEach(t *testing.T) {
	path := writeGolden(t, WriteOptions{Metadata: map[string]string{
		MetaVersion: "v1.2.3", "incidents.inputs": `[{"path":"a.csv","rows":7}]`, "incidents.rows_read": "7"}})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	md := pf.MetaData()
	if got := md.GetCreatedBy(); got != "incidents v1.2.3 (arrow-go v17)" {
		t.Errorf("created_by %q", got)
	}
	footer := map[string]string{}
	var stored string
	for _, kv := range md.KeyValueMetadata() {
		if _, dup := footer[kv.Key]; dup || kv.Key == arrowSchemaKey && stored != "" {
			t.Errorf("footer lists %s twice", kv.Key)
		}
		if kv.Key == arrowSchemaKey {
			stored = *kv.Value
			continue
		}
		footer[kv.Key] = *kv.Value
	}
	for _, k := range []string{MetaSchemaVersion, MetaVersion, MetaRows, "incidents.inputs", "incidents.rows_read"} {
		if footer[k] == "" {
			t.Errorf("footer has no %s: %v", k, footer)
		}
	}
	raw, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := flight.DeserializeSchema(raw, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	inSchema := map[string]string{}
	for i, k := range sc.Metadata().Keys() {
		inSchema[k] = sc.Metadata().Values()[i]
	}
	if len(inSchema) != len(footer) {
		t.Errorf("Arrow schema metadata %v, footer %v", inSchema, footer)
	}
	for k, v := range footer {
		if inSchema[k] != v {
			t.Errorf("%s: footer %q, Arrow schema %q", k, v, inSchema[k])
		}
	}
}
