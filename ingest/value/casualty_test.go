package value

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

// est builds an estimate from low/best/high; -1 means null.
func wantEst(lo, best, hi int64) schema.Estimate {
	n := func(v int64) schema.NullInt32 {
		if v < 0 {
			return schema.NullInt32{}
		}
		return schema.Int32(int32(v))
	}
	return schema.Estimate{Low: n(lo), Best: n(best), High: n(hi)}
}

const nullN = -1

func TestParseCasualty(t *testing.T) {
	for _, c := range []struct {
		in   string
		want schema.Estimate
	}{
		// the seed article's figures
		{"17", wantEst(17, 17, 17)},
		{"15", wantEst(15, 15, 15)},
		{"Fifteen", wantEst(15, 15, 15)},
		{"at least 10″", wantEst(10, 10, nullN)},
		{"four", wantEst(4, 4, 4)},
		{"five", wantEst(5, 5, 5)},
		// plain numbers
		{"0", wantEst(0, 0, 0)},
		{" 17 ", wantEst(17, 17, 17)},
		{"2147483647", wantEst(math.MaxInt32, math.MaxInt32, math.MaxInt32)},
		{"1,000", wantEst(1000, 1000, 1000)},
		{"12,345,678", wantEst(12345678, 12345678, 12345678)},
		{"17.0", wantEst(17, 17, 17)},
		{"007", wantEst(7, 7, 7)},
		// lower bounds
		{"at least 10", wantEst(10, 10, nullN)},
		{"At least 10", wantEst(10, 10, nullN)},
		{"more than 10", wantEst(10, 10, nullN)},
		{"over 10", wantEst(10, 10, nullN)},
		{"10+", wantEst(10, 10, nullN)},
		{"10 +", wantEst(10, 10, nullN)},
		{"no fewer than 10", wantEst(10, 10, nullN)},
		{"no less than 10", wantEst(10, 10, nullN)},
		{"upwards of 10", wantEst(10, 10, nullN)},
		{"at least ten", wantEst(10, 10, nullN)},
		{"at least 10 guards", wantEst(10, 10, nullN)},
		{"at least 10 people were killed.", wantEst(10, 10, nullN)},
		{"“at least 10”", wantEst(10, 10, nullN)},
		{"at least dozens", wantEst(24, 24, nullN)},
		{"ten or more", wantEst(10, 10, nullN)},
		{"10 and over", wantEst(10, 10, nullN)},
		{"10 plus", wantEst(10, 10, nullN)},
		{">10", wantEst(10, 10, nullN)},
		{"≥ 10", wantEst(10, 10, nullN)},
		{"≤20", wantEst(nullN, 20, 20)},
		{"<10", wantEst(nullN, 9, 9)},
		// upper bounds
		{"up to 20", wantEst(nullN, 20, 20)},
		{"as many as 20", wantEst(nullN, 20, 20)},
		{"As many as twenty", wantEst(nullN, 20, 20)},
		{"at most 20", wantEst(nullN, 20, 20)},
		{"no more than 20", wantEst(nullN, 20, 20)},
		{"fewer than 10", wantEst(nullN, 9, 9)},
		{"less than 10", wantEst(nullN, 9, 9)},
		{"under 10", wantEst(nullN, 9, 9)},
		// ranges: best = floor of the arithmetic midpoint
		{"15-20", wantEst(15, 17, 20)},
		{"15 - 20", wantEst(15, 17, 20)},
		{"15–20", wantEst(15, 17, 20)},
		{"15—20", wantEst(15, 17, 20)},
		{"15 to 20", wantEst(15, 17, 20)},
		{"between 15 and 20", wantEst(15, 17, 20)},
		{"from 15 to 20", wantEst(15, 17, 20)},
		{"15-20 killed", wantEst(15, 17, 20)},
		{"two or three", wantEst(2, 2, 3)},
		{"five to seven", wantEst(5, 6, 7)},
		{"1,000-2,000", wantEst(1000, 1500, 2000)},
		{"20-20", wantEst(20, 20, 20)},
		// number words
		{"twenty-one", wantEst(21, 21, 21)},
		{"Twenty One", wantEst(21, 21, 21)},
		{"ninety-nine", wantEst(99, 99, 99)},
		{"a dozen", wantEst(12, 12, 12)},
		{"two dozen", wantEst(24, 24, 24)},
		{"a hundred", wantEst(100, 100, 100)},
		{"one hundred", wantEst(100, 100, 100)},
		{"two hundred", wantEst(200, 200, 200)},
		{"one hundred and five", wantEst(105, 105, 105)},
		{"three hundred twenty", wantEst(320, 320, 320)},
		{"one thousand", wantEst(1000, 1000, 1000)},
		{"a thousand", wantEst(1000, 1000, 1000)},
		{"two thousand five hundred", wantEst(2500, 2500, 2500)},
		{"a couple", wantEst(2, 2, 2)},
		{"a couple of", wantEst(2, 2, 2)},
		{"2 million", wantEst(2000000, 2000000, 2000000)},
		{"1.5 million", wantEst(1500000, 1500000, 1500000)},
		{"one", wantEst(1, 1, 1)},
		// approximations: the figure as given
		{"around 30", wantEst(30, 30, 30)},
		{"about 30", wantEst(30, 30, 30)},
		{"some 30", wantEst(30, 30, 30)},
		{"nearly 30", wantEst(30, 30, 30)},
		{"almost 30", wantEst(30, 30, 30)},
		{"approximately 30", wantEst(30, 30, 30)},
		{"approx. 30", wantEst(30, 30, 30)},
		{"roughly 30", wantEst(30, 30, 30)},
		{"an estimated 30", wantEst(30, 30, 30)},
		{"~30", wantEst(30, 30, 30)},
		{"c. 30", wantEst(30, 30, 30)},
		{"about a dozen", wantEst(12, 12, 12)},
		{"30 or so", wantEst(30, 30, 30)},
		// vague quantities: best = floor(sqrt(low*high))
		{"several", wantEst(3, 5, 9)},
		{"Several people", wantEst(3, 5, 9)},
		{"a few", wantEst(2, 3, 5)},
		{"a handful", wantEst(2, 3, 5)},
		{"dozens", wantEst(24, 48, 99)},
		{"dozens of civilians", wantEst(24, 48, 99)},
		{"scores", wantEst(40, 62, 99)},
		{"hundreds", wantEst(200, 446, 999)},
		{"thousands", wantEst(2000, 4471, 9999)},
		{"tens of thousands", wantEst(20000, 44721, 99999)},
		{"hundreds of thousands", wantEst(200000, 447213, 999999)},
		{"several hundred", wantEst(300, 519, 900)},
		{"a few dozen", wantEst(24, 37, 60)},
		// null
		{"", wantEst(nullN, nullN, nullN)},
		{"   ", wantEst(nullN, nullN, nullN)},
		{"unknown", wantEst(nullN, nullN, nullN)},
		{"Unknown", wantEst(nullN, nullN, nullN)},
		{"n/a", wantEst(nullN, nullN, nullN)},
		{"N/A", wantEst(nullN, nullN, nullN)},
		{"?", wantEst(nullN, nullN, nullN)},
		{"not known", wantEst(nullN, nullN, nullN)},
		{"-", wantEst(nullN, nullN, nullN)},
		{"no data", wantEst(nullN, nullN, nullN)},
		{"No information", wantEst(nullN, nullN, nullN)},
		// zero
		{"no casualties", wantEst(0, 0, 0)},
		{"none", wantEst(0, 0, 0)},
		{"None", wantEst(0, 0, 0)},
		{"no deaths", wantEst(0, 0, 0)},
		{"zero", wantEst(0, 0, 0)},
		{"nobody", wantEst(0, 0, 0)},
		{"no one", wantEst(0, 0, 0)},
		{"no one was killed", wantEst(0, 0, 0)},
		{"0 killed", wantEst(0, 0, 0)},
		{"no civilians were killed", wantEst(0, 0, 0)},
		{"none killed", wantEst(0, 0, 0)},
	} {
		got, err := ParseCasualty(c.in)
		if err != nil {
			t.Errorf("ParseCasualty(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseCasualty(%q) = %s, want %s", c.in, fmtEst(got), fmtEst(c.want))
		}
	}
}

