package report

import "image/color"

// The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight
// colours that stay distinct under protanopia, deuteranopia and tritanopia.
var (
	Orange        = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF}
	SkyBlue       = color.NRGBA{0x56, 0xB4, 0xE9, 0xFF}
	BluishGreen   = color.NRGBA{0x00, 0x9E, 0x73, 0xFF}
	Yellow        = color.NRGBA{0xF0, 0xE4, 0x42, 0xFF}
	Blue          = color.NRGBA{0x00, 0x72, 0xB2, 0xFF}
	Vermillion    = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF}
	ReddishPurple = color.NRGBA{0xCC, 0x79, 0xA7, 0xFF}
	Black         = color.NRGBA{0x00, 0x00, 0x00, 0xFF}
)

// Palette lists the Okabe-Ito colours in their customary order.
var Palette = []color.NRGBA{Black, Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple}

// tint mixes c with white: f = 0 gives c, f = 1 white. Bands are drawn in an
// opaque tint rather than with transparency, which PNG, PDF and SVG then all
// render alike.
func tint(c color.NRGBA, f float64) color.NRGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f + 0.5) }
	return color.NRGBA{mix(c.R), mix(c.G), mix(c.B), 0xFF}
}
