package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMECommands runs the klue commands the README shows ("$ go tool
// klue ..." lines, from the repository's root) and compares their output
// with the lines the README shows under them.
func TestREADMECommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	type command struct {
		line  int
		args  []string
		shown []string
	}
	var cmds []*command
	var cur *command
	for i, l := range strings.Split(string(data), "\n") {
		text, indented := strings.CutPrefix(l, "    ")
		switch {
		case indented && strings.HasPrefix(text, "$ go tool klue "):
			cur = &command{line: i + 1, args: strings.Fields(strings.TrimPrefix(text, "$ go tool klue "))}
			cmds = append(cmds, cur)
		case indented && cur != nil && !strings.HasPrefix(text, "$"):
			cur.shown = append(cur.shown, text)
		default:
			cur = nil
		}
	}
	if len(cmds) < 2 {
		t.Fatalf("the README shows %d klue commands, want check and routes", len(cmds))
	}
	t.Chdir("../..")
	for _, c := range cmds {
		var args []string
		for _, a := range c.args {
			if !strings.ContainsAny(a, "*?[") {
				args = append(args, a)
				continue
			}
			files, err := filepath.Glob(a)
			if err != nil || len(files) == 0 {
				t.Fatalf("README.md:%d: %s matches no file", c.line, a)
			}
			args = append(args, files...)
		}
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 {
			t.Errorf("README.md:%d: klue %s: exit %d: %s", c.line, strings.Join(c.args, " "), code, errOut.String())
		}
		if got, want := strings.TrimRight(out.String(), "\n"), strings.Join(c.shown, "\n"); got != want {
			t.Errorf("README.md:%d: klue %s prints\n%s\nthe README shows\n%s", c.line, strings.Join(c.args, " "), got, want)
		}
	}
}