func fmtEst(e schema.Estimate) string {
	f := func(n schema.NullInt32) string {
		if !n.Valid {
			return "null"
		}
		return fmt.Sprint(n.Value)
	}
	return f(e.Low) + "/" + f(e.Best) + "/" + f(e.High)
}

func TestParseCasualtyErrors(t *testing.T) {
	for _, in := range []string{
		"many",
		"numerous",
		"lots",
		"killed",
		"-5",
		"4 killed, 5 wounded",
		"four killed and five wounded",
		"17 or so 18",
		">",
		"20-15",
		"between 15",
		"between 15 or 20",
		"at least 10-20",
		"several-dozens",
		"1,00",
		"1.5",
		"17.5 killed",
		"2147483648",
		"99999999999999999999",
		"3 billion",
		"five thousand million",
		"ten ten",
		"a",
		"15-",
		"+",
		"at least",
		"up to",
		"x17",
		"#17",
		"17 (including 3 attackers)",
		"no idea",
		"1O",
		"1O killed",
		"l7",
		"17killed",
		"17 o",
		"1 O killed",
		"no reliable figure available",
	} {
		got, err := ParseCasualty(in)
		if err == nil {
			t.Errorf("ParseCasualty(%q) = %s, want an error", in, fmtEst(got))
			continue
		}
		if !errors.Is(err, ErrBadCasualty) {
			t.Errorf("ParseCasualty(%q): error %v does not wrap ErrBadCasualty", in, err)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
			t.Errorf("ParseCasualty(%q): error %q does not quote the text", in, err)
		}
		if !got.IsNull() {
			t.Errorf("ParseCasualty(%q) returned %s with its error", in, fmtEst(got))
		}
	}
}

