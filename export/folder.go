package export

import (
	"fmt"
	"os"
)

// Folder is an output folder built under a temporary name beside its
// target and renamed into place by Commit, under the output rule (see
// CheckOutput): for writers that fill a dataset folder themselves, file by
// file, such as a distributed pipeline whose workers each write parts.
type Folder struct {
	path, tmp string
	o         OutputOptions
	done      bool
}

// CreateFolder checks path under the output rule and makes the temporary
// folder beside it. Nothing appears at path until Commit.
func CreateFolder(path string, o OutputOptions) (*Folder, error) {
	o.Folder = true
	if path == "-" {
		return nil, fmt.Errorf("export: a dataset folder cannot be written to stdout")
	}
	if err := CheckOutput(path, o); err != nil {
		return nil, err
	}
	RemoveStaleTemps(path)
	tmp, err := mkdirTemp(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &Folder{path: path, tmp: tmp, o: o}, nil
}

// Temp returns the temporary folder's path, where the parts are written.
func (f *Folder) Temp() string { return f.tmp }

// Commit renames the temporary folder onto the target (the rule checked
// again: the target may have appeared meanwhile).
func (f *Folder) Commit() error {
	if f.done {
		return nil
	}
	if err := installTemp(f.tmp, f.path, f.o); err != nil {
		return err
	}
	f.done = true
	return nil
}

// Abort removes the temporary folder; after Commit it does nothing, so it
// may be deferred.
func (f *Folder) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	return os.RemoveAll(f.tmp)
}
