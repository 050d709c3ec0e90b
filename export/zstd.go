package export

import (
	"runtime"
	"sync"

	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// arrow v17's Parquet zstd codec builds a new zstd encoder for every page
// written at an explicit level (EncodeLevel), which is every page: about
// 1.3 GB of allocations and a third of the CPU for 131,072 rows. This codec
// keeps one encoder per level and leaves everything else to arrow's.
//
// EncodeAll is safe for concurrent use, but runs on one of the encoder's
// WithEncoderConcurrency states at a time: the Parquet writer compresses
// its columns' pages on GOMAXPROCS goroutines, so the encoder has as many.
// Each state keeps a history as long as its window: 2 MiB covers any page
// (data pages close at 1 MiB, dictionary pages fall back at 1 MiB) where
// klauspost's default for level 1 is 8 MiB.
type pooledZstd struct {
	compress.Codec
	mu   sync.Mutex
	encs map[int]*zstd.Encoder
}

func init() {
	orig, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		return // arrow without zstd: nothing to improve
	}
	compress.RegisterCodec(compress.Codecs.Zstd, &pooledZstd{Codec: orig, encs: map[int]*zstd.Encoder{}})
}

func (z *pooledZstd) encoder(level int) *zstd.Encoder {
	z.mu.Lock()
	defer z.mu.Unlock()
	if e, ok := z.encs[level]; ok {
		return e
	}
	// zstd level 1 unless asked otherwise, as Arrow C++ (pyarrow, pandas)
	// writes zstd Parquet: on 2M ACLED rows it costs 6% in file size and
	// saves a fifth of the writer's CPU against level 3 (klauspost's
	// SpeedDefault, arrow go's default).
	lvl := zstd.SpeedFastest
	if level != compress.DefaultCompressionLevel {
		lvl = zstd.EncoderLevelFromZstd(level)
	}
	// No frame checksum: Parquet pages carry their own (optional) CRC, and
	// readers do not ask for zstd's (its xxhash was 1% of normalize's CPU).
	e, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(lvl), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithWindowSize(2<<20))
	if err != nil {
		panic("export: zstd: " + err.Error()) // only for invalid options, which these are not
	}
	z.encs[level] = e
	return e
}

func (z *pooledZstd) Encode(dst, src []byte) []byte {
	return z.encoder(compress.DefaultCompressionLevel).EncodeAll(src, dst[:0])
}

func (z *pooledZstd) EncodeLevel(dst, src []byte, level int) []byte {
	return z.encoder(level).EncodeAll(src, dst[:0])
}
