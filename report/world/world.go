// Package world holds the world map's country outlines as the file
// world-atlas publishes them (countries-110m.json: Natural Earth's 1:110m
// admin-0 boundaries as TopoJSON; SOURCES.md beside it), for the packages
// that draw maps: the report's map, and the dashboard of incidents serve,
// which sends the file to the browser as it is.
package world

import _ "embed"

// Countries110m is the bytes of countries-110m.json (world-atlas 2.0.2).
//
//go:embed countries-110m.json
var Countries110m []byte
