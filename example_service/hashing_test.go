package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashingBound checks the bound on password hashing: new hashes take at
// most half of the slots, checks the rest, and a hash that finds no free
// slot within the wait fails with errBusy rather than queueing.
func TestHashingBound(t *testing.T) {
	t.Parallel()
	h := newHashing(2, 20*time.Millisecond)
	ctx := t.Context()
	hold := func(h *hashing, write bool) (release func(), done <-chan error) {
		started, stop := make(chan struct{}), make(chan struct{})
		errc := make(chan error, 1)
		go func() {
			errc <- h.do(ctx, write, func() error { close(started); <-stop; return nil })
		}()
		select {
		case <-started:
		case err := <-errc:
			t.Fatalf("holding a slot (write %v): %v", write, err)
		}
		return func() { close(stop) }, errc
	}
	quick := func(write bool) error { return h.do(ctx, write, func() error { return nil }) }

	releaseWrite, writeDone := hold(h, true)
	if err := quick(true); !errors.Is(err, errBusy) {
		t.Errorf("a second sign-up while one hashes: %v, want errBusy", err)
	}
	if err := quick(false); err != nil {
		t.Errorf("a login while a sign-up hashes: %v, want a slot", err)
	}
	releaseCheck, checkDone := hold(h, false)
	if err := quick(false); !errors.Is(err, errBusy) {
		t.Errorf("a login with every slot taken: %v, want errBusy", err)
	}
	releaseWrite()
	if err := <-writeDone; err != nil {
		t.Fatal(err)
	}
	if err := quick(true); err != nil {
		t.Errorf("a sign-up once the slot is free: %v", err)
	}
	releaseCheck()
	if err := <-checkDone; err != nil {
		t.Fatal(err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	full := newHashing(2, time.Hour)
	release, done := hold(full, false)
	release2, done2 := hold(full, false)
	if err := full.do(cancelled, false, func() error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a hash whose caller left: %v, want context.Canceled", err)
	}
	release()
	release2()
	<-done
	<-done2
}
