package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

func TestEscapePartitionValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"TJK", "TJK"},
		{"2019", "2019"},
		{"../../x", "..%2F..%2Fx"},
		{"/abs", "%2Fabs"},
		{"a/b", "a%2Fb"},
		{`a\b`, "a%5Cb"},
		{"", hiveNull},
		{"x=y", "x%3Dy"},
		{"50%", "50%25"},
		{"line\nbreak", "line%0Abreak"},
		{"Côte d'Ivoire", "Côte d%27Ivoire"},
		{"..", ".."},
		{"__HIVE_DEFAULT_PARTITION__", "%5F_HIVE_DEFAULT_PARTITION__"}, // the text, not null
	} {
		got := EscapePartitionValue(tc.in)
		if got != tc.want {
			t.Errorf("EscapePartitionValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
		back, ok := UnescapePartitionValue(got)
		if tc.in == "" {
			if ok {
				t.Errorf("UnescapePartitionValue(%q): ok, want the null partition", got)
			}
			continue
		}
		if back != tc.in || !ok {
			t.Errorf("UnescapePartitionValue(%q) = %q, %v, want %q", got, back, ok, tc.in)
		}
	}
}

func sortByID(in []schema.Incident) []schema.Incident {
	out := append([]schema.Incident{}, in...)
	sort.Slice(out, func(i, j int) bool { return out[i].IncidentID < out[j].IncidentID })
	return out
}

// walkFiles lists the files below dir, relative to it.
func walkFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files
}

