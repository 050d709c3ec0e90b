package export

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xitongsys/parquet-go-source/local"
	"github.com/xitongsys/parquet-go/common"
	xparquet "github.com/xitongsys/parquet-go/parquet"
	"github.com/xitongsys/parquet-go/reader"

	"github.com/incidentkit/incidents/schema"
)

// expectedValue is column col of in as xitongsys/parquet-go returns a
// Parquet physical value: string, int32 (also int16 and dates), int64
// (timestamps in ms), float64, []string for lists; nil for null.
func expectedValue(in *schema.Incident, col string) any {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	num := func(n schema.NullInt32) any {
		if !n.Valid {
			return nil
		}
		return n.Value
	}
	flt := func(f schema.NullFloat64) any {
		if !f.Valid {
			return nil
		}
		return f.Value
	}
	list := func(ss []string) any {
		if ss == nil {
			return []string{}
		}
		return ss
	}
	switch col {
	case "incident_id":
		return in.IncidentID
	case "source_dataset":
		return in.SourceDataset
	case "source_id":
		return str(in.SourceID)
	case "date_start":
		return int32(in.DateStart)
	case "date_end":
		return int32(in.DateEnd)
	case "date_precision":
		return in.DatePrecision.String()
	case "time_utc":
		if in.TimeUTC.IsZero() {
			return nil
		}
		return in.TimeUTC.UnixMilli()
	case "year":
		return int32(in.DateStart.Year())
	case "country_iso3":
		return in.CountryISO3
	case "country":
		return in.Country
	case "admin1":
		return str(in.Admin1)
	case "admin2":
		return str(in.Admin2)
	case "location":
		return str(in.Location)
	case "latitude":
		return flt(in.Latitude)
	case "longitude":
		return flt(in.Longitude)
	case "geo_precision":
		return in.GeoPrecision.String()
	case "event_type":
		return in.EventType.String()
	case "sub_event_type":
		return str(in.SubEventType)
	case "source_event_type":
		return str(in.SourceEvent)
	case "violence_type":
		return str(in.ViolenceType.String())
	case "actor1":
		return str(in.Actor1)
	case "actor2":
		return str(in.Actor2)
	case "assoc_actors":
		return list(in.AssocActors)
	case "claimed_by":
		return str(in.ClaimedBy)
	case "fatalities_best":
		return num(in.Fatalities.Best)
	case "fatalities_low":
		return num(in.Fatalities.Low)
	case "fatalities_high":
		return num(in.Fatalities.High)
	case "fatalities_actor1":
		return num(in.FatalitiesActor1)
	case "fatalities_actor2":
		return num(in.FatalitiesActor2)
	case "fatalities_civilians":
		return num(in.FatalitiesCivilians)
	case "fatalities_unknown":
		return num(in.FatalitiesUnknown)
	case "injured_best":
		return num(in.Injured.Best)
	case "injured_low":
		return num(in.Injured.Low)
	case "injured_high":
		return num(in.Injured.High)
	case "detained_best":
		return num(in.Detained.Best)
	case "detained_low":
		return num(in.Detained.Low)
	case "detained_high":
		return num(in.Detained.High)
	case "sources":
		return list(in.Sources)
	case "source_count":
		return int32(in.SourceCount)
	case "notes":
		return str(in.Notes)
	}
	panic("export test: no expected value for " + col)
}

// xitongsysColumns reads every column of a Parquet file with
// xitongsys/parquet-go, rebuilding list rows from repetition levels.
func xitongsysColumns(t *testing.T, path string) (map[string][]any, *reader.ParquetReader) {
	t.Helper()
	fr, err := local.NewLocalFileReader(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fr.Close() })
	pr, err := reader.NewParquetColumnReader(fr, 1)
	if err != nil {
		t.Fatalf("xitongsys cannot open %s: %v", path, err)
	}
	rows := pr.GetNumRows()
	root := pr.SchemaHandler.GetRootExName()
	out := map[string][]any{}
	for _, c := range schema.Columns {
		isList := c.TypeName == "list(utf8)"
		p := root + common.PAR_GO_PATH_DELIMITER + c.Name
		if isList {
			p += common.PAR_GO_PATH_DELIMITER + "list" + common.PAR_GO_PATH_DELIMITER + "element"
		}
		vals, rls, dls, err := pr.ReadColumnByPath(p, rows*64)
		if err != nil {
			t.Fatalf("xitongsys: column %s: %v", c.Name, err)
		}
		if !isList {
			out[c.Name] = vals
			continue
		}
		var col []any
		for i, v := range vals {
			if rls[i] == 0 {
				col = append(col, []string{})
			}
			// definition level 2 (list and element present) or more holds a value
			if dls[i] >= 2 && v != nil {
				last := col[len(col)-1].([]string)
				col[len(col)-1] = append(last, v.(string))
			}
		}
		out[c.Name] = col
	}
	return out, pr
}

