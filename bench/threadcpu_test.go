package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the CPU time the calling thread has used, from the kernel's
// scheduler accounting (CLOCK_THREAD_CPUTIME_ID, in nanoseconds). A
// benchmark that locks its goroutine to its thread and serves requests
// synchronously measures with it the CPU time of each stack alone, which
// the wall clock of a loaded machine does not give: time spent waiting
// for a core is not counted.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
