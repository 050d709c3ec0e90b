package panel

import "math"

// PRIO-GRID v2: 0.5-degree cells numbered row by row from the south-west
// corner, 720 columns by 360 rows (Tollefsen, Strand & Buhaug 2012; the
// PRIO-GRID v2.0 codebook):
//
//	row = floor((lat + 90) / 0.5) + 1
//	col = floor((lon + 180) / 0.5) + 1
//	gid = (row - 1) * 720 + col
//
// Row 1 is the southernmost and column 1 the westernmost; a point on a cell
// edge falls into the cell to its north and east. Latitude 90 and longitude
// 180 belong to the last row and column.
const (
	GridCols  = 720
	GridRows  = 360
	GridCells = GridCols * GridRows
)

// GridCell returns the PRIO-GRID v2 gid, row and column of a point; ok is
// false for coordinates outside -90..90 / -180..180 or NaN.
func GridCell(lat, lon float64) (gid, row, col int32, ok bool) {
	if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
		return 0, 0, 0, false
	}
	r := int32(math.Floor((lat+90)/0.5)) + 1
	c := int32(math.Floor((lon+180)/0.5)) + 1
	if r > GridRows {
		r = GridRows
	}
	if c > GridCols {
		c = GridCols
	}
	return (r-1)*GridCols + c, r, c, true
}

// CellOf returns the row and column of a gid (1-based).
func CellOf(gid int32) (row, col int32) {
	return (gid-1)/GridCols + 1, (gid-1)%GridCols + 1
}

// CellCentroid returns the latitude and longitude of a cell's centre.
func CellCentroid(gid int32) (lat, lon float64) {
	r, c := CellOf(gid)
	return -90 + 0.5*float64(r) - 0.25, -180 + 0.5*float64(c) - 0.25
}
