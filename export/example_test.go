package export_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/schema"
)

// Write incidents to Parquet and read two columns back.
func Example() {
	dir, err := os.MkdirTemp("", "export-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "events.parquet")

	rec := schema.NewRecord(nil, []schema.Incident{{
		IncidentID: "reports:ishkobod", SourceDataset: "reports",
		DateStart: schema.DateOf(2019, 11, 6), DateEnd: schema.DateOf(2019, 11, 6),
		CountryISO3: "TJK", Country: "Tajikistan", EventType: schema.EventBattles,
		Fatalities: schema.Estimate{Low: schema.Int32(17), Best: schema.Int32(17), High: schema.Int32(20)},
		Sources:    []string{"Reuters"}, SourceCount: 1,
	}})
	defer rec.Release()

	w, err := export.Create(context.Background(), path, export.WriteOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer w.Abort() // removes the temporary file if we never reach Close
	if err := w.Write(rec); err != nil {
		log.Fatal(err)
	}
	w.SetMetadata("incidents.inputs", `[{"path":"reports.csv"}]`)
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	rr, err := export.Open(context.Background(), path, export.ReadOptions{Columns: []string{"country_iso3", "fatalities_best"}})
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		in, err := schema.AppendIncidents(nil, rr.Record())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(in[0].CountryISO3, in[0].Fatalities.Best)
	}
	format, _ := export.Recognize(path)
	fmt.Println(format)
	// Output:
	// TJK 17
	// parquet
}

// Write a Hive-partitioned dataset: one folder per year and country.
func ExampleWriteOptions_partitionBy() {
	dir, err := os.MkdirTemp("", "export-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rec := schema.NewRecord(nil, []schema.Incident{
		{IncidentID: "a", SourceDataset: "x", DateStart: schema.DateOf(2019, 1, 1), DateEnd: schema.DateOf(2019, 1, 1), CountryISO3: "TJK", Country: "Tajikistan"},
		{IncidentID: "b", SourceDataset: "x", DateStart: schema.DateOf(2020, 1, 1), DateEnd: schema.DateOf(2020, 1, 1), CountryISO3: "../../etc", Country: "?"},
	})
	defer rec.Release()
	out := filepath.Join(dir, "ds")
	w, err := export.Create(context.Background(), out, export.WriteOptions{PartitionBy: []string{"year", "country_iso3"}})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			fmt.Println(filepath.ToSlash(rel))
		}
		return nil
	})
	// Output:
	// year=2019/country_iso3=TJK/part-0000.parquet
	// year=2020/country_iso3=..%2F..%2Fetc/part-0000.parquet
}
