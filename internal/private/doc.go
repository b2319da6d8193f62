// Package private lets klue's own packages reach what package klue keeps
// out of its public API: the state that klue/server, klue/client and
// klue/persist keep for each pool, and the compiled JSON Schemas behind a
// klue.Schema.
//
// Package klue registers how to reach them once, when it is initialised
// ([Register]); nothing else may. The functions take the klue values as any
// because this package cannot import klue (klue imports it); they panic on
// a value of another type, which only a defect in klue could give them.
package private
