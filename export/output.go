package export

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The output rule, the same for every file this module writes (data files,
// dataset folders, rejects, reports, charts, statistics, generated data):
//
//   - an existing output is replaced only with Overwrite;
//   - a folder is never replaced by a file, nor a file by a folder, even
//     with Overwrite;
//   - an output that is one of the inputs, that contains one (a folder
//     replaced by a dataset) or that lies inside an input folder is refused.
//     Files are compared by device and inode (os.SameFile) after following
//     symbolic links, so another name, a hard link or a link to an input is
//     caught as the input itself.
//
// CheckOutput applies the rule; Create and CreateFile call it.

// Causes of an *OutputError, for errors.Is.
var (
	ErrOutputExists   = errors.New("already exists")
	ErrOutputIsFolder = errors.New("is a folder, which a file never replaces")
	ErrOutputIsFile   = errors.New("is a file, which a dataset folder never replaces")
	ErrOutputIsInput  = errors.New("would overwrite an input")
)

// OutputError is an output refused by the output rule.
type OutputError struct {
	Path   string // the output as the caller named it
	Err    error  // one of the ErrOutput* causes
	Detail string // which input, for ErrOutputIsInput
}

func (e *OutputError) Error() string {
	s := "export: " + e.Path + ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *OutputError) Unwrap() error { return e.Err }

// OutputOptions say how an output may be created.
type OutputOptions struct {
	// Folder is true for a dataset folder, false for a file.
	Folder bool
	// Overwrite allows replacing an existing output of the same kind.
	Overwrite bool
	// Inputs are the paths the run reads ("-" is skipped, as are paths
	// that do not exist: reading them fails later with its own error).
	Inputs []string
}

// CheckOutput applies the output rule to path ("-", stdout, always passes).
func CheckOutput(path string, o OutputOptions) error {
	if path == "-" {
		return nil
	}
	refuse := func(err error, detail string) error { return &OutputError{Path: path, Err: err, Detail: detail} }
	lfi, lerr := os.Lstat(path)
	fi, serr := os.Stat(path) // the link's target, for links
	if lerr == nil {
		isDir := lfi.IsDir() || (serr == nil && fi.IsDir())
		switch {
		case isDir && !o.Folder:
			return refuse(ErrOutputIsFolder, "")
		case !isDir && o.Folder:
			return refuse(ErrOutputIsFile, "")
		}
	}
	for _, in := range o.Inputs {
		if in == "-" || in == "" {
			continue
		}
		ifi, err := os.Stat(in)
		if err != nil {
			continue
		}
		if lerr == nil && (os.SameFile(lfi, ifi) || (serr == nil && os.SameFile(fi, ifi))) {
			return refuse(ErrOutputIsInput, "it is input "+in)
		}
		// A folder to be replaced must not hold an input.
		if serr == nil && fi.IsDir() {
			for _, a := range ancestors(in) {
				if os.SameFile(a, fi) {
					return refuse(ErrOutputIsInput, "it contains input "+in)
				}
			}
		}
		// Nor may the output land inside an input folder: it would become
		// part of the dataset read, or replace one of its files.
		if ifi.IsDir() {
			for _, a := range ancestors(filepath.Dir(absPath(path))) {
				if os.SameFile(a, ifi) {
					return refuse(ErrOutputIsInput, "it is inside input folder "+in)
				}
			}
		}
	}
	if lerr == nil && !o.Overwrite {
		return refuse(ErrOutputExists, "")
	}
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// ancestors returns the file infos of p (symbolic links resolved) and of
// every folder above it up to the root; the parts that do not exist are
// skipped.
func ancestors(p string) []os.FileInfo {
	p = absPath(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	var out []os.FileInfo
	for {
		if fi, err := os.Stat(p); err == nil {
			out = append(out, fi)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return out
		}
		p = parent
	}
}

// Temporary outputs are named .NAME.incidents-tmp-PID-START-RANDOM (a folder
// being replaced is moved aside to the same name plus .old), PID and START
// being the writing process's id and start time (clock ticks after boot,
// /proc/PID/stat). A later write of NAME removes those whose process is gone
// (SIGKILL, power loss): nothing else matches the pattern, and a live
// process's files are left alone.
const tempMarker = ".incidents-tmp-"

var tempPattern = regexp.MustCompile(`^\.(.+)\.incidents-tmp-([0-9]+)-([0-9]+)-[0-9a-z]+(\.old)?$`)

// selfStart is this process's start time, 0 where /proc is not available
// (then nothing is ever recognised as stale).
var selfStart = processStart(os.Getpid())

// processStart returns field 22 of /proc/PID/stat (the start time in clock
// ticks after boot), or 0.
func processStart(pid int) uint64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces and parentheses
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 { // fields 3.. after the name; start time is field 22
		return 0
	}
	v, _ := strconv.ParseUint(f[19], 10, 64)
	return v
}

// tempName returns a fresh temporary name beside path.
func tempName(path string) string {
	dir, base := filepath.Split(path)
	return filepath.Join(dir, fmt.Sprintf(".%s%s%d-%d-%s", base, tempMarker, os.Getpid(), selfStart,
		strconv.FormatUint(rand.Uint64(), 36)))
}

// RemoveStaleTemps removes the temporary files and folders a process that
// no longer runs left beside path (see tempPattern), and returns their
// names. It removes nothing when process start times cannot be read.
func RemoveStaleTemps(path string) []string {
	if selfStart == 0 || path == "-" {
		return nil
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var removed []string
	for _, name := range names {
		if !strings.HasPrefix(name, "."+base+tempMarker) {
			continue
		}
		m := tempPattern.FindStringSubmatch(name)
		if m == nil || m[1] != base {
			continue
		}
		pid, err1 := strconv.Atoi(m[2])
		start, err2 := strconv.ParseUint(m[3], 10, 64)
		if err1 != nil || err2 != nil || pid <= 0 {
			continue
		}
		if s := processStart(pid); s != 0 && s == start {
			continue // its writer still runs
		}
		full := filepath.Join(dir, name)
		if os.RemoveAll(full) == nil {
			removed = append(removed, full)
		}
	}
	return removed
}

// createTemp creates a fresh temporary file beside path with the
// permissions of any file the user creates (0666 less their umask) instead
// of os.CreateTemp's 0600: it is renamed into place as the output, which
// others sharing a data folder must be able to read as they read the
// user's other files.
func createTemp(path string) (*os.File, error) {
	for try := 0; ; try++ {
		f, err := os.OpenFile(tempName(path), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if os.IsExist(err) && try < 100 {
			continue
		}
		return f, err
	}
}

// mkdirTemp is createTemp for a folder (0777 less the umask).
func mkdirTemp(path string) (string, error) {
	for try := 0; ; try++ {
		name := tempName(path)
		err := os.Mkdir(name, 0o777)
		if os.IsExist(err) && try < 100 {
			continue
		}
		return name, err
	}
}

// installTemp renames the finished temporary tmp onto path under the output
// rule, checked again at this moment: path may have appeared while the run
// was writing. A folder cannot be renamed over a non-empty folder, so an
// existing one is first moved aside and removed once the new one is in
// place.
func installTemp(tmp, path string, o OutputOptions) error {
	if err := CheckOutput(path, OutputOptions{Folder: o.Folder, Overwrite: o.Overwrite}); err != nil {
		return err
	}
	old := ""
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		old = tmp + ".old"
		if err := os.Rename(path, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		if old != "" {
			os.Rename(old, path)
		}
		return err
	}
	if old != "" {
		os.RemoveAll(old)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// File is an output file written atomically under the output rule, for
// what is not a stream of records (reports, charts, rejects, generated
// data): bytes go to a temporary file beside the target; Commit renames it
// into place, Abort (or a failed Commit) removes it, so the target is
// either untouched or complete.
type File struct {
	f    *os.File
	path string
	o    OutputOptions
	done bool
}

// CreateFile starts writing path under the output rule (o.Folder is
// ignored). It first removes stale temporary files of path.
func CreateFile(path string, o OutputOptions) (*File, error) {
	o.Folder = false
	if path == "-" {
		return nil, errors.New("export: CreateFile cannot write to stdout")
	}
	if err := CheckOutput(path, o); err != nil {
		return nil, err
	}
	RemoveStaleTemps(path)
	f, err := createTemp(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &File{f: f, path: path, o: o}, nil
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.f.Write(p) }

// Name returns the target path.
func (f *File) Name() string { return f.path }

// TempName returns the temporary file's path (until Commit or Abort).
func (f *File) TempName() string { return f.f.Name() }

// Commit syncs the file and renames it onto the target.
func (f *File) Commit() error {
	if f.done {
		return errors.New("export: commit after commit or abort")
	}
	f.done = true
	tmp := f.f.Name()
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = installTemp(tmp, f.path, f.o)
	}
	if err != nil {
		os.Remove(tmp)
		if _, ok := err.(*OutputError); ok {
			return err
		}
		return fmt.Errorf("export: %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file; the target is left as it was. It does
// nothing after Commit and may be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.f.Close()
	os.Remove(f.f.Name())
}

// WriteFile writes data to path atomically under the output rule.
func WriteFile(path string, data []byte, o OutputOptions) error {
	f, err := CreateFile(path, o)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("export: %s: %w", path, err)
	}
	return f.Commit()
}
