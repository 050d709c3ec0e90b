package value

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// ActorNames canonicalizes actor names: trimmed, internal whitespace
// collapsed to one space, and aliases replaced by their canonical name,
// matched case-insensitively. The zero value (and a nil *ActorNames) has
// no aliases and only cleans whitespace. An ActorNames is read-only after
// loading, so it is safe for concurrent use.
type ActorNames struct {
	canon map[string]string // folded alias or canonical -> canonical
}

// LoadActorNames reads a YAML file mapping each canonical name to its
// aliases:
//
//	Islamic State: [ISIS, IS, ISIL, Daesh]
//	Taliban: [Afghan Taliban, Islamic Emirate of Afghanistan]
//
// Errors name the file and line. An alias claimed by two canonical names,
// or a canonical name that is another's alias, is an error.
func LoadActorNames(path string) (*ActorNames, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: actor names: %w", err)
	}
	defer f.Close()
	return ParseActorNames(f, path)
}

// ParseActorNames reads the YAML of LoadActorNames from r; name is used in
// error messages.
func ParseActorNames(r io.Reader, name string) (*ActorNames, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &ActorNames{}, nil
		}
		return nil, fmt.Errorf("ingest: actor names %s: %w", name, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return &ActorNames{}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("ingest: actor names %s:%d: want a mapping of canonical name to a list of aliases", name, root.Line)
	}
	a := &ActorNames{canon: make(map[string]string, len(root.Content))}
	claimed := make(map[string]int) // folded name -> line that claimed it
	claim := func(text, canonical string, line int) error {
		k := foldActor(text)
		if k == "" {
			return fmt.Errorf("ingest: actor names %s:%d: empty name", name, line)
		}
		if prev, ok := a.canon[k]; ok {
			if prev == canonical {
				return nil // an alias that repeats its own canonical name
			}
			return fmt.Errorf("ingest: actor names %s:%d: %q is claimed by %q (line %d) and %q", name, line, text, prev, claimed[k], canonical)
		}
		a.canon[k] = canonical
		claimed[k] = line
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		kn, vn := root.Content[i], root.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("ingest: actor names %s:%d: a canonical name must be text", name, kn.Line)
		}
		canonical := cleanSpace(kn.Value)
		if err := claim(canonical, canonical, kn.Line); err != nil {
			return nil, err
		}
		var aliases []*yaml.Node
		switch vn.Kind {
		case yaml.SequenceNode:
			aliases = vn.Content
		case yaml.ScalarNode:
			if vn.Tag != "!!null" {
				aliases = []*yaml.Node{vn}
			}
		default:
			return nil, fmt.Errorf("ingest: actor names %s:%d: aliases of %q must be a list", name, vn.Line, canonical)
		}
		for _, al := range aliases {
			if al.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("ingest: actor names %s:%d: an alias of %q must be text", name, al.Line, canonical)
			}
			if err := claim(al.Value, canonical, al.Line); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

// Canonical returns s with surrounding space trimmed, inner whitespace
// collapsed and an alias replaced by its canonical name. A nil receiver
// only cleans whitespace. It does not allocate when s is already clean and
// is no alias.
func (a *ActorNames) Canonical(s string) string {
	s = cleanSpace(s)
	if a == nil || len(a.canon) == 0 || s == "" {
		return s
	}
	var buf [128]byte
	k := AppendActorKey(buf[:0], s)
	if c, ok := a.canon[string(k)]; ok {
		return c
	}
	return s
}

// cleanSpace trims and collapses runs of whitespace to one space, without
// allocating when s needs neither.
func cleanSpace(s string) string {
	clean := true
	prevSpace := true
	for i := 0; i < len(s); {
		if c := s[i]; c > ' ' && c < utf8.RuneSelf { // most bytes: ASCII, not a space
			prevSpace = false
			i++
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			if prevSpace || r != ' ' {
				clean = false
				break
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		i += size
	}
	if clean && !prevSpace || s == "" {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func foldActor(s string) string { return string(AppendActorKey(nil, s)) }
