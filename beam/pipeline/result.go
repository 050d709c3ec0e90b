package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/stats"
)

// WriteResult writes res as incidents stats writes it: csv, json,
// markdown or table (the compact set, as incidents stats shows by
// default), to path (atomically, under the output rule) or "-" (w).
func WriteResult(res *stats.Result, path, format string, overwrite bool, w io.Writer) error {
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".json":
			format = "json"
		case ".md":
			format = "markdown"
		case ".txt":
			format = "table"
		default:
			format = "csv"
		}
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "csv":
		err = res.WriteCSV(&b)
	case "json":
		err = res.WriteJSON(&b)
	case "markdown":
		err = res.Compact().WriteMarkdown(&b)
	case "table":
		err = res.Compact().WriteTableWidth(&b, stats.DefaultTableWidth)
	default:
		return fmt.Errorf("beam: unknown --format %q (csv, json, markdown, table)", format)
	}
	if err != nil {
		return err
	}
	if path == "" || path == "-" {
		_, err := w.Write(b.Bytes())
		return err
	}
	return export.WriteFile(path, b.Bytes(), export.OutputOptions{Overwrite: overwrite})
}
