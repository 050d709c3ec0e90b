package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// This file is the one place that turns an error into what a person reads.
// The library's errors keep their package prefixes ("ingest: ", "report: ")
// and wrap their causes for errors.Is and errors.As; the message printed
// names the command that was run instead, and says what failed on which
// file in words rather than in system-call names.

// usageError is a command line cobra refused: wrong arguments or an
// unknown flag. It is printed with the command's usage line or a pointer
// to its help, and unwraps to cobra's error.
type usageError struct {
	cmd  *cobra.Command
	err  error
	args bool // the arguments were wrong (else a flag)
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// internalPrefix matches a package's or verb's prefix at the start of a
// message or of a wrapped cause: "ingest: ", "stats: ", "report: ".
var internalPrefix = regexp.MustCompile(`(^|: |; )(ingest|source|profile|value|synth|spill|idindex|stats|export|report|schema|panel|pgsink|link|diff|update|serve|normalize|inspect|gen|demo|plot): `)

// Messages of a file that could not be opened, after the prefixes are
// gone: "x.csv: open: no such file or directory" (ingest) and "stat
// x.jsonl: no such file or directory" (os.PathError).
var (
	fileOpFirst = regexp.MustCompile(`^(open|stat|lstat|read) (\S+): (.+)$`)
	fileOpAfter = regexp.MustCompile(`^(\S+): (open|stat|lstat|read): (.+)$`)
)

// cobra's argument errors (cobra/args.go), reworded as one sentence:
// the numbers are the expected count(s) and the count received.
var argCount = []struct {
	re   *regexp.Regexp
	text string
}{
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "needs at least %s, got %s"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "takes at most %s, got %s"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "takes %s, got %s"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`), ""}, // NoArgs: handled below
}

// arguments says n arguments in words: "one argument", "2 arguments".
func arguments(n string) string {
	switch n {
	case "0":
		return "no arguments"
	case "1":
		return "one argument"
	}
	return n + " arguments"
}

// received says how many came: "none", "one", "3".
func received(n string) string {
	switch n {
	case "0":
		return "none"
	case "1":
		return "one"
	}
	return n
}

// userMessage renders err, returned by running cmd (the command that ran,
// nil when unknown), for a person: "incidents CMD: what failed", package
// prefixes removed, followed by the usage line or a pointer to --help when
// the command line itself was wrong.
func userMessage(cmd *cobra.Command, err error) string {
	var ue *usageError
	if errors.As(err, &ue) {
		cmd = ue.cmd
	}
	lead := "incidents"
	if cmd != nil {
		lead = cmd.CommandPath()
	}
	msg := err.Error()
	for {
		next := internalPrefix.ReplaceAllString(msg, "$1")
		if next == msg {
			break
		}
		msg = next
	}
	if m := fileOpFirst.FindStringSubmatch(msg); m != nil {
		msg = fileVerb(m[1]) + " " + m[2] + ": " + m[3]
	} else if m := fileOpAfter.FindStringSubmatch(msg); m != nil {
		msg = fileVerb(m[2]) + " " + m[1] + ": " + m[3]
	}
	switch {
	case ue != nil && ue.args:
		for _, c := range argCount {
			m := c.re.FindStringSubmatch(msg)
			switch {
			case m == nil:
				continue
			case c.text == "":
				msg = fmt.Sprintf("takes no arguments, got %q", m[1])
			default:
				msg = fmt.Sprintf(c.text, arguments(m[1]), received(m[2]))
			}
			break
		}
		return fmt.Sprintf("%s: %s\nusage: %s", lead, msg, ue.cmd.UseLine())
	case ue != nil:
		return fmt.Sprintf("%s: %s\nsee '%s --help'", lead, msg, ue.cmd.CommandPath())
	case strings.HasPrefix(msg, "unknown command "):
		return fmt.Sprintf("%s: %s\nsee '%s --help'", lead, msg, lead)
	}
	return lead + ": " + msg
}

func fileVerb(op string) string {
	if op == "read" {
		return "cannot read"
	}
	return "cannot open"
}

// catchUsageErrors makes every command's argument and flag errors
// *usageError, so that userMessage can add the usage line or the pointer
// to --help.
func catchUsageErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{cmd: c, err: err}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if check := c.Args; check != nil {
			c.Args = func(c *cobra.Command, args []string) error {
				if err := check(c, args); err != nil {
					return &usageError{cmd: c, err: err, args: true}
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
