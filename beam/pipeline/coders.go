package pipeline

import (
	"encoding/json"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// The small structs that cross a runner (inputs, per-input summaries,
// rejects, bundles) go as JSON bytes under a custom coder, which a runner
// passes on length-prefixed without reading, rather than as Beam schema
// rows, which a Java runner decodes itself: Flink's job server of Beam 2.62
// read the Go SDK 2.77 row of fileSum (its []string Header) as an iterable
// of a wrong length and ran out of heap on 24,000 rows (make flink-test).
func init() {
	beam.RegisterCoder(reflect.TypeOf(fileElem{}), encodeFileElem, decodeFileElem)
	beam.RegisterCoder(reflect.TypeOf(rejectElem{}), encodeRejectElem, decodeRejectElem)
	beam.RegisterCoder(reflect.TypeOf(fileSum{}), encodeFileSum, decodeFileSum)
	beam.RegisterCoder(reflect.TypeOf(bundleOut{}), encodeBundleOut, decodeBundleOut)
	beam.RegisterCoder(reflect.TypeOf(rejectCount{}), encodeRejectCount, decodeRejectCount)
}

// One named pair a type: Beam finds a coder's functions by name on the
// workers, and the instances of one generic function share theirs.
func encodeFileElem(v fileElem) ([]byte, error)           { return json.Marshal(v) }
func decodeFileElem(b []byte) (v fileElem, err error)     { err = json.Unmarshal(b, &v); return v, err }
func encodeRejectElem(v rejectElem) ([]byte, error)       { return json.Marshal(v) }
func decodeRejectElem(b []byte) (v rejectElem, err error) { err = json.Unmarshal(b, &v); return v, err }
func encodeFileSum(v fileSum) ([]byte, error)             { return json.Marshal(v) }
func decodeFileSum(b []byte) (v fileSum, err error)       { err = json.Unmarshal(b, &v); return v, err }
func encodeBundleOut(v bundleOut) ([]byte, error)         { return json.Marshal(v) }
func decodeBundleOut(b []byte) (v bundleOut, err error)   { err = json.Unmarshal(b, &v); return v, err }
func encodeRejectCount(v rejectCount) ([]byte, error)     { return json.Marshal(v) }
func decodeRejectCount(b []byte) (v rejectCount, err error) {
	err = json.Unmarshal(b, &v)
	return v, err
}
