// Package sharedtest locates the shared test data that lives beside the
// repository, in ../shared: the corpus of real-world specs and the fixtures of
// the original library.
//
// A fresh clone has no ../shared. Tests that read it call [Dir], which skips
// the test with one line when the directory is absent, or fails it when the
// environment variable KLUE_SHARED_REQUIRED is set to 1, as CI does, so that
// CI never skips them silently.
package sharedtest
