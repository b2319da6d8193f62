package client

import (
	"testing"
	"time"
)

// TestBackoffDraws checks every jittered wait against its bounds: half to all
// of the first wait doubled per attempt, capped.
func TestBackoffDraws(t *testing.T) {
	t.Parallel()
	c := &apiClient{}
	c.cfg.backoff, c.cfg.maxBackoff = 40*time.Millisecond, 100*time.Millisecond
	bounds := map[int][2]time.Duration{1: {20, 40}, 2: {40, 80}, 3: {50, 100}, 4: {50, 100}, 10: {50, 100}}
	for attempts, b := range bounds {
		lo, hi := b[0]*time.Millisecond, b[1]*time.Millisecond
		seenLow, seenHigh := false, false
		for range 2000 {
			d := c.backoff(attempts)
			if d < lo || d > hi {
				t.Fatalf("backoff(%d) = %v, want %v to %v", attempts, d, lo, hi)
			}
			seenLow = seenLow || d < lo+(hi-lo)/4
			seenHigh = seenHigh || d > hi-(hi-lo)/4
		}
		if !seenLow || !seenHigh {
			t.Errorf("backoff(%d) is not spread over %v to %v", attempts, lo, hi)
		}
	}
}
