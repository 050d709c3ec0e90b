package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Sizes are given in CSS pixels (1/96 inch). A PNG has exactly that many
// pixels, an SVG declares them as its width and height, and a PDF page
// measures the same physical size (1 px = 0.75 pt).
const pxPerInch = 96

// Formats WritePlot writes, by file extension.
var Formats = []string{"svg", "png", "pdf"}

// FormatOf returns the format named by path's extension (svg, png or pdf).
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("report: cannot tell the plot format of %q: use a .svg, .png or .pdf name", path)
}

func pxToLength(px int) vg.Length { return vg.Length(px) * vg.Inch / pxPerInch }

// chartPad is the margin kept free around a chart: gonum/plot draws its
// outermost labels against the canvas edge, where a PNG or PDF viewer clips
// a glyph's overhang (a bar label's first letter, the legend's swatch).
const chartPad = 8

func padded(c draw.Canvas) draw.Canvas {
	m := pxToLength(chartPad)
	return draw.Crop(c, m, -m, m, -m)
}

// WritePlot draws p as format (svg, png or pdf) of width x height pixels to w.
func WritePlot(w io.Writer, p *plot.Plot, format string, width, height int) error {
	if width <= 0 || height <= 0 {
		return fmt.Errorf("report: plot size %dx%d: width and height must be positive", width, height)
	}
	W, H := pxToLength(width), pxToLength(height)
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		b, err := svgElement(p, width, height, "", "")
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+b)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(W, H), vgimg.UseDPI(pxPerInch))}
	case "pdf":
		c = vgpdf.New(W, H)
	default:
		return fmt.Errorf("report: unknown plot format %q (svg, png, pdf)", format)
	}
	p.Draw(padded(draw.New(c)))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("report: writing %s: %w", format, err)
	}
	return nil
}

var svgOpen = regexp.MustCompile(`(?s)^.*?<svg width="[^"]*" height="[^"]*"`)

// svgElement draws p as an <svg> element (no XML prolog) sized width x
// height pixels, its coordinates in points through the viewBox. A non-empty
// label becomes the element's accessible name and a non-empty id its id;
// both also add data-plot-area="x y w h": the rectangle the data are drawn
// in, in viewBox coordinates (y down), for tests and scripts that check a
// chart is not empty.
func svgElement(p *plot.Plot, width, height int, id, label string) (string, error) {
	W, H := pxToLength(width), pxToLength(height)
	c := vgsvg.New(W, H)
	dc := padded(draw.New(c))
	area := p.DataCanvas(dc).Rectangle
	p.Draw(dc)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("report: writing svg: %w", err)
	}
	open := `<svg width="` + strconv.Itoa(width) + `" height="` + strconv.Itoa(height) + `"`
	if id != "" {
		open += ` id="` + htmlAttr(id) + `"`
	}
	if label != "" {
		open += ` role="img" aria-label="` + htmlAttr(label) + `"`
	}
	if id != "" || label != "" {
		open += fmt.Sprintf(` data-plot-area="%.2f %.2f %.2f %.2f"`, area.Min.X.Points(), (H - area.Max.Y).Points(),
			area.Size().X.Points(), area.Size().Y.Points())
	}
	// Liberation Sans has Arial's metrics: where it is missing, Arimo or
	// Arial take its place with the same text widths gonum/plot measured.
	s := strings.ReplaceAll(buf.String(), "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;")
	loc := svgOpen.FindStringIndex(s)
	if loc == nil {
		return "", fmt.Errorf("report: unexpected svg header from gonum/plot")
	}
	return open + s[loc[1]:], nil
}

func htmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}
