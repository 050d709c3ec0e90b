package export

import (
	"encoding/base64"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/flight"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// arrowSchemaKey is where Parquet files keep the Arrow schema they were
// written from (pqarrow, pyarrow): readers take column types and the
// schema's metadata from it.
const arrowSchemaKey = "ARROW:schema"

// pandasKey is pyarrow's key of the pandas metadata in the Arrow schema.
const pandasKey = "pandas"

// parquetFooter returns the key-value metadata of a Parquet file's footer,
// written once at the end, when the run's provenance (inputs, row counts)
// is known: the metadata of sc and keys/values (which win), each key once,
// in sorted order, then ARROW:schema, sc serialized with that same
// metadata. So the file's footer (DuckDB's parquet_kv_metadata,
// pq.read_metadata) and its Arrow schema (pq.read_table().schema.metadata,
// pandas' metadata, polars) carry the same keys, once each.
//
// With pandas, the "pandas" key describes sc's columns (pandasMetadata).
func parquetFooter(sc *arrow.Schema, keys, values []string, mem memory.Allocator, pandas bool) (outKeys, outValues []string) {
	m := map[string]string{}
	md := sc.Metadata()
	for i, k := range md.Keys() {
		m[k] = md.Values()[i]
	}
	for i, k := range keys {
		m[k] = values[i]
	}
	delete(m, arrowSchemaKey)
	if pandas {
		m[pandasKey] = pandasMetadata(sc, m[MetaVersion])
	}
	for k := range m {
		outKeys = append(outKeys, k)
	}
	sort.Strings(outKeys)
	for _, k := range outKeys {
		outValues = append(outValues, m[k])
	}
	amd := arrow.NewMetadata(outKeys, outValues)
	stored := arrow.NewSchema(sc.Fields(), &amd)
	outKeys = append(outKeys, arrowSchemaKey)
	outValues = append(outValues, base64.StdEncoding.EncodeToString(flight.SerializeSchema(stored, mem)))
	return outKeys, outValues
}
