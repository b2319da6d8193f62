package klue

import "github.com/klue-go/klue-client-server/internal/specdoc"

// Lenient loading. Published specs carry faults their owners never fix; a
// team that only calls such an API must still be able to load it. Under
// WithLenient, the faults that do not change how a valid message is judged
// are warnings instead of errors, with the same place and message. Every
// such fault is reported through faultf (faultOnce in schemas, opFaultf at
// operations), and only
// those; the package documentation lists them:
//
//   - a default of the wrong type (load_defaults.go), unless klue fills it
//     into requests;
//   - two path templates that differ only in parameter names
//     (load_paths.go);
//   - properties: {$ref: ...} (isRefShortcut);
//   - a discriminator mapping value given as a {$ref: ...} object;
//   - a property listed twice in required.

// faultf reports a fault that does not change how a valid message is
// judged (a default of the wrong type, two path templates that match the
// same paths...): an error by default, a warning under [WithLenient]. Every
// fault lenient mode forgives goes through it, and is listed in the package
// documentation.
func (l *loader) faultf(f *docFile, n *specdoc.Node, ptr string, format string, args ...any) {
	if l.cfg.lenient {
		l.warnf(f, n, ptr, format, args...)
		return
	}
	l.errorf(f, n, ptr, format, args...)
}

// faultOnce reports a fault (see faultf) found in a schema, which may be
// converted several times, unless it is already reported.
func (l *loader) faultOnce(f *docFile, n *specdoc.Node, ptr string, msg string) {
	if l.ps.has(l.problemAt(f, n, ptr, "%s", msg)) {
		return
	}
	l.faultf(f, n, ptr, "%s", msg)
}

// isRefShortcut tells whether the member name of a properties object is a
// "$ref" holding a string: a reference where a property list belongs, a
// shortcut some published specs take.
func isRefShortcut(key, name string, n *specdoc.Node) bool {
	return key == "properties" && name == "$ref" && n.Kind == specdoc.String
}

const refShortcutFault = `properties holds "$ref": a property list cannot be a reference (put the $ref in an allOf, or list the properties)`
