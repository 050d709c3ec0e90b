package serve

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/export"
)

// Content types of the formats.
var contentTypes = map[string]string{
	"json":    "application/json",
	"csv":     "text/csv; charset=utf-8; header=present",
	"arrow":   "application/vnd.apache.arrow.file",
	"parquet": "application/vnd.apache.parquet",
}

// setAttachment names the file a browser saves a binary response as.
func setAttachment(h http.Header, name, format string) {
	h.Set("Content-Type", contentTypes[format])
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
}

// writeRecords writes recs (of schema sc) to w in format through the export
// package's writers: the cells are those `incidents export` writes (dates
// as 2019-11-06, times RFC 3339 UTC, lists as JSON arrays), and json is an
// array of the objects export writes as JSON Lines.
func writeRecords(ctx context.Context, w headerWriter, format string, sc *arrow.Schema, recs []arrow.Record, mem memory.Allocator) error {
	var out io.Writer = w
	var arr *jsonArray
	exportFormat := format
	switch format {
	case "json":
		w.Header().Set("Content-Type", contentTypes["json"])
		arr = &jsonArray{w: bufio.NewWriterSize(w, 64<<10)}
		out, exportFormat = arr, export.FormatJSONL
	case "csv":
		w.Header().Set("Content-Type", contentTypes["csv"])
	}
	ew, err := export.Create(ctx, "-", export.WriteOptions{Format: exportFormat, Schema: sc, Stdout: out, Mem: mem})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := ew.Write(rec); err != nil {
			ew.Abort()
			return err
		}
	}
	if err := ew.Close(); err != nil {
		return err
	}
	if arr != nil {
		return arr.Close()
	}
	return nil
}

// jsonArray turns JSON Lines into one JSON array: "[", the lines joined
// by ",", "]". A JSON Lines line holds no raw newline, so each newline ends
// an object.
type jsonArray struct {
	w        *bufio.Writer
	objects  int  // objects begun
	inObject bool // within a line
}

func (a *jsonArray) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if !a.inObject {
			if a.objects == 0 {
				a.w.WriteString("[\n")
			} else {
				a.w.WriteString(",\n")
			}
			a.objects++
			a.inObject = true
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if _, err := a.w.Write(p); err != nil {
				return 0, err
			}
			break
		}
		if _, err := a.w.Write(p[:i]); err != nil {
			return 0, err
		}
		a.inObject = false
		p = p[i+1:]
	}
	return n, nil
}

func (a *jsonArray) Close() error {
	if a.objects == 0 {
		a.w.WriteString("[]\n")
	} else {
		a.w.WriteString("\n]\n")
	}
	return a.w.Flush()
}