func TestPartitionedDatasetRoundTrip(t *testing.T) {
	for _, format := range []string{"parquet", "arrow", "arrows"} {
		t.Run(format, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			dir := filepath.Join(t.TempDir(), "ds")
			recs := twoBuilderRecords(mem, goldenIncidents())
			writeAll(t, dir, WriteOptions{Mem: mem, Format: format, PartitionBy: []string{"year", "country_iso3"}}, recs...)
			for _, r := range recs {
				r.Release()
			}
			files := walkFiles(t, dir)
			ext := map[string]string{"parquet": ".parquet", "arrow": ".arrow", "arrows": ".arrows"}[format]
			for _, want := range []string{"year=2019/country_iso3=TJK/part-0000" + ext, "year=1997/country_iso3=XXX/part-0000" + ext} {
				if !contains(files, want) {
					t.Errorf("no %s in %v", want, files)
				}
			}
			got := readAll(t, dir, ReadOptions{Mem: mem})
			diffIncidents(t, sortByID(got), sortByID(goldenIncidents()))

			rr, err := Open(context.Background(), dir, ReadOptions{Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range rr.Schema().Fields() {
				if want := schema.Arrow().Field(i); f.Name != want.Name {
					t.Errorf("dataset column %d is %s, want %s", i, f.Name, want.Name)
				}
			}
			rr.Release()
		})
	}
}

func TestPartitionValuesCannotEscape(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	base := t.TempDir()
	dir := filepath.Join(base, "out", "ds")
	os.MkdirAll(filepath.Dir(dir), 0o755)
	var in []schema.Incident
	for i, v := range []string{"../../x", "/abs", "a/b", "..", `..\..\y`, "", "%2F", "__HIVE_DEFAULT_PARTITION__x"} {
		g := goldenIncidents()[i%7]
		g.IncidentID = "id-" + string(rune('a'+i))
		g.SourceDataset = v
		g.SubEventType = v // nullable: "" is null
		in = append(in, g)
	}
	rec := schema.NewRecord(mem, in)
	writeAll(t, dir, WriteOptions{Mem: mem, PartitionBy: []string{"source_dataset", "sub_event_type"}}, rec)
	rec.Release()
	entries, _ := os.ReadDir(base)
	if len(entries) != 1 || entries[0].Name() != "out" {
		t.Fatalf("files outside OUT: %v", entries)
	}
	entries, _ = os.ReadDir(filepath.Join(base, "out"))
	if len(entries) != 1 {
		t.Fatalf("files beside OUT: %v", entries)
	}
	for _, f := range walkFiles(t, dir) {
		parts := strings.Split(f, "/")
		if len(parts) != 3 || !strings.HasPrefix(parts[0], "source_dataset=") || !strings.HasPrefix(parts[1], "sub_event_type=") {
			t.Errorf("file %s is not at source_dataset=*/sub_event_type=*/part-*", f)
		}
	}
	if got := walkFiles(t, dir); !contains(got, "source_dataset=__HIVE_DEFAULT_PARTITION__/sub_event_type=__HIVE_DEFAULT_PARTITION__/part-0000.parquet") {
		t.Errorf("no default partition for empty values in %v", got)
	}
	got := readAll(t, dir, ReadOptions{Mem: mem})
	diffIncidents(t, sortByID(got), sortByID(in))
}

// TestPartitionRotation caps the open partition files at one: rows of a
// partition that was closed go to its next part file, and nothing is lost.
func TestPartitionRotation(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := filepath.Join(t.TempDir(), "ds")
	golden := goldenIncidents()
	w, err := Create(context.Background(), dir, WriteOptions{Mem: mem, PartitionBy: []string{"country_iso3"}, MaxOpenPartitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	var want []schema.Incident
	for round := 0; round < 3; round++ {
		for i := range golden {
			g := golden[i]
			g.IncidentID += "#" + string(rune('0'+round))
			want = append(want, g)
			rec := schema.NewRecord(mem, []schema.Incident{g})
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files := walkFiles(t, dir)
	for _, f := range []string{"country_iso3=TJK/part-0000.parquet", "country_iso3=TJK/part-0001.parquet", "country_iso3=TJK/part-0002.parquet", "country_iso3=TJK/part-0003.parquet"} {
		if !contains(files, f) {
			t.Errorf("no %s in %v", f, files)
		}
	}
	got := readAll(t, dir, ReadOptions{Mem: mem})
	diffIncidents(t, sortByID(got), sortByID(want))
}

func TestPartitionByUnknownColumn(t *testing.T) {
	_, err := Create(context.Background(), filepath.Join(t.TempDir(), "ds"), WriteOptions{PartitionBy: []string{"colour"}})
	if err == nil || !strings.Contains(err.Error(), `"colour" is not in the schema`) {
		t.Errorf("err %v", err)
	}
	_, err = Create(context.Background(), filepath.Join(t.TempDir(), "ds"), WriteOptions{PartitionBy: []string{"latitude"}})
	if err == nil {
		t.Error("partitioning by a float column: no error")
	}
}

// partitionRows returns n incidents whose sub_event_type is value(i).
func partitionRows(n int, value func(i int) string) []schema.Incident {
	rows := make([]schema.Incident, n)
	for i := range rows {
		rows[i] = schema.Incident{IncidentID: fmt.Sprintf("id-%05d", i),
			SourceDataset: "t", Country: "Tajikistan", CountryISO3: "TJK", SourceCount: 0,
			DateStart: schema.DateOf(2019, 11, 6), DateEnd: schema.DateOf(2019, 11, 6), SubEventType: value(i)}
	}
	return rows
}

// TestPartitionLimits: more distinct partitions than MaxPartitions fail the
// write with ErrTooManyPartitions and leave nothing; a value longer than
// MaxPartitionValueBytes once escaped fails with a short message (it used
// to fail with "file name too long" and a 5 KB error line); a value of the
// limit's length is written and read back.
func TestPartitionLimits(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	write := func(out string, rows []schema.Incident, max int) error {
		w, err := Create(context.Background(), out, WriteOptions{PartitionBy: []string{"sub_event_type"}, MaxPartitions: max, Mem: mem})
		if err != nil {
			return err
		}
		rec := schema.NewRecord(mem, rows)
		defer rec.Release()
		if err := w.Write(rec); err != nil {
			w.Abort()
			return err
		}
		return w.Close()
	}
	dir := t.TempDir()
	distinct := func(i int) string { return fmt.Sprintf("v%d", i) }
	err := write(filepath.Join(dir, "many"), partitionRows(11, distinct), 10)
	if !errors.Is(err, ErrTooManyPartitions) || !strings.Contains(err.Error(), "more than 10 distinct values of sub_event_type") {
		t.Errorf("11 values, max 10: %v", err)
	}
	if err := write(filepath.Join(dir, "ten"), partitionRows(10, distinct), 10); err != nil {
		t.Errorf("10 values, max 10: %v", err)
	}
	long := strings.Repeat("é", 150) // 300 bytes
	err = write(filepath.Join(dir, "long"), partitionRows(2, func(int) string { return long }), 0)
	if !errors.Is(err, ErrPartitionValueTooLong) || len(err.Error()) > 200 {
		t.Errorf("300-byte value: %v (%d bytes of message)", err, len(err.Error()))
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 || names[0].Name() != "ten" {
		t.Errorf("left in the folder: %v", names)
	}
	edge := strings.Repeat("x", MaxPartitionValueBytes-3) + "/" // escaped: 197 + 3 = 200 bytes
	vals := []string{edge, "__HIVE_DEFAULT_PARTITION__", ""}
	out := filepath.Join(dir, "edge")
	if err := write(out, partitionRows(3, func(i int) string { return vals[i] }), 0); err != nil {
		t.Fatal(err)
	}
	rr, err := Open(context.Background(), out, ReadOptions{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var got []schema.Incident
	for rr.Next() {
		if got, err = schema.AppendIncidents(got, rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	for _, in := range sortByID(got) {
		i := int(in.IncidentID[len(in.IncidentID)-1] - '0')
		if in.SubEventType != vals[i] {
			t.Errorf("%s: sub_event_type %q, want %q", in.IncidentID, in.SubEventType, vals[i])
		}
	}
}
