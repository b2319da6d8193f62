package specdoc

// treeBuilder makes the Nodes of a tree, for the JSON parser and the fast
// YAML reader alike.
type treeBuilder struct {
	// slab is where the next nodes are allocated, in blocks: a tree has
	// one node per value, whose nodes live and die together, and one
	// allocation for many is much cheaper than one each.
	slab  []Node
	built int // nodes built
	// keys and vals are stacks of the members of the objects being built,
	// and items of the arrays: each container, once complete, takes its
	// own from the top in slices of the exact size.
	keys  []string
	vals  []*Node
	items []*Node
	// warnings are the keys given twice in an object.
	warnings []*SyntaxError
}

func (b *treeBuilder) newNode() *Node {
	b.built++
	if len(b.slab) == 0 {
		b.slab = make([]Node, min(256, 16+b.built/2))
	}
	n := &b.slab[0]
	b.slab = b.slab[1:]
	return n
}

// member adds a member to the object whose members are on the stacks from
// base. A key given again keeps its place and takes the new value, with a
// warning at line:col, as yaml.v3's path does. index maps the object's keys
// to their place on the stack once it is large, so that an object of many
// keys costs a time linear in their number.
func (b *treeBuilder) member(base int, index map[string]int, key string, line, col int32, v *Node) map[string]int {
	i := -1
	if index != nil {
		if j, ok := index[key]; ok {
			i = j
		}
	} else {
		for j := base; j < len(b.keys); j++ {
			if b.keys[j] == key {
				i = j
				break
			}
		}
	}
	if i >= 0 {
		b.warnings = append(b.warnings, duplicateKey(key, int(line), int(col)))
		b.vals[i] = v
		return index
	}
	b.keys = append(b.keys, key)
	b.vals = append(b.vals, v)
	switch n := len(b.keys) - base; {
	case index != nil:
		index[key] = len(b.keys) - 1
	case n > indexThreshold:
		index = make(map[string]int, 2*n)
		for j := base; j < len(b.keys); j++ {
			index[b.keys[j]] = j
		}
	}
	return index
}

// members gives the object n the members on the stacks from base, and
// takes them off. index, if not nil, maps the keys to their places on the
// stacks: the object's index is built from it.
func (b *treeBuilder) members(n *Node, base int, index map[string]int) {
	n.Keys = append([]string(nil), b.keys[base:]...)
	n.Values = append([]*Node(nil), b.vals[base:]...)
	clear(b.vals[base:])
	b.keys, b.vals = b.keys[:base], b.vals[:base]
	if index != nil {
		for k, i := range index {
			index[k] = i - base
		}
		n.index = index
		return
	}
	n.finish()
}

// itemsOf gives the array n the items on the stack from base, and takes
// them off.
func (b *treeBuilder) itemsOf(n *Node, base int) {
	n.Values = append([]*Node(nil), b.items[base:]...)
	clear(b.items[base:])
	b.items = b.items[:base]
}
