package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..." (make
// build sets git describe). Unset, the version comes from the module build
// information the Go toolchain records.
var version = ""

// buildInfo is debug.ReadBuildInfo; tests replace it.
var buildInfo = debug.ReadBuildInfo

// shortVersion names this build in one word, for file metadata and
// --version: the -X version when set, else the module version (v1.2.0
// from go install ...@v1.2.0, a pseudo-version from go build in a git
// checkout), else "devel" with the VCS revision when there is one.
func shortVersion() string {
	if version != "" {
		return version
	}
	bi, ok := buildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	if rev := setting(bi, "vcs.revision"); rev != "" {
		return "devel-" + rev[:min(12, len(rev))]
	}
	return "devel"
}

// versionText is what 'incidents version' prints: the version, the module
// and its version, the VCS revision with its time and whether the tree had
// uncommitted changes, and the Go toolchain.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "incidents %s\n", shortVersion())
	bi, ok := buildInfo()
	if !ok {
		b.WriteString("no build information in this binary\n")
		return b.String()
	}
	mod := bi.Main.Path
	if mod == "" {
		mod = "github.com/incidentkit/incidents"
	}
	fmt.Fprintf(&b, "module    %s %s\n", mod, cmpOr(bi.Main.Version, "(devel)"))
	if rev := setting(bi, "vcs.revision"); rev != "" {
		extra := []string{}
		if t := setting(bi, "vcs.time"); t != "" {
			extra = append(extra, t)
		}
		if setting(bi, "vcs.modified") == "true" {
			extra = append(extra, "uncommitted changes")
		}
		fmt.Fprintf(&b, "revision  %s", rev)
		if len(extra) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(extra, ", "))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("revision  unknown: built without VCS information (-buildvcs=false, or outside a git checkout)\n")
	}
	goos, goarch := cmpOr(setting(bi, "GOOS"), runtime.GOOS), cmpOr(setting(bi, "GOARCH"), runtime.GOARCH)
	fmt.Fprintf(&b, "go        %s %s/%s\n", cmpOr(bi.GoVersion, runtime.Version()), goos, goarch)
	return b.String()
}

func setting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision and Go toolchain of this build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionText())
			return err
		},
	}
}
