package export

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// validateArray checks what arrow's IPC reader takes on trust from the
// file: buffer sizes, offsets and dictionary indices, so that a corrupt
// file is an error here rather than an index panic in whoever reads the
// record. Types outside the ones we write are not checked.
func validateArray(a arrow.Array) error {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	if n < 0 || off < 0 {
		return fmt.Errorf("negative length or offset")
	}
	bufs := d.Buffers()
	if len(bufs) > 0 && bufs[0] != nil && d.NullN() > 0 && bufs[0].Len()*8 < off+n {
		return fmt.Errorf("validity bitmap of %d bytes for %d values", bufs[0].Len(), off+n)
	}
	fixed := func(width int) error {
		if len(bufs) < 2 || bufs[1] == nil {
			if n == 0 {
				return nil
			}
			return fmt.Errorf("missing data buffer")
		}
		if bufs[1].Len() < (off+n)*width {
			return fmt.Errorf("data buffer of %d bytes for %d values of %d bytes", bufs[1].Len(), off+n, width)
		}
		return nil
	}
	offsets := func(limit int) error {
		if n == 0 {
			return nil
		}
		if len(bufs) < 2 || bufs[1] == nil || bufs[1].Len() < (off+n+1)*4 {
			return fmt.Errorf("offsets buffer too short")
		}
		o := arrow.Int32Traits.CastFromBytes(bufs[1].Bytes())[off : off+n+1]
		if o[0] < 0 {
			return fmt.Errorf("negative offset")
		}
		for i := 1; i < len(o); i++ {
			if o[i] < o[i-1] {
				return fmt.Errorf("offsets decrease at %d", i)
			}
		}
		if int(o[len(o)-1]) > limit {
			return fmt.Errorf("offset %d beyond %d", o[len(o)-1], limit)
		}
		return nil
	}
	switch c := a.(type) {
	case *array.Int8, *array.Uint8:
		return fixed(1)
	case *array.Int16, *array.Uint16:
		return fixed(2)
	case *array.Int32, *array.Uint32, *array.Float32, *array.Date32:
		return fixed(4)
	case *array.Int64, *array.Uint64, *array.Float64, *array.Timestamp, *array.Date64:
		return fixed(8)
	case *array.Boolean:
		if n > 0 && (len(bufs) < 2 || bufs[1] == nil || bufs[1].Len()*8 < off+n) {
			return fmt.Errorf("boolean buffer too short")
		}
	case *array.String:
		limit := 0
		if len(bufs) > 2 && bufs[2] != nil {
			limit = bufs[2].Len()
		}
		return offsets(limit)
	case *array.Binary:
		limit := 0
		if len(bufs) > 2 && bufs[2] != nil {
			limit = bufs[2].Len()
		}
		return offsets(limit)
	case *array.List:
		if err := offsets(c.ListValues().Len()); err != nil {
			return err
		}
		return validateArray(c.ListValues())
	case *array.Dictionary:
		if err := validateArray(c.Indices()); err != nil {
			return fmt.Errorf("indices: %w", err)
		}
		if err := validateArray(c.Dictionary()); err != nil {
			return fmt.Errorf("dictionary: %w", err)
		}
		size := c.Dictionary().Len()
		for i := 0; i < n; i++ {
			if c.IsValid(i) {
				if k := c.GetValueIndex(i); k < 0 || k >= size {
					return fmt.Errorf("dictionary index %d of %d values", k, size)
				}
			}
		}
	}
	return nil
}