func TestParseCasualtyNoAllocFastPath(t *testing.T) {
	for _, in := range []string{"0", "17", "2147483647"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = ParseCasualty(in) }); n != 0 {
			t.Errorf("ParseCasualty(%q) allocates %v times", in, n)
		}
	}
}

func checkEstimate(t *testing.T, in string, e schema.Estimate) {
	t.Helper()
	vals := []schema.NullInt32{e.Low, e.Best, e.High}
	for _, v := range vals {
		if v.Valid && v.Value < 0 {
			t.Fatalf("ParseCasualty(%q) = %s: negative", in, fmtEst(e))
		}
	}
	if e.Low.Valid && e.Best.Valid && e.Low.Value > e.Best.Value ||
		e.Best.Valid && e.High.Valid && e.Best.Value > e.High.Value ||
		e.Low.Valid && e.High.Valid && e.Low.Value > e.High.Value {
		t.Fatalf("ParseCasualty(%q) = %s: not low <= best <= high", in, fmtEst(e))
	}
	if !e.IsNull() && !e.Best.Valid {
		t.Fatalf("ParseCasualty(%q) = %s: bounds without a best", in, fmtEst(e))
	}
}

func FuzzParseCasualty(f *testing.F) {
	for _, s := range []string{"17", "at least 10″", "15-20", "between 15 and 20", "twenty-one", "a dozen",
		"several hundred", "tens of thousands", "unknown", "no casualties", "1,000", "1.5 million", "10+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseCasualty(s)
		if err != nil {
			if !errors.Is(err, ErrBadCasualty) {
				t.Fatalf("ParseCasualty(%q): error %v does not wrap ErrBadCasualty", s, err)
			}
			return
		}
		checkEstimate(t, s, e)
	})
}

func BenchmarkParseCasualty(b *testing.B) {
	for _, in := range []string{"0", "17", "at least 10", "between 15 and 20", "several hundred"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				_, _ = ParseCasualty(in)
			}
		})
	}
}

func ExampleParseCasualty() {
	for _, s := range []string{"17", "at least 10", "up to 20", "15-20", "several", "unknown", "none"} {
		e, _ := ParseCasualty(s)
		fmt.Printf("%-12s %s\n", s, fmtEst(e))
	}
	// Output:
	// 17           17/17/17
	// at least 10  10/10/null
	// up to 20     null/20/20
	// 15-20        15/17/20
	// several      3/5/9
	// unknown      null/null/null
	// none         0/0/0
}