// TestXitongsysReadsEveryValue reads the golden fixture back with a second,
// independent Parquet implementation and compares every value, nulls
// included, and the logical types DuckDB and pandas rely on.
func TestXitongsysReadsEveryValue(t *testing.T) {
	golden := goldenIncidents()
	for _, compression := range []string{"zstd", "snappy", "gzip", "none"} {
		t.Run(compression, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), "golden.parquet")
			recs := twoBuilderRecords(mem, golden)
			// Small row groups: the check also crosses row-group boundaries.
			writeAll(t, path, WriteOptions{Mem: mem, Compression: compression, RowGroupRows: 3}, recs...)
			for _, r := range recs {
				r.Release()
			}
			want := reordered(golden)
			cols, pr := xitongsysColumns(t, path)
			if n := pr.GetNumRows(); n != int64(len(want)) {
				t.Fatalf("xitongsys counts %d rows, want %d", n, len(want))
			}
			for _, c := range schema.Columns {
				got := cols[c.Name]
				if len(got) != len(want) {
					t.Errorf("column %s: %d values, want %d", c.Name, len(got), len(want))
					continue
				}
				for i := range want {
					w := expectedValue(&want[i], c.Name)
					if !reflect.DeepEqual(got[i], w) {
						t.Errorf("column %s row %d: xitongsys reads %#v, want %#v", c.Name, i, got[i], w)
					}
				}
			}
			checkLogicalTypes(t, pr)
		})
	}
}

func checkLogicalTypes(t *testing.T, pr *reader.ParquetReader) {
	t.Helper()
	byName := map[string]*xparquet.SchemaElement{}
	for _, el := range pr.Footer.Schema {
		byName[strings.ToLower(el.Name)] = el // xitongsys capitalizes names in place
	}
	if el := byName["time_utc"]; el == nil || el.LogicalType == nil || el.LogicalType.TIMESTAMP == nil ||
		!el.LogicalType.TIMESTAMP.IsAdjustedToUTC || el.LogicalType.TIMESTAMP.Unit.MILLIS == nil {
		t.Errorf("time_utc: logical type %v, want TIMESTAMP(MILLIS, isAdjustedToUTC=true)", describe(el))
	}
	for _, name := range []string{"date_start", "date_end"} {
		if el := byName[name]; el == nil || el.LogicalType == nil || el.LogicalType.DATE == nil {
			t.Errorf("%s: logical type %v, want DATE", name, describe(el))
		}
	}
	for _, name := range []string{"year", "source_count"} {
		if el := byName[name]; el == nil || el.LogicalType == nil || el.LogicalType.INTEGER == nil ||
			el.LogicalType.INTEGER.BitWidth != 16 || !el.LogicalType.INTEGER.IsSigned {
			t.Errorf("%s: logical type %v, want INTEGER(16, signed)", name, describe(el))
		}
	}
	if el := byName["fatalities_best"]; el == nil || *el.Type != xparquet.Type_INT32 || el.GetRepetitionType() != xparquet.FieldRepetitionType_OPTIONAL {
		t.Errorf("fatalities_best: %v, want optional INT32", describe(el))
	}
	if el := byName["incident_id"]; el == nil || el.GetRepetitionType() != xparquet.FieldRepetitionType_REQUIRED {
		t.Errorf("incident_id: %v, want required", describe(el))
	}
}

func describe(el *xparquet.SchemaElement) string {
	if el == nil {
		return "missing"
	}
	return fmt.Sprintf("%v", el)
}

// TestXitongsysReadsDatasetFiles checks each file of a partitioned dataset.
func TestXitongsysReadsDatasetFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	rec := schema.NewRecord(nil, goldenIncidents())
	defer rec.Release()
	writeAll(t, dir, WriteOptions{PartitionBy: []string{"year", "country_iso3"}}, rec)
	files, err := datasetFiles(dir)
	if err != nil || len(files) == 0 {
		t.Fatalf("dataset files: %v %v", files, err)
	}
	total := int64(0)
	for _, f := range files {
		fr, err := local.NewLocalFileReader(f)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := reader.NewParquetColumnReader(fr, 1)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		total += pr.GetNumRows()
		fr.Close()
	}
	if total != int64(len(goldenIncidents())) {
		t.Errorf("xitongsys counts %d rows over the dataset, want %d", total, len(goldenIncidents()))
	}
}
