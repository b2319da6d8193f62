package main_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestSignUpFlood floods the user service with sign-ups, each asking for a
// password hash, while a user logs in: the hashing is bounded, so the
// sign-ups beyond it are answered 503 with Retry-After at once rather than
// queueing for the CPUs, and the login, which keeps its share of them,
// succeeds.
func TestSignUpFlood(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	signUp(t, in, "flood@example.com", "correct horse")

	const flood = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	var missingRetryAfter int
	start := make(chan struct{})
	for i := range flood {
		wg.Go(func() {
			<-start
			body := fmt.Sprintf(`{"email":"f%d@example.com","name":"F","password":"correct horse %d"}`, i, i)
			res, err := httpClient.Post(in.base["user"]+"/users", "application/json", strings.NewReader(body))
			if err != nil {
				t.Errorf("sign-up %d: %v", i, err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
				missingRetryAfter++
			}
		})
	}
	close(start)
	logIn(t, in, "flood@example.com", "correct horse")
	wg.Wait()

	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no sign-up of %d at once was turned away: %v", flood, statuses)
	}
	if statuses[http.StatusCreated] == 0 {
		t.Errorf("no sign-up succeeded: %v", statuses)
	}
	if statuses[http.StatusCreated]+statuses[http.StatusServiceUnavailable] != flood {
		t.Errorf("sign-ups answered %v, want only 201 and 503", statuses)
	}
	if missingRetryAfter > 0 {
		t.Errorf("%d answers 503 without Retry-After", missingRetryAfter)
	}
}
