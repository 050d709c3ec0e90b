package main

// TEMPORARY shim, owned by the stats engineer: readRecords and
// writeStatsRecord stand in until the lead's input.go (export.Open for
// Parquet/Arrow, ingest.Normalize for raw files) and export.Create land.
// Delete this file then. It reads JSON Lines of normalized rows (keys are
// schema column names) and writes Arrow IPC files.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

type jsonRow struct {
	IncidentID          string   `json:"incident_id"`
	SourceDataset       string   `json:"source_dataset"`
	DateStart           string   `json:"date_start"`
	DateEnd             string   `json:"date_end"`
	CountryISO3         string   `json:"country_iso3"`
	Country             string   `json:"country"`
	Admin1              string   `json:"admin1"`
	Admin2              string   `json:"admin2"`
	EventType           string   `json:"event_type"`
	SubEventType        string   `json:"sub_event_type"`
	Actor1              string   `json:"actor1"`
	Actor2              string   `json:"actor2"`
	FatalitiesBest      *int32   `json:"fatalities_best"`
	FatalitiesLow       *int32   `json:"fatalities_low"`
	FatalitiesHigh      *int32   `json:"fatalities_high"`
	FatalitiesActor1    *int32   `json:"fatalities_actor1"`
	FatalitiesActor2    *int32   `json:"fatalities_actor2"`
	FatalitiesCivilians *int32   `json:"fatalities_civilians"`
	FatalitiesUnknown   *int32   `json:"fatalities_unknown"`
	InjuredBest         *int32   `json:"injured_best"`
	InjuredLow          *int32   `json:"injured_low"`
	InjuredHigh         *int32   `json:"injured_high"`
	DetainedBest        *int32   `json:"detained_best"`
	DetainedLow         *int32   `json:"detained_low"`
	DetainedHigh        *int32   `json:"detained_high"`
	Latitude            *float64 `json:"latitude"`
	Longitude           *float64 `json:"longitude"`
}

func ni(p *int32) schema.NullInt32 {
	if p == nil {
		return schema.NullInt32{}
	}
	return schema.Int32(*p)
}

func (r *jsonRow) incident() (schema.Incident, error) {
	in := schema.Incident{
		IncidentID: r.IncidentID, SourceDataset: r.SourceDataset, CountryISO3: r.CountryISO3, Country: r.Country,
		Admin1: r.Admin1, Admin2: r.Admin2, SubEventType: r.SubEventType, Actor1: r.Actor1, Actor2: r.Actor2,
		Fatalities:          schema.Estimate{Low: ni(r.FatalitiesLow), Best: ni(r.FatalitiesBest), High: ni(r.FatalitiesHigh)},
		FatalitiesActor1:    ni(r.FatalitiesActor1),
		FatalitiesActor2:    ni(r.FatalitiesActor2),
		FatalitiesCivilians: ni(r.FatalitiesCivilians),
		FatalitiesUnknown:   ni(r.FatalitiesUnknown),
		Injured:             schema.Estimate{Low: ni(r.InjuredLow), Best: ni(r.InjuredBest), High: ni(r.InjuredHigh)},
		Detained:            schema.Estimate{Low: ni(r.DetainedLow), Best: ni(r.DetainedBest), High: ni(r.DetainedHigh)},
	}
	if r.Latitude != nil && r.Longitude != nil {
		in.Latitude, in.Longitude = schema.Float64(*r.Latitude), schema.Float64(*r.Longitude)
	}
	var err error
	if in.DateStart, err = schema.ParseDate(r.DateStart); err != nil {
		return in, fmt.Errorf("date_start: %w", err)
	}
	in.DateEnd = in.DateStart
	if r.DateEnd != "" {
		if in.DateEnd, err = schema.ParseDate(r.DateEnd); err != nil {
			return in, fmt.Errorf("date_end: %w", err)
		}
	}
	if r.EventType != "" {
		if in.EventType, err = schema.ParseEventType(r.EventType); err != nil {
			return in, fmt.Errorf("event_type: %w", err)
		}
	}
	return in, nil
}

func readRecords(ctx context.Context, inputs []string, columns []string, fn func(arrow.Record) error) error {
	_ = columns // the shim builds whole records
	const batch = 8192
	for _, path := range inputs {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		var rows []schema.Incident
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			rec := schema.NewRecord(memory.DefaultAllocator, rows)
			defer rec.Release()
			rows = rows[:0]
			return fn(rec)
		}
		line := 0
		for sc.Scan() {
			line++
			if len(sc.Bytes()) == 0 {
				continue
			}
			var r jsonRow
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				f.Close()
				return fmt.Errorf("%s:%d: %w", path, line, err)
			}
			in, err := r.incident()
			if err != nil {
				f.Close()
				return fmt.Errorf("%s:%d: %w", path, line, err)
			}
			rows = append(rows, in)
			if len(rows) == batch {
				if err := ctx.Err(); err != nil {
					f.Close()
					return err
				}
				if err := flush(); err != nil {
					f.Close()
					return err
				}
			}
		}
		err = sc.Err()
		if err == nil {
			err = flush()
		}
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeStatsRecord(_ context.Context, path, format string, rec arrow.Record) error {
	if format != "arrow" {
		return fmt.Errorf("stats: --format %s is not wired yet (needs export.Create)", format)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	if err == nil {
		err = w.Write(rec)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
