package export

import (
	"io"

	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/pierrec/lz4/v4"
)

// Arrow Go v17 ships no Parquet LZ4 codec. Parquet's LZ4_RAW (plain LZ4
// blocks, no Hadoop framing) is what pyarrow, DuckDB and polars write and
// read for "lz4", so we register it here with pierrec/lz4 (already in the
// module graph through arrow's IPC compression).
var lz4Raw = compress.Compression(7) // parquet.thrift CompressionCodec LZ4_RAW

type lz4RawCodec struct{}

func init() { compress.RegisterCodec(lz4Raw, lz4RawCodec{}) }

func (lz4RawCodec) CompressBound(n int64) int64 { return int64(lz4.CompressBlockBound(int(n))) }

func (c lz4RawCodec) Encode(dst, src []byte) []byte {
	bound := lz4.CompressBlockBound(len(src))
	if cap(dst) < bound {
		dst = make([]byte, bound)
	}
	dst = dst[:bound]
	var cmp lz4.Compressor
	n, err := cmp.CompressBlock(src, dst)
	if err != nil {
		panic("export: lz4: " + err.Error()) // dst has the bound's size: cannot happen
	}
	return dst[:n]
}

func (c lz4RawCodec) EncodeLevel(dst, src []byte, _ int) []byte { return c.Encode(dst, src) }

func (lz4RawCodec) Decode(dst, src []byte) []byte {
	n, err := lz4.UncompressBlock(src, dst)
	if err != nil {
		// The Codec interface has no error return; arrow's own codecs panic
		// too, and our readers recover it into an error.
		panic("export: lz4: " + err.Error())
	}
	return dst[:n]
}

func (lz4RawCodec) NewReader(r io.Reader) io.ReadCloser {
	return io.NopCloser(lz4.NewReader(r))
}

func (lz4RawCodec) NewWriter(w io.Writer) io.WriteCloser { return lz4.NewWriter(w) }

func (c lz4RawCodec) NewWriterLevel(w io.Writer, _ int) (io.WriteCloser, error) {
	return c.NewWriter(w), nil
}
