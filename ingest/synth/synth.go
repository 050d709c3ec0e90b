package synth

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"runtime"
	"sync"
)

// Options tune a run of Generate.
type Options struct {
	// Messy is the share of rows (0..1) that carry exactly one bad value:
	// an unknown country, an impossible or unreadable date, or a figure that
	// cannot be read. Which rows, and which value, follow from the seed.
	Messy float64
	// Workers is the number of goroutines that build rows; 0 means
	// GOMAXPROCS. The output is byte-identical for every value.
	Workers int
}

// Summary says what a run wrote.
type Summary struct {
	Rows  int64 // data rows, header excluded
	Messy int64 // rows with one bad value
	Bytes int64 // bytes written, BOM and header included
}

// blockRows is the unit of work: each block of rows draws from its own
// generator seeded from (seed, block number), so the output does not depend
// on how many workers build the blocks.
const blockRows = 2048

// layout writes one dataset's column layout.
type layout struct {
	name     string
	bom      bool
	noHeader bool // no header row written (GDELT publishes none)
	header   []string
	// rows appends count rows, numbered from first (0-based), to dst.
	rows func(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64)
}

var layouts = map[string]*layout{
	"acled":    acledLayout,
	"ucdp-ged": ucdpLayout,
	"gtd":      gtdLayout,
	"reports":  reportsLayout,
	"gdelt":    gdeltLayout,
}

// Layouts lists the layout names Generate accepts.
func Layouts() []string { return []string{"acled", "ucdp-ged", "gtd", "reports", "gdelt"} }

// Header returns the column names of layout, in file order.
func Header(name string) ([]string, error) {
	l, ok := layouts[name]
	if !ok {
		return nil, fmt.Errorf("synth: unknown layout %q (want one of acled, ucdp-ged, gtd, reports, gdelt)", name)
	}
	return append([]string(nil), l.header...), nil
}

// Generate writes n rows of synthetic incident data in the named layout
// ("acled", "ucdp-ged", "gtd" or "reports") to w as CSV with a header row,
// the way the real dataset writes it (ACLED's export begins with a UTF-8
// byte order mark). The same layout, n, seed and Messy give byte-identical
// output.
func Generate(w io.Writer, name string, n int64, seed uint64, opt Options) (Summary, error) {
	var sum Summary
	l, ok := layouts[name]
	if !ok {
		return sum, fmt.Errorf("synth: unknown layout %q (want one of acled, ucdp-ged, gtd, reports, gdelt)", name)
	}
	if n < 0 {
		return sum, errors.New("synth: negative row count")
	}
	if !(opt.Messy >= 0 && opt.Messy <= 1) {
		return sum, fmt.Errorf("synth: messy share %v is not in 0..1", opt.Messy)
	}
	var head []byte
	if l.bom {
		head = append(head, 0xEF, 0xBB, 0xBF)
	}
	for i, h := range l.header {
		if l.noHeader {
			break
		}
		if i > 0 {
			head = append(head, ',')
		}
		head = appendField(head, h)
	}
	if !l.noHeader {
		head = append(head, '\n')
	}
	k, err := w.Write(head)
	sum.Bytes += int64(k)
	if err != nil {
		return sum, fmt.Errorf("synth: %w", err)
	}

	blocks := (n + blockRows - 1) / blockRows
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if int64(workers) > blocks {
		workers = int(max(blocks, 1))
	}
	build := func(b int64, dst []byte) ([]byte, int64, int) {
		first := b * blockRows
		count := int(min(blockRows, n-first))
		r := newRNG(seed, uint64(b))
		out, messy := l.rows(dst[:0], r, first, count, opt.Messy)
		return out, messy, count
	}
	if workers == 1 {
		buf := make([]byte, 0, 1<<20)
		for b := int64(0); b < blocks; b++ {
			var messy int64
			var count int
			buf, messy, count = build(b, buf)
			k, err := w.Write(buf)
			sum.Bytes += int64(k)
			if err != nil {
				return sum, fmt.Errorf("synth: %w", err)
			}
			sum.Rows += int64(count)
			sum.Messy += messy
		}
		return sum, nil
	}

	// Workers build blocks ahead; the caller writes them in block order.
	// pending holds one future per block in order and bounds how far ahead
	// the workers may run.
	type result struct {
		buf   []byte
		messy int64
		count int
	}
	type job struct {
		block int64
		out   chan result
	}
	done := make(chan struct{})
	jobs := make(chan job)
	pending := make(chan chan result, 2*workers)
	free := make(chan []byte, 3*workers)
	var wg sync.WaitGroup
	go func() {
		defer close(pending)
		defer close(jobs)
		for b := int64(0); b < blocks; b++ {
			c := make(chan result, 1)
			select {
			case pending <- c:
			case <-done:
				return
			}
			select {
			case jobs <- job{b, c}:
			case <-done:
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var buf []byte
				select {
				case buf = <-free:
				default:
					buf = make([]byte, 0, 1<<20)
				}
				out, messy, count := build(j.block, buf)
				j.out <- result{out, messy, count}
			}
		}()
	}
	var werr error
	for c := range pending {
		if werr != nil {
			// After close(done) the feeder may have queued a block no
			// worker will build: waiting for it would hang.
			continue
		}
		res := <-c
		{
			k, err := w.Write(res.buf)
			sum.Bytes += int64(k)
			if err != nil {
				werr = fmt.Errorf("synth: %w", err)
				close(done)
			} else {
				sum.Rows += int64(res.count)
				sum.Messy += res.messy
			}
		}
		select {
		case free <- res.buf:
		default:
		}
	}
	wg.Wait()
	return sum, werr
}

// rng is splitmix64: tiny, fast and fully specified here, so the output
// cannot change with a Go release.
type rng struct{ s uint64 }

func newRNG(seed, stream uint64) *rng {
	r := &rng{s: seed ^ (stream+1)*0xD1B54A32D192ED03}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a number in [0, n) (n > 0) by Lemire's multiply-shift; the
// bias for the small n used here is far below anything a test could see.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) * (1.0 / (1 << 53)) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// pick returns a random element of s.
func pick[T any](r *rng, s []T) T { return s[r.intn(len(s))] }

// weights draws indexes in proportion to integer weights.
type weights struct{ cum []int }

func newWeights(w []int) weights {
	cum := make([]int, len(w))
	t := 0
	for i, x := range w {
		t += x
		cum[i] = t
	}
	return weights{cum}
}

func (w weights) draw(r *rng) int {
	u := r.intn(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] > u {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

var countryWeights = func() weights {
	w := make([]int, len(countries))
	for i, c := range countries {
		w[i] = c.weight
	}
	return newWeights(w)
}()
