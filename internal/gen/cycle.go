package gen

// breakCycles puts a pointer on the struct fields that would make a type
// contain itself ("type Node struct{ Next Node }" has no size): the fields
// that hold a struct by value within one strongly connected component of
// the "holds by value" graph.
func (g *generator) breakCycles() {
	var structs []*decl
	var walk func(ds []*decl)
	walk = func(ds []*decl) {
		for _, d := range ds {
			if d.kind == dStruct {
				structs = append(structs, d)
			}
			walk(d.children)
		}
	}
	walk(g.namedOrder)
	for _, o := range g.ops {
		walk(o.children)
	}
	target := func(f *field) *decl {
		if f.ptr {
			return nil
		}
		d := f.typ.decl
		for i := 0; d != nil && d.kind == dAlias && i < maxDepth; i++ {
			d = d.under.decl
		}
		if d != nil && d.kind == dStruct {
			return d
		}
		return nil
	}
	// Tarjan's algorithm, iterative over the fields of each struct.
	index := map[*decl]int{}
	low := map[*decl]int{}
	onStack := map[*decl]bool{}
	comp := map[*decl]int{}
	var stack []*decl
	next, ncomp := 0, 0
	var connect func(d *decl)
	connect = func(d *decl) {
		index[d], low[d] = next, next
		next++
		stack = append(stack, d)
		onStack[d] = true
		for _, f := range d.fields {
			t := target(f)
			if t == nil {
				continue
			}
			if _, seen := index[t]; !seen {
				connect(t)
				low[d] = min(low[d], low[t])
			} else if onStack[t] {
				low[d] = min(low[d], index[t])
			}
		}
		if low[d] == index[d] {
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp[top] = ncomp
				if top == d {
					break
				}
			}
			ncomp++
		}
	}
	for _, d := range structs {
		if _, seen := index[d]; !seen {
			connect(d)
		}
	}
	for _, d := range structs {
		for _, f := range d.fields {
			if t := target(f); t != nil && comp[t] == comp[d] {
				f.ptr = true
			}
		}
	}
}
