package export

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sort"

	"github.com/apache/thrift/lib/go/thrift"
	pqformat "github.com/xitongsys/parquet-go/parquet"
)

// sortEncodingStats rewrites the footer of the Parquet file at path so that
// every column chunk lists its encoding_stats in a fixed order (page type,
// encoding, count). arrow go v17 writes them by ranging over a Go map
// (parquet/metadata/column_chunk.go), so a column whose pages use two
// encodings (dictionary, then plain once the dictionary outgrows its page)
// came out in random order and the same input gave different bytes. The
// reordered footer has the same length, so only footer bytes change; if the
// re-encoded footer differs in length (a field the thrift definitions here
// do not know), the file is left as arrow wrote it.
func sortEncodingStats(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	var tail [8]byte
	if size < 12 {
		return fmt.Errorf("parquet file too short")
	}
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(tail[4:]) != "PAR1" {
		return fmt.Errorf("parquet file has no trailing PAR1")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n <= 0 || n > size-12 {
		return fmt.Errorf("parquet footer length %d out of range", n)
	}
	footer := make([]byte, n)
	if _, err := f.ReadAt(footer, size-8-n); err != nil {
		return err
	}
	ctx := context.Background()
	in := thrift.NewTMemoryBufferLen(int(n))
	in.Write(footer)
	md := pqformat.NewFileMetaData()
	if err := md.Read(ctx, thrift.NewTCompactProtocolConf(in, &thrift.TConfiguration{})); err != nil {
		return fmt.Errorf("parquet footer: %w", err)
	}
	changed := false
	for _, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData == nil || len(cc.MetaData.EncodingStats) < 2 {
				continue
			}
			st := cc.MetaData.EncodingStats
			less := func(i, j int) bool {
				if st[i].PageType != st[j].PageType {
					return st[i].PageType < st[j].PageType
				}
				if st[i].Encoding != st[j].Encoding {
					return st[i].Encoding < st[j].Encoding
				}
				return st[i].Count < st[j].Count
			}
			if !sort.SliceIsSorted(st, less) {
				sort.SliceStable(st, less)
				changed = true
			}
		}
	}
	if !changed {
		return nil
	}
	out := thrift.NewTMemoryBufferLen(int(n))
	p := thrift.NewTCompactProtocolConf(out, &thrift.TConfiguration{})
	if err := md.Write(ctx, p); err != nil {
		return fmt.Errorf("parquet footer: %w", err)
	}
	if err := p.Flush(ctx); err != nil {
		return err
	}
	b := out.Bytes()
	if int64(len(b)) != n || bytes.Equal(b, footer) {
		return nil
	}
	_, err = f.WriteAt(b, size-8-n)
	return err
}
