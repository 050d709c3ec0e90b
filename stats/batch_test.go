package stats

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// withInt64Counts returns rec with fatalities_best as int64, as a foreign
// Parquet file may give it: Add then takes the row-by-row path.
func withInt64Counts(mem memory.Allocator, rec arrow.Record) arrow.Record {
	fields := rec.Schema().Fields()
	cols := make([]arrow.Array, len(fields))
	for i, f := range fields {
		cols[i] = rec.Column(i)
		cols[i].Retain()
		if f.Name != "fatalities_best" {
			continue
		}
		c := cols[i].(*array.Int32)
		b := array.NewInt64Builder(mem)
		for j := 0; j < c.Len(); j++ {
			if c.IsNull(j) {
				b.AppendNull()
			} else {
				b.Append(int64(c.Value(j)))
			}
		}
		cols[i].Release()
		cols[i] = b.NewArray()
		b.Release()
		fields[i].Type = arrow.PrimitiveTypes.Int64
	}
	out := array.NewRecord(arrow.NewSchema(fields, nil), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// The columnar path of Add gives the row-by-row path's output byte for
// byte: same groups, same running moments, same first maximum, whatever
// the group columns (dictionary, plain text, narrow and wide numbers,
// nulls), the filters and the batches.
func TestColumnarAgreesWithRowByRow(t *testing.T) {
	in, _ := goldenDataset(3000, 7)
	for i := range in {
		if i%13 == 0 {
			in[i].CountryISO3 = "" // a null group value
		}
		if i%5 == 0 {
			in[i].Latitude = schema.Float64(float64(i%17) / 3)
		}
		in[i].Admin1 = fmt.Sprintf("a%d", i%29)
		if i < 1000 {
			in[i].Injured.Best = schema.NullInt32{} // an all-null column in the first batch
		}
	}
	where := func(s string) Filter {
		f, err := ParseFilter(s)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, opts := range []Options{
		{},
		{By: []string{"country_iso3", "year"}},
		{By: []string{"event_type"}, Period: PeriodMonth},
		{By: []string{"latitude"}},
		{By: []string{"date_start", "country_iso3"}},
		{By: []string{"admin1", "year", "event_type"}, Where: []Filter{where("year>=2014"), where("country_iso3!=TJK")}},
		{By: []string{"country_iso3"}, Where: []Filter{where("event_type=riots")}, Period: PeriodWeek, Top: 2},
		{By: []string{"year"}, Tail: true, Bootstrap: -1},
	} {
		for _, batch := range []int{1000, 77} {
			t.Run(fmt.Sprintf("%v/%d", opts.By, batch), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				var outs [2]bytes.Buffer
				for k := range outs {
					acc, err := NewAccumulator(opts)
					if err != nil {
						t.Fatal(err)
					}
					for start := 0; start < len(in); start += batch {
						rec := schema.NewRecord(mem, in[start:min(start+batch, len(in))])
						if k == 1 {
							r64 := withInt64Counts(mem, rec)
							rec.Release()
							rec = r64
						}
						err := acc.Add(rec)
						rec.Release()
						if err != nil {
							t.Fatal(err)
						}
					}
					res, err := acc.Result()
					if err != nil {
						t.Fatal(err)
					}
					if err := res.WriteCSV(&outs[k]); err != nil {
						t.Fatal(err)
					}
				}
				if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
					t.Errorf("columnar:\n%s\nrow by row:\n%s", outs[0].String(), outs[1].String())
				}
				if bytes.Count(outs[0].Bytes(), []byte("\n")) < 2 {
					t.Errorf("no groups:\n%s", outs[0].String())
				}
			})
		}
	}
}
