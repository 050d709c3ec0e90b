package source

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// column returns the values of column name in rows (rows[0] is the header).
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	for i, n := range rows[0] {
		if n == name {
			var out []string
			for _, r := range rows[1:] {
				out = append(out, r[i])
			}
			return out
		}
	}
	t.Fatalf("no column %q in %q", name, rows[0])
	return nil
}

func readReal(t *testing.T, dir, file string) (*Input, [][]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(realDir, dir, file))
	if err != nil {
		t.Fatal(err)
	}
	in, rows, err := readAll(t, file, data, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return in, rows
}

// TestRealGeoJSON checks the facts of testdata/real/geojson/SOURCES.md.
func TestRealGeoJSON(t *testing.T) {
	in, rows := readReal(t, "geojson", "acled_nigeria_aug2023_points.geojson")
	if in.Format != FormatGeoJSON || len(rows) != 52 {
		t.Fatalf("format %s, %d records", in.Format, len(rows))
	}
	if got := strings.Join(rows[0], ","); got != "date,location,fatalities,detail,longitude,latitude" {
		t.Errorf("header %s (name and crs must be ignored)", got)
	}
	lat, lon := column(t, rows, "latitude"), column(t, rows, "longitude")
	if lat[0] != "11.8312" || lon[0] != "13.1517" {
		t.Errorf("feature 1 at %s,%s", lat[0], lon[0])
	}
	sum := 0
	for _, f := range column(t, rows, "fatalities") {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	if d := column(t, rows, "date"); sum != 267 || d[0] != "02-Aug-23" || d[2] != "31-Aug-23" || d[50] != "01-Aug-23" {
		t.Errorf("fatalities %d, dates %s %s %s", sum, d[0], d[2], d[50])
	}

	_, rows = readReal(t, "geojson", "acled_benin_2022_points.geojson")
	if len(rows) != 41 || column(t, rows, "event_id_cnty")[0] != "BEN892" ||
		column(t, rows, "latitude")[0] != "12.0455" || column(t, rows, "longitude")[0] != "3.1338" {
		t.Errorf("benin: %d records, first %q", len(rows), rows[1][:3])
	}
	empty := 0
	for _, a := range column(t, rows, "actor2") {
		if a == "" {
			empty++
		}
	}
	if empty != 12 {
		t.Errorf("actor2 empty on %d features, want 12", empty)
	}

	_, rows = readReal(t, "geojson", "ged231_null_geometry.geojson")
	if len(rows) != 61 || column(t, rows, "id")[0] != "300380" ||
		column(t, rows, "latitude")[0] != "35.763369" || column(t, rows, "longitude")[0] != "36.558974" {
		t.Errorf("ged: %d records", len(rows))
	}
}

// TestRealAPIJSON checks the facts of testdata/real/api-json/SOURCES.md.
func TestRealAPIJSON(t *testing.T) {
	in, rows := readReal(t, "api-json", "acled_api_page_benin_2022.json")
	if in.Format != FormatACLEDAPI || len(rows) != 21 || len(rows[0]) != 31 {
		t.Fatalf("format %s, %d records, %d columns", in.Format, len(rows), len(rows[0]))
	}
	if id, d := column(t, rows, "event_id_cnty")[0], column(t, rows, "event_date")[0]; id != "BEN769" || d != "2022-11-10" {
		t.Errorf("first %s %s", id, d)
	}
	slash, empty := 0, 0
	for _, v := range column(t, rows, "sub_event_type") {
		if strings.Contains(v, `\`) {
			t.Errorf("escaped slash kept: %q", v)
		}
		if strings.Contains(v, "/") {
			slash++
		}
	}
	for _, v := range column(t, rows, "actor2") {
		if v == "" {
			empty++
		}
	}
	if empty != 6 || slash != 6 {
		t.Errorf("actor2 empty %d (want 6), sub-event types with / %d (want 6)", empty, slash)
	}

	in, rows = readReal(t, "api-json", "ucdp_api_page_ged231.json")
	if in.Format != FormatUCDPAPI || len(rows) != 11 {
		t.Fatalf("format %s, %d records", in.Format, len(rows))
	}
	if got := strings.Join(column(t, rows, "id"), " "); got != "300380 21300 401115 212545 448810 299515 406097 464847 252478 225681" {
		t.Errorf("ids %s", got)
	}
	if sa := column(t, rows, "source_article")[0]; !strings.HasPrefix(sa, `"`) {
		t.Errorf("source_article %q", sa)
	}
	if b := column(t, rows, "active_year")[0]; b != "true" && b != "false" {
		t.Errorf("active_year %q", b)
	}
}

// TestJSONShapes: one case per shape of JSON input and per way it can
// break; every row is read, or rejected, or the input stops with an error.
func TestJSONShapes(t *testing.T) {
	cases := []struct {
		name, in string
		format   string
		rows     string // the rows' first fields and lines, "v@line ..."; "!" marks a reject
		stop     string // the input stops with an error holding this
	}{
		{name: "array", in: "[\n {\"a\":1},\n\n {\"a\":2}\n]\n", format: FormatJSON, rows: "1@2 2@4"},
		{name: "array trailing garbage", in: `[{"a":1}] xyz`, format: FormatJSON, rows: "1@1 !@1"},
		{name: "array then object", in: "[{\"a\":1}]\n{\"a\":2}\n", format: FormatJSON, rows: "1@1 2@2"},
		{name: "array broken mid-way", in: "[{\"a\":1},\n{\"a\":2,,}]", rows: "1@1", stop: "malformed"},
		{name: "array cut short", in: "[{\"a\":1},\n{\"a\":", rows: "1@1", stop: "ends in the middle"},
		{name: "array of a number", in: `[{"a":1}, 5, {"a":3}]`, rows: "1@1 !@1 3@1"},
		{name: "duplicate key", in: `[{"a":1}, {"a":2,"a":3}, {"a":4}]`, rows: "1@1 !@1 4@1"},
		{name: "duplicate key after trim", in: `[{"a":1}, {"a":2," a ":3}]`, rows: "1@1 !@1"},
		{name: "pretty objects", in: "{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n", format: FormatJSON, rows: "1@1 2@4"},
		{name: "jsonl", in: "{\"a\":1}\n{\"a\":2}\n", format: FormatJSONL, rows: "1@1 2@2"},
		{name: "jsonl two objects on a line", in: "{\"a\":1}\n{\"a\":2}{\"a\":3}\n{\"a\":4}\n", format: FormatJSONL, rows: "1@1 2@2 3@2 4@3"},
		{name: "jsonl object then junk", in: "{\"a\":1}\n{\"a\":2} junk\n{\"a\":4}\n", format: FormatJSONL, rows: "1@1 !@2 4@3"},
		{name: "jsonl duplicate key", in: "{\"a\":1}\n{\"a\":2,\"a\":3}\n", format: FormatJSONL, rows: "1@1 !@2"},
		{name: "geojson pretty", in: "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"a\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[3.5,12.25]}},\n{\"type\":\"Feature\",\"properties\":{\"a\":2},\"geometry\":null}\n]}\n",
			format: FormatGeoJSON, rows: "1@3 2@4"},
		{name: "geojson one line", in: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":null}]}` + "\n", format: FormatGeoJSON, rows: "1@1"},
		{name: "geojson polygon", in: `{"type":"FeatureCollection","features":[{"properties":{"a":1},"geometry":null},{"properties":{"a":2},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,1],[0,0]]]}}]}`, rows: "1@1 !@1"},
		{name: "acled api", in: `{"status":200,"success":true,"count":1,"messages":[],"data":[{"a":"1"}],"filename":"x"}`, format: FormatACLEDAPI, rows: "1@1"},
		{name: "other data envelope", in: `{"data":[{"a":"1"}]}`, format: FormatJSON, rows: "1@1"},
		{name: "ucdp api", in: `{"TotalCount":60,"TotalPages":6,"PreviousPageUrl":"","NextPageUrl":"u","Result":[{"a":1},{"a":2}]}`, format: FormatUCDPAPI, rows: "1@1 2@1"},
		{name: "deep nesting", in: `[{"a":1},{"a":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}]`, rows: "1@1", stop: "nested deeper than 10000"},
		{name: "top-level scalar", in: "[{\"a\":1}] 5", rows: "1@1 !@1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "t.json"
			if c.format == FormatJSONL {
				name = "t.jsonl"
			}
			in, err := Open(name, OpenOptions{Open: opener([]byte(c.in))})
			if err != nil {
				t.Fatal(err)
			}
			if c.format != "" && in.Format != c.format {
				t.Errorf("format %s, want %s", in.Format, c.format)
			}
			var got []string
			var stop error
			for {
				f, line, err := in.Src.Next()
				if err != nil && !IsRowError(err) {
					if err.Error() != "EOF" {
						stop = err
					}
					break
				}
				v := "!"
				if err == nil {
					v = f[0]
				}
				got = append(got, v+"@"+strconv.FormatInt(line, 10))
			}
			if g := strings.Join(got, " "); g != c.rows {
				t.Errorf("rows %s, want %s", g, c.rows)
			}
			if (stop == nil) != (c.stop == "") || stop != nil && !strings.Contains(stop.Error(), c.stop) {
				t.Errorf("stopped with %v, want %q", stop, c.stop)
			}
			var e *Error
			if stop != nil && (!errors.As(stop, &e) || !errors.Is(stop, ErrSyntax)) {
				t.Errorf("stop error %v is not a positional syntax error", stop)
			}
		})
	}
}

// TestGeoJSONCoordinates: properties win over the geometry; the geometry
// fills what they leave empty, in their own spelling of the column.
func TestGeoJSONCoordinates(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":7,"properties":{"LATITUDE":"1.5","LONGITUDE":null},"geometry":{"type":"Point","coordinates":[30.25,9.75]}},
{"type":"Feature","properties":{"LATITUDE":null},"geometry":{"type":"Point","coordinates":[31,10]}}]}`
	_, rows, err := readAll(t, "t.geojson", []byte(in), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"LATITUDE", "LONGITUDE", "id"}, {"1.5", "30.25", "7"}, {"10", "31", ""}}
	if strings.Join(flat(rows), "|") != strings.Join(flat(want), "|") {
		t.Errorf("got %q, want %q", rows, want)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}
