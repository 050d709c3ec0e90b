package report

import (
	"bytes"
	"errors"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

func TestChartBuilder(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := syntheticRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for _, o := range []ChartOptions{
		{Kind: KindTimeSeries},
		{Kind: KindTimeSeries, Value: "fatalities", Period: "week"},
		{Kind: KindBar, By: "actor1", Top: 5},
		{Kind: KindBar, By: "year"},
		{Kind: KindCCDF, Title: "Severity of synthetic incidents"},
	} {
		c, err := NewChartBuilder(o)
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		for _, rec := range recs {
			if err := c.Add(rec); err != nil {
				t.Fatal(err)
			}
		}
		p, err := c.Plot()
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		if o.Title != "" && p.Title.Text != o.Title {
			t.Errorf("title %q, want %q", p.Title.Text, o.Title)
		}
		var svg bytes.Buffer
		if err := WritePlot(&svg, p, "svg", 600, 400); err != nil {
			t.Fatal(err)
		}
		if w, h := svgSize(t, svg.Bytes()); w != "600" || h != "400" {
			t.Errorf("%+v: svg %sx%s", o, w, h)
		}
	}
	// no rows: ErrNoData from the bar and CCDF charts
	for _, o := range []ChartOptions{{Kind: KindBar}, {Kind: KindCCDF}} {
		c, err := NewChartBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Plot(); !errors.Is(err, ErrNoData) {
			t.Errorf("%s of nothing: err = %v, want ErrNoData", o.Kind, err)
		}
	}
	for _, o := range []ChartOptions{{Kind: "pie"}, {Kind: KindTimeSeries, Value: "injured"}, {Kind: KindBar, By: "no_such_column"}, {Kind: KindTimeSeries, Period: "decade"}} {
		if _, err := NewChartBuilder(o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
